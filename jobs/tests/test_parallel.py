"""Parallel requests and parallel workers, on both databases: one PDF job per file, every job run once."""

import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client, TransactionTestCase

from accounts.actions import create_account
from fanarchive.test import BaseTestCase, work_form_data
from jobs.models import Job
from jobs.queue import enqueue, handler, run_pending
from jobs.tests.helpers import reseed_fixed_tags
from search.engine import clear_search_index
from works.filter_index import INDEX
from works.models import Work

THREADS = 8
runs: list[int] = []
runs_lock = threading.Lock()


@handler("test_count_run")
def _count_run(payload: dict[str, Any]) -> None:
    with runs_lock:
        runs.append(payload["n"])


def at_once(count: int, action: Callable[[int], object]) -> None:
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def run(n: int) -> None:
        try:
            barrier.wait()
            action(n)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [], errors


class ParallelTests(TransactionTestCase):
    def setUp(self) -> None:
        reseed_fixed_tags()
        # Work ids come round again after a flush: no file an earlier test built may answer.
        shutil.rmtree(Path(settings.DATA_DIR) / "downloads", ignore_errors=True)
        cache.clear()
        INDEX.reset()
        clear_search_index()
        runs.clear()

    def test_parallel_requests_for_a_new_pdf_queue_one_job(self):
        alice = create_account("alice", "alice@example.org", BaseTestCase.password)
        author = Client()
        author.force_login(alice)
        author.post("/works/new", work_form_data(pseuds=[alice.default_pseud.pk], title="Ünïcode Harbour"))
        work = Work.objects.get()
        statuses: list[int] = []

        def request(n: int) -> None:
            statuses.append(Client().get(f"/works/{work.pk}/download/pdf").status_code)

        at_once(THREADS, request)
        self.assertEqual(statuses, [202] * THREADS)
        self.assertEqual(Job.objects.filter(kind="build_pdf").count(), 1)

    def test_parallel_workers_run_every_job_exactly_once(self):
        for n in range(40):
            enqueue("test_count_run", {"n": n})
        at_once(4, lambda n: run_pending(worker=f"host:{n}"))
        self.assertEqual(sorted(runs), list(range(40)))
        self.assertEqual(set(Job.objects.values_list("status", "attempts")), {(Job.Status.DONE, 1)})
