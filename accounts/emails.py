"""Account emails (verification links, invitations), sent by the background worker.

The request renders the email in its reader's language and queues it; the worker sends it,
so a slow or unreachable mail server never holds up sign-up, and a failure is retried.
"""

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from jobs.queue import enqueue, handler
from sitecontent.config import site_name

EMAIL_JOB = "send_account_email"


def queue_email(to: str, template: str, context: dict[str, Any]) -> None:
    """Render templates/emails/<template>_subject.txt and <template>.txt now, send them in the background."""
    context = {"site_url": settings.SITE_URL, "site_name": site_name(), **context}
    subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
    body = render_to_string(f"emails/{template}.txt", context)
    enqueue(EMAIL_JOB, {"to": to, "subject": subject, "body": body})


@handler(EMAIL_JOB)
def send_account_email(payload: dict[str, Any]) -> None:
    send_mail(payload["subject"], payload["body"], None, [payload["to"]])
