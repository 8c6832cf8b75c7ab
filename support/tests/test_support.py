"""Contacting support, the support queue and account lookup, through HTTP as each person would."""

from datetime import timedelta
from typing import Any

from django.core import mail
from django.test import Client
from django.utils import timezone

from accounts.actions import create_account
from accounts.models import EmailVerification, User
from community.models import InboxItem
from fanarchive.test import ParallelTestCase
from jobs.models import Job
from jobs.queue import run_pending
from moderation import actions as moderation_actions
from moderation.models import Standing
from moderation.roles import Role
from moderation.tests.helpers import ModerationTestCase
from support import emails
from support.models import MESSAGE_MAX, SupportNote, SupportReply, SupportRequest
from support.ratelimit import SUPPORT_RATE_LIMIT

Status = SupportRequest.Status


def contact_form(**overrides: Any) -> dict[str, Any]:
    data = {
        "category": "account",
        "subject": "Can't log in — «ünïcode»",
        "message": "I forgot which address I signed up with.\nCan you help?",
        "email": "guest@example.net",
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


class SupportTestCase(ModerationTestCase):
    """Sam is staff, Mo a moderator (not support), Sue a support volunteer; Bob a member."""

    def setUp(self) -> None:
        super().setUp()
        self.volunteer = create_account("sue", "sue@example.org", self.password)
        moderation_actions.appoint(self.staff, self.volunteer, Role.SUPPORT)

    def ask(self, user: User | None = None, **overrides: Any) -> Any:
        if user is None:
            self.client.logout()
        else:
            self.login(user)
        return self.client.post("/support/", contact_form(**overrides))

    def queue(self, query: str = "") -> str:
        """The table of requests (not the messages above it)."""
        page = self.client.get(f"/support/queue{query}").content.decode()
        return page.split("<tbody>", 1)[1] if "<tbody>" in page else ""

    def last(self) -> SupportRequest:
        asked = SupportRequest.objects.order_by("-id").first()
        assert asked is not None
        return asked


class ContactTests(SupportTestCase):
    def test_the_footer_links_to_contact_support_and_the_menu_to_the_queue_for_support_and_staff(self) -> None:
        self.assertContains(self.client.get("/"), 'href="/support/">Contact support</a>')
        for user, shown in ((self.bob, False), (self.moderator, False), (self.volunteer, True), (self.staff, True)):
            self.login(user)
            page = self.client.get("/").content.decode()
            self.assertEqual('href="/support/queue">Support</a>' in page, shown, user.username)

    def test_a_guest_asks_with_an_email_and_gets_a_reference(self) -> None:
        self.assertContains(self.client.get("/support/"), 'name="email"')
        response = self.ask(None, email="")
        self.assertContains(response, "This field is required.", status_code=400)
        response = self.ask(None)
        asked = self.last()
        self.assertRedirects(response, "/support/", fetch_redirect_response=False)
        self.assertContains(self.client.get("/support/"), asked.reference)
        self.assertEqual(
            (asked.user, asked.email, asked.status, asked.category), (None, "guest@example.net", "open", "account")
        )
        self.assertEqual(asked.subject, "Can't log in — «ünïcode»")

    def test_a_member_asks_without_an_email_and_sees_their_requests(self) -> None:
        self.login(self.bob)
        self.assertNotContains(self.client.get("/support/"), 'name="email"')
        response = self.ask(self.bob, category="bug", email=None)
        self.assertRedirects(response, "/support/mine")
        asked = self.last()
        self.assertEqual((asked.user, asked.email, asked.category), (self.bob, "", "bug"))
        self.assertContains(self.client.get("/support/mine"), asked.reference)

    def test_an_oversized_message_is_refused_and_everything_typed_is_kept(self) -> None:
        message = "ß" * (MESSAGE_MAX + 1)
        response = self.ask(None, message=message)
        self.assertContains(
            response, "Your message must be at most 5,000 characters long (it has 5,001).", status_code=400
        )
        self.assertContains(response, message, status_code=400)
        self.assertContains(response, "guest@example.net", status_code=400)
        self.assertEqual(SupportRequest.objects.count(), 0)
        self.assertEqual(self.ask(None, message="ß" * MESSAGE_MAX).status_code, 302)

    def test_a_suspended_member_may_still_contact_support(self) -> None:
        Standing.objects.create(user=self.bob, suspended_until=timezone.now() + timedelta(days=3))
        self.assertEqual(self.ask(self.bob, email=None).status_code, 302)
        self.assertEqual(self.last().user, self.bob)

    def test_a_forged_category_is_refused(self) -> None:
        self.assertEqual(self.ask(None, category="payments").status_code, 400)
        self.assertEqual(SupportRequest.objects.count(), 0)

    def test_the_honeypot_refuses_bots_and_keeps_the_text(self) -> None:
        response = self.ask(None, website="http://spam.example")
        self.assertContains(response, "not filled in by a person", status_code=400)
        self.assertContains(response, "I forgot which address", status_code=400)
        self.assertEqual(SupportRequest.objects.count(), 0)

    def test_spam_is_kept_apart_from_the_queue(self) -> None:
        self.ask(None, message="Buy cheap viagra now, best online casino")
        spam = self.last()
        self.assertEqual(spam.status, Status.SPAM)
        self.ask(None)
        self.login(self.volunteer)
        queue = self.queue()
        self.assertNotIn(spam.reference, queue)
        self.assertIn(self.last().reference, queue)
        self.assertIn(spam.reference, self.queue("?status=spam"))

    def test_flooding_is_rate_limited_and_the_text_kept(self) -> None:
        for n in range(SUPPORT_RATE_LIMIT):
            self.assertEqual(self.ask(None, subject=f"Question {n}").status_code, 302)
        response = self.ask(None, subject="One too many")
        self.assertEqual(response.status_code, 429)
        self.assertTrue(int(response["Retry-After"]) > 0)
        self.assertContains(response, "One too many", status_code=429)
        self.assertEqual(SupportRequest.objects.count(), SUPPORT_RATE_LIMIT)


class AccessTests(SupportTestCase):
    def test_only_support_and_staff_work_the_queue(self) -> None:
        self.ask(self.bob)
        asked = self.last()
        gets = ["/support/queue", f"/support/requests/{asked.pk}", "/support/accounts?q=bob"]
        posts = [
            (f"/support/requests/{asked.pk}/claim", {}),
            (f"/support/requests/{asked.pk}/note", {"text": "Note"}),
            (f"/support/requests/{asked.pk}/reply", {"text": "Hi"}),
            (f"/support/requests/{asked.pk}/close", {}),
            (f"/support/accounts/{self.bob.pk}/verification", {}),
        ]
        self.client.logout()
        for url in gets:
            self.assertIn("/login", self.client.get(url)["Location"])
        for user in (self.bob, self.moderator):
            self.login(user)
            for url in gets:
                self.assertEqual(self.client.get(url).status_code, 403, url)
            for url, data in posts:
                self.assertEqual(self.client.post(url, data).status_code, 403, url)
        asked.refresh_from_db()
        self.assertEqual((asked.status, asked.claimed_by), (Status.OPEN, None))
        self.assertFalse(SupportNote.objects.exists() or SupportReply.objects.exists())
        for user in (self.volunteer, self.staff):
            self.login(user)
            for url in gets:
                self.assertEqual(self.client.get(url).status_code, 200, url)

    def test_forged_ids_are_404(self) -> None:
        self.login(self.volunteer)
        self.assertEqual(self.client.get("/support/requests/99999999999").status_code, 404)
        self.assertEqual(self.client.post("/support/requests/99999999/reply", {"text": "x"}).status_code, 404)
        self.assertEqual(self.client.post("/support/accounts/99999999/verification").status_code, 404)
        self.assertEqual(self.client.get("/support/requests/1/claim").status_code, 405)


class QueueTests(SupportTestCase):
    def test_the_queue_filters_by_status_and_category(self) -> None:
        self.ask(None, category="bug", subject="Broken page")
        bug = self.last()
        self.ask(None, category="feedback", subject="Lovely archive")
        feedback = self.last()
        SupportRequest.objects.filter(pk=feedback.pk).update(status=Status.CLOSED)
        self.login(self.volunteer)
        queue = self.queue()
        self.assertIn(bug.reference, queue)
        self.assertNotIn(feedback.reference, queue)
        self.assertIn(feedback.reference, self.queue("?status=closed&category=feedback"))
        self.assertNotIn(bug.reference, self.queue("?status=all&category=account"))
        self.assertIn(bug.reference, self.queue("?status=bogus&category=bogus"))

    def test_claim_note_reply_to_a_member_reaches_their_inbox_then_close(self) -> None:
        self.ask(self.bob, subject="Pseud question")
        asked = self.last()
        self.login(self.volunteer)
        self.client.post(f"/support/requests/{asked.pk}/claim")
        self.assertIn(asked.reference, self.queue("?mine=1&status=claimed"))
        self.client.post(f"/support/requests/{asked.pk}/note", {"text": "Internal: checked the account."})
        self.assertEqual(self.client.post(f"/support/requests/{asked.pk}/note", {"text": ""}).status_code, 400)
        response = self.client.post(f"/support/requests/{asked.pk}/reply", {"text": "Preferences → Pseuds, ünïcode."})
        self.assertRedirects(response, f"/support/requests/{asked.pk}")
        asked.refresh_from_db()
        self.assertEqual((asked.status, asked.claimed_by), (Status.ANSWERED, self.volunteer))
        item = InboxItem.objects.get(user=self.bob, kind="support_reply")
        self.assertFalse(item.read)
        run_pending()
        self.assertEqual(len(mail.outbox), 0)
        self.login(self.bob)
        self.assertContains(self.client.get("/inbox"), "Support answered your request")
        self.assertContains(self.client.get("/"), '1<span class="visually-hidden"> unread message')
        mine = self.client.get("/support/mine")
        self.assertContains(mine, "Preferences → Pseuds, ünïcode.")
        self.assertNotContains(mine, "Internal: checked the account.")
        item.refresh_from_db()
        self.assertTrue(item.read)
        self.login(self.volunteer)
        self.assertRedirects(self.client.post(f"/support/requests/{asked.pk}/close"), "/support/queue")
        self.assertEqual(self.last().status, Status.CLOSED)
        response = self.client.post(f"/support/requests/{asked.pk}/claim", follow=True)
        self.assertContains(response, "This request is closed; it cannot be claimed.")
        response = self.client.post(f"/support/requests/{asked.pk}/close", follow=True)
        self.assertContains(response, "This request is already closed.")

    def test_a_reply_to_a_guest_is_emailed_once_by_the_background_job(self) -> None:
        self.ask(None, email="reader@example.net")
        asked = self.last()
        self.login(self.staff)
        self.client.post(f"/support/requests/{asked.pk}/reply", {"text": "Try resetting your password."})
        answer = SupportReply.objects.get()
        self.assertEqual(Job.objects.filter(key=f"send_support_reply_email:{answer.pk}").count(), 1)
        self.assertEqual(len(mail.outbox), 0)
        run_pending()
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["reader@example.net"])
        self.assertIn(asked.reference, mail.outbox[0].subject)
        self.assertIn("Try resetting your password.", str(mail.outbox[0].body))
        # A retried or duplicated job sends nothing more.
        emails.send_support_reply_email({"reply_id": answer.pk})
        run_pending()
        self.assertEqual(len(mail.outbox), 1)
        self.assertTrue(SupportReply.objects.get().emailed)

    def test_an_oversized_reply_is_refused(self) -> None:
        self.ask(None)
        asked = self.last()
        self.login(self.volunteer)
        response = self.client.post(f"/support/requests/{asked.pk}/reply", {"text": "x" * 5001})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "x" * 5001, status_code=400)
        self.assertFalse(SupportReply.objects.exists())


