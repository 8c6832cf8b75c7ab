"""Archiving for others: an eFiction import credited "(archived by …)", invitations through the worker, and claims."""

import io
import re
import shutil
import tempfile
from pathlib import Path

from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.actions import create_account
from accounts.lifecycle import ORPHAN_USERNAME
from accounts.models import EmailVerification, Pseud, User
from bookmarks.models import Bookmark
from comments.models import Comment
from fanarchive.test import ParallelTestCase
from jobs.models import Job
from jobs.queue import run_pending
from migration import claims
from migration.models import ArchivedComment, ArchivedCreator, ArchivedFavourite, SourceRecord
from migration.tests.efiction_fixture import sample_archive, write_archive
from migration.tests.test_efiction_import import EFictionImportCase
from moderation.models import Report
from works.models import Creatorship, Series, Work

SOURCE = "efiction"
ZOE_BYLINE = "Zoë Ashford (archived by openarchivist)"


def link_path(body: str) -> str:
    found = re.search(r"https?://[^/\s]+(/claim/\S+)", body)
    assert found is not None, body
    return found.group(1)


class ClaimCase(EFictionImportCase):
    def setUp(self) -> None:
        super().setUp()
        self.import_archive(write_archive(self.folder / "site"))
        self.zoe = ArchivedCreator.objects.get(source_uid=1)
        self.sakura = ArchivedCreator.objects.get(source_uid=2)
        self.thorunn = ArchivedCreator.objects.get(source_uid=3)
        self.quiet = ArchivedCreator.objects.get(source_uid=5)

    def claim_path(self, creator: ArchivedCreator) -> str:
        return f"/claim/{claims.claim_token(creator)}"

    def sign_up_and_claim(self, creator: ArchivedCreator, username: str, email: str, client: Client | None = None):
        client = client or self.client
        return client.post(
            self.claim_path(creator),
            {
                "creator": creator.pk,
                "action": "signup",
                "username": username,
                "email": email,
                "password1": self.password,
                "password2": self.password,
                "confirm_age": "on",
            },
        )

    def credited_users(self, title: str) -> list[str]:
        work = Work.objects.get(title=title)
        return sorted(work.creatorships.values_list("pseud__user__username", flat=True))


class BylineTests(ClaimCase):
    def test_works_archived_for_others_are_credited_archived_by_everywhere(self):
        work = self.work("Full Moon Rising")
        own = self.make_work(self.archivist, title="The Archivist's Own")
        self.assertContains(self.client.get(work.get_absolute_url()), ZOE_BYLINE)
        listing = self.client.get("/works", {"sort": "title"}).content.decode()
        self.assertIn(ZOE_BYLINE, listing)
        self.assertIn(">openarchivist</a>", listing)  # the archivist's own work: a normal byline
        self.assertNotIn("The Archivist's Own (archived", listing)
        self.assertIn(f"<name>{ZOE_BYLINE}</name>", self.client.get("/works/feed.atom").content.decode())
        self.assertIn(f"<name>{ZOE_BYLINE}</name>", self.client.get("/opds/works?sort=title").content.decode())
        api = self.client.get(f"/api/v1/works/{work.pk}").json()
        self.assertEqual(api["creators"][0]["byline"], ZOE_BYLINE)
        own_api = self.client.get(f"/api/v1/works/{own.pk}").json()
        self.assertEqual(own_api["creators"][0]["byline"], "openarchivist")
        for extension in ("html", "epub"):
            response = self.client.get(f"/works/{work.pk}/download/{extension}")
            self.assertEqual(response.status_code, 200)
            data = b"".join(response.streaming_content)  # type: ignore[attr-defined]
            if extension == "epub":
                import zipfile

                with zipfile.ZipFile(io.BytesIO(data)) as epub:
                    data = b"".join(epub.read(name) for name in epub.namelist() if name.endswith(".opf"))
            self.assertIn(ZOE_BYLINE.encode(), data)
        self.index_search()
        found = self.client.get("/search/", {"q": "creator:Ashford"}).content.decode()
        self.assertIn("Full Moon Rising", found)
        self.assertIn(ZOE_BYLINE, found)


