"""Works in right-to-left languages read right to left; the archive's own labels around them do not."""

from fanarchive.test import BaseTestCase


class TextDirectionTests(BaseTestCase):
    def test_an_arabic_work_is_shown_right_to_left_with_its_language(self):
        work = self.make_work(title="بيت على البحر", language="ar", summary="ليلة طويلة.", content="كانت الليلة طويلة.")
        html = self.client.get(f"/works/{work.pk}/").content.decode()
        self.assertIn('<div class="preface" lang="ar" dir="rtl">', html)
        self.assertIn(
            '<article class="chapter" id="chapter-1" aria-labelledby="chapter-heading-1" lang="ar" dir="rtl">', html
        )
        self.assertIn('<div class="work-meta">', html)  # tags and stats stay in the page's direction
        listing = self.client.get("/works").content.decode()
        self.assertIn('<li class="blurb">', listing)
        self.assertIn(f'<a href="/works/{work.pk}/" lang="ar" dir="auto">بيت على البحر</a>', listing)
        self.assertIn('class="blurb-summary userstuff" lang="ar" dir="rtl"', listing)

    def test_an_english_work_is_left_to_right(self):
        work = self.make_work()
        html = self.client.get(f"/works/{work.pk}/").content.decode()
        self.assertIn('<div class="preface" lang="en" dir="ltr">', html)

    def test_urdu_hebrew_and_yiddish_are_right_to_left(self):
        from lib.languages import text_direction

        self.assertEqual([text_direction(code) for code in ("ur", "he", "yi", "fa", "de")], ["rtl"] * 4 + ["ltr"])
