"""The read API at /api/v1/ (Django Ninja: typed parameters and schemas, and the OpenAPI document from them).

Every endpoint reads through api.queries (listings, search, bookmarks, as the
pages) or works.access (one work), as the requesting reader: a guest, a
logged-in browser, or a personal token's owner. Errors are JSON:
{"error": {"code": "...", "message": "...", "details": [...]}}.
"""

from datetime import date
from typing import Any, Literal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_safe
from ninja import Field, NinjaAPI, Query, Schema, Status
from ninja.errors import HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema

from accounts.models import Pseud, User
from api import queries, tokens
from api.forms import TokenForm
from api.models import PersonalToken
from api.schemas import (
    BookmarkPage,
    ChapterOut,
    ChapterRef,
    ChapterWrite,
    Error,
    MediaOut,
    PseudPage,
    SeriesOut,
    TagOut,
    UserOut,
    WorkDetail,
    WorkPage,
    WorkWrite,
)
from bookmarks.models import Bookmark
from lib.querystring import link_to_page
from lib.tagurl import url_part_to_tag
from search.query import MAX_QUERY_CHARS
from sitecontent.config import site_name
from tags.actions import TagTypeConflict
from tags.models import Tag, TagType, tag_name_key
from works import actions as work_actions
from works.access import (
    AnyUser,
    LoginRequiredForWork,
    get_work_for_creator,
    get_work_for_reader,
    is_creator,
    readable_chapters,
)
from works.filter_form import MAX_QUERY_LENGTH
from works.filter_index import INDEX
from works.forms import ChapterForm, WorkForm
from works.models import Chapter, Creatorship, Series, Work
from works.tag_views import fandoms_by_media
from works.views import _initial_from_work

API_DESCRIPTION = """\
Read the archive from your own tools: works with the same filters and sorts as the
listings, chapters with their text, tags, the fandom index, series, users' public pages,
public bookmarks and full-text search. You see what you would see on the site: as a
guest without credentials, as yourself with a personal token. Lists are paged (20 per
page, stable order; `next`/`previous` links). Errors are JSON objects with an `error.code`.
Chapter text of works rated Mature, Explicit or Not Rated needs `view_adult=true`.
"""