class InvitationTests(ClaimCase):
    def test_invitations_go_out_in_capped_runs_through_the_worker_and_never_twice(self):
        out = io.StringIO()
        call_command("send_claim_invitations", "--source", SOURCE, "--limit", "2", stdout=out)
        self.assertIn("Queued 2 invitations; 3 creators not invited yet.", out.getvalue())
        self.assertEqual(len(mail.outbox), 0)  # the worker sends them
        run_pending()
        self.assertEqual(sorted(m.to[0] for m in mail.outbox), ["sakura@example.jp", "zoe@example.org"])
        zoe_mail = next(m for m in mail.outbox if m.to == ["zoe@example.org"])
        self.assertIn("Moony's Lament", zoe_mail.body)
        self.assertIn(ZOE_BYLINE, zoe_mail.body)
        self.assertEqual(self.client.get(link_path(str(zoe_mail.body))).status_code, 200)
        # A retried job (a worker killed after sending) sends nothing again.
        Job.objects.filter(kind=claims.INVITATION_JOB).update(status=Job.Status.PENDING, run_after=None)
        run_pending()
        self.assertEqual(len(mail.outbox), 2)
        call_command("send_claim_invitations", "--source", SOURCE, "--limit", "100", stdout=out)
        run_pending()
        self.assertEqual(len(mail.outbox), 5)
        quiet_mail = next(m for m in mail.outbox if m.to == ["quiet@example.net"])
        self.assertIn("The comments you wrote there and your favourites were kept for you.", quiet_mail.body)
        self.assertContains(self.client.get(link_path(str(quiet_mail.body))), "Claim them")
        self.assertNotContains(self.client.get(link_path(str(quiet_mail.body))), "Ask for removal")
        self.assertEqual(ArchivedCreator.objects.filter(invited_at__isnull=False).count(), 5)

    def test_the_staff_page_sends_invitations_with_a_cap_and_shows_status(self):
        self.login(self.archivist)
        page = self.client.get("/archived-creators")
        self.assertContains(page, "Þórunn Ævarsdóttir")
        self.assertContains(page, "quietreader")
        response = self.client.post("/archived-creators", {"limit": "5000"})
        self.assertEqual(Job.objects.filter(kind=claims.INVITATION_JOB).count(), 0)
        self.assertContains(self.client.get(response["Location"]), "Send between 1 and 1000 invitations at a time.")
        self.client.post("/archived-creators", {"limit": "3"})
        run_pending()
        self.assertEqual(len(mail.outbox), 3)
        self.assertContains(self.client.get("/archived-creators"), "<time datetime=", count=3)
        # Another member sees nothing here; staff see every import.
        self.login(self.bob)
        self.assertEqual(self.client.get("/archived-creators").status_code, 403)
        self.bob.is_staff = True
        self.bob.save(update_fields=["is_staff"])
        self.assertContains(self.client.get("/archived-creators"), "Zoë Ashford")
        self.client.logout()
        self.assertEqual(self.client.get("/archived-creators").status_code, 302)


