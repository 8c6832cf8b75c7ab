"""Kudos: one per work per user or guest address, never on one's own work, on restricted works from guests,
or from someone the creator blocked; counted on the work, listed on its page, sortable in listings."""

from accounts.actions import create_account
from community.models import Block, Kudo
from fanarchive.test import BaseTestCase
from works.models import Work


class KudosTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.work = self.make_work(title="Lamplight")
        self.url = f"/works/{self.work.pk}/kudos"

    def kudos_count(self) -> int:
        return Work.objects.get(pk=self.work.pk).kudos_count

    def test_a_user_leaves_kudos_once(self):
        self.login(self.bob)
        response = self.client.post(self.url, follow=True)
        self.assertContains(response, "Thank you for leaving kudos!")
        self.assertContains(response, "You have left kudos on this work.")
        response = self.client.post(self.url, follow=True)
        self.assertContains(response, "You have already left kudos here. :)")
        self.assertEqual(Kudo.objects.filter(work=self.work).count(), 1)
        self.assertEqual(self.kudos_count(), 1)

    def test_guests_leave_kudos_once_per_address_which_is_never_stored_in_clear(self):
        self.client.post(self.url, REMOTE_ADDR="203.0.113.7")
        response = self.client.post(self.url, REMOTE_ADDR="203.0.113.7", follow=True)
        self.assertContains(response, "You have already left kudos here. :)")
        self.client.post(self.url, REMOTE_ADDR="198.51.100.2")
        self.assertEqual(self.kudos_count(), 2)
        hashes = list(Kudo.objects.values_list("guest_hash", flat=True))
        self.assertEqual(len(set(hashes)), 2)
        self.assertFalse(any("203.0.113.7" in h or "198.51.100.2" in h for h in hashes))

    def test_guests_cannot_leave_kudos_on_a_restricted_work(self):
        restricted = self.make_work(title="Members Only", restricted="on")
        response = self.client.post(f"/works/{restricted.pk}/kudos")
        self.assertEqual(response.status_code, 302)
        self.assertIn("/account/login", response["Location"])
        login_page = self.client.get(response["Location"])
        self.assertContains(login_page, "Only logged-in users can leave kudos on this work.")
        self.assertFalse(Kudo.objects.exists())
        self.login(self.bob)
        self.client.post(f"/works/{restricted.pk}/kudos")
        self.assertEqual(Work.objects.get(pk=restricted.pk).kudos_count, 1)

    def test_creators_cannot_leave_kudos_on_their_own_work(self):
        self.login(self.alice)
        response = self.client.post(self.url, follow=True)
        self.assertContains(response, "You can&#x27;t leave kudos on your own work.")
        self.assertNotContains(response, f'action="/works/{self.work.pk}/kudos"')
        self.assertEqual(self.kudos_count(), 0)

    def test_a_user_the_creator_blocked_cannot_leave_kudos(self):
        Block.objects.create(blocker=self.alice, blocked=self.bob)
        self.login(self.bob)
        response = self.client.post(self.url, follow=True)
        self.assertContains(response, "Sorry, you have been blocked by one of this work&#x27;s creators.")
        self.assertEqual(self.kudos_count(), 0)

    def test_drafts_take_no_kudos(self):
        draft = self.make_work(title="Unfinished", action="draft")
        self.login(self.bob)
        self.assertEqual(self.client.post(f"/works/{draft.pk}/kudos").status_code, 404)
        self.assertEqual(self.client.get(f"/works/{draft.pk}/kudos").status_code, 405)
        self.assertFalse(Kudo.objects.exists())

    def test_the_work_page_lists_who_left_kudos_and_counts_guests(self):
        carol = create_account("carol", "carol@example.org", self.password)
        for user in (self.bob, carol):
            self.login(user)
            self.client.post(self.url)
        self.client.logout()
        for address in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):
            self.client.post(self.url, REMOTE_ADDR=address)
        response = self.client.get(f"/works/{self.work.pk}/")
        self.assertContains(
            response,
            '<a href="/users/carol">carol</a>, <a href="/users/bob">bob</a> and 3 guests left kudos on this work!',
            html=True,
        )
        self.assertContains(response, "<dt>Kudos:</dt><dd>5</dd>", html=True)

    def test_kudos_show_on_blurbs_only_when_there_are_some_and_sort_listings(self):
        other = self.make_work(title="Quiet Harbour")
        page = self.client.get("/works").content.decode()
        self.assertNotIn("<dt>Kudos:</dt>", page)
        self.login(self.bob)
        self.client.post(f"/works/{other.pk}/kudos")
        page = self.client.get("/works").content.decode()
        self.assertIn("<dt>Kudos:</dt><dd>1</dd>", page)
        by_kudos = self.client.get("/works?sort=kudos").content.decode()
        self.assertLess(by_kudos.index("Quiet Harbour"), by_kudos.index("Lamplight"))
        self.client.post(self.url)
        self.client.logout()
        self.client.post(self.url, REMOTE_ADDR="192.0.2.9")
        by_kudos = self.client.get("/works?sort=kudos").content.decode()
        self.assertLess(by_kudos.index("Lamplight"), by_kudos.index("Quiet Harbour"))
