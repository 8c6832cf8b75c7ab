"""Drafts, restricted works and works hidden by staff never reach people who may not see them."""

import re
from typing import Any

from tags.models import Tag
from works.models import Chapter, Series, Work
from works.tests.helpers import WorksTestCase

PUBLIC = "Public Lighthouse"
DRAFT = "Secret Draft Story"
RESTRICTED = "Members Only Story"
HIDDEN = "Hidden Away Story"


def fandom_count(html: str, fandom: str) -> int | None:
    """The number after a fandom on the fandom index, or None if it isn't listed."""
    match = re.search(rf">{re.escape(fandom)}</a> \((\d+)\)", html)
    return int(match.group(1)) if match else None


class ListingVisibilityTests(WorksTestCase):
    """One work of each kind, all by Alice, all sharing the fandom Brightwater and the tag Lanterns."""

    def setUp(self) -> None:
        super().setUp()
        self.public = self.post_work(title=PUBLIC, fandoms="Brightwater", freeforms="Lanterns")
        self.draft = self.post_work(title=DRAFT, fandoms="Brightwater, Draftland", freeforms="Lanterns", action="draft")
        self.restricted = self.post_work(
            title=RESTRICTED, fandoms="Brightwater, Lockwood", freeforms="Lanterns", restricted="on"
        )
        self.hidden = self.post_work(title=HIDDEN, fandoms="Brightwater, Shadowmere", freeforms="Lanterns")
        Work.objects.filter(pk=self.hidden.pk).update(hidden_by_admin=True)

    def assertShowsOnly(self, path: str, titles: set[str], count: int | None = None) -> None:
        response = self.client.get(path)
        self.assertEqual(response.status_code, 200, path)
        for title in {PUBLIC, DRAFT, RESTRICTED, HIDDEN}:
            if title in titles:
                self.assertContains(response, title, msg_prefix=path)
            else:
                self.assertNotContains(response, title, msg_prefix=path)
        if count is not None:
            self.assertListingCount(response, count)

    def test_guests_see_only_public_posted_works_in_every_listing(self):
        self.assertShowsOnly("/works", {PUBLIC}, count=1)
        self.assertShowsOnly("/", {PUBLIC})
        self.assertShowsOnly("/tags/Lanterns/works", {PUBLIC}, count=1)
        self.assertShowsOnly("/tags/Brightwater/works", {PUBLIC}, count=1)
        self.assertShowsOnly("/users/alice", {PUBLIC}, count=1)
        self.assertShowsOnly("/users/alice/pseuds/alice", {PUBLIC}, count=1)

    def test_logged_in_readers_also_see_restricted_works_but_never_drafts_or_hidden_works(self):
        self.login(self.bob)
        self.assertShowsOnly("/works", {PUBLIC, RESTRICTED}, count=2)
        self.assertShowsOnly("/", {PUBLIC, RESTRICTED})
        self.assertShowsOnly("/tags/Lanterns/works", {PUBLIC, RESTRICTED}, count=2)
        self.assertShowsOnly("/tags/Brightwater/works", {PUBLIC, RESTRICTED}, count=2)
        self.assertShowsOnly("/users/alice", {PUBLIC, RESTRICTED}, count=2)
        self.assertShowsOnly("/users/alice/pseuds/alice", {PUBLIC, RESTRICTED}, count=2)

    def test_tag_pages_count_only_works_the_reader_may_see(self):
        self.assertContains(self.client.get("/tags/Lanterns"), "1 work tagged Lanterns")
        # A tag used only where the reader may not look is not shown at all (tags.visibility).
        for name in ["Draftland", "Lockwood", "Shadowmere"]:
            self.assertEqual(self.client.get(f"/tags/{name}").status_code, 404)
            self.assertEqual(self.client.get(f"/tags/{name}/works").status_code, 404)
        self.login(self.bob)
        self.assertContains(self.client.get("/tags/Lanterns"), "2 works tagged Lanterns")
        self.assertContains(self.client.get("/tags/Lockwood"), "1 work tagged Lockwood")
        self.assertEqual(self.client.get("/tags/Draftland").status_code, 404)

    def test_the_fandom_index_lists_a_fandom_only_if_it_has_a_visible_work(self):
        page = self.client.get("/media").content.decode()
        self.assertEqual(fandom_count(page, "Brightwater"), 1)
        for fandom in ["Draftland", "Lockwood", "Shadowmere"]:
            self.assertNotIn(fandom, page)

        self.login(self.bob)
        page = self.client.get("/media").content.decode()
        self.assertEqual(fandom_count(page, "Brightwater"), 2)
        self.assertEqual(fandom_count(page, "Lockwood"), 1)
        self.assertNotIn("Draftland", page)
        self.assertNotIn("Shadowmere", page)

    def test_the_fandom_index_is_empty_when_every_work_is_a_draft(self):
        Work.objects.exclude(pk=self.draft.pk).delete()
        self.assertContains(self.client.get("/media"), "No fandoms yet.")


