"""Engagement buttons for pages other apps render: profiles and series.

`{% profile_actions profile_user %}` and `{% series_actions series %}` look up the
reader's subscription, block and mute state (nothing for guests) and render
templates/community/_profile_actions.html and _series_actions.html (which asks bookmarks'
`series_bookmark_id` tag for the reader's bookmark).
"""

from typing import Any

from django import template

from accounts.models import User
from community.models import Block, Mute, Subscription
from works.models import Series

register = template.Library()


@register.inclusion_tag("community/_profile_actions.html", takes_context=True)
def profile_actions(context: template.Context, profile_user: User) -> dict[str, Any]:
    viewer = context["request"].user
    result = _base(context)
    result.update(profile_user=profile_user, own=viewer.pk == profile_user.pk)
    if isinstance(viewer, User) and not result["own"]:
        result["subscription_id"] = (
            Subscription.objects.filter(user=viewer, creator=profile_user).values_list("pk", flat=True).first()
        )
        result["blocked"] = Block.objects.filter(blocker=viewer, blocked=profile_user).exists()
        result["muted"] = Mute.objects.filter(muter=viewer, muted=profile_user).exists()
    return result


@register.inclusion_tag("community/_series_actions.html", takes_context=True)
def series_actions(context: template.Context, series: Series) -> dict[str, Any]:
    viewer = context["request"].user
    result = _base(context)
    result["series"] = series
    if isinstance(viewer, User):
        result["subscription_id"] = (
            Subscription.objects.filter(user=viewer, series=series).values_list("pk", flat=True).first()
        )
    return result


def _base(context: template.Context) -> dict[str, Any]:
    # An inclusion tag's template gets a fresh context: pass on what its forms need.
    request = context["request"]
    return {"request": request, "viewer": request.user, "csrf_token": context.get("csrf_token")}
