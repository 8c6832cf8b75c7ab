"""The OPDS 1.2 catalog at /opds/: what a reading app (KOReader, Thorium, calibre…) browses.

Apps sign in with a personal token (HTTP Basic with the token as password, or Bearer;
api.middleware.TokenAuthMiddleware) and then see what the token's owner sees; without
one, what a guest sees. Entries link the EPUB, and the PDF once the background printer has
built the current version (downloads.built). Both links carry view_adult=true when the token's owner consented
to adult works (or the catalog was opened with view_adult=true), so an app can follow them
through the adult gate without a browser.
"""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from accounts.models import User
from api import queries
from downloads.built import built_pdfs
from feeds import opds2
from feeds.atom import Feed, Link, build, updated_of
from feeds.opds import (
    ACQUIRE,
    ACQUISITION,
    EPUB,
    NAVIGATION,
    OPENSEARCH,
    PDF,
    acquisition_entry,
    catalog,
    facet,
    navigation_entry,
    opensearch_description,
    with_params,
)
from feeds.views import respond
from lib.querystring import link_to_page
from sitecontent.config import site_name
from tags.fixed import RATINGS
from tags.models import Tag, TagType
from works.models import Work
from works.tag_views import fandoms_by_media

SORT_FACETS = {
    "updated": _("Recently updated"),
    "kudos": _("Most kudos"),
    "title": _("Title"),
    "words": _("Word count"),
}


def _adult_consent(request: HttpRequest) -> bool:
    token = getattr(request, "api_token", None)
    return request.GET.get("view_adult") == "true" or bool(token and token.view_adult)


def _common_links_v2(request: HttpRequest) -> list[Link]:
    absolute = request.build_absolute_uri
    return [
        Link(href=absolute(request.get_full_path()), rel="self", type=opds2.OPDS2),
        Link(href=absolute(reverse("opds2_root")), rel="start", type=opds2.OPDS2),
        Link(href=absolute(reverse("opds2_search")) + "{?q}", rel="search", type=opds2.OPDS2),
    ]


def _respond_v2(request: HttpRequest, body: bytes, updated: Any) -> HttpResponseBase:
    response = respond(request, body, updated, opds2.OPDS2, public=False)
    response["Vary"] = "Authorization, Cookie"
    return response


def _download_url(work: Work, extension: str, adult: bool) -> str:
    url = reverse("download", args=[work.pk, extension])
    return url + "?view_adult=true" if adult and work.is_adult else url


def _common_links(request: HttpRequest, kind: str) -> list[Link]:
    absolute = request.build_absolute_uri
    return [
        Link(href=absolute(request.get_full_path()), rel="self", type=kind),
        Link(href=absolute(reverse("opds_root")), rel="start", type=NAVIGATION),
        Link(href=absolute(reverse("opds_opensearch")), rel="search", type=OPENSEARCH),
    ]


def _respond(request: HttpRequest, feed: Feed, kind: str) -> HttpResponseBase:
    response = respond(request, build(catalog(feed)), feed.updated, f"{kind};charset=utf-8", public=False)
    response["Vary"] = "Authorization, Cookie"
    return response


def _login_challenge() -> HttpResponse:
    response = HttpResponse(
        gettext("Sign in with your user name and a personal token as the password."),
        status=401,
        content_type="text/plain",
    )
    response["WWW-Authenticate"] = 'Basic realm="opds", Bearer realm="opds"'
    return response


@require_safe
def opds_root(request: HttpRequest) -> HttpResponseBase:
    """The catalog start: recent works, most kudos, fandoms; a signed-in reader's bookmarks and Marked for Later."""
    absolute = request.build_absolute_uri
    now = timezone.now().replace(microsecond=0)
    entries = [
        navigation_entry(
            absolute, gettext("Recently updated"), reverse("opds_works") + "?sort=updated", ACQUISITION, now
        ),
        navigation_entry(absolute, gettext("Most kudos"), reverse("opds_works") + "?sort=kudos", ACQUISITION, now),
        navigation_entry(
            absolute, gettext("Fandoms"), reverse("opds_media"), NAVIGATION, now, gettext("By media type")
        ),
    ]
    if request.user.is_authenticated:
        entries += [
            navigation_entry(absolute, gettext("My bookmarks"), reverse("opds_bookmarks"), ACQUISITION, now),
            navigation_entry(absolute, gettext("Marked for Later"), reverse("opds_later"), ACQUISITION, now),
        ]
    feed = Feed(
        id=absolute(reverse("opds_root")),
        title=gettext("%(site)s catalog") % {"site": site_name()},
        links=_common_links(request, NAVIGATION),
        updated=now,
        entries=entries,
    )
    return _respond(request, feed, NAVIGATION)


