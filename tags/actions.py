"""Writes to tags: creating tags as works use them, and tag wrangling.

Every wrangling verb runs in one transaction, writes a WranglingLog row, and
queues a background filter refresh (works.filters) for every tag whose filter
meaning changed. They refuse invalid changes with a WranglingError whose
message is shown to the wrangler. Every verb checks that the actor may wrangle
every tag it touches (tags.hooks.may_wrangle, answered by wrangling.permissions); the
verbs also enforce the staff-only operations.
"""

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext, gettext_lazy, ngettext

from accounts.models import User
from tags import hooks
from tags.models import (
    USER_DEFINED_TYPES,
    MetaTagging,
    Tag,
    TagParent,
    TagType,
    WranglerAssignment,
    WranglingLog,
    tag_name_key,
)
from tags.parsing import FORBIDDEN_CHARACTERS, TAG_NAME_MAX, describe_type, split_tag_names


class TagTypeConflict(Exception):
    """A tag name is taken by a tag of another type (names are unique across types)."""


def find_or_create_tags(names: list[str], tag_type: TagType) -> list[Tag]:
    """The tags with these names, creating the missing ones (users create tags by using them)."""
    tags = []
    for name in names:
        tag = Tag.objects.filter(name_key=tag_name_key(name), type=tag_type).first()
        if tag is None:
            try:
                with transaction.atomic():
                    tag = Tag.objects.create(name=name, type=tag_type)
            except IntegrityError:
                # Someone created it between our look-up and insert, maybe as another type.
                tag = Tag.objects.get(name_key=tag_name_key(name))
                if tag.type != tag_type:
                    raise TagTypeConflict(
                        gettext(
                            "“%(tag_name)s” was just created as %(existing_kind)s, so it can't be used as "
                            "%(wanted_kind)s."
                        )
                        % {
                            "tag_name": tag.name,
                            "existing_kind": describe_type(TagType(tag.type)),
                            "wanted_kind": describe_type(tag_type),
                        }
                    ) from None
        tags.append(tag)
    return tags


# Tag wrangling


class WranglingError(Exception):
    """A wrangling change was refused; the message says why, for the wrangler to read."""

    @property
    def message(self) -> str:
        return str(self.args[0])


# child type -> the types its parents may have (AO3's CommonTagging rules).
PARENT_TYPES: dict[str, tuple[TagType, ...]] = {
    TagType.FANDOM: (TagType.MEDIA,),
    TagType.CHARACTER: (TagType.FANDOM,),
    TagType.RELATIONSHIP: (TagType.FANDOM, TagType.CHARACTER),
    TagType.FREEFORM: (TagType.FANDOM,),
}


def _type_label(tag: Tag) -> str:
    return describe_type(TagType(tag.type))


def _lock(*tags: Tag) -> None:
    """Reload these tags under a row lock, so every check sees what other wranglers committed."""
    for tag in sorted(tags, key=lambda t: t.pk):
        tag.refresh_from_db(from_queryset=Tag.objects.select_for_update())


def _log(actor: User, tag: Tag | None, action: str, detail: str) -> None:
    WranglingLog.objects.create(actor=actor, tag=tag, tag_name=tag.name if tag else "", action=action, detail=detail)


def _require_wrangleable(*tags: Tag) -> None:
    for tag in tags:
        if tag.type not in USER_DEFINED_TYPES:
            raise WranglingError(
                gettext("“%(tag_name)s” is %(tag_kind)s: fixed tags can't be wrangled.")
                % {"tag_name": tag.name, "tag_kind": _type_label(tag)}
            )


def _require_scope(actor: User, *tags: Tag) -> None:
    """Every tag an action touches must be one this wrangler may wrangle (wrangling.permissions), or
    a wrangler of one fandom could rewire another through a target, meta or parent tag.
    Fixed tags (a fandom's media) are refused, or allowed as parents, by each verb's own rules."""
    refused = [tag for tag in tags if tag.type in USER_DEFINED_TYPES and not hooks.may_wrangle(actor, tag)]
    if refused:
        raise WranglingError(
            gettext("You can't wrangle %(names)s: they are outside your fandoms.") % {"names": _names(refused)}
        )


