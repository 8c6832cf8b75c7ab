"""One invitation, many sign-ups at the same moment: exactly one account is made with it."""

import threading
import unittest

from django.core.cache import cache
from django.db import connection
from django.test import Client, TransactionTestCase

from accounts.models import Invitation, User
from accounts.tests.test_signups import set_mode, signup_form

THREADS = 8


@unittest.skipIf(
    connection.vendor == "sqlite",
    "SQLite runs one writer at a time (IMMEDIATE transactions), so threads can't race; "
    "PostgreSQL's row locking is what this exercises.",
)
class ConcurrentInvitationTests(TransactionTestCase):
    def test_an_invitation_used_by_several_sign_ups_at_once_makes_one_account(self) -> None:
        cache.clear()
        set_mode("invitation")
        Invitation.objects.create(code="only-one")
        barrier = threading.Barrier(THREADS)
        statuses: list[int] = []
        errors: list[BaseException] = []

        def sign_up(number: int) -> None:
            try:
                client = Client()
                barrier.wait()
                response = client.post(
                    "/account/signup",
                    signup_form(f"racer{number}", invitation="only-one"),
                    REMOTE_ADDR=f"10.0.0.{number}",
                )
                statuses.append(response.status_code)
            except BaseException as error:
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=sign_up, args=(n,)) for n in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(errors, [])
        self.assertEqual(sorted(statuses), [200] * (THREADS - 1) + [302])
        self.assertEqual(User.objects.filter(username__startswith="racer").count(), 1)
        invitation = Invitation.objects.get()
        self.assertEqual(invitation.used_by, User.objects.get(username__startswith="racer"))
