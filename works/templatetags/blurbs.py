"""Blurb pieces rendered in Python: a listing page shows 20 blurbs of ~15 tags
each, and a template loop per tag costs more than the page's queries.

`{% blurb_cache work %}…{% endblurb_cache %}` keeps the rendered part of a blurb that is
the same for every reader (title, creators, tags, summary, series) in the "blurbs" cache,
under a key made of everything that part shows (works.blurbs.blurb_version): the work's own
fields, its tags' names, its creators' names, its series' titles, the language and time zone.
A rename of a tag or a pseud, an edit of the work: the key changes, so nothing stale is ever
shown and nothing needs invalidating. Per-reader parts (counts as a muter sees them, search
passages, the restricted note) stay outside the tag. Listings find the cached parts first
(works.blurbs.prefill_blurbs) and hand them in as `work.blurb_parts`.
"""

from collections.abc import Iterable

from django import template
from django.conf import settings
from django.core.cache import caches
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.utils import translation
from django.utils.formats import localize
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Pseud
from lib.languages import LANGUAGE_NAMES
from tags.fixed import CHOSE_NOT_TO_WARN, NO_WARNINGS_APPLY, RATINGS
from tags.models import Tag
from works.blurbs import BLURB_CACHE_SECONDS, BLURB_PARTS, blurb_version
from works.models import Work

register = template.Library()


# About two lines of tags on a 390 px phone; the rest wait behind "+N tags" (shown in full on wide screens).
FIRST_LINES_CHARACTERS = 60


@register.simple_tag
def blurb_tags(work: Work) -> SafeString:
    """A blurb's tags: warnings and the first two lines' worth, then the others behind "+N tags"."""
    groups = work.tag_groups
    tagged = [(tag, "tag-warning") for tag in groups["warning"]]
    tagged += [(tag, f"tag-{kind}") for kind in ("relationship", "character", "freeform") for tag in groups[kind]]
    shown, used = 0, 0
    for tag, css_class in tagged:
        used += len(tag.name) + 3
        if css_class != "tag-warning" and shown and used > FIRST_LINES_CHARACTERS:
            break
        shown += 1
    first, rest = tagged[:shown], tagged[shown:]
    label = _("Tags")
    html = format_html('<ul class="blurb-tags" aria-label="{}">{}</ul>', label, _tag_lis(first))
    if rest:
        more = ngettext("+%(count)s tag", "+%(count)s tags", len(rest)) % {"count": len(rest)}
        html += format_html(
            '<details class="blurb-more-tags"><summary>{}</summary><ul class="blurb-tags" aria-label="{}">{}</ul>'
            "</details>",
            more,
            _("More tags"),
            _tag_lis(rest),
        )
    return html


_TAG_LI = '<li class="{}"><a class="tag" href="{}">{}</a></li>'
# Warnings are bold, as on AO3.
_WARNING_LI = '<li class="{}"><strong><a class="tag" href="{}">{}</a></strong></li>'


def _tag_lis(tagged: list[tuple[Tag, str]]) -> SafeString:
    return SafeString(
        "".join(
            format_html(_WARNING_LI if css_class == "tag-warning" else _TAG_LI, css_class, tag.works_url, tag.name)
            for tag, css_class in tagged
        )
    )


def _stats_labels() -> dict[str, str]:
    """blurb_stats' labels, escaped, in the active language (looked up once per language: a page
    of 20 blurbs would otherwise ask gettext 160 times)."""
    language = translation.get_language()
    labels = _STATS_LABELS.get(language)
    if labels is None:
        labels = {
            "language": escape(_("Language:")),
            "words": escape(_("Words:")),
            "chapters": escape(_("Chapters:")),
            "comments": escape(_("Comments:")),
            "kudos": escape(_("Kudos:")),
            "bookmarks": escape(_("Bookmarks:")),
            "hits": escape(_("Hits:")),
            "visibility": escape(_("Visibility:")),
            "restricted": escape(_("Registered users only")),
        }
        _STATS_LABELS[language] = labels
    return labels


_STATS_LABELS: dict[str | None, dict[str, str]] = {}


@register.simple_tag
def blurb_stats(work: Work) -> SafeString:
    """A blurb's statistics (`<dl class="stats">`), the part of every blurb that is never cached
    (counts change with each hit, and a muter sees them without the muted users' share): built
    here because a template's variable lookups for these ten values cost more than the rest
    of a cached blurb. Counts as AO3 shows them: engagement only when there is something to count."""
    label = _stats_labels()
    pairs = [
        f'<dt>{label["language"]}</dt><dd><bdi lang="{escape(work.language)}">'
        f"{escape(LANGUAGE_NAMES.get(work.language, work.language))}</bdi></dd>",
        f"<dt>{label['words']}</dt><dd>{localize(work.word_count)}</dd>",
        f"<dt>{label['chapters']}</dt><dd>{localize(work.chapter_count)}/{escape(work.chapter_total_display)}</dd>",
    ]
    if work.comments_count:
        pairs.append(f"<dt>{label['comments']}</dt><dd>{localize(work.comments_count)}</dd>")
    if work.kudos_count:
        pairs.append(f"<dt>{label['kudos']}</dt><dd>{localize(work.kudos_count)}</dd>")
    if work.bookmarks_count:
        pairs.append(
            f'<dt>{label["bookmarks"]}</dt><dd><a href="/works/{int(work.pk):d}/bookmarks">'
            f"{localize(work.bookmarks_count)}</a></dd>"
        )
    pairs.append(f"<dt>{label['hits']}</dt><dd>{localize(work.hits)}</dd>")
    if work.restricted:
        pairs.append(
            f'<dt class="visually-hidden">{label["visibility"]}</dt>'
            f'<dd class="restricted-note">{label["restricted"]}</dd>'
        )
    # A line between the pairs, as the template gave: the list's text ("Words: 9 Chapters: 1/?")
    # keeps its words apart when copied or read without styles.
    lines = "\n".join(pairs)
    return SafeString(f'<dl class="stats">{lines}</dl>')


