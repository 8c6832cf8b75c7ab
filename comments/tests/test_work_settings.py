"""Authors choose who may comment and whether comments are moderated, when posting and when editing."""

from comments.tests.helpers import CommentsTestCase
from fanarchive.test import work_form_data
from works.models import Work


class WorkCommentSettingsTests(CommentsTestCase):
    def test_the_posting_form_has_the_comment_settings_under_privacy(self):
        self.login(self.alice)
        page = self.client.get("/works/new").content.decode()
        privacy = page[page.index("<legend>Privacy</legend>") :]
        self.assertIn('name="comment_permission"', privacy)
        self.assertIn('value="registered"', privacy)
        self.assertIn('name="moderated_comments"', privacy)

    def test_a_new_work_lets_everyone_comment_unless_told_otherwise(self):
        work = self.post_work()
        self.assertEqual(work.comment_permission, Work.CommentPermission.EVERYONE)
        self.assertFalse(work.moderated_comments)
        work = self.post_work(title="Quiet", comment_permission="registered", moderated_comments="on")
        self.assertEqual(work.comment_permission, Work.CommentPermission.REGISTERED)
        self.assertTrue(work.moderated_comments)

    def test_editing_shows_and_changes_the_settings(self):
        work = self.post_work(comment_permission="off", moderated_comments="on")
        self.login(self.alice)
        form = self.client.get(f"/works/{work.pk}/edit").content.decode()
        self.assertRegex(form, r'<input type="radio" name="comment_permission" value="off"[^>]* checked')
        self.assertRegex(form, r'<input type="checkbox" name="moderated_comments"[^>]* checked')
        data = work_form_data(pseuds=[self.alice.default_pseud.pk], comment_permission="registered", action="save")
        self.assertEqual(self.client.post(f"/works/{work.pk}/edit", data).status_code, 302)
        work.refresh_from_db()
        self.assertEqual(work.comment_permission, Work.CommentPermission.REGISTERED)
        self.assertFalse(work.moderated_comments)

    def test_an_unknown_setting_is_refused(self):
        self.login(self.alice)
        data = work_form_data(pseuds=[self.alice.default_pseud.pk], comment_permission="robots")
        response = self.client.post("/works/new", data)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Work.objects.exists())
