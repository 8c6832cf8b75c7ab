"""Shared set-up for the wrangling tests: staff, wranglers, and posting the tag edit and bulk forms."""

from typing import TYPE_CHECKING, Any

from django.urls import reverse

from accounts.actions import create_account
from accounts.models import User
from fanarchive.test import BaseTestCase
from jobs.queue import run_pending
from tags.models import MetaTagging, Tag, TagParent, WranglerAssignment, tag_name_key
from works.models import Work

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse


class WranglingTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.staff = create_account("sam", "sam@example.org", self.password)
        self.staff.is_staff = True
        self.staff.save(update_fields=["is_staff"])

    def tag(self, name: str) -> Tag:
        return Tag.objects.get(name_key=tag_name_key(name))

    def wrangler(self, username: str, fandom: str | None = None) -> User:
        """A user appointed to wrangle one fandom (made canonical here) or, with none, every fandom."""
        user = User.objects.filter(username=username).first() or create_account(
            username, f"{username}@example.org", self.password
        )
        fandom_tag = None
        if fandom is not None:
            fandom_tag = self.tag(fandom)
            Tag.objects.filter(pk=fandom_tag.pk).update(canonical=True)
            fandom_tag.refresh_from_db()
        WranglerAssignment.objects.create(user=user, fandom=fandom_tag)
        return user

    def set_canonical(self, *names: str) -> None:
        """Set-up shortcut: these tags are canonical (their works' filters are unchanged by it)."""
        Tag.objects.filter(name_key__in=[tag_name_key(n) for n in names]).update(canonical=True)

    def link_parent(self, child: str, parent: str) -> None:
        TagParent.objects.create(child=self.tag(child), parent=self.tag(parent))

    def link_meta(self, sub: str, meta: str) -> None:
        MetaTagging.objects.create(sub_tag=self.tag(sub), meta_tag=self.tag(meta))

    def edit_data(self, tag_name: str, **changes: Any) -> dict[str, Any]:
        """The tag edit form as its page shows it now, with these changes."""
        tag = self.tag(tag_name)
        data: dict[str, Any] = {"name": tag.name, "synonym_of": tag.merger.name if tag.merger else ""}
        if tag.canonical:
            data["canonical"] = "on"
        if tag.unwrangleable:
            data["unwrangleable"] = "on"
        for key, value in changes.items():
            if value is False or value is None:
                data.pop(key, None)
            elif value is True:
                data[key] = "on"
            elif isinstance(value, list):
                data[key] = [self.tag(v).pk if isinstance(v, str) else v for v in value]
            else:
                data[key] = value
        return data

    def edit(self, user: User, tag_name: str, **changes: Any) -> "TestResponse":
        """Post the tag edit page as `user`; a redirect means everything was applied."""
        self.login(user)
        return self.client.post(reverse("tag_edit", args=[tag_name]), self.edit_data(tag_name, **changes))

    def assertEdited(self, user: User, tag_name: str, **changes: Any) -> None:
        response = self.edit(user, tag_name, **changes)
        self.assertEqual(response.status_code, 302, response.content.decode()[:3000])
        # Read the success message, so it doesn't show up on the test's next page.
        self.client.get(response["Location"])

    def assertRefused(self, user: User, tag_name: str, message: str, **changes: Any) -> None:
        """The edit page shows `message` and changes nothing."""
        response = self.edit(user, tag_name, **changes)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, message)
        self.assertContains(response, 'class="form-errors"')

    def bulk(self, user: User, tags: list[str], action: str, target: str = "", **params: str) -> "TestResponse":
        self.login(user)
        data = {"tags": [self.tag(t).pk for t in tags], "action": action, "target": target, **params}
        return self.client.post("/wrangling", data)

    def work_titles(self, tag_name: str, **query: str) -> set[str]:
        """Titles listed on a tag's works page, following a synonym's redirect."""
        self.client.logout()
        response = self.client.get(reverse("tag_works", args=[tag_name]), query, follow=True)
        self.assertEqual(response.status_code, 200)
        page = response.context["listing"].page
        return {work.title for work in page.object_list}

    def run_jobs(self) -> None:
        run_pending()

    def make_work(self, author: User | None = None, **overrides: Any) -> Work:
        """A posted work with only the user-defined tags asked for (besides the form's default fandom)."""
        fields = {"relationships": "", "characters": "", "freeforms": "", **overrides}
        return super().make_work(author, **fields)
