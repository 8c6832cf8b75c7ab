"""The adult-content interstitial in front of works rated Mature, Explicit or Not Rated."""

from django.conf import settings

from works.models import Work
from works.tests.helpers import WorksTestCase

GATE = "This work could have adult content. If you proceed you have agreed that you are willing to see such content."
ADULT_RATINGS = ["Mature", "Explicit", "Not Rated"]
GENERAL_RATINGS = ["General Audiences", "Teen And Up Audiences"]


class AdultGateTests(WorksTestCase):
    def post_rated(self, rating: str) -> Work:
        return self.post_work(title=f"A {rating} Story", rating=rating, content=f"The text of the {rating} story.")

    def assertGated(self, path: str, text: str) -> None:
        response = self.client.get(path)
        self.assertContains(response, GATE)
        self.assertNotContains(response, text)

    def assertNotGated(self, path: str, text: str) -> None:
        response = self.client.get(path)
        self.assertNotContains(response, GATE)
        self.assertContains(response, text)

    def test_adult_ratings_show_guests_the_gate_instead_of_the_text(self):
        for rating in ADULT_RATINGS:
            with self.subTest(rating=rating):
                work = self.post_rated(rating)
                self.assertGated(f"/works/{work.pk}/", f"The text of the {rating} story.")

    def test_adult_ratings_show_logged_in_readers_the_gate_instead_of_the_text(self):
        works = [self.post_rated(rating) for rating in ADULT_RATINGS]
        self.login(self.bob)
        for work, rating in zip(works, ADULT_RATINGS, strict=True):
            with self.subTest(rating=rating):
                self.assertGated(f"/works/{work.pk}/", f"The text of the {rating} story.")

    def test_the_gate_names_the_rating_and_offers_to_continue(self):
        work = self.post_rated("Explicit")
        response = self.client.get(f"/works/{work.pk}/")
        self.assertContains(response, "is rated <strong>Explicit</strong>", html=False)
        self.assertContains(response, 'href="?view_adult=true"', html=False)

    def test_general_and_teen_works_have_no_gate(self):
        for rating in GENERAL_RATINGS:
            with self.subTest(rating=rating):
                work = self.post_rated(rating)
                self.assertNotGated(f"/works/{work.pk}/", f"The text of the {rating} story.")
                self.login(self.bob)
                self.assertNotGated(f"/works/{work.pk}/", f"The text of the {rating} story.")
                self.client.logout()

    def test_view_adult_shows_the_work_and_is_remembered_for_the_session(self):
        first = self.post_rated("Mature")
        second = self.post_rated("Explicit")
        self.assertNotGated(f"/works/{first.pk}/?view_adult=true", "The text of the Mature story.")
        self.assertNotGated(f"/works/{first.pk}/", "The text of the Mature story.")
        self.assertNotGated(f"/works/{second.pk}/", "The text of the Explicit story.")

    def test_view_adult_writes_the_session_once_not_on_every_page(self):
        work = self.post_rated("Explicit")
        first = self.client.get(f"/works/{work.pk}/?view_adult=true")
        self.assertIn(settings.SESSION_COOKIE_NAME, first.cookies)
        again = self.client.get(f"/works/{work.pk}/?view_adult=true")
        self.assertContains(again, "The text of the Explicit story.")
        self.assertNotIn(settings.SESSION_COOKIE_NAME, again.cookies)

    def test_the_choice_is_not_remembered_in_another_session(self):
        work = self.post_rated("Mature")
        self.assertNotGated(f"/works/{work.pk}/?view_adult=true", "The text of the Mature story.")
        self.client = self.client_class()
        self.assertGated(f"/works/{work.pk}/", "The text of the Mature story.")

    def test_view_adult_is_remembered_for_a_logged_in_reader_too(self):
        first = self.post_rated("Mature")
        second = self.post_rated("Not Rated")
        self.login(self.bob)
        self.assertNotGated(f"/works/{first.pk}/?view_adult=true", "The text of the Mature story.")
        self.assertNotGated(f"/works/{second.pk}/", "The text of the Not Rated story.")

    def test_the_gate_also_covers_chapter_pages_and_the_entire_work(self):
        work = self.post_rated("Explicit")
        second = self.add_chapter(work, "The second chapter's secret text.")
        self.assertGated(f"/works/{work.pk}/chapters/{second.pk}", "secret text")
        response = self.client.get(f"/works/{work.pk}/?view_full_work=true")
        self.assertContains(response, GATE)
        self.assertNotContains(response, "secret text")
        # Continuing from the gate keeps the reader on the entire work.
        self.assertContains(response, 'href="?view_adult=true&amp;view_full_work=true"', html=False)
        response = self.client.get(f"/works/{work.pk}/?view_adult=true&view_full_work=true")
        self.assertNotContains(response, GATE)
        self.assertContains(response, "The text of the Explicit story.")
        self.assertContains(response, "secret text")

    def test_continuing_on_a_chapter_page_shows_that_chapter(self):
        work = self.post_rated("Mature")
        second = self.add_chapter(work, "The second chapter's secret text.")
        self.assertNotGated(f"/works/{work.pk}/chapters/{second.pk}?view_adult=true", "secret text")

    def test_a_reader_who_sets_the_preference_never_sees_the_gate(self):
        work = self.post_rated("Explicit")
        second = self.add_chapter(work, "The second chapter's secret text.")
        self.login(self.bob)
        self.assertGated(f"/works/{work.pk}/", "The text of the Explicit story.")

        response = self.client.post("/account/preferences", {"skip_adult_gate": "on"})
        self.assertRedirects(response, "/account/preferences")
        self.bob.refresh_from_db()
        self.assertTrue(self.bob.skip_adult_gate)

        self.assertNotGated(f"/works/{work.pk}/", "The text of the Explicit story.")
        self.assertNotGated(f"/works/{work.pk}/chapters/{second.pk}", "secret text")
        self.assertNotGated(f"/works/{work.pk}/?view_full_work=true", "secret text")
        # Still so in a later session.
        self.client.logout()
        self.login(self.bob)
        self.assertNotGated(f"/works/{work.pk}/", "The text of the Explicit story.")

    def test_unsetting_the_preference_brings_the_gate_back(self):
        work = self.post_rated("Explicit")
        self.login(self.bob)
        self.client.post("/account/preferences", {"skip_adult_gate": "on"})
        self.client.post("/account/preferences", {})
        self.bob.refresh_from_db()
        self.assertFalse(self.bob.skip_adult_gate)
        self.client.logout()
        self.login(self.bob)
        self.assertGated(f"/works/{work.pk}/", "The text of the Explicit story.")

    def test_the_author_never_sees_the_gate_on_their_own_work(self):
        work = self.post_rated("Explicit")
        second = self.add_chapter(work, "The second chapter's secret text.")
        self.login(self.alice)
        self.assertNotGated(f"/works/{work.pk}/", "The text of the Explicit story.")
        self.assertNotGated(f"/works/{work.pk}/chapters/{second.pk}", "secret text")
        self.assertNotGated(f"/works/{work.pk}/?view_full_work=true", "secret text")

    def test_the_author_sees_the_gate_on_someone_elses_adult_work(self):
        work = self.post_work(author=self.bob, title="Bob's Story", rating="Mature", content="The text of Bob's story.")
        self.login(self.alice)
        self.assertGated(f"/works/{work.pk}/", "The text of Bob's story.")

    def test_the_gate_does_not_hide_a_missing_chapter(self):
        work = self.post_rated("Explicit")
        self.assertEqual(self.client.get(f"/works/{work.pk}/chapters/999999").status_code, 404)
