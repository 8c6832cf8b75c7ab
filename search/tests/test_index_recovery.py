"""The index recovers by itself: files a killed commit left behind, a deleted index, an index that
holds fewer works than the database; and searches say so plainly while it rebuilds."""

import io
import json
import shutil

from django.core.management import call_command

from jobs.models import Job
from jobs.queue import enqueue, run_pending
from search import engine
from search.indexer import index_health, queue_updates
from search.tests.test_search import STORY, SearchTestCase
from works.models import Work

REBUILDING = "Search is rebuilding its index"


class IndexRecoveryTests(SearchTestCase):
    def test_a_commit_blocked_by_files_a_killed_commit_left_is_recovered_and_logged(self):
        work = self.post_work(title="Harbour Lights", content=STORY)
        self.index_search()
        engine.WRITER.close()  # the killed worker's writer is gone; the next one starts from meta.json
        folder = engine.search_dir() / engine._current_name()  # type: ignore[operator]
        meta = json.loads((folder / "meta.json").read_text())
        segment = meta["segments"][0]["segment_id"].replace("-", "")
        # What a kill -9 during a commit leaves: the deletes file of a commit meta.json never got.
        for opstamp in range(meta["opstamp"] + 1, meta["opstamp"] + 8):
            (folder / f"{segment}.{opstamp}.del").write_bytes(b"half-written")
        Work.objects.filter(pk=work.pk).update(title="Harbour Lamps")
        queue_updates([work.pk])
        with self.assertLogs("search.indexer", "ERROR") as logs:
            self.assertEqual(self.index_search(), 1)
        self.assertIn("FileAlreadyExists", logs.output[0])
        self.assertIn(f"{segment}.{meta['opstamp'] + 1}.del", logs.output[0])
        self.assertEqual(self.search("lamps"), ["Harbour Lamps"])
        self.assertEqual(engine.searcher().num_docs, 1)

    def test_a_deleted_index_says_search_is_rebuilding_and_is_rebuilt_by_the_worker(self):
        self.post_work(title="Harbour Lights", content=STORY)
        self.index_search()
        engine.WRITER.close()
        shutil.rmtree(engine.search_dir())
        engine.READERS.forget()
        response = self.client.get("/search/", {"q": "harbour"})
        self.assertContains(response, REBUILDING)
        self.assertFalse(engine.has_index())  # the empty stand-in is not an index
        self.assertFalse(index_health()["complete"])
        enqueue("check_search_index", key="periodic:check_search_index")
        with self.assertLogs("search.indexer", "WARNING") as logs:
            run_pending()
        self.assertIn("Search index is missing (0 of 1 visible works): rebuilding it", logs.output[0])
        self.assertEqual(self.search("harbour"), ["Harbour Lights"])
        self.assertNotContains(self.client.get("/search/", {"q": "harbour"}), REBUILDING)

    def test_rebuild_if_missing_is_not_fooled_by_an_empty_or_short_index(self):
        self.post_work(title="Harbour Lights", content=STORY)
        self.post_work(title="Open Sea", content=STORY)
        engine.WRITER.close()
        shutil.rmtree(engine.search_dir())
        engine.READERS.forget()
        self.client.get("/search/", {"q": "harbour"})  # creates the empty stand-in
        call_command("rebuild_search_index", "--if-missing", stdout=io.StringIO(), stderr=io.StringIO())
        self.assertEqual(engine.searcher().num_docs, 2)
        # An index short of works (the rows that queued them lost) is rebuilt too.
        self.clear_queue_and_drop(Work.objects.get(title="Open Sea").pk)
        self.assertFalse(index_health()["complete"])
        call_command("rebuild_search_index", "--if-missing", stdout=io.StringIO(), stderr=io.StringIO())
        self.assertEqual(sorted(self.search("harbour OR sea")), ["Harbour Lights", "Open Sea"])

    def clear_queue_and_drop(self, work_id: int) -> None:
        from search.models import SearchUpdate

        SearchUpdate.objects.all().delete()
        writer = engine.WRITER.get()
        assert writer is not None
        writer.delete_documents_by_query(engine._delete_query(work_id))
        writer.commit()

    def test_the_worker_queues_an_index_check_when_it_starts(self):
        call_command("run_jobs", "--once")
        self.assertTrue(Job.objects.filter(kind="check_search_index", status=Job.Status.DONE).exists())
