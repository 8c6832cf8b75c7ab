"""Real `manage.py run_jobs` processes killed with SIGKILL or stopped with SIGTERM in the middle of a
PDF build, a filter refresh, a digest and the search index's commits: afterwards each job has
completed exactly once, its effect happened once (an email in flight at a SIGKILL at most once),
and search has recovered by itself."""

import io
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test import Client, TransactionTestCase

from accounts.actions import create_account
from community.models import Subscription
from downloads import cache as download_cache
from fanarchive.test import BaseTestCase, work_form_data
from jobs.models import Job
from jobs.tests.helpers import reseed_fixed_tags
from jobs.tests.smtp import smtp_server
from search import engine
from search.engine import clear_search_index
from search.indexer import queue_updates
from search.models import SearchUpdate
from tags.models import Tag
from works.filter_index import INDEX
from works.filters import queue_refresh_for_tags
from works.models import FilterTagging, Work

LEASE_SECONDS = 2
PARAGRAPH = (
    "The lamp turned all night, and the keeper counted the ships that did not come — "
    "灯台守は夜通しランプを回した。 Ünïcode and plain words alike, line after line after line."
)


def database_url() -> str:
    """The test database, as the worker process must reach it."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_for(condition: Callable[[], bool], timeout: float = 60, step: float = 0.02) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(step)


class Worker:
    def __init__(self, log: Path, **env: Any) -> None:
        environment = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "FANARCHIVE_DATA_DIR": str(settings.DATA_DIR),
            "SEARCH_INDEX_DIR": str(settings.SEARCH_INDEX_DIR),
            "JOBS_LEASE_SECONDS": str(LEASE_SECONDS),
            "JOBS_RETRY_BASE_SECONDS": "1",
            "LOG_LEVEL": "INFO",
            **{key: str(value) for key, value in env.items()},
        }
        self.log = log
        with open(log, "ab") as output:
            self.process = subprocess.Popen(
                [sys.executable, "manage.py", "run_jobs", "--sleep", "0.1"],
                cwd=settings.BASE_DIR,
                env=environment,
                stdout=output,
                stderr=subprocess.STDOUT,
            )

    def stop(self, signum: int, timeout: float = 30) -> int:
        self.process.send_signal(signum)
        return self.process.wait(timeout)

    def alive(self) -> bool:
        return self.process.poll() is None


@pytest.mark.slow
class WorkerKillTests(TransactionTestCase):
    def setUp(self) -> None:
        reseed_fixed_tags()
        cache.clear()
        INDEX.reset()
        clear_search_index()
        engine.WRITER.close()  # the workers write the index, not this process
        self.log = Path(settings.DATA_DIR) / f"worker-{self._testMethodName}.log"
        self.log.unlink(missing_ok=True)
        # Work ids are reused after a flush: no PDF of an earlier test's work may count.
        shutil.rmtree(Path(settings.DATA_DIR) / "downloads", ignore_errors=True)
        self.workers: list[Worker] = []
        self.alice = create_account("alice", "alice@example.org", BaseTestCase.password)
        self.author = Client()
        self.author.force_login(self.alice)

    def tearDown(self) -> None:
        for worker in self.workers:
            if worker.alive():
                worker.process.kill()
                worker.process.wait()
        engine.WRITER.close()

    def worker(self, **env: Any) -> Worker:
        worker = Worker(self.log, **env)
        self.workers.append(worker)
        return worker

    def post(self, **fields: Any) -> Work:
        response = self.author.post("/works/new", work_form_data(pseuds=[self.alice.default_pseud.pk], **fields))
        self.assertEqual(response.status_code, 302)
        work = Work.objects.order_by("-pk").first()
        assert work is not None
        return work

    def job(self, kind: str) -> Job:
        return Job.objects.get(kind=kind)

    def running(self, kind: str) -> bool:
        return self.job(kind).status == Job.Status.RUNNING

    def done(self, kind: str) -> bool:
        return self.job(kind).status == Job.Status.DONE

    # PDF -------------------------------------------------------------------------------------

    def long_work_pdf_job(self) -> Work:
        work = self.post(title="The Long Night", content="\n\n".join([PARAGRAPH] * 500))
        self.assertEqual(Client().get(f"/works/{work.pk}/download/pdf").status_code, 202)
        return work

    def pdf_files(self, work: Work) -> list[Path]:
        return list(download_cache.work_dir(work.pk).glob("*.pdf"))

    def test_a_pdf_build_killed_with_sigkill_is_built_once_by_the_next_worker(self):
        work = self.long_work_pdf_job()
        first = self.worker()
        wait_for(lambda: self.running("build_pdf"))
        time.sleep(0.3)
        self.assertTrue(self.running("build_pdf"), "the PDF finished before the kill: make the work longer")
        first.stop(signal.SIGKILL)
        self.worker()
        wait_for(lambda: self.done("build_pdf"), timeout=120, step=0.2)
        job = self.job("build_pdf")
        self.assertEqual(job.attempts, 2)
        self.assertEqual(len(self.pdf_files(work)), 1)
        response = Client().get(f"/works/{work.pk}/download/pdf")
        self.assertEqual(response["Content-Type"], "application/pdf")

    def test_a_pdf_build_stopped_with_sigterm_is_released_and_built_once_after_restart(self):
        work = self.long_work_pdf_job()
        first = self.worker(JOBS_STOP_GRACE_SECONDS=0)
        wait_for(lambda: self.running("build_pdf"))
        time.sleep(0.3)
        started = time.monotonic()
        self.assertEqual(first.stop(signal.SIGTERM), 0)
        self.assertLess(time.monotonic() - started, 10)
        job = self.job("build_pdf")
        self.assertEqual((job.status, job.attempts), (Job.Status.PENDING, 0))
        self.worker()
        wait_for(lambda: self.done("build_pdf"), timeout=120, step=0.2)
        self.assertEqual(self.job("build_pdf").attempts, 1)
        self.assertEqual(len(self.pdf_files(work)), 1)

    def test_sigterm_lets_a_running_pdf_build_finish_within_the_grace_period(self):
        work = self.long_work_pdf_job()
        first = self.worker(JOBS_STOP_GRACE_SECONDS=120)
        wait_for(lambda: self.running("build_pdf"))
        self.assertEqual(first.stop(signal.SIGTERM, timeout=120), 0)
        job = self.job("build_pdf")
        self.assertEqual((job.status, job.attempts), (Job.Status.DONE, 1))
        self.assertEqual(len(self.pdf_files(work)), 1)

    # Filter refresh --------------------------------------------------------------------------

    def wrangled_fandom(self) -> Tag:
        call_command("generate_archive", works=400, seed=13, stdout=io.StringIO())
        INDEX.reset()
        Job.objects.filter(kind="check_search_index").delete()  # the rebuild it asks for is tested elsewhere
        # The fandom with the most works: its refresh takes long enough to be killed in the middle.
        top = FilterTagging.objects.filter(tag__type="fandom").values("tag_id").annotate(n=Count("id")).order_by("-n")
        fandom = Tag.objects.get(pk=top[0]["tag_id"])
        canonical = Tag.objects.create(name=f"{fandom.name} (Ünïverse)", type="fandom", canonical=True)
        Tag.objects.filter(pk=fandom.pk).update(merger=canonical, canonical=False)
        queue_refresh_for_tags([canonical.pk, fandom.pk])
        return canonical

    def test_a_filter_refresh_killed_with_sigkill_completes_once_after_restart(self):
        canonical = self.wrangled_fandom()
        first = self.worker()
        wait_for(lambda: self.running("refresh_filters_for_tags"), step=0.005)
        first.stop(signal.SIGKILL)
        self.assertEqual(self.job("refresh_filters_for_tags").status, Job.Status.RUNNING, "finished before the kill")
        self.worker()
        wait_for(lambda: self.done("refresh_filters_for_tags"), step=0.1)
        self.assertEqual(self.job("refresh_filters_for_tags").attempts, 2)
        self.assertGreater(FilterTagging.objects.filter(tag=canonical).count(), 0)

    def test_sigterm_during_a_filter_refresh_lets_it_finish_once_and_the_worker_exits(self):
        canonical = self.wrangled_fandom()
        first = self.worker(JOBS_STOP_GRACE_SECONDS=60)
        wait_for(lambda: self.running("refresh_filters_for_tags"), step=0.005)
        self.assertEqual(first.stop(signal.SIGTERM, timeout=60), 0)
        job = self.job("refresh_filters_for_tags")
        self.assertEqual((job.status, job.attempts), (Job.Status.DONE, 1))
        self.assertGreater(FilterTagging.objects.filter(tag=canonical).count(), 0)

    # Digest ----------------------------------------------------------------------------------

    def digest_for_bob(self) -> None:
        bob = create_account("bob", "bob@example.org", BaseTestCase.password)
        work = self.post(title="Harbour Lights", expected_chapters="")
        Subscription.objects.create(user=bob, work=work)
        response = self.author.post(
            f"/works/{work.pk}/chapters/new", {"chapter_title": "", "content": "Chapter two.", "action": "post"}
        )
        self.assertEqual(response.status_code, 302)

    def test_a_digest_in_flight_at_sigkill_is_never_sent_twice(self):
        self.digest_for_bob()
        with smtp_server() as (box, port):
            box.release.clear()
            first = self.worker(**self.smtp_env(port))
            wait_for(lambda: box.receiving.is_set())
            first.stop(signal.SIGKILL)
            box.release.set()
            self.worker(**self.smtp_env(port))
            wait_for(lambda: self.done("send_subscription_digests"), step=0.1)
            # Claimed before sending: the retried job skips it. At most once, never twice.
            self.assertEqual(self.job("send_subscription_digests").attempts, 2)
            self.assertLessEqual(len(box.accepted), 1)

    def test_a_digest_in_flight_at_sigterm_is_sent_once_and_the_worker_stops(self):
        self.digest_for_bob()
        with smtp_server() as (box, port):
            box.release.clear()
            first = self.worker(JOBS_STOP_GRACE_SECONDS=30, **self.smtp_env(port))
            wait_for(lambda: box.receiving.is_set())
            first.process.send_signal(signal.SIGTERM)
            time.sleep(0.2)
            box.release.set()
            self.assertEqual(first.process.wait(30), 0)
            job = self.job("send_subscription_digests")
            self.assertEqual((job.status, job.attempts), (Job.Status.DONE, 1))
            self.assertEqual([recipients for recipients, _ in box.accepted], [["bob@example.org"]])

    def smtp_env(self, port: int) -> dict[str, Any]:
        return {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": port, "EMAIL_USE_TLS": "false", "EMAIL_TIMEOUT": 5}

    # Search index ----------------------------------------------------------------------------

    def test_search_recovers_by_itself_after_kills_during_index_commits(self):
        works = [self.post(title=f"Lighthouse {n}", content="\n\n".join([PARAGRAPH] * 40)) for n in range(12)]
        ids = [work.pk for work in works]
        rng = random.Random(13)
        for _ in range(4):
            for _ in range(25):
                queue_updates(ids)
            worker = self.worker()
            time.sleep(rng.uniform(0.5, 2.5))
            worker.stop(rng.choice([signal.SIGKILL, signal.SIGTERM]))
        self.worker()
        wait_for(lambda: not SearchUpdate.objects.exists(), timeout=120, step=0.2)
        wait_for(lambda: engine.searcher().num_docs == len(ids), timeout=120, step=0.2)
        self.assertTrue(self.workers[-1].alive(), self.log.read_text()[-3000:])
        self.assertNotIn("Worker turn failed", self.log.read_text())

    def test_a_rebuild_by_hand_while_the_worker_holds_the_index_takes_over_and_gives_it_back(self):
        work = self.post(title="Harbour Lights")
        worker = self.worker()
        wait_for(lambda: not SearchUpdate.objects.exists(), step=0.1)  # the worker holds the writer now
        started = time.monotonic()
        call_command("rebuild_search_index", stdout=io.StringIO(), stderr=io.StringIO())
        self.assertLess(time.monotonic() - started, 30)
        engine.WRITER.close()
        self.assertEqual(engine.searcher().num_docs, 1)
        # The worker writes again afterwards.
        Work.objects.filter(pk=work.pk).update(title="Harbour Lamps")
        queue_updates([work.pk])
        wait_for(lambda: not SearchUpdate.objects.exists(), step=0.1)
        self.assertTrue(worker.alive())
