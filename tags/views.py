from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from accounts.models import TagExclusion, User
from lib.params import parse_id
from tags import autocomplete
from tags.actions import (
    BULK_ACTIONS,
    WranglingErrors,
    bulk_wrangle,
    edit_tag,
)
from tags.bins import BIN_TYPES, NEEDS_FANDOM, fandom_bin, fandom_counts, unsorted_bin, unsorted_counts
from tags.fixed import MEDIA, UNCATEGORIZED_MEDIA
from tags.forms import BulkWrangleForm, TagEditForm
from tags.models import Tag, TagParent, TagType, WranglingLog, tag_name_key
from tags.parsing import TAG_NAME_MAX, split_tag_names
from tags.permissions import can_wrangle, is_wrangler, wrangled_fandom_ids
from tags.visibility import visible_tags
from works.filter_index import INDEX
from works.filter_sheet import count_response, wants_count
from works.filters import refresh_pending
from works.listing import list_works


def _tag_by_name(name: str) -> Tag:
    return get_object_or_404(Tag, name_key=tag_name_key(name))


def _visible_tag_by_name(request: HttpRequest, name: str) -> Tag:
    """The tag, if this reader may see its name (tags.visibility); else 404, as for no such tag."""
    return get_object_or_404(Tag.objects.filter(visible_tags(request.user)), name_key=tag_name_key(name))


def tag_detail(request: HttpRequest, name: str) -> HttpResponse:
    tag = _visible_tag_by_name(request, name)
    visible = Tag.objects.filter(visible_tags(request.user))
    parents = list(visible.filter(child_links__child=tag).order_by("type", "name"))
    children = visible.filter(parent_links__parent=tag).order_by("type", "name")
    work_count = INDEX.counts_for_tags([tag.pk], members=request.user.is_authenticated)[tag.pk]
    context = {
        "tag": tag,
        "parent_groups": _by_type(parents),
        "children": children,
        "work_count": work_count,
        "synonyms": visible.filter(merger=tag).order_by("name") if tag.canonical else [],
        "meta_tags": visible.filter(sub_links__sub_tag=tag).order_by("name"),
        "sub_tags": visible.filter(meta_links__meta_tag=tag).order_by("name"),
        "may_wrangle": can_wrangle(request.user, tag),
        "counts_updating": refresh_pending(),
    }
    return render(request, "tags/tag_detail.html", context)


def _by_type(tags: list[Tag]) -> list[tuple[str, list[Tag]]]:
    """("Fandoms", [...]), ("Characters", [...]) …: tags grouped under plural type names."""
    groups: dict[str, list[Tag]] = {}
    for tag in tags:
        groups.setdefault(str(TYPE_PLURALS[TagType(tag.type)]), []).append(tag)
    return list(groups.items())


def tag_works(request: HttpRequest, name: str) -> HttpResponse:
    tag = _visible_tag_by_name(request, name)
    if tag.type == TagType.MEDIA:
        raise Http404("Media tags list fandoms, not works.")
    if tag.merger is not None and tag.merger.canonical:
        # A synonym's works are its canonical tag's works (the listing notes pending wrangling).
        query = request.META.get("QUERY_STRING", "")
        return redirect(tag.merger.get_works_url() + (f"?{query}" if query else ""))
    if wants_count(request):
        return count_response(request, fixed_tag=tag)
    listing = list_works(request, fixed_tag=tag)
    return render(request, "tags/tag_works.html", {"tag": tag, "listing": listing})


def fandoms_by_media(*, members: bool) -> list[tuple[str, list[Tag]]]:
    """(media name, fandoms with a `work_count`) for every fandom with works a reader may see (the API shares it)."""
    # Synonyms are counted under their canonical fandom, as in filters; counts come from the
    # filter index, so they match the listings and never include what the reader may not see.
    candidates = list(
        Tag.objects.filter(type=TagType.FANDOM, merger__isnull=True).only("name", "type").order_by("name")
    )
    counts = INDEX.counts_for_tags([f.pk for f in candidates], members=members)
    fandom_list = []
    for fandom in candidates:
        fandom.work_count = counts[fandom.pk]  # type: ignore[attr-defined]
        if counts[fandom.pk]:
            fandom_list.append(fandom)
    media_of: dict[int, list[str]] = {}
    links = TagParent.objects.filter(child__in=[f.pk for f in fandom_list], parent__type=TagType.MEDIA).values_list(
        "child_id", "parent__name"
    )
    for child_id, media_name in links:
        media_of.setdefault(child_id, []).append(media_name)
    groups: dict[str, list[Tag]] = {name: [] for name in MEDIA}
    for fandom in fandom_list:
        for media_name in media_of.get(fandom.pk, [UNCATEGORIZED_MEDIA]):
            groups[media_name].append(fandom)
    return [(name, fandoms) for name, fandoms in groups.items() if fandoms]


