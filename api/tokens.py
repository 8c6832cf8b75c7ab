"""Personal tokens: making, revoking, and recognising them in a request (Bearer, or Basic with the token
as the password, which OPDS reading apps support)."""

import base64
import binascii
import hashlib
import secrets
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import User
from api.models import PersonalToken

PREFIX = "fa_"
MAX_TOKENS = 50
# Writing last_used_at on every request would turn reads into writes; once a minute is enough to show.
LAST_USED_RESOLUTION_SECONDS = 60


class BadCredentials(Exception):
    """An Authorization header was sent but names no valid token."""


@dataclass
class TokenAuth:
    token: PersonalToken
    # Who the request reads as: the owner with "read as me", else a guest.
    reader: User | AnonymousUser


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def create_token(
    user: User, name: str, *, read_restricted: bool, write: bool, view_adult: bool
) -> tuple[PersonalToken, str]:
    """A new token and its secret (shown once, never stored)."""
    secret = PREFIX + secrets.token_urlsafe(32)
    token = PersonalToken.objects.create(
        user=user,
        name=name,
        digest=digest_of(secret),
        hint=secret[: len(PREFIX) + 4],
        read_restricted=read_restricted,
        write=write,
        view_adult=view_adult,
    )
    return token, secret


def revoke_token(token: PersonalToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def _secret_from(header: str) -> str:
    scheme, _space, value = header.strip().partition(" ")
    if scheme.lower() == "bearer":
        return value.strip()
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError) as exc:
            raise BadCredentials from exc
        _username, _colon, password = decoded.partition(":")
        return password
    raise BadCredentials


def authenticate(request: HttpRequest) -> TokenAuth | None:
    """The token in the Authorization header, if any; BadCredentials if it is not a live token.

    With Basic, the user name is not checked: the token alone identifies its owner (apps ask for both).
    """
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not header:
        return None
    secret = _secret_from(header)
    if not secret.startswith(PREFIX):
        raise BadCredentials
    token = (
        PersonalToken.objects.select_related("user")
        .filter(digest=digest_of(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        raise BadCredentials
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > LAST_USED_RESOLUTION_SECONDS:
        PersonalToken.objects.filter(pk=token.pk).update(last_used_at=now)
    reader: User | AnonymousUser = token.user if token.read_restricted or token.write else AnonymousUser()
    return TokenAuth(token=token, reader=reader)