def _require_canonical(tag: Tag, role: str) -> None:
    if not tag.canonical:
        raise WranglingError(
            gettext("“%(tag_name)s” is not canonical, so it can't be %(role)s.") % {"tag_name": tag.name, "role": role}
        )


def _names(tags: Iterable[Tag]) -> str:
    return ", ".join(f"“{tag.name}”" for tag in tags)


def meta_ancestor_ids(tag_id: int) -> set[int]:
    """Every meta tag above this tag, following meta links transitively."""
    seen: set[int] = set()
    frontier = {tag_id}
    while frontier:
        metas = set(MetaTagging.objects.filter(sub_tag_id__in=frontier).values_list("meta_tag_id", flat=True))
        frontier = metas - seen
        seen |= metas
    return seen


@transaction.atomic
def make_canonical(actor: User, tag: Tag) -> None:
    _lock(tag)
    _require_wrangleable(tag)
    _require_scope(actor, tag)
    if tag.canonical:
        raise WranglingError(gettext("“%(tag_name)s” is already canonical.") % {"tag_name": tag.name})
    if tag.merger_id is not None:
        raise WranglingError(
            gettext("“%(tag_name)s” is a synonym of “%(merger)s”: remove it as a synonym before making it canonical.")
            % {"tag_name": tag.name, "merger": tag.merger}
        )
    if tag.unwrangleable:
        raise WranglingError(
            gettext("“%(tag_name)s” is marked unwrangleable: unmark it before making it canonical.")
            % {"tag_name": tag.name}
        )
    tag.canonical = True
    tag.save(update_fields=["canonical"])
    _log(actor, tag, "make_canonical", f"Made “{tag.name}” canonical.")
    # A non-canonical tag has no synonyms or meta links (the verbs refuse them), so its
    # works' filters do not change; only a tag given synonyms by other means needs a refresh.
    if tag.synonyms.exists():
        hooks.wrangled([tag.pk])


@transaction.atomic
def make_not_canonical(actor: User, tag: Tag) -> None:
    _lock(tag)
    _require_wrangleable(tag)
    _require_scope(actor, tag)
    if not tag.canonical:
        raise WranglingError(gettext("“%(tag_name)s” is not canonical.") % {"tag_name": tag.name})
    problems = []
    synonyms = list(tag.synonyms.order_by("name"))
    if synonyms:
        problems.append(gettext("its synonyms (%(names)s)") % {"names": _names(synonyms)})
    metas = list(Tag.objects.filter(sub_links__sub_tag=tag).order_by("name"))
    if metas:
        problems.append(gettext("its meta tags (%(names)s)") % {"names": _names(metas)})
    subs = list(Tag.objects.filter(meta_links__meta_tag=tag).order_by("name"))
    if subs:
        problems.append(gettext("its sub tags (%(names)s)") % {"names": _names(subs)})
    children = tag.child_links.count()
    if children:
        problems.append(
            ngettext("the %(count)s tag it is the parent of", "the %(count)s tags it is the parent of", children)
            % {"count": children}
        )
    if problems:
        raise WranglingError(
            gettext("“%(tag_name)s” can't stop being canonical while it has %(problems)s: remove those first.")
            % {"tag_name": tag.name, "problems": gettext(" and ").join(problems)}
        )
    tag.canonical = False
    tag.save(update_fields=["canonical"])
    _log(actor, tag, "make_not_canonical", f"Made “{tag.name}” not canonical.")


def _check_meta_link(sub: Tag, meta: Tag) -> None:
    if sub.pk == meta.pk:
        raise WranglingError(gettext("“%(sub_name)s” can't be its own meta tag.") % {"sub_name": sub.name})
    if sub.pk in meta_ancestor_ids(meta.pk):
        raise WranglingError(
            gettext("“%(meta_name)s” is already a sub tag of “%(sub_name)s”, so it can't also be its meta tag.")
            % {"meta_name": meta.name, "sub_name": sub.name}
        )