class ClaimTests(ClaimCase):
    def test_a_creator_claims_into_a_new_account_with_works_comments_and_old_links(self):
        path = self.claim_path(self.zoe)
        page = self.client.get(path)
        self.assertContains(page, "Moony&#x27;s Lament")
        self.assertContains(page, "Create Account and Claim")
        review = Comment.objects.get(content__contains="Můj oblíbený")
        reply = Comment.objects.get(content__contains="Thank you so much, Owl")
        before = self.client.get(f"/works/{self.work('Full Moon Rising').pk}/download/html")
        self.assertIn(ZOE_BYLINE, b"".join(before.streaming_content).decode())  # type: ignore[attr-defined]
        response = self.sign_up_and_claim(self.zoe, "zoe_ashford", "ZOE@example.org")
        self.assertEqual(response.status_code, 302)
        zoe = User.objects.get(username="zoe_ashford")
        pseud = Pseud.objects.get(user=zoe, name="Zoë Ashford")
        self.assertEqual(response["Location"], pseud.get_absolute_url())
        self.assertIsNotNone(EmailVerification.objects.get(user=zoe).verified_at)
        self.assertEqual(self.credited_users("Moony's Lament"), ["zoe_ashford"])
        self.assertEqual(self.credited_users("A Study in Ink"), ["openarchivist", "zoe_ashford"])
        self.assertEqual(list(Series.objects.get(title="The Wolf Cycle").pseuds.all()), [pseud])
        review.refresh_from_db()
        reply.refresh_from_db()
        self.assertEqual((review.pseud, review.user), (pseud, zoe))
        self.assertEqual((reply.pseud, reply.user), (pseud, zoe))
        self.zoe.refresh_from_db()
        self.assertEqual((self.zoe.status, self.zoe.claimed_by), (ArchivedCreator.Status.CLAIMED, zoe))
        work = self.work("Full Moon Rising")
        downloaded = self.client.get(f"/works/{work.pk}/download/html")
        html = b"".join(downloaded.streaming_content).decode()  # type: ignore[attr-defined]
        self.assertIn("Zoë Ashford (zoe_ashford)", html)
        self.assertNotIn("archived by", html)
        self.assertContains(self.client.get("/users/zoe_ashford"), "Full Moon Rising")
        self.assertNotContains(self.client.get("/users/openarchivist/pseuds/Zoë Ashford"), "Full Moon Rising")
        shown = self.client.get(work.get_absolute_url()).content.decode()
        self.assertIn("Zoë Ashford (zoe_ashford)", shown)
        self.assertNotIn("archived by", shown)
        self.assertEqual(work.creator_sort, "zoë ashford")
        old = self.client.get("/viewuser.php", {"uid": "1"})
        self.assertEqual((old.status_code, old["Location"]), (301, pseud.get_absolute_url()))
        # Search follows the credit change through the works' update path.
        self.index_search()
        self.assertIn("Full Moon Rising", self.client.get("/search/", {"q": "creator:zoe_ashford"}).content.decode())
        # The used link: a clear answer, and for the claimant a way to their works.
        self.client.logout()
        self.assertContains(self.client.get(path), "These works have already been claimed.", status_code=410)

    def test_a_reader_claims_into_an_existing_account_and_favourites_become_bookmarks(self):
        path = self.claim_path(self.quiet)
        self.assertEqual(ArchivedFavourite.objects.filter(creator=self.quiet).count(), 1)
        guest = Comment.objects.get(content__contains="Remus deserved better")
        self.assertEqual((guest.pseud, guest.guest_name), (None, "quietreader"))
        self.assertTrue(ArchivedComment.objects.filter(creator=self.quiet, comment=guest).exists())
        logged_out = self.client.post(path, {"creator": self.quiet.pk, "action": "claim"})
        self.assertEqual(logged_out.status_code, 302)
        self.assertTrue(logged_out["Location"].startswith(reverse("login") + "?next=/claim/"))
        self.login(self.bob)
        self.assertContains(self.client.get(path), "Claim into my account bob")
        self.assertEqual(self.client.post(path, {"creator": self.quiet.pk, "action": "claim"}).status_code, 302)
        guest.refresh_from_db()
        self.assertEqual((guest.user, guest.guest_name), (self.bob, ""))
        self.assertEqual(Pseud.objects.get(comments=guest).name, "quietreader")
        bookmark = Bookmark.objects.get(user=self.bob)
        self.assertEqual((bookmark.work, bookmark.notes), (self.work("Moony's Lament"), "<p>Comfort read.</p>"))
        self.assertEqual(self.work("Moony's Lament").bookmarks_count, 1)
        self.assertContains(self.client.get("/users/bob/bookmarks"), "Comfort read.")

    def test_refusals_are_clear_and_change_nothing(self):
        before = sorted(Creatorship.objects.values_list("work_id", "pseud_id"))
        path = self.claim_path(self.zoe)
        # Forged and truncated links.
        self.assertContains(self.client.get(path[:-3]), "This claim link is not valid", status_code=400)
        self.assertContains(self.client.get("/claim/1"), "This claim link is not valid", status_code=400)
        # A form sent with another creator's id than the link's.
        self.login(self.bob)
        forged = self.client.post(path, {"creator": self.sakura.pk, "action": "claim"})
        self.assertContains(forged, "other works than the link", status_code=400)
        # No creator id at all, or no action.
        self.assertEqual(self.client.post(path, {"action": "claim"}).status_code, 400)
        self.assertContains(self.client.post(path, {"creator": self.zoe.pk}), "Choose what", status_code=400)
        # The archivist can't claim for themselves.
        self.login(self.archivist)
        own = self.client.post(path, {"creator": self.zoe.pk, "action": "claim"})
        self.assertContains(own, "archived by your account already", status_code=409)
        self.client.logout()
        # Sign-up with another address than the invitation's.
        response = self.sign_up_and_claim(self.zoe, "zoe_ashford", "someone@example.org")
        self.assertContains(response, "Sign up with the address the invitation was sent to.")
        self.assertFalse(User.objects.filter(username="zoe_ashford").exists())
        # Sign-up breaking the normal rules (no age confirmation).
        response = self.client.post(
            path,
            {
                "creator": self.zoe.pk,
                "action": "signup",
                "username": "zoe_ashford",
                "email": "zoe@example.org",
                "password1": self.password,
                "password2": self.password,
            },
        )
        self.assertContains(response, "You must be at least")
        self.assertFalse(User.objects.filter(username="zoe_ashford").exists())
        # A link for an address the works no longer belong to (the archivist corrected it).
        ArchivedCreator.objects.filter(pk=self.sakura.pk).update(email="sakura@example.net")
        self.sakura.refresh_from_db()
        self.assertEqual(self.client.get(self.claim_path(self.sakura)).status_code, 200)  # a fresh link works
        old_token = claims.claim_token(ArchivedCreator(pk=self.sakura.pk, email="sakura@example.jp"))
        self.assertContains(self.client.get(f"/claim/{old_token}"), "no longer belong to", status_code=400)
        # An expired link.
        original = claims.LINK_DAYS
        claims.LINK_DAYS = -1
        try:
            self.assertContains(self.client.get(path), "This claim link has expired", status_code=400)
        finally:
            claims.LINK_DAYS = original
        self.assertEqual(sorted(Creatorship.objects.values_list("work_id", "pseud_id")), before)
        self.assertEqual(ArchivedCreator.objects.exclude(status="unclaimed").count(), 0)
        # A creator claimed already: the second claimant is refused.
        self.login(self.bob)
        self.client.post(path, {"creator": self.zoe.pk, "action": "claim"})
        self.login(self.alice)
        self.assertContains(self.client.get(path), "already been claimed", status_code=410)
        self.assertContains(
            self.client.post(path, {"creator": self.zoe.pk, "action": "claim"}),
            "already been claimed",
            status_code=410,
        )
        self.assertEqual(self.credited_users("Full Moon Rising"), ["bob"])


