"""Finding what an imported annotation names: an article by url or title, stored tags by id."""

from __future__ import annotations

from collections.abc import Iterable

from ..models import Annotation
from .annotations import annotation_from_row
from .connection import Connection
from .sql import NOT_STAGED, column_names, in_chunks


class LookupQueries(Connection):
    """Look-ups of ``import-annotations`` (pre-annotations and other tools' files)."""

    def current_article_ids_with_url(self, url: str) -> list[str]:
        """Ids of the current articles with this url (at most one, unless imported oddly)."""
        rows = self.conn.execute(
            f"SELECT id FROM articles a WHERE url = ? AND current = 1 AND {NOT_STAGED} ORDER BY rowid LIMIT 5", [url]
        ).fetchall()
        return [r[0] for r in rows]

    def current_article_ids_titled(self, title: str, limit: int = 5) -> list[str]:
        """Ids of up to ``limit`` current articles with exactly this title."""
        rows = self.conn.execute(
            f"SELECT id FROM articles a WHERE title = ? AND current = 1 AND {NOT_STAGED} ORDER BY rowid LIMIT ?",
            [title, limit],
        ).fetchall()
        return [r[0] for r in rows]

    def annotations_by_uuid(self, uuids: Iterable[str]) -> dict[str, Annotation]:
        """The stored annotations (deleted ones too) with these ids."""
        found: dict[str, Annotation] = {}
        cols = column_names(self.conn, "annotations")
        for chunk, marks in in_chunks(uuids):
            for row in self.conn.execute(f"SELECT * FROM annotations WHERE uuid IN ({marks})", chunk):
                annotation = annotation_from_row(dict(zip(cols, row)))
                found[annotation.uuid] = annotation
        return found
