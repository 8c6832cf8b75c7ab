"""Backups: a consistent snapshot of the database taken while the archive serves writes, plus the
files of the data folder that can't be rebuilt; and restoring them.

SQLite is copied with its online backup API (one step, so the copy is one
snapshot even while others write); PostgreSQL with `pg_dump` in its custom
format (one transaction snapshot). From the data folder everything is kept but
what is rebuilt: the search index, the download cache, collected static files
and the database file itself (copied above). After a restore the search index
is rebuilt and the download cache emptied.
"""

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

from search.indexer import rebuild

FORMAT = "fanarchive-backup"
VERSION = 1
# Rebuilt or re-made by the archive itself: not worth keeping (and the index is large).
REBUILT = {"search", "downloads", "static"}
_DATABASE_FILES = re.compile(r".*\.sqlite3(-wal|-shm|-journal)?$")
PG_DUMP_TIMEOUT = 6 * 3600


class BackupError(Exception):
    """A backup can't be made or restored; the message says why."""


def _engine() -> str:
    return "sqlite" if connection.vendor == "sqlite" else "postgresql"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def data_files(data_dir: Path) -> list[Path]:
    """The data folder's files that a backup keeps (relative paths)."""
    kept = []
    for path in sorted(data_dir.rglob("*")):
        relative = path.relative_to(data_dir)
        if not path.is_file() or relative.parts[0] in REBUILT or _DATABASE_FILES.match(relative.name):
            continue
        kept.append(relative)
    return kept


def find_pg_tool(name: str) -> str:
    """pg_dump or pg_restore, not older than the server (Debian keeps one per major version)."""
    override = os.environ.get(name.upper())
    if override:
        return override
    server_major = connection.cursor().connection.info.server_version // 10000
    versions = []
    for candidate in Path("/usr/lib/postgresql").glob(f"*/bin/{name}"):
        version = candidate.parent.parent.name
        if version.isdigit() and int(version) >= server_major:
            versions.append((int(version), str(candidate)))
    if versions:
        return min(versions)[1]
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} not found: install the Debian package postgresql-client (or set {name.upper()})")
    return found


def _pg_arguments() -> tuple[list[str], dict[str, str]]:
    database = settings.DATABASES["default"]
    arguments = ["--dbname", str(database["NAME"])]
    if database.get("HOST"):
        arguments += ["--host", str(database["HOST"])]
    if database.get("PORT"):
        arguments += ["--port", str(database["PORT"])]
    if database.get("USER"):
        arguments += ["--username", str(database["USER"])]
    env = {**os.environ}
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = str(database["PASSWORD"])
    return arguments, env


def backup(out: Path) -> dict[str, Any]:
    """Write a backup to `out` (a new or empty folder); return its manifest."""
    out.mkdir(parents=True, exist_ok=True)
    if any(out.iterdir()):
        raise BackupError(f"{out} is not empty")
    started = datetime.now(UTC)
    if _engine() == "sqlite":
        database = out / "database.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(database)
        try:
            # One step (pages=-1): the source stays read-locked for the copy, so it is one snapshot.
            connection.connection.backup(target, pages=-1)
        finally:
            target.close()
    else:
        database = out / "database.pgdump"
        arguments, env = _pg_arguments()
        command = [find_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(database), *arguments]
        result = subprocess.run(  # noqa: S603 (our own arguments, no shell)
            command, env=env, capture_output=True, text=True, timeout=PG_DUMP_TIMEOUT, check=False
        )
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    data_dir = Path(settings.DATA_DIR)
    files = []
    for relative in data_files(data_dir):
        copy = out / "data" / relative
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(data_dir / relative, copy)
        files.append({"path": relative.as_posix(), "sha256": _sha256(copy)})
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "engine": _engine(),
        "started_at": started.isoformat(),
        "database": {"file": database.name, "sha256": _sha256(database)},
        "files": files,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def read_backup(folder: Path) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(f"{folder}: no readable manifest.json ({error})") from error
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise BackupError(f"{folder} is not a Fanarchive backup (version {VERSION})")
    entries = [(folder / manifest["database"]["file"], manifest["database"]["sha256"])]
    entries += [(folder / "data" / entry["path"], entry["sha256"]) for entry in manifest["files"]]
    for path, checksum in entries:
        if not path.is_file() or _sha256(path) != checksum:
            raise BackupError(f"{path} is missing or damaged")
    return manifest


def restore(folder: Path, *, rebuild_search: bool = True) -> dict[str, Any]:
    """Bring a backup back: the database, the data folder's files, then what is rebuilt."""
    manifest = read_backup(folder)
    if manifest["engine"] != _engine():
        raise BackupError(
            f"this is a {manifest['engine']} backup and the archive runs on {_engine()}: restore it on "
            f"{manifest['engine']}, then move with export_archive and import_archive"
        )
    database = folder / manifest["database"]["file"]
    if _engine() == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(database)
        try:
            # Page by page into the live database, under its write lock.
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        arguments, env = _pg_arguments()
        command = [find_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction"]
        command += ["--exit-on-error", *arguments, str(database)]
        connection.close()  # pg_restore drops tables this connection may hold locks on
        result = subprocess.run(  # noqa: S603 (our own arguments, no shell)
            command, env=env, capture_output=True, text=True, timeout=PG_DUMP_TIMEOUT, check=False
        )
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
    data_dir = Path(settings.DATA_DIR)
    for entry in manifest["files"]:
        target = data_dir / entry["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(folder / "data" / entry["path"], target)
    shutil.rmtree(data_dir / "downloads", ignore_errors=True)
    if rebuild_search:
        rebuild()
    return manifest
