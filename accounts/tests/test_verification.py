"""A new account confirms its email before it may post or comment; the link in the email confirms it."""

import re

from django.core import mail
from django.test import override_settings

from accounts.models import EmailVerification, User
from accounts.tests.test_signups import set_mode, signup_form
from comments.models import Comment
from fanarchive.test import BaseTestCase, work_form_data
from jobs.queue import run_pending
from works.models import Work


def link_in(email: mail.EmailMessage) -> str:
    found = re.search(r"https?://[^/\s]+(/account/verify/\S+)", str(email.body))
    assert found, email.body
    return found.group(1)


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
class VerificationTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.work = self.make_work()
        self.client.post("/account/signup", signup_form())
        self.carol = User.objects.get(username="carol")
        run_pending()

    def test_an_unverified_account_can_post_nothing_by_any_path(self) -> None:
        message = "Please confirm your email address first"
        self.assertContains(self.client.get("/works/new"), message, status_code=403)
        response = self.client.post("/works/new", work_form_data(pseuds=[self.carol.default_pseud.pk]))
        self.assertContains(response, message, status_code=403)
        self.assertContains(self.client.get("/works/import"), message, status_code=403)
        response = self.client.post(f"/works/{self.work.pk}/comments", {"content": "First!"})
        self.assertContains(response, message, status_code=403)
        self.assertContains(self.client.get(self.work.get_absolute_url()), message)
        self.assertEqual(Work.objects.count(), 1)
        self.assertEqual(Comment.objects.count(), 0)

    def test_the_emailed_link_confirms_and_then_posting_works(self) -> None:
        self.assertEqual(mail.outbox[0].to, ["carol@example.org"])
        self.client.logout()
        self.assertContains(self.client.get(link_in(mail.outbox[0])), "Email confirmed")
        self.assertIsNotNone(EmailVerification.objects.get(user=self.carol).verified_at)
        self.login(self.carol)
        self.client.post(f"/works/{self.work.pk}/comments", {"content": "First!"})
        self.assertEqual(Comment.objects.count(), 1)
        response = self.client.post("/works/new", work_form_data(pseuds=[self.carol.default_pseud.pk]))
        self.assertEqual(response.status_code, 302)

    def test_forged_and_tampered_links_are_refused(self) -> None:
        link = link_in(mail.outbox[0])
        for bad in ["/account/verify/forged", link[:-3] + "abc"]:
            with self.subTest(link=bad):
                self.assertContains(self.client.get(bad), "This link doesn", status_code=400)
        self.assertIsNone(EmailVerification.objects.get(user=self.carol).verified_at)

    def test_a_new_link_can_be_asked_for_and_is_rate_limited(self) -> None:
        self.assertContains(self.client.get("/account/preferences"), "isn't confirmed yet")
        response = self.client.post("/account/verify", follow=True)
        self.assertContains(response, "We sent a new link to carol@example.org.")
        run_pending()
        self.assertEqual(len(mail.outbox), 2)
        for _attempt in range(6):
            response = self.client.post("/account/verify", follow=True)
        self.assertContains(response, "We sent several links already")

    def test_turning_verification_off_lets_unverified_accounts_post(self) -> None:
        set_mode("open", require_email_verification=False)
        self.client.post(f"/works/{self.work.pk}/comments", {"content": "First!"})
        self.assertEqual(Comment.objects.count(), 1)

    def test_accounts_made_by_staff_or_scripts_need_no_verification(self) -> None:
        self.login(self.bob)
        self.client.post(f"/works/{self.work.pk}/comments", {"content": "Lovely."})
        self.assertEqual(Comment.objects.count(), 1)
