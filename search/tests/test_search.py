"""Full-text search through the HTTP client, with the index written as the job worker writes it."""

import re
from io import StringIO
from typing import TYPE_CHECKING

from django.core.management import call_command
from django.utils import timezone

from accounts.actions import exclude_tags
from accounts.models import User
from community.actions import mute_user, unmute_user
from fanarchive.test import BaseTestCase
from search import engine
from search.models import SearchUpdate
from tags.models import Tag
from tags.tests.helpers import WranglingTestCase
from works.actions import refresh_work_stats
from works.models import Work

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

STORY = (
    "The lamp turned all night over the harbour.\n\n"
    "“You kept it burning,” Mara said, and Jonah laughed at the storm.\n\n"
    "In the morning the sea was flat and grey, and the cafés on the quay were running late."
)


def result_titles(response: "TestResponse") -> list[str]:
    """The titles of the blurbs on a results page, in order."""
    blurb_title = r'<li class="blurb\b.*?<a href="/works/\d+/"[^>]*>([^<]+)</a>'
    return re.findall(blurb_title, response.content.decode(), re.DOTALL)


class SearchTestCase(BaseTestCase):
    def search(self, query: str = "", **params: str) -> list[str]:
        response = self.client.get("/search/", {"q": query, **params})
        self.assertEqual(response.status_code, 200)
        return result_titles(response)


