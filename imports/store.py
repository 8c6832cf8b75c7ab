"""Parsed uploads kept on the server between the preview and "Save as draft".

One JSON file per upload under DATA_DIR/imports, named by a random token and
holding its owner's id: the client sends back only the token and its edits,
never the parsed text.
"""

import json
import secrets
import time
from pathlib import Path

from django.conf import settings

from imports.parsed import ParsedWork

MAX_AGE_SECONDS = 24 * 3600


def _folder() -> Path:
    folder = Path(settings.DATA_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _path(token: str) -> Path | None:
    # Tokens are ours (token_urlsafe); anything else never reaches the file system.
    if not token or len(token) > 64 or not all(c.isalnum() or c in "-_" for c in token):
        return None
    return _folder() / f"{token}.json"


def save(parsed: ParsedWork, user_id: int) -> str:
    _prune()
    token = secrets.token_urlsafe(24)
    path = _path(token)
    assert path is not None
    path.write_text(json.dumps({"user_id": user_id, "work": parsed.to_json()}), encoding="utf-8")
    return token


def load(token: str, user_id: int) -> ParsedWork | None:
    path = _path(token)
    if path is None or not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("user_id") != user_id:
        return None
    return ParsedWork.from_json(data["work"])


def discard(token: str) -> None:
    path = _path(token)
    if path is not None:
        path.unlink(missing_ok=True)


def _prune() -> None:
    """Uploads never saved nor cancelled go after a day."""
    cutoff = time.time() - MAX_AGE_SECONDS
    for path in _folder().glob("*.json"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
        except OSError:
            pass
