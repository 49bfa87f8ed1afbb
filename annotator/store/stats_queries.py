"""The counts behind ``annotator stats``, agreement and the reports: tags and units per
group, codings, annotator activity, the SQL views."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from .connection import Connection
from .schema import VIEWS


@dataclass(frozen=True)
class TagScope:
    """Which live annotations a statistic counts. ``annotators`` None means everyone's;
    dates compare partial dates by overlap (``2025-07`` is inside ``--since 2025-07-15``)."""

    codebook: str | None = None
    annotators: tuple[str, ...] | None = None
    exclude_annotators: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None
    story: str | None = None
    outlet_by: str = "publisher"  # "publisher", or "source": the original source where known


_OUTLET_BY = {"publisher": "a.publisher", "source": "coalesce(a.original_source, a.publisher)"}
# What a statistic can be grouped by, as SQL over annotations n JOIN articles a.
_DIMENSIONS = {
    "story": "a.story", "annotator": "n.annotator", "category": "n.category", "label": "n.label",
    "codebook": "n.codebook_id", "article": "n.article_id",
    "voice": "n.voice", "concept": "n.concept", "variant": "n.variant",
    "month": "substr(a.published, 1, 7)",  # YYYY-MM, or a year (or NULL) for articles dated no closer
}
_ARTICLE_DIMENSIONS = {"story", "month"}  # read from the articles, not the annotations
_UNIT_DIMENSIONS = {"outlet", "story"}


def _scope_sql(scope: TagScope, categories: Iterable[str] | None = None, part: str = "both") -> tuple[str, list[Any]]:
    """The WHERE conditions of a scope over annotations ``n`` and articles ``a``
    (``part``: ``n`` or ``a`` for one side only)."""
    tags: list[tuple[str, list[Any]]] = [("n.deleted = 0", [])]
    if scope.codebook is not None:
        tags.append(("n.codebook_id = ?", [scope.codebook]))
    if scope.annotators is not None:
        tags.append((f"n.annotator IN ({','.join('?' * len(scope.annotators))})", list(scope.annotators)))
    if scope.exclude_annotators:
        tags.append((f"n.annotator NOT IN ({','.join('?' * len(scope.exclude_annotators))})",
                     list(scope.exclude_annotators)))
    if categories is not None:
        categories = list(categories)
        tags.append((f"n.category IN ({','.join('?' * len(categories))})", categories))
    articles: list[tuple[str, list[Any]]] = []
    if scope.story is not None:
        articles.append(("a.story IS ?", [scope.story]))
    # a partial date stands for a range: 2025-07 runs from 2025-07-01 to 2025-07-31
    if scope.since is not None:
        articles.append(("a.published || substr('-12-31', length(a.published) - 3) >= ?", [scope.since]))
    if scope.until is not None:
        articles.append(("a.published || substr('-01-01', length(a.published) - 3) <= ?", [_last_day(scope.until)]))
    chosen = {"n": tags, "a": articles, "both": tags + articles}[part]
    return " AND ".join(c for c, _ in chosen) or "1", [p for _, params in chosen for p in params]


def _last_day(date: str) -> str:
    """The end of the range a partial date stands for, as a string that compares with full
    dates: ``2022`` -> ``2022-12-31``, ``2022-08`` -> ``2022-08-31`` (no month has a later
    day, so ``--until 2022-08`` holds all of August), a full date unchanged."""
    return date + "-12-31"[len(date) - 4:] if len(date) < 10 else date


def _dimension_sql(dims: Iterable[str], scope: TagScope, allowed: Iterable[str], from_articles: bool = True) -> list[str]:
    allowed = set(allowed)
    out = []
    for dim in dims:
        if dim not in allowed:
            raise ValueError(f"cannot group by {dim!r}")
        if dim == "outlet":
            out.append(_OUTLET_BY[scope.outlet_by] if from_articles else "n.publisher")
        else:
            out.append(_DIMENSIONS[dim])
    return out


def _filters_articles(scope: TagScope) -> bool:
    """Whether a scope picks articles by their story or date (a join with the articles)."""
    return scope.story is not None or scope.since is not None or scope.until is not None


def _annotations_only(dims: Iterable[str], scope: TagScope) -> bool:
    """Whether a tag count needs nothing of the articles but the publisher each annotation
    keeps (schema 5): no article filter, no story, outlets counted as publishers."""
    return scope.outlet_by == "publisher" and not _filters_articles(scope) and not _ARTICLE_DIMENSIONS & set(dims)


class StatsQueries(Connection):
    """Counting live annotations in a :class:`TagScope`."""

    def tag_counts(self, dims: list[str], scope: TagScope, categories: Iterable[str] | None = None,
                   voices: Sequence[str] = (), concept: str | None = None) -> list[tuple]:
        """``(*dims, tags, units, *voice tags)`` per group of live tags in ``scope`` (article notes
        left out): ``units`` counts the (article, annotator) pairs holding such a tag, and for each
        of ``voices`` (then for no voice) the group's tags in that voice. ``concept``: only the
        tags of that lexicon concept.

        Without article filters and with outlets as publishers, read from the annotations'
        own publisher column and the covering index in outlet, category, label order (no join,
        no sort); otherwise driven by the articles (in outlet order) and each article's tags."""
        from_articles = not _annotations_only(dims, scope)
        columns = _dimension_sql(dims, scope, [*_DIMENSIONS, "outlet"], from_articles)
        where, params = _scope_sql(scope, categories)
        if concept is not None:
            where, params = f"{where} AND n.concept = ?", [*params, concept]
        units = ("count(DISTINCT n.article_id)" if "annotator" in dims
                 else "count(DISTINCT n.article_id || char(31) || n.annotator)")
        split = ["sum(n.voice IS ?)" for _ in voices] + (["sum(n.voice IS NULL)"] if voices else [])
        select = ", ".join([*columns, "count(*)", units, *split])
        group = f"GROUP BY {', '.join(columns)}" if columns else ""
        source = ("articles a INDEXED BY articles_statistics CROSS JOIN annotations n "
                  "INDEXED BY annotations_statistics ON n.article_id = a.id" if from_articles
                  else "annotations n INDEXED BY annotations_by_outlet")
        sql = f"SELECT {select} FROM {source} WHERE {where} AND n.category NOT LIKE '\\_%' ESCAPE '\\' {group}"
        return self.conn.execute(sql, [*voices, *params]).fetchall()

    def unit_counts(self, dims: list[str], scope: TagScope) -> list[tuple]:
        """``(*dims, units, words)``: the (article, annotator) pairs in ``scope`` with at least
        one live annotation (a tag, an answer or a note), and the words of those articles."""
        columns = _dimension_sql(dims, scope, _UNIT_DIMENSIONS)
        tags_where, tags_params = _scope_sql(scope, part="n")
        articles_where, articles_params = _scope_sql(scope, part="a")
        # per article, how many annotators annotated it (read from the covering index)
        readers = (f"(SELECT count(DISTINCT n.annotator) FROM annotations n INDEXED BY annotations_statistics "
                   f"WHERE n.article_id = a.id AND {tags_where})")
        outer = [c.replace("a.", "u.") for c in columns]
        group = f"GROUP BY {', '.join(outer)}" if outer else ""
        # MATERIALIZED: flattened into the outer query, the per-article count would run once per use of k
        sql = (f"WITH u AS MATERIALIZED (SELECT a.publisher, a.original_source, a.story, a.word_count, {readers} AS k "
               f"FROM articles a INDEXED BY articles_statistics WHERE {articles_where}) "
               f"SELECT {', '.join([*outer, 'coalesce(sum(u.k), 0)', 'coalesce(sum(u.k * u.word_count), 0)'])} "
               f"FROM u WHERE u.k > 0 {group}")
        return self.conn.execute(sql, [*tags_params, *articles_params]).fetchall()

    def annotators(self) -> list[str]:
        """Everyone with a live annotation, by name."""
        return [r[0] for r in self.conn.execute(
            "SELECT DISTINCT annotator FROM annotations WHERE deleted = 0 ORDER BY annotator").fetchall()]

    def iter_codings(self, scope: TagScope, categories: Iterable[str] | None = None) -> Iterator[tuple[str, str, str, str]]:
        """``(article_id, annotator, category, label)`` of every live annotation in ``scope``
        (notes included: they show who read an article; ``categories``: only those), streamed
        from a cursor, grouped by article."""
        where, params = _scope_sql(scope, categories)
        cursor = self.conn.execute(
            "SELECT n.article_id, n.annotator, n.category, n.label FROM articles a INDEXED BY articles_statistics "
            f"CROSS JOIN annotations n INDEXED BY annotations_statistics ON n.article_id = a.id WHERE {where}", params)
        while rows := cursor.fetchmany(5000):
            yield from rows

    def annotator_activity(self, scope: TagScope) -> list[tuple[str, int, int, int, int, str]]:
        """``(annotator, articles annotated, articles done, tags, answers/notes, last change)`` per annotator,
        where tags are span annotations."""
        where, params = _scope_sql(scope)
        # one pass over the table (an index would cost a row lookup per annotation); the
        # articles (by the publisher each annotation keeps) only when a filter needs them
        articles = ("" if not _filters_articles(scope) else
                    "JOIN articles a INDEXED BY articles_statistics ON a.publisher IS n.publisher AND a.id = n.article_id")
        rows = self.conn.execute(
            "SELECT n.annotator, count(DISTINCT n.article_id), sum(n.start IS NOT NULL), sum(n.start IS NULL), "
            f"max(n.updated) FROM annotations n NOT INDEXED {articles} WHERE {where} "
            "GROUP BY n.annotator ORDER BY n.annotator", params,
        ).fetchall()
        done = dict(self.conn.execute(
            "SELECT annotator, count(*) FROM article_status WHERE status = 'done' GROUP BY annotator").fetchall())
        return [(r[0], r[1], done.get(r[0], 0), r[2], r[3], r[4]) for r in rows]

    def view_rows(self, view: str) -> list[dict[str, Any]]:
        """Every row of one of the :data:`VIEWS` (for tests and people without SQL)."""
        if view not in VIEWS:
            raise ValueError(f"no view {view!r}")
        cursor = self.conn.execute(f"SELECT * FROM {view}")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]

    def label_usage(self, codebook_id: str) -> list[tuple[str, str, str, int]]:
        """(category, label, codebook version, count) of the live annotations made with a codebook."""
        rows = self.conn.execute(
            "SELECT category, label, codebook_version, count(*) FROM annotations "
            "WHERE codebook_id = ? AND deleted = 0 GROUP BY category, label, codebook_version "
            "ORDER BY category, label, codebook_version",
            [codebook_id],
        ).fetchall()
        return [(r[0], r[1], r[2], r[3]) for r in rows]
