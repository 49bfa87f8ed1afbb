"""The SQL of ``annotator merge`` (the rules are in :mod:`annotator.merging.merge`): reading another
annotations database read-only in a connection of its own, and writing what the rules
decided into this one, one short transaction per batch."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..models import STORED, Annotation, Article, Outlet
from .annotations import INSERT_ANNOTATION, AnnotationQueries, annotation_from_row, annotation_values, history_record
from .articles import _article_from_row, insert_article
from .connection import StoreError
from .outlets import _dump, _record, _write
from .schema import HISTORY_FIELDS, NOW_SQL, SCHEMA_VERSION
from .sql import NOT_STAGED, column_names

SQLITE_HEADER = b"SQLite format 3\x00"
# What a database needs for a merge (schema 9 on: outlets with their history)
_NEEDED = {"articles": {"id", "text", "current"}, "annotations": {"uuid", "deleted"},
           "annotation_history": {"after"}, "article_status": {"status"}, "rejected_suggestions": {"variant"},
           "outlets": {"data", "edited"}, "outlet_history": {"fields"}, "imports": {"id"}, "staged_articles": {"import_id"}}


@dataclass(frozen=True)
class StatusMark:
    """One annotator's mark on an article: ``done`` or ``not done`` (a done mark taken back)."""

    article_id: str
    annotator: str
    status: str
    updated: str


@dataclass(frozen=True)
class Rejection:
    """A lexicon suggestion an annotator rejected (``withdrawn``: offered again since)."""

    article_id: str
    annotator: str
    start: int
    end: int
    concept: str | None
    variant: str
    created: str
    updated: str
    withdrawn: bool = False


@dataclass(frozen=True)
class OutletState:
    """An outlet as one database holds it: its facts, the fields a user set (``*``: all)
    and when each field last changed (from the outlet's history)."""

    outlet: Outlet
    edited: tuple[str, ...]
    field_times: dict[str, str]


def outlet_states(conn: sqlite3.Connection, unreadable: list[tuple[str, str, str]] | None = None
                  ) -> dict[str, OutletState]:
    """Every outlet of a database with the fields a user set and when each field last changed.
    With ``unreadable``: an outlet whose values cannot be read is left out and listed there
    (another database is not trusted); without, it raises."""
    times: dict[str, dict[str, str]] = {}
    for outlet_id, fields, at in conn.execute("SELECT outlet_id, fields, at FROM outlet_history ORDER BY id"):
        try:
            names = json.loads(fields or "[]")
        except (TypeError, ValueError):
            names = []
        for name in names if isinstance(names, list) and isinstance(at, str) else []:
            times.setdefault(str(outlet_id), {})[str(name)] = at
    states = {}
    for outlet_id, data, edited in conn.execute("SELECT id, data, edited FROM outlets ORDER BY id"):
        try:
            names = json.loads(edited or "[]")
            states[outlet_id] = OutletState(Outlet.model_validate_json(data, context=STORED),
                                            tuple(str(n) for n in names), times.get(outlet_id, {}))
        except (TypeError, ValueError) as exc:
            if unreadable is None:
                raise
            unreadable.append(("outlets", str(outlet_id), f"cannot be read ({str(exc).splitlines()[0][:200]})"))
    return states


