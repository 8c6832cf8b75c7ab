from typing import Any

from django import template

from news.models import NewsPost

register = template.Library()


@register.inclusion_tag("news/_latest_news.html")
def latest_news() -> dict[str, Any]:
    """The newest news post, for the home page."""
    return {"latest_news": NewsPost.objects.defer("body").first()}
