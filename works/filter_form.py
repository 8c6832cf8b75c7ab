"""Reading a listing's or a search's query from its URL: the one parser of `WorkQuery`.

Filters live in the query string so a filtered listing can be bookmarked and
shared. Values that make no sense, or numbers beyond what any work can hold, are
reported to the reader and ignored; nothing here raises.

    sort=updated|posted|title|creator|words|hits|kudos|comments|bookmarks (search: also relevance)
    direction=asc|desc               (default: the sort's own, newest / most / A first)
    include=<tag id> (repeatable)    exclude=<tag id> (repeatable)
    other_include=<names, comma-separated>    other_exclude=<names>
    crossover=include|exclude|only   complete=complete|wip
    words_from, words_to             updated_from, updated_to (YYYY-MM-DD)
    language=<code>                  q=<words in title or creator> (search: the search)
    exclusions=off                   (ignore the reader's permanent exclusion list)
    page=<number>
"""

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.http import QueryDict
from django.utils.translation import gettext

from accounts.models import User
from accounts.reader import excluded_tag_ids
from lib.languages import LANGUAGE_NAMES
from tags.models import Tag, TagType, tag_name_key
from tags.parsing import split_tag_names
from works import hooks
from works.access import AnyUser
from works.query import DEFAULT_SORT, RELEVANCE, RELEVANCE_LABEL, SORTS, WorkQuery

SORT_LABELS = {name: sort.label for name, sort in SORTS.items()}
SEARCH_SORT_LABELS = {RELEVANCE: RELEVANCE_LABEL, **SORT_LABELS}
MAX_TAGS_PER_QUERY = 200
MAX_QUERY_LENGTH = 200
# A search's words (search.query cuts what it reads to 1,000 characters of terms).
MAX_SEARCH_LENGTH = 2000
# Bounds of what a work can hold (word_count is a 32-bit column) and of ids (64-bit).
MAX_WORDS = 2**31 - 1
MAX_ID = 2**63 - 1
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2999, 12, 31)


@dataclass
class ParsedFilters:
    """The query, and what the filter form shows back: the tags by name, the messages."""

    work_query: WorkQuery
    included: list[Tag] = field(default_factory=list)
    excluded: list[Tag] = field(default_factory=list)
    other_include: str = ""
    other_exclude: str = ""
    # Listings: words to find in titles and creators (a search keeps its words in work_query.text).
    query: str = ""
    errors: list[str] = field(default_factory=list)
    # An include that names no tag: the listing is empty, and says why.
    impossible: bool = False

    @property
    def spec(self) -> WorkQuery:
        """The filter values, as the filter form's template reads them."""
        return self.work_query

    @property
    def sort(self) -> str:
        return self.work_query.sort

    @property
    def use_exclusions(self) -> bool:
        return self.work_query.use_exclusion_list

    @property
    def active(self) -> bool:
        spec = self.work_query
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


def _int(params: QueryDict, name: str, label: str, errors: list[str], *, most: int = MAX_WORDS) -> int | None:
    raw = params.get(name, "").strip().replace(",", "")
    if not raw:
        return None
    try:
        value = int(raw[:40])
        if len(raw) > 40:
            raise ValueError(raw)
    except ValueError:
        errors.append(
            gettext("%(field)s must be a whole number; “%(value)s” was ignored.") % {"field": label, "value": raw[:20]}
        )
        return None
    if value < 0:
        errors.append(gettext("%(field)s can't be negative; it was ignored.") % {"field": label})
        return None
    if value > most:
        errors.append(
            gettext("%(field)s can be at most %(most)s; it was ignored.") % {"field": label, "most": f"{most:,}"}
        )
        return None
    return value


def _date(params: QueryDict, name: str, label: str, errors: list[str]) -> date | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None
    try:
        value = date.fromisoformat(raw[:20])
    except ValueError:
        errors.append(
            gettext("%(field)s must be a date like 2024-05-31; “%(value)s” was ignored.")
            % {"field": label, "value": raw[:20]}
        )
        return None
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        errors.append(
            gettext("%(field)s must be between %(earliest)s and %(latest)s; it was ignored.")
            % {"field": label, "earliest": EARLIEST_DATE.isoformat(), "latest": LATEST_DATE.isoformat()}
        )
        return None
    return value


