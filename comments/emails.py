"""Emails about comments: one per comment or reply, to users who want them, sent by the background worker.

`actions.post_comment` (and `approve_comment`) create inbox items and queue
`send_comment_emails`; the job mails every comment or reply item not emailed
yet. Each item is claimed with a conditional UPDATE before its email goes out,
so two workers (or a retried job) never send the same one. A refused address is
skipped; if the mail server is unavailable the claim is released and the job
retries later with backoff (lib.mail).
"""

import html
import logging
import re
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext

from accounts.unsubscribe import unsubscribe_url
from comments.actions import EMAIL_JOB, LIVE
from comments.threads import comment_url
from community.models import InboxItem, Mute
from jobs.queue import handler
from lib.mail import MailServerUnavailable, deliver
from sitecontent.config import site_name

KINDS = [InboxItem.Kind.COMMENT, InboxItem.Kind.REPLY]
BATCH = 200
logger = logging.getLogger(__name__)

_LINK = re.compile(r'<a\s[^>]*href="([^"]*)"[^>]*>(.*?)</a>', re.IGNORECASE | re.DOTALL)
_LINE_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_BLOCK_END = re.compile(r"</(p|div|blockquote|li|h[1-6]|pre|tr|table|ul|ol|dl)>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_BLANK_LINES = re.compile(r"\n\s*\n\s*(\n\s*)+")


@handler(EMAIL_JOB)
def send_comment_emails(payload: dict[str, Any]) -> None:
    unbuildable: list[int] = []
    while True:
        items = list(
            InboxItem.objects.filter(kind__in=KINDS, emailed=False)
            .exclude(pk__in=unbuildable)
            .select_related("user", "work", "chapter", "comment__pseud__user", "comment__user")
            .defer("chapter__content", "chapter__notes", "chapter__endnotes", "chapter__summary")
            .order_by("id")[:BATCH]
        )
        if not items:
            break
        for item in items:
            # Claim it first: whoever flips the flag sends the email, and a retried job never
            # sends it again (a worker killed between claim and send loses that one email).
            if not InboxItem.objects.filter(pk=item.pk, emailed=False).update(emailed=True):
                continue
            if not _wants_email(item):
                continue
            try:
                message = comment_email(item)
            except Exception:
                # One item that cannot be built never holds back the others.
                logger.exception("Comment email for inbox item %s could not be built", item.pk)
                InboxItem.objects.filter(pk=item.pk).update(emailed=False)
                unbuildable.append(item.pk)
                continue
            try:
                deliver(message)  # a refused address is logged there and not retried
            except MailServerUnavailable:
                InboxItem.objects.filter(pk=item.pk).update(emailed=False)
                raise
    if unbuildable:
        raise RuntimeError(f"{len(unbuildable)} comment email(s) could not be built: inbox items {unbuildable}")


def _wants_email(item: InboxItem) -> bool:
    user, comment = item.user, item.comment
    if comment is None or comment.status not in LIVE or item.work is None:
        return False
    if not (user.is_active and user.email and user.email_on_comments):
        return False
    # Muted since the comment arrived: no email from them either.
    return comment.user_id is None or not Mute.objects.filter(muter=user, muted_id=comment.user_id).exists()


def comment_email(item: InboxItem) -> EmailMultiAlternatives:
    """The plain-text and HTML email for one comment or reply inbox item."""
    comment, work, user = item.comment, item.work, item.user
    assert comment is not None and work is not None
    site = settings.SITE_URL.rstrip("/")
    if comment.pseud is not None:
        author = str(comment.pseud)
    elif comment.guest_name:
        author = gettext("%(name)s (Guest)") % {"name": comment.guest_name}
    else:
        author = gettext("A reader")
    where = f"“{work.title}”"
    if item.chapter is not None:
        where = gettext("%(chapter)s of %(work)s") % {"chapter": item.chapter.display_title, "work": where}
    awaiting = comment.status == comment.Status.UNREVIEWED
    if awaiting:
        link = site + reverse("unreviewed_comments", args=[work.pk])
    else:
        link = site + comment_url(comment)
    unsubscribe = unsubscribe_url(user, "email_on_comments")
    context = {
        "user": user,
        "reply": item.kind == InboxItem.Kind.REPLY,
        "awaiting_review": awaiting,
        "author": author,
        "where": where,
        "content_html": comment.content,
        "content_text": plain_text(comment.content),
        "comment_url": link,
        "reply_url": site + reverse("comment_thread", args=[comment.pk]) + "#reply",
        "inbox_url": site + reverse("inbox"),
        "unsubscribe_url": unsubscribe,
        "preferences_url": site + reverse("preferences"),
        "site_name": site_name(),
        "site_url": site,
    }
    if item.kind == InboxItem.Kind.REPLY:
        subject = gettext("[%(site)s] Reply to your comment on %(title)s") % {
            "site": site_name(),
            "title": work.title,
        }
    else:
        subject = gettext("[%(site)s] Comment on %(title)s") % {"site": site_name(), "title": work.title}
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=render_to_string("emails/comment_notification.txt", context),
        to=[user.email],
        headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )
    message.attach_alternative(render_to_string("emails/comment_notification.html", context), "text/html")
    return message


def plain_text(content: str) -> str:
    """Sanitized comment HTML as readable plain text: paragraphs kept, links written out."""
    text = _LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})" if m.group(1) else m.group(2), content)
    text = _LINE_BREAK.sub("\n", text)
    text = _BLOCK_END.sub("\n\n", text)
    text = html.unescape(_TAG.sub("", text))
    return _BLANK_LINES.sub("\n\n", text).strip()
