"""A listing's page links: the reader's query string kept (repeated and non-ASCII values included),
only its page number changed. Pages, feeds, OPDS and the API page the same way through these."""

from django.http import HttpRequest, QueryDict


def page_query(params: QueryDict, number: int | None = None) -> str:
    """The query string with its page number set to `number`, or left out (None) for a link that
    adds its own (templates append `page=N`) or for a listing's first page and its address."""
    query = params.copy()
    if number is None:
        query.pop("page", None)
    else:
        query["page"] = str(number)
    return query.urlencode()


def link_to_page(path: str, params: QueryDict, number: int | None = None) -> str:
    """`path` with `page_query(params, number)`, without a bare "?" when that is empty."""
    query = page_query(params, number)
    return f"{path}?{query}" if query else path


def query_without_page(request: HttpRequest) -> str:
    """The request's query string without its page number, for page links."""
    return page_query(request.GET)
