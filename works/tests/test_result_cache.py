"""The filter index keeps recent answers (matches, pages, facets) per process; a change that
touches what an answer read must never leave a listing showing the old one.

Each test asks for a listing, changes one thing the way the archive does (through the change
log every write path adds to), and asks again through HTTP.
"""

from tags.models import Tag
from works.filters import note_changed
from works.models import Work
from works.tests.test_filtering import FilterTestCase


class ResultCacheTests(FilterTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.apple = self.make_work(title="Apple", freeforms="Orchards")
        self.pear = self.make_work(title="Pear", freeforms="Orchards")

    def change(self, work: Work, **values: object) -> None:
        Work.objects.filter(pk=work.pk).update(**values)
        note_changed([work.pk])

    def test_a_new_count_reorders_a_listing_sorted_by_it(self):
        self.change(self.apple, hits=3_000_000_000)
        self.change(self.pear, hits=2_999_999_999)
        self.assertEqual(self.titles("/works?sort=hits"), ["Apple", "Pear"])
        self.assertEqual(self.titles("/works?sort=hits"), ["Apple", "Pear"])  # from the cache
        self.change(self.pear, hits=3_000_000_001)
        self.assertEqual(self.titles("/works?sort=hits"), ["Pear", "Apple"])

    def test_a_hidden_work_leaves_the_listing_and_its_counts(self):
        url = f"/works?include={self.tag_id('Orchards')}"
        self.assertEqual(self.titles(url), ["Pear", "Apple"])
        self.assertTrue('Tidewater (TV) <span class="count">(2)</span>' in self.client.get(url).content.decode())
        self.change(self.pear, hidden_by_admin=True)
        self.assertEqual(self.titles(url), ["Apple"])
        page = self.client.get(url).content.decode()
        self.assertTrue('Tidewater (TV) <span class="count">(1)</span>' in page)

    def test_a_new_word_count_moves_a_work_in_and_out_of_a_range(self):
        url = "/works?words_from=1000"
        self.assertEqual(self.titles(url), [])
        self.change(self.apple, word_count=5000)
        self.assertEqual(self.titles(url), ["Apple"])
        self.change(self.apple, word_count=10)
        self.assertEqual(self.titles(url), [])

    def test_a_work_given_a_tag_joins_that_tags_listing(self):
        url = f"/works?include={self.tag_id('Orchards')}"
        self.assertEqual(self.titles(url), ["Pear", "Apple"])
        self.make_work(title="Quince", freeforms="Orchards, Wasps")
        self.assertEqual(self.titles(url), ["Quince", "Pear", "Apple"])
        wasps = Tag.objects.get(name="Wasps").pk
        self.assertEqual(self.titles(f"{url}&exclude={wasps}"), ["Pear", "Apple"])

    def test_a_retitled_work_moves_in_the_title_order(self):
        self.assertEqual(self.titles("/works?sort=title"), ["Apple", "Pear"])
        self.change(self.apple, title="Zucchini", title_sort="zucchini")
        self.assertEqual(self.titles("/works?sort=title"), ["Pear", "Zucchini"])
