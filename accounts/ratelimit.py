"""Counting failed logins per username and per client address, in the cache."""

import hashlib

from django.conf import settings
from django.core.cache import cache


def _keys(username: str, address: str) -> list[str]:
    digest = hashlib.sha256(username.casefold().encode()).hexdigest()[:24]
    return [f"login-fail:user:{digest}", f"login-fail:addr:{address}"]


def login_blocked(username: str, address: str) -> bool:
    counts = cache.get_many(_keys(username, address))
    return any(count >= settings.LOGIN_ATTEMPTS_LIMIT for count in counts.values())


def record_failed_login(username: str, address: str) -> None:
    for key in _keys(username, address):
        if cache.add(key, 1, timeout=settings.LOGIN_ATTEMPTS_WINDOW_SECONDS):
            continue
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=settings.LOGIN_ATTEMPTS_WINDOW_SECONDS)


def clear_failed_logins(username: str, address: str) -> None:
    cache.delete_many(_keys(username, address)[:1])
