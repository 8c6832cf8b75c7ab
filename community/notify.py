"""Subscription notifications: inbox items when something is posted, and hourly digest emails.

works.actions calls `work_posted` and `chapter_posted` inside its posting transaction, so the
inbox items exist exactly when the work or chapter does. Emails are sent later, by the background
worker (jobs.queue): `send_subscription_digests` gathers each user's unsent items into one email.
Drafts never notify anyone: only posting does.
"""

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext

from accounts.models import User
from accounts.unsubscribe import unsubscribe_url
from community.models import InboxItem, Mute, Subscription
from jobs.queue import enqueue, handler
from lib.mail import MailServerUnavailable, deliver
from sitecontent.config import site_name
from works.models import Chapter, Creatorship, Work

DIGEST_JOB = "send_subscription_digests"
SUBSCRIPTION_KINDS = [InboxItem.Kind.NEW_CHAPTER, InboxItem.Kind.NEW_WORK, InboxItem.Kind.NEW_SERIES_PART]
# Users whose items one query reads.
DIGEST_BATCH = 100
logger = logging.getLogger(__name__)


def work_posted(work: Work) -> None:
    """A work was posted: its series' subscribers hear of a new part, its creators' subscribers of a new work."""
    if not work.is_published:
        return
    creators = _creator_ids(work)
    series_ids = list(work.serial_works.values_list("series_id", flat=True))
    for_series = _subscribers(Subscription.objects.filter(series_id__in=series_ids), creators)
    # Someone subscribed to both hears once, of the series part (the more specific news).
    for_creator = _subscribers(Subscription.objects.filter(creator_id__in=creators), creators) - for_series
    _notify(for_series, InboxItem.Kind.NEW_SERIES_PART, work, None)
    _notify(for_creator, InboxItem.Kind.NEW_WORK, work, None)


def chapter_posted(chapter: Chapter) -> None:
    """A new chapter of a posted work: the work's subscribers hear of it."""
    work = chapter.work
    if not chapter.posted or not work.is_published:
        return
    subscribers = _subscribers(Subscription.objects.filter(work=work), _creator_ids(work))
    _notify(subscribers, InboxItem.Kind.NEW_CHAPTER, work, chapter)


def _creator_ids(work: Work) -> set[int]:
    return set(Creatorship.objects.filter(work=work).values_list("pseud__user_id", flat=True))


def _subscribers(subscriptions: QuerySet[Subscription], creator_ids: set[int]) -> set[int]:
    """Subscribers, less the creators themselves and anyone who has muted one of them."""
    user_ids = set(subscriptions.values_list("user_id", flat=True)) - creator_ids
    if user_ids:
        user_ids -= set(Mute.objects.filter(muted_id__in=creator_ids).values_list("muter_id", flat=True))
    return user_ids


def _notify(user_ids: set[int], kind: str, work: Work, chapter: Chapter | None) -> None:
    if not user_ids:
        return
    wants_email = dict(User.objects.filter(pk__in=user_ids).values_list("pk", "email_on_subscriptions"))
    InboxItem.objects.bulk_create(
        [
            # Users who want no subscription emails have nothing to send: marked as emailed already.
            InboxItem(user_id=user_id, kind=kind, work=work, chapter=chapter, emailed=not wants_email[user_id])
            for user_id in sorted(wants_email)
        ]
    )


# Digest emails


def queue_digests() -> None:
    """Queue a digest run if there is news to send and no run is waiting already (jobs.periodic runs one hourly)."""
    unsent = InboxItem.objects.filter(kind__in=SUBSCRIPTION_KINDS, emailed=False)
    if unsent.exists():
        enqueue(DIGEST_JOB, {}, key=DIGEST_JOB)


@handler(DIGEST_JOB)
def send_subscription_digests(payload: dict[str, Any]) -> None:
    """One email per user with all their unsent subscription news, then mark those items emailed."""
    pending = InboxItem.objects.filter(kind__in=SUBSCRIPTION_KINDS, emailed=False)
    user_ids = sorted(set(pending.values_list("user_id", flat=True)))
    for start in range(0, len(user_ids), DIGEST_BATCH):
        _send_batch(user_ids[start : start + DIGEST_BATCH])


def _send_batch(user_ids: Iterable[int]) -> None:
    items = (
        InboxItem.objects.filter(kind__in=SUBSCRIPTION_KINDS, emailed=False, user_id__in=user_ids)
        .select_related("user", "work", "chapter")
        .defer("chapter__content")
        .order_by("user_id", "created_at", "id")
    )
    by_user: dict[int, list[InboxItem]] = {}
    for item in items:
        by_user.setdefault(item.user_id, []).append(item)
    for user_items in by_user.values():
        user = user_items[0].user
        ids = [item.pk for item in user_items]
        # Claimed before sending, so a retried job never sends a digest twice (a worker killed
        # in between loses that digest). Only one digest job runs at a time (its queue key).
        InboxItem.objects.filter(pk__in=ids).update(emailed=True)
        # News about works hidden by staff since is dropped; deleted works took their items with them.
        news = [item for item in user_items if item.work is not None and item.work.is_published]
        if not (news and user.is_active and user.email and user.email_on_subscriptions):
            continue
        try:
            deliver(_digest_email(user, news))  # a refused address is logged there and not retried
        except MailServerUnavailable:
            InboxItem.objects.filter(pk__in=ids).update(emailed=False)
            raise
        except Exception:
            # One user's digest that cannot be built never holds back the others' (retried next run).
            logger.exception("Digest for user %s could not be built", user.pk)
            InboxItem.objects.filter(pk__in=ids).update(emailed=False)


def _digest_email(user: User, items: list[InboxItem]) -> EmailMultiAlternatives:
    site = settings.SITE_URL.rstrip("/")
    # A signed link (accounts.unsubscribe) that turns these emails off without logging in.
    unsubscribe = unsubscribe_url(user, "email_on_subscriptions")
    entries = []
    for item in items:
        assert item.work is not None
        if item.chapter is not None:
            url = site + item.chapter.get_absolute_url()
            what = gettext("%(chapter)s of “%(title)s”") % {
                "chapter": item.chapter.display_title,
                "title": item.work.title,
            }
        else:
            url = site + item.work.get_absolute_url()
            what = f"“{item.work.title}”"
        entries.append({"kind": str(item.get_kind_display()), "what": what, "url": url})
    context = {
        "user": user,
        "entries": entries,
        "site_name": site_name(),
        "site_url": site,
        "unsubscribe_url": unsubscribe,
        "preferences_url": site + reverse("preferences"),
    }
    subject = render_to_string("emails/subscription_digest_subject.txt", context).strip()
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("emails/subscription_digest.txt", context),
        to=[user.email],
        headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )
    message.attach_alternative(render_to_string("emails/subscription_digest.html", context), "text/html")
    return message
