"""Script injection: whatever users type is shown inert on every page where it appears.

Plain-text fields (titles, tag names, series titles) must come out escaped.
Rich-text fields (summaries, notes, chapter text, pseud descriptions) are
sanitized when saved: formatting survives, scripts, event handlers, styles and
javascript: links do not, and links get rel="nofollow".

Each page is checked twice: for the exact strings a payload would leave if it
got through, and by parsing the page for script-capable markup.
"""

import re
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any

from django.utils.html import escape

from accounts.models import Pseud
from fanarchive.test import BaseTestCase, work_form_data
from tags.models import Tag, TagType
from works.models import Chapter, Series, Tagging, Work

if TYPE_CHECKING:
    # What the test client returns; the stubs declare it, Django itself does not.
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "<svg onload=alert(1)>",
    "<iframe src=//evil>",
    '"><script>alert(1)</script>',
    '<p style="position:fixed">',
    '<a href="https://ok.example">ok</a>',
]
SAFE_LINK = '<a href="https://ok.example" rel="nofollow">ok</a>'

# What a payload leaves behind if it got through unescaped or unsanitized.
# Only checked on pages where no plain-text field shows a payload as text.
LIVE_FRAGMENTS = [
    "<script>alert(1)",
    "onerror=alert(1)",
    "onload=alert(1)",
    "javascript:alert(1)",
    "<svg onload",
    "<iframe src=//evil",
    'style="position:fixed"',
]

_DANGEROUS_ELEMENTS = {
    "script", "iframe", "frame", "frameset", "svg", "math", "object", "embed", "applet", "style", "base",
}  # fmt: skip
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "cite"}
_BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
_IGNORED_IN_URLS = re.compile(r"[\s\x00-\x1f]")


