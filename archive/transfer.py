"""Writing the whole archive out (export) and reading it into an empty database (load).

Both stream: rows are read and written in primary-key batches, so memory stays
bounded whatever the archive's size. An export is deterministic (same data,
same bytes, on SQLite or PostgreSQL), which is what the round-trip test checks.
"""

import hashlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder

from accounts.export import EXPORT_JOB
from accounts.models import DataExport, User
from archive.format import (
    FORMAT,
    KINDS,
    PASSWORD_FIELD,
    PERMISSION,
    VERSION,
    Kind,
    columns,
    current_permission_key,
    to_json,
)
from jobs.queue import enqueue
from search.indexer import rebuild
from sitecontent.config import forget_pages, forget_settings
from sitecontent.models import SiteSettings
from tags.models import Tag
from works.filters import TagGraph, compute_filters
from works.models import FilterTagging, Tagging, Work

BATCH = 2000
# Chapters can be 500,000 characters each: fewer per batch keeps memory bounded.
SMALL_BATCH = {"chapters": 100}
Progress = Callable[[str, int], None]


class ArchiveError(Exception):
    """The export can't be read or loaded here; the message says why."""


def _schema() -> dict[str, str]:
    """The last migration applied per app: what the export's columns correspond to."""
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


def _field_names(kind: Kind, *, passwords: bool) -> list[str]:
    names = [field.attname for field in columns(kind.model_class)]
    if not passwords and kind.model == PASSWORD_FIELD[0]:
        names.remove(PASSWORD_FIELD[1])
    return names


def _natural(field: Any) -> bool:
    """A foreign key written as the other row's natural key (see archive.format.PERMISSION)."""
    return bool(field.is_relation and field.related_model and field.related_model._meta.label == PERMISSION)


def _key(field: models.Field[Any, Any]) -> str:
    """The field's key in a row: its column name, or its name when it holds a natural key."""
    return field.name if _natural(field) else field.attname


def _m2m(model: type[models.Model], relation: str) -> tuple[type[models.Model], str, str]:
    field = model._meta.get_field(relation)
    assert isinstance(field, models.ManyToManyField)
    through = field.remote_field.through
    assert through is not None and not isinstance(through, str)
    return through, f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"


class Permissions:
    """Permissions by "app_label.model.codename", the same in every database (their ids are not)."""

    def __init__(self) -> None:
        self._keys: dict[int, str] = {}
        self._ids: dict[str, int] = {}
        for pk, app_label, model, codename in Permission.objects.values_list(
            "pk", "content_type__app_label", "content_type__model", "codename"
        ):
            self._keys[pk] = f"{app_label}.{model}.{codename}"
            self._ids[self._keys[pk]] = pk

    def key(self, pk: int) -> str:
        return self._keys[pk]

    def id(self, key: str) -> int:
        """The permission's id here; a permission this database lacks (made at run time) is made."""
        key = current_permission_key(key)
        if key not in self._ids:
            app_label, _dot, rest = key.partition(".")
            model, _dot, codename = rest.partition(".")
            try:
                content_type = ContentType.objects.get_by_natural_key(app_label, model)
            except ContentType.DoesNotExist:
                raise ArchiveError(f"permission {key!r}: this archive has no model {app_label}.{model}") from None
            permission = Permission.objects.create(content_type=content_type, codename=codename, name=codename)
            self._ids[key] = permission.pk
        return self._ids[key]


def _rows(kind: Kind, names: list[str], permissions: Permissions) -> Iterator[dict[str, Any]]:
    model = kind.model_class
    fields = {field.attname: field for field in columns(model)}
    keys = [_key(fields[name]) for name in names]
    natural = {name for name in names if _natural(fields[name])}
    last: Any = None
    while True:
        queryset = model._base_manager.order_by("pk")
        if last is not None:
            queryset = queryset.filter(pk__gt=last)
        batch = list(queryset.values_list(*names)[: SMALL_BATCH.get(kind.name, BATCH)])
        if not batch:
            return
        links: dict[str, dict[Any, list[Any]]] = {}
        pks = [row[0] for row in batch]
        for relation in kind.many_to_many:
            through, own, other = _m2m(model, relation)
            found: dict[Any, list[Any]] = {pk: [] for pk in pks}
            for pk, target in (
                through._base_manager.filter(**{f"{own}__in": pks}).order_by(own, other).values_list(own, other)
            ):
                found[pk].append(target)
            if _natural(model._meta.get_field(relation)):
                found = {pk: sorted(permissions.key(target) for target in targets) for pk, targets in found.items()}
            links[relation] = found
        for row in batch:
            record = {
                key: permissions.key(value) if name in natural else to_json(value)
                for key, name, value in zip(keys, names, row, strict=True)
            }
            for relation, found in links.items():
                record[relation] = found[row[0]]
            yield record
        last = batch[-1][0]


