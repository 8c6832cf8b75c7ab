"""The spam check every new or edited comment goes through.

`settings.COMMENT_SPAM_CHECKER` names the checker (a dotted path to a callable
taking a `Candidate` and returning True for spam), so an archive can plug in
Akismet or anything else without touching the comments code. Comments on news
posts go through the same check. The default is a
few cheap heuristics: many links, phrases spammers use, shouting.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

from accounts.models import User
from lib.html import strip_html
from lib.spam import SPAM_PHRASES
from works.models import Work

# More links than this in one comment reads as spam (AO3's readers link a fic or two, not a page of them).
MAX_LINKS = 3
# Shouting: this share of capital letters among at least MIN_LETTERS_FOR_CAPS letters.
CAPS_RATIO = 0.8
MIN_LETTERS_FOR_CAPS = 30

_LINK = re.compile(r"<a\s|https?://|www\.", re.IGNORECASE)


@dataclass(frozen=True)
class Candidate:
    """What a spam checker may look at. `content` is the sanitized HTML about to be stored.

    `work` is None for a comment on a news post (news.news_comments goes through this check too).
    """

    work: Work | None
    user: User | None
    guest_name: str
    guest_email: str
    content: str
    ip_hash: str


SpamChecker = Callable[[Candidate], bool]


def heuristic_spam_check(candidate: Candidate) -> bool:
    html = candidate.content
    # Sanitized links appear twice (href and, often, the text); count anchors when there are any.
    anchors = len(re.findall(r"<a\s", html, re.IGNORECASE))
    links = anchors or len(_LINK.findall(html))
    if links > MAX_LINKS:
        return True
    text = strip_html(html)
    lowered = " ".join(text.casefold().split())
    if any(phrase in lowered for phrase in SPAM_PHRASES):
        return True
    letters = [c for c in text if c.isalpha()]
    if len(letters) >= MIN_LETTERS_FOR_CAPS:
        upper = sum(1 for c in letters if c.isupper())
        if upper / len(letters) >= CAPS_RATIO:
            return True
    return False


def is_spam(candidate: Candidate) -> bool:
    checker: SpamChecker = import_string(settings.COMMENT_SPAM_CHECKER)
    return bool(checker(candidate))