class OrphanAndRemovalTests(ClaimCase):
    def test_orphaning_keeps_the_works_under_the_pen_name(self):
        path = self.claim_path(self.thorunn)
        unconfirmed = self.client.post(path, {"creator": self.thorunn.pk, "action": "orphan"}, follow=True)
        self.assertContains(unconfirmed, "Tick the box")
        self.assertEqual(self.credited_users("Saga of the Long Night"), ["openarchivist"])
        done = self.client.post(path, {"creator": self.thorunn.pk, "action": "orphan", "confirm": "1"})
        self.assertContains(done, "Your works are orphaned")
        saga = self.work("Saga of the Long Night")
        creatorship = saga.creatorships.select_related("pseud__user").get()
        self.assertEqual(
            (creatorship.pseud.user.username, creatorship.pseud.name), (ORPHAN_USERNAME, "Þórunn Ævarsdóttir")
        )
        self.assertEqual(
            self.client.get("/viewuser.php", {"uid": "3"})["Location"], creatorship.pseud.get_absolute_url()
        )
        self.assertContains(self.client.get(path), "already been orphaned", status_code=410)

    def test_a_removal_request_is_honoured_and_opens_a_case(self):
        path = self.claim_path(self.sakura)
        response = self.client.post(
            path, {"creator": self.sakura.pk, "action": "remove", "message": "Please take it down."}
        )
        self.assertContains(response, "Removal requested")
        # "A Study in Ink" is shared with Zoë: left to staff, still visible.
        shared = self.work("A Study in Ink")
        self.assertFalse(shared.hidden_by_admin)
        report = Report.objects.get()
        self.assertEqual(report.reporter_email, "sakura@example.jp")
        self.assertIn("Please take it down.", report.description)
        self.assertEqual(report.snapshot["shared"], [{"id": shared.pk, "title": "A Study in Ink"}])
        self.zoe.refresh_from_db()
        # Þórunn's only work is hers alone: hidden at once.
        self.client.post(self.claim_path(self.thorunn), {"creator": self.thorunn.pk, "action": "remove"})
        saga = self.work("Saga of the Long Night")
        self.assertTrue(saga.hidden_by_admin)
        self.assertEqual(self.client.get(saga.get_absolute_url()).status_code, 404)
        self.assertNotIn(saga, Work.objects.visible_to(AnonymousUser()))
        self.assertEqual(Report.objects.count(), 2)
        self.login(self.archivist)
        self.assertContains(self.client.get("/archived-creators"), "Removal requested", count=3)  # 2 + the total
        too_long = self.client.post(
            self.claim_path(self.zoe), {"creator": self.zoe.pk, "action": "remove", "message": "x" * 2001}, follow=True
        )
        self.assertContains(too_long, "Your message is too long")
        self.zoe.refresh_from_db()
        self.assertEqual(self.zoe.status, ArchivedCreator.Status.UNCLAIMED)


