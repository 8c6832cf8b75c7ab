"""A reader's mutes, exclusions and saved filters are cached per process by the version their account
row carries (accounts.reader), yet every change shows on the very next page, whichever process made
it; the standing is read with the user, so a ban or a suspension does too. A member's listing page
costs a fixed, small number of queries."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from accounts.models import SavedFilter, User
from community.muting import muted_user_ids
from fanarchive.test import ParallelTestCase
from moderation.tests.helpers import ModerationTestCase
from tags.models import Tag


@contextmanager
def another_process() -> Iterator[None]:
    """Requests served as by another web process: a per-process cache of its own, so nothing it
    does can reach the entries the reader's own process keeps."""
    caches = {**settings.CACHES, "readers": {**settings.CACHES["readers"], "LOCATION": "readers-elsewhere"}}
    with override_settings(CACHES=caches):
        yield


class AReadersChangesShowOnTheVeryNextPage(ModerationTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.carol = User.objects.create_user("carol", "carol@example.org", self.password)
        self.make_work(title="Lighthouse at Dusk", freeforms="Fluff, Slow Burn")
        self.make_work(self.carol, title="Café Ünder the Sea", freeforms="Kraken Ängst")
        self.reader = Client()
        self.reader.force_login(self.bob)
        # Bob on his phone: the same account, its requests served by another process.
        self.phone = Client()
        self.phone.force_login(self.bob)

    def page(self, url: str = "/works") -> str:
        response = self.reader.get(url)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def elsewhere(self, client: Client, url: str, data: dict[str, object]) -> None:
        with another_process():
            self.assertEqual(client.post(url, data).status_code, 302)

    def test_muting_and_unmuting(self) -> None:
        self.assertIn("Café Ünder the Sea", self.page())  # the record is cached now
        self.elsewhere(self.phone, "/users/carol/mute", {})
        page = self.page()
        self.assertNotIn("Café Ünder the Sea", page)
        self.assertIn("1 work by a user you muted is hidden.", page)
        self.elsewhere(self.phone, "/users/carol/unmute", {})
        page = self.page()
        self.assertIn("Café Ünder the Sea", page)
        self.assertNotIn("you muted", page)

    def test_adding_and_removing_tag_exclusions(self) -> None:
        self.assertIn("Lighthouse at Dusk", self.page())
        self.elsewhere(self.phone, "/account/exclusions", {"tags": "Slow Burn"})
        page = self.page()
        self.assertNotIn("Lighthouse at Dusk", page)
        self.assertIn("Café Ünder the Sea", page)
        slow_burn = Tag.objects.get(name="Slow Burn")
        self.elsewhere(self.phone, "/account/exclusions", {"remove": slow_burn.pk})
        self.assertIn("Lighthouse at Dusk", self.page())

    def test_saving_replacing_and_deleting_a_saved_filter(self) -> None:
        self.assertNotIn("saved-filters", self.page())
        self.elsewhere(self.phone, "/account/filters/new", {"name": "Fluffy", "path": "/works", "query": "sort=title"})
        self.assertIn('<a href="/works?sort=title">Fluffy</a>', self.page())
        # Saving under the same name replaces its filters.
        self.elsewhere(self.phone, "/account/filters/new", {"name": "Fluffy", "path": "/works", "query": "sort=kudos"})
        page = self.page()
        self.assertIn('<a href="/works?sort=kudos">Fluffy</a>', page)
        self.assertNotIn("sort=title", page)
        saved = SavedFilter.objects.get(user=self.bob)
        self.elsewhere(self.phone, "/account/filters", {"delete": saved.pk})
        self.assertNotIn("Fluffy", self.page())

    def test_a_moderators_suspension_and_ban(self) -> None:
        self.login(self.alice)
        case = self.report("user", self.bob.pk)
        self.page()
        with another_process():
            self.assertEqual(self.act(case, "suspend", days=3, reason="Harassing Alice.").status_code, 302)
        work = self.make_work(title="Kudos Wanted")
        self.assertEqual(self.reader.post(f"/works/{work.pk}/kudos").status_code, 403)
        with another_process():
            self.act(case, "ban", reason="Repeated harassment.")
        response = self.reader.get("/works", follow=True)
        self.assertContains(response, "This account has been banned and cannot log in. Reason: Repeated harassment.")
        self.assertFalse(response.wsgi_request.user.is_authenticated)

    def test_a_muted_account_that_leaves_leaves_its_muters_records(self) -> None:
        self.elsewhere(self.phone, "/users/carol/mute", {})
        self.assertIn("1 work by a user you muted is hidden.", self.page())
        carol = Client()
        carol.force_login(self.carol)
        with another_process():
            response = carol.post("/account/delete", {"password": self.password, "works": "delete"})
        self.assertEqual(response.status_code, 302)
        self.assertFalse(User.objects.filter(username="carol").exists())
        response = self.reader.get("/works")
        self.assertNotIn("you muted", response.content.decode())
        # The mute went with her account; the cached record says so too.
        self.assertEqual(muted_user_ids(response.wsgi_request.user), set())

    def test_a_member_listing_page_costs_six_queries_once_the_record_is_cached(self) -> None:
        self.elsewhere(self.phone, "/account/exclusions", {"tags": "Kraken Ängst"})
        self.elsewhere(self.phone, "/account/filters/new", {"name": "Fluffy", "path": "/works", "query": "sort=title"})
        self.page()  # reads the record once for this version
        with CaptureQueriesContext(connection) as queries:
            page = self.page()
        self.assertIn("Lighthouse at Dusk", page)
        self.assertIn("Fluffy", page)
        # The session; the user with their standing and roles; the index's look at the change log
        # with the pending wrangling jobs; the page's works with their blurbs' keys; the facets' tag
        # names; the inbox's unread count. Mutes, exclusions, saved filters, standing: none.
        self.assertEqual(len(queries), 6, [q["sql"][:100] for q in queries.captured_queries])
        for table in ("community_mute", "accounts_tagexclusion", "accounts_savedfilter", "moderation_standing"):
            self.assertFalse([q for q in queries if q["sql"].startswith(f'SELECT "{table}"')], table)
        # Muting someone adds what mutes cost on every page (the muted users' works, and their comments
        # and bookmarks counted out of the blurbs), not a read of the mute list.
        self.elsewhere(self.phone, "/users/carol/mute", {})
        self.page()
        with CaptureQueriesContext(connection) as muting:
            self.page()
        self.assertEqual(len(muting), 9, [q["sql"][:100] for q in muting.captured_queries])
        self.assertFalse([q for q in muting if q["sql"].startswith('SELECT "community_mute"')])


class ParallelChangesEachMoveTheVersion(ParallelTestCase):
    def test_parallel_mutes_and_exclusions_all_show_on_the_next_page(self) -> None:
        muted = [User.objects.create_user(f"muted{n}", f"muted{n}@example.org", self.password) for n in range(4)]
        for user in muted:
            self.make_work(user, title=f"Work of {user.username}")
        self.make_work(title="Tagged Ängst", freeforms="Kraken Ängst")
        self.make_work(title="Tagged Fluff", freeforms="Tea Fluff")
        self.make_work(title="Untagged")
        reader = self.client_for(self.bob)
        self.assertIn("Work of muted0", reader.get("/works").content.decode())
        requests: list[tuple[Client, str, dict[str, Any]]] = [
            (self.client_for(self.bob), f"/users/{user.username}/mute", {}) for user in muted
        ]
        requests += [
            (self.client_for(self.bob), "/account/exclusions", {"tags": name}) for name in ("Kraken Ängst", "Tea Fluff")
        ]
        with another_process():
            statuses = self.post_in_parallel(requests)
        self.assertEqual(statuses, [302] * len(requests))
        page = reader.get("/works").content.decode()
        for title in [f"Work of {user.username}" for user in muted] + ["Tagged Ängst", "Tagged Fluff"]:
            self.assertNotIn(title, page)
        self.assertIn("Untagged", page)
        self.assertIn("4 works by users you muted are hidden.", page)
        # Every change moved the version by one (F(): none lost to another).
        self.bob.refresh_from_db()
        self.assertEqual(self.bob.reader_version, len(requests))
