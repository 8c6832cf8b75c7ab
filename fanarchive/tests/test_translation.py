"""Every UI string is marked for translation, and dates follow the reader's language.

The pseudo-language "xx" translates every marked string into itself wrapped in ⟦…⟧ (templates,
gettext in Python, Django's own strings alike). A page rendered in it must show no visible text
outside those brackets except data: titles, tag names, user names, language names, numbers.
A string someone forgot to mark shows up bare, and the failure prints it.
Branches those pages don't take are covered by a plainer check of the template sources.
"""

import re
import struct
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.template import engines
from django.template.backends.django import DjangoTemplates
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import trans_real

from accounts.actions import create_account
from accounts.models import DataExport, EmailVerification, Invitation, InviteRequest, Pseud, TermsAcceptance, User
from api.models import PersonalToken
from community.models import InboxItem
from community.notify import send_subscription_digests
from fanarchive.test import BaseTestCase
from jobs.queue import run_pending
from lib.languages import LANGUAGES
from moderation import actions as moderation_actions
from moderation.models import Report
from moderation.roles import Role
from moderation.tests.helpers import moderation_texts
from news import news_comments
from news.models import NewsComment, NewsPost
from sitecontent.config import forget_pages, forget_settings
from sitecontent.models import PageVersion, SiteSettings
from support import actions as support_actions
from support.models import SupportNote, SupportReply, SupportRequest
from tags.models import Tag
from works.models import Chapter, Series, Work