class ParallelClaimTests(ParallelTestCase):
    def test_two_claims_of_one_creator_at_once_have_exactly_one_winner(self):
        folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, folder)
        create_account("openarchivist", "archivist@example.org", self.password)
        dump = write_archive(folder / "site")
        mapping = folder / "mapping.json"
        options = ["--stories", str(dump.parent / "stories"), "--mapping", str(mapping)]
        call_command("import_efiction", str(dump), *options, "--dry-run", stdout=io.StringIO())
        call_command("import_efiction", str(dump), *options, "--archivist", "openarchivist", stdout=io.StringIO())
        zoe = ArchivedCreator.objects.get(source_uid=1)
        path = f"/claim/{claims.claim_token(zoe)}"
        data = {"creator": zoe.pk, "action": "claim"}
        statuses = self.post_in_parallel(
            [(self.client_for(self.alice), path, data), (self.client_for(self.bob), path, data)]
        )
        # The loser is refused by the claim itself (409) or, if it read the page after the winner, by it (410).
        self.assertEqual(statuses.count(302), 1, statuses)
        self.assertIn(sum(statuses) - 302, [409, 410])
        zoe.refresh_from_db()
        winner = zoe.claimed_by
        assert winner is not None
        self.assertIn(winner, [self.alice, self.bob])
        moony = Work.objects.get(title="Moony's Lament")
        self.assertEqual(list(moony.creatorships.values_list("pseud__user", flat=True)), [winner.pk])
        self.assertEqual(Pseud.objects.filter(name="Zoë Ashford").exclude(user__username="openarchivist").count(), 1)
        self.assertEqual(
            SourceRecord.objects.get(kind="author", source_id=1).target_id, moony.creatorships.get().pseud_id
        )


class FavouriteTests(EFictionImportCase):
    def test_favourites_of_every_kind_and_older_tables_become_bookmarks_and_subscriptions(self):
        archive = sample_archive()
        archive.rows["favorites"] += [
            {"uid": 5, "item": 1, "type": "SE", "comments": ""},
            {"uid": 5, "item": 1, "type": "AU", "comments": ""},
            {"uid": 5, "item": 4, "type": "ST", "comments": "Never validated."},
        ]
        dump = write_archive(self.folder / "site", archive)
        # eFiction 1.x and 2.x kept favourite stories and authors in tables of their own.
        with dump.open("a", encoding="utf-8") as out:
            out.write(
                "CREATE TABLE `fanfiction_favstor` (`uid` int(11) NOT NULL DEFAULT 0, `sid` int(11) NOT NULL);\n"
                "INSERT INTO `fanfiction_favstor` VALUES (5,3);\n"
                "CREATE TABLE `fanfiction_favauth` (`uid` int(11) NOT NULL, `favuid` int(11) NOT NULL);\n"
                "INSERT INTO `fanfiction_favauth` VALUES (5,3);\n"
            )
        output = self.import_archive(dump)
        self.assertIn("6 favourites (bookmarks once claimed)", output)
        zoe = ArchivedCreator.objects.get(source_uid=1)
        quiet = ArchivedCreator.objects.get(source_uid=5)
        self.login(self.alice)
        self.client.post(f"/claim/{claims.claim_token(zoe)}", {"creator": zoe.pk, "action": "claim"})
        self.login(self.bob)
        self.client.post(f"/claim/{claims.claim_token(quiet)}", {"creator": quiet.pk, "action": "claim"})
        bookmarks = Bookmark.objects.filter(user=self.bob)
        self.assertEqual(
            sorted((b.work.title if b.work else f"series {b.series}") for b in bookmarks),
            ["Full Moon Rising", "Moony's Lament", "series The Wolf Cycle"],
        )
        self.assertTrue(all(bookmark.pseud.name == "quietreader" for bookmark in bookmarks))
        # Zoë claimed her account first: the favourite author is followed; Þórunn's is kept for later.
        self.assertEqual(list(self.bob.subscriptions.values_list("creator__username", flat=True)), ["alice"])
        self.assertEqual(ArchivedFavourite.objects.filter(creator=quiet).count(), 6)
        old_profile = self.client.get("/viewuser.php", {"uid": "5"})
        self.assertEqual(
            old_profile["Location"], Pseud.objects.get(user=self.bob, name="quietreader").get_absolute_url()
        )
