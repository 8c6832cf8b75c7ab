"""Who may do what on the staff side: the one place roles are checked.

Staff are accounts with `is_staff` (superusers made by createsuperuser are staff): they
appoint and remove moderators, support volunteers and tag wranglers (moderation.actions.appoint
and dismiss, from the roles page or the wranglers page), and may do everything moderators do.
Moderators work the moderation desk; they are not staff, so drafts stay private to them
(works.access shows drafts only to creators and staff). Moderators and support are Django
groups carrying one permission each; a wrangler is a tags.WranglerAssignment, because it may be
limited to one fandom (wrangling.permissions says what it lets them wrangle).
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from moderation.models import Report
from tags.models import Tag, WranglerAssignment
from wrangling.permissions import is_wrangler

AnyUser = User | AnonymousUser


class Role(models.TextChoices):
    MODERATOR = "moderator", _("Moderator")
    SUPPORT = "support", _("Support")
    WRANGLER = "wrangler", _("Tag wrangler")


# Role → (group name, permission codename on moderation.Report). Wranglers are not a group.
_GROUPS = {Role.MODERATOR: ("Moderators", "moderate"), Role.SUPPORT: ("Support", "support")}
GROUP_ROLES = tuple(_GROUPS)


def role_group(role: str) -> Group:
    """The role's group, made (with its permission) the first time it is needed."""
    name, codename = _GROUPS[Role(role)]
    group, created = Group.objects.get_or_create(name=name)
    if created or not group.permissions.filter(codename=codename).exists():
        content_type = ContentType.objects.get_for_model(Report)
        permission, _created = Permission.objects.get_or_create(
            codename=codename, content_type=content_type, defaults={"name": codename}
        )
        group.permissions.add(permission)
    return group


def is_staff_member(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def role_member_exists(role: str) -> Exists:
    """For annotating a User queryset: is the user in the role's group?"""
    name = _GROUPS[Role(role)][0]
    return Exists(Group.objects.filter(name=name, user=OuterRef("pk")))


def remember_role(user: AnyUser, role: str, member: bool) -> None:
    """Cache a role read along with something else (moderation.standing), for this request's user object."""
    setattr(user, f"_moderation_role_{role}", member)


def has_role(user: AnyUser, role: str) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    remembered = getattr(user, f"_moderation_role_{role}", None)
    if remembered is not None:
        return bool(remembered)
    if role == Role.WRANGLER:
        return WranglerAssignment.objects.filter(user=user).exists()
    return user.groups.filter(name=_GROUPS[Role(role)][0]).exists()


def can_moderate(user: AnyUser) -> bool:
    """Staff and moderators work the moderation desk and act on reports."""
    return is_staff_member(user) or has_role(user, Role.MODERATOR)


def can_manage_roles(user: AnyUser) -> bool:
    return is_staff_member(user)


def can_support(user: AnyUser) -> bool:
    return is_staff_member(user) or has_role(user, Role.SUPPORT)


def can_wrangle_tags(user: AnyUser) -> bool:
    return is_wrangler(user)


def members(role: str) -> list[tuple[User, Tag | None]]:
    """Who holds the role, by username; for wranglers, one row per fandom (None: every fandom)."""
    if role == Role.WRANGLER:
        assignments = WranglerAssignment.objects.select_related("user", "fandom")
        return [(a.user, a.fandom) for a in assignments.order_by("user__username", "fandom__name")]
    return [(user, None) for user in User.objects.filter(groups=role_group(role)).order_by("username")]


View = Callable[..., HttpResponse]


def requires(check: Callable[[AnyUser], bool], refusal: str) -> Callable[[View], View]:
    """A view decorator for a role: guests go to log in; signed-in users failing `check` get a 403
    saying `refusal`."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not check(request.user):
                raise PermissionDenied(refusal)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