def _tag_ids(params: QueryDict, name: str, errors: list[str]) -> list[int]:
    ids = []
    for raw in params.getlist(name)[:MAX_TAGS_PER_QUERY]:
        try:
            value = int(raw.strip()[:25])
        except ValueError:
            value = 0
        if 0 < value <= MAX_ID and len(raw.strip()) <= 25:
            ids.append(value)
        else:
            errors.append(gettext("A tag in the filters was not understood and was ignored."))
    return ids


def _page(params: QueryDict, per_page: int) -> int:
    """The page asked for, from 1 to the last page anyone may page to (nonsense: the first)."""
    try:
        page = int(params.get("page", "1").strip()[:12])
    except ValueError:
        return 1
    last = max(1, -(-settings.MAX_PAGED_RESULTS // per_page))
    return min(max(1, page), last)


def _filter_meaning(tags: list[Tag]) -> list[Tag]:
    """Filtering by a synonym means filtering by its canonical tag, as on AO3."""
    mergers = {t.merger_id for t in tags if t.merger_id and not t.canonical}
    if not mergers:
        # Most listings name no synonym: not even an empty query (building one costs ~0.2 ms).
        return tags
    canonical = {t.pk: t for t in Tag.objects.filter(pk__in=mergers, canonical=True)}
    return [canonical.get(t.merger_id, t) if t.merger_id else t for t in tags]


def parse_work_query(params: QueryDict, user: AnyUser, *, search: bool = False) -> ParsedFilters:
    """The one parser: a listing's (or, with `search`, a search's) query from its URL, for this reader."""
    errors: list[str] = []
    spec = WorkQuery(members=user.is_authenticated, per_page=settings.WORKS_PER_PAGE)
    parsed = ParsedFilters(work_query=spec, errors=errors)
    sorts = SEARCH_SORT_LABELS if search else SORT_LABELS
    sort = params.get("sort", "")
    spec.sort = sort if sort in sorts else (RELEVANCE if search else DEFAULT_SORT)
    spec.descending = {"asc": False, "desc": True}.get(params.get("direction", ""))
    spec.page = _page(params, spec.per_page)
    spec.use_exclusion_list = params.get("exclusions") != "off"
    if isinstance(user, User):
        # Muted creators' works are gone from everything this reader sees, counts included.
        spec.muted_users = sorted(hooks.muted_user_ids(user))
        spec.exclusion_list = excluded_tag_ids(user)

    include_ids = _tag_ids(params, "include", errors)
    exclude_ids = _tag_ids(params, "exclude", errors)
    parsed.other_include = params.get("other_include", "")[:2000]
    parsed.other_exclude = params.get("other_exclude", "")[:2000]
    include_names = split_tag_names(parsed.other_include)[:MAX_TAGS_PER_QUERY]
    exclude_names = split_tag_names(parsed.other_exclude)[:MAX_TAGS_PER_QUERY]
    wanted_keys = [tag_name_key(n) for n in include_names + exclude_names]
    found = (
        {t.pk: t for t in Tag.objects.filter(pk__in=include_ids + exclude_ids)} if include_ids or exclude_ids else {}
    )
    by_key = {t.name_key: t for t in Tag.objects.filter(name_key__in=wanted_keys)} if wanted_keys else {}
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
    if search:
        spec.text = query[:MAX_SEARCH_LENGTH]
    else:
        if len(query) > MAX_QUERY_LENGTH:
            errors.append(
                gettext("The search was cut to its first %(count)s characters.") % {"count": MAX_QUERY_LENGTH}
            )
            query = query[:MAX_QUERY_LENGTH]
        parsed.query = query
    return parsed


def _unique(tags: list[Tag]) -> list[Tag]:
    return list({t.pk: t for t in tags}.values())
