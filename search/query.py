"""The search box's query language, parsed without ever failing.

    words            every word must match (in any field)
    "exact phrase"   the words next to each other, in this order
    -word -"phrase"  leave out works that match
    a OR b           either (binds the items on each side of it)
    field:word       title: creator: summary: notes: tag: text: (also field:"phrase")

Anything else is read as words. Mistakes (an unclosed quote, a lone OR, a query
too long) are repaired and reported in `notices`, never raised.
"""

import re
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext as _

MAX_QUERY_CHARS = 1000
MAX_CLAUSES = 32

FIELD_ALIASES = {
    "title": "title",
    "creator": "creator",
    "author": "creator",
    "by": "creator",
    "summary": "summary",
    "notes": "notes",
    "note": "notes",
    "tag": "tags",
    "tags": "tags",
    "text": "text",
    "body": "text",
}

_ITEM = re.compile(
    r"""
    (?P<neg>-)?
    (?:(?P<field>[A-Za-z]+):)?
    (?:"(?P<phrase>[^"]*)(?P<closed>"?) | (?P<word>[^\s"]+))
    """,
    re.VERBOSE,
)


@dataclass
class Term:
    text: str
    field: str | None = None  # None: any field
    phrase: bool = False

    def describe(self) -> str:
        shown = f'"{self.text}"' if self.phrase else self.text
        return f"{self.field}:{shown}" if self.field else shown


@dataclass
class Clause:
    """One or more alternatives (joined by OR); `negated` leaves matching works out."""

    alternatives: list[Term]
    negated: bool = False


@dataclass
class ParsedQuery:
    clauses: list[Clause] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.clauses

    @property
    def positive(self) -> list[Clause]:
        return [c for c in self.clauses if not c.negated]


def parse_query(raw: str) -> ParsedQuery:
    parsed = ParsedQuery()
    notices = parsed.notices
    text = " ".join(raw.replace("\x00", " ").split())
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        notices.append(
            _("The search was cut to its first %(count)s characters.")
            % {"count": number_format(MAX_QUERY_CHARS, force_grouping=True)}
        )
    # Brackets group nothing here; reading them as spaces keeps "(a OR b)" working.
    text = text.replace("(", " ").replace(")", " ")
    pending_or = False
    dropped_or = False
    position = 0
    while position < len(text):
        if text[position] == " ":
            position += 1
            continue
        match = _ITEM.match(text, position)
        if match is None:  # a lone quote mark at the very end
            position += 1
            continue
        position = match.end()
        word = match.group("word")
        phrase = match.group("phrase")
        if word is not None and word in ("OR", "|", "||") and not match.group("neg") and not match.group("field"):
            if parsed.clauses and not parsed.clauses[-1].negated and not pending_or:
                pending_or = True
            else:
                dropped_or = True
            continue
        if word is not None and word in ("AND", "&&") and not match.group("field"):
            continue
        if phrase is not None and not match.group("closed"):
            notices.append(_("A quotation mark was not closed, so the rest of the search was read as one phrase."))
        term_field = None
        name = match.group("field")
        if name is not None:
            term_field = FIELD_ALIASES.get(name.lower())
            if term_field is None:
                # Not a field we know ("re:zero"): the whole thing is an ordinary word.
                if word is not None:
                    word = f"{name}:{word}"
                else:
                    notices.append(_("There is no “%(name)s:” field, so it was searched everywhere.") % {"name": name})
        value = (phrase if phrase is not None else word or "").strip()
        if not value or value == "-":
            if match.group("neg") and not value:
                notices.append(_("A minus sign with nothing after it was ignored."))
            pending_or = False
            continue
        term = Term(text=value, field=term_field, phrase=phrase is not None)
        negated = bool(match.group("neg"))
        if pending_or and not negated:
            parsed.clauses[-1].alternatives.append(term)
        else:
            if pending_or:
                dropped_or = True
            parsed.clauses.append(Clause(alternatives=[term], negated=negated))
        pending_or = False
    if pending_or or dropped_or:
        notices.append("“OR” needs a word on each side; a stray “OR” was ignored.")
    if len(parsed.clauses) > MAX_CLAUSES:
        parsed.clauses = parsed.clauses[:MAX_CLAUSES]
        notices.append(_("Only the first %(count)s words and phrases were searched.") % {"count": MAX_CLAUSES})
    if parsed.clauses and not parsed.positive:
        notices.append(_("The search only leaves works out, so it shows every other work."))
    return parsed
