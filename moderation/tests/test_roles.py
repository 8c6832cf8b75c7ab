from django.contrib.auth.models import Group

from moderation.models import LogEntry
from moderation.roles import can_moderate
from moderation.tests.helpers import ModerationTestCase


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