class FollowUpTests(SupportTestCase):
    """The member who asked writes again on their own request; support sees it on the request, back in the queue."""

    def answer(self, asked: SupportRequest, by: User, claim: bool) -> None:
        self.login(by)
        if claim:
            self.client.post(f"/support/requests/{asked.pk}/claim")
        self.client.post(f"/support/requests/{asked.pk}/reply", {"text": "Try Preferences → Pseuds."})

    def test_the_member_writes_again_and_support_sees_it_back_in_the_queue(self) -> None:
        self.ask(self.bob, subject="Pseud question")
        claimed = self.last()
        self.answer(claimed, self.volunteer, claim=True)
        self.ask(self.bob, subject="Another question")
        unclaimed = self.last()
        self.answer(unclaimed, self.staff, claim=False)
        self.assertEqual(set(SupportRequest.objects.values_list("status", flat=True)), {Status.ANSWERED})
        self.login(self.bob)
        mine = self.client.get("/support/mine")
        self.assertContains(mine, f'action="/support/mine/{claimed.pk}/follow-up"')
        self.assertContains(mine, f'id="follow-up-{unclaimed.pk}-text"')
        response = self.client.post(f"/support/mine/{claimed.pk}/follow-up", {"text": "Still stuck — «ünïcode»\nSee?"})
        self.assertRedirects(response, f"/support/mine#support-{claimed.pk}", fetch_redirect_response=False)
        self.client.post(f"/support/mine/{unclaimed.pk}/follow-up", {"text": "Thanks, and one more thing."})
        mine = self.client.get("/support/mine")
        self.assertContains(mine, "You wrote:", count=2)
        self.assertContains(mine, "Still stuck — «ünïcode»<br>See?")
        # Back in the queue: to the volunteer who claimed it, or open for anyone.
        claimed.refresh_from_db()
        unclaimed.refresh_from_db()
        self.assertEqual((claimed.status, claimed.claimed_by), (Status.CLAIMED, self.volunteer))
        self.assertEqual((unclaimed.status, unclaimed.claimed_by), (Status.OPEN, None))
        follow_up = SupportReply.objects.get(request=claimed, from_member=True)
        self.assertEqual((follow_up.author, follow_up.emailed), (self.bob, False))
        # Nobody is emailed and nothing lands in the member's own inbox.
        run_pending()
        self.assertEqual(len(mail.outbox), 0)
        self.assertEqual(InboxItem.objects.filter(user=self.bob, kind="support_reply").count(), 2)
        self.login(self.volunteer)
        self.assertIn(claimed.reference, self.queue("?mine=1&status=claimed"))
        self.assertIn(unclaimed.reference, self.queue())
        page = self.client.get(f"/support/requests/{claimed.pk}")
        self.assertContains(page, "bob (who asked)")
        self.assertContains(page, "Still stuck — «ünïcode»<br>See?")

    def test_only_the_member_who_asked_with_a_csrf_token_while_it_is_open(self) -> None:
        self.ask(self.bob)
        asked = self.last()
        url = f"/support/mine/{asked.pk}/follow-up"
        self.login(self.alice)
        self.assertEqual(self.client.post(url, {"text": "Not mine."}).status_code, 404)
        self.login(self.volunteer)  # support answers on the request's page, not as the member
        self.assertEqual(self.client.post(url, {"text": "Not mine either."}).status_code, 404)
        self.client.logout()
        self.assertIn("/account/login", self.client.post(url, {"text": "A guest."})["Location"])
        strict = Client(enforce_csrf_checks=True)
        strict.force_login(self.bob)
        self.assertEqual(strict.post(url, {"text": "No token."}).status_code, 403)
        self.login(self.bob)
        self.assertEqual(self.client.get(url).status_code, 405)
        response = self.client.post(url, {"text": "x" * 5001})
        self.assertContains(response, "x" * 5001, status_code=400)
        self.assertEqual(self.client.post(url, {"text": ""}).status_code, 400)
        self.assertFalse(SupportReply.objects.exists())
        # Closed: nothing more, and no form.
        self.login(self.volunteer)
        self.client.post(f"/support/requests/{asked.pk}/close")
        self.login(self.bob)
        response = self.client.post(url, {"text": "Wait!"}, follow=True)
        self.assertContains(response, "This request is closed. Please contact support again with a new request.")
        self.assertNotContains(response, f'action="{url}"')
        self.assertFalse(SupportReply.objects.exists())
        self.assertEqual(self.last().status, Status.CLOSED)
        # Filed as spam: not the member's to see, so not theirs to write on.
        SupportRequest.objects.filter(pk=asked.pk).update(status=Status.SPAM)
        self.assertEqual(self.client.post(url, {"text": "Hello?"}).status_code, 404)


