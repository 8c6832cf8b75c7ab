from django import template
from django.utils.translation import gettext

from accounts.models import User
from moderation.models import CoCreatorInvitation, LogEntry, Notice
from moderation.roles import AnyUser, Role, can_manage_roles, can_moderate, can_support, has_role, is_staff_member
from works.models import Work

register = template.Library()


@register.filter
def moderates(user: AnyUser) -> bool:
    return can_moderate(user)


@register.filter
def supports(user: AnyUser) -> bool:
    return can_support(user)


@register.filter
def wrangles(user: AnyUser) -> bool:
    """Staff or an assigned wrangler (read with the account's standing: no query of its own)."""
    return is_staff_member(user) or has_role(user, Role.WRANGLER)


@register.filter
def manages_roles(user: AnyUser) -> bool:
    return can_manage_roles(user)


@register.simple_tag
def hidden_reason(work: Work) -> str:
    """Why the moderators hid this work (the latest decision), for the notice on the work page."""
    entry = LogEntry.objects.filter(work=work, action=LogEntry.Action.HIDE_WORK).order_by("-created_at", "-id").first()
    return entry.reason if entry else ""


@register.simple_tag
def unread_notices(user: AnyUser) -> int:
    if not isinstance(user, User):
        return 0
    return Notice.objects.filter(user=user, read=False).count()


@register.simple_tag
def pending_invitations(user: AnyUser) -> int:
    if not isinstance(user, User):
        return 0
    return CoCreatorInvitation.objects.filter(pseud__user=user).count()


@register.filter
def role_of(entry: LogEntry) -> str:
    """An appointment's role as the log shows it: "Moderator", or "Tag wrangler — Tidewater (TV)"."""
    role = entry.details.get("role")
    if role not in Role.values:
        return ""
    if role != Role.WRANGLER:
        return str(Role(role).label)
    return f"{Role.WRANGLER.label} — {entry.details.get('fandom') or gettext('every fandom')}"