def outlet_removals(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    """(outlet id, the outlet it was merged into, when) for every outlet merged away (the
    history's ``merged`` rows name the other outlet at the end of their source: ``(into ID)``)."""
    rows = conn.execute("SELECT outlet_id, source, at FROM outlet_history WHERE change = 'merged' ORDER BY id")
    return [(str(r[0]), r[1].rsplit("(into ", 1)[1].rstrip(")"), r[2]) for r in rows
            if isinstance(r[1], str) and isinstance(r[2], str) and "(into " in r[1]]


def _rejection_columns(conn: sqlite3.Connection) -> str:
    names = {row[1] for row in conn.execute("PRAGMA table_info(rejected_suggestions)")}
    return ("coalesce(updated, created), withdrawn" if "withdrawn" in names else "created, 0")


class OtherDatabase:
    """Another annotations database, opened read-only in a connection of its own (never
    attached to this one, never written). :class:`StoreError` with one line for a file that
    is not one (not SQLite, damaged, another program's, a newer or much older annotator's)."""

    def __init__(self, path: Path):
        self.path = path
        try:
            with path.open("rb") as fh:
                head = fh.read(len(SQLITE_HEADER))
        except OSError as exc:
            raise StoreError(f"{path}: cannot be read ({exc.strerror or exc})") from None
        if head != SQLITE_HEADER:
            raise StoreError(f"{path}: not an SQLite database (nor a bundle or JSON-lines export)")
        self.unreadable: list[tuple[str, str, str]] = []  # (kind, key, why) of rows whose values cannot be read
        self.conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True, isolation_level=None,
                                    check_same_thread=False)
        try:
            self._check()
        except sqlite3.DatabaseError as exc:
            self.close()
            raise StoreError(f"{path}: the database is damaged or unreadable ({exc})") from None
        except StoreError:
            self.close()
            raise

    def _check(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: schema version {version} is newer than this annotator "
                             f"({SCHEMA_VERSION}); upgrade annotator")
        tables = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if version == 0 or not {"articles", "annotations"} <= tables:
            raise StoreError(f"{self.path}: is not an annotator database (another program's SQLite file)")
        for table, columns in _NEEDED.items():
            have = {r[1] for r in self.conn.execute(f"PRAGMA table_info({table})")}
            if not columns <= have:
                raise StoreError(f"{self.path}: made by an older annotator (schema {version}); open it once with "
                                 f"this one (`annotator articles --db {path_arg(self.path)}`) to bring it up to "
                                 "date, then merge")
        problems = [r[0] for r in self.conn.execute("PRAGMA quick_check(3)")]
        if problems != ["ok"]:
            raise StoreError(f"{self.path}: the database is damaged ({'; '.join(problems)})")

    def close(self) -> None:
        self.conn.close()

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        """Rows of a query on the other database; its errors (damaged pages found late) as one line."""
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: the database is damaged or unreadable ({exc}); the merge stopped "
                             "(what was merged before stays; run it again once the file is repaired)") from None

    def _read(self, kind: str, key: Any, make: Callable[[], Any]) -> Any:
        """``make()``, or None with the row kept in :attr:`unreadable` when its values cannot be read."""
        try:
            return make()
        except (ValueError, TypeError, KeyError, AttributeError, IndexError) as exc:  # pydantic's errors are ValueErrors
            self.unreadable.append((kind, str(key), f"cannot be read ({str(exc).splitlines()[0][:200]})"))
            return None

    def outlets(self) -> dict[str, OutletState]:
        try:
            return outlet_states(self.conn, self.unreadable)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: the database is damaged or unreadable ({exc}); nothing was merged") from None

    def outlet_removals(self) -> list[tuple[str, str, str]]:
        return outlet_removals(self.conn)

    def articles(self, batch: int = 200) -> Iterator[list[tuple[Article, bool]]]:
        """Every article (all versions, none staged by an import) and whether it is current, in batches."""
        last = -1
        cols = [d[0] for d in self.conn.execute("SELECT * FROM articles LIMIT 0").description]
        current = cols.index("current")
        while rows := self._query(f"SELECT rowid, * FROM articles a WHERE rowid > ? AND {NOT_STAGED} "
                                  "ORDER BY rowid LIMIT ?", [last, batch]):
            read = [self._read("articles", row[1], lambda row=row: (_article_from_row(self.conn, row[1:]),
                                                                    bool(row[1:][current]))) for row in rows]
            yield [r for r in read if r is not None]
            last = rows[-1][0]

    def annotations(self, batch: int = 500) -> Iterator[list[Annotation]]:
        """Every annotation (deleted ones too), in batches."""
        last = -1
        cols = [d[0] for d in self.conn.execute("SELECT * FROM annotations LIMIT 0").description]
        while rows := self._query("SELECT rowid, * FROM annotations WHERE rowid > ? ORDER BY rowid LIMIT ?",
                                  [last, batch]):
            read = [self._read("annotations", row[1], lambda row=row: _annotation(dict(zip(cols, row[1:]))))
                    for row in rows]
            yield [r for r in read if r is not None]
            last = rows[-1][0]

    def versions(self, uuid: str) -> list[dict[str, Any]]:
        """Every version of a tag its history holds (a version that cannot be read is left out)."""
        found = []
        for (after,) in self._query("SELECT after FROM annotation_history WHERE uuid = ? AND after IS NOT NULL "
                                    "ORDER BY id", [uuid]):
            try:
                version = json.loads(after)
            except (TypeError, ValueError):
                continue
            if isinstance(version, dict):
                found.append(version)
        return found

    def team_rows(self, kind: str) -> Iterator[list[Any]]:
        """The team's records of ``kind`` (see :mod:`annotator.store.merging_team`), in batches."""
        from .merging_team import read_team_rows

        try:
            yield from read_team_rows(self.conn, kind, self.unreadable)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: the database is damaged or unreadable ({exc}); the merge stopped "
                             "(what was merged before stays; run it again once the file is repaired)") from None

    def statuses(self, batch: int = 1000) -> Iterator[list[StatusMark]]:
        after: tuple[Any, ...] = ("", "")
        while rows := self._query("SELECT article_id, annotator, status, updated FROM article_status WHERE "
                                  "(article_id, annotator) > (?, ?) ORDER BY article_id, annotator LIMIT ?",
                                  [*after, batch]):
            read = [self._read("statuses", f"{r[0]}/{r[1]}", lambda r=r: StatusMark(*_texts(r))) for r in rows]
            yield [r for r in read if r is not None]
            after = rows[-1][:2]

    def rejections(self, batch: int = 1000) -> Iterator[list[Rejection]]:
        last = -1
        extra = _rejection_columns(self.conn)
        while rows := self._query("SELECT rowid, article_id, annotator, start, \"end\", concept, variant, "
                                  f"created, {extra} FROM rejected_suggestions WHERE rowid > ? ORDER BY rowid "
                                  "LIMIT ?", [last, batch]):
            read = [self._read("rejections", f"{r[1]}/{r[2]}", lambda r=r: _rejection(r[1:])) for r in rows]
            yield [r for r in read if r is not None]
            last = rows[-1][0]