@require_safe
def opds2_root(request: HttpRequest) -> HttpResponseBase:
    """The OPDS 2.0 (JSON) start: the same navigation as opds_root. The fandoms browse stays
    the 1.2 feeds (an OPDS 2.0 link may lead to an Atom catalog)."""
    absolute = request.build_absolute_uri
    now = timezone.now().replace(microsecond=0)
    works = reverse("opds2_works")
    navigation = [
        Link(
            href=absolute(works + "?sort=updated"),
            rel="subsection",
            type=opds2.OPDS2,
            title=gettext("Recently updated"),
        ),
        Link(href=absolute(works + "?sort=kudos"), rel="subsection", type=opds2.OPDS2, title=gettext("Most kudos")),
        Link(href=absolute(reverse("opds_media")), rel="subsection", type=NAVIGATION, title=gettext("Fandoms")),
    ]
    if request.user.is_authenticated:
        navigation += [
            Link(
                href=absolute(reverse("opds2_bookmarks")),
                rel="subsection",
                type=opds2.OPDS2,
                title=gettext("My bookmarks"),
            ),
            Link(
                href=absolute(reverse("opds2_later")),
                rel="subsection",
                type=opds2.OPDS2,
                title=gettext("Marked for Later"),
            ),
        ]
    title = gettext("%(site)s catalog") % {"site": site_name()}
    body = opds2.feed(title, _common_links_v2(request), modified=now, navigation=navigation)
    return _respond_v2(request, body, now)


@require_safe
def opds_media(request: HttpRequest) -> HttpResponseBase:
    absolute = request.build_absolute_uri
    now = timezone.now().replace(microsecond=0)
    groups = fandoms_by_media(members=request.user.is_authenticated)
    entries = [
        navigation_entry(
            absolute,
            media,
            reverse("opds_media_fandoms", args=[media]),
            NAVIGATION,
            now,
            ngettext("%(count)s fandom", "%(count)s fandoms", len(fandoms)) % {"count": len(fandoms)},
        )
        for media, fandoms in groups
    ]
    feed = Feed(
        id=absolute(reverse("opds_media")),
        title=gettext("Fandoms"),
        links=[
            *_common_links(request, NAVIGATION),
            Link(href=absolute(reverse("opds_root")), rel="up", type=NAVIGATION),
        ],
        updated=now,
        entries=entries,
    )
    return _respond(request, feed, NAVIGATION)


@require_safe
def opds_media_fandoms(request: HttpRequest, media: str) -> HttpResponseBase:
    absolute = request.build_absolute_uri
    now = timezone.now().replace(microsecond=0)
    groups = dict(fandoms_by_media(members=request.user.is_authenticated))
    if media not in groups:
        raise Http404("No such media type.")
    entries = [
        navigation_entry(
            absolute,
            fandom.name,
            reverse("opds_works") + f"?include={fandom.pk}",
            ACQUISITION,
            now,
            ngettext("%(count)s work", "%(count)s works", fandom.work_count) % {"count": fandom.work_count},  # type: ignore[attr-defined]
        )
        for fandom in groups[media]
    ]
    feed = Feed(
        id=absolute(reverse("opds_media_fandoms", args=[media])),
        title=media,
        links=[
            *_common_links(request, NAVIGATION),
            Link(href=absolute(reverse("opds_media")), rel="up", type=NAVIGATION),
        ],
        updated=now,
        entries=entries,
    )
    return _respond(request, feed, NAVIGATION)


