"""History and Marked for Later are lists: a muted creator's works leave them, on the site as in the
OPDS catalog (works.access.listed_works), and come back when the creator is unmuted."""

import feedparser

from accounts.actions import create_account
from works.tests.helpers import WorksTestCase


class MutedCreatorsLeaveReadingLists(WorksTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.carol = create_account("carol", "carol@example.org", self.password)
        alices = self.make_work(title="Lamplight")
        carols = self.make_work(author=self.carol, title="Tidewrack")
        self.login(self.bob)
        for work in (alices, carols):
            self.client.get(f"/works/{work.pk}/")
            self.client.post(f"/works/{work.pk}/mark_for_later")

    def shown(self) -> dict[str, set[str]]:
        titles = {"Lamplight", "Tidewrack"}
        lists = {path: self.client.get(path).content.decode() for path in ("/history", "/later")}
        shown = {path: {title for title in titles if title in page} for path, page in lists.items()}
        shown["/opds/later"] = {
            entry.title for entry in feedparser.parse(self.client.get("/opds/later").content).entries
        }
        return shown

    def test_muting_takes_them_out_of_every_list_and_unmuting_brings_them_back(self) -> None:
        both = {"Lamplight", "Tidewrack"}
        self.assertEqual(self.shown(), {"/history": both, "/later": both, "/opds/later": both})
        self.client.post("/users/carol/mute")
        alone = {"Lamplight"}
        self.assertEqual(self.shown(), {"/history": alone, "/later": alone, "/opds/later": alone})
        self.client.post("/users/carol/unmute")
        self.assertEqual(self.shown(), {"/history": both, "/later": both, "/opds/later": both})
