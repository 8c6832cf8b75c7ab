"""Without JavaScript, kudos and the reader actions post and come back to the part of the page they
changed (an anchor); with it, static/js/stay.js swaps that part in place (e2e/test_phone_journeys.py)."""

import re

from bookmarks.models import Bookmark
from community.models import Kudo, Reading, Subscription
from fanarchive.test import BaseTestCase


class StayingInPlaceTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.work = self.make_work(title="The Long Shore")
        self.url = f"/works/{self.work.pk}/"

    def hidden_next(self, page: str, action: str) -> str:
        form = re.search(rf'<form method="post"[^>]*action="{re.escape(action)}"[^>]*>(.*?)</form>', page, re.DOTALL)
        assert form is not None, action
        found = re.search(r'name="next" value="([^"]*)"', form.group(1))
        assert found is not None
        return found.group(1)

    def test_kudos_come_back_to_the_kudos(self) -> None:
        page = self.client.get(self.url + "?view_full_work=true").content.decode()
        self.assertIn('data-stay="kudos"', page)
        next_url = self.hidden_next(page, f"/works/{self.work.pk}/kudos")
        self.assertEqual(next_url, self.url + "?view_full_work=true#kudos")
        response = self.client.post(f"/works/{self.work.pk}/kudos", {"next": next_url})
        self.assertRedirects(response, next_url, fetch_redirect_response=False)
        self.assertEqual(Kudo.objects.filter(work=self.work).count(), 1)

    def test_subscribing_and_marking_for_later_come_back_to_the_reader_actions(self) -> None:
        self.login(self.bob)
        page = self.client.get(self.url).content.decode()
        self.assertIn('id="reader-actions"', page)
        next_url = self.hidden_next(page, "/subscriptions")
        self.assertEqual(next_url, self.url + "#reader-actions")
        response = self.client.post("/subscriptions", {"kind": "work", "target": self.work.pk, "next": next_url})
        self.assertRedirects(response, next_url, fetch_redirect_response=False)
        self.assertTrue(Subscription.objects.filter(user=self.bob).exists())
        later = f"/works/{self.work.pk}/mark_for_later"
        response = self.client.post(later, {"next": self.hidden_next(page, later)})
        self.assertRedirects(response, next_url, fetch_redirect_response=False)
        self.assertTrue(Reading.objects.filter(user=self.bob, work=self.work, marked_for_later=True).exists())

    def test_a_bookmark_takes_one_click_and_notes_stay_one_link_away(self) -> None:
        self.login(self.bob)
        page = self.client.get(self.url).content.decode()
        self.assertIn("Bookmark with notes…", page)
        pseud = re.search(r'name="pseud" value="(\d+)"', page)
        assert pseud is not None
        response = self.client.post(f"/works/{self.work.pk}/bookmarks/new", {"pseud": pseud.group(1)})
        self.assertRedirects(response, self.url, fetch_redirect_response=False)
        bookmark = Bookmark.objects.get(user=self.bob, work=self.work)
        self.assertEqual((bookmark.notes, bookmark.private), ("", False))
        self.assertIn("Edit Bookmark", self.client.get(self.url).content.decode())

    def test_the_comment_form_names_the_comments_as_the_part_it_changes(self) -> None:
        self.login(self.bob)
        page = self.client.get(self.url).content.decode()
        self.assertRegex(
            page, r'<form method="post" action="/works/\d+/comments" class="comment-form" data-stay="comments"'
        )
        self.assertIn('<section class="comments" id="comments"', page)