class SeriesVisibilityTests(WorksTestCase):
    def test_a_series_whose_only_work_is_a_draft_is_404_to_everyone_else(self):
        self.post_work(title=DRAFT, new_series_title="Quiet Saga", action="draft")
        series = Series.objects.get(title="Quiet Saga")
        self.assertEqual(self.client.get(f"/series/{series.pk}").status_code, 404)
        self.login(self.bob)
        self.assertEqual(self.client.get(f"/series/{series.pk}").status_code, 404)

    def test_a_series_whose_only_work_is_restricted_is_404_to_guests_but_shown_to_readers(self):
        self.post_work(title=RESTRICTED, new_series_title="Members Saga", restricted="on")
        series = Series.objects.get(title="Members Saga")
        self.assertEqual(self.client.get(f"/series/{series.pk}").status_code, 404)
        self.login(self.bob)
        self.assertContains(self.client.get(f"/series/{series.pk}"), RESTRICTED)

    def test_a_series_page_lists_and_counts_only_visible_parts(self):
        draft = self.post_work(title=DRAFT, new_series_title="Mixed Saga", action="draft")
        series = Series.objects.get(title="Mixed Saga")
        public = self.post_work(title=PUBLIC, series=str(series.pk))
        hidden = self.post_work(title=HIDDEN, series=str(series.pk))
        Work.objects.filter(pk=hidden.pk).update(hidden_by_admin=True)
        self.post_work(title=RESTRICTED, series=str(series.pk), restricted="on")

        response = self.client.get(f"/series/{series.pk}")
        self.assertContains(response, PUBLIC)
        for title in [DRAFT, HIDDEN, RESTRICTED]:
            self.assertNotContains(response, title)
        self.assertContains(response, "<dt>Works:</dt><dd>1</dd>", html=False)

        # The public part's series navigation neither links to nor counts the draft before it.
        page = self.client.get(f"/works/{public.pk}/").content.decode()
        self.assertIn("Part 1 of", page)
        self.assertNotIn("Previous Work", page)
        self.assertNotIn(f"/works/{draft.pk}/", page)
        self.assertNotIn(f"/works/{hidden.pk}/", page)


class DirectUrlTests(WorksTestCase):
    def test_a_draft_is_404_not_403_to_guests_and_other_users(self):
        draft = self.post_work(title=DRAFT, action="draft")
        chapter = draft.chapters.get()
        paths = [f"/works/{draft.pk}/", f"/works/{draft.pk}/chapters/{chapter.pk}", f"/works/{draft.pk}/navigate"]
        for path in paths:
            with self.subTest(path=path, reader="guest"):
                self.assertEqual(self.client.get(path).status_code, 404)
        self.login(self.bob)
        for path in paths:
            with self.subTest(path=path, reader="bob"):
                self.assertEqual(self.client.get(path).status_code, 404)
        self.login(self.alice)
        for path in paths:
            with self.subTest(path=path, reader="alice"):
                self.assertContains(self.client.get(path), DRAFT)
        self.assertContains(self.client.get(f"/works/{draft.pk}/"), "This work is a draft: only you can see it.")

    def test_a_restricted_work_sends_guests_to_log_in_and_shows_to_logged_in_readers(self):
        work = self.post_work(title=RESTRICTED, restricted="on")
        chapter = work.chapters.get()
        paths = [f"/works/{work.pk}/", f"/works/{work.pk}/chapters/{chapter.pk}", f"/works/{work.pk}/navigate"]
        for path in paths:
            with self.subTest(path=path, reader="guest"):
                self.assertRedirects(self.client.get(path), f"/account/login?next={path}")
        self.login(self.bob)
        for path in paths:
            with self.subTest(path=path, reader="bob"):
                self.assertContains(self.client.get(path), RESTRICTED)
        self.assertContains(self.client.get(f"/works/{work.pk}/"), "The lamp turned all night.")

    def test_a_restricted_work_keeps_the_query_string_in_the_login_redirect(self):
        work = self.post_work(title=RESTRICTED, restricted="on")
        response = self.client.get(f"/works/{work.pk}/?view_full_work=true")
        self.assertRedirects(response, f"/account/login?next=/works/{work.pk}/%3Fview_full_work%3Dtrue")

    def test_a_hidden_work_is_404_to_everyone_but_its_creator_who_sees_a_notice(self):
        work = self.post_work(title=HIDDEN)
        chapter = work.chapters.get()
        Work.objects.filter(pk=work.pk).update(hidden_by_admin=True)
        paths = [f"/works/{work.pk}/", f"/works/{work.pk}/chapters/{chapter.pk}", f"/works/{work.pk}/navigate"]
        for path in paths:
            with self.subTest(path=path, reader="guest"):
                self.assertEqual(self.client.get(path).status_code, 404)
        self.login(self.bob)
        for path in paths:
            with self.subTest(path=path, reader="bob"):
                self.assertEqual(self.client.get(path).status_code, 404)
        self.login(self.alice)
        response = self.client.get(f"/works/{work.pk}/")
        self.assertContains(response, HIDDEN)
        self.assertContains(response, "This work has been hidden by the archive's staff.")
        self.assertContains(response, "The lamp turned all night.")

    def test_a_missing_work_is_404(self):
        self.assertEqual(self.client.get("/works/999999/").status_code, 404)
        self.assertEqual(self.client.get("/works/999999/navigate").status_code, 404)