def _move_associations(old: Tag, new: Tag) -> tuple[list[str], set[int]]:
    """Move a canonical tag's synonyms, meta/sub links, child tags and wrangler assignments
    to the tag it is being merged into, as AO3 does. Returns what moved and the tags touched."""
    moved: list[str] = []
    touched: set[int] = set()
    synonyms = list(old.synonyms.exclude(pk=new.pk))
    if synonyms:
        Tag.objects.filter(pk__in=[s.pk for s in synonyms]).update(merger=new)
        moved.append(f"synonyms {_names(synonyms)}")
        touched |= {s.pk for s in synonyms}
    for link in MetaTagging.objects.filter(meta_tag=old).select_related("sub_tag"):
        sub = link.sub_tag
        link.delete()
        touched.add(sub.pk)
        if sub.pk != new.pk and not MetaTagging.objects.filter(meta_tag=new, sub_tag=sub).exists():
            _check_meta_link(sub, new)
            MetaTagging.objects.create(meta_tag=new, sub_tag=sub)
            moved.append(f"sub tag “{sub.name}”")
    for link in MetaTagging.objects.filter(sub_tag=old).select_related("meta_tag"):
        meta = link.meta_tag
        link.delete()
        touched.add(meta.pk)
        if meta.pk != new.pk and not MetaTagging.objects.filter(meta_tag=meta, sub_tag=new).exists():
            _check_meta_link(new, meta)
            MetaTagging.objects.create(meta_tag=meta, sub_tag=new)
            moved.append(f"meta tag “{meta.name}”")
    for parent_link in TagParent.objects.filter(parent=old).select_related("child"):
        child = parent_link.child
        parent_link.delete()
        if child.pk != new.pk and not TagParent.objects.filter(child=child, parent=new).exists():
            TagParent.objects.create(child=child, parent=new)
            moved.append(f"child tag “{child.name}”")
    for assignment in WranglerAssignment.objects.filter(fandom=old):
        if WranglerAssignment.objects.filter(user_id=assignment.user_id, fandom=new).exists():
            assignment.delete()
        else:
            assignment.fandom = new
            assignment.save(update_fields=["fandom"])
        moved.append("a wrangler assignment")
    return moved, touched


def _copy_parents(tag: Tag, canonical: Tag) -> list[str]:
    """As AO3: a synonym's parent tags (its fandoms, characters) also become its canonical tag's."""
    copied = []
    for parent in Tag.objects.filter(child_links__child=tag).exclude(pk=canonical.pk):
        if not TagParent.objects.filter(child=canonical, parent=parent).exists():
            TagParent.objects.create(child=canonical, parent=parent)
            copied.append(f"parent “{parent.name}”")
    return copied


