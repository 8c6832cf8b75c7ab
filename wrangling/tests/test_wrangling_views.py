"""Who reaches the wrangling pages, the dashboard's bins and bulk actions, the log, and appointing wranglers."""

from urllib.parse import urlencode

from django.test import Client

from jobs.models import Job
from moderation.models import LogEntry
from tags.models import MetaTagging, TagParent, WranglerAssignment, WranglingLog
from tags.tests.helpers import WranglingTestCase

WRANGLING_PAGES = ["/wrangling", "/wrangling/log", "/tags/Mara%20Quill/edit"]


class PermissionTests(WranglingTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.make_work(title="Tide", fandoms="Tidewater (TV)", characters="Mara Quill")
        self.make_work(title="Stars", fandoms="Starfall (Video Game)", characters="Captain Ilse")

    def test_guests_are_sent_to_log_in(self):
        for url in [*WRANGLING_PAGES, "/wrangling/wranglers"]:
            with self.subTest(url=url):
                response = self.client.get(url)
                login = "/account/login?" + urlencode({"next": url})
                self.assertRedirects(response, login, fetch_redirect_response=False)
        self.assertEqual(self.client.post("/wrangling", {}).status_code, 302)

    def test_users_who_are_not_wranglers_are_refused(self):
        self.login(self.bob)
        for url in [*WRANGLING_PAGES, "/wrangling/wranglers"]:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 403)
        self.assertEqual(self.client.post("/tags/Mara%20Quill/edit", {"name": "Mara Quill"}).status_code, 403)
        self.assertNotContains(self.client.get("/tags/Mara%20Quill"), "/edit")
        self.assertNotContains(self.client.get("/"), 'href="/wrangling"')

    def test_a_fandom_wrangler_wrangles_that_fandom_only(self):
        wendy = self.wrangler("wendy", fandom="Tidewater (TV)")
        self.login(wendy)
        self.assertContains(self.client.get("/"), 'href="/wrangling"')
        # The fandom, and unwrangled tags used on its works.
        self.assertEqual(self.client.get("/tags/Tidewater%20(TV)/edit").status_code, 200)
        self.assertEqual(self.client.get("/tags/Mara%20Quill/edit").status_code, 200)
        self.assertContains(self.client.get("/tags/Mara%20Quill"), 'href="/tags/Mara%20Quill/edit"')
        # Another fandom's tags.
        self.assertEqual(self.client.get("/tags/Captain%20Ilse/edit").status_code, 403)
        self.assertEqual(self.client.get("/tags/Starfall%20(Video%20Game)/edit").status_code, 403)
        self.assertNotContains(self.client.get("/tags/Captain%20Ilse"), "/edit")
        self.assertEqual(self.client.get("/wrangling?fandom=Starfall (Video Game)&type=character").status_code, 404)
        self.assertEqual(self.client.get("/wrangling/wranglers").status_code, 403)
        self.assertEqual(self.client.get("/wrangling/log").status_code, 200)

    def test_a_fandom_wrangler_keeps_tags_given_that_fandom(self):
        wendy = self.wrangler("wendy", fandom="Tidewater (TV)")
        self.assertEdited(wendy, "Mara Quill", canonical=True, add_fandoms="Tidewater (TV)")
        self.login(wendy)
        self.assertEqual(self.client.get("/tags/Mara%20Quill/edit").status_code, 200)
        # A tag from another fandom given a parent elsewhere stays out of reach.
        self.set_canonical("Starfall (Video Game)")
        self.link_parent("Captain Ilse", "Starfall (Video Game)")
        self.assertEqual(self.client.get("/tags/Captain%20Ilse/edit").status_code, 403)

    def test_a_fandom_wrangler_cannot_bulk_wrangle_another_fandoms_tags(self):
        wendy = self.wrangler("wendy", fandom="Tidewater (TV)")
        response = self.bulk(wendy, ["Mara Quill", "Captain Ilse"], "make_canonical")
        self.assertContains(response, "You can&#x27;t wrangle “Captain Ilse”: they are outside your fandoms.")
        self.assertFalse(self.tag("Mara Quill").canonical)

    def test_a_fandom_wrangler_cannot_merge_another_fandoms_tag_into_theirs(self):
        wendy = self.wrangler("wendy", fandom="Tidewater (TV)")
        self.set_canonical("Mara Quill")
        self.assertRefused(
            wendy,
            "Mara Quill",
            "You can&#x27;t wrangle “Captain Ilse”, so you can&#x27;t make it a synonym here.",
            add_synonyms="Captain Ilse",
        )
        self.assertIsNone(self.tag("Captain Ilse").merger)

    def test_global_wranglers_and_staff_wrangle_everything_but_only_staff_appoint(self):
        wanda = self.wrangler("wanda")
        for user in (wanda, self.staff):
            self.login(user)
            with self.subTest(user=user.username):
                self.assertEqual(self.client.get("/tags/Captain%20Ilse/edit").status_code, 200)
                self.assertEqual(self.client.get("/tags/Starfall%20(Video%20Game)/edit").status_code, 200)
        self.login(wanda)
        self.assertEqual(self.client.get("/wrangling/wranglers").status_code, 403)
        self.login(self.staff)
        self.assertEqual(self.client.get("/wrangling/wranglers").status_code, 200)

    def test_forms_need_the_csrf_token(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.staff)
        self.assertEqual(client.post("/tags/Mara%20Quill/edit", {"name": "Mara Quill"}).status_code, 403)
        self.assertContains(client.get("/tags/Mara%20Quill/edit"), 'name="csrfmiddlewaretoken"')


