"""A stopping worker lets the index's running merges finish instead of throwing them away."""

from search import engine
from search.indexer import close_writer
from search.tests.test_search import STORY, SearchTestCase


class WriterStopTests(SearchTestCase):
    def test_a_stop_waits_for_the_merges_so_the_next_worker_starts_from_few_segments(self):
        works = [self.make_work(title=f"Harbour {number}", content=STORY) for number in range(8)]
        documents = engine.build_documents([work.pk for work in works])
        # One commit per work, as a worker applying one edit a second does: each commit is a
        # segment, and the eighth starts a merge in the writer's threads; the stop comes at once.
        with engine.WRITER.session() as writer:
            assert writer is not None
            for work in works:
                engine.write_documents(writer, {work.pk: documents[work.pk]})
                writer.commit()
        with self.assertLogs("search.engine", "INFO") as logs:
            close_writer()
        self.assertIn("merges finished on stop", logs.output[-1])
        searcher = engine.searcher()
        self.assertEqual(searcher.num_docs, 8)
        self.assertEqual(searcher.num_segments, 1, "the merge of the eight segments was thrown away")
        self.assertEqual(len(self.search("harbour")), 8)
        # The next writer (the restarted worker) opens the index as usual.
        self.make_work(title="Harbour 8", content=STORY)
        self.assertGreaterEqual(self.index_search(), 1)
        self.assertEqual(engine.searcher().num_docs, 9)