def export_archive(out: Path, *, passwords: bool = False, progress: Progress | None = None) -> dict[str, Any]:
    """Write every kind to `out` (a new or empty folder) and the manifest; return the manifest."""
    out.mkdir(parents=True, exist_ok=True)
    if any(out.iterdir()):
        raise ArchiveError(f"{out} is not empty")
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "passwords": passwords,
        "schema": _schema(),
        "kinds": [],
    }
    permissions = Permissions()
    for kind in KINDS:
        names = _field_names(kind, passwords=passwords)
        digest = hashlib.sha256()
        count = 0
        with (out / kind.file).open("wb") as stream:
            for record in _rows(kind, names, permissions):
                line = (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
                stream.write(line)
                digest.update(line)
                count += 1
                if progress and count % BATCH == 0:
                    progress(kind.name, count)
        manifest["kinds"].append(
            {"name": kind.name, "model": kind.model, "file": kind.file, "count": count, "sha256": digest.hexdigest()}
        )
        if progress:
            progress(kind.name, count)
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def read_manifest(folder: Path) -> dict[str, Any]:
    """The manifest, with every file's count and checksum verified."""
    try:
        manifest: dict[str, Any] = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ArchiveError(f"{folder}: no readable manifest.json ({error})") from error
    if manifest.get("format") != FORMAT:
        raise ArchiveError(f"{folder} is not a Fanarchive export")
    if manifest.get("version") != VERSION:
        raise ArchiveError(f"format version {manifest.get('version')} can't be read (this archive reads {VERSION})")
    known = {kind.name for kind in KINDS}
    for entry in manifest["kinds"]:
        if entry["name"] not in known:
            raise ArchiveError(f"unknown kind {entry['name']!r}")
        digest = hashlib.sha256()
        lines = 0
        with (folder / entry["file"]).open("rb") as stream:
            for line in stream:
                digest.update(line)
                lines += 1
        if digest.hexdigest() != entry["sha256"] or lines != entry["count"]:
            raise ArchiveError(f"{entry['file']} does not match the manifest (damaged or edited)")
    return manifest


def load_archive(folder: Path, *, progress: Progress | None = None, rebuild_search: bool = True) -> dict[str, int]:
    """Load an export into this (empty) database, then rebuild filters and the search index."""
    manifest = read_manifest(folder)
    if User.objects.exists() or Work.objects.exists():
        raise ArchiveError("the database is not empty (it has accounts or works): load into a fresh one")
    kinds = {kind.name: kind for kind in KINDS}
    counts: dict[str, int] = {}
    with transaction.atomic():
        # What a fresh database may hold already (the fixed tags it is seeded with, the settings row and
        # role groups made on first use) comes back from the export, with its ids.
        Tag.objects.all().delete()
        SiteSettings.objects.all().delete()
        Group.objects.all().delete()
        permissions = Permissions()
        for entry in manifest["kinds"]:
            kind = kinds[entry["name"]]
            counts[kind.name] = _load_kind(folder / entry["file"], kind, permissions, progress)
        _reset_sequences()
        # Background jobs don't travel: a member's data export still being prepared is queued again.
        for export_id in DataExport.objects.filter(status=DataExport.Status.PENDING).values_list("pk", flat=True):
            enqueue(EXPORT_JOB, {"export_id": export_id})
        _build_filters(progress)
    forget_settings()
    forget_pages()
    if rebuild_search:
        rebuild()
    return counts


def _build_filters(progress: Progress | None) -> None:
    """Every work's tag filters by works.filters' rules, written in one pass over the taggings.

    (refresh_filters would also compare with existing rows, recompute the crossover flag the works
    came with, and tell running processes: there are none yet, and it takes longer than the load.)
    """
    rows = _Inserter(FilterTagging, ["work_id", "tag_id", "inherited"])
    graph = TagGraph()  # kept across batches: each tag is read once
    last, done = 0, 0
    while True:
        ids = list(Work.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:BATCH])
        if not ids:
            break
        own: dict[int, set[int]] = {pk: set() for pk in ids}
        for work_id, tag_id in Tagging.objects.filter(work_id__gt=last, work_id__lte=ids[-1]).values_list(
            "work_id", "tag_id"
        ):
            own[work_id].add(tag_id)
        graph.load({tag_id for tags in own.values() for tag_id in tags})
        for work_id, filters in compute_filters(own, graph).items():
            rows.rows += [(work_id, tag_id, inherited) for tag_id, inherited in filters.items()]
        rows.flush()
        last, done = ids[-1], done + len(ids)
        if progress:
            progress("tag filters", done)


