"""Helpers shared by the comments tests: posting through the HTTP form and reading comment pages."""

import re
from typing import TYPE_CHECKING, Any

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.test import override_settings

from accounts.actions import create_account
from accounts.models import User
from comments.models import Comment
from fanarchive.test import BaseTestCase
from works.models import Chapter, Work

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

_COUNT = re.compile(r'<h2 id="comments-heading">Comments \((\d+)\)</h2>')

GUEST = {"guest_name": "Wanderer", "guest_email": "wanderer@example.net"}


def comments_count_shown(response: "TestResponse") -> int:
    """The N of "Comments (N)" above a page's comments."""
    match = _COUNT.search(response.content.decode())
    assert match is not None, "the page has no comments heading"
    return int(match.group(1))


def email_html(email: EmailMessage) -> tuple[str, str]:
    """The HTML alternative of an email, and its type."""
    assert isinstance(email, EmailMultiAlternatives)
    content, mimetype = email.alternatives[0]
    return str(content), str(mimetype)


# Every test posts from one address; the rate limit has tests of its own (test_rate_limit.py).
@override_settings(COMMENT_RATE_LIMIT=1000)
class CommentsTestCase(BaseTestCase):
    def comment(
        self,
        work: Work,
        content: str = "Loved the lighthouse scene.",
        *,
        user: User | None = None,
        chapter: Chapter | None = None,
        parent: Comment | None = None,
        **extra: Any,
    ) -> "TestResponse":
        """Post a comment through the form, as `user` (a guest when None; log-in state is left as it was)."""
        if user is not None:
            self.login(user)
        data: dict[str, Any] = {"content": content, **extra}
        if parent is not None:
            data["parent_id"] = parent.pk
        elif chapter is not None:
            data["chapter_id"] = chapter.pk
        return self.client.post(f"/works/{work.pk}/comments", data)

    def guest_comment(self, work: Work, content: str = "A guest says hello.", **extra: Any) -> "TestResponse":
        self.client.logout()
        return self.comment(work, content, **{**GUEST, **extra})

    def make_user(self, username: str) -> User:
        return create_account(username, f"{username}@example.org", self.password)

    def last_comment(self) -> Comment:
        comment = Comment.objects.order_by("-id").first()
        assert comment is not None
        return comment

    def first_chapter(self, work: Work) -> Chapter:
        return work.chapters.get(position=1)

    def work_page(self, work: Work, user: User | None = None) -> "TestResponse":
        if user is not None:
            self.login(user)
        else:
            self.client.logout()
        response = self.client.get(work.get_absolute_url())
        assert response.status_code == 200, response.status_code
        return response

    def count_of(self, work: Work) -> int:
        work.refresh_from_db()
        return work.comments_count