class FindingTests(SearchTestCase):
    def test_a_posted_work_is_found_by_a_line_of_its_text_once_indexed(self):
        work = self.post_work(title="The Lighthouse Keeper", content=STORY)
        self.assertEqual(self.search('"kept it burning"'), [], "nothing is found before the worker runs")
        self.assertEqual(self.index_search(), 1)
        self.assertEqual(self.search('"kept it burning"'), ["The Lighthouse Keeper"])
        response = self.client.get("/search/", {"q": '"kept it burning"'})
        chapter = work.chapters.get()
        # The snippet marks the words and links to the chapter's paragraph, which has that id.
        self.assertContains(response, "<mark>kept</mark> <mark>it</mark> <mark>burning</mark>")
        self.assertContains(response, f'href="/works/{work.pk}/chapters/{chapter.pk}#c1p2"')
        self.assertContains(self.client.get(f"/works/{work.pk}/chapters/{chapter.pk}"), '<p id="c1p2">')

    def test_a_match_deep_in_a_long_chapter_links_to_its_paragraph(self):
        paragraphs = [f"Paragraph {n} of the voyage, with waves and gulls and rope." for n in range(1, 401)]
        paragraphs[311] = "Here the albatross finally landed on the mast."
        work = self.post_work(title="The Long Voyage", content="\n\n".join(paragraphs))
        self.index_search()
        response = self.client.get("/search/", {"q": '"albatross finally landed"'})
        chapter = work.chapters.get()
        self.assertContains(response, f'href="/works/{work.pk}/chapters/{chapter.pk}#c1p312"')
        self.assertContains(response, "<mark>albatross</mark> <mark>finally</mark> <mark>landed</mark>")
        self.assertContains(self.client.get(chapter.get_absolute_url()), '<p id="c1p312">Here the albatross')

    def test_a_passage_comes_from_the_first_chapter_that_has_one(self):
        first_only = self.post_work(title="Early", content="The cormorant dived at once.\n\nThen rain.")
        later = self.post_work(title="Late", content="Fog all morning.\n\nNothing moved.", expected_chapters="3")
        self.login(self.alice)
        draft = self.client.post(
            f"/works/{later.pk}/chapters/new",
            {"chapter_title": "Unposted", "content": "A cormorant in a draft.", "action": "save"},
        )
        self.assertEqual(draft.status_code, 302)
        posted = self.client.post(
            f"/works/{later.pk}/chapters/new",
            {"chapter_title": "Birds", "content": "Calm.\n\nA cormorant at last.", "action": "post"},
        )
        self.assertEqual(posted.status_code, 302, posted.content.decode()[:2000])
        self.index_search()
        response = self.client.get("/search/", {"q": "cormorant"})
        early_chapter = first_only.chapters.get()
        birds = later.chapters.get(title="Birds")
        self.assertContains(response, f'href="/works/{first_only.pk}/chapters/{early_chapter.pk}#c1p1"')
        self.assertContains(response, f'href="/works/{later.pk}/chapters/{birds.pk}#c{birds.position}p2"')
        self.assertNotContains(response, "in a draft")

    def test_each_work_quotes_the_first_of_its_chapters_that_has_a_passage(self):
        # Works whose passage is in chapter 2, 3 (after a draft) and 6, and one whose only match is
        # accented as the query is not ("Pétrel" for "petrel": found by reading whole chapters).
        fog, rain = "Fog all morning.", "Rain all afternoon."
        second = self.work_with_chapters("Second", [fog, "Calm at noon.\n\nThe petrel came back."])
        third = self.work_with_chapters("Third", [fog, rain, "Wind.\n\nA petrel, then two."], draft_before=3)
        sixth = self.work_with_chapters("Sixth", [fog] * 5 + ["Ice at dusk.\n\nSnow.\n\nThe last petrel."])
        accented = self.work_with_chapters("Accented", [fog, rain, "Thé au Café Pétrel, à Brest."])
        self.index_search()
        response = self.client.get("/search/", {"q": "petrel"})
        for work, paragraph in ((second, 2), (third, 2), (sixth, 3), (accented, 1)):
            chapter = work.chapters.filter(posted=True).last()  # where each work's match is
            assert chapter is not None
            link = f'href="/works/{work.pk}/chapters/{chapter.pk}#c{chapter.position}p{paragraph}"'
            self.assertContains(response, link)
        self.assertContains(response, "<q>The <mark>petrel</mark> came back …</q>")
        self.assertContains(response, "<q>A <mark>petrel</mark>, then two …</q>")
        self.assertContains(response, "<q>The last <mark>petrel</mark> …</q>")
        self.assertContains(response, "<q>Thé au Café <mark>Pétrel</mark>, à Brest …</q>")
        self.assertNotContains(response, "in a draft")

    def work_with_chapters(self, title: str, contents: list[str], draft_before: int = 0) -> Work:
        """A work of these posted chapters (with a draft chapter before the `draft_before`-th)."""
        work = self.post_work(title=title, content=contents[0], expected_chapters=str(len(contents) + 1))
        self.login(self.alice)
        for number, content in enumerate(contents[1:], start=2):
            if number == draft_before:
                self.add_chapter(work, "A petrel in a draft.", action="save")
            self.add_chapter(work, content, action="post")
        self.client.logout()
        return work

    def add_chapter(self, work: Work, content: str, *, action: str) -> None:
        response = self.client.post(
            f"/works/{work.pk}/chapters/new", {"chapter_title": "", "content": content, "action": action}
        )
        self.assertEqual(response.status_code, 302, response.content.decode()[:2000])

    def test_passages_are_quoted_from_the_fields_that_matched_and_only_those(self):
        self.post_work(
            title="Heron at Dusk",
            summary="A quiet evening.",
            freeforms="Herons, Fluff",
            notes="<p>Written for a heron fan.</p>",
            content="Nothing here.\n\nThe heron waited by the water.",
        )
        self.post_work(title="Harbour", summary="A heron and a gull.", content="Nothing but the sea.")
        self.index_search()
        page = self.client.get("/search/", {"q": "heron"}).content.decode()
        passages = dict(re.findall(r'<li class="snippet snippet-(\w+)">.*?<q>(.*?)</q>', page, re.DOTALL))
        blurbs = page.split('<li class="blurb')
        first = next(b for b in blurbs if "Heron at Dusk" in b)
        second = next(b for b in blurbs if ">Harbour<" in b)
        self.assertEqual(re.findall(r"snippet snippet-(\w+)", first), ["title", "tags", "notes", "text"])
        self.assertEqual(re.findall(r"snippet snippet-(\w+)", second), ["summary"])
        self.assertIn("<mark>Heron</mark> at Dusk", passages["title"])
        self.assertIn("The <mark>heron</mark> waited", passages["text"])
        # A phrase is quoted only where it is whole.
        page = self.client.get("/search/", {"q": '"heron waited"'}).content.decode()
        self.assertEqual(re.findall(r"snippet snippet-(\w+)", page), ["text"])

    def test_every_word_must_match_somewhere(self):
        self.post_work(title="Harbour Lights", content=STORY)
        self.post_work(title="Dry Land", content="Nothing but fields and a barn.\n\nA long quiet summer.")
        self.index_search()
        self.assertEqual(self.search("harbour storm"), ["Harbour Lights"])
        self.assertEqual(self.search("harbour barn"), [])
        # Words may come from different fields: one from the title, one from the text.
        self.assertEqual(self.search("dry barn"), ["Dry Land"])

    def test_phrases_exclusions_or_and_fields(self):
        self.post_work(title="Harbour Lights", content=STORY, summary="A storm and a lamp.")
        self.post_work(
            title="Storm Season",
            content="The storm came in from the west.\n\nNobody laughed.",
            freeforms="Slow Burn, Angst",
            summary="Weather.",
            notes="Written for a friend who loves lighthouses.",
        )
        self.index_search()
        self.assertEqual(self.search('"laughed at the storm"'), ["Harbour Lights"])
        self.assertEqual(self.search('"storm at the laughed"'), [])
        self.assertEqual(self.search("storm -harbour"), ["Storm Season"])
        self.assertEqual(sorted(self.search("barn OR grey")), ["Harbour Lights"])
        self.assertEqual(sorted(self.search("quay OR west")), ["Harbour Lights", "Storm Season"])
        self.assertEqual(self.search("title:storm"), ["Storm Season"])
        self.assertEqual(self.search("summary:lamp"), ["Harbour Lights"])
        self.assertEqual(self.search("notes:lighthouses"), ["Storm Season"])
        self.assertEqual(self.search('tag:"slow burn"'), ["Storm Season"])
        self.assertEqual(self.search("text:harbour"), ["Harbour Lights"])
        self.assertEqual(sorted(self.search("creator:alice")), ["Harbour Lights", "Storm Season"])
        self.assertEqual(self.search("creator:bob"), [])

    def test_best_match_ranks_a_title_match_above_a_passing_mention(self):
        self.post_work(title="Fields", content="A word about lanterns, once.\n\nThen fields, fields, fields.")
        self.post_work(title="Lanterns", content="Nothing else here at all.\n\nJust a night.")
        self.index_search()
        self.assertEqual(self.search("lanterns"), ["Lanterns", "Fields"])

    def test_accents_case_and_english_stems_do_not_matter(self):
        self.post_work(title="Harbour Lights", content=STORY)
        self.index_search()
        self.assertEqual(self.search("CAFE"), ["Harbour Lights"])
        self.assertEqual(self.search("runs"), ["Harbour Lights"])
        self.assertEqual(self.search("laugh"), ["Harbour Lights"])

    def test_works_in_other_scripts_are_found_ignoring_case(self):
        self.post_work(title="Зима", language="ru", content="Над городом ШЁЛ снег.\n\nНикто не спал.")
        self.post_work(title="ليل", language="ar", content="كان البحر هادئا في الليل.\n\nلم ينم أحد.")
        self.index_search()
        self.assertEqual(self.search("шёл"), ["Зима"])
        self.assertEqual(self.search('"никто не спал"'), ["Зима"])
        self.assertEqual(self.search("البحر"), ["ليل"])

    def test_chinese_and_japanese_text_is_searchable_without_spaces(self):
        self.post_work(
            title="東京の夜", language="ja", content="私は東京に住んでいます。\n\n夜の海はとても静かでした。"
        )
        self.index_search()
        self.assertEqual(self.search("東京"), ["東京の夜"])
        self.assertEqual(self.search("静か"), ["東京の夜"])
        self.assertEqual(self.search("京東"), [], "the characters must be next to each other, in order")
        response = self.client.get("/search/", {"q": "静か"})
        self.assertContains(response, "<mark>静</mark><mark>か</mark>でした")
        self.assertNotContains(response, "\u200b")

    def test_an_edit_and_a_deletion_reach_search_at_the_next_worker_pass(self):
        work = self.post_work(title="Harbour Lights", content=STORY)
        self.index_search()
        self.login(self.alice)
        chapter = work.chapters.get()
        self.edit_chapter(chapter, "An entirely new story about otters.")
        self.index_search()
        self.assertEqual(self.search("otters"), ["Harbour Lights"])
        self.assertEqual(self.search("laughed"), [])
        self.client.post(f"/works/{work.pk}/delete")
        self.assertFalse(Work.objects.filter(pk=work.pk).exists())
        self.index_search()
        self.assertEqual(self.search("otters"), [])
        self.assertEqual(engine.searcher().num_docs, 0)


