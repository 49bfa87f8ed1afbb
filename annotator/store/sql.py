"""Small pieces of SQL, and readings of stored values, that the groups of queries share."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timezone
from typing import Any

# The condition every reader of ``articles a`` adds: not staged by an import still running (or
# killed). Checked row by row only while an import is listed; by rowid, so that an index of
# the articles still covers a query.
NOT_STAGED = ("(NOT EXISTS (SELECT 1 FROM imports) OR NOT EXISTS (SELECT 1 FROM staged_articles s "
              "JOIN imports i ON i.id = s.import_id WHERE s.article_rowid = a.rowid))")
STATUSES = ("new", "in progress", "done")

_COLUMN_NAMES: dict[str, list[str]] = {}


def where_equal(clauses: Sequence[str] = (), **equal: Any) -> tuple[str, list[Any]]:
    """``WHERE column = ? AND ...`` for each ``equal`` value that is not None, and the given clauses."""
    given = {column: value for column, value in equal.items() if value is not None}
    parts = [f"{column} = ?" for column in given] + list(clauses)
    return ("WHERE " + " AND ".join(parts)) if parts else "", list(given.values())


def in_chunks(values: Iterable[Any], size: int = 500) -> Iterator[tuple[list[Any], str]]:
    """The values (each once, in order) in chunks small enough for one statement, each with its
    ``?,?,...`` placeholders for ``IN (...)``."""
    wanted = list(dict.fromkeys(values))
    for at in range(0, len(wanted), size):
        chunk = wanted[at:at + size]
        yield chunk, ",".join("?" * len(chunk))


def column_names(conn: sqlite3.Connection, table: str) -> list[str]:
    """A table's column names, read once per process (every database is migrated to the
    same schema when it is opened)."""
    if table not in _COLUMN_NAMES:
        _COLUMN_NAMES[table] = [d[0] for d in conn.execute(f"SELECT * FROM {table} LIMIT 0").description]
    return _COLUMN_NAMES[table]


def parse_time(value: str | None) -> datetime | None:
    """An ISO 8601 time as an aware datetime (a time without zone is taken as UTC), or None."""
    try:
        parsed = datetime.fromisoformat(value or "")
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def is_later(incoming: str, stored: str) -> bool:
    """Whether ``incoming`` is a later time than ``stored`` (an unreadable time is never later)."""
    new, old = parse_time(incoming), parse_time(stored)
    if new is None:
        return False
    return old is None or new > old
