"""A confirmation shown beside what it confirms: "Comment created!" next to the new comment,
not at the top of a long page the reader was sent down from (comments.views tags it)."""

from collections.abc import Iterable
from typing import Any

from django import template

register = template.Library()

BESIDE = "beside"


def beside_tag(anchor: str) -> str:
    """The extra tags of a message to be shown beside the element with this id."""
    return f"{BESIDE} {anchor}"


@register.simple_tag
def top_messages(messages: Iterable[Any]) -> list[Any]:
    """The messages for the top of the page: all but those shown beside something."""
    return [m for m in messages if not (m.extra_tags or "").startswith(BESIDE + " ")]


@register.simple_tag
def messages_beside(messages: Iterable[Any], anchor: str) -> list[Any]:
    return [m for m in messages if m.extra_tags == beside_tag(anchor)]