class VisibilityTests(SearchTestCase):
    def test_drafts_hidden_and_restricted_works_are_never_found_counted_or_quoted(self):
        self.post_work(title="Open Harbour", content=STORY)
        self.post_work(title="Draft Harbour", content=STORY, action="save")
        self.post_work(title="Members Harbour", content=STORY, restricted="on")
        hidden = self.post_work(title="Hidden Harbour", content=STORY)
        Work.objects.filter(pk=hidden.pk).update(hidden_by_admin=True)
        refresh_work_stats(Work.objects.get(pk=hidden.pk))  # what the admin's save does
        self.index_search()
        response = self.client.get("/search/", {"q": "harbour"})
        self.assertEqual(result_titles(response), ["Open Harbour"])
        self.assertContains(response, "1 – 1 of 1 Work found")
        self.assertNotContains(response, "Members Harbour")
        self.login(self.bob)
        self.assertEqual(sorted(self.search("harbour")), ["Members Harbour", "Open Harbour"])
        self.assertEqual(engine.searcher().num_docs, 2)

    def test_the_database_decides_for_a_work_restricted_since_it_was_indexed(self):
        self.post_work(title="Open Harbour", content=STORY)
        lately = self.post_work(title="Café Harbour", content=STORY)
        self.index_search()
        # The index has not heard yet: the page still loads the work as this reader may see it.
        Work.objects.filter(pk=lately.pk).update(restricted=True)
        self.assertEqual(self.search("harbour"), ["Open Harbour"])
        self.login(self.bob)
        self.assertEqual(sorted(self.search("harbour")), ["Café Harbour", "Open Harbour"])
        self.client.logout()
        self.assertEqual(self.search("harbour"), ["Open Harbour"])

    def test_muted_creators_and_excluded_tags_are_left_out(self):
        self.post_work(title="Alice Harbour", content=STORY)
        self.post_work(author=self.bob, title="Bob Harbour", content=STORY, freeforms="Angst")
        self.index_search()
        viewer = self.make_viewer()
        self.login(viewer)
        self.assertEqual(sorted(self.search("harbour")), ["Alice Harbour", "Bob Harbour"])
        mute_user(viewer, self.bob)
        self.assertEqual(self.search("harbour"), ["Alice Harbour"])
        unmute_user(viewer, self.bob)
        exclude_tags(viewer, [Tag.objects.get(name="Angst").pk])
        self.assertEqual(self.search("harbour"), ["Alice Harbour"])
        self.assertEqual(sorted(self.search("harbour", exclusions="off")), ["Alice Harbour", "Bob Harbour"])

    def make_viewer(self) -> User:
        from accounts.actions import create_account

        return create_account("carol", "carol@example.org", self.password)


