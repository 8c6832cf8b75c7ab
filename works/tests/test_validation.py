"""Posting-form validation: every bad input is refused with a message on the re-rendered form, and nothing is saved.

Limits are AO3's: titles 255 characters, summaries 1,250, notes 5,000, chapter
text 10 to 510,000, tags 150 each and 75 user-defined tags in total.
"""

import re
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.utils import timezone
from django.utils.html import escape

from fanarchive.test import BaseTestCase, work_form_data
from tags.models import Tag, TagType
from works.models import Chapter, Creatorship, SerialWork, Series, Tagging, Work

if TYPE_CHECKING:
    # What the test client returns; the stubs declare it, Django itself does not.
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

_ERROR_SUMMARY = re.compile(r'<div class="form-errors"[^>]*>(.*?)</div>', re.DOTALL)


def error_summary(response: "TestResponse") -> str:
    """The "Sorry! We couldn't save this because:" block at the top of a refused form."""
    match = _ERROR_SUMMARY.search(response.content.decode())
    assert match is not None, "the page shows no form errors"
    return match.group(1)


def database_counts() -> dict[str, int]:
    models: list[Any] = [Work, Chapter, Tag, Tagging, Creatorship, Series, SerialWork]
    return {model.__name__: model.objects.count() for model in models}


class FormValidationTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.login(self.alice)

    def assert_shows_error(self, response: "TestResponse", message: str, field: str | None = None) -> None:
        """The form came back (200) listing `message`, against `field`'s label or for the whole form."""
        self.assertEqual(response.status_code, 200)
        expected = f"{field}</a>: {escape(message)}</li>" if field else f"<li>{escape(message)}</li>"
        self.assertIn(expected, error_summary(response))

    def post_new_work(self, **overrides: Any) -> "TestResponse":
        data = work_form_data(**{"pseuds": [self.alice.default_pseud.pk], **overrides})
        return self.client.post("/works/new", data)

    def assert_new_work_refused(self, message: str, field: str | None = None, **overrides: Any) -> "TestResponse":
        before = database_counts()
        response = self.post_new_work(**overrides)
        self.assert_shows_error(response, message, field)
        self.assertEqual(database_counts(), before)
        return response

    def assert_new_work_accepted(self, **overrides: Any) -> Work:
        response = self.post_new_work(**overrides)
        if response.status_code == 200:
            self.fail(f"the form was refused: {error_summary(response)}")
        self.assertEqual(response.status_code, 302)
        work = Work.objects.order_by("-id").first()
        assert work is not None
        return work

    def post_alice_work(self, **overrides: Any) -> Work:
        """Post a work and stay logged in as Alice (post_work logs out)."""
        work = self.post_work(**overrides)
        self.login(self.alice)
        return work


class RequiredTagTests(FormValidationTestCase):
    def test_it_refuses_a_work_without_a_fandom(self):
        self.assert_new_work_refused("This field is required.", "Fandoms", fandoms="")

    def test_it_refuses_a_fandom_field_of_only_commas_and_spaces(self):
        self.assert_new_work_refused("Add at least one fandom.", "Fandoms", fandoms=" ,  , ")

    def test_it_refuses_a_work_without_a_rating(self):
        self.assert_new_work_refused("Choose a rating.", "Rating", rating="")

    def test_it_refuses_two_ratings_sent_in_one_request(self):
        self.assert_new_work_refused("Choose only one rating.", "Rating", rating=["General Audiences", "Explicit"])

    def test_it_refuses_a_rating_that_is_not_on_the_list(self):
        self.assert_new_work_refused(
            "Select a valid choice. Super Explicit is not one of the available choices.",
            "Rating",
            rating="Super Explicit",
        )

    def test_it_refuses_a_work_without_an_archive_warning(self):
        self.assert_new_work_refused("Choose at least one archive warning.", "Archive Warnings", warnings=None)


