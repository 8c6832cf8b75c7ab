from accounts.models import User
from fanarchive.test import BaseTestCase
from works.models import Work


class AdminTests(BaseTestCase):
    def test_staff_can_manage_users_works_and_tags_in_the_admin(self):
        work = self.make_work(title="Admin Visible")
        staff = User.objects.create_superuser("owner", "owner@example.org", self.password)
        self.login(staff)
        for url in [
            "/admin/accounts/user/",
            "/admin/accounts/pseud/",
            "/admin/works/work/",
            "/admin/works/chapter/",
            "/admin/works/series/",
            "/admin/tags/tag/",
            f"/admin/works/work/{work.pk}/change/",
            "/admin/works/work/?q=Admin",
            "/admin/tags/tag/?q=Fluff",
        ]:
            self.assertEqual(self.client.get(url).status_code, 200, url)
        self.assertContains(self.client.get("/admin/works/work/?q=Admin"), "Admin Visible")

    def test_staff_can_hide_a_work_from_everyone_else(self):
        work = self.make_work(title="Hidden By Staff")
        staff = User.objects.create_superuser("owner", "owner@example.org", self.password)
        Work.objects.filter(pk=work.pk).update(hidden_by_admin=True)
        self.login(staff)
        self.assertContains(self.client.get(f"/works/{work.pk}/"), "hidden by the archive")
        self.login(self.bob)
        self.assertEqual(self.client.get(f"/works/{work.pk}/").status_code, 404)

    def test_regular_users_are_kept_out_of_the_admin(self):
        self.login(self.bob)
        self.assertRedirects(self.client.get("/admin/"), "/admin/login/?next=/admin/")


class SecurityHeaderTests(BaseTestCase):
    def test_pages_forbid_inline_scripts_and_framing(self):
        response = self.client.get("/")
        policy = response.headers["Content-Security-Policy"]
        self.assertIn("script-src 'self'", policy)
        self.assertIn("frame-ancestors 'none'", policy)
        self.assertEqual(response.headers["X-Frame-Options"], "DENY")

    def test_posting_needs_a_csrf_token(self):
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        client.force_login(self.alice)
        response = client.post("/works/new", {"title": "x"})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Work.objects.exists())


class AdminSanitizingTests(BaseTestCase):
    def test_staff_edits_to_chapter_text_are_sanitized_and_recounted(self):
        work = self.make_work()
        chapter = work.chapters.get()
        staff = User.objects.create_superuser("owner", "owner@example.org", self.password)
        self.login(staff)
        response = self.client.post(
            f"/admin/works/chapter/{chapter.pk}/change/",
            {
                "work": work.pk,
                "position": 1,
                "title": "",
                "summary": "",
                "notes": "",
                "endnotes": "",
                "content": "<p>Three new words</p><script>alert(1)</script>",
                "posted": "on",
                "published_at": "2024-01-01",
            },
        )
        self.assertEqual(response.status_code, 302, response.content.decode()[:2000])
        chapter.refresh_from_db()
        work.refresh_from_db()
        self.assertEqual(chapter.content, "<p>Three new words</p>")
        self.assertEqual(chapter.word_count, 3)
        self.assertEqual(work.word_count, 3)
