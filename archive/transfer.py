"""Writing the whole archive out (export) and reading it into an empty database (load).

Both stream: rows are read and written in primary-key batches, so memory stays
bounded whatever the archive's size. An export is deterministic (same data,
same bytes, on SQLite or PostgreSQL), which is what the round-trip test checks.
"""

import hashlib
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder

from accounts.models import User
from archive.format import FORMAT, KINDS, PASSWORD_FIELD, SKIPPED_FIELDS, VERSION, Kind, columns, to_json
from search.indexer import rebuild
from tags.models import Tag
from works.filters import refresh_filters
from works.models import Work

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
    skipped = SKIPPED_FIELDS.get(kind.model, set())
    names = [field.attname for field in columns(kind.model_class) if field.name not in skipped]
    if not passwords and kind.model == PASSWORD_FIELD[0]:
        names.remove(PASSWORD_FIELD[1])
    return names


def _m2m(model: type[models.Model], relation: str) -> tuple[type[models.Model], str, str]:
    field = model._meta.get_field(relation)
    assert isinstance(field, models.ManyToManyField)
    through = field.remote_field.through
    assert through is not None and not isinstance(through, str)
    return through, f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"


def _rows(kind: Kind, names: list[str]) -> Iterator[dict[str, Any]]:
    model = kind.model_class
    last: Any = None
    while True:
        queryset = model._base_manager.order_by("pk")
        if last is not None:
            queryset = queryset.filter(pk__gt=last)
        batch = list(queryset.values_list(*names)[: SMALL_BATCH.get(kind.name, BATCH)])
        if not batch:
            return
        links: dict[str, dict[Any, list[Any]]] = {}
        keys = [row[0] for row in batch]
        for relation in kind.many_to_many:
            through, own, other = _m2m(model, relation)
            found: dict[Any, list[Any]] = {key: [] for key in keys}
            for key, target in (
                through._base_manager.filter(**{f"{own}__in": keys}).order_by(own, other).values_list(own, other)
            ):
                found[key].append(target)
            links[relation] = found
        for row in batch:
            record = {name: to_json(value) for name, value in zip(names, row, strict=True)}
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
    for kind in KINDS:
        names = _field_names(kind, passwords=passwords)
        digest = hashlib.sha256()
        count = 0
        with (out / kind.file).open("wb") as stream:
            for record in _rows(kind, names):
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


@contextmanager
def _keeping_dates() -> Iterator[None]:
    """auto_now fields would stamp every loaded row with today: keep the exported dates."""
    changed = []
    for kind in KINDS:
        for field in kind.model_class._meta.concrete_fields:
            if isinstance(field, models.DateField) and (field.auto_now or field.auto_now_add):
                changed.append((field, field.auto_now, field.auto_now_add))
                field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in changed:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def load_archive(folder: Path, *, progress: Progress | None = None, rebuild_search: bool = True) -> dict[str, int]:
    """Load an export into this (empty) database, then rebuild filters and the search index."""
    manifest = read_manifest(folder)
    if User.objects.exists() or Work.objects.exists():
        raise ArchiveError("the database is not empty (it has accounts or works): load into a fresh one")
    kinds = {kind.name: kind for kind in KINDS}
    counts: dict[str, int] = {}
    with transaction.atomic(), _keeping_dates():
        # The fixed tags a fresh database is seeded with come back from the export, with their ids.
        Tag.objects.all().delete()
        for entry in manifest["kinds"]:
            kind = kinds[entry["name"]]
            counts[kind.name] = _load_kind(folder / entry["file"], kind, progress)
        _reset_sequences()
    work_ids = list(Work.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(work_ids), 500):
        refresh_filters(work_ids[start : start + 500])
    if rebuild_search:
        rebuild()
    return counts


def _load_kind(path: Path, kind: Kind, progress: Progress | None) -> int:
    model = kind.model_class
    fields = {field.attname: field for field in columns(model)}
    count = 0
    batch: list[models.Model] = []
    links: dict[str, list[models.Model]] = {relation: [] for relation in kind.many_to_many}

    def flush() -> None:
        model._base_manager.bulk_create(batch)
        for relation, rows in links.items():
            through = _m2m(model, relation)[0]
            through._base_manager.bulk_create(rows)
            rows.clear()
        batch.clear()

    with path.open("rb") as stream:
        for line in stream:
            record = json.loads(line)
            values = {name: fields[name].to_python(value) for name, value in record.items() if name in fields}
            if kind.model == PASSWORD_FIELD[0] and "password" not in record:
                values["password"] = make_password(None)  # no hash exported: the user resets it
            instance = model(**values)
            batch.append(instance)
            for relation in kind.many_to_many:
                through, own, other = _m2m(model, relation)
                links[relation] += [through(**{own: instance.pk, other: target}) for target in record[relation]]
            count += 1
            if len(batch) >= SMALL_BATCH.get(kind.name, BATCH):
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
