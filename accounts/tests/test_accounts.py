import re

from django.core import mail
from django.core.cache import cache
from django.test import override_settings

from accounts.models import Pseud, User
from fanarchive.test import BaseTestCase


class SignupTests(BaseTestCase):
    def test_it_creates_an_account_with_a_default_pseud_and_logs_in(self):
        response = self.client.post(
            "/account/signup",
            {
                "username": "carol",
                "email": "carol@example.org",
                "password1": "a long passphrase",
                "password2": "a long passphrase",
                "confirm_age": "on",
            },
        )
        self.assertRedirects(response, "/users/carol")
        carol = User.objects.get(username="carol")
        self.assertEqual(carol.default_pseud.name, "carol")
        self.assertContains(self.client.get("/"), "Log out")

    def test_it_refuses_a_taken_username_in_any_case(self):
        response = self.client.post(
            "/account/signup",
            {
                "username": "ALICE",
                "email": "new@example.org",
                "password1": "a long passphrase",
                "password2": "a long passphrase",
                "confirm_age": "on",
            },
        )
        self.assertContains(response, "That username is taken.")
        self.assertEqual(User.objects.count(), 2)

    def test_it_refuses_mismatched_and_weak_passwords(self):
        response = self.client.post(
            "/account/signup",
            {"username": "carol", "email": "c@example.org", "password1": "a long passphrase", "password2": "another"},
        )
        self.assertContains(response, "didn’t match")
        response = self.client.post(
            "/account/signup", {"username": "carol", "email": "c@example.org", "password1": "123", "password2": "123"}
        )
        self.assertContains(response, "too short")
        self.assertFalse(User.objects.filter(username="carol").exists())


