"""Reading a MySQL/MariaDB dump file without MySQL.

`load_dump` streams the statements of a `mysqldump` (or phpMyAdmin) file into a
staging SQLite database: one table per dumped table, with the columns its
CREATE TABLE names. Only CREATE TABLE and INSERT/REPLACE are read; everything
else (SET, LOCK, conditional comments, MariaDB's sandbox-mode first line) is
skipped. Strings are decoded as UTF-8, or as Windows-1252 when they are not
valid UTF-8 (dumps of latin1 tables made with a latin1 connection), and
double-encoded text (cp1252 mojibake, "CafÃ©") is repaired with ftfy.

Memory stays bounded: one statement is held at a time (mysqldump writes one
extended INSERT of about a megabyte per line), and the rows go to disk.
"""

import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO
from urllib.parse import unquote, urlsplit

import ftfy

Value = str | int | float | None

# One lexical token of SQL text, for finding where a statement ends: quoted strings and
# identifiers, comments, or the terminating semicolon. Everything else is skipped over.
_TOKEN = re.compile(
    rb"'(?:[^'\\]|\\.|'')*'?"
    rb'|"(?:[^"\\]|\\.|"")*"?'
    rb"|`[^`]*`?"
    rb"|/\*.*?(?:\*/|\Z)"
    rb"|--[ \t][^\n]*(?:\n|\Z)"
    rb"|#[^\n]*(?:\n|\Z)"
    rb"|;",
    re.DOTALL,
)
_LEADING_NOISE = re.compile(rb"(?:\s+|/\*.*?\*/|--[ \t][^\n]*\n|--\n|#[^\n]*\n)*", re.DOTALL)
_CREATE = re.compile(rb"CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?`?([^`\s(]+)`?\s*\(", re.IGNORECASE)
_COLUMN = re.compile(rb"(?:^|,|\()\s*`([^`]+)`\s+(\w+)", re.MULTILINE)
_CHARSET = re.compile(rb"\)[^)]*?(?:DEFAULT\s+)?CHARSET\s*=\s*(\w+)", re.IGNORECASE)
_INSERT = re.compile(
    rb"(?:INSERT|REPLACE)\s+(?:LOW_PRIORITY\s+|DELAYED\s+|HIGH_PRIORITY\s+)?(?:IGNORE\s+)?INTO\s+`?([^`\s(]+)`?\s*"
    rb"(?:\(([^)]*)\)\s*)?VALUES?\s*",
    re.IGNORECASE,
)
_VALUE = re.compile(
    rb"\s*(?:"
    rb"(?:_\w+\s*)?'((?:[^'\\]|\\.|'')*)'"  # a string, maybe with a charset introducer (_binary, _utf8mb4)
    rb"|(NULL)\b"
    rb"|0x([0-9A-Fa-f]*)"
    rb"|(-?\d+)(?![\d.eE])"
    rb"|(-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)"
    rb"|[xX]'([0-9A-Fa-f]*)'"
    rb"|(\()|(\))|(,)"
    rb")",
    re.IGNORECASE,
)
_ESCAPE = re.compile(rb"\\(.)|''", re.DOTALL)
_ESCAPES = {b"0": b"\x00", b"b": b"\x08", b"n": b"\n", b"r": b"\r", b"t": b"\t", b"Z": b"\x1a"}


class DumpError(Exception):
    """The file is not a dump this reader understands; the message says where."""


def _unescape(match: re.Match[bytes]) -> bytes:
    if match.group(0) == b"''":
        return b"'"
    char = match.group(1)
    if char in (b"%", b"_"):
        return b"\\" + char  # MySQL keeps the backslash before LIKE wildcards
    return _ESCAPES.get(char, char)


