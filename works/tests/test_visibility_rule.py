"""The visibility rule is written once; every place that shows or acts on a work agrees with it.

For every combination of posted / hidden by staff / restricted, as a guest and as a reader:
the queryset, the single-work predicate, the works index (filter index), search (Tantivy),
the work page and kudos all say the same thing.
"""

import itertools

from django.contrib.auth.models import AnonymousUser

from accounts.models import User
from community.models import Kudo
from search.indexer import queue_updates
from works.filters import note_changed
from works.models import Work
from works.tests.test_filtering import FilterTestCase


class VisibilityRuleTests(FilterTestCase):
    def test_every_door_agrees_with_the_one_rule(self):
        works = {}
        for posted, hidden, restricted in itertools.product((True, False), repeat=3):
            title = f"Beacon {'P' if posted else 'd'}{'H' if hidden else 'v'}{'R' if restricted else 'o'}"
            work = self.make_work(title=title)
            Work.objects.filter(pk=work.pk).update(posted=posted, hidden_by_admin=hidden, restricted=restricted)
            works[title] = work.pk
        note_changed(works.values())
        queue_updates(works.values())
        self.index_search()

        readers: list[User | None] = [None, self.bob]
        for reader in readers:
            user = reader or AnonymousUser()
            self.client.logout()
            if reader is not None:
                self.login(reader)
            listing = self.client.get("/works").content.decode()
            found = self.client.get("/search/?q=beacon").content.decode()
            for title, pk in works.items():
                work = Work.objects.get(pk=pk)
                visible = work.posted and not work.hidden_by_admin and (reader is not None or not work.restricted)
                with self.subTest(title=title, reader=reader and reader.username):
                    self.assertEqual(work.is_visible_to(user), visible)
                    self.assertEqual(Work.objects.visible_to(user).filter(pk=pk).exists(), visible)
                    self.assertEqual(f"/works/{pk}/" in listing, visible)
                    self.assertEqual(f"/works/{pk}/" in found, visible)
                    page = self.client.get(f"/works/{pk}/")
                    self.assertEqual(page.status_code == 200, visible)
                    self.client.post(f"/works/{pk}/kudos")
                    self.assertEqual(Kudo.objects.filter(work_id=pk).exists(), visible)
                    Kudo.objects.filter(work_id=pk).delete()
