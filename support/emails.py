"""Support's answers to guests, by email, sent by the background worker (jobs.queue).

Each answer is claimed with a conditional UPDATE before its email goes out, so a retried job
(or two workers) never sends it twice; a mail server that is down releases the claim and the
job retries with backoff (lib.mail); a refused address is logged there and not retried.
"""

from typing import Any

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils.translation import gettext

from jobs.queue import handler
from lib.mail import MailServerUnavailable, deliver
from sitecontent.config import site_name
from support.actions import REPLY_EMAIL_JOB
from support.models import SupportReply


@handler(REPLY_EMAIL_JOB)
def send_support_reply_email(payload: dict[str, Any]) -> None:
    answer = SupportReply.objects.select_related("request").filter(pk=payload["reply_id"]).first()
    if answer is None or not answer.request.email:
        return
    if not SupportReply.objects.filter(pk=answer.pk, emailed=False).update(emailed=True):
        return
    request = answer.request
    site = site_name()
    context = {"request": request, "answer": answer, "site_name": site}
    message = EmailMessage(
        subject=gettext("[%(site)s] Re: %(subject)s (%(reference)s)")
        % {"site": site, "subject": request.subject, "reference": request.reference},
        body=render_to_string("emails/support_reply.txt", context),
        to=[request.email],
    )
    try:
        deliver(message)
    except MailServerUnavailable:
        SupportReply.objects.filter(pk=answer.pk).update(emailed=False)
        raise
