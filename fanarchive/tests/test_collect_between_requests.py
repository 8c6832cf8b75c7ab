"""Web processes collect garbage when a response is finished, not in the middle of a request
(lib/startup.py): a collection then costs no reader any time."""

import gc
import inspect
from typing import Any

from django.core.signals import request_finished

from fanarchive.test import BaseTestCase
from lib.startup import YOUNG_COLLECTION_THRESHOLD, collect_after_response, tune_garbage_collector_for_serving


class CollectionsBetweenRequestsTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.work = self.post_work(title="Ærø, the lighthouse keeper’s winter")
        saved = gc.get_threshold()
        tune_garbage_collector_for_serving()
        self.addCleanup(gc.set_threshold, *saved)
        self.addCleanup(request_finished.disconnect, dispatch_uid="collect_after_response")
        # (generation, whether it ran from collect_after_response)
        self.collections: list[tuple[int, bool]] = []
        gc.callbacks.append(self.note_collection)
        self.addCleanup(gc.callbacks.remove, self.note_collection)

    def note_collection(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            after_response = any(frame.function == "collect_after_response" for frame in inspect.stack(0))
            self.collections.append((info["generation"], after_response))

    def pending_objects(self, how_many: int) -> list[list[int]]:
        """Objects the collector tracks, kept alive: each counts towards its next young collection."""
        return [[n] for n in range(how_many)]

    def start_counting(self) -> None:
        gc.collect()
        self.collections.clear()

    def test_a_young_collection_due_waits_for_the_end_of_the_response(self) -> None:
        self.start_counting()
        held = self.pending_objects(YOUNG_COLLECTION_THRESHOLD * 2)
        self.assertGreater(gc.get_count()[0], YOUNG_COLLECTION_THRESHOLD)
        response = self.client.get("/works")
        self.assertContains(response, "Ærø, the lighthouse keeper’s winter")
        self.assertEqual(self.collections, [(0, True)])
        self.assertLess(gc.get_count()[0], YOUNG_COLLECTION_THRESHOLD)
        self.assertEqual(len(held), YOUNG_COLLECTION_THRESHOLD * 2)

    def test_no_collection_before_one_is_due(self) -> None:
        self.start_counting()
        self.client.get(f"/works/{self.work.pk}/")
        self.assertEqual(self.collections, [])
        self.assertIsNone(collect_after_response())

    def test_every_eleventh_collection_takes_the_middle_generation_as_python_would(self) -> None:
        self.start_counting()
        for _ in range(gc.get_threshold()[1] + 1):
            gc.collect(0)
        self.collections.clear()
        held = self.pending_objects(YOUNG_COLLECTION_THRESHOLD + 1000)
        self.client.get("/works")
        self.assertEqual(self.collections, [(1, True)])
        self.assertEqual(gc.get_count()[:2], (0, 0))
        del held
