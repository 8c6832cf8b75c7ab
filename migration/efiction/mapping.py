"""How an eFiction archive's taxonomy becomes tags: proposed by a dry run, edited by the admin, applied.

The mapping is a JSON file (lists of objects the admin edits by hand):

- `ratings`: each eFiction rating and the archive rating it becomes (`as`).
- `categories`: the category tree; each becomes a fandom tag (`tag`), a sub-category
  a sub tag of its parent's fandom (meta/sub wrangling); `as` "ignore" drops it.
- `characters`: character tags, under their category's fandom.
- `class_types`: what each classification type becomes: "warning" (archive
  warnings, matched by name; others become additional tags), "relationship",
  "category" (F/M, M/M…, matched by name), "freeform" or "ignore".
- `classes`: each class's tag name.
- `challenges`: additional tags, until the archive has collections.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from migration.efiction.source import EFictionArchive, plain_text
from migration.models import SourceRecord
from tags.actions import WranglingError, clean_tag_name
from tags.fixed import CATEGORIES, NO_WARNINGS_APPLY, RATINGS, WARNINGS
from tags.models import MetaTagging, Tag, TagParent, TagType, tag_name_key

FORMAT = "fanarchive-efiction-mapping"
VERSION = 1
RATING_NAMES = [name for name, _symbol, _adult in RATINGS]
DEFAULT_RATINGS = {
    "g": "General Audiences",
    "k": "General Audiences",
    "k+": "General Audiences",
    "pg": "General Audiences",
    "all ages": "General Audiences",
    "pg-13": "Teen And Up Audiences",
    "pg13": "Teen And Up Audiences",
    "t": "Teen And Up Audiences",
    "teen": "Teen And Up Audiences",
    "r": "Mature",
    "m": "Mature",
    "mature": "Mature",
    "nc-17": "Explicit",
    "nc17": "Explicit",
    "ma": "Explicit",
    "x": "Explicit",
    "explicit": "Explicit",
    "adult": "Explicit",
}
WARNING_ALIASES = {
    "major character death": "Major Character Death",
    "character death": "Major Character Death",
    "death": "Major Character Death",
    "violence": "Graphic Depictions Of Violence",
    "graphic violence": "Graphic Depictions Of Violence",
    "rape": "Rape/Non-Con",
    "non-con": "Rape/Non-Con",
    "noncon": "Rape/Non-Con",
    "rape/non-con": "Rape/Non-Con",
    "underage": "Underage Sex",
    "underage sex": "Underage Sex",
    "none": NO_WARNINGS_APPLY,
    "no warnings": NO_WARNINGS_APPLY,
}
CATEGORY_ALIASES = {"het": "F/M", "slash": "M/M", "femslash": "F/F", "general": "Gen", "gen": "Gen"}
CLASS_TYPE_CHOICES = ("warning", "relationship", "category", "freeform", "ignore")
CLASS_TYPE_HINTS = {
    "warning": "warning",
    "couple": "relationship",
    "pairing": "relationship",
    "ship": "relationship",
    "relationship": "relationship",
    "romance": "relationship",
    "categor": "category",
}
# What each class type's tags become.
_CLASS_TAG_TYPES = {
    "warning": TagType.WARNING,
    "relationship": TagType.RELATIONSHIP,
    "category": TagType.CATEGORY,
    "freeform": TagType.FREEFORM,
}


class MappingError(Exception):
    """The mapping file can't be used; the message lists every problem."""


def _tag_name(raw: str) -> str:
    name = plain_text(raw)
    # Characters tags can't have are dropped, as the posting form would refuse them.
    name = "".join(c for c in name if c not in "^*<>{}=`\\%,")
    return " ".join(name.split())[:150]


