"""Log-in by username whatever its case: sign-up keeps usernames unique ignoring case, so
"TheMadUser" and "themaduser" are one account, and typing either reaches it."""

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from accounts.models import User


class CaseInsensitiveModelBackend(ModelBackend):
    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> User | None:
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if username is None or password is None:
            return None
        # An exact match first: accounts made before usernames were unique ignoring case keep theirs.
        matches = User.objects.filter(username__iexact=username)
        user = matches.filter(username=username).first() or matches.order_by("pk").first()
        if user is None:
            # As ModelBackend: hash anyway, so a missing username takes as long as a wrong password.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
