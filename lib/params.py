"""Ids from forms and query strings, bounded: a word, a negative number or a value past the
largest id a database stores (2⁶³ − 1) is "no such thing", never an exception in a query.

Listing and search parameters have their own readers (works.filter_form, search.query).
"""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model

# The largest value of a BigAutoField on PostgreSQL and of an INTEGER on SQLite.
MAX_ID = 2**63 - 1


def parse_id(raw: object) -> int | None:
    """The id `raw` spells in ASCII digits, from 1 to MAX_ID; None for anything else."""
    text = str(raw).strip() if raw is not None else ""
    if not text.isascii() or not text.isdigit() or len(text) > len(str(MAX_ID)):
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ID else None


def parse_ids(raws: Iterable[object]) -> list[int]:
    """The valid ids among `raws` (see parse_id), in order; the others are left out."""
    return [value for value in (parse_id(raw) for raw in raws) if value is not None]


class IdChoiceField(forms.ModelChoiceField[Any]):
    """A ModelChoiceField whose submitted id is bounded before it reaches the database."""

    def to_python(self, value: Any) -> Model | None:
        if value in self.empty_values or isinstance(value, Model):
            return super().to_python(value)
        if parse_id(value) is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField[Any]):
    """A ModelMultipleChoiceField whose submitted ids are bounded before they reach the database."""

    def _check_values(self, value: Any) -> Any:
        for pk in value:
            if not isinstance(pk, Model) and parse_id(pk) is None:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": str(pk)[:40]}
                )
        return super()._check_values(value)  # type: ignore[misc]  # private in django-stubs, public in Django