class DashboardTests(WranglingTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.make_work(
            fandoms="Tidewater (TV)",
            characters="Mara Quill, mara",
            relationships="Mara/Jonah",
            freeforms="Fluff, it was a dark and stormy night",
        )
        self.make_work(fandoms="tidewater", characters="Jonah Reyes", freeforms="Fluff")
        self.make_work(fandoms="Starfall (Video Game)", characters="Captain Ilse")
        self.set_canonical("Tidewater (TV)", "Starfall (Video Game)")

    def test_a_fandom_wrangler_sees_counts_and_lists_for_their_fandom(self):
        wendy = self.wrangler("wendy", fandom="Tidewater (TV)")
        self.login(wendy)
        response = self.client.get("/wrangling")
        self.assertContains(response, "2 unwrangled Characters in Tidewater (TV)")
        self.assertContains(response, "1 unwrangled Relationships in Tidewater (TV)")
        self.assertContains(response, "2 unwrangled Additional Tags in Tidewater (TV)")
        self.assertNotContains(response, "Starfall")
        self.assertNotContains(response, "No fandom")
        response = self.client.get("/wrangling", {"fandom": "Tidewater (TV)", "type": "character"})
        self.assertContains(response, "Unwrangled Characters in Tidewater (TV)")
        self.assertContains(response, '<label for="tag-{}">Mara Quill</label>'.format(self.tag("Mara Quill").pk))
        self.assertContains(response, 'class="tag-input"')
        self.assertContains(response, 'data-tag-type="character"')
        self.assertNotContains(response, "Captain Ilse")
        self.assertNotContains(response, "Jonah Reyes")

    def test_a_synonym_fandoms_works_count_for_its_canonical_fandom(self):
        self.assertEdited(self.staff, "tidewater", synonym_of="Tidewater (TV)")
        self.login(self.staff)
        response = self.client.get("/wrangling")
        self.assertContains(response, "3 unwrangled Characters in Tidewater (TV)")
        response = self.client.get("/wrangling", {"fandom": "Tidewater (TV)", "type": "character"})
        self.assertContains(response, "Jonah Reyes")

    def test_wrangled_tags_leave_the_bins(self):
        self.assertEdited(self.staff, "Mara Quill", canonical=True)
        self.assertEdited(self.staff, "mara", synonym_of="Mara Quill")
        self.assertEdited(self.staff, "it was a dark and stormy night", unwrangleable=True)
        self.assertEdited(self.staff, "Fluff", add_fandoms="Tidewater (TV)")
        self.login(self.staff)
        response = self.client.get("/wrangling")
        self.assertNotContains(response, "unwrangled Characters in Tidewater (TV)")
        self.assertNotContains(response, "unwrangled Additional Tags in Tidewater (TV)")
        self.assertContains(response, "1 unwrangled Relationships in Tidewater (TV)")

    def test_global_wranglers_also_see_tags_in_no_canonical_fandom(self):
        self.login(self.wrangler("wanda"))
        response = self.client.get("/wrangling")
        self.assertContains(response, "Starfall (Video Game)")
        # "tidewater" is not canonical, so its works' tags are in no fandom yet.
        self.assertContains(response, "1 unwrangled Characters in no fandom")
        self.assertContains(response, "1 unwrangled Fandoms in no fandom")
        response = self.client.get("/wrangling", {"unsorted": "1", "type": "character"})
        self.assertContains(response, "Unwrangled Characters with no fandom")
        self.assertContains(response, "Jonah Reyes")
        self.assertNotContains(response, ">Mara Quill<")

    def test_bins_are_paginated(self):
        self.make_work(fandoms="Tidewater (TV)", freeforms=", ".join(f"Tag {n:03}" for n in range(60)))
        self.make_work(fandoms="Tidewater (TV)", freeforms=", ".join(f"Tag {n:03}" for n in range(60, 120)))
        self.login(self.staff)
        query = {"fandom": "Tidewater (TV)", "type": "freeform"}
        first = self.client.get("/wrangling", query)
        self.assertContains(first, "Tag 000")
        self.assertNotContains(first, "Tag 119")
        self.assertContains(first, "Page 1 of 2")
        second = self.client.get("/wrangling", {**query, "page": "2"})
        self.assertContains(second, "Tag 119")
        self.assertNotContains(second, "Tag 000")


class BulkActionTests(WranglingTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.make_work(
            fandoms="Tidewater (TV)",
            characters="Mara Quill, mara, Jonah Reyes",
            freeforms="Fluff, fluffy, stormy night",
        )
        self.set_canonical("Tidewater (TV)")
        self.wendy = self.wrangler("wendy", fandom="Tidewater (TV)")
        self.bin = {"fandom": "Tidewater (TV)", "type": "character"}

    def test_make_canonical_then_add_the_bins_fandom_as_parent(self):
        response = self.bulk(self.wendy, ["Mara Quill", "Jonah Reyes"], "make_canonical", **self.bin)
        self.assertRedirects(
            response, "/wrangling?type=character&fandom=Tidewater+%28TV%29", fetch_redirect_response=False
        )
        self.assertTrue(self.tag("Mara Quill").canonical and self.tag("Jonah Reyes").canonical)
        response = self.bulk(self.wendy, ["Mara Quill", "Jonah Reyes"], "add_parent", **self.bin)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(
            set(TagParent.objects.values_list("child__name", "parent__name")),
            {("Mara Quill", "Tidewater (TV)"), ("Jonah Reyes", "Tidewater (TV)")},
        )
        self.assertEqual(WranglingLog.objects.filter(actor=self.wendy).count(), 4)

    def test_make_synonym_of_and_add_meta_tag(self):
        self.set_canonical("Mara Quill", "Fluff", "fluffy")
        self.assertEqual(self.bulk(self.wendy, ["mara"], "make_synonym", "Mara Quill").status_code, 302)
        self.assertEqual(self.tag("mara").merger, self.tag("Mara Quill"))
        self.assertEqual(self.bulk(self.wendy, ["fluffy"], "add_meta_tag", "Fluff").status_code, 302)
        self.assertTrue(MetaTagging.objects.filter(meta_tag=self.tag("Fluff"), sub_tag=self.tag("fluffy")).exists())
        self.assertEqual(Job.objects.count(), 2)

    def test_mark_unwrangleable(self):
        self.assertEqual(self.bulk(self.wendy, ["stormy night"], "mark_unwrangleable").status_code, 302)
        self.assertTrue(self.tag("stormy night").unwrangleable)

    def test_one_refusal_applies_nothing_and_lists_every_refusal(self):
        self.set_canonical("Mara Quill")
        response = self.bulk(self.wendy, ["mara", "Mara Quill", "Fluff"], "make_synonym", "Mara Quill", **self.bin)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "“Mara Quill” can&#x27;t be a synonym of itself.")
        self.assertContains(response, "“Fluff” is an Additional Tag and “Mara Quill” is a Character tag")
        self.assertIsNone(self.tag("mara").merger)
        self.assertFalse(WranglingLog.objects.exists())
        # The chosen tags stay chosen.
        self.assertContains(response, f'value="{self.tag("mara").pk}" id="tag-{self.tag("mara").pk}" checked')

    def test_the_form_needs_tags_an_action_and_a_known_target(self):
        self.login(self.wendy)
        response = self.client.post("/wrangling", {"action": "make_canonical", **self.bin})
        self.assertContains(response, "Select at least one tag.")
        response = self.bulk(self.wendy, ["mara"], "make_synonym", **self.bin)
        self.assertContains(response, "This action needs a target tag.")
        response = self.bulk(self.wendy, ["mara"], "make_synonym", "Nobody", **self.bin)
        self.assertContains(response, "There is no tag named “Nobody”.")
        self.assertIsNone(self.tag("mara").merger)


class LogTests(WranglingTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.make_work(characters="Mara Quill, mara, Jonah Reyes")
        self.assertEdited(self.staff, "Mara Quill", canonical=True)
        self.assertEdited(self.staff, "mara", synonym_of="Mara Quill")
        self.assertEdited(self.staff, "Jonah Reyes", canonical=True)

    def test_wranglers_see_every_change_newest_first(self):
        self.login(self.wrangler("wendy"))
        response = self.client.get("/wrangling/log")
        self.assertContains(response, "3 changes")
        text = response.content.decode()
        self.assertLess(text.index("Made “Jonah Reyes” canonical."), text.index("Made “Mara Quill” canonical."))
        self.assertContains(response, '<a href="/users/sam">sam</a>', html=True)

    def test_the_log_is_filtered_by_tag_name_including_changes_naming_it(self):
        self.login(self.staff)
        response = self.client.get("/wrangling/log", {"tag": "mara quill"})
        self.assertContains(response, "2 changes")
        self.assertContains(response, "Made “mara” a synonym of “Mara Quill”.")
        self.assertNotContains(response, "Jonah Reyes")
        response = self.client.get("/wrangling/log", {"tag": "Jonah Reyes"})
        self.assertContains(response, "1 change to or naming")

    def test_the_log_is_paginated(self):
        for number in range(55):
            WranglingLog.objects.create(actor=self.staff, tag_name=f"Tag {number}", action="rename", detail="x")
        self.login(self.staff)
        self.assertContains(self.client.get("/wrangling/log"), "Page 1 of 2")
        self.assertContains(self.client.get("/wrangling/log", {"page": "2"}), "Page 2 of 2")


class WranglerAppointmentTests(WranglingTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.make_work(fandoms="Tidewater (TV), tidewater")
        self.set_canonical("Tidewater (TV)")
        self.login(self.staff)

    def test_staff_appoint_a_wrangler_for_a_fandom_who_can_then_wrangle_it(self):
        response = self.client.post("/wrangling/wranglers", {"username": "bob", "fandom": "tidewater (tv)"})
        self.assertRedirects(response, "/wrangling/wranglers", fetch_redirect_response=False)
        assignment = WranglerAssignment.objects.get()
        self.assertEqual((assignment.user, assignment.fandom), (self.bob, self.tag("Tidewater (TV)")))
        self.assertContains(self.client.get("/wrangling/wranglers"), "bob now wrangles “Tidewater (TV)”.")
        entry = LogEntry.objects.get(action=LogEntry.Action.APPOINT, user=self.bob)
        self.assertEqual(entry.actor, self.staff)
        fandom = self.tag("Tidewater (TV)")
        self.assertEqual(entry.details, {"role": "wrangler", "fandom_id": fandom.pk, "fandom": "Tidewater (TV)"})
        self.assertFalse(WranglingLog.objects.exists())
        self.login(self.bob)
        self.assertEqual(self.client.get("/wrangling").status_code, 200)

    def test_staff_appoint_a_wrangler_for_every_fandom(self):
        self.client.post("/wrangling/wranglers", {"username": "bob", "fandom": ""})
        self.assertIsNone(WranglerAssignment.objects.get().fandom)
        self.assertContains(self.client.get("/wrangling/wranglers"), "Every fandom")

    def test_appointments_need_a_known_user_and_a_canonical_fandom_once(self):
        response = self.client.post("/wrangling/wranglers", {"username": "nobody", "fandom": ""})
        self.assertContains(response, "There is no user named “nobody”.")
        response = self.client.post("/wrangling/wranglers", {"username": "bob", "fandom": "tidewater"})
        self.assertContains(response, "“tidewater” is not a canonical fandom")
        self.client.post("/wrangling/wranglers", {"username": "bob", "fandom": ""})
        response = self.client.post("/wrangling/wranglers", {"username": "bob", "fandom": ""})
        self.assertContains(response, "bob already wrangles every fandom.")
        self.assertEqual(WranglerAssignment.objects.count(), 1)

    def test_staff_remove_a_wrangler(self):
        self.wrangler("bob", fandom="Tidewater (TV)")
        assignment = WranglerAssignment.objects.get()
        self.assertEqual(self.client.get(f"/wrangling/wranglers/{assignment.pk}/remove").status_code, 405)
        response = self.client.post(f"/wrangling/wranglers/{assignment.pk}/remove")
        self.assertRedirects(response, "/wrangling/wranglers", fetch_redirect_response=False)
        self.assertFalse(WranglerAssignment.objects.exists())
        self.assertContains(self.client.get("/wrangling/wranglers"), "bob no longer wrangles “Tidewater (TV)”.")
        entry = LogEntry.objects.get(action=LogEntry.Action.DISMISS, user=self.bob)
        self.assertEqual((entry.actor, entry.details["fandom"]), (self.staff, "Tidewater (TV)"))
        self.login(self.bob)
        self.assertEqual(self.client.get("/wrangling").status_code, 403)

    def test_only_staff_remove_wranglers(self):
        self.wrangler("bob")
        assignment = WranglerAssignment.objects.get()
        self.login(self.bob)
        self.assertEqual(self.client.post(f"/wrangling/wranglers/{assignment.pk}/remove").status_code, 403)
        self.assertTrue(WranglerAssignment.objects.exists())
        self.assertFalse(LogEntry.objects.filter(action=LogEntry.Action.DISMISS).exists())
