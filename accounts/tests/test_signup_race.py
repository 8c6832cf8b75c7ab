"""Parallel sign-ups with case variants of one username and one email make one account; the others
get the form's normal error (review finding 12). Usernames are unique ignoring case, and emails
unique, in the database."""

from django.db import IntegrityError, transaction
from django.test import override_settings

from accounts.models import User
from fanarchive.test import BaseTestCase, ParallelTestCase

THREADS = 8
PASSWORD = "tide-lamp-1987-ø"


class SignupRaceTests(ParallelTestCase):
    # All from one test address: the per-address sign-up limit is not what this test is about.
    @override_settings(SIGNUP_RATE_LIMIT=100)
    def test_parallel_sign_ups_with_case_variants_make_one_account(self):
        names = [
            "TheMadUser",
            "themaduser",
            "THEMADUSER",
            "theMadUser",
            "TheMaduser",
            "tHEmADuSER",
            "Themaduser",
            "THEMADuser",
        ]
        requests = [
            (
                self.client_for(None),
                "/account/signup",
                {
                    "username": name,
                    "email": "mad@example.org",
                    "password1": PASSWORD,
                    "password2": PASSWORD,
                    "confirm_age": "on",
                },
            )
            for name in names[:THREADS]
        ]
        statuses = self.post_in_parallel(requests)
        self.assertEqual(statuses.count(302), 1, statuses)
        self.assertEqual(statuses.count(200), THREADS - 1, statuses)
        self.assertEqual(User.objects.filter(username__iexact="themaduser").count(), 1)
        self.assertEqual(User.objects.filter(email__iexact="mad@example.org").count(), 1)


class SignupConstraintTests(BaseTestCase):
    def test_the_database_refuses_a_username_differing_only_in_case(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            User.objects.create_user(username="ALICE", email="other@example.org", password=PASSWORD)

    def test_the_database_refuses_an_email_differing_only_in_case(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            User.objects.create_user(username="alice2", email="Alice@Example.org", password=PASSWORD)

    def test_several_accounts_without_an_email_are_allowed(self):
        User.objects.create_user(username="admin1", email="", password=PASSWORD)
        User.objects.create_user(username="admin2", email="", password=PASSWORD)
        self.assertEqual(User.objects.filter(email="").count(), 2)
