"""The history of annotations (schema 7): every recorded change of a tag, the conflicts
a merge left open, and bringing a tag back to a recorded version."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..models import Annotation, utc_now
from .annotations import INSERT_ANNOTATION, AnnotationQueries, annotation_from_row
from .schema import HISTORY_FIELDS
from .sql import column_names, where_equal


def _loads(text: str | None) -> dict[str, Any] | None:
    """A history row's ``before`` or ``after`` as a dict, its ``attributes`` as an object."""
    if text is None:
        return None
    data = json.loads(text)
    if isinstance(data.get("attributes"), str):
        data["attributes"] = json.loads(data["attributes"])
    return data


@dataclass(frozen=True)
class HistoryEntry:
    """One recorded change of a tag: ``created``, ``changed``, ``removed`` (the row deleted)
    or ``conflict`` (a merged version not applied; ``settled`` says how it was settled).
    ``before`` and ``after`` are the tag's fields (:data:`HISTORY_FIELDS`)."""

    id: int
    uuid: str
    article_id: str
    change: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    who: str | None
    source: str | None
    at: str
    settled: str | None = None


class HistoryQueries(AnnotationQueries):
    """Reading the history of annotations and settling its conflicts."""

    def history(self, uuid: str | None = None, article_id: str | None = None,
                open_conflicts: bool = False) -> list[HistoryEntry]:
        """The recorded changes of one tag, of one article's tags, or the open conflicts, oldest first."""
        where, params = where_equal(["change = 'conflict' AND settled IS NULL"] if open_conflicts else [],
                               uuid=uuid, article_id=article_id)
        rows = self.conn.execute("SELECT id, uuid, article_id, change, before, after, who, source, at, settled "
                                 f"FROM annotation_history {where} ORDER BY id", params).fetchall()
        return [HistoryEntry(*r[:4], _loads(r[4]), _loads(r[5]), *r[6:]) for r in rows]

    def history_entry(self, entry_id: int) -> HistoryEntry | None:
        """One recorded change by its number."""
        rows = self.conn.execute("SELECT id, uuid, article_id, change, before, after, who, source, at, settled "
                                 "FROM annotation_history WHERE id = ?", [entry_id]).fetchall()
        return next((HistoryEntry(*r[:4], _loads(r[4]), _loads(r[5]), *r[6:]) for r in rows), None)

    def tag_ids_starting(self, prefix: str, limit: int = 5) -> list[str]:
        """Ids of tags (live, deleted or removed: any with a history) starting with ``prefix``
        (any case; read from the indices, as a range of ids)."""
        low = prefix.lower()
        high = low + "\U0010ffff"
        rows = self.conn.execute("SELECT uuid FROM (SELECT uuid FROM annotation_history WHERE uuid >= ?1 AND uuid < ?2 "
                                 "UNION SELECT uuid FROM annotations WHERE uuid >= ?1 AND uuid < ?2) ORDER BY uuid "
                                 "LIMIT ?3", [low, high, limit]).fetchall()
        return [r[0] for r in rows]

    def restore_version(self, entry_id: int, who: str | None = None) -> Annotation:
        """Bring a tag back to a recorded version: for a conflict still open, the incoming one
        (the conflict is then settled as accepted); otherwise the tag as it was before that
        change (a removed tag comes back). The stored tag it replaces stays in the history."""
        with self._recorded_write(who) as conn:
            row = conn.execute("SELECT uuid, change, before, after, settled FROM annotation_history WHERE id = ?",
                               [entry_id]).fetchone()
            if row is None:
                raise KeyError(f"no history entry {entry_id}")
            uuid, change, before, after, settled = row
            accepting = change == "conflict" and settled is None
            conn.execute("UPDATE history_context SET source = ?",
                         [f"{'accepted conflict' if accepting else 'restored before change'} {entry_id}"])
            if accepting:
                version = json.loads(after)
                conn.execute("UPDATE annotation_history SET settled = ? WHERE id = ?",
                             [f"accepted by {who or self.actor or 'unknown'}", entry_id])
            elif before is None:
                raise ValueError(f"history entry {entry_id} created the tag: there is no earlier version")
            else:
                version = dict(json.loads(before), updated=utc_now())
            values = [version[name] for name in HISTORY_FIELDS]
            if conn.execute("UPDATE annotations SET " + ", ".join(f'"{n}" = ?' for n in HISTORY_FIELDS[1:])
                            + " WHERE uuid = ?", [*values[1:], uuid]).rowcount == 0:
                conn.execute(INSERT_ANNOTATION, values)
            found = conn.execute("SELECT * FROM annotations WHERE uuid = ?", [uuid]).fetchone()
            return annotation_from_row(dict(zip(column_names(conn, "annotations"), found)))

    def dismiss_conflict(self, entry_id: int, who: str | None = None) -> None:
        """Settle an open conflict by keeping the stored tag (the incoming version stays in the history)."""
        with self._write() as conn:
            if conn.execute("UPDATE annotation_history SET settled = ? WHERE id = ? AND change = 'conflict' "
                            "AND settled IS NULL", [f"dismissed by {who or self.actor or 'unknown'}", entry_id]
                            ).rowcount == 0:
                raise KeyError(f"history entry {entry_id} is not an open conflict")