def _texts(values: Sequence[Any]) -> list[str]:
    if not all(isinstance(v, str) for v in values):
        raise TypeError("a value that should be text is not")
    return list(values)


def _rejection(row: Sequence[Any]) -> Rejection:
    article_id, annotator, start, end, concept, variant, created, updated, withdrawn = row
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
        raise TypeError("start and end must be integers")
    if concept is not None and not isinstance(concept, str):
        raise TypeError("concept must be text")
    return Rejection(*_texts([article_id, annotator]), start, end, concept,
                     *_texts([variant, created, updated]), bool(withdrawn))


def _annotation(data: dict[str, Any]) -> Annotation:
    """A row of another database as an annotation, its types checked (a row is not trusted)."""
    for name in ("uuid", "article_id", "text_sha256", "created", "updated"):
        if not isinstance(data.get(name), str):
            raise TypeError(f"{name} must be text")
    if not all(data.get(n) is None or (isinstance(data[n], int) and not isinstance(data[n], bool))
               for n in ("start", "end")):
        raise TypeError("start and end must be integers")
    return annotation_from_row(data)


def path_arg(path: Path) -> str:
    import shlex

    return shlex.quote(str(path))


def versions(conn: sqlite3.Connection, uuid: str) -> list[dict[str, Any]]:
    """Every version of a tag its history holds (created, changed, and conflict versions)."""
    return [json.loads(r[0]) for r in conn.execute(
        "SELECT after FROM annotation_history WHERE uuid = ? AND after IS NOT NULL ORDER BY id", [uuid])]


