from django.contrib.auth.models import Group

from moderation.models import LogEntry
from moderation.roles import can_moderate
from moderation.tests.helpers import ModerationTestCase
from tags.models import Tag, WranglerAssignment
from wrangling.permissions import can_wrangle


class StaffAppointAndRemoveRoles(ModerationTestCase):
    def test_staff_appoint_a_moderator_from_the_roles_page_and_it_is_logged(self) -> None:
        self.login(self.staff)
        response = self.client.post("/moderation/roles", {"username": "Bob", "role": "moderator"})
        self.assertRedirects(response, "/moderation/roles")
        self.bob.refresh_from_db()
        self.assertTrue(can_moderate(self.bob))
        entry = LogEntry.objects.filter(action=LogEntry.Action.APPOINT, user=self.bob).get()
        self.assertEqual(entry.actor, self.staff)
        self.assertEqual((entry.details, entry.snapshot["username"]), ({"role": "moderator"}, "bob"))
        self.assertContains(self.client.get("/moderation/roles"), "bob")

    def test_staff_remove_a_moderator_and_it_is_logged(self) -> None:
        self.login(self.staff)
        response = self.client.post(f"/moderation/roles/moderator/{self.moderator.pk}/remove")
        self.assertRedirects(response, "/moderation/roles")
        self.assertFalse(can_moderate(type(self.moderator).objects.get(pk=self.moderator.pk)))
        self.assertTrue(LogEntry.objects.filter(action=LogEntry.Action.DISMISS, user=self.moderator).exists())
        self.client.force_login(self.moderator)
        self.assertEqual(self.client.get("/moderation").status_code, 403)

    def test_support_is_a_role_of_its_own(self) -> None:
        self.login(self.staff)
        self.client.post("/moderation/roles", {"username": "bob", "role": "support"})
        self.assertTrue(Group.objects.get(name="Support").user_set.filter(pk=self.bob.pk).exists())
        self.assertFalse(can_moderate(self.bob))

    def test_an_unknown_user_or_role_is_refused_clearly(self) -> None:
        self.login(self.staff)
        response = self.client.post("/moderation/roles", {"username": "nobody", "role": "moderator"})
        self.assertContains(response, "There is no user named", status_code=400)
        response = self.client.post("/moderation/roles", {"username": "bob", "role": "overlord"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.client.post(f"/moderation/roles/overlord/{self.bob.pk}/remove").status_code, 404)
        self.assertEqual(self.client.post("/moderation/roles/moderator/999999/remove").status_code, 404)
        self.assertFalse(LogEntry.objects.filter(user=self.bob).exists())

    def test_moderators_and_readers_cannot_appoint(self) -> None:
        for user in (self.moderator, self.bob):
            self.login(user)
            self.assertEqual(self.client.get("/moderation/roles").status_code, 403)
            response = self.client.post("/moderation/roles", {"username": user.username, "role": "moderator"})
            self.assertEqual(response.status_code, 403)
            remove = f"/moderation/roles/moderator/{self.moderator.pk}/remove"
            self.assertEqual(self.client.post(remove).status_code, 403)
        self.assertFalse(can_moderate(self.bob))
        self.assertTrue(can_moderate(self.moderator))

    def test_guests_are_sent_to_log_in(self) -> None:
        for path in ("/moderation", "/moderation/roles", "/moderation/log", "/moderation/messages"):
            response = self.client.get(path)
            self.assertEqual(response.status_code, 302, path)
            self.assertIn("/account/login", response["Location"])


class TheDeskIsForModeratorsAndStaff(ModerationTestCase):
    def test_moderators_and_staff_see_the_desk_and_the_nav_link(self) -> None:
        for user in (self.moderator, self.staff):
            self.login(user)
            response = self.client.get("/moderation")
            self.assertEqual(response.status_code, 200)
            self.assertContains(response, 'href="/moderation"')

    def test_readers_get_a_403_and_no_link(self) -> None:
        self.login(self.bob)
        self.assertEqual(self.client.get("/moderation").status_code, 403)
        self.assertEqual(self.client.get("/moderation/log").status_code, 403)
        self.assertEqual(self.client.get("/moderation/users/alice").status_code, 403)
        self.assertNotContains(self.client.get("/"), 'href="/moderation"')

    def test_a_moderator_cannot_see_a_draft(self) -> None:
        draft = self.post_work(action="draft")
        self.login(self.moderator)
        self.assertEqual(self.client.get(f"/works/{draft.pk}/").status_code, 404)
        self.assertEqual(self.client.get(f"/report/work/{draft.pk}").status_code, 404)
        self.assertEqual(self.client.get(f"/works/{draft.pk}/download/html").status_code, 404)


class WranglersAreARoleLikeTheOthers(ModerationTestCase):
    """Wranglers are appointed and removed on the roles page (or the wranglers page, through the same
    verb), for one canonical fandom or every fandom, and every change is in the moderation log."""

    def setUp(self) -> None:
        super().setUp()
        self.post_work(fandoms="Tidewater (TV), tidewater", characters="Mara Quill")
        Tag.objects.filter(name="Tidewater (TV)").update(canonical=True)
        self.fandom = Tag.objects.get(name="Tidewater (TV)")
        self.login(self.staff)

    def test_staff_appoint_a_wrangler_of_one_fandom_from_the_roles_page(self) -> None:
        response = self.client.post(
            "/moderation/roles", {"username": "bob", "role": "wrangler", "fandom": "tidewater (tv)"}, follow=True
        )
        self.assertContains(response, "bob now wrangles “Tidewater (TV)”.")
        self.assertContains(response, f'<input type="hidden" name="fandom" value="{self.fandom.pk}">', html=True)
        assignment = WranglerAssignment.objects.get()
        self.assertEqual((assignment.user, assignment.fandom), (self.bob, self.fandom))
        entry = LogEntry.objects.get(action=LogEntry.Action.APPOINT, user=self.bob)
        self.assertEqual(entry.actor, self.staff)
        self.assertEqual(entry.snapshot["username"], "bob")
        self.assertEqual(entry.details, {"role": "wrangler", "fandom_id": self.fandom.pk, "fandom": "Tidewater (TV)"})
        self.assertContains(self.client.get("/moderation/log", {"action": "appoint"}), "Tag wrangler — Tidewater (TV)")
        # The scope holds: the fandom's character, yes; another fandom's tag, no.
        self.assertTrue(can_wrangle(self.bob, Tag.objects.get(name="Mara Quill")))
        self.post_work(fandoms="Other Shore", freeforms="Elsewhere")
        self.assertFalse(can_wrangle(self.bob, Tag.objects.get(name="Elsewhere")))
        self.login(self.bob)
        self.assertEqual(self.client.get("/wrangling").status_code, 200)

    def test_a_wrangler_of_every_fandom_and_removal_from_the_roles_page(self) -> None:
        self.client.post("/moderation/roles", {"username": "bob", "role": "wrangler", "fandom": ""})
        self.client.post("/moderation/roles", {"username": "bob", "role": "wrangler", "fandom": "Tidewater (TV)"})
        self.assertTrue(WranglerAssignment.objects.filter(user=self.bob, fandom=None).exists())
        self.assertContains(self.client.get("/moderation/roles"), "every fandom")
        response = self.client.post(
            f"/moderation/roles/wrangler/{self.bob.pk}/remove", {"fandom": self.fandom.pk}, follow=True
        )
        self.assertContains(response, "bob no longer wrangles “Tidewater (TV)”.")
        self.assertEqual(list(WranglerAssignment.objects.values_list("fandom", flat=True)), [None])
        self.client.post(f"/moderation/roles/wrangler/{self.bob.pk}/remove")
        self.assertFalse(WranglerAssignment.objects.exists())
        dismissals = LogEntry.objects.filter(action=LogEntry.Action.DISMISS, user=self.bob).order_by("id")
        self.assertEqual([e.details["fandom"] for e in dismissals], ["Tidewater (TV)", None])
        self.login(self.bob)
        self.assertEqual(self.client.get("/wrangling").status_code, 403)

    def test_the_wranglers_page_goes_through_the_same_verb_and_log(self) -> None:
        self.client.post("/wrangling/wranglers", {"username": "bob", "fandom": "Tidewater (TV)"})
        assignment = WranglerAssignment.objects.get()
        self.client.post(f"/wrangling/wranglers/{assignment.pk}/remove")
        actions_logged = list(LogEntry.objects.filter(user=self.bob).order_by("id").values_list("action", flat=True))
        self.assertEqual(actions_logged, [LogEntry.Action.APPOINT, LogEntry.Action.DISMISS])

    def test_refusals_are_clear_and_log_nothing(self) -> None:
        cases = [
            ({"username": "bob", "role": "wrangler", "fandom": "tidewater"}, "is not a canonical fandom"),
            ({"username": "bob", "role": "wrangler", "fandom": "Mara Quill"}, "is not a canonical fandom"),
            ({"username": "bob", "role": "wrangler", "fandom": "No Such Fandom"}, "There is no tag named"),
            ({"username": "bob", "role": "moderator", "fandom": "Tidewater (TV)"}, "Only tag wranglers are appointed"),
            ({"username": "bob", "role": "wrangler", "fandom": "A, B"}, "Give just one tag here."),
        ]
        for data, message in cases:
            response = self.client.post("/moderation/roles", data)
            self.assertContains(response, message, status_code=400, msg_prefix=str(data))
            self.assertContains(response, f'value="{data["fandom"]}"', status_code=400)
        self.client.post("/moderation/roles", {"username": "bob", "role": "wrangler", "fandom": ""})
        response = self.client.post("/moderation/roles", {"username": "bob", "role": "wrangler", "fandom": ""})
        self.assertContains(response, "bob already wrangles every fandom.", status_code=400)
        self.assertEqual(LogEntry.objects.filter(user=self.bob).count(), 1)
        # Removing what is not there, or a forged fandom id.
        response = self.client.post(
            f"/moderation/roles/wrangler/{self.alice.pk}/remove", {"fandom": self.fandom.pk}, follow=True
        )
        self.assertContains(response, "alice does not wrangle “Tidewater (TV)”.")
        for forged in ("99999999", "12345678901234567890", "١٢", "-1"):
            response = self.client.post(f"/moderation/roles/wrangler/{self.bob.pk}/remove", {"fandom": forged})
            self.assertEqual(response.status_code, 404, forged)
        self.assertEqual(WranglerAssignment.objects.count(), 1)
        self.assertFalse(LogEntry.objects.filter(action=LogEntry.Action.DISMISS).exists())

    def test_only_staff_appoint_or_remove_wranglers(self) -> None:
        self.client.post("/moderation/roles", {"username": "bob", "role": "wrangler", "fandom": ""})
        for user in (self.moderator, self.bob):
            self.login(user)
            response = self.client.post("/moderation/roles", {"username": "alice", "role": "wrangler", "fandom": ""})
            self.assertEqual(response.status_code, 403)
            self.assertEqual(self.client.post(f"/moderation/roles/wrangler/{self.bob.pk}/remove").status_code, 403)
        self.assertEqual(list(WranglerAssignment.objects.values_list("user", flat=True)), [self.bob.pk])