PSEUDO = "xx"
_BRACKETED = re.compile(r"⟦[^⟦⟧]*⟧")
_LETTER = re.compile(r"[^\W\d_]")
# Attributes a reader meets (read aloud, shown on hover, or shown in an empty field).
_TEXT_ATTRIBUTES = {"aria-label", "title", "placeholder", "alt", "aria-description"}
# Not text a reader sees (code), what they typed (textarea), and user HTML (chapters, summaries, notes, comments).
_SKIPPED_ELEMENTS = {"script", "style", "template", "textarea"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class PseudoTranslation(trans_real.DjangoTranslation):
    """Every message, marked, comes back in ⟦…⟧; nothing unmarked can."""

    def gettext(self, message: str) -> str:
        return f"⟦{message.split(trans_real.CONTEXT_SEPARATOR)[-1]}⟧"

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return self.gettext(msgid1 if n == 1 else msgid2)


def _empty_catalogue(directory: Path) -> None:
    """An empty compiled catalogue, so that Django agrees the pseudo-language exists."""
    folder = directory / PSEUDO / "LC_MESSAGES"
    folder.mkdir(parents=True)
    # GNU .mo header: magic, revision, no messages, table offsets, no hash table.
    (folder / "django.mo").write_bytes(struct.pack("<7I", 0x950412DE, 0, 0, 28, 28, 0, 28))


class _VisibleText(HTMLParser):
    """The text a reader sees or hears, in document order, one piece per line."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self._stack: list[bool] = []  # per open element: is its content skipped?

    def _skipping(self) -> bool:
        return any(self._stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        skipped = (
            tag in _SKIPPED_ELEMENTS
            or "userstuff" in (values.get("class") or "").split()
            or values.get("aria-hidden") == "true"
        )
        if not self._skipping() and not skipped:
            for name, value in attrs:
                if value and name in _TEXT_ATTRIBUTES:
                    self.pieces.append(value)
            if tag == "input" and values.get("type") in {"submit", "button", "reset"} and values.get("value"):
                self.pieces.append(values["value"] or "")
        if tag not in _VOID:
            self._stack.append(skipped)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self._stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID and self._stack:
            self._stack.pop()

    def handle_data(self, data: str) -> None:
        if not self._skipping() and data.strip():
            self.pieces.append(" ".join(data.split()))


def untranslated(html: str, data: list[str]) -> list[str]:
    """The visible text left once translated strings and data are taken away: empty when all is marked."""
    parser = _VisibleText()
    parser.feed(html)
    text = "\n".join(parser.pieces)
    # A translated string may hold another (a blocktranslate variable): take the innermost first.
    while True:
        text, count = _BRACKETED.subn(" ", text)
        if not count:
            break
    for value in sorted(data, key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", " ", text)
    return [line.strip() for line in text.splitlines() if _LETTER.search(line)]


@override_settings(COMMENT_RATE_LIMIT=1000)
class EveryStringIsMarkedTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.alice.is_staff = True
        self.alice.save(update_fields=["is_staff"])
        self.work = self.post_work(title="Harbour Lights", new_series_title="Coastal Stories", series_position="1")
        self.login(self.alice)
        response = self.client.post(
            reverse("chapter_new", args=[self.work.pk]),
            {"title": "The Second Night", "content": "The fog came in.", "action": "post"},
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        self.draft = self.make_work(title="Unfinished Voyage", action="draft")
        self.login(self.bob)
        self.client.post(reverse("comment_create", args=[self.work.pk]), {"content": "Lovely fog."})
        self.client.post(reverse("leave_kudos", args=[self.work.pk]))
        self.client.post(reverse("mark_for_later", args=[self.work.pk]))
        self.client.post(
            reverse("bookmark_work", args=[self.work.pk]),
            {"notes": "Read in one sitting.", "tags": "Comfort Read", "private": ""},
        )
        self.client.post(reverse("subscribe"), {"kind": "work", "target": self.work.pk})
        self.client.logout()
        self.site_content()
        self.catalogue_dir = Path(tempfile.mkdtemp())
        _empty_catalogue(self.catalogue_dir)

    def site_content(self) -> None:
        """A banner, terms everyone accepted, a news post with a comment, invitations and a queue."""
        SiteSettings.objects.update_or_create(
            pk=1, defaults={"banner_text": "<p>Maintenance tonight.</p>", "banner_changed_at": timezone.now()}
        )
        forget_settings()
        self.terms = PageVersion.objects.create(slug="terms", number=1, title="Harbour Rules", body="<p>Be kind.</p>")
        forget_pages()
        for user in [self.alice, self.bob]:
            TermsAcceptance.objects.create(user=user, version=self.terms)
        self.news = NewsPost.objects.create(title="Harbour News", body="<p>We opened.</p>", author=self.alice)
        NewsComment.objects.create(post=self.news, user=self.bob, body="<p>Hooray.</p>")
        Invitation.objects.create(code="harbour-code", created_by=self.bob, email="wren@example.org")
        self.queued = InviteRequest.objects.create(email="queue@example.org", token="queue-token")
        for number, status in enumerate(["pending", "ready", "expired"]):
            DataExport.objects.create(user=self.alice, token=f"t{number}", status=status, size=123_456)
        InboxItem.objects.create(user=self.alice, kind=InboxItem.Kind.DATA_EXPORT)

    def data(self) -> list[str]:
        """What the archive shows that is not its own wording."""
        values = [str(settings.SITE_NAME)]
        values += Tag.objects.values_list("name", flat=True)
        values += Work.objects.values_list("title", flat=True)
        values += Chapter.objects.exclude(title="").values_list("title", flat=True)
        values += Series.objects.values_list("title", flat=True)
        values += Pseud.objects.values_list("name", flat=True)
        values += User.objects.values_list("username", flat=True)
        values += User.objects.values_list("email", flat=True)
        values += [name for _code, name in LANGUAGES]
        values += moderation_texts()
        values += PersonalToken.objects.values_list("name", flat=True)
        values += [f"{hint}…" for hint in PersonalToken.objects.values_list("hint", flat=True)]
        values += PageVersion.objects.values_list("title", flat=True)
        values += NewsPost.objects.values_list("title", flat=True)
        values += Invitation.objects.values_list("code", flat=True)
        values += Invitation.objects.values_list("email", flat=True)
        values += InviteRequest.objects.values_list("email", flat=True)
        for asked in SupportRequest.objects.all():
            values += [asked.reference, asked.subject, asked.message, asked.email]
        values += SupportNote.objects.values_list("text", flat=True)
        values += SupportReply.objects.values_list("text", flat=True)
        return [value for value in values if value]

    maxDiff = None

    def assert_all_marked(self, url: str, *, user: User | None = None, method: str = "get", **post: Any) -> None:
        if user is None:
            self.client.logout()
        else:
            self.login(user)
        with override_settings(LANGUAGES=[*settings.LANGUAGES, (PSEUDO, "Pseudo")], LOCALE_PATHS=[self.catalogue_dir]):
            # After override_settings, which empties Django's cache of catalogues.
            trans_real._translations[PSEUDO] = PseudoTranslation(PSEUDO)  # type: ignore[attr-defined]
            self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = PSEUDO
            try:
                if method == "post":
                    response = self.client.post(url, post, follow=True)
                else:
                    response = self.client.get(url, follow=True)
                html = response.content.decode()
                self.assertIn(f'lang="{PSEUDO}"', html[:300], "the pseudo-language was not active")
                missed = untranslated(html, self.data())
            finally:
                del self.client.cookies[settings.LANGUAGE_COOKIE_NAME]
                translation.activate(settings.LANGUAGE_CODE)
        self.assertEqual(missed, [], f"{url}: text not marked for translation")

    def test_pages_for_guests_show_only_translated_strings(self) -> None:
        chapter = self.work.chapters.order_by("position")[1]
        tag = Tag.objects.get(name="Tidewater (TV)")
        for url in [
            reverse("home"),
            reverse("work_index"),
            reverse("work_index") + "?sort=title",
            # The filter chips, a range that runs backwards, and the empty state that offers to clear filters.
            reverse("work_index") + "?complete=wip&crossover=only&words_from=900000&words_to=10&language=fr&q=fog",
            self.work.get_absolute_url(),
            self.work.get_absolute_url() + "?view_full_work=true",
            reverse("chapter_detail", args=[self.work.pk, chapter.pk]),
            reverse("work_navigate", args=[self.work.pk]),
            reverse("work_bookmarks", args=[self.work.pk]),
            reverse("series_detail", args=[Series.objects.get(title="Coastal Stories").pk]),
            reverse("search") + "?q=fog",
            reverse("search") + "?q=nothing+matches+this",
            reverse("advanced_search"),
            reverse("signup"),
            reverse("login"),
            reverse("password_reset"),
            reverse("fandom_index"),
            reverse("tag_detail", args=[tag.name]),
            reverse("tag_works", args=[tag.name]),
            reverse("user_profile", args=["alice"]),
            reverse("user_bookmarks", args=["bob"]),
            "/no/such/page",
            reverse("news_index"),
            reverse("news_detail", args=[self.news.pk]),
            reverse("site_page", args=["terms"]),
            reverse("site_page_history", args=["terms"]),
            reverse("site_page_version", args=["terms", 1]),
            reverse("queue_join"),
            reverse("queue_status", args=[self.queued.token]),
            reverse("verify_email", args=["not-a-valid-token"]),
        ]:
            with self.subTest(url=url):
                self.assert_all_marked(url)

    def test_pages_for_members_show_only_translated_strings(self) -> None:
        tag = Tag.objects.get(name="Tidewater (TV)")
        for url in [
            reverse("work_new"),
            reverse("work_edit", args=[self.work.pk]),
            reverse("chapter_new", args=[self.work.pk]),
            reverse("chapters_manage", args=[self.work.pk]),
            reverse("work_preview", args=[self.draft.pk]),
            reverse("work_delete", args=[self.work.pk]),
            reverse("drafts"),
            reverse("preferences"),
            reverse("pseud_new"),
            reverse("saved_filters"),
            reverse("personal_tokens"),
            reverse("exclusions"),
            reverse("inbox"),
            reverse("stats"),
            reverse("import_upload"),
            reverse("wrangling_dashboard"),
            reverse("wrangling_log"),
            reverse("wranglers"),
            reverse("tag_edit", args=[tag.name]),
            reverse("password_change"),
            reverse("unreviewed_comments", args=[self.work.pk]),
            reverse("site_settings"),
            reverse("site_pages"),
            reverse("site_page_edit", args=["terms"]),
            reverse("site_page_edit", args=["faq"]),
            reverse("news_new"),
            reverse("news_detail", args=[self.news.pk]),
            reverse("news_edit", args=[self.news.pk]),
            reverse("news_delete", args=[self.news.pk]),
            reverse("staff_invitations"),
            reverse("my_invitations"),
            reverse("username_change"),
            reverse("email_change"),
            reverse("account_delete"),
            reverse("data_export"),
            reverse("work_orphan", args=[self.work.pk]),
            reverse("pseud_orphan", args=[self.alice.default_pseud.pk]),
        ]:
            with self.subTest(url=url):
                self.assert_all_marked(url, user=self.alice)
        for url in [
            reverse("history"),
            reverse("later"),
            reverse("subscriptions"),
            reverse("blocked_users"),
            reverse("user_profile", args=["bob"]),  # a writer with no works yet
            reverse("history_clear"),
            reverse("wrangling_dashboard"),  # 403 for a reader: the page offers a way on
            reverse("work_index") + "?muted=show",
        ]:
            with self.subTest(url=url):
                self.assert_all_marked(url, user=self.bob)

    def test_moderation_pages_show_only_translated_strings(self) -> None:
        moderation_actions.appoint(self.alice, self.bob, Role.MODERATOR)
        self.login(self.bob)
        report_url = reverse("report", args=["work", self.work.pk])
        # follow=True: the thank-you message is shown now, in English, not on the first page checked.
        self.client.post(report_url, {"category": "rating", "description": "Rated wrong."}, follow=True)
        report = Report.objects.get()
        self.client.post(reverse("moderation_note", args=[report.pk]), {"text": "Checking."})
        moderation_actions.hide_work(self.bob, report, self.work, "Under review.")
        moderation_actions.suspend(self.bob, report, self.alice, 2, "Cooling off.", hide_works=False)
        for url in [
            reverse("moderation_desk"),
            reverse("moderation_desk") + "?status=all&kind=work",
            reverse("moderation_case", args=[report.pk]),
            reverse("moderation_log"),
            reverse("moderation_user", args=["alice"]),
        ]:
            with self.subTest(url=url):
                self.assert_all_marked(url, user=self.bob)
        self.make_work(author=self.bob, title="Two Lamps", co_creators="alice")
        for url in [
            reverse("moderation_roles"),
            reverse("moderation_notices"),
            reverse("co_creator_invitations"),
            reverse("inbox"),
            self.work.get_absolute_url(),
        ]:
            with self.subTest(url=url):
                self.assert_all_marked(url, user=self.alice)
        self.assert_all_marked(report_url, user=self.bob)
        self.assert_all_marked(report_url, user=None)
        self.assert_all_marked(report_url, user=self.bob, method="post", category="spam", description="x" * 6000)
        self.assert_all_marked(report_url, user=self.bob, method="post", category="spam", description="Ads.")
        # Alice is suspended: what she sees when she tries to write.
        self.assert_all_marked(reverse("work_new"), user=self.alice, method="post", title="New")
        self.assert_all_marked(
            reverse("moderation_act", args=[report.pk, "suspend"]),
            user=self.bob,
            method="post",
            **{"suspend-days": "0"},
        )

    def test_sign_up_and_identity_pages_in_every_state_show_only_translated_strings(self) -> None:
        SiteSettings.objects.filter(pk=1).update(signup_mode="queue")
        forget_settings()
        self.assert_all_marked(reverse("signup"))
        self.assert_all_marked(reverse("queue_join"))
        self.assert_all_marked(reverse("queue_join"), method="post", email="new@example.org")
        self.assert_all_marked(reverse("signup"), method="post", username="carol", website="bot")
        SiteSettings.objects.filter(pk=1).update(signup_mode="closed")
        forget_settings()
        self.assert_all_marked(reverse("signup"))
        self.assert_all_marked(reverse("my_invitations"), user=self.bob, method="post", email="x@example.org")
        self.assert_all_marked(reverse("username_change"), user=self.bob, method="post", username="robin")
        self.assert_all_marked(reverse("username_change"), user=self.bob, method="post", username="robin2")
        self.assert_all_marked(reverse("staff_invitations"), user=self.alice, method="post", release="1", count="3")
        self.assert_all_marked(reverse("account_delete"), user=self.bob, method="post", password="wrong")
        # A member who signed up and hasn't confirmed their email, then new terms.
        carol = create_account("carol", "carol@example.org", self.password)
        EmailVerification.objects.create(user=carol)
        TermsAcceptance.objects.create(user=carol, version=self.terms)
        self.assert_all_marked(reverse("work_new"), user=carol)
        self.assert_all_marked(reverse("preferences"), user=carol)
        PageVersion.objects.create(slug="terms", number=2, title="Harbour Rules", body="<p>Be kinder.</p>")
        forget_pages()
        self.assert_all_marked(reverse("preferences"), user=carol)

    def test_form_errors_and_messages_are_translated(self) -> None:
        self.assert_all_marked(reverse("work_new"), user=self.alice, method="post", title="", action="post")
        self.assert_all_marked(reverse("signup"), method="post", username="", password1="a", password2="b")
        # A new token shown once, then listed with its scopes.
        self.assert_all_marked(
            reverse("personal_tokens"), user=self.alice, method="post", name="Reader", write="on", view_adult="on"
        )
        self.assert_all_marked(reverse("personal_tokens"), user=self.alice, method="post", name="")
        self.assert_all_marked(reverse("login"), method="post", username="alice", password="wrong")
        # The archive's 429 page (lib.ratelimit).
        with override_settings(SIGNUP_RATE_LIMIT=0):
            self.assert_all_marked(reverse("signup"), method="post", username="reader")
        # The archive's 400 page (lib.errors), for a POST with too many fields.
        with override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=2):
            self.assert_all_marked(reverse("login"), method="post", username="a", password="b", next="/")
        self.assert_all_marked(
            reverse("comment_create", args=[self.work.pk]), user=self.bob, method="post", content="Thank you!"
        )

    def test_support_and_news_comment_pages_show_only_translated_strings(self) -> None:
        moderation_actions.appoint(self.alice, self.bob, Role.SUPPORT)
        asked = support_actions.ask(self.bob, "", "account", "Harbour login", "I can't log in.", "")
        support_actions.add_note(self.alice, asked, "Checked.")
        support_actions.reply(self.alice, asked, "Reset your password.")
        guest = support_actions.ask(None, "wren@example.org", "bug", "Harbour bug", "Blank page.", "")
        EmailVerification.objects.create(user=self.bob)
        self.assert_all_marked(reverse("support_contact"))
        self.assert_all_marked(reverse("support_contact"), method="post", subject="Hi", message="x" * 6000)
        self.assert_all_marked(reverse("support_contact"), method="post", subject="Hi", website="bot")
        for url in [
            reverse("support_contact"),
            reverse("support_mine"),
            reverse("inbox"),
            reverse("support_queue"),
            reverse("support_queue") + "?status=all",
            reverse("support_request", args=[asked.pk]),
            reverse("support_request", args=[guest.pk]),
            reverse("support_accounts") + "?q=bob",
            reverse("support_accounts") + "?q=nobody",
        ]:
            with self.subTest(url=url):
                self.assert_all_marked(url, user=self.bob)
        self.assert_all_marked(
            reverse("support_contact"), user=self.bob, method="post", category="bug", subject="Hi", message="Help"
        )
        top = news_comments.post_news_comment(self.news, None, self.alice, "<p>Welcome aboard.</p>", "")
        reply = news_comments.post_news_comment(self.news, top, self.alice, "<p>And more.</p>", "")
        news_comments.delete_news_comment(top, self.alice)
        for url in [
            reverse("news_detail", args=[self.news.pk]),
            reverse("news_comment_thread", args=[reply.pk]),
            reverse("news_comment_edit", args=[reply.pk]),
            reverse("news_comment_delete", args=[reply.pk]),
            reverse("report", args=["news_comment", reply.pk]),
        ]:
            with self.subTest(url=url):
                self.assert_all_marked(url, user=self.alice)
        self.assert_all_marked(reverse("news_comment", args=[self.news.pk]), user=self.alice, method="post", content="")


@override_settings(
    COMMENT_RATE_LIMIT=1000, EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend", SITE_URL="https://a.test"
)
class EmailsAreTranslatedTests(BaseTestCase):
    def test_comment_and_digest_emails_show_only_translated_strings(self) -> None:
        work = self.make_work(title="Harbour Lights")
        self.client.post(reverse("subscribe"), {"kind": "work", "target": work.pk})
        self.login(self.bob)
        self.client.post(reverse("subscribe"), {"kind": "work", "target": work.pk})
        self.client.post(reverse("comment_create", args=[work.pk]), {"content": "Lovely fog."})
        self.login(self.alice)
        self.client.post(
            reverse("chapter_new", args=[work.pk]), {"title": "Night", "content": "The fog came in.", "action": "post"}
        )
        catalogue_dir = Path(tempfile.mkdtemp())
        _empty_catalogue(catalogue_dir)
        with override_settings(LANGUAGES=[*settings.LANGUAGES, (PSEUDO, "Pseudo")], LOCALE_PATHS=[catalogue_dir]):
            trans_real._translations[PSEUDO] = PseudoTranslation(PSEUDO)  # type: ignore[attr-defined]
            # The worker sends emails in the archive's language; here, the pseudo-language.
            with translation.override(PSEUDO):
                run_pending()
                send_subscription_digests({})
        self.assertEqual(len(mail.outbox), 2)
        data = ["Fanarchive", "Harbour Lights", "Night", "bob", "alice", "Lovely fog."]
        for email in mail.outbox:
            with self.subTest(subject=email.subject):
                assert isinstance(email, EmailMultiAlternatives)
                html = str(email.alternatives[0][0])
                body = re.sub(r"https?://[^\s⟧]+", " ", str(email.body))
                self.assertEqual(untranslated(f"<p>{email.subject}</p><pre>{body}</pre>", data), [])
                self.assertEqual(untranslated(html, data), [])


class EveryTemplateCompilesTests(BaseTestCase):
    def test_every_template_loads(self) -> None:
        """A broken {% blocktranslate %} (a filter or attribute inside) fails here even on pages not rendered above."""
        engine = engines["django"]
        assert isinstance(engine, DjangoTemplates)
        root = Path(settings.BASE_DIR) / "templates"
        names = [str(path.relative_to(root)) for path in root.rglob("*") if path.suffix in {".html", ".txt"}]
        self.assertGreater(len(names), 50)
        for name in names:
            with self.subTest(template=name):
                engine.get_template(name)


# Words a template may hold outside translation tags: the Display menu's "Aa" sample (aria-hidden), and
# a class name and attribute that _symbols.html opens in one {% if %} branch and closes in the other.
_LITERAL_ALLOWED = {"base.html": {"Aa"}, "works/_symbols.html": {"wip", "title"}}


def _bare_words(source: str) -> set[str]:
    """Words of a template's text and text attributes that no translation tag covers."""
    source = re.sub(r"{% blocktranslate.*?{% endblocktranslate %}", " ", source, flags=re.S)
    source = re.sub(r"{#.*?#}|{%.*?%}|{{.*?}}", " ", source, flags=re.S)
    source = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", source, flags=re.S)
    attributes = re.findall(r'(?:aria-label|title|placeholder|alt)="([^"]*)"', source)
    text = re.sub(r"<[^>]*>|&\w+;", " ", source)
    return set(re.findall(r"[^\W\d_]{2,}", " ".join([text, *attributes])))


class EveryTemplateStringIsMarkedTests(BaseTestCase):
    def test_no_template_has_words_outside_translation_tags(self) -> None:
        """Also covers the branches the rendered pages above don't take (errors, empty lists, emails)."""
        root = Path(settings.BASE_DIR) / "templates"
        for path in sorted(root.rglob("*")):
            if path.suffix not in {".html", ".txt"}:
                continue
            name = str(path.relative_to(root))
            with self.subTest(template=name):
                self.assertEqual(_bare_words(path.read_text()) - _LITERAL_ALLOWED.get(name, set()), set())


class DatesFollowTheLanguageTests(BaseTestCase):
    def test_work_dates_use_the_readers_date_format(self) -> None:
        work = self.post_work()
        published = work.published_at
        with override_settings(LANGUAGES=[*settings.LANGUAGES, ("de", "Deutsch")]):
            self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
            html = self.client.get(work.get_absolute_url()).content.decode()
            with translation.override("de"):
                expected = date_format(published, "DATE_FORMAT")
            translation.activate(settings.LANGUAGE_CODE)
        self.assertIn(f'<time datetime="{published:%Y-%m-%d}">{expected}</time>', html)
