"""An account's standing: suspended until a date, or banned. One check, asked before every write."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from accounts.models import User
from moderation.models import Standing
from moderation.roles import Role, remember_role, role_member_exists
from tags.models import WranglerAssignment

AnyUser = User | AnonymousUser


def standing_of(user: AnyUser) -> Standing | None:
    if not user.is_authenticated:
        return None
    return Standing.objects.filter(user_id=user.pk).first()


# Annotations on the request's user (accounts.backends loads it with them): role -> attribute.
_LOADED_ROLES = {
    Role.MODERATOR: "moderation_moderator",
    Role.SUPPORT: "moderation_support",
    Role.WRANGLER: "moderation_wrangler",
}


def with_standing_and_roles(users: QuerySet[User]) -> QuerySet[User]:
    """The request's user with their standing and roles (accounts.hooks.REQUEST_USER_QUERY): read
    in the query that loads the user, so they are as current as the account itself."""
    return users.select_related("standing").annotate(
        **{
            _LOADED_ROLES[Role.MODERATOR]: role_member_exists(Role.MODERATOR),
            _LOADED_ROLES[Role.SUPPORT]: role_member_exists(Role.SUPPORT),
            _LOADED_ROLES[Role.WRANGLER]: Exists(WranglerAssignment.objects.filter(user=OuterRef("pk"))),
        }
    )


def load_standing_and_roles(user: AnyUser) -> Standing | None:
    """The account's standing (None: good standing) and whether it moderates, supports or wrangles,
    in one query, or none when the user was loaded with them (with_standing_and_roles).

    The middleware calls this once per request; the roles are remembered on the user object
    for moderation.roles, so the navigation's Wrangling, Moderation and Support links cost no
    query of their own.
    """
    if not user.is_authenticated:
        return None
    loaded: AnyUser | None = user
    if not hasattr(user, _LOADED_ROLES[Role.MODERATOR]):
        # A user loaded some other way (an API token's owner): one query.
        loaded = with_standing_and_roles(User.objects.filter(pk=user.pk)).first()
        if loaded is None:
            return None
    for role, attribute in _LOADED_ROLES.items():
        remember_role(user, role, bool(getattr(loaded, attribute)))
    try:
        standing: Standing = getattr(loaded, "standing")  # noqa: B009 (read with select_related)
    except Standing.DoesNotExist:
        return None
    return standing


def write_refusal(standing: Standing) -> str | None:
    """Why an account in this standing may not post, comment, leave kudos, bookmark or message now; None if it may.

    Every write goes through `moderation.middleware.StandingMiddleware`, which asks this
    (passing the standing it already read for this request).
    """
    if standing.banned:
        return gettext("This account has been banned.")
    if standing.suspended_until is not None and standing.suspended_until > timezone.now():
        until = date_format(timezone.localtime(standing.suspended_until), "DATETIME_FORMAT")
        return gettext(
            "Your account is suspended until %(until)s: you cannot post, comment, leave kudos, bookmark "
            "or send messages until then. See your messages from the moderators."
        ) % {"until": until}
    return None
