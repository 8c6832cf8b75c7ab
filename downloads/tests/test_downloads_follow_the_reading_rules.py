"""Who may download what: the same rules as reading the work page."""

from downloads.tests.helpers import DownloadTestCase
from works.models import Work

FORMATS = ("epub", "html", "txt", "pdf")


class DownloadAccessTests(DownloadTestCase):
    def test_guests_are_sent_to_log_in_for_a_restricted_work_and_logged_in_readers_get_it(self):
        work = self.post_work(restricted="on")
        for extension in FORMATS:
            with self.subTest(extension=extension):
                response = self.client.get(f"/works/{work.pk}/download/{extension}")
                self.assertEqual(response.status_code, 302)
                self.assertTrue(response["Location"].startswith("/account/login?next="), response["Location"])
        self.login(self.bob)
        self.assertIn(b"The lamp turned all night.", self.download(work, "txt"))

    def test_drafts_and_hidden_works_are_404_to_readers_but_not_to_their_creator(self):
        draft = self.post_work(action="draft", title="A Draft")
        hidden = self.post_work(title="Hidden")
        Work.objects.filter(pk=hidden.pk).update(hidden_by_admin=True)
        for work in (draft, hidden):
            for user in (None, self.bob):
                if user:
                    self.login(user)
                else:
                    self.client.logout()
                for extension in FORMATS:
                    with self.subTest(work=work.title, user=user, extension=extension):
                        self.assertEqual(self.client.get(f"/works/{work.pk}/download/{extension}").status_code, 404)
        self.login(self.alice)
        self.assertIn(b"The lamp turned all night.", self.download(draft, "txt"))

    def test_adult_works_show_the_gate_until_the_reader_agrees(self):
        work = self.post_work(rating="Explicit")
        response = self.client.get(f"/works/{work.pk}/download/epub")
        self.assertContains(response, "This work could have adult content.")
        self.assertContains(response, 'href="?view_adult=true"')
        response = self.client.get(f"/works/{work.pk}/download/epub?view_adult=true")
        self.assertEqual(response["Content-Type"], "application/epub+zip")
        # Agreed once, remembered for the session.
        self.assertEqual(self.client.get(f"/works/{work.pk}/download/txt").status_code, 200)

    def test_readers_never_get_draft_chapters_but_the_creator_does(self):
        work = self.post_work()
        self.add_chapter(work, "The posted second chapter.")
        self.add_chapter(work, "The secret draft chapter.", action="draft")
        self.login(self.alice)
        self.assertIn(b"The secret draft chapter.", self.download(work, "txt"))
        for user in (self.bob, None):
            if user:
                self.login(user)
            else:
                self.client.logout()
            for extension in ("txt", "html", "epub"):
                with self.subTest(user=user, extension=extension):
                    data = self.download(work, extension)
                    self.assertNotIn(b"secret draft", data)
                    if extension != "epub":
                        self.assertIn(b"The posted second chapter.", data)

    def test_an_unknown_format_and_a_missing_work_are_404(self):
        work = self.post_work()
        self.assertEqual(self.client.get(f"/works/{work.pk}/download/mobi").status_code, 404)
        self.assertEqual(self.client.get(f"/works/{work.pk + 100}/download/epub").status_code, 404)