# Values of these types are written as JSON gives them; the others (dates, JSON) go through their field.
_AS_IS = {
    "AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField", "SmallIntegerField",
    "PositiveIntegerField", "PositiveBigIntegerField", "PositiveSmallIntegerField", "BooleanField",
    "CharField", "TextField", "EmailField", "SlugField",
}  # fmt: skip


def _as_is(field: models.Field[Any, Any]) -> bool:
    target = field.target_field if field.is_relation else field  # type: ignore[attr-defined]
    return target.get_internal_type() in _AS_IS


class _Inserter:
    """INSERTs of whole rows, many at a time: no model instances, no save() hooks (auto_now dates
    stay as exported), values prepared by each field for this database as the ORM would."""

    def __init__(self, model: type[models.Model], column_names: list[str]) -> None:
        quote = connection.ops.quote_name
        names = ", ".join(quote(name) for name in column_names)
        marks = ", ".join(["%s"] * len(column_names))
        # Names from the models, quoted; the values go as parameters.
        self.sql = f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({marks})"  # noqa: S608
        self.rows: list[tuple[Any, ...]] = []

    def flush(self) -> None:
        if self.rows:
            with connection.cursor() as cursor:
                cursor.executemany(self.sql, self.rows)
            self.rows.clear()


def _load_kind(path: Path, kind: Kind, permissions: Permissions, progress: Progress | None) -> int:
    model = kind.model_class
    fields = columns(model)
    keys = [_key(field) for field in fields]
    natural = [_natural(field) for field in fields]
    as_is = [_as_is(field) for field in fields]
    # A row written before a field existed (version 1 grows by adding fields) gets its default.
    defaults = [field.get_default() for field in fields]
    rows = _Inserter(model, [str(field.column) for field in fields])
    links: dict[str, tuple[_Inserter, bool]] = {}
    for relation in kind.many_to_many:
        through, own, other = _m2m(model, relation)
        links[relation] = (_Inserter(through, [own, other]), _natural(model._meta.get_field(relation)))
    password = kind.model == PASSWORD_FIELD[0]
    count = 0

    def flush() -> None:
        rows.flush()
        for inserter, _natural_keys in links.values():
            inserter.flush()

    with path.open("rb") as stream:
        for line in stream:
            record = json.loads(line)
            if password and "password" not in record:
                record["password"] = make_password(None)  # no hash exported: the user resets it
            values = []
            for field, key, by_natural_key, plain, default in zip(fields, keys, natural, as_is, defaults, strict=True):
                value = record.get(key, default)
                if by_natural_key and value is not None:
                    value = permissions.id(value)
                elif not plain:
                    value = field.get_db_prep_save(field.to_python(value), connection)
                values.append(value)
            rows.rows.append(tuple(values))
            pk = values[0]
            for relation, (inserter, by_natural_key) in links.items():
                targets = record[relation]
                if by_natural_key:
                    targets = [permissions.id(target) for target in targets]
                inserter.rows += [(pk, target) for target in targets]
            count += 1
            if len(rows.rows) >= SMALL_BATCH.get(kind.name, BATCH):
                flush()
                if progress:
                    progress(kind.name, count)
    flush()
    if progress:
        progress(kind.name, count)
    return count


def _reset_sequences() -> None:
    """PostgreSQL's id sequences continue after the loaded ids (SQLite does this by itself)."""
    models_loaded: list[type[models.Model]] = []
    for kind in KINDS:
        models_loaded.append(kind.model_class)
        for relation in kind.many_to_many:
            models_loaded.append(_m2m(kind.model_class, relation)[0])
    statements = connection.ops.sequence_reset_sql(no_style(), models_loaded)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
