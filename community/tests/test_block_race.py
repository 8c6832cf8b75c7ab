"""Pressing Block several times at once blocks once, without a 500 (review finding 11), on both databases."""

from community.models import Block, Mute
from fanarchive.test import ParallelTestCase

THREADS = 8


class BlockRaceTests(ParallelTestCase):
    def test_parallel_blocks_of_one_user_make_one_block(self):
        url = "/users/bob/block"
        statuses = self.post_in_parallel([(self.client_for(self.alice), url, {}) for _ in range(THREADS)])
        self.assertEqual(statuses, [302] * THREADS)
        self.assertEqual(Block.objects.filter(blocker=self.alice, blocked=self.bob).count(), 1)

    def test_parallel_mutes_of_one_user_make_one_mute(self):
        url = "/users/bob/mute"
        statuses = self.post_in_parallel([(self.client_for(self.alice), url, {}) for _ in range(THREADS)])
        self.assertEqual(statuses, [302] * THREADS)
        self.assertEqual(Mute.objects.filter(muter=self.alice, muted=self.bob).count(), 1)
