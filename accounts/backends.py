"""Log-in by username whatever its case: sign-up keeps usernames unique ignoring case, so
"TheMadUser" and "themaduser" are one account, and typing either reaches it.

Each request's user is loaded in one query with what every request asks about them
(accounts.hooks.REQUEST_USER_QUERY: moderation's standing and roles), and its `reader_version`
lets accounts.reader answer the reader's mutes, exclusions and saved filters from its cache."""

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from accounts import hooks
from accounts.models import User
from accounts.reader import loaded_for_request


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

    def get_user(self, user_id: Any) -> User | None:
        users = User._default_manager.all()
        for extend in hooks.REQUEST_USER_QUERY:
            users = extend(users)
        try:
            user = users.get(pk=user_id)
        except User.DoesNotExist:
            return None
        if not self.user_can_authenticate(user):
            return None
        loaded_for_request(user)
        return user
