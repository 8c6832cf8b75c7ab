"""An account's standing: suspended until a date, or banned. One check, asked before every write."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef
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


def load_standing_and_roles(user: AnyUser) -> Standing | None:
    """The account's standing (None: good standing) and whether it moderates, supports or wrangles,
    in one query.

    The middleware calls this once per request; the roles are remembered on the user object
    for moderation.roles, so the navigation's Wrangling, Moderation and Support links cost no
    query of their own.
    """
    if not user.is_authenticated:
        return None
    row = (
        User.objects.filter(pk=user.pk)
        .values("standing__banned", "standing__suspended_until", "standing__reason", "standing__spam")
        .annotate(
            moderator=role_member_exists(Role.MODERATOR),
            support=role_member_exists(Role.SUPPORT),
            wrangler=Exists(WranglerAssignment.objects.filter(user=OuterRef("pk"))),
        )
        .first()
    )
    if row is None:
        return None
    remember_role(user, Role.MODERATOR, bool(row["moderator"]))
    remember_role(user, Role.SUPPORT, bool(row["support"]))
    remember_role(user, Role.WRANGLER, bool(row["wrangler"]))
    if row["standing__banned"] is None:
        return None
    return Standing(
        user_id=user.pk,
        banned=row["standing__banned"],
        spam=row["standing__spam"],
        suspended_until=row["standing__suspended_until"],
        reason=row["standing__reason"],
    )


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