def blurb_counts(response: "TestResponse") -> tuple[int, int]:
    """The Comments: and Bookmarks: figures of the only blurb on a page (0 when not shown)."""
    page = response.content.decode()
    comments = re.search(r"Comments:</dt>\s*<dd>(\d+)", page)
    bookmarks = re.search(r"Bookmarks:</dt>\s*<dd>(?:<a [^>]*>)?(\d+)", page)
    return int(comments.group(1)) if comments else 0, int(bookmarks.group(1)) if bookmarks else 0


class MutedCountsTests(SearchTestCase):
    def test_blurb_counts_leave_out_muted_users_comments_and_bookmarks_as_listings_do(self):
        from accounts.actions import create_account

        work = self.post_work(title="Harbour Lights", content=STORY)
        carol = create_account("carol", "carol@example.org", self.password)
        for user in (carol, self.bob):
            self.login(user)
            self.client.post(f"/works/{work.pk}/comments", {"content": f"{user.username} loved the lamp."})
            self.client.post(
                f"/works/{work.pk}/bookmarks/new", {"pseud": user.default_pseud.pk, "notes": f"{user.username}'s rec"}
            )
        self.index_search()
        self.client.logout()
        self.assertEqual(blurb_counts(self.client.get("/works")), (2, 2))
        self.assertEqual(blurb_counts(self.client.get("/search/", {"q": "harbour"})), (2, 2))
        mute_user(self.bob, carol)
        self.login(self.bob)
        self.assertEqual(blurb_counts(self.client.get("/works")), (1, 1))
        self.assertEqual(blurb_counts(self.client.get("/search/", {"q": "harbour"})), (1, 1))
        # Nobody else's counts change.
        self.login(self.alice)
        self.assertEqual(blurb_counts(self.client.get("/search/", {"q": "harbour"})), (2, 2))


