"""Staff write the site pages (terms, privacy, content policy, FAQ, about) as sanitized rich text; every
version is kept; the footer links those that exist; members accept each new version of the terms."""

from accounts.models import TermsAcceptance, User
from accounts.tests.test_signups import signup_form
from fanarchive.test import BaseTestCase
from sitecontent.models import PageVersion


class PagesTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.alice.is_staff = True
        self.alice.save(update_fields=["is_staff"])

    def publish(self, slug: str, body: str, title: str = "Terms of Service", summary: str = "") -> None:
        self.login(self.alice)
        response = self.client.post(
            f"/pages/{slug}/edit", {"title": title, "body": body, "summary_of_changes": summary}
        )
        self.assertRedirects(response, f"/pages/{slug}", fetch_redirect_response=False)
        self.client.logout()


class SitePageTests(PagesTestCase):
    def test_staff_publish_versions_and_readers_see_the_latest_and_the_history(self) -> None:
        self.assertEqual(self.client.get("/pages/faq").status_code, 404)
        self.assertNotContains(self.client.get("/"), 'href="/pages/faq"')
        self.publish("faq", "<p>Is it free? Yes.</p>", title="FAQ")
        self.publish("faq", "<p>Is it free? Yes, and ad-free — ünïcode.</p>", title="FAQ", summary="Ads")
        page = self.client.get("/pages/faq")
        self.assertContains(page, "ad-free — ünïcode")
        self.assertContains(page, "Version 2")
        self.assertContains(self.client.get("/"), 'href="/pages/faq"')
        old = self.client.get("/pages/faq/versions/1")
        self.assertContains(old, "Is it free? Yes.</p>")
        self.assertContains(old, "This is an earlier version.")
        self.assertContains(self.client.get("/pages/faq/history"), "Ads")
        self.assertEqual(list(PageVersion.objects.values_list("number", flat=True)), [2, 1])

    def test_page_text_is_sanitized(self) -> None:
        self.publish("about", '<p onclick="x()">Hello<script>alert(1)</script></p>', title="About")
        html = self.client.get("/pages/about").content.decode()
        self.assertIn("<p>Hello</p>", html)
        self.assertNotIn("alert(1)", html)

    def test_members_and_guests_cannot_edit_and_unknown_pages_do_not_exist(self) -> None:
        self.login(self.bob)
        self.assertEqual(self.client.get("/pages/terms/edit").status_code, 403)
        response = self.client.post("/pages/terms/edit", {"title": "Mine", "body": "<p>Bob rules</p>"})
        self.assertEqual(response.status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.post("/pages/terms/edit", {"title": "x", "body": "y"}).status_code, 302)
        self.assertEqual(PageVersion.objects.count(), 0)
        self.login(self.alice)
        self.assertEqual(self.client.get("/pages/secret/edit").status_code, 404)
        self.assertEqual(self.client.post("/pages/secret/edit", {"title": "x", "body": "y"}).status_code, 404)

    def test_empty_and_huge_pages_are_refused(self) -> None:
        self.login(self.alice)
        for body in ["<script>only</script>", "x" * 200_001]:
            response = self.client.post("/pages/terms/edit", {"title": "Terms", "body": body})
            self.assertEqual(response.status_code, 200)
        self.assertEqual(PageVersion.objects.count(), 0)


class TermsAcceptanceTests(PagesTestCase):
    def test_signing_up_needs_the_terms_accepted_and_records_the_version(self) -> None:
        self.publish("terms", "<p>Be kind.</p>")
        response = self.client.post("/account/signup", signup_form())
        self.assertContains(response, "Please accept the Terms of Service to sign up.")
        self.assertFalse(User.objects.filter(username="carol").exists())
        response = self.client.post("/account/signup", signup_form(accept_terms="on"))
        self.assertRedirects(response, "/users/carol")
        acceptance = TermsAcceptance.objects.get(user__username="carol")
        self.assertEqual(acceptance.version.number, 1)
        # Accepted at sign-up: not asked again.
        self.assertEqual(self.client.get("/works").status_code, 200)

    def test_a_new_version_asks_every_member_to_accept_before_going_on(self) -> None:
        self.publish("terms", "<p>Be kind.</p>")
        self.login(self.bob)
        response = self.client.get("/works?sort=title")
        self.assertRedirects(response, "/account/terms?next=%2Fworks%3Fsort%3Dtitle", fetch_redirect_response=False)
        page = self.client.get("/account/terms?next=/works")
        self.assertContains(page, "Be kind.")
        # Reading the terms and logging out stay possible; posting is not.
        self.assertEqual(self.client.get("/pages/terms").status_code, 200)
        self.assertEqual(self.client.post("/works/new", {}).status_code, 302)
        response = self.client.post("/account/terms", {"next": "/works"})
        self.assertContains(response, "please accept the Terms of Service")
        response = self.client.post("/account/terms", {"accept": "yes", "next": "/works"})
        self.assertRedirects(response, "/works")
        self.assertEqual(self.client.get("/works").status_code, 200)
        # Version 2: asked again, even in the same session.
        self.publish("terms", "<p>Be kind, and credit your sources.</p>")
        self.login(self.bob)
        self.assertEqual(self.client.get("/works").status_code, 302)
        self.client.post("/account/terms", {"accept": "yes", "next": "/works"})
        self.assertEqual(TermsAcceptance.objects.filter(user=self.bob).count(), 2)
        self.assertEqual(self.client.get("/works").status_code, 200)

    def test_the_accept_page_refuses_a_next_on_another_site(self) -> None:
        self.publish("terms", "<p>Be kind.</p>")
        self.login(self.bob)
        response = self.client.post("/account/terms", {"accept": "yes", "next": "https://evil.example/"})
        self.assertRedirects(response, "/", fetch_redirect_response=False)

    def test_guests_are_never_asked(self) -> None:
        self.publish("terms", "<p>Be kind.</p>")
        self.assertEqual(self.client.get("/works").status_code, 200)
