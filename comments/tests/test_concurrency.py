"""Concurrent comments never lose a count: Work.comments_count always equals the published comments."""

from collections.abc import Callable
from typing import cast

from django.core.cache import cache
from django.test import TransactionTestCase, override_settings

from accounts.actions import create_account
from accounts.models import User
from comments import actions
from comments.models import Comment
from fanarchive.test import BaseTestCase, run_in_parallel
from works.filter_index import INDEX
from works.models import Work

THREADS = 8


@override_settings(COMMENT_RATE_LIMIT=1000)
class ConcurrentCommentTests(TransactionTestCase):
    password = BaseTestCase.password

    def setUp(self) -> None:
        cache.clear()
        INDEX.reset()
        self.alice = create_account("alice", "alice@example.org", self.password)
        self.readers = [create_account(f"reader{n}", f"reader{n}@example.org", self.password) for n in range(THREADS)]
        # make_work needs nothing of a TestCase but `alice`.
        self.work = BaseTestCase.make_work(cast(BaseTestCase, self))
        self.chapter = self.work.chapters.get()

    def published(self) -> int:
        return Comment.objects.filter(work=self.work, status=Comment.Status.PUBLISHED).count()

    def counted(self) -> int:
        return Work.objects.get(pk=self.work.pk).comments_count

    def post(self, n: int) -> Callable[[], None]:
        def task() -> None:
            reader = self.readers[n]
            actions.post_comment(self.work, self.chapter, None, reader, None, "", "", f"Comment {n}.", f"ip{n}")

        return task

    def delete(self, comment: Comment, user: User) -> Callable[[], None]:
        def task() -> None:
            actions.delete_comment(comment, user)

        return task

    def test_comments_posted_at_the_same_time_are_all_counted(self):
        errors = run_in_parallel([self.post(n) for n in range(THREADS)])
        self.assertEqual(errors, [])
        self.assertEqual(self.published(), THREADS)
        self.assertEqual(self.counted(), THREADS)

    def test_posting_and_deleting_at_the_same_time_keeps_the_count_right(self):
        for n in range(THREADS):
            self.post(n)()
        existing = list(Comment.objects.filter(work=self.work).order_by("id"))
        # Half the readers delete their comment, each twice at once; the others post another.
        tasks: list[Callable[[], None]] = []
        for n, comment in enumerate(existing):
            if n % 2:
                tasks += [self.delete(comment, self.readers[n])] * 2
            else:
                tasks.append(self.post(n))
        errors = run_in_parallel(tasks)
        self.assertEqual(errors, [])
        self.assertEqual(self.published(), THREADS)
        self.assertEqual(self.counted(), self.published())
