"""Co-creator consent: who may be invited to be credited on someone's work.

The posting form and works.actions ask these rules through works/hooks.py (filled in
moderation's AppConfig.ready(): works never imports moderation). Invitations are made here when
a work names co-creators; accepting one credits the pseud through works.actions.credit_co_creator.
"""

from django.db import transaction
from django.utils.translation import gettext

from accounts.models import Pseud, User
from community.models import Block
from jobs.queue import enqueue
from moderation.models import CoCreatorInvitation, InvitationSetting
from works import actions as work_actions
from works.models import Work

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


def invite_co_creators(work: Work, inviter: User, pseuds: list[Pseud]) -> None:
    """Co-creators are asked, not credited: each gets an invitation (inbox and email) to accept or decline.

    Pseuds already credited are left alone; one whose owner blocked the inviter or turned
    invitations off is skipped (the posting form has already said why).
    """
    credited = set(work.creatorships.values_list("pseud_id", flat=True))
    invited = False
    for pseud in pseuds:
        if pseud.pk in credited or pseud.user_id == inviter.pk or invitation_refusal(inviter, pseud):
            continue
        _invitation, created = CoCreatorInvitation.objects.get_or_create(
            work=work, pseud=pseud, defaults={"invited_by": inviter}
        )
        invited = invited or created
    if invited:
        enqueue(INVITATION_EMAIL_JOB, {"work_id": work.pk})


@transaction.atomic
def accept_invitation(invitation: CoCreatorInvitation) -> None:
    """The invited pseud is credited on the work (after its creators), and the invitation is used up."""
    work = Work.objects.select_for_update().get(pk=invitation.work_id)
    if not CoCreatorInvitation.objects.filter(pk=invitation.pk).delete()[0]:
        return  # accepted or declined meanwhile
    work_actions.credit_co_creator(work, invitation.pseud)
