"""The outcome of a guest's report, by email, sent by the background worker (jobs.queue)."""

from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext

from jobs.queue import handler
from moderation.actions import OUTCOME_EMAIL_JOB
from moderation.consent import INVITATION_EMAIL_JOB
from moderation.models import CoCreatorInvitation, Report
from sitecontent.config import site_name


@handler(OUTCOME_EMAIL_JOB)
def send_report_outcome_email(payload: dict[str, Any]) -> None:
    report = Report.objects.filter(pk=payload["report_id"]).first()
    if report is None or not report.reporter_email:
        return
    # Claim it first: whoever flips the flag sends the email; a failure releases the claim for the retry.
    if not Report.objects.filter(pk=report.pk, outcome_emailed=False).update(outcome_emailed=True):
        return
    site = site_name()
    try:
        EmailMessage(
            subject=gettext("[%(site)s] Your report %(reference)s") % {"site": site, "reference": report.reference},
            body=render_to_string("emails/report_outcome.txt", {"report": report, "SITE_NAME": site}),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[report.reporter_email],
        ).send()
    except Exception:
        Report.objects.filter(pk=report.pk).update(outcome_emailed=False)
        raise


@handler(INVITATION_EMAIL_JOB)
def send_co_creator_invitation_emails(payload: dict[str, Any]) -> None:
    """One email per invitation not emailed yet (claimed first, released if sending fails)."""
    pending = CoCreatorInvitation.objects.filter(work_id=payload["work_id"], emailed=False)
    url = settings.SITE_URL.rstrip("/") + reverse("co_creator_invitations")
    for invitation in pending.select_related("work", "pseud__user", "invited_by"):
        if not CoCreatorInvitation.objects.filter(pk=invitation.pk, emailed=False).update(emailed=True):
            continue
        try:
            EmailMessage(
                subject=gettext("[%(site)s] An invitation to co-create “%(title)s”")
                % {"site": site_name(), "title": invitation.work.title},
                body=render_to_string(
                    "emails/co_creator_invitation.txt",
                    {"invitation": invitation, "url": url},
                ),
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[invitation.pseud.user.email],
            ).send()
        except Exception:
            CoCreatorInvitation.objects.filter(pk=invitation.pk).update(emailed=False)
            raise
