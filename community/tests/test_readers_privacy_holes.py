"""Blocking and privacy seen from the reader's side (review finding 8): no Kudos button for a reader
the creator blocked, and no history listed while history is turned off."""

from community.models import Block, Reading
from works.models import Work
from works.tests.helpers import WorksTestCase


class ReadersPrivacyTests(WorksTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.work = self.make_work(title="Lamplight Ødegård")

    def test_a_blocked_reader_is_not_offered_the_kudos_button(self):
        Block.objects.create(blocker=self.alice, blocked=self.bob)
        self.login(self.bob)
        page = self.client.get(self.work.get_absolute_url())
        self.assertNotContains(page, f'action="/works/{self.work.pk}/kudos"')
        # Unblocked readers still get it.
        Block.objects.all().delete()
        page = self.client.get(self.work.get_absolute_url())
        self.assertContains(page, f'action="/works/{self.work.pk}/kudos"')

    def test_history_lists_nothing_while_it_is_turned_off(self):
        self.login(self.bob)
        self.client.get(self.work.get_absolute_url())
        self.assertContains(self.client.get("/history"), "Lamplight Ødegård")
        self.bob.history_enabled = False
        self.bob.save(update_fields=["history_enabled"])
        page = self.client.get("/history")
        self.assertContains(page, "Your history is turned off")
        self.assertNotContains(page, "Lamplight Ødegård")
        self.assertTrue(Reading.objects.filter(user=self.bob, work=self.work).exists())
        self.assertTrue(Work.objects.filter(pk=self.work.pk).exists())