class MergeQueries(AnnotationQueries):
    """Writing a merge's decisions: each method is one short write transaction whose
    decisions are taken inside it (by the rule given), so merges running at once agree."""

    def outlet_states(self) -> dict[str, OutletState]:
        """Every outlet here with the fields a user set and when each last changed."""
        return outlet_states(self.conn)

    def outlet_removals(self) -> list[tuple[str, str, str]]:
        """(outlet id, the outlet it was merged into, when) for every outlet merged away here."""
        return outlet_removals(self.conn)

    def write_merged_outlets(self, outlets: Sequence[tuple[Outlet, list[str]]], who: str | None,
                             source: str) -> None:
        """Store merged outlets (new or changed) with the fields a user set, each change recorded."""
        with self._write() as conn:
            for outlet, edited in outlets:
                old = conn.execute("SELECT data FROM outlets WHERE id = ?", [outlet.id]).fetchone()
                _write(conn, outlet, edited)
                _record(conn, outlet.id, "changed" if old else "created", old[0] if old else None, _dump(outlet),
                        who, source)

    def merge_articles(self, incoming: Sequence[tuple[Article, bool]]) -> tuple[list[str], list[tuple[str, list[str]]]]:
        """Add the articles this database lacks, with their versions, in one transaction. Per
        article: ``added``, ``present`` or ``refused: why``. An article is current when no
        stored article supersedes it; of several current articles of one source (the same
        ``source_key``, or superseding the same article) the one imported last stays
        current: returned as (kept id, the others) for each such group."""
        outcomes: list[str] = []
        added: list[Article] = []
        with self._write() as conn:
            for article, _current in incoming:
                row = conn.execute("SELECT text_sha256 FROM articles WHERE id = ?", [article.id]).fetchone()
                if row is not None:
                    outcomes.append("present" if row[0] == article.text_sha256 else
                                    f"refused: article {article.id} holds another text here")
                    continue
                missing = [o for o in (article.publisher, article.original_source)
                           if o is not None and conn.execute("SELECT 1 FROM outlets WHERE id = ?", [o]).fetchone() is None]
                if missing:
                    outcomes.append(f"refused: its outlet {missing[0]!r} is not in this database (refused above, "
                                    "or missing there)")
                    continue
                insert_article(conn, article, article.version, article.supersedes, False, None)
                added.append(article)
                outcomes.append("added")
            diverged = _settle_current(conn, added)
            if added:
                conn.execute("UPDATE import_state SET commits = commits + 1")  # imports running decide versions again
        return outcomes, diverged

    def merge_tags(self, incoming: Sequence[Any], decide: Callable[[Annotation | None, Any, list[dict[str, Any]]], Any],
                   who: str | None, source: str) -> list[Any]:
        """Merge tags (items with an ``annotation``) by uuid in one transaction: ``decide(stored,
        item, a function reading the versions its history here holds)`` gives a decision (``outcome`` added / updated / ...;
        ``record_loser``: the incoming version is kept in the history as a conflict settled by
        the rule ``decision.conflict.rule``). Changes are recorded as made by ``who`` from ``source``."""
        decisions = []
        cols = column_names(self.conn, "annotations")
        with self._recorded_write(who, source) as conn:
            for item in incoming:
                annotation = item.annotation
                row = conn.execute("SELECT * FROM annotations WHERE uuid = ?", [annotation.uuid]).fetchone()
                stored = annotation_from_row(dict(zip(cols, row))) if row else None
                decision = decide(stored, item, lambda uuid=annotation.uuid: versions(conn, uuid))
                values = annotation_values(annotation)
                if decision.outcome == "added":
                    conn.execute(INSERT_ANNOTATION, values)
                elif decision.outcome == "updated":
                    conn.execute("UPDATE annotations SET " + ", ".join(f'"{c}" = ?' for c in HISTORY_FIELDS[1:])
                                 + " WHERE uuid = ?", [*values[1:], values[0]])
                if decision.record_loser and stored is not None:
                    rule = decision.conflict.rule if decision.conflict else "the stored version is the later one"
                    conn.execute("INSERT INTO annotation_history (uuid, article_id, change, before, after, who, source, "
                                 f"at, settled) VALUES (?, ?, 'conflict', ?, ?, ?, ?, {NOW_SQL}, ?)",
                                 [stored.uuid, stored.article_id, json.dumps(history_record(stored), ensure_ascii=False),
                                  json.dumps(history_record(annotation), ensure_ascii=False), who, source,
                                  f"kept the stored version by merge ({rule})"])
                decisions.append(decision)
        return decisions

    def stored_unchanged(self, annotations: Sequence[Annotation]) -> set[str]:
        """The uuids of ``annotations`` stored here exactly so (a merge skips them at once)."""
        wanted = {a.uuid: tuple(annotation_values(a)) for a in annotations}
        same: set[str] = set()
        uuids = list(wanted)
        for at in range(0, len(uuids), 500):
            part = uuids[at:at + 500]
            rows = self.conn.execute("SELECT " + ", ".join(f'"{f}"' for f in HISTORY_FIELDS) + " FROM annotations WHERE uuid IN "
                                     f"({', '.join('?' * len(part))})", part).fetchall()
            same.update(row[0] for row in rows if tuple(row) == wanted[row[0]])
        return same

    def merge_statuses(self, incoming: Sequence[StatusMark],
                       decide: Callable[[StatusMark | None, StatusMark], str]) -> list[str]:
        """Merge annotators' marks on articles in one transaction; per mark the outcome of ``decide``
        (or ``refused: why`` for an article not here)."""
        outcomes = []
        with self._write() as conn:
            for mark in incoming:
                if conn.execute("SELECT 1 FROM articles WHERE id = ?", [mark.article_id]).fetchone() is None:
                    outcomes.append(f"refused: article {mark.article_id} is not in this database")
                    continue
                row = conn.execute("SELECT article_id, annotator, status, updated FROM article_status "
                                   "WHERE article_id = ? AND annotator = ?", [mark.article_id, mark.annotator]).fetchone()
                outcome = decide(StatusMark(*row) if row else None, mark)
                if outcome in ("added", "updated"):
                    conn.execute("INSERT INTO article_status (article_id, annotator, status, updated) VALUES (?,?,?,?) "
                                 "ON CONFLICT(article_id, annotator) DO UPDATE SET status = excluded.status, "
                                 "updated = excluded.updated", [mark.article_id, mark.annotator, mark.status, mark.updated])
                outcomes.append(outcome)
        return outcomes

    def merge_rejections(self, incoming: Sequence[Rejection],
                         decide: Callable[[Rejection | None, Rejection], str]) -> list[str]:
        """Merge rejected suggestions in one transaction; per rejection the outcome of ``decide``
        (or ``refused: why`` for an article not here)."""
        outcomes = []
        extra = _rejection_columns(self.conn)
        with self._write() as conn:
            for r in incoming:
                if conn.execute("SELECT 1 FROM articles WHERE id = ?", [r.article_id]).fetchone() is None:
                    outcomes.append(f"refused: article {r.article_id} is not in this database")
                    continue
                key = [r.article_id, r.annotator, r.start, r.end, r.variant]
                row = conn.execute(f"SELECT article_id, annotator, start, \"end\", concept, variant, created, {extra} "
                                   "FROM rejected_suggestions WHERE article_id = ? AND annotator = ? AND start = ? "
                                   "AND \"end\" = ? AND variant = ?", key).fetchone()
                outcome = decide(Rejection(*row[:8], bool(row[8])) if row else None, r)
                if outcome in ("added", "updated"):
                    conn.execute("INSERT INTO rejected_suggestions (article_id, annotator, start, \"end\", concept, "
                                 "variant, created, updated, withdrawn) VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT DO "
                                 "UPDATE SET updated = excluded.updated, withdrawn = excluded.withdrawn",
                                 [*key[:4], r.concept, r.variant, r.created, r.updated, int(r.withdrawn)])
                outcomes.append(outcome)
        return outcomes

    def copy_to(self, target: Path) -> None:
        """Copy this database, as it is now, to a new file (a dry run merges into the copy)."""
        copy = sqlite3.connect(str(target))
        try:
            self.conn.backup(copy)
        finally:
            copy.close()


