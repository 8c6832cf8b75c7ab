from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from tags import autocomplete
from tags.fixed import MEDIA, UNCATEGORIZED_MEDIA
from tags.models import Tag, TagParent, TagType, tag_name_key
from tags.parsing import TAG_NAME_MAX, split_tag_names
from works.access import visible_works
from works.listing import list_works


def _tag_by_name(name: str) -> Tag:
    return get_object_or_404(Tag, name_key=tag_name_key(name))


def tag_detail(request: HttpRequest, name: str) -> HttpResponse:
    tag = _tag_by_name(name)
    parents = Tag.objects.filter(child_links__child=tag).order_by("type", "name")
    children = Tag.objects.filter(parent_links__parent=tag).order_by("type", "name")
    work_count = visible_works(request.user).filter(filter_taggings__tag=tag).count()
    return render(
        request,
        "tags/tag_detail.html",
        {"tag": tag, "parents": parents, "children": children, "work_count": work_count},
    )


def tag_works(request: HttpRequest, name: str) -> HttpResponse:
    tag = _tag_by_name(name)
    if tag.type == TagType.MEDIA:
        raise Http404("Media tags list fandoms, not works.")
    listing = list_works(request, fixed_tag=tag)
    return render(request, "tags/tag_works.html", {"tag": tag, "listing": listing})


def fandom_index(request: HttpRequest) -> HttpResponse:
    """Every fandom with visible works, grouped by media type, with its count of works."""
    visible = visible_works(request.user)
    fandoms = (
        Tag.objects.filter(type=TagType.FANDOM)
        .annotate(work_count=Count("taggings", filter=Q(taggings__work__in=visible.values("pk"))))
        .filter(work_count__gt=0)
        .order_by("name")
    )
    fandom_list = list(fandoms)
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
    media_groups = [(name, fandoms) for name, fandoms in groups.items() if fandoms]
    return render(request, "tags/fandom_index.html", {"media_groups": media_groups})


@require_safe
def tag_autocomplete(request: HttpRequest) -> JsonResponse:
    """Suggestions for a tag field as JSON: ?term=…&type=…&fandoms=… (see tags/autocomplete.py)."""
    term = " ".join(request.GET.get("term", "").split())
    tag_type = request.GET.get("type", "any")
    if not term:
        return JsonResponse({"error": "Type at least one character of a tag name."}, status=400)
    if len(term) > TAG_NAME_MAX:
        return JsonResponse({"error": f"Tag names are at most {TAG_NAME_MAX} characters long."}, status=400)
    if tag_type != "any" and tag_type not in autocomplete.TYPES:
        types = ", ".join(autocomplete.TYPES)
        return JsonResponse({"error": f"Unknown tag type: use one of {types} or any."}, status=400)
    fandoms = split_tag_names(request.GET.get("fandoms", ""))[: autocomplete.FANDOMS_MAX]
    results = autocomplete.suggest_tags(term, autocomplete.TYPES if tag_type == "any" else (tag_type,), fandoms)
    response = JsonResponse({"results": results})
    # Suggestions change only as works are posted; a minute's reuse spares repeated keystrokes.
    patch_cache_control(response, private=True, max_age=60)
    return response