@transaction.atomic
def make_synonym(actor: User, tag: Tag, canonical: Tag) -> None:
    """Merge `tag` into `canonical`: filtering by the canonical tag then finds the tag's works."""
    _lock(tag, canonical)
    _require_wrangleable(tag, canonical)
    _require_scope(actor, tag, canonical)
    if tag.pk == canonical.pk:
        raise WranglingError(gettext("“%(tag_name)s” can't be a synonym of itself.") % {"tag_name": tag.name})
    if tag.type != canonical.type:
        raise WranglingError(
            gettext(
                "“%(tag_name)s” is %(tag_kind)s and “%(canonical_name)s” is "
                "%(canonical_kind)s: synonyms must be tags of the same type."
            )
            % {
                "tag_name": tag.name,
                "tag_kind": _type_label(tag),
                "canonical_name": canonical.name,
                "canonical_kind": _type_label(canonical),
            }
        )
    if not canonical.canonical:
        raise WranglingError(
            gettext("“%(canonical_name)s” is not canonical: a tag can only be a synonym of a canonical tag.")
            % {"canonical_name": canonical.name}
        )
    if canonical.merger_id is not None:
        raise WranglingError(
            gettext("“%(canonical_name)s” is itself a synonym of “%(merger)s”.")
            % {"canonical_name": canonical.name, "merger": canonical.merger}
        )
    if tag.merger_id == canonical.pk:
        raise WranglingError(
            gettext("“%(tag_name)s” is already a synonym of “%(canonical_name)s”.")
            % {"tag_name": tag.name, "canonical_name": canonical.name}
        )
    if tag.unwrangleable:
        raise WranglingError(
            gettext("“%(tag_name)s” is marked unwrangleable: unmark it before making it a synonym.")
            % {"tag_name": tag.name}
        )
    old_merger = tag.merger
    touched = {tag.pk, canonical.pk} | ({old_merger.pk} if old_merger else set())
    moved: list[str] = []
    if tag.canonical:
        if not actor.is_staff:
            raise WranglingError(
                gettext("“%(tag_name)s” is canonical: only archive staff can make a canonical tag a synonym.")
                % {"tag_name": tag.name}
            )
        touched |= meta_ancestor_ids(tag.pk)
        moved, also_touched = _move_associations(tag, canonical)
        touched |= also_touched
        tag.canonical = False
    elif tag.synonyms.exists():
        raise WranglingError(
            gettext("“%(tag_name)s” has synonyms of its own; synonyms can't be chained.") % {"tag_name": tag.name}
        )
    moved += _copy_parents(tag, canonical)
    tag.merger = canonical
    tag.save(update_fields=["merger", "canonical"])
    detail = f"Made “{tag.name}” a synonym of “{canonical.name}”"
    if old_merger:
        detail += f" (was a synonym of “{old_merger.name}”)"
    if moved:
        detail += f"; moved to “{canonical.name}”: {', '.join(moved)}"
    _log(actor, tag, "make_synonym", detail + ".")
    hooks.wrangled(touched)


@transaction.atomic
def remove_synonym(actor: User, tag: Tag) -> None:
    _lock(tag)
    _require_scope(actor, tag)
    merger = tag.merger
    if merger is None:
        raise WranglingError(gettext("“%(tag_name)s” is not a synonym of any tag.") % {"tag_name": tag.name})
    tag.merger = None
    tag.save(update_fields=["merger"])
    _log(actor, tag, "remove_synonym", f"“{tag.name}” is no longer a synonym of “{merger.name}”.")
    hooks.wrangled([tag.pk, merger.pk])


@transaction.atomic
def add_meta_tag(actor: User, sub: Tag, meta: Tag) -> None:
    """Make `meta` a meta tag of `sub`: filtering by the meta tag then also finds the sub tag's works."""
    _lock(sub, meta)
    _require_wrangleable(sub, meta)
    _require_scope(actor, sub, meta)
    if sub.type != meta.type:
        raise WranglingError(
            gettext(
                "“%(meta_name)s” is %(meta_kind)s and “%(sub_name)s” is "
                "%(sub_kind)s: meta and sub tags must be of the same type."
            )
            % {
                "meta_name": meta.name,
                "meta_kind": _type_label(meta),
                "sub_name": sub.name,
                "sub_kind": _type_label(sub),
            }
        )
    _require_canonical(sub, gettext("a sub tag"))
    _require_canonical(meta, gettext("a meta tag"))
    if MetaTagging.objects.filter(meta_tag=meta, sub_tag=sub).exists():
        raise WranglingError(
            gettext("“%(meta_name)s” is already a meta tag of “%(sub_name)s”.")
            % {"meta_name": meta.name, "sub_name": sub.name}
        )
    _check_meta_link(sub, meta)
    MetaTagging.objects.create(meta_tag=meta, sub_tag=sub)
    _log(actor, sub, "add_meta_tag", f"Made “{meta.name}” a meta tag of “{sub.name}”.")
    hooks.wrangled([sub.pk, meta.pk])


@transaction.atomic
def remove_meta_tag(actor: User, sub: Tag, meta: Tag) -> None:
    _lock(sub, meta)
    _require_scope(actor, sub, meta)
    deleted, _by_model = MetaTagging.objects.filter(meta_tag=meta, sub_tag=sub).delete()
    if not deleted:
        raise WranglingError(
            gettext("“%(meta_name)s” is not a meta tag of “%(sub_name)s”.")
            % {"meta_name": meta.name, "sub_name": sub.name}
        )
    _log(actor, sub, "remove_meta_tag", f"“{meta.name}” is no longer a meta tag of “{sub.name}”.")
    # The meta tag and its ancestors lose the sub tag's works (found through their filter rows).
    hooks.wrangled([sub.pk, meta.pk])


