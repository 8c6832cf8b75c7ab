"""Reader display settings: kept in the account for users, rendered by the server on <html>."""

from django.db import IntegrityError, transaction

from accounts.models import User
from fanarchive.test import BaseTestCase


class ReaderSettingsTests(BaseTestCase):
    def settings_data(self, **overrides: str) -> dict[str, str]:
        data = {
            "theme": "dark",
            "reader_font": "sans",
            "reader_size": "l",
            "reader_spacing": "airy",
            "reader_width": "narrow",
            "hide_creator_style": "on",
        }
        data.update(overrides)
        return data

    def test_guests_get_the_defaults_and_a_panel_their_browser_fills_in(self):
        html = self.client.get("/").content.decode()
        self.assertIn(
            'data-theme="auto" data-font="serif" data-size="m" data-spacing="normal" data-width="normal"', html
        )
        self.assertNotIn("data-reader-saved", html)
        self.assertIn('<details class="display-settings needs-js" data-menu>', html)

    def test_a_user_saves_settings_and_every_page_renders_them(self):
        self.login(self.bob)
        response = self.client.post("/account/reader-settings", {**self.settings_data(), "next": "/works"}, follow=True)
        self.assertRedirects(response, "/works")
        self.assertContains(response, "Your display settings were saved.")
        bob = User.objects.get(pk=self.bob.pk)
        self.assertEqual(
            (bob.theme, bob.reader_font, bob.reader_size, bob.reader_spacing, bob.reader_width),
            ("dark", "sans", "l", "airy", "narrow"),
        )
        self.assertIs(bob.hide_creator_style, True)
        html = self.client.get("/").content.decode()
        self.assertIn(
            'data-theme="dark" data-font="sans" data-size="l" data-spacing="airy" data-width="narrow" '
            'data-creator-style="hide" data-reader-saved',
            html,
        )

    def test_the_panel_saves_in_the_background_with_no_page_to_render(self):
        self.login(self.bob)
        response = self.client.post(
            "/account/reader-settings", self.settings_data(theme="light"), headers={"X-Requested-With": "fetch"}
        )
        self.assertEqual(response.status_code, 204)
        self.assertEqual(User.objects.get(pk=self.bob.pk).theme, "light")

    def test_values_we_do_not_offer_are_refused(self):
        self.login(self.bob)
        response = self.client.post(
            "/account/reader-settings", self.settings_data(theme="neon"), headers={"X-Requested-With": "fetch"}
        )
        self.assertEqual(response.status_code, 400)
        response = self.client.post("/account/reader-settings", self.settings_data(reader_size="xxl"), follow=True)
        self.assertContains(response, "Those display settings are not ones we offer.")
        self.assertEqual(User.objects.get(pk=self.bob.pk).theme, "auto")

    def test_the_database_refuses_unknown_values_too(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            User.objects.filter(pk=self.bob.pk).update(reader_width="enormous")

    def test_guests_cannot_save_to_an_account(self):
        response = self.client.post("/account/reader-settings", self.settings_data())
        self.assertRedirects(response, "/account/login?next=/account/reader-settings")

    def test_an_offsite_next_is_ignored(self):
        self.login(self.bob)
        response = self.client.post(
            "/account/reader-settings", {**self.settings_data(), "next": "https://evil.example/"}
        )
        self.assertRedirects(response, "/account/preferences")

    def test_the_preferences_page_has_the_display_settings(self):
        self.login(self.bob)
        response = self.client.get("/account/preferences")
        self.assertContains(response, '<label for="reader_theme">Theme:</label>', html=True)
        self.assertContains(response, 'action="/account/reader-settings"')
