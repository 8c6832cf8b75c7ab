"""Around the filter form: its live count, the removable chips above the results, ranges that cannot match.

The parser (works.filter_form) stays the one reader of the query string; this module only
describes what it read, in the reader's words, with a link that removes each part.
"""

from dataclasses import dataclass

from django.contrib.humanize.templatetags.humanize import intcomma
from django.http import HttpRequest, JsonResponse, QueryDict
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from lib.languages import LANGUAGE_NAMES
from tags.models import Tag
from tags.parsing import split_tag_names
from works.filter_form import ParsedFilters
from works.listing import list_works

# ?count=only on any listing URL answers with the number of works the filters match, as JSON.
COUNT_PARAM = "count"


@dataclass(frozen=True)
class Chip:
    label: str
    remove_query: str  # the query string without this filter (and without a page number)


@dataclass(frozen=True)
class RangeProblem:
    message: str
    swap_query: str


def wants_count(request: HttpRequest) -> bool:
    return request.GET.get(COUNT_PARAM) == "only"


def show_works_label(total: int) -> str:
    return ngettext("Show %(count)s work", "Show %(count)s works", total) % {"count": intcomma(total)}


def count_response(
    request: HttpRequest, *, fixed_tag: Tag | None = None, only_ids: set[int] | None = None
) -> JsonResponse:
    """The listing's total through the same code as the page, so the button never promises another number."""
    return count_json(list_works(request, fixed_tag=fixed_tag, only_ids=only_ids, count_only=True).total)


def count_json(total: int) -> JsonResponse:
    """The ?count=only answer of a listing or a search."""
    return JsonResponse({"count": total, "label": show_works_label(total)})


def _without(query: QueryDict, name: str, value: str | None = None, replacement: str | None = None) -> str:
    """The query string without one filter (or one value of it), other filters in their places."""
    params = query.copy()
    for key in ("page", COUNT_PARAM):
        params.pop(key, None)
    if replacement:
        params.setlist(name, [replacement])
    elif value is None:
        params.pop(name, None)
    else:
        params.setlist(name, [v for v in params.getlist(name) if v != value])
    return params.urlencode()


def query_without(query: QueryDict, name: str) -> str:
    return _without(query, name)


def _name_chips(query: QueryDict, name: str, template: str) -> list[Chip]:
    raw = query.get(name, "")
    names = split_tag_names(raw)
    return [
        Chip(template % {"name": tag}, _without(query, name, replacement=", ".join(n for n in names if n != tag)))
        for tag in names
    ]


def filter_chips(query: QueryDict, parsed: ParsedFilters, *, words_filter: bool = True) -> list[Chip]:
    """One chip per filter the reader set, in the order of the form.

    `words_filter` is False on the search page, where `q` is the search itself, kept by its own box.
    """
    spec = parsed.spec
    chips: list[Chip] = []
    tags = {str(t.pk): t for t in [*parsed.included, *parsed.excluded]}
    for value in query.getlist("include"):
        if value in tags:
            chips.append(Chip(tags[value].name, _without(query, "include", value)))
    chips += _name_chips(query, "other_include", "%(name)s")
    for value in query.getlist("exclude"):
        if value in tags:
            chips.append(Chip(gettext("Not %(name)s") % {"name": tags[value].name}, _without(query, "exclude", value)))
    chips += _name_chips(query, "other_exclude", gettext("Not %(name)s"))
    if spec.crossover == "exclude":
        chips.append(Chip(gettext("No crossovers"), _without(query, "crossover")))
    elif spec.crossover == "only":
        chips.append(Chip(gettext("Only crossovers"), _without(query, "crossover")))
    if spec.complete == "complete":
        chips.append(Chip(gettext("Complete works only"), _without(query, "complete")))
    elif spec.complete == "wip":
        chips.append(Chip(gettext("Works in progress only"), _without(query, "complete")))
    if spec.words_from is not None:
        label = gettext("At least %(count)s words") % {"count": intcomma(spec.words_from)}
        chips.append(Chip(label, _without(query, "words_from")))
    if spec.words_to is not None:
        label = gettext("At most %(count)s words") % {"count": intcomma(spec.words_to)}
        chips.append(Chip(label, _without(query, "words_to")))
    if spec.updated_from:
        label = gettext("Updated from %(date)s") % {"date": date_format(spec.updated_from)}
        chips.append(Chip(label, _without(query, "updated_from")))
    if spec.updated_to:
        label = gettext("Updated until %(date)s") % {"date": date_format(spec.updated_to)}
        chips.append(Chip(label, _without(query, "updated_to")))
    if spec.language:
        chips.append(Chip(LANGUAGE_NAMES.get(spec.language, spec.language), _without(query, "language")))
    if parsed.query and words_filter:
        chips.append(Chip(gettext("“%(words)s”") % {"words": parsed.query}, _without(query, "q")))
    return chips


def _swapped(query: QueryDict, low: str, high: str) -> str:
    params = query.copy()
    params.pop("page", None)
    params[low], params[high] = query.get(high, ""), query.get(low, "")
    return params.urlencode()


def range_problems(query: QueryDict, parsed: ParsedFilters) -> list[RangeProblem]:
    """Ranges whose start is after their end: no work can match, so say so instead of showing nothing."""
    spec = parsed.spec
    problems = []
    if spec.words_from is not None and spec.words_to is not None and spec.words_from > spec.words_to:
        message = gettext(
            "The word count range runs backwards (from %(low)s to %(high)s words), so no work can match it."
        ) % {"low": intcomma(spec.words_from), "high": intcomma(spec.words_to)}
        problems.append(RangeProblem(message, _swapped(query, "words_from", "words_to")))
    if spec.updated_from and spec.updated_to and spec.updated_from > spec.updated_to:
        message = gettext("The date range runs backwards (from %(low)s to %(high)s), so no work can match it.") % {
            "low": date_format(spec.updated_from),
            "high": date_format(spec.updated_to),
        }
        problems.append(RangeProblem(message, _swapped(query, "updated_from", "updated_to")))
    return problems