@transaction.atomic
def add_parent(actor: User, child: Tag, parent: Tag) -> None:
    """Link a fandom to its media, or a character, relationship or additional tag to its
    fandom, or a relationship to its characters. Parent links don't change filters."""
    _lock(child, parent)
    _require_scope(actor, child, parent)
    allowed = PARENT_TYPES.get(child.type, ())
    if parent.type not in allowed:
        if allowed:
            kinds = gettext(" or ").join(describe_type(t) for t in allowed)
            reason = gettext("the parent of %(child)s must be %(kinds)s") % {
                "child": _type_label(child),
                "kinds": kinds,
            }
        else:
            reason = gettext("%(child_kind)s has no parent tags") % {"child_kind": _type_label(child)}
        raise WranglingError(
            gettext("“%(parent_name)s” can't be a parent of “%(child_name)s”: %(reason)s.")
            % {"parent_name": parent.name, "child_name": child.name, "reason": reason}
        )
    _require_canonical(parent, gettext("a parent tag"))
    if TagParent.objects.filter(child=child, parent=parent).exists():
        raise WranglingError(
            gettext("“%(parent_name)s” is already a parent of “%(child_name)s”.")
            % {"parent_name": parent.name, "child_name": child.name}
        )
    TagParent.objects.create(child=child, parent=parent)
    _log(
        actor,
        child,
        "add_parent",
        f"Added “{parent.name}” ({parent.get_type_display()}) as a parent of “{child.name}”.",
    )


@transaction.atomic
def remove_parent(actor: User, child: Tag, parent: Tag) -> None:
    _lock(child, parent)
    _require_scope(actor, child, parent)
    deleted, _by_model = TagParent.objects.filter(child=child, parent=parent).delete()
    if not deleted:
        raise WranglingError(
            gettext("“%(parent_name)s” is not a parent of “%(child_name)s”.")
            % {"parent_name": parent.name, "child_name": child.name}
        )
    _log(actor, child, "remove_parent", f"Removed “{parent.name}” as a parent of “{child.name}”.")


@transaction.atomic
def set_unwrangleable(actor: User, tag: Tag, unwrangleable: bool) -> None:
    """As AO3: only additional tags can be kept out of wrangling, and never canonical tags or synonyms."""
    _require_scope(actor, tag)
    _lock(tag)
    if tag.type != TagType.FREEFORM:
        raise WranglingError(
            gettext("“%(tag_name)s” is %(tag_kind)s: only Additional Tags can be unwrangleable.")
            % {"tag_name": tag.name, "tag_kind": _type_label(tag)}
        )
    if tag.unwrangleable == unwrangleable:
        if unwrangleable:
            raise WranglingError(gettext("“%(tag_name)s” is already marked unwrangleable.") % {"tag_name": tag.name})
        raise WranglingError(gettext("“%(tag_name)s” is not marked unwrangleable.") % {"tag_name": tag.name})
    if unwrangleable and tag.canonical:
        raise WranglingError(
            gettext("“%(tag_name)s” is canonical, so it can't be unwrangleable.") % {"tag_name": tag.name}
        )
    if unwrangleable and tag.merger_id is not None:
        raise WranglingError(
            gettext("“%(tag_name)s” is a synonym of “%(merger)s”, so it can't be unwrangleable.")
            % {"tag_name": tag.name, "merger": tag.merger}
        )
    tag.unwrangleable = unwrangleable
    tag.save(update_fields=["unwrangleable"])
    verb = "Marked" if unwrangleable else "Unmarked"
    _log(actor, tag, "set_unwrangleable", f"{verb} “{tag.name}” as unwrangleable.")


