"""Log-in ignores the case of the username, as sign-up does (review finding 8)."""

from accounts.actions import create_account
from accounts.models import User
from fanarchive.test import BaseTestCase


class LoginIgnoresCaseTests(BaseTestCase):
    def test_a_user_who_signed_up_as_themaduser_logs_in_as_TheMadUser(self):
        create_account("themaduser", "mad@example.org", self.password)
        response = self.client.post("/account/login", {"username": "TheMadUser", "password": self.password})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.client.get("/account/preferences").status_code, 200)
        self.assertEqual(int(self.client.session["_auth_user_id"]), User.objects.get(username="themaduser").pk)

    def test_surrounding_spaces_and_a_full_width_name_reach_the_same_account(self):
        # Django's form strips and NFKC-normalises the username before authenticating.
        for typed in ["  ALICE ", "ａｌｉｃｅ"]:
            with self.subTest(typed=typed):
                self.client.logout()
                response = self.client.post("/account/login", {"username": typed, "password": self.password})
                self.assertEqual(response.status_code, 302)

    def test_a_wrong_password_is_still_refused(self):
        response = self.client.post("/account/login", {"username": "ALICE", "password": "not it"})
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_signing_up_still_logs_the_new_user_in(self):
        data = {
            "username": "Carol_K",
            "email": "carol@example.org",
            "password1": "tide-lamp-1987",
            "password2": "tide-lamp-1987",
            "confirm_age": "on",
        }
        self.assertEqual(self.client.post("/account/signup", data).status_code, 302)
        self.assertEqual(self.client.get("/account/preferences").status_code, 200)
