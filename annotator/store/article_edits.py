"""Corrections of an article's facts (schema 10): the publisher, original source, date,
story and title changed in place on every version of the article, each changed field
recorded in ``article_edits`` with its value before and after, who and from where."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..models import PartialDate, utc_now
from .connection import Connection
from .sql import NOT_STAGED

# The article facts a correction may change, as ``article_edits.field`` names them.
EDITABLE_FIELDS = ("publisher", "original_source", "published", "story", "title", "unverified")


@dataclass(frozen=True)
class ArticleEdit:
    """One recorded correction of one field of one article (``before``/``after`` as written:
    an outlet id, ``~2022-03``, a story id, a title, a JSON list for ``unverified``; None: unknown)."""

    id: int
    article_id: str
    field: str
    before: str | None
    after: str | None
    who: str | None
    source: str | None
    at: str


def _written(field: str, row: Mapping[str, Any]) -> str | None:
    """A stored field as an edit row writes it."""
    if field == "published":
        return str(PartialDate(value=row["published"], approximate=bool(row["published_approximate"]))) \
            if row["published"] else None
    if field == "unverified":
        return json.dumps(json.loads(row["unverified"] or "[]"))
    return row[field]


def _columns(field: str, value: Any) -> dict[str, Any]:
    """The column values that store ``value`` of ``field``."""
    if field == "published":
        date = value if isinstance(value, PartialDate) else PartialDate.parse(value)
        return {"published": date.value, "published_approximate": int(date.approximate)}
    if field == "unverified":
        return {"unverified": json.dumps(list(value))}
    return {field: value}


class ArticleEditQueries(Connection):
    """Correcting an article's facts, with the history of the corrections."""

    def edit_article(self, article_id: str, values: Mapping[str, Any], who: str | None,
                     source: str | None) -> list[str]:
        """Set ``values`` (field: value; fields of :data:`EDITABLE_FIELDS`, ``published`` a
        :class:`PartialDate`) on article ``article_id`` and every other version of it (the same
        url or file), in one transaction; each field that changes is recorded per version.
        Returns the fields that changed on ``article_id`` (none: nothing was written).
        KeyError for an unknown article; ValueError for a field that cannot be set."""
        unknown = set(values) - set(EDITABLE_FIELDS)
        if unknown:
            raise ValueError(f"cannot set {', '.join(sorted(unknown))}")
        changed_here: list[str] = []
        now = utc_now()
        with self._write() as conn:
            key = conn.execute(f"SELECT source_key FROM articles a WHERE id = ? AND {NOT_STAGED}",
                               [article_id]).fetchone()
            if key is None:
                raise KeyError(article_id)
            cursor = conn.execute(f"SELECT * FROM articles a WHERE source_key = ? AND {NOT_STAGED} ORDER BY rowid",
                                  [key[0]])
            names = [d[0] for d in cursor.description]
            for found in cursor.fetchall():
                row = dict(zip(names, found))
                updates: dict[str, Any] = {}
                for field, value in values.items():
                    before = _written(field, row)
                    after = _written(field, {**row, **_columns(field, value)})
                    if before == after:
                        continue
                    updates.update(_columns(field, value))
                    conn.execute("INSERT INTO article_edits (article_id, field, before, after, who, source, at) "
                                 "VALUES (?,?,?,?,?,?,?)", [row["id"], field, before, after, who, source, now])
                    if row["id"] == article_id:
                        changed_here.append(field)
                if updates:
                    assignments = ", ".join(f'"{name}" = ?' for name in updates)
                    conn.execute(f"UPDATE articles SET {assignments} WHERE id = ?", [*updates.values(), row["id"]])
        return changed_here

    def article_edits(self, article_id: str) -> list[ArticleEdit]:
        """Every recorded correction of an article, oldest first."""
        rows = self.conn.execute("SELECT id, article_id, field, before, after, who, source, at FROM article_edits "
                                 "WHERE article_id = ? ORDER BY id", [article_id]).fetchall()
        return [ArticleEdit(*r) for r in rows]

    def edited_fields(self, article_id: str) -> dict[str, str | None]:
        """The fields of an article a correction set, with their value as last set."""
        rows = self.conn.execute("SELECT field, after FROM article_edits WHERE article_id = ? ORDER BY id",
                                 [article_id]).fetchall()
        return dict(rows)