class LoginTests(BaseTestCase):
    def setUp(self):
        super().setUp()
        cache.clear()

    def test_it_logs_in_and_follows_a_local_next(self):
        response = self.client.post(
            "/account/login", {"username": "alice", "password": self.password, "next": "/works/new"}
        )
        self.assertRedirects(response, "/works/new")

    def test_it_ignores_a_next_on_another_site(self):
        response = self.client.post(
            "/account/login", {"username": "alice", "password": self.password, "next": "https://evil.example/"}
        )
        self.assertRedirects(response, "/", fetch_redirect_response=False)

    def test_a_wrong_password_shows_an_error(self):
        response = self.client.post("/account/login", {"username": "alice", "password": "nope"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Please enter a correct username and password")

    @override_settings(LOGIN_ATTEMPTS_LIMIT=3)
    def test_it_blocks_after_too_many_failures_even_with_the_right_password(self):
        for _ in range(3):
            self.client.post("/account/login", {"username": "alice", "password": "wrong"})
        response = self.client.post("/account/login", {"username": "alice", "password": self.password})
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "Too many failed log-in attempts", status_code=429)
        self.assertNotIn("_auth_user_id", self.client.session)

    @override_settings(LOGIN_ADDRESS_ATTEMPTS_LIMIT=3)
    def test_the_limit_counts_per_address_across_usernames(self):
        for name in ["x1", "x2", "x3"]:
            self.client.post("/account/login", {"username": name, "password": "wrong"})
        response = self.client.post("/account/login", {"username": "bob", "password": self.password})
        self.assertEqual(response.status_code, 429)

    def test_logout_needs_a_post(self):
        self.login(self.alice)
        self.assertEqual(self.client.get("/account/logout").status_code, 405)
        self.client.post("/account/logout")
        self.assertNotIn("_auth_user_id", self.client.session)


class PasswordResetTests(BaseTestCase):
    def test_it_emails_a_link_that_sets_a_new_password(self):
        response = self.client.post("/account/password_reset", {"email": "alice@example.org"})
        self.assertRedirects(response, "/account/password_reset/done")
        self.assertEqual(len(mail.outbox), 1)
        link = re.search(r"http://testserver(/account/reset/\S+)", str(mail.outbox[0].body))
        assert link is not None
        form_page = self.client.get(link.group(1), follow=True)
        self.assertContains(form_page, "Choose a new password")
        self.client.post(
            form_page.redirect_chain[-1][0],
            {"new_password1": "a brand new phrase", "new_password2": "a brand new phrase"},
        )
        self.alice.refresh_from_db()
        self.assertTrue(self.alice.check_password("a brand new phrase"))

    def test_an_unknown_address_sends_nothing_but_says_the_same(self):
        response = self.client.post("/account/password_reset", {"email": "nobody@example.org"})
        self.assertRedirects(response, "/account/password_reset/done")
        self.assertEqual(len(mail.outbox), 0)


class PseudTests(BaseTestCase):
    def test_a_user_adds_a_pseud_and_posts_under_it(self):
        self.login(self.alice)
        response = self.client.post("/account/pseuds/new", {"name": "Quill", "description": "Writes at night."})
        self.assertRedirects(response, "/users/alice")
        pseud = Pseud.objects.get(name="Quill")
        work = self.post_work(pseuds=[pseud.pk])
        self.assertEqual(list(work.pseuds.all()), [pseud])
        page = self.client.get("/users/alice/pseuds/Quill")
        self.assertContains(page, work.title)
        self.assertContains(page, "Writes at night.")

    def test_pseud_names_are_unique_per_user_ignoring_case(self):
        self.login(self.alice)
        response = self.client.post("/account/pseuds/new", {"name": "ALICE"})
        self.assertContains(response, "You already have a pseud with that name.")
        # Another user may use the same name.
        self.login(self.bob)
        self.client.post("/account/pseuds/new", {"name": "alice"})
        self.assertTrue(Pseud.objects.filter(user=self.bob, name="alice").exists())

    def test_a_user_cannot_edit_another_users_pseud(self):
        self.login(self.bob)
        pseud = self.alice.default_pseud
        response = self.client.post(f"/account/pseuds/{pseud.pk}/edit", {"name": "hijacked"})
        self.assertEqual(response.status_code, 404)
        pseud.refresh_from_db()
        self.assertEqual(pseud.name, "alice")

    def test_a_work_can_only_be_credited_to_your_own_pseuds(self):
        self.login(self.bob)
        from fanarchive.test import work_form_data

        response = self.client.post("/works/new", work_form_data(pseuds=[self.alice.default_pseud.pk]))
        self.assertContains(response, "Select a valid choice")

    def test_co_creators_are_credited_once_they_accept_and_can_edit(self):
        work = self.post_work(co_creators="bob")
        self.accept_invitations(self.bob)
        self.assertEqual({p.user.username for p in work.pseuds.all()}, {"alice", "bob"})
        self.login(self.bob)
        self.assertEqual(self.client.get(f"/works/{work.pk}/edit").status_code, 200)
        self.assertContains(self.client.get("/users/bob"), work.title)


class ProfileTests(BaseTestCase):
    def test_the_profile_lists_the_users_works(self):
        work = self.post_work(title="Alice's Story")
        page = self.client.get("/users/alice")
        self.assertContains(page, "Alice&#x27;s Story")
        self.assertContains(page, f"/works/{work.pk}/")
        self.assertEqual(self.client.get("/users/nobody").status_code, 404)

    def test_preferences_need_a_login(self):
        self.assertRedirects(self.client.get("/account/preferences"), "/account/login?next=/account/preferences")


class AccountsMadeElsewhereTests(BaseTestCase):
    def test_a_staff_account_from_createsuperuser_can_post_and_comment(self):
        from django.core.management import call_command

        call_command("createsuperuser", "--noinput", username="owner", email="owner@example.org", verbosity=0)
        owner = User.objects.get(username="owner")
        work = self.post_work(author=owner)
        self.assertEqual(owner.default_pseud.name, "owner")
        self.assertEqual(list(work.pseuds.all()), [owner.default_pseud])
