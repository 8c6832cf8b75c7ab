"""Staff set how the archive runs on one page; each setting changes what the site does at once."""

from django.core.cache import cache, caches

from community.models import Kudo
from fanarchive.test import BaseTestCase
from sitecontent.config import archive_settings
from sitecontent.models import SiteSettings


def settings_form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "site_name": "Archive of Tides",
        "site_description": "Stories of the sea.",
        "signup_mode": "open",
        "invitations_per_user": "3",
        "queue_release_per_day": "10",
        "require_email_verification": "on",
        "minimum_age": "13",
        "username_change_days": "7",
        "guest_comments": "on",
        "guest_kudos": "on",
        "downloads_enabled": "on",
        "default_language": "en",
        "banner_text": "",
        "banner_kind": "announcement",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


class StaffSettingsMixin(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.staff = self.alice
        self.staff.is_staff = True
        self.staff.save(update_fields=["is_staff"])

    def save_settings(self, **overrides: object) -> None:
        self.login(self.staff)
        response = self.client.post("/staff/settings", settings_form(**overrides))
        assert response.status_code == 302, response.content.decode()[:3000]
        self.client.logout()


class SettingsPageTests(StaffSettingsMixin):
    def test_staff_save_the_settings_and_every_page_shows_the_new_name_at_once(self) -> None:
        self.assertContains(self.client.get("/"), "Fanarchive")
        archive_settings()  # now cached
        self.save_settings(site_name="Archive of Tides", site_description="Stories of the sea, ünd more.")
        row = SiteSettings.objects.get()
        self.assertEqual(row.site_name, "Archive of Tides")
        home = self.client.get("/").content.decode()
        self.assertIn("<title>Home | Archive of Tides</title>", home)
        self.assertIn("Stories of the sea, ünd more.", home)

    def test_members_are_refused_and_guests_sent_to_log_in(self) -> None:
        self.login(self.bob)
        self.assertEqual(self.client.get("/staff/settings").status_code, 403)
        self.assertEqual(self.client.post("/staff/settings", settings_form(site_name="Bob's")).status_code, 403)
        self.client.logout()
        response = self.client.post("/staff/settings", settings_form(site_name="Guest's"))
        self.assertRedirects(response, "/account/login?next=/staff/settings", fetch_redirect_response=False)
        self.assertEqual(archive_settings().site_name, "Fanarchive")

    def test_bad_values_are_refused_and_nothing_changes(self) -> None:
        self.login(self.staff)
        for bad in [
            {"site_name": "   "},
            {"signup_mode": "everyone"},
            {"default_language": "klingon"},
            {"minimum_age": "-1"},
            {"site_name": "x" * 100_000},
        ]:
            with self.subTest(bad=list(bad)):
                response = self.client.post("/staff/settings", settings_form(**bad))
                self.assertEqual(response.status_code, 200)
                self.assertIn("We couldn't save this", response.content.decode())
        cache.clear()
        caches["local"].clear()
        self.assertEqual(archive_settings().site_name, "Fanarchive")

    def test_the_banner_is_sanitized(self) -> None:
        banner = '<p>Maintenance at 10:00 <script>alert(1)</script><a href="javascript:x">x</a></p>'
        self.save_settings(banner_text=banner)
        html = self.client.get("/").content.decode()
        self.assertIn("Maintenance at 10:00", html)
        self.assertNotIn("alert(1)", html)
        self.assertNotIn("javascript:", html)


class GuestSettingsTests(StaffSettingsMixin):
    def test_guest_comments_off_refuses_guests_but_not_members(self) -> None:
        work = self.post_work()
        self.save_settings(guest_comments=None)
        response = self.client.post(
            f"/works/{work.pk}/comments", {"guest_name": "Wren", "guest_email": "w@example.org", "content": "Hi"}
        )
        self.assertEqual(response.status_code, 403)
        self.assertContains(response, "guests can&#x27;t comment on this archive", status_code=403)
        self.assertNotContains(self.client.get(work.get_absolute_url()), 'name="guest_name"')
        self.assertEqual(work.comments.count(), 0)
        self.login(self.bob)
        self.client.post(f"/works/{work.pk}/comments", {"content": "Lovely."})
        self.assertEqual(work.comments.count(), 1)

    def test_guest_comments_on_lets_guests_comment(self) -> None:
        work = self.post_work()
        self.client.post(
            f"/works/{work.pk}/comments", {"guest_name": "Wren", "guest_email": "w@example.org", "content": "Hi"}
        )
        self.assertEqual(work.comments.count(), 1)

    def test_guest_kudos_off_refuses_guests_but_not_members(self) -> None:
        work = self.post_work()
        self.save_settings(guest_kudos=None)
        response = self.client.post(f"/works/{work.pk}/kudos", follow=True)
        self.assertContains(response, "Only logged-in users can leave kudos on this archive")
        self.assertEqual(Kudo.objects.count(), 0)
        self.login(self.bob)
        self.client.post(f"/works/{work.pk}/kudos")
        self.assertEqual(Kudo.objects.count(), 1)

    def test_downloads_off_hides_the_menu_and_refuses_every_format(self) -> None:
        work = self.post_work()
        self.assertEqual(self.client.get(f"/works/{work.pk}/download/html").status_code, 200)
        self.save_settings(downloads_enabled=None)
        self.assertNotContains(self.client.get(work.get_absolute_url()), "download-menu")
        for extension in ["epub", "pdf", "html", "txt"]:
            with self.subTest(extension=extension):
                response = self.client.get(f"/works/{work.pk}/download/{extension}")
                self.assertContains(response, "Downloads are off", status_code=404)

    def test_the_default_work_language_preselects_the_posting_form(self) -> None:
        self.save_settings(default_language="de")
        self.login(self.bob)
        html = self.client.get("/works/new").content.decode()
        self.assertRegex(html, r'<option value="de" selected>')