def propose(archive: EFictionArchive) -> dict[str, Any]:
    """The default mapping, for the admin to read and edit."""
    categories = archive.table("categories")
    names: dict[str, int] = {}
    for category in categories:
        key = tag_name_key(_tag_name(category["category"]))
        names[key] = names.get(key, 0) + 1
    by_id = {int(category["catid"]): category for category in categories}

    def category_tag(category: Any) -> str:
        name = _tag_name(category["category"])
        parent = by_id.get(int(category["parentcatid"] or -1))
        if names[tag_name_key(name)] > 1 and parent is not None:
            # Same name under two parents ("General"): tell them apart the AO3 way.
            return f"{name} ({_tag_name(parent['category'])})"
        return name

    class_types: list[dict[str, Any]] = []
    for class_type in archive.table("classtypes"):
        words = f"{class_type['classtype_name']} {class_type['classtype_title']}".casefold()
        kind = next((value for hint, value in CLASS_TYPE_HINTS.items() if hint in words), "freeform")
        class_types.append(
            {
                "id": int(class_type["classtype_id"]),
                "name": plain_text(class_type["classtype_name"]),
                "title": plain_text(class_type["classtype_title"]),
                "as": kind,
            }
        )
    kinds = {entry["id"]: entry["as"] for entry in class_types}
    classes = []
    for item in archive.table("classes"):
        name = _tag_name(item["class_name"])
        kind = kinds.get(int(item["class_type"]), "freeform")
        if kind == "warning":
            name = _known(name, WARNINGS, WARNING_ALIASES)
        elif kind == "category":
            name = _known(name, CATEGORIES, CATEGORY_ALIASES)
        classes.append({"class_id": int(item["class_id"]), "type": int(item["class_type"]), "tag": name})
    return {
        "format": FORMAT,
        "version": VERSION,
        "about": (
            "Proposed by import_efiction --dry-run. Edit 'as' and 'tag' values, then run "
            "import_efiction --mapping with this file. 'as' choices: ratings: "
            + ", ".join(RATING_NAMES)
            + "; categories: fandom, ignore; characters: character, ignore; class_types: "
            + ", ".join(CLASS_TYPE_CHOICES)
            + "; challenges: freeform, ignore. Warning and category classes whose tag is not one of the "
            "archive's become additional tags."
        ),
        "ratings": [
            {
                "rid": int(rating["rid"]),
                "name": plain_text(rating["rating"]),
                "as": DEFAULT_RATINGS.get(plain_text(rating["rating"]).casefold(), "Not Rated"),
            }
            for rating in archive.table("ratings")
        ],
        "categories": [
            {
                "catid": int(category["catid"]),
                "name": plain_text(category["category"]),
                "parent": int(category["parentcatid"]) if int(category["parentcatid"] or -1) in by_id else None,
                "as": "fandom",
                "tag": category_tag(category),
            }
            for category in categories
        ],
        "characters": [
            {
                "charid": int(character["charid"]),
                "name": plain_text(character["charname"]),
                "category": int(character["catid"]) if int(character["catid"] or 0) in by_id else None,
                "as": "character",
                "tag": _tag_name(character["charname"]),
            }
            for character in archive.table("characters")
        ],
        "class_types": class_types,
        "classes": classes,
        "challenges": [
            {"chalid": int(challenge["chalid"]), "as": "freeform", "tag": _tag_name(challenge["title"])}
            for challenge in archive.table("challenges")
        ],
    }


def _known(name: str, names: list[str], aliases: dict[str, str]) -> str:
    folded = name.casefold()
    for known in names:
        if known.casefold() == folded:
            return known
    return aliases.get(folded, name)


