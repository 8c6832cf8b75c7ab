"""One query of works, answered by either engine.

Every list of works (the works index, tag pages, profiles) and every search asks
one `WorkQuery`: who reads (logged in or not, whom they muted, which tags they
exclude everywhere), the filters, the words to search for, the sort and the page.
`works.filter_form.parse_work_query` is the one parser that builds it from a URL.

Two engines answer it behind `WorkEngine`: the in-memory filter index
(works.filter_index, for listings: filters and sorts in milliseconds) and the
Tantivy search index (search.backend, for full-text search, here or on the search
node). Both apply the same rules, written here once:

- visibility: guests see posted, unhidden, unrestricted works; logged-in readers
  restricted ones too (`WorkQuery.members`; the database side is
  `WorkQuerySet.visible_to`);
- muting: works credited to a creator the reader muted are left out of lists;
- exclusions: the reader's exclusion list is applied unless `exclusions=off`;
- sorting: `SORTS`, each exactly `ORDER BY key, id` in the sort's direction
  (or the one asked for), checked against the database by
  works/tests/test_work_query_oracle.py.
"""

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Protocol

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Sort:
    label: "Promise | str"
    # The Work field it orders by: what the database would ORDER BY.
    column: str
    # Its column in works.filter_index, and its fast field in search.engine.
    index_column: str
    search_field: str
    descending: bool


SORTS: dict[str, Sort] = {
    "updated": Sort(_("Date Updated"), "revised_at", "revised", "updated", descending=True),
    "posted": Sort(_("Date Posted"), "published_at", "published", "posted", descending=True),
    "title": Sort(_("Title"), "title_sort", "title_rank", "title_sort", descending=False),
    "creator": Sort(_("Creator"), "creator_sort", "creator_rank", "creator_sort", descending=False),
    "words": Sort(_("Word Count"), "word_count", "words", "words", descending=True),
    "hits": Sort(_("Hits"), "hits", "hits", "hits", descending=True),
    "kudos": Sort(_("Kudos"), "kudos_count", "kudos", "kudos", descending=True),
    "comments": Sort(_("Comments"), "comments_count", "comments", "comments", descending=True),
    "bookmarks": Sort(_("Bookmarks"), "bookmarks_count", "bookmarks", "bookmarks", descending=True),
}
DEFAULT_SORT = "updated"
# Search only: by score, when there are words to score.
RELEVANCE = "relevance"
RELEVANCE_LABEL = _("Best Match")


@dataclass
class WorkQuery:
    """What a listing or a search asks for, in tag ids and plain values (JSON-safe but for `only_ids`)."""

    # The reader: logged in (restricted works count), whom they muted, their exclusion list.
    members: bool = False
    muted_users: list[int] = field(default_factory=list)
    exclusion_list: list[int] = field(default_factory=list)
    use_exclusion_list: bool = True
    # Words to search for (the search engine only; the filter index ignores them).
    text: str = ""
    # Filters. Ratings are "any of": a work has one.
    any_of: list[int] = field(default_factory=list)
    all_of: list[int] = field(default_factory=list)
    none_of: list[int] = field(default_factory=list)
    crossover: str = "include"  # include | exclude | only
    complete: str = ""  # "" | complete | wip
    words_from: int | None = None
    words_to: int | None = None
    updated_from: date | None = None
    updated_to: date | None = None
    language: str = ""
    # Restrict to these works (a creator's works, a title search), found in the database; None: all.
    # The filter index only: a search is never limited this way.
    only_ids: set[int] | None = None
    sort: str = DEFAULT_SORT
    # None: the sort's own direction.
    descending: bool | None = None
    page: int = 1
    per_page: int = 20

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @property
    def is_descending(self) -> bool:
        if self.descending is not None:
            return self.descending
        return SORTS[self.sort].descending if self.sort in SORTS else True

    def excluded_tags(self, *, with_list: bool | None = None) -> list[int]:
        """The tags whose works are left out: the asked ones, and the reader's list unless turned off."""
        use_list = self.use_exclusion_list if with_list is None else with_list
        return [*self.none_of, *self.exclusion_list] if use_list else list(self.none_of)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("only_ids")
        for name in ("updated_from", "updated_to"):
            data[name] = data[name].isoformat() if data[name] else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "WorkQuery":
        """The query a search node was sent (raises ValueError or TypeError on nonsense)."""
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__ and k != "only_ids"}
        for name in ("updated_from", "updated_to"):
            if known.get(name):
                known[name] = date.fromisoformat(known[name])
        query = cls(**known)
        for name in ("any_of", "all_of", "none_of", "muted_users", "exclusion_list"):
            setattr(query, name, [int(v) for v in getattr(query, name)])
        return query


@dataclass
class WorkResult:
    """One page of an answer: the total and the ids on the page, in order."""

    total: int
    ids: list[int]
    # Works left out by the reader's exclusion list alone (listings say so).
    hidden_by_exclusions: int = 0
    # The search engine's extras: passages that matched, per work id; notes about the query.
    snippets: dict[int, list[Any]] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)


class WorkEngine(Protocol):
    def run(self, query: WorkQuery) -> WorkResult: ...
