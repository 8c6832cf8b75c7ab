"""Parallel requests: the report limit holds, a decision is answered once, an invitation accepted once."""

import unittest
from collections.abc import Callable
from typing import cast

from django.core.cache import cache
from django.db import connection
from django.test import Client, TransactionTestCase

from accounts.actions import create_account
from comments.tests.test_concurrency import THREADS
from fanarchive.test import BaseTestCase, run_in_parallel
from moderation import actions
from moderation.models import CaseNote, CoCreatorInvitation, LogEntry, Notice, Report
from moderation.ratelimit import REPORT_RATE_LIMIT
from moderation.roles import Role
from works.filter_index import INDEX
from works.models import Creatorship


@unittest.skipUnless(
    connection.vendor == "postgresql",
    "needs PostgreSQL: SQLite runs one writer at a time, and its test database is not shared between threads",
)
class ConcurrentModerationTests(TransactionTestCase):
    password = BaseTestCase.password

    def setUp(self) -> None:
        cache.clear()
        INDEX.reset()
        self.alice = create_account("alice", "alice@example.org", self.password)
        self.bob = create_account("bob", "bob@example.org", self.password)
        self.staff = create_account("sam", "sam@example.org", self.password)
        self.moderator = create_account("mo", "mo@example.org", self.password)
        actions.appoint(self.staff, self.moderator, Role.MODERATOR)
        # make_work needs nothing of a TestCase but `alice`.
        self.work = BaseTestCase.make_work(cast(BaseTestCase, self), co_creators="bob")

    def post_as(self, user: object, path: str, data: dict[str, str], statuses: list[int]) -> Callable[[], None]:
        def task() -> None:
            client = Client()
            client.force_login(user)  # type: ignore[arg-type]
            statuses.append(client.post(path, data).status_code)

        return task

    def test_parallel_reports_never_pass_the_limit(self) -> None:
        statuses: list[int] = []
        data = {"category": "spam", "description": "Flood."}
        path = f"/report/work/{self.work.pk}"
        errors = run_in_parallel([self.post_as(self.bob, path, data, statuses) for _ in range(THREADS)])
        self.assertEqual(errors, [])
        self.assertEqual(Report.objects.count(), REPORT_RATE_LIMIT)
        self.assertEqual(sorted(statuses), [302] * REPORT_RATE_LIMIT + [429] * (THREADS - REPORT_RATE_LIMIT))

    def test_a_decision_is_answered_once(self) -> None:
        report = Report.objects.create(kind="work", work=self.work, snapshot={}, category="spam", description="x")
        actions.hide_work(self.moderator, report, self.work, "Spam.")
        notice = Notice.objects.get(user=self.alice)
        statuses: list[int] = []
        path = f"/moderation/messages/{notice.pk}/answer"
        tasks = [self.post_as(self.alice, path, {"text": f"Answer {n}"}, statuses) for n in range(THREADS)]
        self.assertEqual(run_in_parallel(tasks), [])
        self.assertEqual(LogEntry.objects.filter(action=LogEntry.Action.APPEAL).count(), 1)
        self.assertEqual(CaseNote.objects.filter(report=report).count(), 1)

    def test_an_invitation_is_accepted_once(self) -> None:
        invitation = CoCreatorInvitation.objects.get()
        statuses: list[int] = []
        path = f"/invitations/{invitation.pk}/accept"
        self.assertEqual(run_in_parallel([self.post_as(self.bob, path, {}, statuses) for _ in range(THREADS)]), [])
        self.assertEqual(Creatorship.objects.filter(work=self.work, pseud__user=self.bob).count(), 1)
        self.assertFalse(CoCreatorInvitation.objects.exists())
