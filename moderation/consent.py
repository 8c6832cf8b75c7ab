"""Co-creator consent: who may be invited to be credited on someone's work.

The invitation itself is made and accepted in works.actions (it changes a work's
creators); this module holds the rules both the posting form and the actions ask.
"""

from django.utils.translation import gettext

from accounts.models import Pseud, User
from community.models import Block
from moderation.models import CoCreatorInvitation, InvitationSetting

INVITATION_EMAIL_JOB = "send_co_creator_invitation_emails"


def accepts_invitations(user: User) -> bool:
    setting = InvitationSetting.objects.filter(user=user).first()
    return setting is None or setting.accepts_co_creator_invitations


def invitation_refusal(inviter: User, pseud: Pseud) -> str | None:
    """Why `inviter` may not invite this pseud to co-create; None if they may."""
    if Block.objects.filter(blocker_id=pseud.user_id, blocked=inviter).exists():
        return gettext("You can't invite “%(name)s” as a co-creator.") % {"name": str(pseud)}
    if not accepts_invitations(pseud.user):
        return gettext("“%(name)s” doesn't accept co-creator invitations.") % {"name": str(pseud)}
    return None


def pending_for(user: User) -> list[CoCreatorInvitation]:
    return list(
        CoCreatorInvitation.objects.filter(pseud__user=user, work__isnull=False)
        .select_related("work", "pseud", "invited_by")
        .order_by("created_at", "id")
    )


def decline(invitation: CoCreatorInvitation) -> None:
    invitation.delete()
