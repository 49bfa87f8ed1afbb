"""Assignments: which annotators are to read which article (``annotator assign``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from ..models import utc_now
from .connection import Connection
from .sql import NOT_STAGED

_BATCH = 5000  # rows per statement batch inside the one write transaction


class AssignmentQueries(Connection):
    """Assignments of current articles to annotators."""

    def assignable_articles(self, story: str | None = None, publisher: str | None = None) -> list[tuple[str, str | None]]:
        """(article id, outlet id) of the current articles in scope (a story, an outlet, or all), in import order."""
        clauses, params = ["a.current = 1", NOT_STAGED], []
        if story is not None:
            clauses.append("a.story = ?")
            params.append(story)
        if publisher is not None:
            clauses.append("a.publisher IS ?")
            params.append(publisher)
        rows = self.conn.execute(f"SELECT a.id, a.publisher FROM articles a WHERE {' AND '.join(clauses)} "
                                 "ORDER BY a.rowid", params).fetchall()
        return [(r[0], r[1]) for r in rows]

    def assignments(self) -> dict[str, list[str]]:
        """article id → its annotators (sorted), for every assigned current article."""
        rows = self.conn.execute(
            "SELECT s.article_id, s.annotator FROM assignments s JOIN articles a ON a.id = s.article_id "
            "WHERE a.current = 1 ORDER BY s.article_id, s.annotator").fetchall()
        result: dict[str, list[str]] = defaultdict(list)
        for article_id, annotator in rows:
            result[article_id].append(annotator)
        return dict(result)

    def held_outlets(self, exclude: Iterable[str] = ()) -> dict[str, list[str | None]]:
        """annotator → the outlets of the current articles assigned to them (``exclude``: article ids left out)."""
        skip = set(exclude)
        rows = self.conn.execute(
            "SELECT s.annotator, s.article_id, a.publisher FROM assignments s JOIN articles a ON a.id = s.article_id "
            "WHERE a.current = 1").fetchall()
        result: dict[str, list[str | None]] = defaultdict(list)
        for annotator, article_id, publisher in rows:
            if article_id not in skip:
                result[annotator].append(publisher)
        return dict(result)

    def has_assignments(self, annotator: str | None = None) -> bool:
        """Whether any article (``annotator``: any article of theirs) is assigned."""
        sql = "SELECT 1 FROM assignments" + (" WHERE annotator = ?" if annotator is not None else "") + " LIMIT 1"
        return self.conn.execute(sql, [] if annotator is None else [annotator]).fetchone() is not None

    def save_assignments(self, plan: Mapping[str, Sequence[str]], assigned_by: str, plan_note: str) -> None:
        """Store a plan in one transaction: each planned article's assignments become the plan's."""
        now = utc_now()
        items = list(plan.items())
        with self._write() as conn:
            for start in range(0, len(items), _BATCH):
                chunk = items[start:start + _BATCH]
                conn.executemany("DELETE FROM assignments WHERE article_id = ?", [[a] for a, _ in chunk])
                conn.executemany(
                    "INSERT INTO assignments (article_id, annotator, assigned_by, at, plan) VALUES (?,?,?,?,?)",
                    [[a, name, assigned_by, now, plan_note] for a, names in chunk for name in names])

    def clear_assignments(self, article_ids: Iterable[str]) -> int:
        """Remove the assignments of these articles; how many rows went."""
        ids = [[a] for a in article_ids]
        with self._write() as conn:
            before = conn.total_changes
            conn.executemany("DELETE FROM assignments WHERE article_id = ?", ids)
            return conn.total_changes - before
