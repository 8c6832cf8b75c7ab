"""The spam check: spammy comments are kept out of sight and out of the count; the checker is pluggable."""

from django.test import override_settings

from comments import spam
from comments.models import Comment
from comments.tests.helpers import CommentsTestCase, comments_count_shown
from community.models import InboxItem

checked: list[spam.Candidate] = []


def everything_is_spam(candidate: spam.Candidate) -> bool:
    checked.append(candidate)
    return True


def nothing_is_spam(candidate: spam.Candidate) -> bool:
    return False


class SpamTests(CommentsTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.work = self.make_work()

    def assertSpam(self, content: str) -> None:
        response = self.guest_comment(self.work, content)
        self.assertEqual(response.status_code, 302)
        comment = self.last_comment()
        self.assertEqual(comment.status, Comment.Status.SPAM, content)

    def test_the_default_heuristics_catch_links_phrases_and_shouting(self):
        links = " ".join(f'<a href="https://spam{n}.example">deal {n}</a>' for n in range(5))
        self.assertSpam(f"Great story! {links}")
        self.assertSpam("Great story! https://a.example https://b.example https://c.example https://d.example")
        self.assertSpam("Nice work. Visit our ONLINE CASINO for a casino bonus.")
        self.assertSpam("THIS IS THE BEST STORY I HAVE EVER READ IN MY ENTIRE LIFE")
        self.assertEqual(self.count_of(self.work), 0)
        self.assertFalse(InboxItem.objects.exists())
        page = self.work_page(self.work, self.alice)
        self.assertEqual(comments_count_shown(page), 0)
        self.assertNotContains(page, "casino")

    def test_ordinary_comments_pass_even_with_a_link_or_a_shout(self):
        for content in [
            'I loved it! My rec list: <a href="https://example.org/recs">recs</a>',
            "OMG. I loved this so much, the ending made me cry.",
            "AAAAH!",
        ]:
            self.guest_comment(self.work, content)
            self.assertEqual(self.last_comment().status, Comment.Status.PUBLISHED, content)
        self.assertEqual(self.count_of(self.work), 3)

    def test_the_poster_is_told_their_comment_was_not_posted(self):
        response = self.guest_comment(self.work, "Buy cheap viagra now")
        self.assertRedirects(response, self.work.get_absolute_url(), fetch_redirect_response=False)
        page = self.client.get(response["Location"])
        self.assertContains(page, "looks like spam")

    @override_settings(COMMENT_SPAM_CHECKER="comments.tests.test_spam.everything_is_spam")
    def test_the_checker_is_pluggable(self):
        checked.clear()
        self.comment(self.work, "Perfectly fine.", user=self.bob)
        self.assertEqual(self.last_comment().status, Comment.Status.SPAM)
        self.assertEqual(len(checked), 1)
        self.assertEqual(checked[0].user, self.bob)
        self.assertEqual(checked[0].work, self.work)
        self.assertEqual(checked[0].content, "<p>Perfectly fine.</p>")
        self.assertTrue(checked[0].ip_hash)
        # The work's creators are never checked.
        self.comment(self.work, "Author's note.", user=self.alice)
        self.assertEqual(self.last_comment().status, Comment.Status.PUBLISHED)
        self.assertEqual(len(checked), 1)

    @override_settings(COMMENT_SPAM_CHECKER="comments.tests.test_spam.nothing_is_spam")
    def test_a_checker_can_let_everything_through(self):
        self.guest_comment(self.work, "Buy cheap viagra now")
        self.assertEqual(self.last_comment().status, Comment.Status.PUBLISHED)

    def test_editing_a_comment_into_spam_hides_it(self):
        self.comment(self.work, "A fine comment.", user=self.bob)
        comment = self.last_comment()
        self.assertEqual(self.count_of(self.work), 1)
        self.client.post(f"/comments/{comment.pk}/edit", {"content": "Visit my online casino!"})
        comment.refresh_from_db()
        self.assertEqual(comment.status, Comment.Status.SPAM)
        self.assertEqual(self.count_of(self.work), 0)

    def test_the_creator_marks_a_comment_as_spam(self):
        self.comment(self.work, "Sneaky advert.", user=self.bob)
        comment = self.last_comment()
        self.assertEqual(self.count_of(self.work), 1)
        page = self.work_page(self.work, self.alice)
        self.assertContains(page, f'action="/comments/{comment.pk}/spam"')
        self.assertNotContains(self.work_page(self.work, self.bob), f'action="/comments/{comment.pk}/spam"')
        self.login(self.bob)
        self.assertEqual(self.client.post(f"/comments/{comment.pk}/spam").status_code, 403)
        self.login(self.alice)
        response = self.client.post(f"/comments/{comment.pk}/spam", {"next": self.work.get_absolute_url()})
        self.assertRedirects(response, self.work.get_absolute_url())
        comment.refresh_from_db()
        self.assertEqual(comment.status, Comment.Status.SPAM)
        self.assertEqual(self.count_of(self.work), 0)
        self.assertNotContains(self.work_page(self.work), "Sneaky advert.")
        self.assertFalse(InboxItem.objects.filter(comment=comment).exists())

    def test_marking_spam_from_the_comments_own_page_returns_to_the_chapter(self):
        self.comment(self.work, "Advert.", user=self.bob, chapter=self.first_chapter(self.work))
        comment = self.last_comment()
        self.login(self.alice)
        response = self.client.post(f"/comments/{comment.pk}/spam", {"next": f"/comments/{comment.pk}"})
        self.assertRedirects(
            response, f"/works/{self.work.pk}/chapters/{comment.chapter_id}#comments", fetch_redirect_response=False
        )
