"""Script injection through comments: whatever is typed comes out inert on every page and in emails."""

from django.core import mail
from django.test import override_settings

from comments.tests.helpers import CommentsTestCase, email_html
from jobs.queue import run_pending
from works.tests.test_xss import LIVE_FRAGMENTS, PAYLOADS, SAFE_LINK


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
class CommentXssTests(CommentsTestCase):
    def assertInert(self, html: str, where: str) -> None:
        for fragment in LIVE_FRAGMENTS:
            self.assertNotIn(fragment, html, where)

    def test_payloads_in_comments_are_inert_everywhere_they_show(self):
        work = self.make_work()
        for payload in PAYLOADS:
            self.assertEqual(self.comment(work, f"Nice {payload} story", user=self.bob).status_code, 302)
        self.assertEqual(
            self.guest_comment(work, "<b>bold</b> is fine", guest_name="<script>alert(1)</script>").status_code, 302
        )
        guest_comment = self.last_comment()
        self.assertInert(self.work_page(work).content.decode(), "work page")
        self.assertInert(self.client.get(f"/comments/{guest_comment.pk}").content.decode(), "thread page")
        self.login(self.alice)
        self.assertInert(self.client.get("/inbox").content.decode(), "inbox")
        self.login(self.bob)
        self.assertInert(self.client.get(f"/comments/{self.last_comment().pk - 1}/edit").content.decode(), "edit")
        run_pending()
        for email in mail.outbox:
            self.assertInert(email_html(email)[0], "email")
        # The guest's name is printed as text.
        page = self.work_page(work).content.decode()
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", page)
        self.assertIn("<b>bold</b>", page)
        self.assertIn(SAFE_LINK, page)

    def test_a_payload_that_fails_validation_is_echoed_escaped(self):
        work = self.make_work()
        self.client.logout()
        response = self.comment(work, "<script>alert(1)</script>hi", guest_name="", guest_email="x@example.org")
        self.assertEqual(response.status_code, 400)
        self.assertInert(response.content.decode(), "form page")