class AccountLookupTests(SupportTestCase):
    def test_support_finds_an_account_by_name_or_email_and_sees_only_what_it_needs(self) -> None:
        draft = self.post_work(self.bob, title="Bob's Secret Draft", action="save")
        self.assertFalse(draft.posted)
        Standing.objects.create(user=self.bob, suspended_until=timezone.now() + timedelta(days=3))
        self.login(self.volunteer)
        by_name = self.client.get("/support/accounts?q=BO").content.decode()
        self.assertIn("bob@example.org", by_name)
        self.assertIn("Suspended until", by_name)
        self.assertNotIn("Bob's Secret Draft", by_name)
        by_email = self.client.get("/support/accounts?q=BOB@example.org").content.decode()
        self.assertIn("bob@example.org", by_email)
        self.assertNotIn("alice@example.org", by_email)
        self.assertContains(self.client.get("/support/accounts?q=nobody-at-all"), "No account matches.")
        self.assertEqual(self.client.get("/support/accounts?q=").status_code, 400)
        self.assertEqual(self.client.get(draft.get_absolute_url()).status_code, 404)

    def test_support_resends_the_verification_link_of_an_unverified_account(self) -> None:
        EmailVerification.objects.create(user=self.bob)
        self.login(self.volunteer)
        page = self.client.get("/support/accounts?q=bob")
        self.assertContains(page, "Not yet")
        response = self.client.post(f"/support/accounts/{self.bob.pk}/verification", follow=True)
        self.assertContains(response, "A new link went to bob@example.org.")
        run_pending()
        self.assertEqual([m.to for m in mail.outbox], [["bob@example.org"]])
        self.assertIn("/account/verify/", str(mail.outbox[0].body))
        EmailVerification.objects.filter(user=self.bob).update(verified_at=timezone.now())
        response = self.client.post(f"/support/accounts/{self.bob.pk}/verification", follow=True)
        self.assertContains(response, "already confirmed")
        run_pending()
        self.assertEqual(len(mail.outbox), 1)


class ParallelSupportTests(ParallelTestCase):
    def test_parallel_requests_from_one_address_stop_exactly_at_the_limit(self) -> None:
        requests = [(self.client_for(None), "/support/", contact_form(subject=f"Q{n}")) for n in range(8)]
        statuses = self.post_in_parallel(requests)
        self.assertEqual(sorted(statuses), [302] * SUPPORT_RATE_LIMIT + [429] * (8 - SUPPORT_RATE_LIMIT))
        self.assertEqual(SupportRequest.objects.count(), SUPPORT_RATE_LIMIT)

    def test_parallel_requests_from_one_member_stop_exactly_at_the_limit(self) -> None:
        requests = [(self.client_for(self.bob), "/support/", contact_form(subject=f"Q{n}")) for n in range(8)]
        statuses = self.post_in_parallel(requests)
        self.assertEqual(statuses.count(302), SUPPORT_RATE_LIMIT)
        self.assertEqual(SupportRequest.objects.filter(user=self.bob).count(), SUPPORT_RATE_LIMIT)