def _fold(name: str) -> str:
    """The name with case and accents ignored: what a wrangler's rename must keep."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def clean_tag_name(raw: str) -> str:
    """A new tag name, tidied as the posting form tidies names, or a WranglingError."""
    names = split_tag_names(raw)
    if len(names) != 1:
        raise WranglingError(gettext("A tag name can't be empty or contain commas."))
    name = names[0]
    if len(name) > TAG_NAME_MAX:
        raise WranglingError(gettext("Tag names can be at most %(maximum)s characters.") % {"maximum": TAG_NAME_MAX})
    bad = sorted(FORBIDDEN_CHARACTERS.intersection(name))
    if bad:
        raise WranglingError(
            gettext("“%(name)s” contains characters tags can't have: %(characters)s")
            % {"name": name, "characters": " ".join(bad)}
        )
    return name


@transaction.atomic
def rename_tag(actor: User, tag: Tag, new_name: str) -> None:
    """Wranglers may change only case and accents (as AO3); staff may rename freely."""
    _lock(tag)
    _require_wrangleable(tag)
    _require_scope(actor, tag)
    name = clean_tag_name(new_name)
    old = tag.name
    if name == old:
        raise WranglingError(gettext("“%(old)s” already has that name.") % {"old": old})
    if not actor.is_staff and _fold(name) != _fold(old):
        raise WranglingError(
            gettext(
                "Wranglers can only change the capitalisation and accents of a tag's name; ask "
                "archive staff for other changes, or make this tag a synonym of another."
            )
        )
    taken = Tag.objects.filter(name_key=tag_name_key(name)).exclude(pk=tag.pk).first()
    if taken is not None:
        raise WranglingError(
            gettext("“%(taken_name)s” already exists (%(taken_kind)s): make this tag its synonym instead.")
            % {"taken_name": taken.name, "taken_kind": _type_label(taken)}
        )
    tag.name = name
    try:
        with transaction.atomic():
            tag.save(update_fields=["name"])
    except IntegrityError:
        tag.name = old
        raise WranglingError(
            gettext("A tag named “%(name)s” was just created: make this tag its synonym instead.") % {"name": name}
        ) from None
    _log(actor, tag, "rename", f"Renamed “{old}” to “{name}”.")
    # Search documents hold tag names: the works using it are rewritten in the background.
    hooks.wrangled([tag.pk])


# Many changes at once (the dashboard's bulk form and the tag edit page)


class WranglingErrors(Exception):
    """Several refusals; nothing was changed. `errors` maps a form field ("" for none) to messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(m for messages in errors.values() for m in messages))
        self.errors = errors


BULK_ACTIONS = {
    "make_canonical": gettext_lazy("Make canonical"),
    "make_synonym": gettext_lazy("Make synonym of"),
    "add_parent": gettext_lazy("Add parent fandom (media for fandoms)"),
    "add_meta_tag": gettext_lazy("Add meta tag"),
    "mark_unwrangleable": gettext_lazy("Mark unwrangleable"),
}
# Bulk actions that need a target tag.
TARGETED_ACTIONS = {"make_synonym", "add_parent", "add_meta_tag"}


@transaction.atomic
def bulk_wrangle(actor: User, tags: Sequence[Tag], action: str, target: Tag | None) -> None:
    """Apply one action to several tags: all of them, or (WranglingErrors) none."""
    errors: list[str] = []
    for tag in tags:
        try:
            if action == "make_canonical":
                make_canonical(actor, tag)
            elif action == "mark_unwrangleable":
                set_unwrangleable(actor, tag, True)
            elif target is None:
                raise WranglingError(gettext("Choose a target tag for this action."))
            elif action == "make_synonym":
                make_synonym(actor, tag, target)
            elif action == "add_parent":
                add_parent(actor, tag, target)
            elif action == "add_meta_tag":
                add_meta_tag(actor, tag, target)
            else:
                raise WranglingError(gettext("Unknown action %(action)s.") % {"action": repr(action)})
        except WranglingError as error:
            # Each verb ran in its own savepoint, so the failed one left nothing behind;
            # carry on to report every refusal, then undo the others.
            errors.append(error.message)
    if errors:
        raise WranglingErrors({"": errors})


