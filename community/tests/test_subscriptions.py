"""Subscriptions to works, creators and series: buttons, inbox items when something is posted
(never for drafts), one digest email per reader with text and HTML, and its unsubscribe link."""

import re

from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command

from accounts.actions import create_account
from community.actions import mute_user
from community.models import InboxItem, Subscription
from community.notify import DIGEST_JOB, queue_digests
from jobs.models import Job
from jobs.queue import run_pending
from works.models import Series
from works.tests.helpers import WorksTestCase


class SubscribeButtonTests(WorksTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.work = self.make_work(title="Lamplight", new_series_title="Harbour Lights")
        self.series = Series.objects.get()

    def test_readers_subscribe_to_a_work_and_unsubscribe(self):
        self.login(self.bob)
        page = self.client.get(f"/works/{self.work.pk}/")
        self.assertContains(page, ">Subscribe</button>")
        response = self.client.post("/subscriptions", {"kind": "work", "target": self.work.pk}, follow=True)
        self.assertContains(response, "You are now subscribed to “Lamplight”.")
        self.assertContains(response, ">Unsubscribe</button>")
        subscription = Subscription.objects.get(user=self.bob, work=self.work)
        self.assertContains(self.client.get("/account/subscriptions"), "Lamplight")
        self.client.post(f"/subscriptions/{subscription.pk}/delete")
        self.assertFalse(Subscription.objects.exists())

    def test_readers_subscribe_to_a_creator_from_the_profile_and_to_a_series_from_its_page(self):
        self.login(self.bob)
        self.assertContains(self.client.get("/users/alice"), 'name="kind" value="creator"')
        self.client.post("/subscriptions", {"kind": "creator", "target": "alice"})
        self.assertContains(self.client.get(f"/series/{self.series.pk}"), 'name="kind" value="series"')
        self.client.post("/subscriptions", {"kind": "series", "target": self.series.pk})
        self.assertTrue(Subscription.objects.filter(user=self.bob, creator=self.alice).exists())
        self.assertTrue(Subscription.objects.filter(user=self.bob, series=self.series).exists())
        # Subscribing twice changes nothing.
        self.client.post("/subscriptions", {"kind": "creator", "target": "alice"})
        self.assertEqual(Subscription.objects.count(), 2)

    def test_nobody_subscribes_to_themselves_to_what_they_cannot_see_or_as_a_guest(self):
        self.login(self.alice)
        response = self.client.post("/subscriptions", {"kind": "creator", "target": "alice"}, follow=True)
        self.assertContains(response, "You can&#x27;t subscribe to yourself.")
        draft = self.make_work(title="Unfinished", action="draft")
        self.login(self.bob)
        self.assertEqual(self.client.post("/subscriptions", {"kind": "work", "target": draft.pk}).status_code, 404)
        self.assertEqual(self.client.post("/subscriptions", {"kind": "nonsense", "target": 1}).status_code, 400)
        self.client.logout()
        self.assertEqual(self.client.post("/subscriptions", {"kind": "work", "target": self.work.pk}).status_code, 302)
        self.assertFalse(Subscription.objects.exists())
        self.assertNotContains(self.client.get(f"/works/{self.work.pk}/"), ">Subscribe</button>")


class NotificationTests(WorksTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.carol = create_account("carol", "carol@example.org", self.password)
        self.work = self.make_work(title="Lamplight", new_series_title="Harbour Lights", expected_chapters="")
        self.series = Series.objects.get()
        Subscription.objects.create(user=self.bob, work=self.work)
        Subscription.objects.create(user=self.bob, creator=self.alice)
        Subscription.objects.create(user=self.carol, series=self.series)
        Subscription.objects.create(user=self.carol, creator=self.alice)

    def items(self, kind: str) -> list[tuple[str, str]]:
        return sorted(
            (item.user.username, item.work.title if item.work else "")
            for item in InboxItem.objects.filter(kind=kind).select_related("user", "work")
        )

    def test_a_posted_chapter_reaches_the_work_subscribers_and_a_draft_chapter_does_not(self):
        self.add_chapter(self.work, "Chapter two text, long enough.", action="draft")
        self.assertFalse(InboxItem.objects.exists())
        draft_chapter = self.work.chapters.get(position=2)
        self.login(self.alice)
        self.client.post(
            f"/works/{self.work.pk}/chapters/{draft_chapter.pk}/edit",
            {"content": "Chapter two text, long enough.", "action": "post"},
        )
        self.assertEqual(self.items(InboxItem.Kind.NEW_CHAPTER), [("bob", "Lamplight")])
        self.assertEqual(InboxItem.objects.get().chapter, draft_chapter)
        self.add_chapter(self.work, "Chapter three text, long enough.")
        self.assertEqual(InboxItem.objects.filter(kind=InboxItem.Kind.NEW_CHAPTER).count(), 2)

    def test_a_posted_work_reaches_creator_and_series_subscribers_once_each_and_a_draft_reaches_nobody(self):
        draft = self.make_work(title="Second Light", series=str(self.series.pk), action="draft")
        self.assertFalse(InboxItem.objects.exists())
        self.login(self.alice)
        self.client.post(f"/works/{draft.pk}/post")
        self.assertEqual(self.items(InboxItem.Kind.NEW_WORK), [("bob", "Second Light")])
        # Carol follows both the series and Alice: she hears once, of the series part.
        self.assertEqual(self.items(InboxItem.Kind.NEW_SERIES_PART), [("carol", "Second Light")])

    def test_restricted_works_reach_subscribers_and_muters_of_the_creator_hear_nothing(self):
        mute_user(self.carol, self.alice)
        self.make_work(title="Members Only", restricted="on")
        self.assertEqual(self.items(InboxItem.Kind.NEW_WORK), [("bob", "Members Only")])

    def test_one_digest_email_per_reader_with_text_html_and_a_working_unsubscribe_link(self):
        self.add_chapter(self.work, "Chapter two text, long enough.")
        self.make_work(title="Another <Light> & More")
        self.carol.email_on_subscriptions = False
        self.carol.save(update_fields=["email_on_subscriptions"])
        self.make_work(title="Third Light")
        queue_digests()
        queue_digests()  # one run is waiting already: not queued twice
        self.assertEqual(Job.objects.filter(kind=DIGEST_JOB).count(), 1)
        run_pending()
        # Bob: a new chapter and two new works, in one email. Carol turned emails off before the digest
        # went out: her news waits in her inbox only.
        self.assertEqual([m.to for m in mail.outbox], [["bob@example.org"]])
        email = mail.outbox[0]
        assert isinstance(email, EmailMultiAlternatives)
        self.assertIn("3 updates from your subscriptions", email.subject)
        self.assertIn("Chapter 2 of “Lamplight”", email.body)
        self.assertIn("“Another <Light> & More”", email.body)
        html, mimetype = email.alternatives[0]
        self.assertEqual(mimetype, "text/html")
        self.assertIn("Another &lt;Light&gt; &amp; More", str(html))
        self.assertFalse(InboxItem.objects.filter(emailed=False).exists())
        self.assertTrue(InboxItem.objects.filter(user=self.carol, work__title="Third Light").exists())

        # Nothing new: nothing sent.
        mail.outbox.clear()
        queue_digests()
        run_pending()
        self.assertEqual(mail.outbox, [])

        link = re.search(r"Stop these emails: (\S+)", str(email.body))
        assert link is not None
        path = link.group(1).split("://", 1)[1].split("/", 1)[1]
        self.assertIn(f"/{path}", str(html))
        self.assertIn(f"/{path}", email.extra_headers["List-Unsubscribe"])
        self.client.logout()
        page = self.client.get(f"/{path}")
        self.assertContains(page, "Stop sending you emails about your subscriptions?")
        self.bob.refresh_from_db()
        self.assertTrue(self.bob.email_on_subscriptions)  # a GET (a mail scanner's visit) changes nothing
        self.assertContains(self.client.post(f"/{path}"), "you will get no more emails about your subscriptions")
        self.bob.refresh_from_db()
        self.assertFalse(self.bob.email_on_subscriptions)
        self.assertEqual(self.client.get(f"/{path[:-3]}xyz").status_code, 404)

    def test_the_worker_queues_digests_in_its_housekeeping(self):
        self.add_chapter(self.work, "Chapter two text, long enough.")
        call_command("run_jobs", "--once")
        self.assertEqual([m.to for m in mail.outbox], [["bob@example.org"]])