class ArchiveAPI(NinjaAPI):
    """The API titled with the archive's name as staff set it (sitecontent.config.site_name), read each time
    the document is asked for, as the OPDS catalog and the OpenSearch description do."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        document = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        document["info"]["title"] = gettext("%(site)s API") % {"site": site_name()}
        return document


api = ArchiveAPI(
    title="Fanarchive API",  # replaced by the site's name whenever the document is built
    version="1",
    description=API_DESCRIPTION,
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url=None,  # the human-readable page is ours (api.docs): CSP allows no CDN scripts
)

ERRORS: dict[int | str, Any] = {400: Error, 401: Error, 403: Error, 404: Error, 422: Error, 429: Error}

SortName = Literal["updated", "posted", "title", "creator", "words", "hits", "kudos", "comments", "bookmarks"]
SearchSortName = Literal[
    "relevance", "updated", "posted", "title", "creator", "words", "hits", "kudos", "comments", "bookmarks"
]


# The names of the grouped parameters in the endpoints' signatures: not part of a parameter's address.
PARAMETER_GROUPS = {"filters", "consent"}


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, details: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details or []


def error_response(request: HttpRequest, status: int, code: str, message: str, details: Any = ()) -> HttpResponse:
    body = {"error": {"code": code, "message": message, "details": list(details)}}
    return api.create_response(request, body, status=status)


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return error_response(request, exc.status, exc.code, exc.message, exc.details)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    details = [
        {
            "where": ".".join(str(part) for part in e.get("loc", ()) if part not in PARAMETER_GROUPS),
            "problem": str(e.get("msg", "")),
        }
        for e in exc.errors
    ]
    return error_response(request, 422, "invalid_input", "Some parameters have the wrong type or value.", details)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, 404, "not_found", str(exc) or "Not found.")


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error_response(request, 403, "forbidden", str(exc) or "You may not do that.")


@api.exception_handler(LoginRequiredForWork)
def _login_required(request: HttpRequest, exc: LoginRequiredForWork) -> HttpResponse:
    message = "This work is only available to registered users: send a personal token."
    return error_response(request, 401, "login_required", message)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    codes = {401: "unauthorized", 403: "forbidden", 405: "method_not_allowed", 429: "rate_limited"}
    return error_response(request, exc.status_code, codes.get(exc.status_code, "error"), str(exc))


# Parameters


class ListingQuery(Schema):
    """The filters of every works listing (works.filter_form), typed."""

    sort: SortName = "updated"
    include: list[int] = Field([], description="Tag ids the works must have (ratings: any of them).")
    exclude: list[int] = Field([], description="Tag ids the works must not have.")
    other_include: str = Field("", max_length=2000, description="Tag names, comma-separated, to include.")
    other_exclude: str = Field("", max_length=2000, description="Tag names, comma-separated, to exclude.")
    crossover: Literal["include", "exclude", "only"] = "include"
    complete: Literal["", "complete", "wip"] = ""
    words_from: int | None = Field(None, ge=0)
    words_to: int | None = Field(None, ge=0)
    updated_from: date | None = None
    updated_to: date | None = None
    language: str = Field("", max_length=8, description="A language code, as in the site's filters.")
    q: str = Field("", max_length=MAX_QUERY_LENGTH, description="Words in the title or a creator's name.")
    exclusions: Literal["on", "off"] = Field("on", description="off: ignore your permanent tag exclusions.")
    page: int = Field(1, ge=1, le=settings.MAX_PAGED_RESULTS // settings.WORKS_PER_PAGE)


class SearchQuery(ListingQuery):
    sort: SearchSortName = "relevance"  # type: ignore[assignment]
    q: str = Field("", max_length=MAX_QUERY_CHARS, description="The search query language (see /search/advanced).")


class BookmarkQuery(Schema):
    rec: Literal["", "1"] = Field("", description="1: recommendations only.")
    tag: int | None = Field(None, description="A bookmarker's tag id.")
    fandom: int | None = Field(None, description="A fandom tag id of the bookmarked work.")
    page: int = Field(1, ge=1)


class PageQuery(Schema):
    page: int = Field(1, ge=1)


class AdultConsent(Schema):
    view_adult: bool = Field(False, description="true: you consent to read works rated for adults.")


def only_known_parameters(request: HttpRequest, *schemas: type[Schema]) -> None:
    """Unknown parameters are mistakes (a misspelt filter would silently match everything)."""
    allowed = {name for schema in schemas for name in schema.model_fields}
    unknown = sorted(set(request.GET) - allowed)
    if unknown:
        raise ApiError(
            400,
            "unknown_parameter",
            f"Unknown parameters: {', '.join(unknown)}.",
            [{"where": f"query.{name}", "problem": f"allowed: {', '.join(sorted(allowed))}"} for name in unknown],
        )


def reader(request: HttpRequest) -> AnyUser:
    return request.user


# Building the answers


def _absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def tag_ref(request: HttpRequest, tag: Tag) -> dict[str, str]:
    return {"name": tag.name, "type": tag.type, "url": _absolute(request, tag.url)}


def pseud_ref(request: HttpRequest, pseud: Pseud) -> dict[str, str]:
    url = _absolute(request, pseud.get_absolute_url())
    return {"name": pseud.name, "user": pseud.user.username, "url": url, "byline": str(pseud)}


def work_out(request: HttpRequest, work: Work) -> dict[str, Any]:
    """A work as its blurb shows it (from with_blurb_data's prefetches: no query per work)."""
    groups = work.tag_groups

    def tags(type_value: str) -> list[dict[str, str]]:
        return [tag_ref(request, tag) for tag in groups.get(type_value, [])]

    return {
        "id": work.pk,
        "url": _absolute(request, work.get_absolute_url()),
        "title": work.title,
        "creators": [pseud_ref(request, p) for p in work.creator_pseuds],
        "rating": tags(TagType.RATING),
        "warnings": tags(TagType.WARNING),
        "categories": tags(TagType.CATEGORY),
        "fandoms": tags(TagType.FANDOM),
        "relationships": tags(TagType.RELATIONSHIP),
        "characters": tags(TagType.CHARACTER),
        "additional_tags": tags(TagType.FREEFORM),
        "summary_html": work.summary,
        "language": work.language,
        "words": work.word_count,
        "chapters": work.chapter_count,
        "expected_chapters": work.expected_chapters,
        "complete": work.complete,
        "restricted": work.restricted,
        "adult": work.is_adult,
        "published": work.published_at,
        "updated": work.revised_at,
        "hits": work.hits,
        "kudos": work.kudos_count,
        "comments": work.comments_count,
        "bookmarks": work.bookmarks_count,
        "series": [
            {
                "id": link.series_id,
                "title": link.series.title,
                "position": link.position,
                "url": _absolute(request, link.series.get_absolute_url()),
            }
            for link in work.serial_works.all()
        ],
    }


def _page_link(request: HttpRequest, number: int) -> str:
    return _absolute(request, link_to_page(request.path, request.GET, number))


def page_fields(request: HttpRequest, count: int, number: int, pages: int) -> dict[str, Any]:
    if number > max(pages, 1):
        raise ApiError(404, "page_out_of_range", f"There are {pages} pages.")
    return {
        "count": count,
        "page": number,
        "pages": pages,
        "next": _page_link(request, number + 1) if number < pages else None,
        "previous": _page_link(request, number - 1) if number > 1 else None,
    }


def works_page(request: HttpRequest, page: queries.WorkPage, requested: int) -> dict[str, Any]:
    if page.errors:
        raise ApiError(
            400, "invalid_filter", "Some filters could not be applied.", [{"problem": e} for e in page.errors]
        )
    return {
        **page_fields(request, page.total, requested, page.num_pages),
        "results": [work_out(request, w) for w in page.works],
    }


def listing(
    request: HttpRequest,
    params: QueryDict,
    requested: int,
    *,
    fixed_tag: Tag | None = None,
    only_ids: set[int] | None = None,
) -> dict[str, Any]:
    page = queries.work_page(request, reader(request), params, fixed_tag=fixed_tag, only_ids=only_ids)
    return works_page(request, page, requested)


def _tag_by_url_name(name: str) -> Tag:
    return get_object_or_404(Tag.objects.select_related("merger"), name_key=tag_name_key(url_part_to_tag(name)))


# Endpoints


@api.get("/works", response={200: WorkPage, **ERRORS}, tags=["works"])
def list_works(request: HttpRequest, filters: Query[ListingQuery]) -> dict[str, Any]:
    """Works, filtered and sorted as the works listing (the same parameters as /works on the site)."""
    only_known_parameters(request, ListingQuery)
    return listing(request, request.GET, filters.page)


@api.get("/works/{work_id}", response={200: WorkDetail, **ERRORS}, tags=["works"])
def get_work(request: HttpRequest, work_id: int) -> dict[str, Any]:
    """One work with its notes and its list of chapters (the text is per chapter)."""
    only_known_parameters(request)
    work = _readable_work(request, work_id)
    chapters = readable_chapters(work, reader(request)).defer("content", "notes", "endnotes", "summary")
    return {
        **work_out(request, work),
        "notes_html": work.notes,
        "endnotes_html": work.endnotes,
        "chapter_list": [chapter_ref(request, c) for c in chapters],
    }


@api.get("/works/{work_id}/chapters", response={200: list[ChapterRef], **ERRORS}, tags=["works"])
def list_chapters(request: HttpRequest, work_id: int) -> list[dict[str, Any]]:
    """A work's chapters in order, without their text."""
    only_known_parameters(request)
    work = _readable_work(request, work_id)
    chapters = readable_chapters(work, reader(request)).defer("content", "notes", "endnotes", "summary")
    return [chapter_ref(request, c) for c in chapters]


@api.get("/works/{work_id}/chapters/{chapter_id}", response={200: ChapterOut, **ERRORS}, tags=["works"])
def get_chapter(request: HttpRequest, work_id: int, chapter_id: int, consent: Query[AdultConsent]) -> dict[str, Any]:
    """One chapter with its text (sanitized HTML). Adult works need `view_adult=true`."""
    only_known_parameters(request, AdultConsent)
    work = _readable_work(request, work_id)
    user = reader(request)
    chapter = readable_chapters(work, user).filter(pk=chapter_id).first()
    if chapter is None:
        raise Http404("No such chapter.")
    token = getattr(request, "api_token", None)
    consented = consent.view_adult or bool(token and token.view_adult) or getattr(user, "skip_adult_gate", False)
    if work.is_adult and not (consented or is_creator(user, work)):
        raise ApiError(
            403,
            "adult_consent_required",
            "This work is rated for adults (or not rated): add view_adult=true to state that you consent.",
        )
    return {
        **chapter_ref(request, chapter),
        "work_id": work.pk,
        "summary_html": chapter.summary,
        "notes_html": chapter.notes,
        "endnotes_html": chapter.endnotes,
        "text_html": chapter.content,
    }


def _readable_work(request: HttpRequest, work_id: int) -> Work:
    work = get_work_for_reader(reader(request), work_id)
    return queries.with_blurb(work)


def chapter_ref(request: HttpRequest, chapter: Chapter) -> dict[str, Any]:
    return {
        "id": chapter.pk,
        "position": chapter.position,
        "title": chapter.title,
        "words": chapter.word_count,
        "published": chapter.published_at,
        "url": _absolute(request, chapter.get_absolute_url()),
    }


@api.get("/tags/{name}", response={200: TagOut, **ERRORS}, tags=["tags"])
def get_tag(request: HttpRequest, name: str) -> dict[str, Any]:
    """A tag with its synonyms, meta and sub tags, parents and children. Escape "/" as *s*, "." as *d*,
    "?" as *q*, "#" as *h*, "&" as *a* (as in the site's tag addresses)."""
    only_known_parameters(request)
    tag = _tag_by_url_name(name)
    user = reader(request)
    return {
        **tag_ref(request, tag),
        "canonical": tag.canonical,
        "works": INDEX.counts_for_tags([tag.pk], members=user.is_authenticated)[tag.pk],
        "synonym_of": tag_ref(request, tag.merger) if tag.merger else None,
        "synonyms": [tag_ref(request, t) for t in tag.synonyms.order_by("name")],
        "meta_tags": [tag_ref(request, t) for t in Tag.objects.filter(sub_links__sub_tag=tag).order_by("name")],
        "sub_tags": [tag_ref(request, t) for t in Tag.objects.filter(meta_links__meta_tag=tag).order_by("name")],
        "parents": [tag_ref(request, t) for t in Tag.objects.filter(child_links__child=tag).order_by("type", "name")],
        "children": [
            tag_ref(request, t) for t in Tag.objects.filter(parent_links__parent=tag).order_by("type", "name")
        ],
    }


@api.get("/tags/{name}/works", response={200: WorkPage, **ERRORS}, tags=["tags"])
def list_tag_works(request: HttpRequest, name: str, filters: Query[ListingQuery]) -> dict[str, Any]:
    """A tag's works with its synonyms and sub tags (a synonym lists its canonical tag's), with listing filters."""
    only_known_parameters(request, ListingQuery)
    tag = _tag_by_url_name(name)
    if tag.type == TagType.MEDIA:
        raise ApiError(404, "not_found", "Media tags list fandoms, not works: see /fandoms.")
    if tag.merger is not None and tag.merger.canonical:
        tag = tag.merger
    return listing(request, request.GET, filters.page, fixed_tag=tag)


@api.get("/fandoms", response={200: list[MediaOut], **ERRORS}, tags=["tags"])
def list_fandoms(request: HttpRequest) -> list[dict[str, Any]]:
    """The fandom index: every media type with its fandoms that have works you may see, and their counts."""
    only_known_parameters(request)
    groups = fandoms_by_media(members=reader(request).is_authenticated)
    return [
        {"media": media, "fandoms": [{**tag_ref(request, f), "works": f.work_count} for f in fandoms]}  # type: ignore[attr-defined]
        for media, fandoms in groups
    ]


@api.get("/series/{series_id}", response={200: SeriesOut, **ERRORS}, tags=["series"])
def get_series(request: HttpRequest, series_id: int) -> dict[str, Any]:
    """A series with its works you may see, in order."""
    only_known_parameters(request)
    series = get_object_or_404(Series, pk=series_id)
    works = queries.series_works(reader(request), series)
    if not works:
        raise Http404("No such series.")
    return {
        "id": series.pk,
        "url": _absolute(request, series.get_absolute_url()),
        "title": series.title,
        "summary_html": series.summary,
        "notes_html": series.notes,
        "complete": series.complete,
        "creators": [pseud_ref(request, p) for p in series.pseuds.select_related("user")],
        "works": [work_out(request, w) for w in works],
    }


def pseud_out(request: HttpRequest, pseud: Pseud) -> dict[str, Any]:
    return {**pseud_ref(request, pseud), "description_html": pseud.description}


@api.get("/users/{username}", response={200: UserOut, **ERRORS}, tags=["users"])
def get_user(request: HttpRequest, username: str, filters: Query[ListingQuery]) -> dict[str, Any]:
    """A user's public page: their pseuds and a page of their works (with listing filters)."""
    only_known_parameters(request, ListingQuery)
    user = get_object_or_404(User, username=username, is_active=True)
    work_ids = set(Creatorship.objects.filter(pseud__user=user).values_list("work_id", flat=True))
    return {
        "username": user.username,
        "url": _absolute(request, user.get_absolute_url()),
        "pseuds": [pseud_out(request, p) for p in user.pseuds.select_related("user")],
        "works": listing(request, request.GET, filters.page, only_ids=work_ids),
    }


@api.get("/users/{username}/pseuds/{pseud_name}", response={200: PseudPage, **ERRORS}, tags=["users"])
def get_pseud(request: HttpRequest, username: str, pseud_name: str, filters: Query[ListingQuery]) -> dict[str, Any]:
    """A pseud and a page of its works (with listing filters)."""
    only_known_parameters(request, ListingQuery)
    pseud = get_object_or_404(Pseud.objects.select_related("user"), user__username=username, name=pseud_name)
    work_ids = set(Creatorship.objects.filter(pseud=pseud).values_list("work_id", flat=True))
    return {"pseud": pseud_out(request, pseud), "works": listing(request, request.GET, filters.page, only_ids=work_ids)}


@api.get("/users/{username}/bookmarks", response={200: BookmarkPage, **ERRORS}, tags=["users"])
def list_bookmarks(request: HttpRequest, username: str, filters: Query[BookmarkQuery]) -> dict[str, Any]:
    """A user's bookmarks you may see (public ones; all of them if they are yours), newest first."""
    only_known_parameters(request, BookmarkQuery)
    owner = get_object_or_404(User, username=username, is_active=True)
    found = queries.bookmark_page(request, reader(request), request.GET, owner.pk)
    page = found.page
    return {
        **page_fields(request, found.total, filters.page, page.paginator.num_pages),
        "results": [bookmark_out(request, b) for b in page.object_list],
    }


def bookmark_out(request: HttpRequest, bookmark: Bookmark) -> dict[str, Any]:
    series = bookmark.series
    gone = bookmark.work is None and series is None
    return {
        "id": bookmark.pk,
        "created": bookmark.created_at,
        "updated": bookmark.updated_at,
        "bookmarker": pseud_ref(request, bookmark.pseud),
        "notes_html": bookmark.notes,
        "rec": bookmark.rec,
        "tags": [tag_ref(request, t) for t in bookmark.tags.all()],
        "work": work_out(request, bookmark.work) if bookmark.work is not None else None,
        "series": {
            "id": series.pk,
            "title": series.title,
            "position": 0,
            "url": _absolute(request, series.get_absolute_url()),
        }
        if series is not None
        else None,
        "deleted_title": bookmark.title_snapshot if gone else None,
    }


@api.get("/search", response={200: WorkPage, **ERRORS}, tags=["search"])
def search(request: HttpRequest, filters: Query[SearchQuery]) -> dict[str, Any]:
    """Full-text search: the site's query language in `q` (phrases, OR, -exclusions, title:, creator:, tag:, …)
    plus every listing filter."""
    only_known_parameters(request, SearchQuery)
    try:
        page, response = queries.search_works(request, reader(request), request.GET, page=filters.page)
    except queries.SearchUnavailable as exc:
        raise ApiError(503, "search_unavailable", "Search is unavailable right now; try again soon.") from exc
    return {**works_page(request, page, filters.page), "notices": response.notices}


def unknown_endpoint(request: HttpRequest, rest: str) -> HttpResponse:
    """Any other address under /api/v1/: a JSON 404, like the API's own."""
    return error_response(request, 404, "not_found", "No such endpoint: see /api/v1/openapi.json.")


def _type_of(schema: dict[str, Any]) -> str:
    if "anyOf" in schema:
        return " | ".join(_type_of(s) for s in schema["anyOf"])
    if "enum" in schema:
        return " | ".join(repr(v) if v else '""' for v in schema["enum"])
    if schema.get("type") == "array":
        return f"{_type_of(schema.get('items', {}))}[]"
    return str(schema.get("format") or schema.get("type") or "")


def _body_fields(document: dict[str, Any], operation: dict[str, Any]) -> list[dict[str, Any]]:
    content = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    reference = content.get("schema", {}).get("$ref", "")
    schema = document["components"]["schemas"].get(reference.rsplit("/", 1)[-1], {}) if reference else {}
    required = set(schema.get("required", []))
    return [
        {
            "name": name,
            "where": "body",
            "required": name in required,
            "type": _type_of(field),
            "description": field.get("description", ""),
        }
        for name, field in schema.get("properties", {}).items()
    ]


@require_safe
def api_docs(request: HttpRequest) -> HttpResponse:
    """The human-readable page: every operation of the OpenAPI document with its parameters."""
    document = api.get_openapi_schema()
    operations = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            parameters = [
                {
                    "name": p["name"],
                    "where": p["in"],
                    "required": p.get("required", False),
                    "type": _type_of(p.get("schema", {})),
                    "description": p.get("description") or p.get("schema", {}).get("description", ""),
                }
                for p in operation.get("parameters", [])
            ]
            parameters += _body_fields(document, operation)
            summary = operation.get("description") or operation.get("summary", "")
            operations.append({"method": method.upper(), "path": path, "summary": summary, "parameters": parameters})
    return render(request, "api/docs.html", {"operations": operations})


# The account's page of personal tokens


@login_required
def personal_tokens(request: HttpRequest) -> HttpResponse:
    """Make a token (its secret is shown once, on the answer to the form) or revoke one."""
    user = request.user
    assert isinstance(user, User)
    secret = ""
    form = TokenForm()
    if request.method == "POST":
        if "revoke" in request.POST:
            token = get_object_or_404(PersonalToken, pk=request.POST["revoke"], user=user)
            tokens.revoke_token(token)
            messages.success(request, gettext("The token “%(name)s” was revoked.") % {"name": token.name})
            return redirect("personal_tokens")
        form = TokenForm(request.POST)
        if PersonalToken.objects.filter(user=user, revoked_at__isnull=True).count() >= tokens.MAX_TOKENS:
            form.add_error(None, gettext("You have too many tokens: revoke one first."))
        if form.is_valid():
            data = form.cleaned_data
            _token, secret = tokens.create_token(
                user,
                data["name"],
                read_restricted=data["read_restricted"],
                write=data["write"],
                view_adult=data["view_adult"],
            )
            form = TokenForm()
    context = {
        "form": form,
        "secret": secret,
        "tokens": PersonalToken.objects.filter(user=user, revoked_at__isnull=True),
    }
    response = render(request, "api/tokens.html", context)
    # The page may hold a secret: no cache may keep it.
    response["Cache-Control"] = "no-store"
    return response


# Writing: a token with the write scope posts and edits its owner's works, through the site's forms and actions.


def writer(request: HttpRequest) -> User:
    token: PersonalToken | None = getattr(request, "api_token", None)
    if token is None:
        # Never a browser session: the API takes no CSRF token, so only a token may write.
        raise ApiError(401, "token_required", "Posting and editing need a personal token with the write scope.")
    if not token.write:
        raise ApiError(403, "scope_required", "This token may not post or edit works; make one that may.")
    return token.user


def _form_data(values: dict[str, Any]) -> QueryDict:
    """Form fields as a browser would send them: lists repeated, booleans as "on" or absent."""
    data = QueryDict(mutable=True)
    for name, value in values.items():
        if value is None or value is False:
            continue
        if value is True:
            data[name] = "on"
        elif isinstance(value, list):
            if name in TAG_TEXT_FIELDS:
                data[name] = ", ".join(str(v) for v in value)
            else:
                data.setlist(name, [str(v) for v in value])
        elif isinstance(value, date):
            data[name] = value.isoformat()
        else:
            data[name] = str(value)
    return data


TAG_TEXT_FIELDS = {"fandoms", "relationships", "characters", "freeforms"}


def _invalid_form(form: Any) -> ApiError:
    details = [
        {"where": f"body.{field}", "problem": str(message)}
        for field, messages_ in form.errors.items()
        for message in messages_
    ]
    return ApiError(422, "invalid_work", "The work could not be saved.", details)


@api.post("/works", response={201: WorkDetail, **ERRORS}, tags=["writing"])
def create_work(request: HttpRequest, body: WorkWrite) -> Status[dict[str, Any]]:
    """Post a work (or save a draft) as the token's owner: the posting form's fields and validation."""
    user = writer(request)
    # What the empty posting form starts with (language, comment permission, …), then the body.
    blank = WorkForm(user=user)
    defaults = {name: blank.get_initial_for_field(field, name) for name, field in blank.fields.items()}
    values = {**defaults, "pseuds": [user.default_pseud.pk], **body.dict(exclude_unset=True, exclude={"action"})}
    form = WorkForm(_form_data(values), user=user)
    if not form.is_valid():
        raise _invalid_form(form)
    try:
        work = work_actions.create_work(
            list(form.cleaned_data["pseuds"]), form.cleaned_data, post=body.action == "post"
        )
    except TagTypeConflict as conflict:
        raise ApiError(422, "invalid_work", str(conflict)) from conflict
    return Status(201, get_work(request, work.pk))


@api.patch("/works/{work_id}", response={200: WorkDetail, **ERRORS}, tags=["writing"])
def update_work(request: HttpRequest, work_id: int, body: WorkWrite) -> dict[str, Any]:
    """Change your work: send only the fields to change. action=post posts a draft."""
    user = writer(request)
    work = get_work_for_creator(user, work_id)
    include_chapter = work.chapters.count() == 1
    values = {**_initial_from_work(work, user, include_chapter), **body.dict(exclude_unset=True, exclude={"action"})}
    form = WorkForm(_form_data(values), user=user, include_chapter=include_chapter)
    if not form.is_valid():
        raise _invalid_form(form)
    try:
        work_actions.update_work(work, list(form.cleaned_data["pseuds"]), form.cleaned_data)
    except TagTypeConflict as conflict:
        raise ApiError(422, "invalid_work", str(conflict)) from conflict
    if "action" in body.model_fields_set and body.action == "post" and not work.posted:
        work_actions.post_work(work)
    return get_work(request, work.pk)


def _chapter_answer(request: HttpRequest, chapter: Chapter) -> dict[str, Any]:
    return {
        **chapter_ref(request, chapter),
        "work_id": chapter.work_id,
        "summary_html": chapter.summary,
        "notes_html": chapter.notes,
        "endnotes_html": chapter.endnotes,
        "text_html": chapter.content,
    }


@api.post("/works/{work_id}/chapters", response={201: ChapterOut, **ERRORS}, tags=["writing"])
def create_chapter(request: HttpRequest, work_id: int, body: ChapterWrite) -> Status[dict[str, Any]]:
    """Add a chapter to your work (posted, or a draft with action=draft)."""
    user = writer(request)
    work = get_work_for_creator(user, work_id)
    form = ChapterForm(_form_data(body.dict(exclude={"action"})))
    if not form.is_valid():
        raise _invalid_form(form)
    chapter = work_actions.add_chapter(work, form.cleaned_data, post=body.action == "post")
    return Status(201, _chapter_answer(request, chapter))


@api.patch("/works/{work_id}/chapters/{chapter_id}", response={200: ChapterOut, **ERRORS}, tags=["writing"])
def update_chapter(request: HttpRequest, work_id: int, chapter_id: int, body: ChapterWrite) -> dict[str, Any]:
    """Change a chapter of your work: send only the fields to change. action=post posts a draft chapter."""
    user = writer(request)
    work = get_work_for_creator(user, work_id)
    chapter = get_object_or_404(Chapter, pk=chapter_id, work=work)
    current = {
        "chapter_title": chapter.title,
        "chapter_summary": chapter.summary,
        "chapter_notes": chapter.notes,
        "chapter_endnotes": chapter.endnotes,
        "content": chapter.content,
    }
    form = ChapterForm(_form_data({**current, **body.dict(exclude_unset=True, exclude={"action"})}))
    if not form.is_valid():
        raise _invalid_form(form)
    work_actions.update_chapter(chapter, form.cleaned_data)
    if "action" in body.model_fields_set and body.action == "post" and not chapter.posted and work.posted:
        work_actions.post_chapter(chapter)
    chapter.refresh_from_db()
    return _chapter_answer(request, chapter)