class _MarkupAudit(HTMLParser):
    """Collects every piece of markup in a page that could run script or restyle the page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        # Allowed scripts: our static files, and JSON-LD data blocks (never run; a payload breaking out of
        # one would open another <script>, which is reported).
        allowed_script = (
            attributes.get("src", "").startswith("/static/") or attributes.get("type") == "application/ld+json"
        )
        if tag in _DANGEROUS_ELEMENTS and not (tag == "script" and allowed_script):
            self.problems.append(f"<{tag}> element")
        for name, value in attributes.items():
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}={value!r}> event handler")
            elif name in ("style", "srcdoc"):
                self.problems.append(f"<{tag} {name}={value!r}>")
            elif name in _URL_ATTRIBUTES and _IGNORED_IN_URLS.sub("", value).lower().startswith(_BAD_SCHEMES):
                self.problems.append(f"<{tag} {name}={value!r}> script URL")
        href = attributes.get("href", "")
        if tag == "a" and href.startswith(("http:", "https:", "//")) and "nofollow" not in attributes.get("rel", ""):
            self.problems.append(f"<a href={href!r}> without rel=nofollow")


def unsafe_markup(response: "TestResponse") -> list[str]:
    audit = _MarkupAudit()
    audit.feed(response.content.decode())
    audit.close()
    return audit.problems


class XssTestCase(BaseTestCase):
    def get_page(self, url: str) -> "TestResponse":
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        self.assertEqual(unsafe_markup(response), [], url)
        return response

    def assert_escaped(self, response: "TestResponse", text: str) -> None:
        """Plain text shows escaped, never as markup."""
        page = response.content.decode()
        self.assertIn(escape(text), page)
        if escape(text) != text:
            self.assertNotIn(text, page)

    def assert_no_live_payload(self, response: "TestResponse") -> None:
        page = response.content.decode()
        for fragment in LIVE_FRAGMENTS:
            self.assertNotIn(fragment, page)

    def post_as_alice(self, **overrides: Any) -> Work:
        """Post a work as Alice and stay logged in as her."""
        work = self.post_work(**overrides)
        self.login(self.alice)
        return work


class RichTextTests(XssTestCase):
    def test_payloads_in_summary_notes_and_chapter_text_are_sanitized(self):
        for number, payload in enumerate(PAYLOADS):
            with self.subTest(payload=payload):
                work = self.post_as_alice(
                    title=f"Rich text {number}",
                    summary=f"Summary {number}. {payload}",
                    notes=f"Notes {number}. {payload}",
                    endnotes=f"End notes {number}. {payload}",
                    chapter_summary=f"Chapter summary {number}. {payload}",
                    chapter_notes=f"Chapter notes {number}. {payload}",
                    chapter_endnotes=f"Chapter end notes {number}. {payload}",
                    content=f"The lamp turned all night. {payload}",
                )
                stored = [work.summary, work.notes, work.endnotes]
                chapter = work.chapters.get()
                stored += [chapter.summary, chapter.notes, chapter.endnotes, chapter.content]
                for value in stored:
                    self.assertNotIn(payload, value)

                own_pages = [f"/works/{work.pk}/preview", f"/works/{work.pk}/edit"]
                for url in own_pages:
                    self.assert_no_live_payload(self.get_page(url))
                self.client.logout()
                work_page = self.get_page(f"/works/{work.pk}/")
                for text in ["Summary", "Notes", "End notes", "Chapter summary", "Chapter notes", "Chapter end notes"]:
                    self.assertContains(work_page, f"{text} {number}.")
                self.assertContains(work_page, "The lamp turned all night.")
                for url in [f"/works/{work.pk}/", "/works", "/users/alice", "/"]:
                    page = self.get_page(url)
                    self.assert_no_live_payload(page)
                    self.assertNotContains(page, payload)
                    if payload == PAYLOADS[-1]:
                        self.assertContains(page, SAFE_LINK)
                self.login(self.alice)

    def test_allowed_formatting_survives_in_rich_text_fields(self):
        formatted = f"<em>storm</em> and <strong>lamp</strong>, see {PAYLOADS[-1]}"
        work = self.post_work(
            summary=f"Summary: {formatted}",
            notes=f"Notes: {formatted}",
            endnotes=f"End notes: {formatted}",
            chapter_summary=f"Chapter summary: {formatted}",
            chapter_notes=f"Chapter notes: {formatted}",
            chapter_endnotes=f"Chapter end notes: {formatted}",
            content=f"Text: {formatted}\n\n<blockquote>Quoted.</blockquote>",
        )
        expected = f"<em>storm</em> and <strong>lamp</strong>, see {SAFE_LINK}"
        page = self.get_page(f"/works/{work.pk}/")
        for label in ["Summary", "Notes", "End notes", "Chapter summary", "Chapter notes", "Chapter end notes"]:
            self.assertContains(page, f"<p>{label}: {expected}</p>", html=False)
        # Chapter paragraphs carry the anchors search snippets link to.
        self.assertContains(page, f'<p id="c1p1">Text: {expected}</p>', html=False)
        self.assertContains(page, "<blockquote>Quoted.</blockquote>")
        for url in ["/works", "/users/alice"]:
            self.assertContains(self.get_page(url), f"<p>Summary: {expected}</p>")

    def test_payloads_in_a_new_chapters_rich_text_are_sanitized(self):
        work = self.post_as_alice()
        for number, payload in enumerate(PAYLOADS):
            with self.subTest(payload=payload):
                response = self.client.post(
                    f"/works/{work.pk}/chapters/new",
                    {
                        "action": "post",
                        "chapter_title": f"Night {number}",
                        "chapter_summary": f"Chapter summary {number}. {payload}",
                        "chapter_notes": f"Chapter notes {number}. {payload}",
                        "chapter_endnotes": f"Chapter end notes {number}. {payload}",
                        "content": f"Another night at the lamp. {payload}",
                    },
                )
                self.assertEqual(response.status_code, 302)
                chapter = work.chapters.order_by("-position").first()
                assert chapter is not None
                for url in [chapter.get_absolute_url(), f"/works/{work.pk}/chapters/{chapter.pk}/edit"]:
                    self.assert_no_live_payload(self.get_page(url))
                self.client.logout()
                for url in [chapter.get_absolute_url(), f"/works/{work.pk}/?view_full_work=true"]:
                    page = self.get_page(url)
                    self.assert_no_live_payload(page)
                    self.assertNotContains(page, payload)
                    self.assertContains(page, f"Chapter summary {number}.")
                    if payload == PAYLOADS[-1]:
                        self.assertContains(page, SAFE_LINK)
                self.login(self.alice)


class PlainTextTests(XssTestCase):
    def test_a_work_title_payload_is_escaped_everywhere_it_shows(self):
        for payload in PAYLOADS:
            with self.subTest(payload=payload):
                work = self.post_as_alice(title=payload)
                self.assertEqual(work.title, payload)
                for url in [f"/works/{work.pk}/preview", f"/works/{work.pk}/edit"]:
                    self.assert_escaped(self.get_page(url), payload)
                self.client.logout()
                for url in [
                    f"/works/{work.pk}/",
                    f"/works/{work.pk}/navigate",
                    "/works",
                    "/",
                    "/users/alice",
                    Tag.objects.get(name="Tidewater (TV)").get_works_url(),
                ]:
                    self.assert_escaped(self.get_page(url), payload)
                self.login(self.alice)

    def test_a_chapter_title_payload_is_escaped_everywhere_it_shows(self):
        work = self.post_as_alice()
        for payload in PAYLOADS:
            with self.subTest(payload=payload):
                self.client.post(
                    f"/works/{work.pk}/chapters/new",
                    {"action": "post", "chapter_title": payload, "content": "Another night at the lamp."},
                )
                chapter = Chapter.objects.get(work=work, title=payload)
                self.assert_escaped(self.get_page(f"/works/{work.pk}/chapters/{chapter.pk}/edit"), payload)
                self.client.logout()
                for url in [
                    chapter.get_absolute_url(),
                    f"/works/{work.pk}/?view_full_work=true",
                    f"/works/{work.pk}/navigate",
                ]:
                    self.assert_escaped(self.get_page(url), payload)
                self.login(self.alice)

    def test_a_series_title_payload_is_escaped_everywhere_it_shows(self):
        for number, payload in enumerate(PAYLOADS):
            with self.subTest(payload=payload):
                work = self.post_work(title=f"Part {number}", new_series_title=payload)
                series = Series.objects.get(title=payload)
                for url in [f"/works/{work.pk}/", "/works", "/users/alice", series.get_absolute_url()]:
                    self.assert_escaped(self.get_page(url), payload)

    def test_a_refused_form_echoes_every_payload_escaped(self):
        self.login(self.alice)
        for payload in PAYLOADS:
            with self.subTest(payload=payload):
                data = work_form_data(
                    pseuds=[self.alice.default_pseud.pk],
                    rating="",
                    title=payload,
                    summary=payload,
                    notes=payload,
                    endnotes=payload,
                    fandoms=payload,
                    co_creators=payload,
                    new_series_title=payload,
                    chapter_title=payload,
                    content=payload,
                )
                response = self.client.post("/works/new", data)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "Choose a rating.")
                self.assertContains(response, escape(f"There is no user or pseud called “{payload}”."))
                self.assert_escaped(response, payload)
                self.assertEqual(unsafe_markup(response), [])
                self.assertEqual(Work.objects.count(), 0)


class TagTests(XssTestCase):
    tag_fields = {
        "fandoms": "Fandoms",
        "relationships": "Relationships",
        "characters": "Characters",
        "freeforms": "Additional Tags",
    }

    def test_tag_payloads_with_markup_characters_are_refused_in_every_tag_field(self):
        self.login(self.alice)
        payloads = [*PAYLOADS, '" onmouseover="alert(1)', "x onfocus=alert(1)"]
        for field, label in self.tag_fields.items():
            for payload in payloads:
                with self.subTest(field=field, payload=payload):
                    data = work_form_data(pseuds=[self.alice.default_pseud.pk], **{field: payload})
                    response = self.client.post("/works/new", data)
                    self.assertEqual(response.status_code, 200)
                    message = escape(f"“{payload}” contains characters tags can't have:")
                    self.assertContains(response, f"{label}</a>: {message}")
                    self.assert_escaped(response, payload)
                    self.assertEqual(unsafe_markup(response), [])
                    self.assertEqual(Work.objects.count(), 0)
                    self.assertFalse(Tag.objects.filter(name=payload).exists())

    def test_accepted_tag_names_with_quotes_and_script_words_are_escaped_everywhere(self):
        names = [
            '" autofocus onfocus alert(1) x "',
            "javascript:alert(1)",
            "'-alert(1)-'",
            "&lt;script&gt;alert(1)&lt;/script&gt;",
            "&#34; onmouseover alert(1) &#34;",
        ]
        for number, name in enumerate(names):
            with self.subTest(name=name):
                tags = {
                    "fandoms": name,
                    "relationships": f"{name} / Mara",
                    "characters": f"{name} Quill",
                    "freeforms": f"{name} Fluff",
                }
                work = self.post_as_alice(title=f"Tagged {number}", **tags)
                created = {tagging.tag.name for tagging in Tagging.objects.filter(work=work).select_related("tag")}
                self.assertTrue(set(tags.values()) <= created, created)
                self.assert_escaped(self.get_page(f"/works/{work.pk}/edit"), name)
                self.client.logout()
                for url in [f"/works/{work.pk}/", "/works", "/users/alice"]:
                    page = self.get_page(url)
                    for tag_name in tags.values():
                        self.assert_escaped(page, tag_name)
                fandom = Tag.objects.get(name=name, type=TagType.FANDOM)
                freeform = Tag.objects.get(name=f"{name} Fluff", type=TagType.FREEFORM)
                for url in [fandom.get_works_url(), fandom.get_absolute_url(), freeform.get_works_url(), "/media"]:
                    self.assert_escaped(self.get_page(url), name)
                self.assertContains(self.get_page(fandom.get_works_url()), f"Tagged {number}")
                self.login(self.alice)


class PseudTests(XssTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.login(self.alice)

    def test_pseud_names_with_markup_are_refused(self):
        default = self.alice.default_pseud
        for payload in [*PAYLOADS, "javascript:alert(1)", '" onmouseover="alert(1)']:
            with self.subTest(payload=payload):
                for url in ["/account/pseuds/new", f"/account/pseuds/{default.pk}/edit"]:
                    response = self.client.post(url, {"name": payload, "description": "A pen name."})
                    self.assertEqual(response.status_code, 200)
                    self.assertContains(
                        response,
                        "Name</a>: Pseuds can have letters, digits, spaces, full stops, hyphens and underscores.",
                    )
                    self.assert_escaped(response, payload)
                    self.assertEqual(unsafe_markup(response), [])
                self.assertEqual(Pseud.objects.filter(user=self.alice).count(), 1)
                default.refresh_from_db()
                self.assertEqual(default.name, "alice")

    def test_pseud_descriptions_are_sanitized(self):
        for number, payload in enumerate(PAYLOADS):
            with self.subTest(payload=payload):
                response = self.client.post(
                    "/account/pseuds/new",
                    {"name": f"Quill {number}", "description": f"Hello <em>reader</em> {number}. {payload}"},
                )
                self.assertRedirects(response, "/users/alice")
                pseud = Pseud.objects.get(user=self.alice, name=f"Quill {number}")
                self.assertNotIn(payload, pseud.description)
                self.assert_no_live_payload(self.get_page(f"/account/pseuds/{pseud.pk}/edit"))
                self.client.logout()
                for url in [pseud.get_absolute_url(), "/users/alice"]:
                    page = self.get_page(url)
                    self.assert_no_live_payload(page)
                    self.assertNotContains(page, payload)
                page = self.get_page(pseud.get_absolute_url())
                self.assertContains(page, f"Hello <em>reader</em> {number}.")
                if payload == PAYLOADS[-1]:
                    self.assertContains(page, SAFE_LINK)
                self.login(self.alice)

    def test_an_edited_pseud_description_is_sanitized(self):
        default = self.alice.default_pseud
        self.client.post(
            f"/account/pseuds/{default.pk}/edit",
            {
                "name": "alice",
                "description": "<strong>Hi</strong><img src=x onerror=alert(1)><script>alert(1)</script>",
            },
        )
        default.refresh_from_db()
        # Pseud descriptions take the stricter profile: no images at all (lib.html NOTES_TAGS).
        self.assertEqual(default.description, "<p><strong>Hi</strong></p>")
        page = self.get_page(default.get_absolute_url())
        self.assertContains(page, "<strong>Hi</strong>")
        self.assert_no_live_payload(page)