def write(mapping: dict[str, Any], path: Path) -> None:
    path.write_text(json.dumps(mapping, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def read(path: Path) -> dict[str, Any]:
    """The edited mapping, checked; a MappingError lists every problem."""
    try:
        mapping = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise MappingError(f"{path}: {error}") from error
    problems = []
    if not isinstance(mapping, dict) or mapping.get("format") != FORMAT:
        raise MappingError(f"{path} is not an eFiction mapping (format {FORMAT!r})")
    if mapping.get("version") != VERSION:
        problems.append(f"version {mapping.get('version')!r} is not {VERSION}")
    allowed = {
        "ratings": RATING_NAMES,
        "categories": ["fandom", "ignore"],
        "characters": ["character", "ignore"],
        "class_types": list(CLASS_TYPE_CHOICES),
        "challenges": ["freeform", "ignore"],
    }
    for section, choices in allowed.items():
        for entry in mapping.get(section, []):
            if entry.get("as") not in choices:
                problems.append(f"{section}: {entry!r}: 'as' must be one of {', '.join(choices)}")
    for section in ("categories", "characters", "classes", "challenges"):
        for entry in mapping.get(section, []):
            if entry.get("as", "") == "ignore":
                continue
            try:
                entry["tag"] = clean_tag_name(str(entry.get("tag", "")))
            except WranglingError as error:
                problems.append(f"{section}: {entry!r}: {error.message}")
    if problems:
        raise MappingError("\n".join(problems))
    return dict(mapping)


@dataclass
class TagPlan:
    """What each eFiction taxonomy id means for a story: tag names by kind, and what was left out."""

    rating: dict[int, str] = field(default_factory=dict)
    fandoms: dict[int, str] = field(default_factory=dict)
    characters: dict[int, str] = field(default_factory=dict)
    # class id -> (field of the posting form, tag name)
    classes: dict[int, tuple[str, str]] = field(default_factory=dict)
    challenges: dict[int, str] = field(default_factory=dict)
    tags_created: int = 0
    conflicts: list[str] = field(default_factory=list)


_FIELDS = {
    TagType.WARNING: "warnings",
    TagType.CATEGORY: "categories",
    TagType.FANDOM: "fandoms",
    TagType.RELATIONSHIP: "relationships",
    TagType.CHARACTER: "characters",
    TagType.FREEFORM: "freeforms",
}


def _class_tag_type(kind: str, name: str) -> TagType:
    tag_type = _CLASS_TAG_TYPES[kind]
    if (tag_type == TagType.WARNING and name not in WARNINGS) or (
        tag_type == TagType.CATEGORY and name not in CATEGORIES
    ):
        return TagType.FREEFORM  # not one of the archive's fixed tags: said as an additional tag
    return tag_type


def preview(mapping: dict[str, Any]) -> TagPlan:
    """The tag names stories would get, without creating tags (for the dry run)."""
    kinds = {int(entry["id"]): entry["as"] for entry in mapping.get("class_types", [])}
    plan = TagPlan(
        rating={int(entry["rid"]): entry["as"] for entry in mapping.get("ratings", [])},
        fandoms={int(e["catid"]): e["tag"] for e in mapping.get("categories", []) if e["as"] == "fandom"},
        characters={int(e["charid"]): e["tag"] for e in mapping.get("characters", []) if e["as"] == "character"},
        challenges={int(e["chalid"]): e["tag"] for e in mapping.get("challenges", []) if e["as"] == "freeform"},
    )
    for entry in mapping.get("classes", []):
        kind = kinds.get(int(entry["type"]), "freeform")
        if kind == "ignore":
            continue
        tag_type = _class_tag_type(kind, entry["tag"])
        plan.classes[int(entry["class_id"])] = (_FIELDS[tag_type], entry["tag"])
    return plan


@transaction.atomic
def apply(mapping: dict[str, Any], source: str) -> TagPlan:
    """Create the mapped tags (canonical, with their meta/sub and fandom links) and record the old ids."""
    plan = TagPlan(rating={int(entry["rid"]): entry["as"] for entry in mapping.get("ratings", [])})
    fandom_tags: dict[int, Tag] = {}

    def tag_for(name: str, tag_type: TagType, kind: str, source_id: int) -> Tag | None:
        tag = Tag.objects.filter(name_key=tag_name_key(name)).first()
        if tag is None:
            if tag_type not in (TagType.FANDOM, TagType.CHARACTER, TagType.RELATIONSHIP, TagType.FREEFORM):
                plan.conflicts.append(f"{kind} {source_id}: “{name}” is not one of the archive's {tag_type} tags")
                return None
            tag = Tag.objects.create(name=name, type=tag_type, canonical=True)
            plan.tags_created += 1
        elif tag.type != tag_type:
            plan.conflicts.append(f"{kind} {source_id}: “{name}” is already a {tag.type} tag here: left out")
            return None
        SourceRecord.objects.update_or_create(
            source=source, kind=kind, source_id=source_id, defaults={"target_id": tag.pk}
        )
        return tag

    categories = mapping.get("categories", [])
    for entry in categories:
        if entry["as"] == "fandom":
            tag = tag_for(entry["tag"], TagType.FANDOM, SourceRecord.Kind.CATEGORY, int(entry["catid"]))
            if tag is not None:
                fandom_tags[int(entry["catid"])] = tag
                plan.fandoms[int(entry["catid"])] = tag.name
    for entry in categories:
        sub, meta = fandom_tags.get(int(entry["catid"])), fandom_tags.get(int(entry.get("parent") or 0))
        if sub is not None and meta is not None and sub.pk != meta.pk:
            MetaTagging.objects.get_or_create(meta_tag=meta, sub_tag=sub)
    for entry in mapping.get("characters", []):
        if entry["as"] != "character":
            continue
        tag = tag_for(entry["tag"], TagType.CHARACTER, SourceRecord.Kind.CHARACTER, int(entry["charid"]))
        if tag is None:
            continue
        plan.characters[int(entry["charid"])] = tag.name
        fandom = fandom_tags.get(int(entry.get("category") or 0))
        if fandom is not None:
            TagParent.objects.get_or_create(child=tag, parent=fandom)
    kinds = {int(entry["id"]): entry["as"] for entry in mapping.get("class_types", [])}
    for entry in mapping.get("classes", []):
        kind = kinds.get(int(entry["type"]), "freeform")
        if kind == "ignore":
            continue
        name = entry["tag"]
        tag_type = _class_tag_type(kind, name)
        tag = tag_for(name, tag_type, SourceRecord.Kind.CLASS, int(entry["class_id"]))
        if tag is not None:
            plan.classes[int(entry["class_id"])] = (_FIELDS[tag_type], tag.name)
    for entry in mapping.get("challenges", []):
        if entry["as"] == "freeform":
            tag = tag_for(entry["tag"], TagType.FREEFORM, SourceRecord.Kind.CHALLENGE, int(entry["chalid"]))
            if tag is not None:
                plan.challenges[int(entry["chalid"])] = tag.name
    return plan
