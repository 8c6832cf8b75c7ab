"""Authors' stats: each posted work's hits, kudos, comments, bookmarks, subscriptions and words, with totals."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.models import Subscription
from fanarchive.test import BaseTestCase
from works.models import Work


class StatsTests(BaseTestCase):
    def test_the_stats_page_shows_each_posted_work_and_the_totals(self):
        first = self.make_work(title="Lamplight")
        second = self.make_work(title="Quiet Harbour")
        self.make_work(title="Unfinished", action="draft")
        self.make_work(author=self.bob, title="Bob's Work")
        Work.objects.filter(pk=first.pk).update(hits=1200, kudos_count=30, comments_count=4, bookmarks_count=2)
        Work.objects.filter(pk=second.pk).update(hits=800, kudos_count=12, comments_count=1, bookmarks_count=5)
        Subscription.objects.create(user=self.bob, work=first)
        Subscription.objects.create(user=self.bob, creator=self.alice)
        self.login(self.alice)
        with CaptureQueriesContext(connection) as queries:
            page = self.client.get("/account/stats")
        self.assertContains(page, "1 user subscribed to you.")
        html = page.content.decode()
        self.assertNotIn("Unfinished", html)
        self.assertNotIn("Bob&#x27;s Work", html)
        words = first.word_count + second.word_count
        self.assertInHTML(
            f"<tr><th scope='row'>Totals</th><td class='number'>2,000</td><td class='number'>42</td>"
            f"<td class='number'>5</td><td class='number'>7</td><td class='number'>1</td>"
            f"<td class='number'>{words}</td></tr>",
            html,
        )
        self.assertInHTML(
            f"<tr><th scope='row'><a href='/works/{first.pk}/'>Lamplight</a></th><td class='number'>1,200</td>"
            f"<td class='number'>30</td><td class='number'>4</td><td class='number'>2</td><td class='number'>1</td>"
            f"<td class='number'>{first.word_count}</td></tr>",
            html,
        )
        by_bookmarks = self.client.get("/account/stats?sort=bookmarks_count").content.decode()
        self.assertLess(by_bookmarks.index("Quiet Harbour"), by_bookmarks.index("Lamplight"))
        # Session, user, the account's standing (moderation middleware), the works with their subscription
        # counts, the subscribers, the nav (the wrangler check and the account menu's unread count): not one
        # per work.
        for number in range(5):
            self.make_work(title=f"More {number}")
        self.login(self.alice)
        with CaptureQueriesContext(connection) as more:
            self.client.get("/account/stats")
        self.assertEqual(len(queries), len(more))
        self.assertLessEqual(len(more), 7, [q["sql"][:100] for q in more.captured_queries])

    def test_guests_are_sent_to_log_in(self):
        self.assertEqual(self.client.get("/account/stats").status_code, 302)
