"""Shared test base: personas and a valid posting form to vary.

Alice writes works. Bob is another registered reader who may not edit
Alice's works. Guests are the anonymous test client.
"""

import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache, caches
from django.db import connection
from django.test import Client, TestCase, TransactionTestCase

from accounts.actions import create_account
from accounts.models import User
from search.engine import clear_search_index
from search.indexer import apply_pending
from works import hits
from works.autocomplete import TAG_NAMES
from works.filter_index import INDEX
from works.models import Chapter, Work


def work_form_data(**overrides: Any) -> dict[str, Any]:
    """A complete, valid posting form; override fields to test variations."""
    data: dict[str, Any] = {
        "title": "The Lighthouse Keeper",
        "rating": "General Audiences",
        "warnings": ["No Archive Warnings Apply"],
        "categories": ["Gen"],
        "fandoms": "Tidewater (TV)",
        "relationships": "Mara & Jonah",
        "characters": "Mara Quill, Jonah Reyes",
        "freeforms": "Found Family, Fluff",
        "summary": "A storm, a lamp, a long night.",
        "notes": "",
        "endnotes": "",
        "language": "en",
        "expected_chapters": "1",
        "chapter_title": "",
        "content": "The lamp turned all night.\n\nIn the morning the sea was flat and grey.",
        "action": "post",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


class BaseTestCase(TestCase):
    password = "correct horse battery staple"

    def setUp(self) -> None:
        super().setUp()
        # Hit de-duplication and login throttling live in the cache; start each test clean.
        cache.clear()
        if "local" in settings.CACHES:
            caches["local"].clear()
        if "chapters" in settings.CACHES:
            caches["chapters"].clear()
        if "search" in settings.CACHES:
            caches["search"].clear()
        # Readers' records are keyed by user id and sign-up time, and ids are reused after rollback.
        if "readers" in settings.CACHES:
            caches["readers"].clear()
        # Hits buffered by an earlier test would land on this test's rows (ids are reused
        # after rollback); flushing before any work exists drops them.
        hits.flush_hits()
        # The in-memory filter index outlives each test's rolled-back transaction.
        INDEX.reset()
        TAG_NAMES.reset()
        # So is the search index: empty it (work ids are reused after rollback).
        clear_search_index()
        self.alice = create_account("alice", "alice@example.org", self.password)
        self.bob = create_account("bob", "bob@example.org", self.password)

    def index_search(self) -> int:
        """Apply queued search updates, as the job worker does every second."""
        return apply_pending()

    def login(self, user: User) -> None:
        self.client.force_login(user)

    def post_work(self, author: User | None = None, **overrides: Any) -> Work:
        """Post a work through the form as `author` (Alice by default) and return it."""
        author = author or self.alice
        self.login(author)
        data = work_form_data(**{"pseuds": [author.default_pseud.pk], **overrides})
        response = self.client.post("/works/new", data)
        assert response.status_code == 302, response.content.decode()[:3000]
        work = Work.objects.order_by("-id").first()
        assert work is not None
        self.client.logout()
        return work

    def edit_chapter(self, chapter: Chapter, content: str) -> None:
        """Post new text for a chapter through its edit form (keeping its title), as the client's
        logged-in user."""
        response = self.client.post(
            f"/works/{chapter.work_id}/chapters/{chapter.pk}/edit",
            {"chapter_title": chapter.title, "content": content, "action": "post"},
        )
        self.assertEqual(response.status_code, 302, response.content.decode()[:2000])

    def accept_invitations(self, user: User) -> None:
        """`user` accepts every co-creator invitation waiting for them (as from /invitations)."""
        from moderation.consent import accept_invitation
        from moderation.models import CoCreatorInvitation

        for invitation in CoCreatorInvitation.objects.filter(pseud__user=user):
            accept_invitation(invitation)

    def make_work(self, author: User | None = None, **overrides: Any) -> Work:
        """Create a posted work through the posting form and actions, without HTTP (for setting up listings)."""
        from django.http import QueryDict

        from works import actions
        from works.forms import WorkForm

        author = author or self.alice
        data = work_form_data(**{"pseuds": [author.default_pseud.pk], **overrides})
        query = QueryDict(mutable=True)
        for key, value in data.items():
            if isinstance(value, list):
                query.setlist(key, [str(v) for v in value])
            else:
                query[key] = str(value)
        form = WorkForm(query, user=author)
        assert form.is_valid(), form.errors
        return actions.create_work(list(form.cleaned_data["pseuds"]), form.cleaned_data, post=data["action"] == "post")


def run_in_parallel(tasks: list[Callable[[], None]]) -> list[BaseException]:
    """Start every task at the same moment, each in a thread with its own database connection;
    returns what they raised (a test asserts it is nothing)."""
    barrier = threading.Barrier(len(tasks))
    errors: list[BaseException] = []

    def run(task: Callable[[], None]) -> None:
        try:
            barrier.wait()
            task()
        except BaseException as error:  # reported by the test, not lost in the thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(task,)) for task in tasks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


class ParallelTestCase(TransactionTestCase):
    """Requests in parallel threads, committed for real, on both databases (SQLite's test
    database is a file, so each thread has its own connection and meets SQLite's locking)."""

    password = BaseTestCase.password

    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        if "local" in settings.CACHES:
            caches["local"].clear()
        if "search" in settings.CACHES:
            caches["search"].clear()
        hits.flush_hits()
        INDEX.reset()
        TAG_NAMES.reset()
        clear_search_index()
        self.alice = create_account("alice", "alice@example.org", self.password)
        self.bob = create_account("bob", "bob@example.org", self.password)

    def client_for(self, user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    def make_work(self, author: User | None = None, **overrides: Any) -> Work:
        return BaseTestCase.make_work(self, author, **overrides)  # type: ignore[arg-type]

    def post_in_parallel(self, requests: list[tuple[Client, str, dict[str, Any]]]) -> list[int]:
        """POST each (client, url, data) at the same moment; the status codes, in order."""
        statuses: list[int] = [0] * len(requests)

        def task(n: int) -> Callable[[], None]:
            def post() -> None:
                client, url, data = requests[n]
                statuses[n] = client.post(url, data).status_code

            return post

        errors = run_in_parallel([task(n) for n in range(len(requests))])
        self.assertEqual(errors, [])
        return statuses
