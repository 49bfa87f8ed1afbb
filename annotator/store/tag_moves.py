"""Tags carried to a corrected text (schema 10): when a new version of an article is
imported, each tag of the old version is moved to the new one where its quote was found
again (recorded in ``tag_moves`` and, by the triggers, in the annotation history), or left
on the old version as *stranded* (recorded too, listed by ``annotator stranded``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..models import CONTEXT_CHARS, utc_now
from .annotations import AnnotationQueries

_MOVE_COLUMNS = ("m.id, m.uuid, m.from_article, m.to_article, m.outcome, m.method, m.old_start, m.old_end, "
                 "m.new_start, m.new_end, m.reason, m.who, m.at, n.annotator, n.category, n.label, n.quote")


@dataclass(frozen=True)
class TagMove:
    """One tag's passage to a new version of its article: ``moved`` (by ``method``: exact,
    context, fuzzy or article for a tag without a span) or ``stranded`` (``reason``)."""

    id: int
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
    annotator: str | None = None
    category: str | None = None
    label: str | None = None
    quote: str | None = None


@dataclass(frozen=True)
class PlannedMove:
    """What to do with one tag (decided outside the transaction): ``updated`` is the tag's
    ``updated`` time as it was read; a tag changed since is left where it is."""

    uuid: str
    updated: str
    old_start: int | None
    old_end: int | None
    new_start: int | None = None  # None with outcome "moved": a tag without a span
    new_end: int | None = None
    method: str | None = None
    reason: str | None = None  # set: stranded

    @property
    def outcome(self) -> str:
        return "stranded" if self.reason is not None else "moved"


class TagMoveQueries(AnnotationQueries):
    """Moving tags to a new version of their article, and reading what was moved or stranded."""

    def apply_tag_moves(self, from_article: str, to_article: str, moves: Iterable[PlannedMove],
                        who: str | None, source: str | None) -> tuple[int, int]:
        """Move the tags of ``moves`` from ``from_article`` to ``to_article`` (their span, quote,
        prefix and suffix from the new text; answers and notes as they are) and record each
        move and each stranded tag, in one transaction. A tag changed or moved since it was
        read is left as it is. Returns (moved, stranded)."""
        moved = stranded = 0
        now = utc_now()
        with self._recorded_write(who, source) as conn:
            row = conn.execute("SELECT text, text_sha256 FROM articles WHERE id = ?", [to_article]).fetchone()
            if row is None:
                raise KeyError(to_article)
            text, sha = row
            for move in moves:
                if move.reason is None:
                    values: list[object] = [to_article, sha, now]
                    span = ""
                    if move.new_start is not None and move.new_end is not None:
                        start, end = move.new_start, move.new_end
                        span = ", start = ?, \"end\" = ?, quote = ?, prefix = ?, suffix = ?"
                        values += [start, end, text[start:end], text[max(0, start - CONTEXT_CHARS):start],
                                   text[end:end + CONTEXT_CHARS]]
                    done = conn.execute(f"UPDATE annotations SET article_id = ?, text_sha256 = ?, updated = ?{span} "
                                        "WHERE uuid = ? AND article_id = ? AND updated = ?",
                                        [*values, move.uuid, from_article, move.updated]).rowcount
                    if not done:
                        continue
                    moved += 1
                else:
                    if not conn.execute("SELECT 1 FROM annotations WHERE uuid = ? AND article_id = ? AND updated = ?",
                                        [move.uuid, from_article, move.updated]).fetchone():
                        continue
                    stranded += 1
                conn.execute("INSERT INTO tag_moves (uuid, from_article, to_article, outcome, method, old_start, "
                             "old_end, new_start, new_end, reason, who, at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                             [move.uuid, from_article, to_article, move.outcome, move.method, move.old_start,
                              move.old_end, move.new_start, move.new_end, move.reason, who, now])
        return moved, stranded

    def tag_moves(self, article_id: str) -> list[TagMove]:
        """The recorded moves of tags from or to an article, oldest first."""
        rows = self.conn.execute(f"SELECT {_MOVE_COLUMNS} FROM tag_moves m LEFT JOIN annotations n ON n.uuid = m.uuid "
                                 "WHERE m.from_article = ?1 OR m.to_article = ?1 ORDER BY m.id", [article_id]).fetchall()
        return [TagMove(*r) for r in rows]

    def stranded_tags(self) -> list[TagMove]:
        """The tags left on an older version because their quote was not found again in the
        new one, and still there (not deleted, not moved since), oldest first."""
        rows = self.conn.execute(
            f"SELECT {_MOVE_COLUMNS} FROM tag_moves m JOIN annotations n ON n.uuid = m.uuid "
            "WHERE m.outcome = 'stranded' AND n.article_id = m.from_article AND n.deleted = 0 "
            "AND m.id = (SELECT max(l.id) FROM tag_moves l WHERE l.uuid = m.uuid) ORDER BY m.id").fetchall()
        return [TagMove(*r) for r in rows]