class FilterAndSortTests(SearchTestCase):
    def test_listing_filters_apply_to_search(self):
        self.post_work(title="Short Harbour", content=STORY, rating="Teen And Up Audiences", fandoms="Tidewater (TV)")
        long_text = STORY + "\n\n" + " ".join(["harbour"] * 300)
        self.post_work(title="Long Harbour", content=long_text, fandoms="Other Shore", language="fr")
        self.index_search()
        self.assertEqual(self.search("harbour", other_include="Tidewater (TV)"), ["Short Harbour"])
        self.assertEqual(self.search("harbour", other_exclude="Tidewater (TV)"), ["Long Harbour"])
        self.assertEqual(self.search("harbour", other_include="Teen And Up Audiences"), ["Short Harbour"])
        self.assertEqual(self.search("harbour", words_from="200"), ["Long Harbour"])
        self.assertEqual(self.search("harbour", language="fr"), ["Long Harbour"])
        self.assertEqual(self.search("harbour", sort="words"), ["Long Harbour", "Short Harbour"])
        self.assertEqual(self.search("harbour", sort="title"), ["Long Harbour", "Short Harbour"])
        self.assertEqual(self.search("harbour", other_include="No Such Tag"), [])


class WranglingTests(WranglingTestCase):
    def test_synonyms_and_sub_tags_count_as_in_listings_once_wrangling_reaches_the_index(self):
        self.make_work(title="Synonym Harbour", content=STORY, fandoms="TW")
        self.make_work(title="Canonical Harbour", content=STORY, fandoms="Tidewater (TV)")
        self.make_work(title="Sub Tag Harbour", content=STORY, fandoms="Elsewhere", freeforms="Tooth-Rotting Fluff")
        self.make_work(title="Meta Tag Harbour", content=STORY, fandoms="Elsewhere", freeforms="Fluff")
        self.set_canonical("Tidewater (TV)", "Fluff")
        self.index_search()
        self.assertEdited(self.staff, "TW", synonym_of="Tidewater (TV)")
        self.set_canonical("Tooth-Rotting Fluff")
        self.assertEdited(self.staff, "Tooth-Rotting Fluff", add_meta_tags="Fluff")
        self.run_jobs()
        self.client.logout()
        # Wrangling is applied to search documents after SEARCH_LAZY_SECONDS; let that time pass.
        SearchUpdate.objects.update(due_at=timezone.now())
        self.index_search()
        found = result_titles(self.client.get("/search/", {"q": "harbour", "other_include": "Tidewater (TV)"}))
        self.assertEqual(sorted(found), ["Canonical Harbour", "Synonym Harbour"])
        found = result_titles(self.client.get("/search/", {"q": "harbour", "other_include": "Fluff"}))
        self.assertEqual(sorted(found), ["Meta Tag Harbour", "Sub Tag Harbour"])
        found = result_titles(self.client.get("/search/", {"q": "harbour", "other_include": "Tooth-Rotting Fluff"}))
        self.assertEqual(found, ["Sub Tag Harbour"])

    def test_a_renamed_tag_is_found_by_its_new_name_once_wrangling_reaches_the_index(self):
        self.make_work(title="Lantern Harbour", content=STORY, fandoms="Tidewater (TV)", freeforms="Quokka Feelings")
        self.index_search()
        self.assertEqual(result_titles(self.client.get("/search/", {"q": "quokka"})), ["Lantern Harbour"])
        self.assertEdited(self.staff, "Quokka Feelings", name="Glacial Pining Über Alles")
        self.run_jobs()
        self.client.logout()
        SearchUpdate.objects.update(due_at=timezone.now())
        self.index_search()
        self.assertEqual(result_titles(self.client.get("/search/", {"q": "glacial"})), ["Lantern Harbour"])
        self.assertEqual(result_titles(self.client.get("/search/", {"q": "quokka"})), [])


