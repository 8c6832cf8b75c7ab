"""Around the filter form: the live "Show N works" count, removable chips, and ranges that run backwards."""

import html
import re

from accounts.actions import exclude_tags
from community.actions import mute_user, unmute_user
from works.tests.test_filtering import FilterTestCase


def chips(page: str) -> list[tuple[str, str]]:
    """(label, href) of each chip above the results."""
    found = re.findall(r'<a class="chip" href="([^"]*)"[^>]*>(.*?) <span aria-hidden="true">', page)
    return [(html.unescape(label), html.unescape(href)) for href, label in found]


class LiveCountTests(FilterTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.make_work(title="Short", content="One two three.", characters="Mara Quill")
        self.make_work(title="Long", content="word " * 5000, characters="Jonah Reyes")
        self.make_work(title="Bob's", author=self.bob, content="Écoute. " * 40, characters="Mara Quill")

    def test_the_count_is_the_number_the_listing_shows(self) -> None:
        query = f"include={self.tag_id('Mara Quill')}&words_to=1000"
        response = self.client.get(f"/works?{query}&count=only")
        self.assertEqual(response["Content-Type"], "application/json")
        self.assertEqual(response.json(), {"count": 2, "label": "Show 2 works"})
        self.assertEqual(self.count_line(f"/works?{query}"), "1 – 2 of 2 Works")
        self.assertEqual(self.client.get("/works?words_from=1000&count=only").json()["label"], "Show 1 work")

    def test_tag_pages_and_profiles_count_within_themselves(self) -> None:
        self.assertEqual(self.client.get("/tags/Mara Quill/works?count=only").json()["count"], 2)
        self.assertEqual(self.client.get("/users/bob?count=only").json()["count"], 1)
        self.assertEqual(self.client.get("/users/alice?words_from=10&count=only").json()["count"], 1)

    def test_the_count_leaves_out_what_the_reader_may_not_see_or_has_muted_or_excluded(self) -> None:
        self.make_work(title="Members", restricted=True)
        self.make_work(title="Draft", action="draft")
        self.assertEqual(self.client.get("/works?count=only").json()["count"], 3)
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get("/works?count=only").json()["count"], 4)
        mute_user(self.bob, self.alice)
        self.assertEqual(self.client.get("/works?count=only").json()["count"], 1)
        unmute_user(self.bob, self.alice)
        exclude_tags(self.bob, [self.tag_id("Jonah Reyes")])  # "Long" and "Members"
        self.assertEqual(self.client.get("/works?count=only").json()["count"], 2)
        self.assertEqual(self.client.get("/works?count=only&exclusions=off").json()["count"], 4)

    def test_the_button_says_the_count_before_any_javascript(self) -> None:
        page = self.client.get(f"/works?include={self.tag_id('Mara Quill')}").content.decode()
        self.assertIn('<button type="submit" class="filters-apply">Show 2 works</button>', page)

    def test_counts_past_a_thousand_are_grouped(self) -> None:
        from works.filter_sheet import show_works_label

        self.assertEqual(show_works_label(2_147_483_648), "Show 2,147,483,648 works")


class ChipTests(FilterTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.make_work(title="Quiet", characters="Mara Quill, Jonah Reyes", content="A short one.")

    def test_each_filter_becomes_a_chip_that_removes_only_itself(self) -> None:
        mara, jonah = self.tag_id("Mara Quill"), self.tag_id("Jonah Reyes")
        url = (
            f"/works?sort=title&include={mara}&exclude={jonah}&other_include=Fluff,+Found+Family&complete=complete"
            "&words_from=1000&language=fr&q=quiet&page=2"
        )
        found = chips(self.client.get(url).content.decode())
        labels = [label for label, _href in found]
        self.assertEqual(
            labels,
            [
                "Mara Quill",
                "Fluff",
                "Found Family",
                "Not Jonah Reyes",
                "Complete works only",
                "At least 1,000 words",
                "Français",
                "“quiet”",
            ],
        )
        hrefs = dict(found)
        self.assertEqual(
            hrefs["Mara Quill"],
            f"?sort=title&exclude={jonah}&other_include=Fluff%2C+Found+Family&complete=complete"
            "&words_from=1000&language=fr&q=quiet",
        )
        self.assertIn("other_include=Found+Family&", hrefs["Fluff"])
        removed = self.client.get("/works" + hrefs["Not Jonah Reyes"]).content.decode()
        self.assertNotIn("Not Jonah Reyes", [label for label, _ in chips(removed)])
        self.assertIn("Clear filters", removed)

    def test_no_filters_no_chips(self) -> None:
        page = self.client.get("/works?sort=title").content.decode()
        self.assertEqual(chips(page), [])
        self.assertNotIn("Filters in use", page)


class BackwardRangeTests(FilterTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.make_work(title="Middling", content="word " * 3000)

    def test_a_word_range_that_runs_backwards_is_explained_with_a_way_to_swap_it(self) -> None:
        page = self.client.get("/works?words_from=5000&words_to=1000").content.decode()
        self.assertIn("The word count range runs backwards (from 5,000 to 1,000 words), so no work can match it.", page)
        swap = re.search(r'runs backwards.*?<a href="\?([^"]*)">Swap them</a>', page, re.DOTALL)
        assert swap is not None
        self.assertEqual(html.unescape(swap.group(1)), "words_from=1000&words_to=5000")
        self.assertEqual(self.titles("/works?" + html.unescape(swap.group(1))), ["Middling"])

    def test_a_date_range_that_runs_backwards_is_explained(self) -> None:
        page = self.client.get("/works?updated_from=2026-05-01&updated_to=2025-01-01").content.decode()
        self.assertIn("The date range runs backwards", page)

    def test_an_empty_filtered_listing_offers_to_clear_the_filters(self) -> None:
        page = self.client.get("/works?words_from=100000").content.decode()
        self.assertIn("No works match these filters.", page)
        self.assertRegex(page, r'<a class="button secondary" href="\?">Clear filters</a>')


class EmptyProfileTests(FilterTestCase):
    def test_a_new_writer_is_offered_to_post_or_import_instead_of_an_empty_filter_sidebar(self) -> None:
        self.client.force_login(self.bob)
        page = self.client.get("/users/bob").content.decode()
        self.assertIn("Post your first work", page)
        self.assertIn("Import a work", page)
        self.assertNotIn("Sort and Filter", page)
        self.client.logout()
        page = self.client.get("/users/bob").content.decode()
        self.assertIn("No works yet.", page)
        self.assertNotIn("Post your first work", page)
