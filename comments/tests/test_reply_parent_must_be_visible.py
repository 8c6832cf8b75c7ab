"""A reply's parent is quoted on the form page when a post fails: it must be a comment the requester may see.

Review finding: a guest POSTing an empty reply with `parent_id` of an unreviewed, spam or
draft-chapter comment got the 400 page quoting that comment.
"""

from comments.models import Comment
from comments.tests.helpers import GUEST, CommentsTestCase
from works.models import Chapter


class ReplyParentVisibilityTests(CommentsTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.work = self.make_work()
        self.comment(self.work, "Published and fine.", user=self.bob)
        self.published = self.last_comment()

    def empty_reply_as_guest(self, parent: Comment) -> "object":
        self.client.logout()
        return self.client.post(f"/works/{self.work.pk}/comments", {"parent_id": parent.pk, "content": "", **GUEST})

    def secret(self, status: str, chapter: Chapter | None = None) -> Comment:
        return Comment.objects.create(
            work=self.work, chapter=chapter, user=self.bob, pseud=self.bob.default_pseud,
            content="<p>Secret words ÆØÅ.</p>", status=status, depth=0,
        )  # fmt: skip

    def test_an_unreviewed_comment_is_not_quoted_to_a_guest(self):
        response = self.empty_reply_as_guest(self.secret(Comment.Status.UNREVIEWED))
        self.assertEqual(response.status_code, 404)  # type: ignore[attr-defined]
        self.assertNotContains(response, "Secret words", status_code=404)  # type: ignore[arg-type]

    def test_a_spam_comment_is_not_quoted_to_a_guest(self):
        response = self.empty_reply_as_guest(self.secret(Comment.Status.SPAM))
        self.assertNotContains(response, "Secret words", status_code=404)  # type: ignore[arg-type]

    def test_a_comment_on_a_draft_chapter_is_not_quoted_to_a_guest(self):
        draft = Chapter.objects.create(work=self.work, position=2, content="<p>Not yet.</p>", posted=False)
        response = self.empty_reply_as_guest(self.secret(Comment.Status.PUBLISHED, chapter=draft))
        self.assertNotContains(response, "Secret words", status_code=404)  # type: ignore[arg-type]

    def test_a_published_comment_is_quoted_again_with_the_forms_error(self):
        response = self.empty_reply_as_guest(self.published)
        self.assertContains(response, "Published and fine.", status_code=400)  # type: ignore[arg-type]
