"""Helpers shared by the works tests: adding chapters and reading listing pages."""

import re
from typing import TYPE_CHECKING, Any

from accounts.models import User
from fanarchive.test import BaseTestCase
from works.models import Chapter, Work

if TYPE_CHECKING:
    # What the test client returns; the stubs declare it, Django itself does not.
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

_LISTING_COUNT = re.compile(r'<p class="listing-count">\s*(.*?)\s*</p>', re.DOTALL)


def listing_text(response: "TestResponse") -> str:
    """The "1 to 2 of 2 Works" line above a listing of blurbs (with an en dash for "to")."""
    match = _LISTING_COUNT.search(response.content.decode())
    assert match is not None, "the page has no listing count"
    return match.group(1)


class WorksTestCase(BaseTestCase):
    def add_chapter(
        self,
        work: Work,
        content: str,
        title: str = "",
        action: str = "post",
        author: User | None = None,
        **extra: Any,
    ) -> Chapter:
        """Add a chapter through the chapter form as `author` (Alice by default) and return it."""
        author = author or self.alice
        self.login(author)
        data = {"chapter_title": title, "content": content, "action": action, **extra}
        response = self.client.post(f"/works/{work.pk}/chapters/new", data)
        assert response.status_code == 302, response.content.decode()[:3000]
        chapter = work.chapters.order_by("-id").first()
        assert chapter is not None
        self.client.logout()
        return chapter

    def assertListingCount(self, response: "TestResponse", count: int) -> None:
        """The listing says how many works it holds, with the right plural."""
        if count == 0:
            self.assertEqual(listing_text(response), "No works found.")
        else:
            self.assertRegex(listing_text(response), rf"^\d+ – \d+ of {count} Work{'s' if count != 1 else ''}$")
