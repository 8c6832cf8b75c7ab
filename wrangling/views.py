"""The wrangling pages: the dashboard of unwrangled tags by fandom, a tag's edit page and the log.
Wranglers and staff only (wrangling.permissions); the verbs are tags.actions."""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext, ngettext

from accounts.models import User
from tags.actions import (
    BULK_ACTIONS,
    WranglingErrors,
    bulk_wrangle,
    edit_tag,
)
from tags.display import TYPE_PLURALS, by_type
from tags.models import Tag, TagType, WranglingLog, tag_name_key
from works.filters import refresh_pending
from wrangling.bins import BIN_TYPES, NEEDS_FANDOM, fandom_bin, fandom_counts, unsorted_bin, unsorted_counts
from wrangling.forms import BulkWrangleForm, TagEditForm
from wrangling.permissions import can_wrangle, is_wrangler, wrangled_fandom_ids

FANDOMS_PER_PAGE = 50
BIN_TAGS_PER_PAGE = 100
LOG_ENTRIES_PER_PAGE = 50


def _signed_in_user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _wranglers_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Guests go to log in; signed-in users who are neither staff nor wranglers get a 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_wrangler(request.user):
            raise PermissionDenied("Only tag wranglers and archive staff can do that.")
        return view(request, *args, **kwargs)

    return wrapper


@dataclass
class FandomRow:
    """One line of the dashboard: a fandom (None: tags in no canonical fandom) and its unwrangled counts."""

    fandom: Tag | None
    counts: list[tuple[str, str, int]]  # (type value, plural label, count)

    @property
    def total(self) -> int:
        return sum(count for _type, _label, count in self.counts)


def _row(fandom: Tag | None, counts: Counter[str]) -> FandomRow:
    return FandomRow(fandom, [(t.value, str(TYPE_PLURALS[t]), counts.get(t.value, 0)) for t in BIN_TYPES])


def _bin_query(fandom: Tag | None, tag_type: str) -> str:
    params = {"type": tag_type}
    if fandom is None:
        params["unsorted"] = "1"
    else:
        params["fandom"] = fandom.name
    return urlencode(params)


@_wranglers_only
def wrangling_dashboard(request: HttpRequest) -> HttpResponse:
    """Unwrangled tags by fandom and type; one bin at a time with a bulk-action form."""
    user = _signed_in_user(request)
    assert user is not None
    fandom_ids = wrangled_fandom_ids(user)
    params = request.POST if request.method == "POST" else request.GET
    tag_type = params.get("type", "")
    if tag_type not in BIN_TYPES:
        tag_type = ""
    fandom: Tag | None = None
    if params.get("fandom"):
        fandom = get_object_or_404(Tag, name_key=tag_name_key(params["fandom"]), type=TagType.FANDOM, canonical=True)
        if fandom_ids is not None and fandom.pk not in fandom_ids:
            raise PermissionDenied("You don't wrangle that fandom.")
    unsorted = fandom is None and params.get("unsorted") == "1" and fandom_ids is None
    showing_bin = bool(tag_type) and (fandom is not None or unsorted)

    form = BulkWrangleForm(
        request.POST if request.method == "POST" else None,
        tag_type=tag_type or TagType.FANDOM,
        default_parent=fandom if tag_type in NEEDS_FANDOM else None,
    )
    if request.method == "POST" and form.is_valid():
        tags = list(form.cleaned_data["tags"])
        refused = [tag for tag in tags if not can_wrangle(user, tag)]
        if refused:
            names = ", ".join(f"“{tag.name}”" for tag in refused)
            form.add_error(
                "tags", gettext("You can't wrangle %(names)s: they are outside your fandoms.") % {"names": names}
            )
        else:
            try:
                bulk_wrangle(user, tags, form.cleaned_data["action"], form.cleaned_data["target_tag"])
            except WranglingErrors as refusal:
                for message in refusal.errors[""]:
                    form.add_error(None, message)
            else:
                action = BULK_ACTIONS[form.cleaned_data["action"]]
                messages.success(
                    request,
                    ngettext("%(action)s: done for %(count)s tag.", "%(action)s: done for %(count)s tags.", len(tags))
                    % {"action": action, "count": len(tags)},
                )
                query = _bin_query(fandom, tag_type) if showing_bin else ""
                return redirect(reverse("wrangling_dashboard") + (f"?{query}" if query else ""))

    counts = fandom_counts(fandom_ids)
    listed = counts.keys() if fandom_ids is None else fandom_ids
    rows = [_row(f, counts.get(f.pk, Counter())) for f in Tag.objects.filter(pk__in=listed).order_by("name")]
    rows_page = Paginator(rows, FANDOMS_PER_PAGE).get_page(request.GET.get("fandoms_page"))
    context: dict[str, Any] = {
        "rows_page": rows_page,
        "columns": [TYPE_PLURALS[t] for t in BIN_TYPES],
        "unsorted_row": _row(None, unsorted_counts()) if fandom_ids is None else None,
        "form": form,
        "showing_bin": showing_bin,
        "fandom": fandom,
        "unsorted": unsorted,
        "tag_type": tag_type,
        "type_label": TYPE_PLURALS[TagType(tag_type)] if tag_type else "",
    }
    if showing_bin:
        bin_tags = fandom_bin(fandom, tag_type) if fandom is not None else unsorted_bin(tag_type)
        bin_page = Paginator(bin_tags.annotate(uses=Count("taggings")), BIN_TAGS_PER_PAGE).get_page(params.get("page"))
        selected = {str(pk) for pk in request.POST.getlist("tags")}
        context.update(bin_page=bin_page, selected=selected, bin_query=_bin_query(fandom, tag_type))
    return render(request, "wrangling/wrangling_dashboard.html", context)


