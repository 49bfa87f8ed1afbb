"""The gold layer's records: where each gold tag came from, the reviewer's decision on each
disputed place of an article, and the articles' review status."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..models import Annotation, utc_now
from .annotations import INSERT_ANNOTATION, AnnotationQueries, annotation_values
from .sql import in_chunks


class ReviewQueries(AnnotationQueries):
    """Gold tags with their sources, review decisions and review status."""

    def settle(self, article_id: str, item_key: str, decision: str | None, reason: str | None, reviewer: str,
               add: Sequence[Annotation] = (), sources: dict[str, list[tuple[str, str]]] | None = None,
               delete: Iterable[str] = (), undelete: Iterable[str] = (), status: str | None = None) -> None:
        """One reviewer's step, in one transaction: gold tags added (with ``sources``: gold uuid →
        [(source uuid, its annotator)]; none: the reviewer made it), gold tags deleted or brought
        back, the decision on the item (None: no decision any more) and the article's status."""
        now = utc_now()
        with self._recorded_write(reviewer, "review") as conn:
            for uuid in delete:
                conn.execute("UPDATE annotations SET deleted = 1, updated = ? WHERE uuid = ?", [now, uuid])
            for uuid in undelete:
                conn.execute("UPDATE annotations SET deleted = 0, updated = ? WHERE uuid = ?", [now, uuid])
            for tag in add:
                conn.execute(INSERT_ANNOTATION, annotation_values(tag))
                for source_uuid, annotator in (sources or {}).get(tag.uuid, []):
                    conn.execute("INSERT OR IGNORE INTO gold_sources (gold_uuid, source_uuid, source_annotator, "
                                 "reviewer, at) VALUES (?,?,?,?,?)", [tag.uuid, source_uuid, annotator, reviewer, now])
                if not (sources or {}).get(tag.uuid):
                    conn.execute("INSERT OR IGNORE INTO gold_sources (gold_uuid, source_uuid, source_annotator, "
                                 "reviewer, at) VALUES (?,NULL,NULL,?,?)", [tag.uuid, reviewer, now])
            if decision is None:
                conn.execute("DELETE FROM review_decisions WHERE article_id = ? AND item_key = ?", [article_id, item_key])
            else:
                conn.execute("INSERT INTO review_decisions (article_id, item_key, decision, reason, reviewer, at) "
                             "VALUES (?,?,?,?,?,?) ON CONFLICT(article_id, item_key) DO UPDATE SET "
                             "decision = excluded.decision, reason = excluded.reason, reviewer = excluded.reviewer, "
                             "at = excluded.at", [article_id, item_key, decision, reason, reviewer, now])
            if status is not None:
                conn.execute("INSERT INTO review_status (article_id, status, reviewer, updated) VALUES (?,?,?,?) "
                             "ON CONFLICT(article_id) DO UPDATE SET status = excluded.status, "
                             "reviewer = excluded.reviewer, updated = excluded.updated",
                             [article_id, status, reviewer, now])

    def review_decisions(self, article_id: str) -> dict[str, tuple[str, str | None, str, str]]:
        """item key → (decision, reason, reviewer, when) of an article."""
        rows = self.conn.execute("SELECT item_key, decision, reason, reviewer, at FROM review_decisions "
                                 "WHERE article_id = ?", [article_id]).fetchall()
        return {r[0]: (r[1], r[2], r[3], r[4]) for r in rows}

    def review_statuses(self) -> dict[str, tuple[str, str, str]]:
        """article id → (status, reviewer, when) for every article a reviewer has worked on."""
        rows = self.conn.execute("SELECT article_id, status, reviewer, updated FROM review_status").fetchall()
        return {r[0]: (r[1], r[2], r[3]) for r in rows}

    def gold_sources(self, gold_uuids: Iterable[str] | None = None) -> dict[str, dict]:
        """gold uuid → {"sources": [{"uuid", "annotator"}...], "reviewer", "reviewed_at"} (no sources: the reviewer's own)."""
        rows = self.conn.execute("SELECT gold_uuid, source_uuid, source_annotator, reviewer, at FROM gold_sources "
                                 "ORDER BY gold_uuid, source_annotator").fetchall()
        wanted = set(gold_uuids) if gold_uuids is not None else None
        result: dict[str, dict] = {}
        for gold_uuid, source, annotator, reviewer, at in rows:
            if wanted is not None and gold_uuid not in wanted:
                continue
            entry = result.setdefault(gold_uuid, {"sources": [], "reviewer": reviewer, "reviewed_at": at})
            if source is not None:
                entry["sources"].append({"uuid": source, "annotator": annotator})
        return result

    def articles_to_review(self, gold: str, annotators_at_least: int = 1, limit: int | None = None) -> list[str]:
        """Current articles tagged by at least this many annotators (``gold``, the gold layer, not
        counted), in import order; ``limit``: only the first ones (read without counting the rest)."""
        if limit is not None:  # walks the articles in import order and stops
            rows = self.conn.execute(
                "SELECT a.id FROM articles a WHERE a.current = 1 AND (SELECT count(DISTINCT n.annotator) "
                "FROM annotations n WHERE n.article_id = a.id AND n.deleted = 0 AND n.annotator != ?) >= ? "
                "ORDER BY a.rowid LIMIT ?", [gold, annotators_at_least, limit]).fetchall()
        else:  # one pass over the (article, annotator) index
            rows = self.conn.execute(
                "SELECT a.id FROM articles a JOIN (SELECT article_id FROM annotations WHERE deleted = 0 "
                "AND annotator != ? GROUP BY article_id HAVING count(DISTINCT annotator) >= ?) m "
                "ON m.article_id = a.id WHERE a.current = 1 ORDER BY a.rowid", [gold, annotators_at_least]).fetchall()
        return [r[0] for r in rows]

    def review_decisions_of(self, article_ids: Sequence[str]) -> dict[str, dict[str, tuple[str, str | None]]]:
        """article id → item key → (decision, reason), for many articles at once."""
        found: dict[str, dict[str, tuple[str, str | None]]] = {a: {} for a in article_ids}
        for chunk, marks in in_chunks(article_ids):
            for article_id, key, decision, reason in self.conn.execute(
                    f"SELECT article_id, item_key, decision, reason FROM review_decisions WHERE article_id IN ({marks})",
                    chunk):
                found[article_id][key] = (decision, reason)
        return found

