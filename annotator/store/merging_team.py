"""The SQL of merging a team's records (the rules are in :mod:`annotator.merging.team`):
assignments, the gold layer's sources, review decisions and statuses, active time, the
corrections of articles' facts and the moves of tags to new versions. Rows of another
database are read with their types checked (a row is not trusted); each write method is one
short transaction whose decisions are taken inside it."""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, fields
from typing import Any

from ..models import PartialDate
from .article_edits import EDITABLE_FIELDS, _columns, _written
from .connection import Connection


@dataclass(frozen=True)
class AssignmentRow:
    """One annotator assigned to one article, by whom, when, with the plan's settings."""

    article_id: str
    annotator: str
    assigned_by: str | None
    at: str
    plan: str | None


@dataclass(frozen=True)
class GoldSourceRow:
    """A gold tag's source (an annotator's tag it was taken from; none: the reviewer made it)."""

    gold_uuid: str
    source_uuid: str | None
    source_annotator: str | None
    reviewer: str
    at: str


@dataclass(frozen=True)
class ReviewDecisionRow:
    """A reviewer's decision on one disputed place of an article."""

    article_id: str
    item_key: str
    decision: str
    reason: str | None
    reviewer: str
    at: str


@dataclass(frozen=True)
class ReviewStatusRow:
    """An article's review status."""

    article_id: str
    status: str
    reviewer: str
    updated: str


@dataclass(frozen=True)
class ActiveTimeRow:
    """An annotator's active seconds on an article, summed over ``visits`` visits."""

    article_id: str
    annotator: str
    seconds: float
    visits: int
    updated: str


@dataclass(frozen=True)
class ArticleEditRow:
    """One recorded correction of one field of one article."""

    article_id: str
    field: str
    before: str | None
    after: str | None
    who: str | None
    source: str | None
    at: str


@dataclass(frozen=True)
class TagMoveRow:
    """One tag's recorded passage to a new version of its article (or its staying, stranded)."""

    uuid: str
    from_article: str
    to_article: str
    outcome: str
    method: str | None
    old_start: int | None
    old_end: int | None
    new_start: int | None
    new_end: int | None
    reason: str | None
    who: str | None
    at: str


# kind (as the merge report names it) → (table, record type, the columns that order a read)
TEAM_TABLES: dict[str, tuple[str, type, str]] = {
    "assignments": ("assignments", AssignmentRow, "article_id, annotator"),
    "gold_sources": ("gold_sources", GoldSourceRow, "rowid"),
    "review_decisions": ("review_decisions", ReviewDecisionRow, "article_id, item_key"),
    "review_status": ("review_status", ReviewStatusRow, "article_id"),
    "active_time": ("active_time", ActiveTimeRow, "article_id, annotator"),
    "article_edits": ("article_edits", ArticleEditRow, "id"),
    "tag_moves": ("tag_moves", TagMoveRow, "id"),
}


def team_record(kind: str, values: dict[str, Any]) -> Any:
    """The record of ``kind`` from ``values`` (column: value), its types checked: TypeError
    naming the field that is missing or of the wrong type."""
    cls = TEAM_TABLES[kind][1]
    checked = {}
    for f in fields(cls):
        if f.name not in values:
            raise TypeError(f"{f.name} is missing")
        value = values[f.name]
        optional = "None" in str(f.type)
        if value is None and optional:
            checked[f.name] = None
        elif "float" in str(f.type):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise TypeError(f"{f.name} must be a number")
            checked[f.name] = float(value)
        elif "int" in str(f.type):
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"{f.name} must be an integer")
            checked[f.name] = value
        elif not isinstance(value, str):
            raise TypeError(f"{f.name} must be text")
        else:
            checked[f.name] = value
    return cls(**checked)


def read_team_rows(conn: sqlite3.Connection, kind: str, unreadable: list[tuple[str, str, str]],
                   batch: int = 1000) -> Iterator[list[Any]]:
    """The records of ``kind`` in another database, in batches (none when its schema has no
    such table); a row whose values cannot be read is listed in ``unreadable``."""
    table, cls, _order = TEAM_TABLES[kind]
    if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [table]).fetchone() is None:
        return
    names = [f.name for f in fields(cls)]
    columns = ", ".join(f'"{n}"' for n in names)
    last = -1
    while rows := conn.execute(f"SELECT rowid, {columns} FROM {table} WHERE rowid > ? ORDER BY rowid LIMIT ?",
                               [last, batch]).fetchall():
        read = []
        for row in rows:
            try:
                read.append(team_record(kind, dict(zip(names, row[1:]))))
            except TypeError as exc:
                unreadable.append((kind, f"{table} row {row[0]}", f"cannot be read ({exc})"))
        yield read
        last = rows[-1][0]


