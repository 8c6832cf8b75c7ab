"""A database migrated before news had an app of its own (its models were sitecontent's) keeps every news
post, comment, report on one, and permission given on news when it migrates to the news app.

The database is taken back to that point (the news app's migration and what depends on it unapplied),
filled through the models as they were then (`sitecontent.NewsPost`), and migrated forward; then the
pages, the moderation desk's link and the permissions are checked with today's code. Runs on SQLite
and PostgreSQL like every test.
"""

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TransactionTestCase

from accounts.actions import create_account
from moderation.models import Report
from news.models import NewsComment, NewsPost

# The last migrations of the apps concerned before the news app existed.
BEFORE = [
    ("sitecontent", "0002_threaded_news_comments"),
    ("moderation", "0003_news_comment_reports"),
    ("news", None),
]


class MovedFromSitecontentTests(TransactionTestCase):
    def migrate(self, targets: list[tuple[str, str | None]]) -> Any:
        """Migrate to `targets`; the models as they are there (historical models)."""
        executor = MigrationExecutor(connection)
        executor.migrate(targets)
        executor.loader.build_graph()
        return executor.loader.project_state(list(executor.loader.applied_migrations)).apps

    def latest(self) -> list[tuple[str, str | None]]:
        return list(MigrationExecutor(connection).loader.graph.leaf_nodes())

    def tearDown(self) -> None:
        # Whatever happened above, the next test finds the database fully migrated.
        MigrationExecutor(connection).migrate(self.latest())
        ContentType.objects.clear_cache()
        super().tearDown()

    def test_news_rows_reports_and_permissions_survive_the_move(self) -> None:
        staff = create_account("staff", "staff@example.org", "pw-12345678")
        reader = create_account("zoë", "zoe@example.org", "pw-12345678")
        staff.is_staff = staff.is_superuser = True
        staff.save(update_fields=["is_staff", "is_superuser"])

        old = self.migrate(BEFORE)
        self.assertEqual(connection.introspection.table_names().count("sitecontent_newspost"), 1)
        OldPost = old.get_model("sitecontent", "NewsPost")
        OldComment = old.get_model("sitecontent", "NewsComment")
        OldContentType = old.get_model("contenttypes", "ContentType")
        post = OldPost.objects.create(
            title="Wartung am Sonntag — ünïcode ✨",
            body="<p>Kurz offline.</p>",
            comments_enabled=True,
            author_id=staff.pk,
        )
        quiet = OldPost.objects.create(title="Quiet", body="<p>No comments.</p>", comments_enabled=False)
        top = OldComment.objects.create(post=post, user_id=reader.pk, body="<p>Danke! 🎉</p>", ip_hash="h" * 64)
        top.thread_id = top.pk
        top.save(update_fields=["thread"])
        reply = OldComment.objects.create(
            post=post, parent=top, thread_id=top.pk, depth=1, user_id=staff.pk, body="<p>Gern.</p>"
        )
        gone = OldComment.objects.create(post=post, thread_id=top.pk, parent=top, depth=1, body="", status="deleted")
        old.get_model("moderation", "Report").objects.create(
            kind="news_comment",
            news_comment_id=reply.pk,
            target_user_id=staff.pk,
            snapshot={"body": "<p>Gern.</p>"},
            category="other",
            description="Zu kurz.",
            reporter_id=reader.pk,
        )
        # Permissions given on news before the move (content types are made after migrate: as on a live archive).
        post_type = OldContentType.objects.get(app_label="sitecontent", model="newspost")
        comment_type = OldContentType.objects.get(app_label="sitecontent", model="newscomment")
        OldPermission = old.get_model("auth", "Permission")
        change_post = OldPermission.objects.get(content_type=post_type, codename="change_newspost")
        editors = old.get_model("auth", "Group").objects.create(name="News editors")
        editors.permissions.add(change_post)

        self.migrate(self.latest())
        ContentType.objects.clear_cache()

        # The same rows, read by today's models from the same tables.
        self.assertEqual(NewsPost._meta.db_table, "sitecontent_newspost")
        self.assertEqual(
            list(NewsPost.objects.order_by("pk").values_list("pk", "title", "author_id", "comments_enabled")),
            [(post.pk, "Wartung am Sonntag — ünïcode ✨", staff.pk, True), (quiet.pk, "Quiet", None, False)],
        )
        self.assertEqual(
            list(NewsComment.objects.order_by("pk").values_list("pk", "post_id", "parent_id", "thread_id", "status")),
            [
                (top.pk, post.pk, None, top.pk, "published"),
                (reply.pk, post.pk, top.pk, top.pk, "published"),
                (gone.pk, post.pk, top.pk, top.pk, "deleted"),
            ],
        )
        self.assertEqual(NewsComment.objects.get(pk=top.pk).ip_hash, "h" * 64)
        report = Report.objects.get()
        self.assertEqual(report.news_comment, NewsComment.objects.get(pk=reply.pk))

        # The content types moved with their ids, so the group still holds its permission.
        self.assertEqual(ContentType.objects.get_for_model(NewsPost).pk, post_type.pk)
        self.assertEqual(ContentType.objects.get_for_model(NewsComment).pk, comment_type.pk)
        self.assertFalse(ContentType.objects.filter(app_label="sitecontent", model__startswith="news").exists())
        self.assertEqual(
            list(Group.objects.get(name="News editors").permissions.values_list("content_type__app_label", "codename")),
            [("news", "change_newspost")],
        )
        self.assertEqual(Permission.objects.get(codename="change_newspost").pk, change_post.pk)

        # The pages read them, and a new post and comment continue the ids (PostgreSQL's sequences too).
        page = self.client.get(f"/news/{post.pk}").content.decode()
        self.assertIn("Danke! 🎉", page)
        self.assertIn("Wartung am Sonntag", self.client.get("/news").content.decode())
        self.assertIn(f'href="/news/{quiet.pk}"', self.client.get("/").content.decode())
        self.client.force_login(reader)
        response = self.client.post(f"/news/{post.pk}/comments", {"content": "<p>Noch eine Frage.</p>"})
        self.assertEqual(response.status_code, 302)
        self.assertGreater(NewsComment.objects.latest("pk").pk, gone.pk)
        self.client.force_login(staff)
        self.assertEqual(self.client.get(f"/admin/news/newspost/{post.pk}/change/").status_code, 200)
        self.assertContains(self.client.get(f"/moderation/reports/{report.pk}"), "Gern.")