def _tag_by_name(name: str) -> Tag:
    return get_object_or_404(Tag, name_key=tag_name_key(name))


@_wranglers_only
def tag_edit(request: HttpRequest, name: str) -> HttpResponse:
    user = _signed_in_user(request)
    assert user is not None
    tag = _tag_by_name(name)
    if not can_wrangle(user, tag):
        raise PermissionDenied("You can't wrangle this tag.")
    form = TagEditForm(request.POST if request.method == "POST" else None, tag=tag, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            changes = edit_tag(user, tag, form.edit())
        except WranglingErrors as refusal:
            for field_name, field_errors in refusal.errors.items():
                for message in field_errors:
                    form.add_error(field_name if field_name in form.fields else None, message)
        else:
            if changes:
                messages.success(
                    request,
                    ngettext(
                        "“%(name)s” was updated (%(count)s change).",
                        "“%(name)s” was updated (%(count)s changes).",
                        changes,
                    )
                    % {"name": tag.name, "count": changes},
                )
            else:
                messages.info(request, gettext("Nothing was changed."))
            return redirect("tag_edit", tag.name)
    context = {
        "tag": tag,
        "form": form,
        "synonyms": tag.synonyms.order_by("name"),
        "meta_tags": Tag.objects.filter(sub_links__sub_tag=tag).order_by("name"),
        "sub_tags": Tag.objects.filter(meta_links__meta_tag=tag).order_by("name"),
        "parent_groups": by_type(list(Tag.objects.filter(child_links__child=tag).order_by("type", "name"))),
        "log_entries": WranglingLog.objects.filter(tag=tag).select_related("actor")[:10],
        "counts_updating": refresh_pending(),
    }
    return render(request, "wrangling/tag_edit.html", context)


@_wranglers_only
def wrangling_log(request: HttpRequest) -> HttpResponse:
    entries = WranglingLog.objects.select_related("actor", "tag")
    tag_name = " ".join(request.GET.get("tag", "").split())
    if tag_name:
        # The tag's own rows (under any of its names), and rows naming it, like "made X a synonym of it".
        entries = entries.filter(
            Q(tag__name_key=tag_name_key(tag_name))
            | Q(tag_name__iexact=tag_name)
            | Q(detail__icontains=f"“{tag_name}”")
        )
    page = Paginator(entries, LOG_ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    query = urlencode({"tag": tag_name}) if tag_name else ""
    return render(request, "wrangling/wrangling_log.html", {"page": page, "tag_name": tag_name, "query": query})