def _settle_current(conn: sqlite3.Connection, added: Sequence[Article]) -> list[tuple[str, list[str]]]:
    """Decide which of the just added articles (and the articles they supersede) are current."""
    for article in added:
        superseded = conn.execute("SELECT 1 FROM articles WHERE supersedes = ? LIMIT 1", [article.id]).fetchone()
        conn.execute("UPDATE articles SET current = ? WHERE id = ?", [int(superseded is None), article.id])
        if article.supersedes:
            conn.execute("UPDATE articles SET current = 0 WHERE id = ?", [article.supersedes])
    diverged = []
    seen: set[str] = set()
    for article in added:
        rows = conn.execute(f"SELECT id, imported_at FROM articles a WHERE current = 1 AND {NOT_STAGED} AND "
                            "(source_key = ? OR (supersedes IS NOT NULL AND supersedes = ?))",
                            [article.source_key, article.supersedes]).fetchall()
        if len(rows) < 2 or rows[0][0] in seen:
            continue
        ranked = sorted(rows, key=lambda r: (r[1] or "", r[0]), reverse=True)
        for other, _ in ranked[1:]:
            conn.execute("UPDATE articles SET current = 0 WHERE id = ?", [other])
        seen.update(r[0] for r in rows)
        diverged.append((ranked[0][0], [r[0] for r in ranked[1:]]))
    return diverged
