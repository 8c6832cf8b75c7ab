"""Sign-ups as staff set them: open, invitation only, the request queue, or closed; and what stops abuse."""

from datetime import timedelta

from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from accounts.invitations import release_daily
from accounts.models import AgeConfirmation, Invitation, InviteRequest, User
from fanarchive.test import BaseTestCase
from jobs.queue import run_pending
from sitecontent.config import forget_settings
from sitecontent.models import SiteSettings


def signup_form(username: str = "carol", **overrides: str) -> dict[str, str]:
    data = {
        "username": username,
        "email": f"{username}@example.org",
        "password1": "a long passphrase",
        "password2": "a long passphrase",
        "confirm_age": "on",
    }
    data.update(overrides)
    return data


def set_mode(mode: str, **fields: object) -> None:
    SiteSettings.objects.update_or_create(pk=1, defaults={"signup_mode": mode, **fields})
    forget_settings()


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
class SignupModeTests(BaseTestCase):
    def test_open_sign_up_records_the_age_and_emails_a_verification_link(self) -> None:
        response = self.client.post("/account/signup", signup_form())
        self.assertRedirects(response, "/users/carol")
        carol = User.objects.get(username="carol")
        self.assertEqual(AgeConfirmation.objects.get(user=carol).minimum_age, 13)
        run_pending()
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["carol@example.org"])
        self.assertIn("/account/verify/", str(mail.outbox[0].body))

    def test_sign_up_without_confirming_the_age_is_refused(self) -> None:
        response = self.client.post("/account/signup", signup_form(confirm_age=""))
        self.assertContains(response, "You must be at least 13 to join.")
        self.assertFalse(User.objects.filter(username="carol").exists())

    def test_closed_sign_ups_refuse_everyone(self) -> None:
        set_mode("closed")
        self.assertContains(self.client.get("/account/signup"), "Sign-ups are closed", status_code=403)
        response = self.client.post("/account/signup", signup_form())
        self.assertEqual(response.status_code, 403)
        self.assertFalse(User.objects.filter(username="carol").exists())

    def test_invitation_only_needs_a_valid_unused_code(self) -> None:
        set_mode("invitation")
        invitation = Invitation.objects.create(code="harbour-lights-42")
        response = self.client.post("/account/signup", signup_form())
        self.assertContains(response, "Signing up needs an invitation.")
        response = self.client.post("/account/signup", signup_form(invitation="forged-code"))
        self.assertContains(response, "That invitation is not valid or has already been used.")
        self.assertFalse(User.objects.filter(username="carol").exists())
        # The emailed link fills the code in.
        self.assertContains(self.client.get(invitation.get_absolute_url()), 'value="harbour-lights-42"')
        response = self.client.post("/account/signup", signup_form(invitation="harbour-lights-42"))
        self.assertRedirects(response, "/users/carol")
        invitation.refresh_from_db()
        self.assertEqual(invitation.used_by, User.objects.get(username="carol"))
        self.client.logout()
        response = self.client.post("/account/signup", signup_form("dara", invitation="harbour-lights-42"))
        self.assertContains(response, "That invitation is not valid or has already been used.")
        self.assertFalse(User.objects.filter(username="dara").exists())

    def test_staff_issue_invitations_and_members_refused(self) -> None:
        self.login(self.bob)
        self.assertEqual(self.client.post("/staff/invitations", {"issue": "1", "count": "5"}).status_code, 403)
        self.alice.is_staff = True
        self.alice.save(update_fields=["is_staff"])
        self.login(self.alice)
        response = self.client.post("/staff/invitations", {"issue": "1", "count": "3", "email": "wren@example.org"})
        self.assertRedirects(response, "/staff/invitations")
        self.assertEqual(Invitation.objects.filter(created_by=self.alice, email="wren@example.org").count(), 3)
        response = self.client.post("/staff/invitations", {"issue": "1", "count": "100000"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(Invitation.objects.count(), 3)


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
class MemberInvitationTests(BaseTestCase):
    def test_members_invite_up_to_their_allotment(self) -> None:
        set_mode("invitation", invitations_per_user=2)
        self.login(self.bob)
        self.assertContains(self.client.get("/account/invitations"), "You can invite 2 more people.")
        self.client.post("/account/invitations", {"email": "wren@example.org"})
        self.client.post("/account/invitations", {"email": ""})
        response = self.client.post("/account/invitations", {"email": "third@example.org"}, follow=True)
        self.assertContains(response, "You have no invitations left.")
        self.assertEqual(Invitation.objects.filter(created_by=self.bob).count(), 2)
        run_pending()
        self.assertEqual([m.to for m in mail.outbox], [["wren@example.org"]])
        code = Invitation.objects.get(email="wren@example.org").code
        self.assertIn(f"/account/signup?invitation={code}", str(mail.outbox[0].body))


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
class QueueTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        set_mode("queue", queue_release_per_day=2)

    def join(self, email: str, address: str = "192.0.2.1") -> None:
        response = self.client.post("/account/invitations/request", {"email": email}, REMOTE_ADDR=address)
        self.assertRedirects(response, "/account/invitations/request")

    def test_requests_wait_in_order_and_see_their_place(self) -> None:
        for number, email in enumerate(["one@example.org", "zoe@exämple.org", "three@example.org"]):
            self.join(email, address=f"192.0.2.{number}")
        first, _second, third = InviteRequest.objects.order_by("id")
        self.assertContains(self.client.get(f"/account/invitations/queue/{first.token}"), "is next in the queue")
        self.assertContains(self.client.get(f"/account/invitations/queue/{third.token}"), "is number 3 in the queue")
        self.assertEqual(self.client.get("/account/invitations/queue/not-a-token").status_code, 404)
        # The same address again is not a second place; it gets its link again.
        self.join("ONE@example.org")
        self.assertEqual(InviteRequest.objects.count(), 3)

    def test_staff_release_now_invites_the_oldest_and_the_invitation_signs_up(self) -> None:
        for number in range(3):
            self.join(f"person{number}@example.org", address=f"192.0.2.{number}")
        run_pending()  # the "you're in the queue" emails
        mail.outbox.clear()
        self.alice.is_staff = True
        self.alice.save(update_fields=["is_staff"])
        self.login(self.alice)
        self.client.post("/staff/invitations", {"release": "1", "count": "2"})
        self.client.logout()
        released = list(InviteRequest.objects.exclude(invitation=None).values_list("email", flat=True))
        self.assertEqual(sorted(released), ["person0@example.org", "person1@example.org"])
        last = InviteRequest.objects.get(email="person2@example.org")
        self.assertContains(self.client.get(f"/account/invitations/queue/{last.token}"), "is next in the queue")
        run_pending()
        self.assertEqual(sorted(m.to[0] for m in mail.outbox), released)
        code = InviteRequest.objects.get(email="person0@example.org").invitation.code  # type: ignore[union-attr]
        response = self.client.post("/account/signup", signup_form("person0", invitation=code))
        self.assertRedirects(response, "/users/person0")

    def test_the_daily_release_runs_once_a_day_from_any_worker(self) -> None:
        for number in range(5):
            self.join(f"person{number}@example.org", address=f"192.0.2.{number}")
        self.assertEqual(release_daily(), 2)
        self.assertEqual(release_daily(), 0)
        call_command("run_jobs", "--once")
        self.assertEqual(InviteRequest.objects.exclude(invitation=None).count(), 2)
        tomorrow = timezone.now() + timedelta(days=1, minutes=1)
        self.assertEqual(release_daily(tomorrow), 2)
        self.assertEqual(InviteRequest.objects.filter(invitation=None).count(), 1)

    def test_no_queue_page_unless_the_mode_is_queue(self) -> None:
        set_mode("open")
        self.assertEqual(self.client.get("/account/invitations/request").status_code, 404)
        self.assertEqual(self.client.post("/account/invitations/request", {"email": "a@example.org"}).status_code, 404)
        self.assertEqual(InviteRequest.objects.count(), 0)


class AbuseTests(BaseTestCase):
    def test_the_honeypot_refuses_a_filled_in_form(self) -> None:
        response = self.client.post("/account/signup", signup_form(website="http://spam.example"))
        self.assertContains(response, "not filled in by a person", status_code=400)
        self.assertFalse(User.objects.filter(username="carol").exists())

    def test_the_spam_check_refuses_throwaway_addresses_and_spammy_names(self) -> None:
        response = self.client.post("/account/signup", signup_form(email="carol@mailinator.com"))
        self.assertContains(response, "looks like spam", status_code=400)
        response = self.client.post("/account/signup", signup_form("cheap_viagra_4u"))
        self.assertContains(response, "looks like spam", status_code=400)
        self.assertEqual(User.objects.count(), 2)

    @override_settings(SIGNUP_SPAM_CHECKER="accounts.tests.test_signups.refuse_everyone")
    def test_the_spam_check_is_pluggable(self) -> None:
        response = self.client.post("/account/signup", signup_form())
        self.assertEqual(response.status_code, 400)

    @override_settings(SIGNUP_RATE_LIMIT=3)
    def test_sign_ups_are_limited_per_address(self) -> None:
        for number in range(3):
            self.client.post("/account/signup", signup_form(f"user{number}"), REMOTE_ADDR="198.51.100.7")
            self.client.logout()
        response = self.client.post("/account/signup", signup_form("user9"), REMOTE_ADDR="198.51.100.7")
        self.assertContains(response, "too many times", status_code=429)
        self.assertFalse(User.objects.filter(username="user9").exists())
        response = self.client.post("/account/signup", signup_form("user9"), REMOTE_ADDR="198.51.100.8")
        self.assertRedirects(response, "/users/user9")
        cache.clear()

    def test_a_hundred_thousand_character_username_is_refused_cleanly(self) -> None:
        response = self.client.post("/account/signup", signup_form("é" * 100_000))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(User.objects.count(), 2)


def refuse_everyone(candidate: object) -> bool:
    return True
