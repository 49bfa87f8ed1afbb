"""Annotations (tags, answers, notes) and what each annotator keeps per article: its
status (done), the suggestions rejected, and the article opened last."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from ..models import FIELD_LIMITS, STORED, Annotation, utc_now
from .connection import Connection
from .schema import DERIVED_COLUMNS, HISTORY_FIELDS, NOW_SQL
from .sql import NOT_STAGED, column_names, in_chunks, is_later, where_equal


INSERT_ANNOTATION = (
    "INSERT INTO annotations (uuid, article_id, text_sha256, annotator, codebook_id, codebook_version, "
    "category, label, start, \"end\", quote, prefix, suffix, attributes, note, origin, created, updated, "
    "deleted) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
)


def annotation_values(a: Annotation) -> list[Any]:
    """An annotation's values in the column order of :data:`INSERT_ANNOTATION`."""
    return [
        a.uuid, a.article_id, a.text_sha256, a.annotator, a.codebook_id, a.codebook_version, a.category,
        a.label, a.start, a.end, a.quote, a.prefix, a.suffix, json.dumps(a.attributes), a.note,
        a.origin.value, a.created, a.updated, int(a.deleted),
    ]


def history_record(a: Annotation) -> dict[str, Any]:
    """An annotation as a history row's JSON object holds it (as the triggers write it)."""
    return dict(zip(HISTORY_FIELDS, annotation_values(a)))


def annotation_from_row(data: dict[str, Any]) -> Annotation:
    """An annotation from its row (column name: value), leaving out the columns triggers keep."""
    data = {k: v for k, v in data.items() if k not in DERIVED_COLUMNS}
    data["attributes"] = json.loads(data["attributes"] or "{}")
    data["deleted"] = bool(data["deleted"])
    return Annotation.model_validate(data, context=STORED)  # a database written before a limit stays readable


_UPDATE_ANNOTATION = (
    "UPDATE annotations SET article_id = ?, text_sha256 = ?, annotator = ?, codebook_id = ?, codebook_version = ?, "
    "category = ?, label = ?, start = ?, \"end\" = ?, quote = ?, prefix = ?, suffix = ?, attributes = ?, note = ?, "
    "origin = ?, created = ?, updated = ?, deleted = ? WHERE uuid = ?"
)


