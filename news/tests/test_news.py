"""News posts on /news (the latest on the home page) and members' comments on them."""

from accounts.tests.test_signups import signup_form
from fanarchive.test import BaseTestCase
from news.models import NewsComment, NewsPost


class NewsTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.alice.is_staff = True
        self.alice.save(update_fields=["is_staff"])

    def publish(self, title: str, body: str = "<p>Hello.</p>", comments: bool = True) -> NewsPost:
        self.login(self.alice)
        data = {"title": title, "body": body}
        if comments:
            data["comments_enabled"] = "on"
        response = self.client.post("/news/new", data)
        self.assertEqual(response.status_code, 302)
        self.client.logout()
        return NewsPost.objects.order_by("-id").first()  # type: ignore[return-value]

    def test_staff_publish_news_listed_newest_first_with_the_latest_on_the_home_page(self) -> None:
        self.assertContains(self.client.get("/news"), "No news yet.")
        self.publish("Archive opens", "<p>Welcome <script>x()</script>aboard.</p>")
        latest = self.publish("Downtime on Sunday — ünïcode")
        news = self.client.get("/news").content.decode()
        self.assertLess(news.index("Downtime on Sunday"), news.index("Archive opens"))
        self.assertNotIn("x()", news)
        home = self.client.get("/")
        self.assertContains(home, "Latest news")
        self.assertContains(home, f'href="/news/{latest.pk}"')
        self.assertNotContains(home, "Archive opens")

    def test_staff_edit_and_delete_news_and_members_cannot(self) -> None:
        post = self.publish("Archive opens")
        self.login(self.bob)
        self.assertEqual(self.client.get("/news/new").status_code, 403)
        self.assertEqual(self.client.post(f"/news/{post.pk}/edit", {"title": "Bob", "body": "x"}).status_code, 403)
        self.assertEqual(self.client.post(f"/news/{post.pk}/delete").status_code, 403)
        self.login(self.alice)
        self.client.post(f"/news/{post.pk}/edit", {"title": "Archive opens today", "body": "<p>Hi</p>"})
        self.assertEqual(NewsPost.objects.get().title, "Archive opens today")
        self.assertRedirects(self.client.post(f"/news/{post.pk}/delete"), "/news")
        self.assertEqual(NewsPost.objects.count(), 0)
        self.assertEqual(self.client.get(f"/news/{post.pk}").status_code, 404)

    def test_members_comment_when_comments_are_on(self) -> None:
        post = self.publish("Archive opens")
        self.assertContains(self.client.get(post.get_absolute_url()), "to comment")
        self.assertEqual(self.client.post(f"/news/{post.pk}/comments", {"content": "Guest"}).status_code, 302)
        self.login(self.bob)
        response = self.client.post(f"/news/{post.pk}/comments", {"content": "<p>Congratulations!</p>"})
        comment = NewsComment.objects.get()
        self.assertRedirects(response, f"/news/{post.pk}#news-comment-{comment.pk}")
        self.assertContains(self.client.get(post.get_absolute_url()), "Congratulations!")
        response = self.client.post(f"/news/{post.pk}/comments", {"content": "x" * 100_000})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(NewsComment.objects.count(), 1)

    def test_no_comments_when_they_are_off(self) -> None:
        post = self.publish("Quiet post", comments=False)
        self.login(self.bob)
        self.assertNotContains(self.client.get(post.get_absolute_url()), 'name="content"')
        response = self.client.post(f"/news/{post.pk}/comments", {"content": "Hello"})
        self.assertContains(response, "Comments are off for this post.", status_code=403)
        self.assertEqual(NewsComment.objects.count(), 0)

    def test_unverified_members_cannot_comment_on_news(self) -> None:
        post = self.publish("Archive opens")
        self.client.post("/account/signup", signup_form())
        self.assertContains(self.client.get(post.get_absolute_url()), "Please confirm your email address first")
        self.client.post(f"/news/{post.pk}/comments", {"content": "Hello"})
        self.assertEqual(NewsComment.objects.count(), 0)