def fandom_index(request: HttpRequest) -> HttpResponse:
    """Every fandom with visible works, grouped by media type, with its count of works."""
    media_groups = fandoms_by_media(members=request.user.is_authenticated)
    return render(request, "tags/fandom_index.html", {"media_groups": media_groups})


@require_safe
def tag_autocomplete(request: HttpRequest) -> JsonResponse:
    """Suggestions for a tag field as JSON: ?term=…&type=…&fandoms=… (see tags/autocomplete.py)."""
    term = " ".join(request.GET.get("term", "").split())
    tag_type = request.GET.get("type", "any")
    fandoms = split_tag_names(request.GET.get("fandoms", ""))[: autocomplete.FANDOMS_MAX]
    if not term:
        return JsonResponse({"error": "Type at least one character of a tag name."}, status=400)
    if len(term) > TAG_NAME_MAX:
        return JsonResponse({"error": f"Tag names are at most {TAG_NAME_MAX} characters long."}, status=400)
    if tag_type != "any" and tag_type not in autocomplete.ASKABLE_TYPES:
        types = ", ".join(autocomplete.ASKABLE_TYPES)
        return JsonResponse({"error": f"Unknown tag type: use one of {types} or any."}, status=400)
    # PostgreSQL refuses NUL in text (and no tag name has one: Django's form fields refuse it).
    if any("\x00" in name for name in [term, *fandoms]):
        return JsonResponse({"error": "Tag names can't contain null characters."}, status=400)
    results = autocomplete.suggest_tags(
        request.user, term, autocomplete.TYPES if tag_type == "any" else (tag_type,), fandoms
    )
    response = JsonResponse({"results": results})
    # Suggestions change only as works are posted; a minute's reuse spares repeated keystrokes.
    patch_cache_control(response, private=True, max_age=60)
    return response


# Tag wrangling

TYPE_PLURALS = {
    TagType.RATING: _("Ratings"),
    TagType.WARNING: _("Archive Warnings"),
    TagType.CATEGORY: _("Categories"),
    TagType.MEDIA: _("Media"),
    TagType.FANDOM: _("Fandoms"),
    TagType.RELATIONSHIP: _("Relationships"),
    TagType.CHARACTER: _("Characters"),
    TagType.FREEFORM: _("Additional Tags"),
}
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
    return render(request, "tags/wrangling_dashboard.html", context)


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
        "parent_groups": _by_type(list(Tag.objects.filter(child_links__child=tag).order_by("type", "name"))),
        "log_entries": WranglingLog.objects.filter(tag=tag).select_related("actor")[:10],
        "counts_updating": refresh_pending(),
    }
    return render(request, "tags/tag_edit.html", context)


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
    return render(request, "tags/wrangling_log.html", {"page": page, "tag_name": tag_name, "query": query})


# A reader's tag exclusion list (accounts.TagExclusion): works with these tags are left out of listings.
MAX_EXCLUSIONS = 500


@login_required
def exclusions(request: HttpRequest) -> HttpResponse:
    """The tags this reader never wants to see; works with them are left out of every listing."""
    assert isinstance(request.user, User)
    if request.method == "POST":
        if "remove" in request.POST:
            TagExclusion.objects.filter(user=request.user, tag_id=parse_id(request.POST.get("remove")) or 0).delete()
            messages.success(request, _("The tag was removed from your exclusion list."))
            return redirect("exclusions")
        names = split_tag_names(request.POST.get("tags", ""))
        found = {t.name_key: t for t in Tag.objects.filter(name_key__in=[tag_name_key(n) for n in names])}
        missing = [n for n in names if tag_name_key(n) not in found]
        if missing:
            messages.error(
                request,
                _("No tag is called %(names)s; nothing was added.") % {"names": ", ".join(f"“{n}”" for n in missing)},
            )
        elif not names:
            messages.error(request, _("Type the names of the tags to exclude."))
        else:
            current = TagExclusion.objects.filter(user=request.user).count()
            if current + len(found) > MAX_EXCLUSIONS:
                messages.error(
                    request, _("An exclusion list can hold at most %(count)s tags.") % {"count": MAX_EXCLUSIONS}
                )
            else:
                for tag in found.values():
                    TagExclusion.objects.get_or_create(user=request.user, tag=tag)
                messages.success(
                    request,
                    ngettext(
                        "Added %(count)s tag to your exclusion list.",
                        "Added %(count)s tags to your exclusion list.",
                        len(found),
                    )
                    % {"count": len(found)},
                )
        return redirect("exclusions")
    excluded = Tag.objects.filter(pk__in=TagExclusion.objects.filter(user=request.user).values("tag_id")).order_by(
        "name"
    )
    return render(request, "accounts/exclusions.html", {"excluded": excluded, "limit": MAX_EXCLUSIONS})
