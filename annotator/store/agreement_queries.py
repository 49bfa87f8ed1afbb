"""What span agreement reads: every live span with its offsets and voice, who read each
article, and the articles' lengths in characters."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .connection import Connection
from .sql import in_chunks
from .stats_queries import TagScope, _scope_sql


class AgreementQueries(Connection):
    """Spans and readers in a :class:`TagScope`, for unitizing alpha, span F1 and voice."""

    def iter_spans(self, scope: TagScope, categories: Iterable[str]) -> Iterator[tuple[str, str, str, str, int, int, str | None]]:
        """``(article_id, annotator, category, label, start, end, voice)`` of every live span tag
        of ``categories`` in ``scope``, streamed in article order."""
        where, params = _scope_sql(scope, categories)
        cursor = self.conn.execute(
            "SELECT n.article_id, n.annotator, n.category, n.label, n.start, n.end, n.voice "
            "FROM articles a INDEXED BY articles_statistics CROSS JOIN annotations n "
            f"INDEXED BY annotations_statistics ON n.article_id = a.id WHERE {where} AND n.start IS NOT NULL "
            "ORDER BY n.article_id, n.annotator, n.start, n.end", params)
        while rows := cursor.fetchmany(5000):
            yield from rows

    def article_readers(self, scope: TagScope) -> list[tuple[str, str]]:
        """``(article_id, annotator)`` for every annotator with a live annotation (a tag, an
        answer or a note) on the article in ``scope``."""
        where, params = _scope_sql(scope)
        return self.conn.execute(
            "SELECT DISTINCT n.article_id, n.annotator FROM articles a INDEXED BY articles_statistics "
            f"CROSS JOIN annotations n INDEXED BY annotations_statistics ON n.article_id = a.id WHERE {where} "
            "ORDER BY n.article_id, n.annotator", params).fetchall()

    def article_lengths(self, article_ids: Iterable[str]) -> dict[str, int]:
        """The length in characters (code points) of each article's canonical text."""
        out: dict[str, int] = {}
        for chunk, marks in in_chunks(article_ids):
            out.update(self.conn.execute(f"SELECT id, length(text) FROM articles WHERE id IN ({marks})", chunk).fetchall())
        return out
