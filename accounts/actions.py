from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts import hooks, invitations
from accounts.models import (
    AgeConfirmation,
    EmailVerification,
    Invitation,
    Pseud,
    SavedFilter,
    TagExclusion,
    TermsAcceptance,
    User,
    UsernameChange,
)
from accounts.reader import reader_changed
from accounts.verification import send_verification


class SignupRefused(Exception):
    """The form was fine but the account can't be made (an invitation used meanwhile, a name just taken)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@transaction.atomic
def create_account(username: str, email: str, password: str) -> User:
    """A new user with their default pseud, named after them."""
    user = User.objects.create_user(username=username, email=email, password=password)
    Pseud.objects.create(user=user, name=username, is_default=True)
    return user


def sign_up(
    username: str,
    email: str,
    password: str,
    *,
    invitation: Invitation | None,
    terms_version_id: int | None,
    minimum_age: int,
) -> User:
    """An account made through the sign-up page: the invitation used, the terms and age accepted, a link to verify.

    Raises SignupRefused (and makes nothing) when the invitation was used or the name taken meanwhile.
    """
    try:
        with transaction.atomic():
            user = create_account(username, email, password)
            if invitation is not None and not invitations.claim(invitation, user):
                raise SignupRefused("invitation", gettext("That invitation has already been used."))
            if terms_version_id is not None:
                TermsAcceptance.objects.create(user=user, version_id=terms_version_id)
            AgeConfirmation.objects.create(user=user, minimum_age=minimum_age)
            EmailVerification.objects.create(user=user)
            send_verification(user)
    except IntegrityError:
        # The database's uniqueness rules saw a sign-up with the same name or address commit first.
        raise SignupRefused("username", gettext("That username or email is taken.")) from None
    return user


def accept_terms(user: User, version_id: int) -> None:
    TermsAcceptance.objects.get_or_create(user=user, version_id=version_id)


def next_username_change(user: User, days: int) -> datetime | None:
    """When this member may change their username again, or None if they may now."""
    last = user.username_changes.values_list("changed_at", flat=True).first()
    if last is None or days <= 0:
        return None
    allowed = last + timedelta(days=days)
    return allowed if allowed > timezone.now() else None


@transaction.atomic
def change_username(user: User, new_username: str) -> None:
    """Rename the account (and its default pseud, when it carries the old name); old URLs redirect."""
    old = user.username
    UsernameChange.objects.create(user=user, old_username=old, new_username=new_username)
    user.username = new_username
    user.save(update_fields=["username"])
    renamed = Pseud.objects.filter(user=user, is_default=True, name=old)
    work_ids = list(renamed.values_list("creatorships__work_id", flat=True))
    renamed.update(name=new_username[:40])
    # Searches by creator find the works under the new name shortly.
    hooks.creator_names_changed([work_id for work_id in work_ids if work_id is not None])


def change_email(user: User, old_email: str, new_email: str) -> bool:
    """Apply a confirmed change of address: False if the account's address changed meanwhile or is taken."""
    if user.email != old_email:
        return False
    if User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists():
        return False
    try:
        with transaction.atomic():
            updated = User.objects.filter(pk=user.pk, email=old_email).update(email=new_email)
    except IntegrityError:
        return False
    if updated:
        user.email = new_email
        EmailVerification.objects.filter(user=user, verified_at=None).update(verified_at=timezone.now())
    return bool(updated)


# The reader's exclusion list and saved filters: accounts.reader caches them by the reader's
# version, so every change bumps it in the same transaction.


@transaction.atomic
def exclude_tags(user: User, tag_ids: list[int]) -> None:
    for tag_id in tag_ids:
        TagExclusion.objects.get_or_create(user=user, tag_id=tag_id)
    reader_changed(user)


@transaction.atomic
def remove_tag_exclusion(user: User, tag_id: int) -> None:
    TagExclusion.objects.filter(user=user, tag_id=tag_id).delete()
    reader_changed(user)


@transaction.atomic
def save_filter(user: User, name: str, query: str) -> None:
    """Saved under this name (replacing the reader's filter of that name, if any)."""
    SavedFilter.objects.update_or_create(user=user, name=name, defaults={"query": query})
    reader_changed(user)


@transaction.atomic
def delete_saved_filter(user: User, filter_id: int) -> None:
    SavedFilter.objects.filter(user=user, pk=filter_id).delete()
    reader_changed(user)