class TagValidationTests(FormValidationTestCase):
    def test_it_refuses_more_than_75_tags_in_total(self):
        # 1 fandom + 1 relationship + 2 characters + 72 additional tags = 76.
        freeforms = ", ".join(f"Tag {n}" for n in range(72))
        self.assert_new_work_refused(
            "You have 76 fandom, relationship, character and additional tags; the maximum is 75.",
            freeforms=freeforms,
        )

    def test_it_accepts_exactly_75_tags(self):
        freeforms = ", ".join(f"Tag {n}" for n in range(71))
        work = self.assert_new_work_accepted(freeforms=freeforms)
        user_types = [TagType.FANDOM, TagType.RELATIONSHIP, TagType.CHARACTER, TagType.FREEFORM]
        self.assertEqual(work.tags.filter(type__in=user_types).count(), 75)

    def test_it_refuses_a_tag_over_150_characters(self):
        name = "Long" * 37 + "er!"  # 151 characters
        self.assert_new_work_refused(
            f"“{name[:40]}…” is too long: tags can be at most 150 characters.", "Additional Tags", freeforms=name
        )

    def test_it_accepts_a_tag_of_exactly_150_characters(self):
        name = "Long" * 37 + "er"
        work = self.assert_new_work_accepted(freeforms=name)
        self.assertTrue(work.tags.filter(name=name, type=TagType.FREEFORM).exists())

    def test_it_accepts_a_150_character_tag_that_gets_longer_when_case_folded(self):
        # "ß" case-folds to "ss": the lookup key of this 150-character name is 300 characters.
        name = "Straße " * 20 + "Große Welt"
        self.assertEqual(len(name), 150)
        work = self.assert_new_work_accepted(freeforms=name)
        self.assertTrue(work.tags.filter(name=name, type=TagType.FREEFORM).exists())

    def test_it_refuses_tags_with_forbidden_characters(self):
        for field, label, name, bad in [
            ("fandoms", "Fandoms", "a<b", "<"),
            ("fandoms", "Fandoms", "x*y", "*"),
            ("relationships", "Relationships", "Mara > Jonah", ">"),
            ("characters", "Characters", "Mara {Quill}", "{ }"),
            ("freeforms", "Additional Tags", "2^10", "^"),
            ("freeforms", "Additional Tags", "a=b", "="),
            ("freeforms", "Additional Tags", "`code`", "`"),
            ("freeforms", "Additional Tags", "back\\slash", "\\"),
            ("freeforms", "Additional Tags", "100% fluff", "%"),
        ]:
            with self.subTest(name=name):
                self.assert_new_work_refused(
                    f"“{name}” contains characters tags can't have: {bad}", label, **{field: name}
                )

    def test_it_names_every_bad_tag_in_a_field(self):
        response = self.assert_new_work_refused(
            "“a<b” contains characters tags can't have: <", "Fandoms", fandoms="Tidewater (TV), a<b, x*y"
        )
        self.assert_shows_error(response, "“x*y” contains characters tags can't have: *", "Fandoms")

    def test_it_refuses_a_tag_name_that_already_exists_as_another_type(self):
        self.post_alice_work()  # "Tidewater (TV)" is now a fandom
        for name in ["Tidewater (TV)", "tidewater (tv)"]:
            with self.subTest(name=name):
                self.assert_new_work_refused(
                    "“Tidewater (TV)” is already a Fandom tag, so it can't be used as a Character tag.",
                    "Characters",
                    title="Second",
                    characters=name,
                )

    def test_it_refuses_a_fixed_tag_name_as_an_additional_tag(self):
        before = database_counts()
        response = self.post_new_work(freeforms="Gen")
        self.assertEqual(response.status_code, 200)
        self.assertIn(escape("“Gen” is already a Category tag"), error_summary(response))
        self.assertEqual(database_counts(), before)

    def test_it_refuses_the_same_new_tag_name_in_two_tag_fields(self):
        # Neither tag exists yet, so each field passes the "already another type"
        # check on its own; the two must still not both be created.
        before = database_counts()
        response = self.post_new_work(fandoms="Tidewater Nights", characters="Mara Quill, tidewater nights")
        self.assertEqual(response.status_code, 200)
        self.assertIn("tidewater nights", error_summary(response).casefold())
        self.assertEqual(database_counts(), before)

    def test_tag_fields_tidy_whitespace_and_drop_case_insensitive_duplicates(self):
        work = self.assert_new_work_accepted(freeforms="Fluff, fluff ,  Angst,   Slow    Burn  ,ANGST")
        names = sorted(work.tags.filter(type=TagType.FREEFORM).values_list("name", flat=True))
        self.assertEqual(names, ["Angst", "Fluff", "Slow Burn"])
        self.assertEqual(Tag.objects.filter(type=TagType.FREEFORM).count(), 3)

    def test_a_tag_name_in_different_case_reuses_the_existing_tag(self):
        first = self.post_alice_work(freeforms="Found Family")
        tag = first.tags.get(name="Found Family")
        second = self.assert_new_work_accepted(title="Second", fandoms="TIDEWATER (tv)", freeforms="found FAMILY")
        self.assertEqual(Tag.objects.filter(name_key="found family").count(), 1)
        self.assertEqual(Tag.objects.filter(name_key="tidewater (tv)").count(), 1)
        self.assertIn(tag, second.tags.all())
        self.assertEqual(second.tags.get(type=TagType.FANDOM).name, "Tidewater (TV)")

    def test_it_refuses_null_characters_in_tags_and_titles(self):
        self.assert_new_work_refused("Null characters are not allowed.", "Title", title="Light\x00house")
        self.assert_new_work_refused("Null characters are not allowed.", "Additional Tags", freeforms="Flu\x00ff")