def article_fact_values(article: Any) -> dict[str, str | None]:
    """The facts a correction may change, as ``article_edits`` writes them, of an article model."""
    published = article.published if isinstance(article.published, PartialDate) else PartialDate.parse(article.published)
    return {"publisher": article.publisher, "original_source": article.original_source,
            "published": str(published) if published.value else None, "story": article.story,
            "title": article.title, "unverified": json.dumps(list(article.unverified))}


def _missing_article(conn: sqlite3.Connection, *article_ids: str) -> str | None:
    for article_id in article_ids:
        if conn.execute("SELECT 1 FROM articles WHERE id = ?", [article_id]).fetchone() is None:
            return f"refused: article {article_id} is not in this database"
    return None


class TeamMergeQueries(Connection):
    """Writing the decisions of a merge of a team's records, one transaction per call."""

    def stored_team_rows(self, kind: str, where: str = "", params: Sequence[Any] = ()) -> list[Any]:
        """The records of ``kind`` here (``where``: an SQL condition on its columns)."""
        table, cls, order = TEAM_TABLES[kind]
        names = [f.name for f in fields(cls)]
        rows = self.conn.execute(f"SELECT {', '.join(chr(34) + n + chr(34) for n in names)} FROM {table} "
                                 f"{'WHERE ' + where if where else ''} ORDER BY {order}", list(params)).fetchall()
        return [cls(*row) for row in rows]

    def merge_assignment_plans(self, plans: Sequence[tuple[str, list[AssignmentRow]]],
                               decide: Callable[[list[AssignmentRow], list[AssignmentRow]], str]) -> list[str]:
        """Per article, its incoming assignments against the stored ones: ``decide(here, there)``
        gives ``added`` / ``updated`` (theirs replace ours as a whole), ``present`` or ``kept``."""
        outcomes = []
        with self._write() as conn:
            for article_id, rows in plans:
                missing = _missing_article(conn, article_id)
                if missing:
                    outcomes.append(missing)
                    continue
                here = [AssignmentRow(*r) for r in conn.execute(
                    "SELECT article_id, annotator, assigned_by, at, plan FROM assignments WHERE article_id = ? "
                    "ORDER BY annotator", [article_id])]
                outcome = decide(here, rows)
                if outcome in ("added", "updated"):
                    conn.execute("DELETE FROM assignments WHERE article_id = ?", [article_id])
                    conn.executemany("INSERT INTO assignments (article_id, annotator, assigned_by, at, plan) "
                                     "VALUES (?,?,?,?,?)", [[r.article_id, r.annotator, r.assigned_by, r.at, r.plan]
                                                            for r in rows])
                outcomes.append(outcome)
        return outcomes

    def merge_gold_sources(self, incoming: Sequence[GoldSourceRow],
                           decide: Callable[[GoldSourceRow | None, GoldSourceRow], str]) -> list[str]:
        """Merge the gold tags' sources, matched by gold tag and source tag (none: the reviewer's
        own): ``decide(stored, incoming)`` as for :meth:`merge_keyed_rows`; ``refused: why`` for
        a gold tag not here."""
        outcomes = []
        with self._write() as conn:
            for r in incoming:
                if conn.execute("SELECT 1 FROM annotations WHERE uuid = ?", [r.gold_uuid]).fetchone() is None:
                    outcomes.append(f"refused: gold tag {r.gold_uuid} is not in this database")
                    continue
                match = "gold_uuid = ? AND source_uuid IS ?"
                row = conn.execute(f"SELECT gold_uuid, source_uuid, source_annotator, reviewer, at FROM gold_sources "
                                   f"WHERE {match}", [r.gold_uuid, r.source_uuid]).fetchone()
                outcome = decide(GoldSourceRow(*row) if row else None, r)
                if outcome in ("added", "updated"):
                    conn.execute(f"DELETE FROM gold_sources WHERE {match}", [r.gold_uuid, r.source_uuid])
                    conn.execute("INSERT INTO gold_sources (gold_uuid, source_uuid, source_annotator, reviewer, at) "
                                 "VALUES (?,?,?,?,?)", [r.gold_uuid, r.source_uuid, r.source_annotator, r.reviewer,
                                                        r.at])
                outcomes.append(outcome)
        return outcomes

    def merge_keyed_rows(self, kind: str, incoming: Sequence[Any], key: Sequence[str],
                         decide: Callable[[Any | None, Any], str]) -> list[str]:
        """Merge records of a table with a primary key (``key``, its columns): ``decide(stored,
        incoming)`` gives ``added`` / ``updated`` (the incoming row replaces it), ``present`` or
        ``kept``; ``refused: why`` for an article not here."""
        table, cls, _order = TEAM_TABLES[kind]
        names = [f.name for f in fields(cls)]
        columns = ", ".join(f'"{n}"' for n in names)
        match = " AND ".join(f'"{k}" = ?' for k in key)
        outcomes = []
        with self._write() as conn:
            for r in incoming:
                missing = _missing_article(conn, r.article_id)
                if missing:
                    outcomes.append(missing)
                    continue
                row = conn.execute(f"SELECT {columns} FROM {table} WHERE {match}",
                                   [getattr(r, k) for k in key]).fetchone()
                outcome = decide(cls(*row) if row else None, r)
                if outcome in ("added", "updated"):
                    conn.execute(f"INSERT OR REPLACE INTO {table} ({columns}) VALUES ({', '.join('?' * len(names))})",
                                 [getattr(r, n) for n in names])
                outcomes.append(outcome)
        return outcomes

    def merge_log_rows(self, kind: str, incoming: Sequence[Any]) -> list[str]:
        """Add the rows of a log (``article_edits``, ``tag_moves``) this database lacks, matched on
        every column but the id (``added`` or ``present``; ``refused: why`` for an article not here)."""
        table, cls, _order = TEAM_TABLES[kind]
        names = [f.name for f in fields(cls)]
        columns = ", ".join(f'"{n}"' for n in names)
        match = " AND ".join(f'"{n}" IS ?' for n in names)
        outcomes = []
        with self._write() as conn:
            for r in incoming:
                articles = (r.article_id,) if kind == "article_edits" else (r.from_article, r.to_article)
                missing = _missing_article(conn, *articles)
                if missing:
                    outcomes.append(missing)
                    continue
                values = [getattr(r, n) for n in names]
                if conn.execute(f"SELECT 1 FROM {table} WHERE {match} LIMIT 1", values).fetchone():
                    outcomes.append("present")
                    continue
                conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({', '.join('?' * len(names))})", values)
                outcomes.append("added")
        return outcomes

    def article_facts(self, article_ids: Sequence[str]) -> dict[str, dict[str, str | None]]:
        """article id → its facts a correction may change, as ``article_edits`` writes them."""
        result = {}
        for at in range(0, len(article_ids), 500):
            part = list(article_ids[at:at + 500])
            cursor = self.conn.execute(f"SELECT * FROM articles WHERE id IN ({', '.join('?' * len(part))})", part)
            names = [d[0] for d in cursor.description]
            for found in cursor.fetchall():
                row = dict(zip(names, found))
                result[row["id"]] = {field: _written(field, row) for field in EDITABLE_FIELDS}
        return result

    def set_article_facts(self, changes: Sequence[tuple[str, str, str | None]]) -> list[str]:
        """Set facts of articles (article id, field, value as ``article_edits`` writes it) in one
        transaction, without a new correction row (the other side's rows, merged too, tell
        it). Per change ``updated``, or ``refused: why`` (an outlet not here)."""
        outcomes = []
        with self._write() as conn:
            for article_id, field, value in changes:
                if field in ("publisher", "original_source") and value is not None and conn.execute(
                        "SELECT 1 FROM outlets WHERE id = ?", [value]).fetchone() is None:
                    outcomes.append(f"refused: its outlet {value!r} is not in this database")
                    continue
                parsed: Any = value
                if field == "published":
                    parsed = PartialDate.parse(value)
                elif field == "unverified":
                    parsed = json.loads(value or "[]")
                updates = _columns(field, parsed)
                conn.execute(f"UPDATE articles SET {', '.join(f'{chr(34)}{n}{chr(34)} = ?' for n in updates)} "
                             "WHERE id = ?", [*updates.values(), article_id])
                outcomes.append("updated")
        return outcomes