class AnnotationQueries(Connection):
    """Annotations and per-annotator article state."""

    def set_status(self, article_id: str, annotator: str, done: bool) -> None:
        """Mark an article done (or not done) for one annotator. Not done is kept as a row
        (``not done``, with its time) so that a merge carries the undoing of a done mark."""
        with self._write() as conn:
            conn.execute(
                "INSERT INTO article_status (article_id, annotator, status, updated) VALUES (?,?,?,?) "
                "ON CONFLICT(article_id, annotator) DO UPDATE SET status=excluded.status, updated=excluded.updated",
                [article_id, annotator, "done" if done else "not done", utc_now()],
            )

    def status(self, article_id: str, annotator: str) -> str:
        """new / in progress / done for one annotator."""
        done = self.conn.execute(
            "SELECT 1 FROM article_status WHERE article_id = ? AND annotator = ? AND status = 'done'", [article_id, annotator]
        ).fetchone()
        if done:
            return "done"
        tags = self.conn.execute(
            "SELECT 1 FROM annotations WHERE article_id = ? AND annotator = ? AND deleted = 0 LIMIT 1", [article_id, annotator]
        ).fetchone()
        return "in progress" if tags else "new"

    def progress(self, annotator: str) -> tuple[int, int]:
        """(done, total) current articles for one annotator: of those assigned to them when
        they have assignments (``annotator assign``), else of all."""
        assigned = self.conn.execute("SELECT 1 FROM assignments WHERE annotator = ? LIMIT 1", [annotator]).fetchone()
        mine = "AND a.id IN (SELECT g.article_id FROM assignments g WHERE g.annotator = ?)" if assigned else ""
        total = self.count_articles(assigned=annotator if assigned else None)
        done = self.conn.execute(
            "SELECT count(*) FROM article_status s JOIN articles a ON a.id = s.article_id "
            f"WHERE s.annotator = ? AND s.status = 'done' AND a.current = 1 {mine}", [annotator, *([annotator] if assigned else [])]
        ).fetchone()[0]
        return done, total

    def add_active_time(self, article_id: str, annotator: str, seconds: float) -> None:
        """Add one visit's active seconds to an annotator's time on an article."""
        with self._write() as conn:
            conn.execute("INSERT INTO active_time (article_id, annotator, seconds, visits, updated) VALUES (?,?,?,1,?) "
                         "ON CONFLICT(article_id, annotator) DO UPDATE SET seconds = seconds + excluded.seconds, "
                         "visits = visits + 1, updated = excluded.updated", [article_id, annotator, seconds, utc_now()])

    def active_times(self) -> dict[str, list[float]]:
        """annotator → the active seconds they spent on each current article they opened."""
        result: dict[str, list[float]] = {}
        for annotator, seconds in self.conn.execute(
                "SELECT t.annotator, t.seconds FROM active_time t JOIN articles a ON a.id = t.article_id "
                "WHERE a.current = 1 ORDER BY t.annotator"):
            result.setdefault(annotator, []).append(seconds)
        return result

    def has_annotations(self, annotator: str) -> bool:
        """Has this annotator ever made a tag, an answer or a note (deleted ones count)?"""
        return self.conn.execute("SELECT 1 FROM annotations WHERE annotator = ? LIMIT 1", [annotator]).fetchone() is not None

    def note_opened(self, annotator: str, article_id: str) -> None:
        """Remember the article an annotator opened last (where they left off)."""
        with self._write() as conn:
            conn.execute("INSERT INTO reading_places (annotator, article_id, opened) VALUES (?,?,?) "
                         "ON CONFLICT(annotator) DO UPDATE SET article_id = excluded.article_id, opened = excluded.opened",
                         [annotator, article_id, utc_now()])

    def last_opened(self, annotator: str) -> str | None:
        """The current version of the article an annotator opened last, if it is still there."""
        row = self.conn.execute(
            "SELECT a.id, a.current, a.source_key FROM reading_places p JOIN articles a ON a.id = p.article_id "
            "WHERE p.annotator = ?", [annotator]).fetchone()
        if row is None:
            return None
        if row[1]:
            return row[0]
        newer = self.conn.execute(f"SELECT id FROM articles a WHERE source_key = ? AND current = 1 AND {NOT_STAGED}",
                                  [row[2]]).fetchone()
        return newer[0] if newer else None

    def reject_suggestion(self, article_id: str, annotator: str, start: int, end: int, concept: str, variant: str) -> None:
        """Remember that ``annotator`` rejected a suggestion (not offered to them again)."""
        now = utc_now()
        with self._write() as conn:
            conn.execute(
                "INSERT INTO rejected_suggestions (article_id, annotator, start, \"end\", concept, variant, created, "
                "updated, withdrawn) VALUES (?,?,?,?,?,?,?,?,0) ON CONFLICT DO UPDATE SET withdrawn = 0, "
                "updated = excluded.updated WHERE withdrawn = 1",
                [article_id, annotator, start, end, concept, variant, now, now],
            )

    def unreject_suggestion(self, article_id: str, annotator: str, start: int, end: int, variant: str) -> None:
        """Offer a rejected suggestion to ``annotator`` again (undoes :meth:`reject_suggestion`). The
        row stays, marked withdrawn, so that a merge carries the change."""
        with self._write() as conn:
            conn.execute(
                "UPDATE rejected_suggestions SET withdrawn = 1, updated = ? WHERE article_id = ? AND annotator = ? "
                "AND start = ? AND \"end\" = ? AND variant = ? AND withdrawn = 0",
                [utc_now(), article_id, annotator, start, end, variant],
            )

    def rejected_suggestions(self, article_id: str, annotator: str) -> set[tuple[int, int, str]]:
        """(start, end, variant) of the suggestions ``annotator`` rejected in an article."""
        rows = self.conn.execute(
            "SELECT start, \"end\", variant FROM rejected_suggestions WHERE article_id = ? AND annotator = ? "
            "AND withdrawn = 0",
            [article_id, annotator],
        ).fetchall()
        return {(r[0], r[1], r[2]) for r in rows}

    # -- annotations -----------------------------------------------------------------

    @contextmanager
    def _recorded_write(self, who: str | None = None, source: str | None = None) -> Iterator[sqlite3.Connection]:
        """A write transaction whose annotation changes the history triggers record as made
        by ``who`` (default :attr:`actor`) from ``source`` (default :attr:`actor_source`)."""
        with self._write() as conn:
            conn.execute("INSERT OR REPLACE INTO history_context (id, who, source) VALUES (1, ?, ?)",
                         [who or self.actor, source or self.actor_source])
            yield conn
            conn.execute("DELETE FROM history_context")

    def add_annotation(self, annotation: Annotation) -> Annotation:
        """Store a new annotation (committed on return)."""
        with self._recorded_write() as conn:
            conn.execute(INSERT_ANNOTATION, annotation_values(annotation))
        return annotation

    def swap_annotations(self, delete: list[str], undelete: list[str], add: Annotation | None = None) -> None:
        """Soft-delete some annotations, bring back others and add one, in one transaction
        (e.g. replacing a single-choice answer: never the old gone without the new saved)."""
        now = utc_now()
        with self._recorded_write() as conn:
            for uuids, flag in ((delete, 1), (undelete, 0)):
                for uuid in uuids:
                    conn.execute("UPDATE annotations SET deleted = ?, updated = ? WHERE uuid = ?", [flag, now, uuid])
            if add is not None:
                conn.execute(INSERT_ANNOTATION, annotation_values(add))

    def upsert_annotations(self, annotations: Iterable[Annotation], owner: str | None = None,
                           source: str | None = None) -> list[str]:
        """Merge annotations by uuid in one transaction (``import-annotations``); per annotation:
        ``added`` (new uuid), ``present`` (stored exactly so), ``kept`` (the stored one is as
        new or newer and stays), ``updated`` (a later version of a tag of ``owner``, the one
        merging, replaces it), ``conflict`` (a later version of someone else's tag: the stored
        tag stays, the incoming one is kept as an open conflict in the history, once; a
        version whose conflict was dismissed is ``kept``) or
        ``refused: why`` (it would give a stored tag another annotator or article). Changes
        are recorded in the history as made by ``owner`` from ``source``. Decided inside the
        write transaction, so merges running at once agree."""
        outcomes: list[str] = []
        cols = column_names(self.conn, "annotations")
        with self._recorded_write(owner, source) as conn:
            for annotation in annotations:
                row = conn.execute("SELECT * FROM annotations WHERE uuid = ?", [annotation.uuid]).fetchone()
                if row is None:
                    conn.execute(INSERT_ANNOTATION, annotation_values(annotation))
                    outcomes.append("added")
                    continue
                stored = annotation_from_row(dict(zip(cols, row)))
                if (stored.annotator, stored.article_id) != (annotation.annotator, annotation.article_id):
                    outcomes.append(f"refused: id {stored.uuid} is a tag of {stored.annotator!r} on article "
                                    f"{stored.article_id}; a record may not change its annotator or article")
                elif stored == annotation:
                    outcomes.append("present")
                elif not is_later(annotation.updated, stored.updated):
                    outcomes.append("kept")
                elif owner is not None and stored.annotator == owner:
                    values = annotation_values(annotation)
                    conn.execute(_UPDATE_ANNOTATION, [*values[1:], values[0]])
                    outcomes.append("updated")
                else:
                    incoming = json.dumps(history_record(annotation), ensure_ascii=False)
                    earlier = conn.execute("SELECT settled FROM annotation_history WHERE uuid = ? AND change = "
                                           "'conflict' AND after = ? ORDER BY settled IS NULL DESC LIMIT 1",
                                           [annotation.uuid, incoming]).fetchone()
                    if earlier is not None and earlier[0] is not None:
                        outcomes.append("kept")  # this very version was dismissed before: not asked again
                        continue
                    if earlier is None:
                        conn.execute("INSERT INTO annotation_history (uuid, article_id, change, before, after, who, "
                                     f"source, at) VALUES (?, ?, 'conflict', ?, ?, ?, ?, {NOW_SQL})",
                                     [stored.uuid, stored.article_id,
                                      json.dumps(history_record(stored), ensure_ascii=False), incoming, owner, source])
                    outcomes.append("conflict")
        return outcomes

    def update_annotation(self, uuid: str, **changes: Any) -> Annotation:
        """Change fields of an annotation (label, attributes, note, deleted, ...); returns it as stored."""
        allowed = {"category", "label", "attributes", "note", "deleted", "start", "end", "quote", "prefix", "suffix"}
        unknown = set(changes) - allowed
        if unknown:
            raise ValueError(f"cannot change {', '.join(sorted(unknown))}")
        for name, kind in (("note", "notes"), ("label", "name"), ("category", "name")):
            value = changes.get(name)
            if isinstance(value, str) and len(value) > FIELD_LIMITS[kind]:
                raise ValueError(f"{name}: is {len(value):,} characters long; at most {FIELD_LIMITS[kind]:,} are accepted")
        values = {k: (json.dumps(v) if k == "attributes" else int(v) if k == "deleted" else v) for k, v in changes.items()}
        values["updated"] = utc_now()
        assignments = ", ".join(f'"{k}" = ?' for k in values)
        with self._recorded_write() as conn:
            cursor = conn.execute(f"UPDATE annotations SET {assignments} WHERE uuid = ?", [*values.values(), uuid])
            if cursor.rowcount != 1:
                raise KeyError(f"no annotation {uuid}")
            row = conn.execute("SELECT * FROM annotations WHERE uuid = ?", [uuid]).fetchone()
            cols = column_names(conn, "annotations")
        return annotation_from_row(dict(zip(cols, row)))

    def annotations(
        self, article_id: str | None = None, annotator: str | None = None, include_deleted: bool = False
    ) -> list[Annotation]:
        """Annotations, optionally of one article and/or one annotator, in creation order."""
        where, params = where_equal([] if include_deleted else ["deleted = 0"], article_id=article_id, annotator=annotator)
        rows = self.conn.execute(
            f"SELECT * FROM annotations {where} ORDER BY created, rowid", params
        ).fetchall()
        cols = column_names(self.conn, "annotations")
        return [annotation_from_row(dict(zip(cols, r))) for r in rows]

    def live_annotations_of(self, article_ids: Sequence[str]) -> dict[str, list[Annotation]]:
        """article id → its live annotations in creation order, for many articles at once."""
        found: dict[str, list[Annotation]] = {a: [] for a in article_ids}
        cols = column_names(self.conn, "annotations")
        for chunk, marks in in_chunks(article_ids):
            for row in self.conn.execute(f"SELECT * FROM annotations WHERE deleted = 0 AND article_id IN ({marks}) "
                                         "ORDER BY created, rowid", chunk):
                annotation = annotation_from_row(dict(zip(cols, row)))
                found[annotation.article_id].append(annotation)
        return found