class ChapterTextTests(FormValidationTestCase):
    def test_it_refuses_empty_chapter_text(self):
        self.assert_new_work_refused("The chapter text can't be empty.", "Work Text", content="")

    def test_it_refuses_whitespace_only_chapter_text(self):
        self.assert_new_work_refused("The chapter text can't be empty.", "Work Text", content="  \r\n\t \r\n  ")

    def test_it_refuses_chapter_text_under_10_characters(self):
        self.assert_new_work_refused(
            "The chapter text must be at least 10 characters long.", "Work Text", content="Too short"
        )

    def test_it_refuses_chapter_text_that_is_only_markup(self):
        self.assert_new_work_refused(
            "The chapter text must be at least 10 characters long.",
            "Work Text",
            content="<p>   </p><script>alert('a long enough script')</script><p>&nbsp;</p>",
        )

    def test_it_accepts_chapter_text_of_exactly_10_characters(self):
        work = self.assert_new_work_accepted(content="Ten chars!")
        self.assertEqual(work.chapters.get().content, "<p>Ten chars!</p>")

    def test_it_refuses_chapter_text_over_510000_characters(self):
        self.assert_new_work_refused(
            "Ensure this value has at most 510000 characters (it has 510001).",
            "Work Text",
            content="word " * 102_000 + "!",
        )

    def test_it_accepts_a_510000_character_chapter_in_chinese_posted_as_a_browser_would(self):
        # The posting form has no enctype, so browsers send it urlencoded:
        # nine bytes for each Chinese character.
        sentence = "灯塔的光整夜都在转动，海面平静。"
        content = (sentence * (510_000 // len(sentence) + 1))[:510_000]
        data = work_form_data(pseuds=[self.alice.default_pseud.pk], content=content)
        response = self.client.post(
            "/works/new", urlencode(data, doseq=True), content_type="application/x-www-form-urlencoded"
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(len(Chapter.objects.get().content), len("<p></p>") + 510_000)


class LengthLimitTests(FormValidationTestCase):
    def test_it_refuses_a_summary_over_1250_characters(self):
        self.assert_new_work_refused(
            "Ensure this value has at most 1250 characters (it has 1251).", "Summary", summary="s" * 1251
        )

    def test_it_accepts_a_summary_of_exactly_1250_characters(self):
        work = self.assert_new_work_accepted(summary="s" * 1250)
        self.assertEqual(work.summary, "<p>" + "s" * 1250 + "</p>")

    def test_it_counts_each_line_break_in_a_summary_once(self):
        # The textarea's maxlength lets a reader type 1,250 characters counting
        # each line break as one; the browser then sends each as CR LF.
        summary = "\n\n".join(["s" * 248] * 4 + ["s" * 250])
        self.assertEqual(len(summary), 1250)
        work = self.assert_new_work_accepted(summary=summary.replace("\n", "\r\n"))
        self.assertEqual(work.summary.count("<p>"), 5)

    def test_it_refuses_notes_over_5000_characters(self):
        self.assert_new_work_refused(
            "Ensure this value has at most 5000 characters (it has 5001).", "Notes (at the beginning)", notes="n" * 5001
        )

    def test_it_refuses_end_notes_over_5000_characters(self):
        self.assert_new_work_refused(
            "Ensure this value has at most 5000 characters (it has 5001).", "End Notes", endnotes="e" * 5001
        )

    def test_it_accepts_notes_and_end_notes_of_exactly_5000_characters(self):
        work = self.assert_new_work_accepted(notes="n" * 5000, endnotes="e" * 5000)
        self.assertEqual(work.notes, "<p>" + "n" * 5000 + "</p>")
        self.assertEqual(work.endnotes, "<p>" + "e" * 5000 + "</p>")

    def test_it_refuses_a_work_without_a_title(self):
        for title in [None, "", "   "]:
            with self.subTest(title=title):
                self.assert_new_work_refused("This field is required.", "Title", title=title)

    def test_it_refuses_a_title_over_255_characters(self):
        self.assert_new_work_refused(
            "Ensure this value has at most 255 characters (it has 256).", "Title", title="T" * 256
        )

    def test_it_accepts_a_title_of_exactly_255_characters(self):
        work = self.assert_new_work_accepted(title="T" * 255)
        self.assertEqual(work.title, "T" * 255)

    def test_it_refuses_a_chapter_title_over_255_characters(self):
        self.assert_new_work_refused(
            "Ensure this value has at most 255 characters (it has 256).", "Chapter Title", chapter_title="C" * 256
        )

    def test_it_refuses_a_new_series_title_over_255_characters(self):
        self.assert_new_work_refused(
            "Ensure this value has at most 255 characters (it has 256).",
            "Or create a new series",
            new_series_title="S" * 256,
        )


class CreatorTests(FormValidationTestCase):
    def test_it_refuses_an_unknown_co_creator(self):
        self.assert_new_work_refused(
            "There is no user or pseud called “nobody”.", "Add co-creators", co_creators="bob, nobody"
        )

    def test_it_refuses_an_unknown_pseud_of_a_known_user(self):
        self.assert_new_work_refused(
            "There is no user or pseud called “Ghost (bob)”.", "Add co-creators", co_creators="Ghost (bob)"
        )

    def test_it_refuses_your_own_pseud_as_a_co_creator(self):
        self.assert_new_work_refused(
            "“alice” is one of your own pseuds: tick it under Creator/Pseud(s).", "Add co-creators", co_creators="alice"
        )

    def test_it_refuses_a_work_with_no_pseud_ticked(self):
        self.assert_new_work_refused("Choose at least one of your pseuds.", "Creator/Pseud(s)", pseuds=[])

    def test_it_refuses_someone_elses_pseud_as_your_own(self):
        bob_pseud = self.bob.default_pseud.pk
        self.assert_new_work_refused(
            f"Select a valid choice. {bob_pseud} is not one of the available choices.",
            "Creator/Pseud(s)",
            pseuds=[bob_pseud],
        )


class DateChapterAndSeriesTests(FormValidationTestCase):
    def test_it_refuses_backdating_without_a_date(self):
        self.assert_new_work_refused(
            "Give the publication date, or untick the backdating box.", "Publication date", backdate="on"
        )

    def test_it_refuses_a_backdate_in_the_future(self):
        tomorrow = timezone.localdate() + timedelta(days=1)
        self.assert_new_work_refused(
            "The publication date can't be in the future.",
            "Publication date",
            backdate="on",
            published_at=tomorrow.isoformat(),
        )

    def test_it_refuses_a_backdate_that_is_not_a_date(self):
        self.assert_new_work_refused(
            "Enter a valid date.", "Publication date", backdate="on", published_at="2015-02-30"
        )

    def test_it_accepts_todays_date_as_a_backdate(self):
        today = timezone.localdate()
        work = self.assert_new_work_accepted(backdate="on", published_at=today.isoformat())
        self.assertEqual(work.published_at, today)

    def test_it_refuses_zero_expected_chapters(self):
        self.assert_new_work_refused(
            "Ensure this value is greater than or equal to 1.", "Expected number of chapters", expected_chapters="0"
        )

    def test_it_refuses_expected_chapters_that_are_not_a_number(self):
        self.assert_new_work_refused("Enter a whole number.", "Expected number of chapters", expected_chapters="two")

    def test_it_refuses_an_existing_series_and_a_new_series_title_together(self):
        first = self.post_alice_work(new_series_title="Tidewater Tales")
        series = first.serial_works.get().series
        self.assert_new_work_refused(
            "Choose an existing series or name a new one, not both.",
            "Or create a new series",
            title="Second",
            series=str(series.pk),
            new_series_title="Another Saga",
        )
        self.assertFalse(Series.objects.filter(title="Another Saga").exists())

    def test_it_refuses_someone_elses_series(self):
        bobs = self.post_work(author=self.bob, new_series_title="Bob's Saga").serial_works.get().series
        self.login(self.alice)
        self.assert_new_work_refused(
            "Select a valid choice. That choice is not one of the available choices.",
            "Add to series",
            series=str(bobs.pk),
        )

    def test_it_refuses_an_unknown_language(self):
        self.assert_new_work_refused(
            "Select a valid choice. xx is not one of the available choices.", "Language", language="xx"
        )


class EditFormValidationTests(FormValidationTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.work = self.post_alice_work(summary="The original summary.")

    def edit(self, **overrides: Any) -> "TestResponse":
        defaults = {"pseuds": [self.alice.default_pseud.pk], "summary": "The original summary."}
        data = work_form_data(**{**defaults, **overrides})
        data["action"] = "save"
        return self.client.post(f"/works/{self.work.pk}/edit", data)

    def assert_work_unchanged(self) -> None:
        fresh = Work.objects.get(pk=self.work.pk)
        self.assertEqual(fresh.title, "The Lighthouse Keeper")
        self.assertEqual(fresh.summary, "<p>The original summary.</p>")
        self.assertEqual(
            sorted(fresh.tags.filter(type=TagType.CHARACTER).values_list("name", flat=True)),
            ["Jonah Reyes", "Mara Quill"],
        )
        self.assertTrue(fresh.chapters.get().content.startswith("<p>The lamp turned all night.</p>"))

    def assert_edit_refused(self, message: str, field: str | None = None, **overrides: Any) -> None:
        before = database_counts()
        response = self.edit(**overrides)
        self.assert_shows_error(response, message, field)
        self.assertContains(response, "Edit “The Lighthouse Keeper”")
        self.assertEqual(database_counts(), before)
        self.assert_work_unchanged()

    def test_editing_refuses_an_empty_title_and_changes_nothing(self):
        self.assert_edit_refused("This field is required.", "Title", title="", characters="Ida Fenn")

    def test_editing_refuses_a_tag_of_another_type_and_changes_nothing(self):
        self.assert_edit_refused(
            "“Tidewater (TV)” is already a Fandom tag, so it can't be used as a Character tag.",
            "Characters",
            title="A New Title",
            characters="Ida Fenn, Tidewater (TV)",
        )

    def test_editing_refuses_short_chapter_text_and_changes_nothing(self):
        self.assert_edit_refused(
            "The chapter text must be at least 10 characters long.",
            "Work Text",
            title="A New Title",
            content="Short.",
        )

    def test_editing_refuses_an_oversize_summary_and_changes_nothing(self):
        self.assert_edit_refused(
            "Ensure this value has at most 1250 characters (it has 1251).",
            "Summary",
            title="A New Title",
            summary="s" * 1251,
        )

    def test_editing_refuses_an_existing_series_and_a_new_one_together(self):
        other = self.post_alice_work(title="Other", new_series_title="Saga")
        series = other.serial_works.get().series
        self.assert_edit_refused(
            "Choose an existing series or name a new one, not both.",
            "Or create a new series",
            series=str(series.pk),
            new_series_title="Another Saga",
        )
        self.assertFalse(self.work.serial_works.exists())


class ChapterFormValidationTests(FormValidationTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.work = self.post_alice_work()
        self.chapter = self.work.chapters.get()

    def assert_chapter_refused(self, message: str, field: str, **data: Any) -> None:
        before = database_counts()
        response = self.client.post(f"/works/{self.work.pk}/chapters/new", {"action": "post", **data})
        self.assert_shows_error(response, message, field)
        self.assertContains(response, "New chapter of")
        self.assertEqual(database_counts(), before)

    def test_a_new_chapter_needs_text(self):
        self.assert_chapter_refused("The chapter text can't be empty.", "Work Text", content="")

    def test_a_new_chapter_refuses_whitespace_only_text(self):
        self.assert_chapter_refused("The chapter text can't be empty.", "Work Text", content=" \r\n \t ")

    def test_a_new_chapter_refuses_text_under_10_characters(self):
        self.assert_chapter_refused(
            "The chapter text must be at least 10 characters long.", "Work Text", content="<p>Tiny.</p>"
        )

    def test_a_new_chapter_refuses_oversize_summary_and_notes(self):
        long_enough = "The second night was calmer."
        self.assert_chapter_refused(
            "Ensure this value has at most 1250 characters (it has 1251).",
            "Chapter Summary",
            content=long_enough,
            chapter_summary="s" * 1251,
        )
        self.assert_chapter_refused(
            "Ensure this value has at most 5000 characters (it has 5001).",
            "Chapter Notes (at the beginning)",
            content=long_enough,
            chapter_notes="n" * 5001,
        )
        self.assert_chapter_refused(
            "Ensure this value has at most 5000 characters (it has 5001).",
            "Chapter End Notes",
            content=long_enough,
            chapter_endnotes="e" * 5001,
        )
        self.assert_chapter_refused(
            "Ensure this value has at most 255 characters (it has 256).",
            "Chapter Title",
            content=long_enough,
            chapter_title="C" * 256,
        )

    def test_editing_a_chapter_refuses_short_text_and_keeps_the_old_text(self):
        old_content = self.chapter.content
        response = self.client.post(
            f"/works/{self.work.pk}/chapters/{self.chapter.pk}/edit",
            {"action": "save", "chapter_title": "Renamed", "content": "Tiny."},
        )
        self.assert_shows_error(response, "The chapter text must be at least 10 characters long.", "Work Text")
        self.chapter.refresh_from_db()
        self.assertEqual(self.chapter.content, old_content)
        self.assertEqual(self.chapter.title, "")
