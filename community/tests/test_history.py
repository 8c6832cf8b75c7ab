"""Reading history (last visit, visits, chapter; off and clearable), Continue reading, and Marked for Later."""

from community.models import Reading
from works.models import Work
from works.tests.helpers import WorksTestCase


class HistoryTests(WorksTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.work = self.make_work(title="Lamplight", expected_chapters="3")
        self.second = self.add_chapter(self.work, "The second chapter's text.", title="Low Tide")
        self.third = self.add_chapter(self.work, "The third chapter's text.")
        self.login(self.bob)

    def test_each_visit_is_recorded_with_the_chapter_read(self):
        self.client.get(f"/works/{self.work.pk}/")
        self.client.get(f"/works/{self.work.pk}/chapters/{self.second.pk}")
        reading = Reading.objects.get(user=self.bob, work=self.work)
        self.assertEqual((reading.visit_count, reading.last_chapter), (2, self.second))
        page = self.client.get("/history")
        self.assertContains(page, "Lamplight")
        self.assertContains(page, "<dt>Visits:</dt><dd>2</dd>", html=True)
        self.assertContains(page, "<dt>Last read:</dt><dd>Chapter 2: Low Tide</dd>", html=True)
        # Reading the entire work counts a visit and keeps the place.
        self.client.get(f"/works/{self.work.pk}/?view_full_work=true")
        reading.refresh_from_db()
        self.assertEqual((reading.visit_count, reading.last_chapter), (3, self.second))

    def test_creators_and_guests_leave_no_history(self):
        self.login(self.alice)
        self.client.get(f"/works/{self.work.pk}/")
        self.client.logout()
        self.client.get(f"/works/{self.work.pk}/")
        self.assertFalse(Reading.objects.exists())
        self.assertEqual(self.client.get("/history").status_code, 302)

    def test_history_can_be_turned_off_in_preferences_and_cleared(self):
        self.client.get(f"/works/{self.work.pk}/")
        self.client.post("/account/preferences", {"email_on_subscriptions": "on"})
        self.bob.refresh_from_db()
        self.assertFalse(self.bob.history_enabled)
        self.client.get(f"/works/{self.work.pk}/chapters/{self.third.pk}")
        self.assertEqual(Reading.objects.get().visit_count, 1)
        self.assertContains(self.client.get("/history"), "Your history is turned off")
        self.client.post("/history/clear")
        self.assertFalse(Reading.objects.exists())
        self.assertContains(self.client.get("/history"), "Your history is empty.")

    def test_clearing_history_keeps_works_marked_for_later(self):
        other = self.make_work(title="Quiet Harbour")
        self.login(self.bob)
        self.client.get(f"/works/{self.work.pk}/")
        self.client.get(f"/works/{other.pk}/")
        self.client.post(f"/works/{other.pk}/mark_for_later")
        self.client.post("/history/clear")
        reading = Reading.objects.get()
        self.assertEqual((reading.work, reading.visit_count, reading.last_visited), (other, 0, None))
        self.assertContains(self.client.get("/later"), "Quiet Harbour")
        self.assertNotContains(self.client.get("/history"), "Quiet Harbour")

    def test_the_work_page_offers_to_continue_from_the_last_chapter_read(self):
        self.client.get(f"/works/{self.work.pk}/chapters/{self.third.pk}")
        page = self.client.get(f"/works/{self.work.pk}/")
        self.assertContains(page, f'href="/works/{self.work.pk}/chapters/{self.third.pk}">Continue reading: Chapter 3')
        # On the chapter itself there is nothing to continue to.
        page = self.client.get(f"/works/{self.work.pk}/chapters/{self.third.pk}")
        self.assertNotContains(page, "Continue reading:")

    def test_works_hidden_since_leave_the_history(self):
        self.client.get(f"/works/{self.work.pk}/")
        Work.objects.filter(pk=self.work.pk).update(hidden_by_admin=True)
        self.assertNotContains(self.client.get("/history"), "Lamplight")


class MarkedForLaterTests(WorksTestCase):
    def test_readers_mark_works_for_later_and_as_read(self):
        work = self.make_work(title="Lamplight")
        self.login(self.bob)
        self.assertContains(self.client.get(f"/works/{work.pk}/"), ">Mark for Later</button>")
        response = self.client.post(f"/works/{work.pk}/mark_for_later", follow=True)
        self.assertContains(response, "This work was added to your Marked for Later list.")
        self.assertContains(response, ">Mark as Read</button>")
        self.assertContains(self.client.get("/later"), "Lamplight")
        self.client.post(f"/works/{work.pk}/mark_as_read")
        self.assertNotContains(self.client.get("/later"), "Lamplight")
        # The visit stays in the history.
        self.assertEqual(Reading.objects.get().visit_count, 2)

    def test_guests_and_drafts_have_no_later_list(self):
        work = self.make_work(title="Lamplight")
        draft = self.make_work(title="Unfinished", action="draft")
        response = self.client.post(f"/works/{work.pk}/mark_for_later")
        self.assertEqual(response.status_code, 302)
        self.assertIn("/account/login", response["Location"])
        self.login(self.bob)
        self.assertEqual(self.client.post(f"/works/{draft.pk}/mark_for_later").status_code, 404)
        self.assertFalse(Reading.objects.exists())