def _acquisition_feed(
    request: HttpRequest, title: str, page: queries.WorkPage, facets: list[Link] | None = None, v2: bool = False
) -> HttpResponseBase:
    absolute = request.build_absolute_uri
    adult = _adult_consent(request)
    kind = opds2.OPDS2 if v2 else ACQUISITION
    # PDFs are printed in the background; only a built one is offered (an app cannot wait on a page).
    pdfs = built_pdfs(page.works, request.user)
    links = _common_links_v2(request) if v2 else _common_links(request, ACQUISITION)
    path, params = request.path, request.GET
    if page.number > 1:
        links.append(Link(href=absolute(with_params(path, params)), rel="first", type=kind))
        links.append(Link(href=absolute(link_to_page(path, params, page.number - 1)), rel="previous", type=kind))
    if page.number < page.num_pages:
        links.append(Link(href=absolute(link_to_page(path, params, page.number + 1)), rel="next", type=kind))
    acquisitions = {
        work.pk: [
            Link(href=absolute(_download_url(work, "epub", adult)), rel=ACQUIRE, type=EPUB),
            *(
                [Link(href=absolute(_download_url(work, "pdf", adult)), rel=ACQUIRE, type=PDF)]
                if work.pk in pdfs
                else []
            ),
        ]
        for work in page.works
    }
    updated = updated_of(page.works)
    if v2:
        body = opds2.feed(
            title,
            links,
            modified=updated,
            publications=[opds2.publication(work, absolute, acquisitions[work.pk]) for work in page.works],
            facets=facets,
            total=page.total,
        )
        return _respond_v2(request, body, updated)
    feed = Feed(
        id=absolute(with_params(path, params)),
        title=title,
        links=[*links, *(facets or [])],
        updated=updated,
        entries=[acquisition_entry(work, absolute, acquisitions[work.pk]) for work in page.works],
    )
    return _respond(request, feed, ACQUISITION)


def _facets(request: HttpRequest) -> list[Link]:
    """Sort and rating facets, each keeping the rest of the query."""
    absolute = request.build_absolute_uri
    path, params = request.path, request.GET
    sort = params.get("sort", "updated")
    sort_group, rating_group = gettext("Sort"), gettext("Rating")
    links = [
        facet(absolute(with_params(path, params, sort=key)), str(label), sort_group, key == sort)
        for key, label in SORT_FACETS.items()
    ]
    ratings = {t.name: t for t in Tag.objects.filter(type=TagType.RATING, name__in=[r[0] for r in RATINGS])}
    included = set(params.getlist("include"))
    rating_ids = {str(t.pk) for t in ratings.values()}
    others = [value for value in params.getlist("include") if value not in rating_ids]
    base = params.copy()
    base.setlist("include", others)
    links.append(
        facet(absolute(with_params(path, base)), gettext("All ratings"), rating_group, not (included & rating_ids))
    )
    for name, _symbol, _adult in RATINGS:
        tag = ratings.get(name)
        if tag is None:
            continue
        chosen = base.copy()
        chosen.setlist("include", [*others, str(tag.pk)])
        links.append(facet(absolute(with_params(path, chosen)), name, rating_group, str(tag.pk) in included))
    return links


@require_safe
def opds_works(request: HttpRequest, v2: bool = False) -> HttpResponseBase:
    """Works with the listing's filters and sorts (include a fandom, a rating…), as an acquisition feed."""
    page = queries.work_page(request, request.user, request.GET)
    return _acquisition_feed(request, gettext("Works"), page, _facets(request), v2)


@require_safe
def opds_search(request: HttpRequest, v2: bool = False) -> HttpResponseBase:
    try:
        number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        number = 1
    try:
        page, _response = queries.search_works(request, request.user, request.GET, page=number)
    except queries.SearchUnavailable:
        return HttpResponse(gettext("Search is unavailable right now."), status=503, content_type="text/plain")
    title = gettext("Search: %(query)s") % {"query": request.GET.get("q", "")}
    return _acquisition_feed(request, title, page, v2=v2)


@require_safe
def opds_opensearch(request: HttpRequest) -> HttpResponse:
    template = request.build_absolute_uri(reverse("opds_search")) + "?q={searchTerms}"
    body = opensearch_description(
        site_name(), gettext("Search the works of %(site)s") % {"site": site_name()}, template
    )
    return HttpResponse(body, content_type="application/opensearchdescription+xml; charset=utf-8")


@require_safe
def opds_bookmarks(request: HttpRequest, v2: bool = False) -> HttpResponseBase:
    user = request.user
    if not isinstance(user, User):
        return _login_challenge()
    listing = queries.bookmark_page(request, user, request.GET, user.pk)
    works = [b.work for b in listing.page.object_list if b.work is not None]
    page = queries.WorkPage(
        works=works, total=listing.total, number=listing.page.number, num_pages=listing.page.paginator.num_pages
    )
    return _acquisition_feed(request, gettext("My bookmarks"), page, v2=v2)


@require_safe
def opds_later(request: HttpRequest, v2: bool = False) -> HttpResponseBase:
    user = request.user
    if not isinstance(user, User):
        return _login_challenge()
    page = queries.marked_for_later(user, request.GET)
    return _acquisition_feed(request, gettext("Marked for Later"), page, v2=v2)
