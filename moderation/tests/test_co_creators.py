"""Co-creators are invited, and credited only once they accept; nobody can be credited against their will."""

from django.core import mail

from community.models import Block
from fanarchive.test import work_form_data
from jobs.queue import run_pending
from moderation.models import CoCreatorInvitation
from moderation.tests.helpers import ModerationTestCase
from works.models import Work


class CoCreatorsAreAskedFirst(ModerationTestCase):
    def credited(self, work: Work) -> set[str]:
        return {pseud.user.username for pseud in work.pseuds.all()}

    def test_an_invitation_goes_to_the_inbox_and_by_email_and_credits_only_once_accepted(self) -> None:
        work = self.post_work(title="Two Lamps", co_creators="bob")
        self.assertEqual(self.credited(work), {"alice"})
        invitation = CoCreatorInvitation.objects.get()
        self.assertEqual((invitation.pseud, invitation.invited_by), (self.bob.default_pseud, self.alice))
        run_pending()
        self.assertEqual([message.to for message in mail.outbox], [["bob@example.org"]])
        self.assertIn("Two Lamps", mail.outbox[0].subject)
        self.assertIn("/invitations", mail.outbox[0].body)
        self.login(self.bob)
        self.assertEqual(self.client.get(f"/works/{work.pk}/edit").status_code, 403)
        self.assertNotContains(self.client.get("/users/bob"), "Two Lamps")
        self.assertContains(self.client.get("/inbox"), "1 co-creator invitation waiting")
        self.assertContains(self.client.get("/invitations"), "Two Lamps")
        response = self.client.post(f"/invitations/{invitation.pk}/accept")
        self.assertRedirects(response, f"/works/{work.pk}/")
        self.assertEqual(self.credited(work), {"alice", "bob"})
        self.assertEqual(self.client.get(f"/works/{work.pk}/edit").status_code, 200)
        self.assertContains(self.client.get("/users/bob"), "Two Lamps")
        self.assertFalse(CoCreatorInvitation.objects.exists())
        self.assertEqual(self.client.post(f"/invitations/{invitation.pk}/accept").status_code, 404)

    def test_declining_leaves_the_work_as_it_was(self) -> None:
        work = self.post_work(co_creators="bob")
        invitation = CoCreatorInvitation.objects.get()
        self.login(self.bob)
        self.assertRedirects(self.client.post(f"/invitations/{invitation.pk}/decline"), "/invitations")
        self.assertEqual(self.credited(work), {"alice"})
        self.assertFalse(CoCreatorInvitation.objects.exists())

    def test_adding_a_co_creator_when_editing_also_invites(self) -> None:
        work = self.post_work()
        self.login(self.alice)
        data = work_form_data(pseuds=[self.alice.default_pseud.pk], co_creators="bob", title="Edited")
        self.assertEqual(self.client.post(f"/works/{work.pk}/edit", data).status_code, 302)
        self.assertEqual(self.credited(work), {"alice"})
        self.assertTrue(CoCreatorInvitation.objects.filter(work=work, pseud=self.bob.default_pseud).exists())

    def test_someone_who_blocked_you_cannot_be_invited(self) -> None:
        Block.objects.create(blocker=self.bob, blocked=self.alice)
        self.login(self.alice)
        data = work_form_data(pseuds=[self.alice.default_pseud.pk], co_creators="bob")
        response = self.client.post("/works/new", data)
        self.assertContains(response, "You can&#x27;t invite “bob” as a co-creator.")
        self.assertFalse(Work.objects.exists())
        self.assertFalse(CoCreatorInvitation.objects.exists())

    def test_a_user_can_turn_invitations_off_and_on(self) -> None:
        self.login(self.bob)
        self.assertRedirects(self.client.post("/invitations", {}), "/invitations")
        self.login(self.alice)
        data = work_form_data(pseuds=[self.alice.default_pseud.pk], co_creators="bob")
        self.assertContains(self.client.post("/works/new", data), "doesn&#x27;t accept co-creator invitations")
        self.assertFalse(CoCreatorInvitation.objects.exists())
        self.login(self.bob)
        self.client.post("/invitations", {"accepts": "on"})
        self.login(self.alice)
        self.assertEqual(self.client.post("/works/new", data).status_code, 302)
        self.assertTrue(CoCreatorInvitation.objects.exists())

    def test_only_the_invited_user_can_answer_and_forged_ids_are_404(self) -> None:
        self.post_work(co_creators="bob")
        invitation = CoCreatorInvitation.objects.get()
        self.login(self.alice)
        self.assertEqual(self.client.post(f"/invitations/{invitation.pk}/accept").status_code, 404)
        self.assertEqual(self.client.post(f"/invitations/{invitation.pk}/decline").status_code, 404)
        self.assertEqual(self.client.post("/invitations/999999/accept").status_code, 404)
        self.assertTrue(CoCreatorInvitation.objects.exists())
        self.client.logout()
        self.assertEqual(self.client.post(f"/invitations/{invitation.pk}/accept").status_code, 302)
        self.assertTrue(CoCreatorInvitation.objects.exists())