class BadQueryTests(SearchTestCase):
    def test_malformed_queries_get_a_message_and_a_best_effort_result(self):
        self.post_work(title="Harbour Lights", content=STORY)
        self.index_search()
        cases = {
            '"kept it burning': "was not closed",
            "OR": "needs a word on each side",
            "harbour OR": "needs a word on each side",
            "-": "",
            "x" * 10_000: "was cut to its first",
            "!!! ??? ...": "no letters or numbers",
            "-harbour": "only leaves works out",
            'title:"': "",
            "(((": "",
            "unknownfield:harbour": "",
            "\x00": "",
        }
        for query, notice in cases.items():
            response = self.client.get("/search/", {"q": query})
            self.assertEqual(response.status_code, 200, query[:30])
            if notice:
                self.assertContains(response, notice)
        self.assertEqual(self.search('"kept it burning'), ["Harbour Lights"])
        self.assertEqual(self.search("harbour OR"), ["Harbour Lights"])

    def test_bad_filter_values_are_reported_not_fatal(self):
        response = self.client.get("/search/", {"q": "harbour", "words_from": "lots", "updated_to": "yesterday"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "must be a whole number")
        self.assertContains(response, "must be a date")

    def test_a_page_past_the_end_shows_the_last_page(self):
        self.post_work(title="Harbour Lights", content=STORY)
        self.index_search()
        self.assertEqual(self.search("harbour", page="999"), [])
        self.assertEqual(self.client.get("/search/", {"q": "harbour", "page": "abc"}).status_code, 200)


class AdvancedSearchTests(SearchTestCase):
    def test_the_advanced_form_becomes_a_query_you_can_read_and_edit(self):
        self.post_work(title="Harbour Lights", content=STORY)
        self.index_search()
        self.assertContains(self.client.get("/search/advanced"), 'name="phrase"')
        response = self.client.get(
            "/search/advanced/go",
            {"phrase": "kept it burning", "none": "barn", "title": "lights", "complete": "complete", "sort": "words"},
        )
        self.assertEqual(response.status_code, 302)
        target = response["Location"]
        self.assertIn("q=%22kept+it+burning%22+-barn+title%3Alights", target)
        self.assertIn("complete=complete", target)
        self.assertEqual(result_titles(self.client.get(target)), ["Harbour Lights"])


class IndexMaintenanceTests(SearchTestCase):
    def test_reapplying_after_a_crash_never_duplicates_a_work(self):
        work = self.post_work(title="Harbour Lights", content=STORY)
        # A crash after the index commit but before the queue rows were deleted:
        with engine.writer_lock(blocking=True):
            writer = engine.open_writer(engine.READERS.index())
            engine.write_documents(writer, engine.build_documents([work.pk]))
            writer.commit()
            del writer
        self.assertTrue(SearchUpdate.objects.filter(work_id=work.pk).exists())
        self.index_search()
        self.assertEqual(engine.searcher().num_docs, 1)
        self.assertFalse(SearchUpdate.objects.filter(work_id=work.pk, due_at__lte=timezone.now()).exists())
        self.assertEqual(self.search("harbour"), ["Harbour Lights"])

    def test_rebuild_command_indexes_every_visible_work_and_nothing_else(self):
        self.post_work(title="Open Harbour", content=STORY)
        self.post_work(title="Draft Harbour", content=STORY, action="save")
        out, err = StringIO(), StringIO()
        call_command("rebuild_search_index", stdout=out, stderr=err)
        self.assertIn("Indexed 1 works", out.getvalue())
        self.assertIn("1/1 works", err.getvalue(), "the progress bar")
        self.assertEqual(engine.searcher().num_docs, 1)
        self.assertEqual(self.search("harbour"), ["Open Harbour"])
        name = engine._current_name()
        call_command("rebuild_search_index", "--if-missing", stdout=out, stderr=err)
        self.assertEqual(engine._current_name(), name, "--if-missing leaves an existing index alone")


class LiveCountTests(SearchTestCase):
    """The search page's "Show N works" follows the filters as they are chosen (?count=only)."""

    def test_the_count_is_the_number_the_results_page_shows(self):
        self.post_work(title="Short Harbour", content="The harbour at dawn.\n\nGulls.")
        self.post_work(title="Long Harbour", content="The harbour at night. " + "Vague. " * 400, language="fr")
        self.post_work(title="Inland", content="No sea here at all.")
        self.index_search()
        response = self.client.get("/search/", {"q": "harbour", "count": "only"})
        self.assertEqual(response["Content-Type"], "application/json")
        self.assertEqual(response.json(), {"count": 2, "label": "Show 2 works"})
        self.assertEqual(sorted(self.search("harbour")), ["Long Harbour", "Short Harbour"])
        counted = self.client.get("/search/", {"q": "harbour", "words_from": "300", "count": "only"}).json()
        self.assertEqual(counted, {"count": 1, "label": "Show 1 work"})
        self.assertEqual(self.search("harbour", words_from="300"), ["Long Harbour"])
        # A page number or a relevance sort changes nothing; nothing searched counts nothing.
        self.assertEqual(self.client.get("/search/?q=harbour&page=9&count=only").json()["count"], 2)
        self.assertEqual(self.client.get("/search/?count=only").json()["count"], 0)

    def test_the_filter_form_asks_the_search_page_for_its_count(self):
        self.post_work(title="Short Harbour", content="The harbour at dawn.")
        self.index_search()
        page = self.client.get("/search/", {"q": "harbour"}).content.decode()
        self.assertIn('<form method="get" class="filter-form" data-count-url="/search/">', page)
        self.assertIn('<button type="submit" class="filters-apply">Show 1 work</button>', page)
