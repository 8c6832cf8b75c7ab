"""Changing one's username (old URLs redirect; not too often) and email (changes only once the new one is confirmed)."""

from datetime import timedelta

from django.core import mail
from django.http.response import HttpResponseBase
from django.test import override_settings

from accounts.models import User, UsernameChange
from accounts.tests.test_verification import link_in
from fanarchive.test import BaseTestCase
from jobs.queue import run_pending


class UsernameChangeTests(BaseTestCase):
    def change(self, username: str, password: str | None = None) -> HttpResponseBase:
        return self.client.post("/account/username", {"username": username, "password": password or self.password})

    def test_the_new_name_takes_over_and_old_profile_and_pseud_urls_redirect(self) -> None:
        self.bob.pseuds.create(name="Night Owl")
        self.login(self.bob)
        response = self.change("robin_2")
        self.assertRedirects(response, "/users/robin_2")
        bob = User.objects.get(pk=self.bob.pk)
        self.assertEqual(bob.username, "robin_2")
        self.assertEqual(bob.default_pseud.name, "robin_2")
        self.assertRedirects(self.client.get("/users/bob"), "/users/robin_2", status_code=301)
        self.assertRedirects(self.client.get("/users/BOB"), "/users/robin_2", status_code=301)
        self.assertRedirects(self.client.get("/users/bob/pseuds/bob"), "/users/robin_2/pseuds/robin_2", status_code=301)
        self.assertRedirects(
            self.client.get("/users/bob/pseuds/Night Owl"), "/users/robin_2/pseuds/Night%20Owl", status_code=301
        )
        # Still logged in after the change.
        self.assertContains(self.client.get("/account/preferences"), "robin_2")
        self.assertEqual(self.client.get("/users/nobody_ever").status_code, 404)

    def test_a_taken_name_a_wrong_password_and_bad_names_are_refused(self) -> None:
        self.login(self.bob)
        self.assertContains(self.change("ALICE"), "That username is taken.")
        self.assertContains(self.change("robin", password="wrong"), "That password is not right.")
        self.assertContains(self.change("no spaces allowed"), "Use 3 to 40 letters")
        self.assertContains(self.change("x" * 100_000), "Ensure this value has at most 40 characters")
        self.assertEqual(User.objects.get(pk=self.bob.pk).username, "bob")

    def test_names_change_at_most_once_every_n_days(self) -> None:
        self.login(self.bob)
        self.change("robin")
        response = self.change("robin_again")
        self.assertContains(response, "only once every 7 days", status_code=403)
        self.assertEqual(User.objects.get(pk=self.bob.pk).username, "robin")
        UsernameChange.objects.update(changed_at=UsernameChange.objects.get().changed_at - timedelta(days=8))
        self.assertRedirects(self.change("robin_again"), "/users/robin_again")

    def test_someone_new_may_take_an_old_name_and_then_it_is_theirs(self) -> None:
        self.login(self.bob)
        self.change("robin")
        self.login(self.alice)
        UsernameChange.objects.update(changed_at=UsernameChange.objects.get().changed_at - timedelta(days=8))
        self.change("bob")
        self.assertEqual(self.client.get("/users/bob").status_code, 200)

    def test_guests_cannot_change_names(self) -> None:
        self.assertEqual(self.change("robin").status_code, 302)
        self.assertEqual(User.objects.get(pk=self.bob.pk).username, "bob")


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
class EmailChangeTests(BaseTestCase):
    def test_the_email_changes_only_when_the_link_sent_to_the_new_address_is_followed(self) -> None:
        self.login(self.bob)
        response = self.client.post("/account/email", {"email": "robin@exämple.org", "password": self.password})
        self.assertRedirects(response, "/account/preferences")
        self.assertEqual(User.objects.get(pk=self.bob.pk).email, "bob@example.org")
        run_pending()
        self.assertEqual(mail.outbox[0].to, ["robin@exämple.org"])
        self.client.logout()
        self.assertContains(self.client.get(link_in(mail.outbox[0])), "Your email address was changed.")
        self.assertEqual(User.objects.get(pk=self.bob.pk).email, "robin@exämple.org")
        # The same link twice does nothing more.
        self.assertEqual(self.client.get(link_in(mail.outbox[0])).status_code, 400)

    def test_a_taken_address_and_a_wrong_password_are_refused(self) -> None:
        self.login(self.bob)
        response = self.client.post("/account/email", {"email": "ALICE@example.org", "password": self.password})
        self.assertContains(response, "An account with that email already exists.")
        response = self.client.post("/account/email", {"email": "new@example.org", "password": "nope"})
        self.assertContains(response, "That password is not right.")
        run_pending()
        self.assertEqual(mail.outbox, [])

    @override_settings(SIGNUP_RATE_LIMIT=2)
    def test_changes_are_rate_limited(self) -> None:
        self.login(self.bob)
        for number in range(2):
            self.client.post("/account/email", {"email": f"new{number}@example.org", "password": self.password})
        response = self.client.post("/account/email", {"email": "new9@example.org", "password": self.password})
        self.assertContains(response, "Please wait an hour", status_code=429)
        run_pending()
        self.assertEqual(len(mail.outbox), 2)

    def test_a_link_is_refused_if_the_address_was_taken_meanwhile(self) -> None:
        self.login(self.bob)
        self.client.post("/account/email", {"email": "shared@example.org", "password": self.password})
        run_pending()
        User.objects.filter(pk=self.alice.pk).update(email="shared@example.org")
        self.assertEqual(self.client.get(link_in(mail.outbox[0])).status_code, 400)
        self.assertEqual(User.objects.get(pk=self.bob.pk).email, "bob@example.org")