class DraftChapterTests(WorksTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.work = self.post_work(expected_chapters="3")
        self.first = self.work.chapters.get()
        self.draft = self.add_chapter(
            self.work, "Unfinished words about the lighthouse secret.", title="Secret Chapter", action="draft"
        )

    def test_a_chapter_saved_as_a_draft_is_not_posted(self):
        self.assertFalse(self.draft.posted)
        self.assertEqual(self.draft.position, 2)

    def test_readers_get_404_on_a_draft_chapter(self):
        path = f"/works/{self.work.pk}/chapters/{self.draft.pk}"
        self.assertEqual(self.client.get(path).status_code, 404)
        self.login(self.bob)
        self.assertEqual(self.client.get(path).status_code, 404)

    def test_readers_see_neither_the_draft_chapter_nor_its_words_or_count(self):
        for reader in [None, self.bob]:
            with self.subTest(reader=reader):
                if reader:
                    self.login(reader)
                for path in [f"/works/{self.work.pk}/", f"/works/{self.work.pk}/?view_full_work=true"]:
                    response = self.client.get(path)
                    self.assertContains(response, "The lamp turned all night.")
                    self.assertNotContains(response, "lighthouse secret")
                    self.assertNotContains(response, "Secret Chapter")
                    self.assertNotContains(response, "Next Chapter")
                    self.assertContains(response, "<dt>Words:</dt><dd>14</dd>", html=False)
                    self.assertContains(response, "<dt>Chapters:</dt><dd>1/3</dd>", html=False)
                navigate = self.client.get(f"/works/{self.work.pk}/navigate")
                self.assertContains(navigate, f"/works/{self.work.pk}/chapters/{self.first.pk}")
                self.assertNotContains(navigate, "Secret Chapter")
                self.assertNotContains(navigate, f"/chapters/{self.draft.pk}")
                blurb = self.client.get("/works")
                self.assertContains(blurb, "<dt>Words:</dt><dd>14</dd>", html=False)
                self.assertContains(blurb, "<dt>Chapters:</dt><dd>1/3</dd>", html=False)

    def test_the_draft_chapter_does_not_count_in_the_stored_stats(self):
        self.work.refresh_from_db()
        self.assertEqual(self.work.chapter_count, 1)
        self.assertEqual(self.work.word_count, 14)

    def test_the_creator_sees_the_draft_chapter(self):
        self.login(self.alice)
        response = self.client.get(f"/works/{self.work.pk}/chapters/{self.draft.pk}")
        self.assertContains(response, "lighthouse secret")
        self.assertContains(response, "(Draft)")
        navigate = self.client.get(f"/works/{self.work.pk}/navigate")
        self.assertContains(navigate, "Chapter 2: Secret Chapter")
        self.assertContains(navigate, "(Draft)")

    def test_a_draft_chapter_of_an_adult_work_is_404_not_the_adult_gate(self):
        adult = self.post_work(title="Adult Story", rating="Explicit")
        draft = self.add_chapter(adult, "Unfinished words of an adult chapter.", action="draft")
        path = f"/works/{adult.pk}/chapters/{draft.pk}"
        self.assertEqual(self.client.get(path).status_code, 404)
        self.login(self.bob)
        self.assertEqual(self.client.get(path).status_code, 404)

    def test_posting_the_draft_chapter_makes_it_visible(self):
        self.login(self.alice)
        self.client.post(
            f"/works/{self.work.pk}/chapters/{self.draft.pk}/edit",
            {"chapter_title": "Secret Chapter", "content": "Finished words about the secret.", "action": "post"},
        )
        self.client.logout()
        response = self.client.get(f"/works/{self.work.pk}/chapters/{self.draft.pk}")
        self.assertContains(response, "Finished words about the secret.")
        self.assertContains(response, "<dt>Chapters:</dt><dd>2/3</dd>", html=False)


def snapshot(work: Work) -> dict[str, Any]:
    """Everything a forbidden request could change about a work."""
    work = Work.objects.get(pk=work.pk)
    return {
        "work": (work.title, work.posted, work.summary, work.restricted, work.word_count, work.chapter_count),
        "chapters": list(Chapter.objects.filter(work=work).values_list("pk", "position", "title", "content", "posted")),
        "tags": sorted(work.taggings.values_list("tag_id", flat=True)),
        "creators": sorted(work.creatorships.values_list("pseud_id", flat=True)),
    }


class PermissionTests(WorksTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.work = self.post_work(title=PUBLIC)
        self.add_chapter(self.work, "The second chapter of the public work.", title="Second")
        self.draft = self.post_work(title=DRAFT, action="draft")
        self.add_chapter(self.draft, "The second chapter of the draft.", title="Second")

    def forbidden_requests(self, work: Work) -> list[tuple[str, str, dict[str, Any]]]:
        first, second = work.chapters.order_by("position")
        chapter_data = {
            "chapter_title": "Bob was here",
            "content": "Bob rewrote this chapter entirely.",
            "action": "post",
        }
        return [
            ("get", f"/works/{work.pk}/edit", {}),
            (
                "post",
                f"/works/{work.pk}/edit",
                {
                    "title": "Bob's Title",
                    "rating": "Explicit",
                    "warnings": ["No Archive Warnings Apply"],
                    "fandoms": "Bob Fandom",
                    "summary": "Bob was here.",
                    "notes": "",
                    "endnotes": "",
                    "language": "en",
                    "pseuds": [self.bob.default_pseud.pk],
                    "action": "post",
                },
            ),
            ("get", f"/works/{work.pk}/delete", {}),
            ("post", f"/works/{work.pk}/delete", {}),
            ("get", f"/works/{work.pk}/chapters/new", {}),
            ("post", f"/works/{work.pk}/chapters/new", chapter_data),
            ("get", f"/works/{work.pk}/chapters/{first.pk}/edit", {}),
            ("post", f"/works/{work.pk}/chapters/{first.pk}/edit", chapter_data),
            ("get", f"/works/{work.pk}/chapters/{second.pk}/delete", {}),
            ("post", f"/works/{work.pk}/chapters/{second.pk}/delete", {}),
            ("get", f"/works/{work.pk}/chapters/manage", {}),
            ("post", f"/works/{work.pk}/chapters/manage", {f"position-{first.pk}": 2, f"position-{second.pk}": 1}),
            ("post", f"/works/{work.pk}/post", {}),
        ]

    def assertEveryRequestIs(self, work: Work, status: int) -> None:
        before = snapshot(work)
        for method, path, data in self.forbidden_requests(work):
            with self.subTest(method=method, path=path):
                response = getattr(self.client, method)(path, data)
                self.assertEqual(response.status_code, status)
        self.assertEqual(snapshot(work), before)

    def test_another_user_gets_403_on_every_change_to_a_posted_work_and_nothing_changes(self):
        self.login(self.bob)
        self.assertEveryRequestIs(self.work, 403)

    def test_another_user_gets_404_on_every_change_to_a_draft_and_nothing_changes(self):
        self.login(self.bob)
        self.assertEveryRequestIs(self.draft, 404)
        self.assertFalse(Work.objects.get(pk=self.draft.pk).posted)

    def test_another_user_gets_404_on_every_change_to_a_hidden_work(self):
        Work.objects.filter(pk=self.work.pk).update(hidden_by_admin=True)
        self.login(self.bob)
        self.assertEveryRequestIs(self.work, 404)

    def test_another_user_gets_403_on_every_change_to_a_restricted_work(self):
        Work.objects.filter(pk=self.work.pk).update(restricted=True)
        self.login(self.bob)
        self.assertEveryRequestIs(self.work, 403)

    def test_guests_are_sent_to_log_in_for_every_change_and_nothing_changes(self):
        for work in [self.work, self.draft]:
            before = snapshot(work)
            for method, path, data in self.forbidden_requests(work):
                with self.subTest(method=method, path=path):
                    response = getattr(self.client, method)(path, data)
                    self.assertRedirects(response, f"/account/login?next={path}")
            self.assertEqual(snapshot(work), before)

    def test_no_tags_are_created_by_a_refused_edit(self):
        self.login(self.bob)
        self.assertEveryRequestIs(self.work, 403)
        self.assertFalse(Tag.objects.filter(name="Bob Fandom").exists())

    def test_the_creator_can_do_what_others_cannot(self):
        self.login(self.alice)
        for method, path, _data in self.forbidden_requests(self.work):
            if method == "get":
                with self.subTest(path=path):
                    self.assertEqual(self.client.get(path).status_code, 200)
