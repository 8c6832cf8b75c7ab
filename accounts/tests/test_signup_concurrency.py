"""Parallel requests: one invitation makes one account, one address gets one place in the queue,
a member's allotment is never overspent."""

import threading
import unittest
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection
from django.test import Client, TransactionTestCase

from accounts.actions import create_account
from accounts.models import Invitation, InviteRequest, User
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


def run_at_once(count: int, request: Callable[[int], int]) -> tuple[list[int], list[BaseException]]:
    barrier = threading.Barrier(count)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def run(number: int) -> None:
        try:
            barrier.wait()
            statuses.append(request(number))
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses, errors


@unittest.skipIf(connection.vendor == "sqlite", "PostgreSQL's row locking is what this exercises.")
class ConcurrentQueueAndAllotmentTests(TransactionTestCase):
    def setUp(self) -> None:
        cache.clear()

    def test_one_address_joining_the_queue_many_times_at_once_gets_one_place(self) -> None:
        set_mode("queue")

        def join(number: int) -> int:
            response = Client().post(
                "/account/invitations/request", {"email": "same@example.org"}, REMOTE_ADDR=f"10.1.0.{number}"
            )
            return response.status_code

        statuses, errors = run_at_once(THREADS, join)
        self.assertEqual(errors, [])
        self.assertEqual(statuses, [302] * THREADS)
        self.assertEqual(InviteRequest.objects.count(), 1)

    def test_a_members_allotment_is_never_overspent_by_parallel_requests(self) -> None:
        set_mode("invitation", invitations_per_user=2)
        member = create_account("member", "member@example.org", "a long passphrase")

        def invite(number: int) -> int:
            client = Client()
            client.force_login(member)
            return client.post("/account/invitations", {"email": f"friend{number}@example.org"}).status_code

        _statuses, errors = run_at_once(THREADS, invite)
        self.assertEqual(errors, [])
        self.assertEqual(Invitation.objects.filter(created_by=member).count(), 2)
