"""Tag pages as readers see them: a tag and its relations, the works listed under it (AO3's works
page with a tag), the fandoms by media, and tag suggestions. They live in works because they
count and list works; which tags a reader may see named is tags.visibility."""

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from tags import hooks as tag_hooks
from tags.display import by_type
from tags.fixed import MEDIA, UNCATEGORIZED_MEDIA
from tags.models import Tag, TagParent, TagType, tag_name_key
from tags.parsing import TAG_NAME_MAX, split_tag_names
from tags.visibility import may_see_tag, visible_tags
from works import autocomplete
from works.filter_index import INDEX
from works.filter_sheet import count_response, wants_count
from works.listing import list_works


def _visible_tag_by_name(request: HttpRequest, name: str) -> Tag:
    """The tag, if this reader may see its name (tags.visibility); else 404, as for no such tag."""
    tag = Tag.objects.select_related("merger").filter(name_key=tag_name_key(name)).first()
    if tag is None or not may_see_tag(request.user, tag):
        raise Http404("No such tag.")
    return tag


def tag_detail(request: HttpRequest, name: str) -> HttpResponse:
    tag = _visible_tag_by_name(request, name)
    visible = Tag.objects.filter(visible_tags(request.user))
    parents = list(visible.filter(child_links__child=tag).order_by("type", "name"))
    children = visible.filter(parent_links__parent=tag).order_by("type", "name")
    work_count = INDEX.counts_for_tags([tag.pk], members=request.user.is_authenticated)[tag.pk]
    context = {
        "tag": tag,
        "parent_groups": by_type(parents),
        "children": children,
        "work_count": work_count,
        "synonyms": visible.filter(merger=tag).order_by("name") if tag.canonical else [],
        "meta_tags": visible.filter(sub_links__sub_tag=tag).order_by("name"),
        "sub_tags": visible.filter(meta_links__meta_tag=tag).order_by("name"),
        "may_wrangle": tag_hooks.may_wrangle(request.user, tag),
        # Read with the count's look at the change log: no query of its own.
        "counts_updating": INDEX.refresh_pending(),
    }
    return render(request, "tags/tag_detail.html", context)


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
    """Suggestions for a tag field as JSON: ?term=…&type=…&fandoms=… (see works/autocomplete.py)."""
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
