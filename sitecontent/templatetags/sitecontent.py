from typing import Any

from django import template

from sitecontent.models import NewsPost

register = template.Library()


@register.inclusion_tag("sitecontent/_latest_news.html")
def latest_news() -> dict[str, Any]:
    """The newest news post, for the home page."""
    return {"latest_news": NewsPost.objects.defer("body").first()}
