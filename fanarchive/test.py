"""Shared test base: personas and a valid posting form to vary.

Alice writes works. Bob is another registered reader who may not edit
Alice's works. Guests are the anonymous test client.
"""

from typing import Any

from django.test import TestCase

from accounts.actions import create_account
from accounts.models import User
from works.models import Work


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
        self.alice = create_account("alice", "alice@example.org", self.password)
        self.bob = create_account("bob", "bob@example.org", self.password)

    def login(self, user: User) -> None:
        self.client.force_login(user)

    def post_work(self, author: User | None = None, **overrides: Any) -> Work:
        """Post a work through the form as `author` (Alice by default) and return it."""
        author = author or self.alice
        self.login(author)
        data = work_form_data(pseuds=[author.default_pseud.pk], **overrides)
        response = self.client.post("/works/new", data)
        assert response.status_code == 302, response.content.decode()[:3000]
        work = Work.objects.order_by("-id").first()
        assert work is not None
        self.client.logout()
        return work
