"""Every admin page renders for a superuser with real rows in it; the models changed only on the site's
own pages (the moderation log above all) cannot be added to or changed from the admin."""

from django.contrib import admin
from django.db.models import Model
from django.urls import reverse

from accounts.models import (
    AgeConfirmation,
    DataExport,
    EmailVerification,
    Invitation,
    InviteRequest,
    TermsAcceptance,
    UsernameChange,
)
from moderation import actions
from moderation.models import CaseNote, CoCreatorInvitation, InvitationSetting, LogEntry, Notice, Report, Standing
from moderation.roles import Role
from moderation.tests.helpers import ModerationTestCase
from news.actions import publish_news
from news.models import NewsComment, NewsPost
from news.news_comments import post_news_comment
from sitecontent.actions import publish_page
from sitecontent.config import archive_settings
from sitecontent.models import PageVersion, SiteSettings
from tags.models import Tag, WranglerAssignment

READ_ONLY: list[type[Model]] = [
    AgeConfirmation, DataExport, EmailVerification, TermsAcceptance, UsernameChange,
    CaseNote, InvitationSetting, LogEntry, Notice, Report, Standing, PageVersion, SiteSettings,
    WranglerAssignment,
]  # fmt: skip
DELETABLE: list[type[Model]] = [Invitation, InviteRequest, CoCreatorInvitation, NewsPost, NewsComment]


class AdminPagesRender(ModerationTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.staff.is_superuser = True
        self.staff.save(update_fields=["is_superuser"])
        work = self.post_work(title="Ставни и ставки", co_creators="bob")
        case = self.report_work(work, self.bob, description="Copied from “elsewhere”.")
        self.act(case, "hide_work", reason="Copied: 100 % identical.")
        actions.add_note(self.moderator, case, "Checked both texts.")
        self.login(self.alice)
        actions.ban(self.moderator, self.report("user", self.bob.pk), self.bob, "Ban evasion.")
        InvitationSetting.objects.create(user=self.alice, accepts_co_creator_invitations=False)
        terms = publish_page("terms", {"title": "Terms", "body": "<p>Be kind.</p>"}, self.staff)
        for user in (self.alice, self.bob, self.staff, self.moderator):
            TermsAcceptance.objects.create(user=user, version=terms)  # or the middleware asks them first
        AgeConfirmation.objects.create(user=self.alice, minimum_age=16)
        EmailVerification.objects.create(user=self.alice)
        UsernameChange.objects.create(user=self.alice, old_username="alice_old", new_username="alice")
        DataExport.objects.create(user=self.alice, token="t" * 48, size=2**33)
        Invitation.objects.create(code="ZXCV1234ASDF", created_by=self.staff, email="friend@example.org")
        InviteRequest.objects.create(email="wartend@example.de", token="q" * 32)
        post = publish_news(
            {"title": "Wartung am Sonntag", "body": "<p>Kurz offline.</p>", "comments_enabled": True}, self.staff
        )
        post_news_comment(post, None, self.moderator, "<p>Danke!</p>", "")
        archive_settings()
        Tag.objects.filter(name="Tidewater (TV)").update(canonical=True)
        actions.appoint(self.staff, self.alice, Role.WRANGLER, fandom=Tag.objects.get(name="Tidewater (TV)"))
        self.login(self.staff)

    def url(self, model: type[Model], view: str, *args: object) -> str:
        return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)

    def test_every_registered_changelist_and_a_change_page_render(self) -> None:
        self.assertEqual(self.client.get("/admin/").status_code, 200)
        for model in admin.site._registry:
            with self.subTest(model=model.__name__):
                response = self.client.get(self.url(model, "changelist"))
                self.assertEqual(response.status_code, 200)
                self.assertEqual(self.client.get(self.url(model, "changelist"), {"q": "a"}).status_code, 200)
                row = model._default_manager.order_by("pk").first()
                if row is not None:
                    self.assertEqual(self.client.get(self.url(model, "change", row.pk)).status_code, 200)

    def test_the_new_models_are_all_there_with_rows(self) -> None:
        for model in READ_ONLY + DELETABLE:
            with self.subTest(model=model.__name__):
                self.assertIn(model, admin.site._registry)
                self.assertTrue(model._default_manager.exists())

    def test_read_only_models_cannot_be_added_changed_or_deleted_here(self) -> None:
        for model in READ_ONLY:
            with self.subTest(model=model.__name__):
                row = model._default_manager.order_by("pk").first()
                assert row is not None
                self.assertEqual(self.client.get(self.url(model, "add")).status_code, 403)
                self.assertEqual(self.client.get(self.url(model, "delete", row.pk)).status_code, 403)

    def test_a_log_entry_cannot_be_edited_or_deleted(self) -> None:
        entry = LogEntry.objects.get(action=LogEntry.Action.HIDE_WORK)
        page = self.client.get(self.url(LogEntry, "change", entry.pk))
        self.assertContains(page, "Copied: 100 % identical.")
        self.assertNotContains(page, 'name="_save"')
        self.assertNotContains(page, "deletelink")
        response = self.client.post(self.url(LogEntry, "change", entry.pk), {"reason": "Rewritten.", "action": "warn"})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.client.post(self.url(LogEntry, "delete", entry.pk), {"post": "yes"}).status_code, 403)
        entry.refresh_from_db()
        self.assertEqual((entry.reason, entry.action), ("Copied: 100 % identical.", LogEntry.Action.HIDE_WORK))

    def test_lists_search_and_filter(self) -> None:
        response = self.client.get(self.url(LogEntry, "changelist"), {"action__exact": "ban"})
        self.assertContains(response, "Ban evasion.")
        self.assertNotContains(response, "Copied: 100")
        response = self.client.get(self.url(Report, "changelist"), {"q": "elsewhere"})
        self.assertContains(response, Report.objects.get(kind="work").reference)
        self.assertContains(
            self.client.get(self.url(InviteRequest, "changelist"), {"q": "wartend"}), "wartend@example.de"
        )
        self.assertContains(self.client.get(self.url(NewsPost, "changelist")), "Wartung am Sonntag")
        self.assertContains(self.client.get(self.url(UsernameChange, "changelist"), {"q": "alice_old"}), "alice_old")
        report = Report.objects.get(kind="work")
        self.assertContains(self.client.get(self.url(Report, "change", report.pk)), f"/moderation/reports/{report.pk}")
        self.assertContains(self.client.get(self.url(SiteSettings, "change", 1)), reverse("site_settings"))

    def test_an_unused_invitation_and_a_news_comment_can_be_deleted(self) -> None:
        invitation = Invitation.objects.get()
        response = self.client.post(self.url(Invitation, "delete", invitation.pk), {"post": "yes"})
        self.assertEqual(response.status_code, 302)
        self.assertFalse(Invitation.objects.exists())
        comment = NewsComment.objects.get()
        self.client.post(self.url(NewsComment, "delete", comment.pk), {"post": "yes"})
        self.assertFalse(NewsComment.objects.exists())

    def test_only_superusers_get_in(self) -> None:
        for user in (self.moderator, self.bob):
            self.client.force_login(user)
            response = self.client.get(self.url(LogEntry, "changelist"))
            self.assertEqual(response.status_code, 302)
            self.assertIn("login", response["Location"])
