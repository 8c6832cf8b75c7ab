"""Validating feeds the way the issue asks: RELAX NG (RFC 4287's schema, OPDS's) with lxml, then feedparser."""

from functools import cache
from pathlib import Path
from typing import Any

import feedparser
from lxml import etree

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"


@cache
def schema(name: str) -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(SCHEMAS / name)))


def validated(body: bytes, schema_name: str = "atom.rng") -> Any:
    """The feed parsed by feedparser, after checking it against the schema (failing with the schema's reasons)."""
    document = etree.fromstring(body)
    relaxng = schema(schema_name)
    if not relaxng.validate(document):
        raise AssertionError(f"{schema_name}: {relaxng.error_log}")
    parsed = feedparser.parse(body)
    assert not parsed.bozo, parsed.bozo_exception
    return parsed
