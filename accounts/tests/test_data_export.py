"""Export my data: a zip built in the background with the member's JSON and each work as EPUB and HTML."""

import io
import json
import zipfile
from datetime import timedelta

from django.core import mail
from django.test import override_settings
from django.utils import timezone

from accounts.export import build_data_export, export_path, prune_exports
from accounts.models import DataExport, User
from community.models import InboxItem
from fanarchive.test import BaseTestCase
from jobs.queue import run_pending
from news.models import NewsComment, NewsPost


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
class DataExportTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.work = self.post_work(title="Harbour Lights — ünïcode")
        self.draft = self.make_work(title="Unfinished", action="draft")
        self.login(self.bob)
        self.client.post(f"/works/{self.work.pk}/kudos")
        self.client.post(f"/works/{self.work.pk}/comments", {"content": "Lovely fog."})

    def export_for(self, user: User) -> DataExport:
        self.login(user)
        response = self.client.post("/account/export", follow=True)
        self.assertContains(response, "being prepared")
        run_pending()
        return DataExport.objects.get(user=user)

    def test_the_zip_holds_the_json_and_every_work_as_epub_and_html(self) -> None:
        export = self.export_for(self.alice)
        self.assertEqual(export.status, "ready")
        inbox = self.client.get("/inbox")
        self.assertContains(inbox, "Your data export is ready")
        self.assertContains(inbox, 'href="/account/export"')
        self.assertEqual([m.to for m in mail.outbox if "export" in str(m.subject)], [["alice@example.org"]])
        response = self.client.get(f"/account/export/{export.pk}")
        self.assertEqual(response["Content-Disposition"], 'attachment; filename="alice-data.zip"')
        archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
        names = set(archive.namelist())
        for work in [self.work, self.draft]:
            self.assertIn(f"works/{work.pk}.epub", names)
            self.assertIn(f"works/{work.pk}.html", names)
        data = json.loads(archive.read("data.json"))
        self.assertEqual(data["profile"]["username"], "alice")
        self.assertEqual(sorted(w["title"] for w in data["works"]), ["Harbour Lights — ünïcode", "Unfinished"])
        self.assertIn("The lamp turned all night.", data["works"][0]["chapters"][0]["content"])
        self.assertEqual(data["preferences"]["theme"], "auto")

    def test_a_readers_export_has_their_comments_kudos_and_history(self) -> None:
        export = self.export_for(self.bob)
        response = self.client.get(f"/account/export/{export.pk}")
        archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
        data = json.loads(archive.read("data.json"))
        self.assertEqual([k["work_id"] for k in data["kudos"]], [self.work.pk])
        self.assertEqual([c["content"] for c in data["comments"]], ["<p>Lovely fog.</p>"])
        self.assertEqual(data["works"], [])

    def test_a_members_export_has_their_news_comments_but_not_deleted_ones_or_others(self) -> None:
        post = NewsPost.objects.create(title="Archive opens — ünïcode", body="<p>Hi.</p>", author=self.alice)
        self.login(self.bob)
        self.client.post(f"/news/{post.pk}/comments", {"content": "Congratulations — ünïcode!"})
        first = NewsComment.objects.get()
        self.client.post(f"/news/{post.pk}/comments", {"content": "And a reply.", "parent_id": str(first.pk)})
        self.client.post(f"/news/{post.pk}/comments", {"content": "Typo, sorry."})
        regretted = NewsComment.objects.order_by("-id")[0]
        self.assertEqual(self.client.post(f"/news/comments/{regretted.pk}/delete").status_code, 302)
        self.login(self.alice)
        self.client.post(f"/news/{post.pk}/comments", {"content": "Thank you, Bob."})
        export = self.export_for(self.bob)
        response = self.client.get(f"/account/export/{export.pk}")
        archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
        comments = json.loads(archive.read("data.json"))["news_comments"]
        self.assertEqual(
            [(c["post_title"], c["parent_id"], c["body"], c["status"]) for c in comments],
            [
                ("Archive opens — ünïcode", None, "<p>Congratulations — ünïcode!</p>", "published"),
                ("Archive opens — ünïcode", first.pk, "<p>And a reply.</p>", "published"),
            ],
        )

    def test_only_the_owner_downloads_it_and_only_until_it_expires(self) -> None:
        export = self.export_for(self.alice)
        self.login(self.bob)
        self.assertEqual(self.client.get(f"/account/export/{export.pk}").status_code, 404)
        self.client.logout()
        self.assertEqual(self.client.get(f"/account/export/{export.pk}").status_code, 302)
        DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
        self.assertEqual(prune_exports(), 1)
        self.assertFalse(export_path(export).exists())
        self.login(self.alice)
        self.assertEqual(self.client.get(f"/account/export/{export.pk}").status_code, 404)
        self.assertContains(self.client.get("/account/export"), "expired")

    def test_one_export_at_a_time_and_a_retried_job_announces_once(self) -> None:
        self.login(self.alice)
        self.client.post("/account/export")
        response = self.client.post("/account/export", follow=True)
        self.assertContains(response, "already being prepared")
        self.assertEqual(DataExport.objects.count(), 1)
        run_pending()
        build_data_export({"export_id": DataExport.objects.get().pk})
        self.assertEqual(InboxItem.objects.filter(kind="data_export").count(), 1)

    def test_an_export_stuck_for_a_day_does_not_block_a_new_one(self) -> None:
        self.login(self.alice)
        self.client.post("/account/export")
        DataExport.objects.update(created_at=timezone.now() - timedelta(days=1, minutes=1))
        self.client.post("/account/export")
        self.assertEqual(DataExport.objects.filter(status="pending").count(), 2)
