"""The dismissable banner staff set on the archive settings page."""

from sitecontent.tests.test_archive_settings import StaffSettingsMixin


class BannerTests(StaffSettingsMixin):
    def test_a_banner_shows_on_every_page_until_dismissed_and_again_when_it_changes(self) -> None:
        self.save_settings(banner_text="<p>Maintenance tonight at 22:00 UTC.</p>", banner_kind="outage")
        self.assertContains(self.client.get("/"), "Maintenance tonight")
        self.assertContains(self.client.get("/works"), "site-banner-outage")
        response = self.client.post("/banner/dismiss", {"next": "/works"})
        self.assertRedirects(response, "/works", fetch_redirect_response=False)
        self.assertNotContains(self.client.get("/works"), "Maintenance tonight")
        self.save_settings(banner_text="<p>Maintenance moved to Sunday.</p>")
        self.assertContains(self.client.get("/works"), "Maintenance moved to Sunday.")

    def test_dismissing_never_redirects_off_site_and_needs_a_post(self) -> None:
        self.save_settings(banner_text="<p>Hello.</p>")
        response = self.client.post("/banner/dismiss", {"next": "https://evil.example/"})
        self.assertRedirects(response, "/", fetch_redirect_response=False)
        self.assertEqual(self.client.get("/banner/dismiss").status_code, 405)

    def test_no_banner_when_the_text_is_empty(self) -> None:
        self.assertNotContains(self.client.get("/"), "site-banner")