@dataclass
class TagEdit:
    """The changes asked for on a tag's edit page. Names are as typed; tags are looked up here."""

    name: str
    canonical: bool
    unwrangleable: bool
    synonym_of: str
    add_synonyms: list[str] = field(default_factory=list)
    remove_synonyms: list[Tag] = field(default_factory=list)
    add_meta_tags: list[str] = field(default_factory=list)
    remove_meta_tags: list[Tag] = field(default_factory=list)
    add_sub_tags: list[str] = field(default_factory=list)
    remove_sub_tags: list[Tag] = field(default_factory=list)
    # Parent names by form field ("add_fandoms", "add_characters", "add_media").
    add_parents: dict[str, list[str]] = field(default_factory=dict)
    remove_parents: list[Tag] = field(default_factory=list)


def _find(name: str) -> Tag:
    tag = Tag.objects.filter(name_key=tag_name_key(name)).first()
    if tag is None:
        raise WranglingError(gettext("There is no tag named “%(name)s”.") % {"name": name})
    return tag


@transaction.atomic
def edit_tag(actor: User, tag: Tag, edit: TagEdit) -> int:
    """Apply a tag edit page's changes: all of them, or (WranglingErrors, by field) none.

    Removals come first and additions last, so a tag can stop being canonical once its
    links are removed, and become canonical before it is given meta or sub tags.
    Returns how many changes were made.
    """
    errors: dict[str, list[str]] = {}
    changes = 0

    def attempt(field_name: str, change: Callable[..., None], *args: Any) -> None:
        nonlocal changes
        try:
            change(actor, *args)
            changes += 1
        except WranglingError as error:
            errors.setdefault(field_name, []).append(error.message)

    def find_then(change: Callable[..., None], name: str, *, tag_first: bool) -> Callable[..., None]:
        """`change` with the tag named `name` (looked up when it runs, so a missing one is a field error)."""

        def run(actor: User) -> None:
            other = _find(name)
            change(actor, *((tag, other) if tag_first else (other, tag)))

        return run

    if edit.name != tag.name:
        attempt("name", rename_tag, tag, edit.name)
    for synonym in edit.remove_synonyms:
        attempt("remove_synonyms", remove_synonym, synonym)
    for meta in edit.remove_meta_tags:
        attempt("remove_meta_tags", remove_meta_tag, tag, meta)
    for sub in edit.remove_sub_tags:
        attempt("remove_sub_tags", remove_meta_tag, sub, tag)
    for parent in edit.remove_parents:
        attempt("remove_parents", remove_parent, tag, parent)
    current_merger = tag.merger.name if tag.merger else ""
    if tag_name_key(edit.synonym_of) != tag_name_key(current_merger):
        if edit.synonym_of:
            attempt("synonym_of", find_then(make_synonym, edit.synonym_of, tag_first=True))
        else:
            attempt("synonym_of", remove_synonym, tag)
    tag.refresh_from_db()
    # Unmark unwrangleable before making canonical; stop being canonical before marking it.
    if tag.unwrangleable and not edit.unwrangleable:
        attempt("unwrangleable", set_unwrangleable, tag, False)
    if edit.canonical != tag.canonical:
        attempt("canonical", make_canonical if edit.canonical else make_not_canonical, tag)
    if edit.unwrangleable and not tag.unwrangleable:
        attempt("unwrangleable", set_unwrangleable, tag, True)
    for name in edit.add_synonyms:
        attempt("add_synonyms", find_then(make_synonym, name, tag_first=False))
    for name in edit.add_meta_tags:
        attempt("add_meta_tags", find_then(add_meta_tag, name, tag_first=True))
    for name in edit.add_sub_tags:
        attempt("add_sub_tags", find_then(add_meta_tag, name, tag_first=False))
    for field_name, names in edit.add_parents.items():
        for name in names:
            attempt(field_name, find_then(add_parent, name, tag_first=True))
    if errors:
        raise WranglingErrors(errors)
    return changes