@register.simple_tag(takes_context=True)
def blurb_list(context: template.Context, works: Iterable[Work]) -> SafeString:
    """A listing's blurbs, as templates/works/_blurb.html renders each: from the cached parts
    prefill_blurbs found, joined here (an include per blurb cost more than the rest of a cached
    blurb); through the template for a work whose parts are not cached yet, or a search result."""
    blurb_template = None
    html = []
    for work in works:
        parts = getattr(work, "blurb_parts", None)
        if (
            parts is not None
            and all(part in parts for part in BLURB_PARTS)
            and not getattr(work, "search_snippets", None)
        ):
            html.append(f'<li class="blurb">{parts["head"]}{parts["body"]}{blurb_stats(work)}</li>\n')
            continue
        if blurb_template is None:
            blurb_template = context.template.engine.get_template("works/_blurb.html")  # type: ignore[union-attr]
        with context.push(work=work):
            html.append(blurb_template.render(context))
    return SafeString("".join(html))


@register.simple_tag
def symbol_key() -> SafeString:
    """The key to the blurb symbols. Ratings and warnings are the archive's tag names (data, not translated).
    The same for every listing in a language: built once per language."""
    language = translation.get_language()
    html = _SYMBOL_KEYS.get(language)
    if html is None:
        html = _SYMBOL_KEYS[language] = _symbol_key()
    return html


_SYMBOL_KEYS: dict[str | None, SafeString] = {}


def _symbol_key() -> SafeString:
    ratings = format_html_join(
        " · ", '<span aria-hidden="true">{}</span> {}', ((symbol, name) for name, symbol, _adult in RATINGS)
    )
    rows = [
        ("symbol rating-g", "G", ratings),
        ("symbol warnings-yes", "!", _("Archive warnings apply")),
        ("symbol warnings-chose-not", "?", CHOSE_NOT_TO_WARN),
        ("symbol warnings-none", "–", NO_WARNINGS_APPLY),
        ("symbol category", "F/M", _("Category (Multi: more than one; –: none)")),
        ("symbol complete", "✓", _("Complete work")),
        ("symbol wip", "…", _("Work in progress")),
    ]
    items = format_html_join(
        "", '<dt><span class="{}" aria-hidden="true">{}</span></dt><dd>{}</dd>', ((c, g, text) for c, g, text in rows)
    )
    return format_html("<dl>{}</dl>", items)


@register.simple_tag
def tag_names(tags: list[Tag], empty: str = "") -> str:
    """Comma-separated names, for titles and screen-reader text."""
    return ", ".join(tag.name for tag in tags) or empty


@register.simple_tag
def comma_tag_links(tags: list[Tag]) -> SafeString:
    return format_html_join(", ", '<a class="tag" href="{}">{}</a>', ((tag.works_url, tag.name) for tag in tags))


@register.simple_tag
def creator_links(pseuds: list[Pseud]) -> SafeString:
    if not pseuds:
        return format_html("{}", _("Anonymous"))
    return format_html_join(", ", '<a rel="author" href="{}">{}</a>', ((p.get_absolute_url(), str(p)) for p in pseuds))


class BlurbCacheNode(template.Node):
    def __init__(self, nodelist: NodeList, work: FilterExpression, part: str) -> None:
        self.nodelist = nodelist
        self.work = work
        # A blurb caches several parts around its per-reader ones (a search's passages, counts).
        self.part = part

    def render(self, context: template.Context) -> str:
        work = self.work.resolve(context)
        # Found by works.blurbs.prefill_blurbs without building the work's tags and creators.
        prefilled = getattr(work, "blurb_parts", None)
        if prefilled is not None and self.part in prefilled:
            return str(prefilled[self.part])
        if "blurbs" not in settings.CACHES:
            return str(self.nodelist.render(context))
        cache = caches["blurbs"]
        key = f"{blurb_version(work)}:{self.part}"
        html = cache.get(key)
        if html is None:
            html = self.nodelist.render(context)
            cache.set(key, html, BLURB_CACHE_SECONDS)
        return str(html)


@register.tag
def blurb_cache(parser: Parser, token: Token) -> BlurbCacheNode:
    """{% blurb_cache work "part" %}…{% endblurb_cache %}: the same for every reader, cached by blurb_version.

    Each cached part of one blurb has its own name, so per-reader pieces can sit between them."""
    bits = token.split_contents()
    if len(bits) not in (2, 3):
        raise template.TemplateSyntaxError(
            'blurb_cache takes the work and an optional part name: {% blurb_cache work "head" %}.'
        )
    nodelist = parser.parse(("endblurb_cache",))
    parser.delete_first_token()
    part = bits[2].strip("\"'") if len(bits) == 3 else ""
    return BlurbCacheNode(nodelist, parser.compile_filter(bits[1]), part)
