"""Comment and reply emails: plain text and HTML, sent by the worker, with a working unsubscribe link."""

import re

from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.test import override_settings

from accounts.unsubscribe import unsubscribe_token
from comments.tests.helpers import CommentsTestCase, email_html
from community.actions import mute_user
from community.models import InboxItem
from jobs.queue import run_pending
from works.models import Work


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend", SITE_URL="https://archive.test")
class CommentEmailTests(CommentsTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.work = self.make_work(title="Lamps & <Lanterns>")

    def test_a_comment_emails_the_creator_in_text_and_html_with_an_unsubscribe_link(self):
        self.comment(
            self.work,
            'I *loved* the <em>ending</em>.\n\nSee <a href="https://example.org/x">my recs</a>.',
            user=self.bob,
            chapter=self.first_chapter(self.work),
        )
        self.assertEqual(mail.outbox, [])  # nothing is sent inside the request
        run_pending()
        self.assertEqual(len(mail.outbox), 1)
        email = mail.outbox[0]
        assert isinstance(email, EmailMultiAlternatives)
        self.assertEqual(email.to, ["alice@example.org"])
        self.assertEqual(email.subject, "[Fanarchive] Comment on Lamps & <Lanterns>")
        self.assertIn("bob left a comment on", email.body)
        self.assertIn("I *loved* the ending.\n\nSee my recs (https://example.org/x).", email.body)
        self.assertNotIn("<em>", email.body)
        html, mimetype = email_html(email)
        self.assertEqual(mimetype, "text/html")
        self.assertIn("<em>ending</em>", html)
        self.assertIn("Lamps &amp; &lt;Lanterns&gt;", html)
        comment = self.last_comment()
        self.assertIn(f"https://archive.test/works/{self.work.pk}/chapters/", email.body)
        self.assertIn(f"#comment-{comment.pk}", email.body)
        unsubscribe = re.search(r"Stop these emails: (\S+)", str(email.body))
        assert unsubscribe is not None
        self.assertTrue(unsubscribe.group(1).startswith("https://archive.test/account/unsubscribe/"))
        self.assertIn(unsubscribe.group(1), html)
        self.assertEqual(email.extra_headers["List-Unsubscribe"], f"<{unsubscribe.group(1)}>")
        self.assertTrue(InboxItem.objects.get(user=self.alice).emailed)
        # Running again sends nothing more.
        run_pending()
        self.assertEqual(len(mail.outbox), 1)

    def test_the_unsubscribe_link_turns_the_preference_off_without_logging_in(self):
        self.comment(self.work, "Hello!", user=self.bob)
        run_pending()
        link = re.search(r"Stop these emails: (\S+)", str(mail.outbox[0].body))
        assert link is not None
        path = link.group(1).removeprefix("https://archive.test")
        self.client.logout()
        page = self.client.get(path)
        self.assertContains(page, "Stop sending you emails about comments")
        self.alice.refresh_from_db()
        self.assertTrue(self.alice.email_on_comments)  # looking changes nothing: link scanners look too
        done = self.client.post(path)
        self.assertContains(done, "you will get no more emails about comments")
        self.alice.refresh_from_db()
        self.assertFalse(self.alice.email_on_comments)
        self.assertTrue(self.alice.email_on_subscriptions)
        # Mail clients' one-click unsubscribe posts without a CSRF token.
        self.alice.email_on_comments = True
        self.alice.save()
        from django.test import Client

        strict = Client(enforce_csrf_checks=True)
        self.assertEqual(strict.post(path, {"List-Unsubscribe": "One-Click"}).status_code, 200)
        self.alice.refresh_from_db()
        self.assertFalse(self.alice.email_on_comments)
        # New comments now reach the inbox only.
        self.comment(self.work, "Another.", user=self.bob)
        run_pending()
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(InboxItem.objects.filter(user=self.alice).count(), 2)

    def test_a_forged_or_mangled_token_is_a_404(self):
        token = unsubscribe_token(self.alice, "email_on_comments")
        self.assertEqual(self.client.get(f"/account/unsubscribe/{token}x").status_code, 404)
        self.assertEqual(self.client.post(f"/account/unsubscribe/{token[:-3]}").status_code, 404)
        self.assertEqual(self.client.post("/account/unsubscribe/garbage").status_code, 404)
        self.alice.refresh_from_db()
        self.assertTrue(self.alice.email_on_comments)

    def test_a_reply_emails_the_parent_author(self):
        self.comment(self.work, "Bob's comment.", user=self.bob)
        self.comment(self.work, "Thank you!", user=self.alice, parent=self.last_comment())
        run_pending()
        replies = [m for m in mail.outbox if m.to == ["bob@example.org"]]
        self.assertEqual(len(replies), 1)
        self.assertEqual(replies[0].subject, "[Fanarchive] Reply to your comment on Lamps & <Lanterns>")
        self.assertIn("alice replied to your comment", replies[0].body)

    def test_guest_comments_name_the_guest_and_nothing_is_sent_to_them(self):
        self.guest_comment(self.work, "From a guest.")
        run_pending()
        self.assertEqual(len(mail.outbox), 1)
        self.assertIn("Wanderer (Guest) left a comment", mail.outbox[0].body)
        self.assertNotIn("wanderer@example.net", mail.outbox[0].body)

    def test_moderated_comments_ask_for_review(self):
        Work.objects.filter(pk=self.work.pk).update(moderated_comments=True)
        self.comment(self.work, "Pending.", user=self.bob)
        run_pending()
        self.assertIn("waiting for your approval", mail.outbox[0].body)
        self.assertIn(f"/works/{self.work.pk}/comments/unreviewed", mail.outbox[0].body)

    def test_nothing_is_sent_about_comments_deleted_or_muted_before_the_worker_ran(self):
        self.comment(self.work, "Oops.", user=self.bob)
        self.client.post(f"/comments/{self.last_comment().pk}/delete")
        carol = self.make_user("carol")
        self.comment(self.work, "Carol here.", user=carol)
        mute_user(self.alice, carol)
        run_pending()
        self.assertEqual(mail.outbox, [])

    def test_the_preference_is_in_the_settings(self):
        self.login(self.alice)
        page = self.client.get("/account/preferences")
        self.assertContains(page, 'name="email_on_comments"')
        self.assertContains(page, 'name="email_on_subscriptions"')
        self.assertContains(page, 'name="history_enabled"')
        self.client.post("/account/preferences", {"history_enabled": "on", "email_on_subscriptions": "on"})
        self.alice.refresh_from_db()
        self.assertFalse(self.alice.email_on_comments)
        self.assertTrue(self.alice.email_on_subscriptions)
        self.assertTrue(self.alice.history_enabled)
        self.comment(self.work, "Unheard.", user=self.bob)
        run_pending()
        self.assertEqual(mail.outbox, [])
