"""The password reset email names the archive as staff set it, not by the host the request came to."""

from django.core import mail

from fanarchive.test import BaseTestCase
from sitecontent.tests.test_archive_settings import settings_form

NAME = "Gezeitenarchiv ü"


class ThePasswordResetEmailNamesTheArchive(BaseTestCase):
    def test_its_subject_and_body_carry_the_name_from_the_settings_page(self) -> None:
        self.bob.is_staff = True
        self.bob.save(update_fields=["is_staff"])
        self.login(self.bob)
        self.assertEqual(self.client.post("/staff/settings", settings_form(site_name=NAME)).status_code, 302)
        self.client.logout()
        self.client.post("/account/password_reset", {"email": "alice@example.org"})
        self.assertEqual(mail.outbox[0].subject, f"Reset your password on {NAME}")
        self.assertIn(f'for your account "alice" on {NAME}.', mail.outbox[0].body)
