"""Reading a listing's filters from its URL.

Filters live in the query string so a filtered listing can be bookmarked and
shared. Values that make no sense are reported to the reader and ignored;
nothing here raises.

    sort=updated|posted|title|creator|words|hits|kudos|comments|bookmarks
    direction=asc|desc               (default: the sort's own, newest / most / A first)
    include=<tag id> (repeatable)    exclude=<tag id> (repeatable)
    other_include=<names, comma-separated>    other_exclude=<names>
    crossover=include|exclude|only   complete=complete|wip
    words_from, words_to             updated_from, updated_to (YYYY-MM-DD)
    language=<code>                  q=<words in title or creator>
    exclusions=off                   (ignore the reader's permanent exclusion list)
"""

from dataclasses import dataclass, field
from datetime import date

from django.http import QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lib.languages import LANGUAGE_NAMES
from tags.models import Tag, TagType, tag_name_key
from tags.parsing import split_tag_names
from works.filter_index import SORT_COLUMNS, FilterSpec

SORT_LABELS = {
    "updated": _("Date Updated"),
    "posted": _("Date Posted"),
    "title": _("Title"),
    "creator": _("Creator"),
    "words": _("Word Count"),
    "hits": _("Hits"),
    "kudos": _("Kudos"),
    "comments": _("Comments"),
    "bookmarks": _("Bookmarks"),
}
DEFAULT_SORT = "updated"
MAX_TAGS_PER_QUERY = 200
MAX_QUERY_LENGTH = 200


@dataclass
class ParsedFilters:
    spec: FilterSpec
    sort: str = DEFAULT_SORT
    # None: the sort's own direction (SORT_COLUMNS).
    descending: bool | None = None
    included: list[Tag] = field(default_factory=list)
    excluded: list[Tag] = field(default_factory=list)
    other_include: str = ""
    other_exclude: str = ""
    query: str = ""
    use_exclusions: bool = True
    errors: list[str] = field(default_factory=list)
    # An include that names no tag: the listing is empty, and says why.
    impossible: bool = False

    @property
    def active(self) -> bool:
        spec = self.spec
        return bool(
            self.included
            or self.excluded
            or spec.crossover != "include"
            or spec.complete
            or spec.words_from is not None
            or spec.words_to is not None
            or spec.updated_from
            or spec.updated_to
            or spec.language
            or self.query
        )


def _int(params: QueryDict, name: str, label: str, errors: list[str]) -> int | None:
    raw = params.get(name, "").strip().replace(",", "")
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        errors.append(
            gettext("%(field)s must be a whole number; “%(value)s” was ignored.") % {"field": label, "value": raw[:20]}
        )
        return None
    if value < 0:
        errors.append(gettext("%(field)s can't be negative; it was ignored.") % {"field": label})
        return None
    return value


def _date(params: QueryDict, name: str, label: str, errors: list[str]) -> date | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors.append(
            gettext("%(field)s must be a date like 2024-05-31; “%(value)s” was ignored.")
            % {"field": label, "value": raw[:20]}
        )
        return None


def _tag_ids(params: QueryDict, name: str, errors: list[str]) -> list[int]:
    ids = []
    for raw in params.getlist(name)[:MAX_TAGS_PER_QUERY]:
        try:
            ids.append(int(raw))
        except ValueError:
            errors.append(gettext("A tag in the filters was not understood and was ignored."))
    return ids


def _filter_meaning(tags: list[Tag]) -> list[Tag]:
    """Filtering by a synonym means filtering by its canonical tag, as on AO3."""
    mergers = {t.merger_id for t in tags if t.merger_id and not t.canonical}
    canonical = {t.pk: t for t in Tag.objects.filter(pk__in=mergers, canonical=True)}
    return [canonical.get(t.merger_id, t) if t.merger_id else t for t in tags]


def parse_filters(params: QueryDict, *, members: bool) -> ParsedFilters:
    errors: list[str] = []
    spec = FilterSpec(members=members)
    parsed = ParsedFilters(spec=spec, errors=errors)
    sort = params.get("sort", DEFAULT_SORT)
    parsed.sort = sort if sort in SORT_COLUMNS else DEFAULT_SORT
    parsed.descending = {"asc": False, "desc": True}.get(params.get("direction", ""))

    include_ids = _tag_ids(params, "include", errors)
    exclude_ids = _tag_ids(params, "exclude", errors)
    parsed.other_include = params.get("other_include", "")[:2000]
    parsed.other_exclude = params.get("other_exclude", "")[:2000]
    include_names = split_tag_names(parsed.other_include)[:MAX_TAGS_PER_QUERY]
    exclude_names = split_tag_names(parsed.other_exclude)[:MAX_TAGS_PER_QUERY]
    wanted_keys = [tag_name_key(n) for n in include_names + exclude_names]
    found = {t.pk: t for t in Tag.objects.filter(pk__in=include_ids + exclude_ids)}
    by_key = {t.name_key: t for t in Tag.objects.filter(name_key__in=wanted_keys)}
    for name in include_names:
        if tag_name_key(name) not in by_key:
            errors.append(gettext("There is no tag called “%(name)s”, so no works match it.") % {"name": name})
            parsed.impossible = True
    for name in exclude_names:
        if tag_name_key(name) not in by_key:
            errors.append(gettext("There is no tag called “%(name)s” to exclude; it was ignored.") % {"name": name})
    if len(include_ids) != len([i for i in include_ids if i in found]):
        errors.append(gettext("A tag in the filters no longer exists, so no works match it."))
        parsed.impossible = True
    included = [found[i] for i in include_ids if i in found] + [
        by_key[tag_name_key(n)] for n in include_names if tag_name_key(n) in by_key
    ]
    excluded = [found[i] for i in exclude_ids if i in found] + [
        by_key[tag_name_key(n)] for n in exclude_names if tag_name_key(n) in by_key
    ]
    parsed.included = _unique(included)
    parsed.excluded = _unique(excluded)
    included_meaning = _filter_meaning(parsed.included)
    spec.any_of = [t.pk for t in included_meaning if t.type == TagType.RATING]
    spec.all_of = [t.pk for t in included_meaning if t.type != TagType.RATING]
    spec.none_of = [t.pk for t in _filter_meaning(parsed.excluded)]

    crossover = params.get("crossover", "include")
    spec.crossover = crossover if crossover in ("include", "exclude", "only") else "include"
    complete = params.get("complete", "")
    spec.complete = complete if complete in ("complete", "wip") else ""
    spec.words_from = _int(params, "words_from", gettext("Word count (from)"), errors)
    spec.words_to = _int(params, "words_to", gettext("Word count (to)"), errors)
    spec.updated_from = _date(params, "updated_from", gettext("Date updated (from)"), errors)
    spec.updated_to = _date(params, "updated_to", gettext("Date updated (to)"), errors)
    language = params.get("language", "")
    if language and language not in LANGUAGE_NAMES:
        errors.append(gettext("That language is not one the archive knows; it was ignored."))
        language = ""
    spec.language = language
    query = " ".join(params.get("q", "").split())
    if len(query) > MAX_QUERY_LENGTH:
        errors.append(gettext("The search was cut to its first %(count)s characters.") % {"count": MAX_QUERY_LENGTH})
        query = query[:MAX_QUERY_LENGTH]
    parsed.query = query
    parsed.use_exclusions = params.get("exclusions") != "off"
    return parsed


def _unique(tags: list[Tag]) -> list[Tag]:
    return list({t.pk: t for t in tags}.values())