def decode_text(raw: bytes) -> str:
    """UTF-8, else Windows-1252 (latin1 in MySQL's sense), then mojibake repaired."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        # MySQL's latin1 is cp1252; five bytes cp1252 leaves undefined map as ISO-8859-1 does.
        text = "".join(raw[i : i + 1].decode("cp1252", errors="ignore") or chr(raw[i]) for i in range(len(raw)))
    if not text.isascii():
        text = ftfy.fix_encoding(text)
    return text


def iter_statements(stream: IO[bytes]) -> Iterator[bytes]:
    """The statements of a dump, one at a time (comments between them included)."""
    buffer = b""
    scan_from = 0
    at_end = False
    while True:
        match = _TOKEN.search(buffer, scan_from)
        if match is None or (match.end() == len(buffer) and not at_end):
            # No end of statement in what is read yet, or a token that may go on in the next line.
            if at_end:
                break
            line = stream.readline()
            if not line:
                at_end = True
            # Nothing before the open token (or the old end, less a token's first characters) changes.
            scan_from = match.start() if match is not None else max(scan_from, len(buffer) - 2)
            buffer += line
            continue
        if match.group(0) == b";":
            yield buffer[: match.start()]
            buffer = buffer[match.end() :]
            scan_from = 0
        else:
            scan_from = match.end()
    if buffer.strip():
        yield buffer


def parse_values(text: bytes, start: int) -> Iterator[list[Value]]:
    """The rows of `VALUES (…),(…)` from `start` on."""
    row: list[Value] | None = None
    pos = start
    while pos < len(text):
        match = _VALUE.match(text, pos)
        if match is None:
            if not text[pos:].strip():
                break
            raise DumpError(f"unreadable value near {text[pos : pos + 40]!r}")
        pos = match.end()
        string, null, hex_value, integer, number, hex_string, open_, close, _comma = match.groups()
        if open_ is not None:
            if row is not None:
                raise DumpError(f"nested parenthesis near {text[match.start() : match.start() + 40]!r}")
            row = []
            continue
        if close is not None:
            if row is None:
                raise DumpError("unbalanced parenthesis")
            yield row
            row = None
            continue
        if row is None:
            continue  # the commas between rows
        if string is not None:
            row.append(decode_text(_ESCAPE.sub(_unescape, string)))
        elif null is not None:
            row.append(None)
        elif integer is not None:
            row.append(int(integer))
        elif number is not None:
            row.append(float(number) if b"e" in number.lower() else number.decode())
        elif hex_value is not None or hex_string is not None:
            row.append(decode_text(bytes.fromhex((hex_value or hex_string or b"").decode())))


@dataclass
class Staging:
    """What a dump held: its tables in a SQLite database, their columns and charsets."""

    db: sqlite3.Connection
    columns: dict[str, list[str]] = field(default_factory=dict)
    charsets: dict[str, str] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)

    def has(self, table: str) -> bool:
        return table in self.columns

    def select(self, table: str, where: str = "", params: tuple[Value, ...] = ()) -> list[sqlite3.Row]:
        if table not in self.columns:
            return []
        # The table is one the dump created (names with quotes are refused); `where` is this code's own.
        sql = f'SELECT * FROM "{table}"' + (f" WHERE {where}" if where else "")  # noqa: S608
        return list(self.db.execute(sql, params))


def _create_table(staging: Staging, name: str, columns: list[str]) -> None:
    if any('"' in part for part in [name, *columns]):
        raise DumpError(f"a table or column name with a double quote: {name!r}")
    staging.columns[name] = columns
    staging.rows.setdefault(name, 0)
    quoted = ", ".join(f'"{column}"' for column in columns)
    staging.db.execute(f'DROP TABLE IF EXISTS "{name}"')
    staging.db.execute(f'CREATE TABLE "{name}" ({quoted})')


def load_dump(stream: IO[bytes], staging_path: str = ":memory:") -> Staging:
    """Read a dump into a staging SQLite database (a file, so big archives stay on disk)."""
    db = sqlite3.connect(staging_path)
    db.row_factory = sqlite3.Row
    staging = Staging(db=db)
    for statement in iter_statements(stream):
        start = _LEADING_NOISE.match(statement)
        body = statement[start.end() if start else 0 :]
        if not body:
            continue
        head = body[:30].upper()
        if head.startswith(b"CREATE TABLE"):
            create = _CREATE.match(body)
            if create is None:
                continue
            name = create.group(1).decode()
            columns = [column.group(1).decode() for column in _COLUMN.finditer(body, create.end() - 1)]
            columns = [column for column in columns if column]
            _create_table(staging, name, columns)
            charset = _CHARSET.search(body)
            if charset:
                staging.charsets[name] = charset.group(1).decode().lower()
        elif head.startswith((b"INSERT", b"REPLACE")):
            insert = _INSERT.match(body)
            if insert is None:
                raise DumpError(f"unreadable INSERT: {body[:80]!r}")
            name = insert.group(1).decode()
            named = [c.strip().strip("`") for c in insert.group(2).decode().split(",")] if insert.group(2) else None
            _insert_rows(staging, name, named, parse_values(body, insert.end()))
    db.commit()
    return staging


def _insert_rows(staging: Staging, name: str, named: list[str] | None, rows: Iterator[list[Value]]) -> None:
    batch: list[list[Value]] = []
    for row in rows:
        if name not in staging.columns:
            _create_table(staging, name, named or [f"column{i}" for i in range(len(row))])
        columns = staging.columns[name]
        if named is not None and named != columns:
            by_name = dict(zip(named, row, strict=False))
            row = [by_name.get(column) for column in columns]
        if len(row) != len(columns):
            raise DumpError(f"{name}: a row has {len(row)} values for {len(columns)} columns")
        batch.append(row)
    if not batch:
        return
    placeholders = ", ".join("?" for _ in staging.columns[name])
    staging.db.executemany(f'INSERT INTO "{name}" VALUES ({placeholders})', batch)  # noqa: S608
    staging.rows[name] = staging.rows.get(name, 0) + len(batch)


def read_live_database(url: str, staging_path: str = ":memory:") -> Staging:
    """A running MariaDB/MySQL (mysql://user:password@host:port/database), read through its own dump tool.

    One consistent snapshot (--single-transaction for InnoDB; MyISAM tables are read as they are),
    in utf8mb4 so every table's text arrives as UTF-8.
    """
    parts = urlsplit(url)
    database = parts.path.lstrip("/")
    tool = shutil.which("mariadb-dump") or shutil.which("mysqldump")
    if tool is None:
        raise DumpError("reading a live database needs mariadb-dump or mysqldump (Debian: mariadb-client)")
    if not database:
        raise DumpError("the URL names no database (mysql://user@host/database)")
    command = [tool, "--single-transaction", "--default-character-set=utf8mb4", "--skip-triggers"]
    command += ["--host", parts.hostname or "127.0.0.1", "--port", str(parts.port or 3306)]
    command += ["--user", unquote(parts.username or "root"), database]
    env = {**os.environ, "MYSQL_PWD": unquote(parts.password or "")}
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) as dump:  # noqa: S603
        assert dump.stdout is not None and dump.stderr is not None
        staging = load_dump(dump.stdout, staging_path)
        error = dump.stderr.read().decode(errors="replace").strip()
    if dump.returncode != 0:
        raise DumpError(f"{os.path.basename(tool)} failed: {error}")
    return staging
