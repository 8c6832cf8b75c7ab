"""Built downloads on disk: DATA_DIR/downloads/<work id>/<version>.<format>.

Files are written to a temporary name and renamed into place, so a reader (or
another process) never sees half a file; a version is never rewritten, only
pruned once newer ones exist.
"""

import os
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import transaction

# Per work and format: the current version, plus one more so a creator's copy with
# draft chapters and the readers' copy don't keep evicting each other.
KEEP_VERSIONS = 2


def work_dir(work_id: int) -> Path:
    return Path(settings.DATA_DIR) / "downloads" / str(work_id)


def cached_path(work_id: int, version: str, extension: str) -> Path:
    return work_dir(work_id) / f"{version}.{extension}"


def store(work_id: int, version: str, extension: str, data: bytes) -> Path:
    path = cached_path(work_id, version, extension)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".building-", suffix=f".{extension}")
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    prune(work_id, extension)
    return path


def prune(work_id: int, extension: str) -> None:
    versions = sorted(work_dir(work_id).glob(f"*.{extension}"), key=_mtime, reverse=True)
    for old in versions[KEEP_VERSIONS:]:
        old.unlink(missing_ok=True)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return 0.0


def remove_after_commit(work_ids: set[int]) -> None:
    """Works deleted with their creator's account (works.hooks.works_purged): their files go once that commits."""
    transaction.on_commit(lambda: _remove_work_dirs(work_ids))


def _remove_work_dirs(work_ids: set[int]) -> None:
    for work_id in work_ids:
        shutil.rmtree(work_dir(work_id), ignore_errors=True)
