"""Kudos left at the same moment are all counted: the counter is incremented in the database (F()),
and a reader's second kudos is refused by the unique constraint, not by a racy check. On both
databases (SQLite's test database is a file, so each thread meets its real locking)."""

import threading

from django.core.cache import cache
from django.db import connection
from django.test import Client, TransactionTestCase

from accounts.actions import create_account
from community.models import Kudo
from fanarchive.test import BaseTestCase, work_form_data
from works.filter_index import INDEX
from works.models import Work

THREADS = 12


class ConcurrentKudosTests(TransactionTestCase):
    def setUp(self) -> None:
        cache.clear()
        INDEX.reset()
        self.alice = create_account("alice", "alice@example.org", BaseTestCase.password)
        self.readers = [create_account(f"reader{n}", f"r{n}@example.org", "pw") for n in range(THREADS)]
        author = Client()
        author.force_login(self.alice)
        author.post("/works/new", work_form_data(pseuds=[self.alice.default_pseud.pk]))
        work = Work.objects.get()
        self.url = f"/works/{work.pk}/kudos"
        self.work_id = work.pk

    def run_at_once(self, requests: list[dict[str, object]]) -> None:
        barrier = threading.Barrier(len(requests))
        errors: list[BaseException] = []

        def leave(request: dict[str, object]) -> None:
            try:
                client = Client()
                if "user" in request:
                    client.force_login(request["user"])  # type: ignore[arg-type]
                barrier.wait()
                response = client.post(self.url, REMOTE_ADDR=str(request.get("address", "127.0.0.1")))
                assert response.status_code == 302, response.status_code
            except BaseException as error:
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=leave, args=(request,)) for request in requests]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(errors, [])

    def test_kudos_from_many_readers_at_once_are_all_counted(self):
        requests: list[dict[str, object]] = [{"user": reader} for reader in self.readers]
        requests += [{"address": f"192.0.2.{n}"} for n in range(THREADS)]
        self.run_at_once(requests)
        self.assertEqual(Kudo.objects.filter(work_id=self.work_id).count(), 2 * THREADS)
        self.assertEqual(Work.objects.get(pk=self.work_id).kudos_count, 2 * THREADS)

    def test_one_reader_pressing_kudos_many_times_at_once_counts_once(self):
        self.run_at_once([{"user": self.readers[0]} for _ in range(THREADS)])
        self.assertEqual(Kudo.objects.filter(work_id=self.work_id).count(), 1)
        self.assertEqual(Work.objects.get(pk=self.work_id).kudos_count, 1)
