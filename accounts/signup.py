"""What stands between a stranger and a new account: the rate limit per address, the honeypot, the spam check.

`settings.SIGNUP_SPAM_CHECKER` names the checker (a dotted path to a callable taking a
`SignupCandidate` and returning True for spam), so an archive can plug in a captcha service
or anything else without touching the sign-up code. The default needs no network: a few
cheap heuristics on the username and the address.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

from lib.ratelimit import count_rate
from lib.spam import SPAM_PHRASES

# The form field people never see (its wrapper is hidden) and bots fill in.
HONEYPOT_FIELD = "website"

# Throwaway-address services: an archive that wants more lists them in its own checker.
DISPOSABLE_DOMAINS = frozenset(
    {
        "mailinator.com",
        "guerrillamail.com",
        "guerrillamail.net",
        "sharklasers.com",
        "10minutemail.com",
        "temp-mail.org",
        "yopmail.com",
        "trashmail.com",
        "getnada.com",
        "dispostable.com",
    }
)
_SQUASH = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class SignupCandidate:
    username: str
    email: str
    address: str


SignupSpamChecker = Callable[[SignupCandidate], bool]


def heuristic_signup_check(candidate: SignupCandidate) -> bool:
    domain = candidate.email.rpartition("@")[2].casefold()
    if domain in DISPOSABLE_DOMAINS:
        return True
    squashed = _SQUASH.sub("", candidate.username.casefold())
    return any(_SQUASH.sub("", phrase) in squashed for phrase in SPAM_PHRASES)


def is_spam_signup(candidate: SignupCandidate) -> bool:
    checker: SignupSpamChecker = import_string(settings.SIGNUP_SPAM_CHECKER)
    return bool(checker(candidate))


def take_signup_slot(key: str) -> bool:
    """Count one queue request, new verification link or email change for this key (lib.ratelimit).

    False once the key is over SIGNUP_RATE_LIMIT in SIGNUP_RATE_WINDOW_SECONDS (or when the count
    can't be kept: limits fail closed). Sign-up itself counts by address in the view.
    """
    limited = count_rate("signup", key, settings.SIGNUP_RATE_LIMIT, settings.SIGNUP_RATE_WINDOW_SECONDS)
    return limited is None
