"""Articles: storing articles (duplicates, versions), finding them, and the
filtered, paged article list (full-text search, per-annotator status)."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..models import STORED, Article, PartialDate, RemovedRange
from ..text_stats import word_count
from .connection import Connection
from .sql import NOT_STAGED, STATUSES, column_names


@dataclass(frozen=True)
class Added:
    """What :meth:`Store.add_articles` did with one article: ``new``, ``version`` (of
    ``other``) or ``duplicate`` (of ``other``, which holds the same text). Only ids: an
    import of 100,000 articles does not keep their texts until it ends."""

    article_id: str
    outcome: str
    other: str | None
    version: int | None = None  # the stored article's version (None for a duplicate)


@dataclass(frozen=True)
class ArticleRow:
    """A line of the article list (no texts)."""

    id: str
    publisher: str | None
    original_source: str | None
    title: str
    published: str | None
    published_approximate: bool
    word_count: int
    annotations: int
    version: int
    status: str = "new"
    story: str | None = None

    @property
    def published_date(self) -> PartialDate:
        """The publication date as the model holds it (``str()`` gives ``~2025-07`` or ``unknown``)."""
        return PartialDate(value=self.published, approximate=self.published_approximate)


def predecessor(conn: sqlite3.Connection, source_key: str, supersedes: str | None,
                 rowid: int = 0) -> tuple[str | None, int]:
    """(the article a new one from ``source_key`` replaces, the new one's version): the
    current article of that key, else ``supersedes`` (found under an older key) if current;
    never a staged article (nor ``rowid``, the new one)."""
    current = conn.execute(f"SELECT id, version FROM articles a WHERE source_key = ? AND current = 1 AND rowid != ? "
                           f"AND {NOT_STAGED}", [source_key, rowid]).fetchone()
    if current is None and supersedes:
        current = conn.execute(f"SELECT id, version FROM articles a WHERE id = ? AND current = 1 AND rowid != ? "
                               f"AND {NOT_STAGED}", [supersedes, rowid]).fetchone()
    return (current[0], current[1] + 1) if current else (None, 1)


def insert_article(conn: sqlite3.Connection, article: Article, version: int, supersedes: str | None, current: bool,
                    word_counts: Mapping[str, int] | None) -> int:
    """Insert one article; returns its rowid."""
    cursor = conn.execute(
        "INSERT INTO articles (id, publisher, original_source, title, url, published, "
        "published_approximate, language, story, text, text_sha256, raw_text, removed, source_file, "
        "source_key, version, supersedes, current, imported_at, unverified, word_count) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            article.id, article.publisher, article.original_source, article.title, article.url,
            article.published.value, int(article.published.approximate), article.language,
            article.story, article.text, article.text_sha256, article.raw_text,
            json.dumps([r.model_dump() for r in article.removed]) if article.removed else "[]",
            article.source_file, article.source_key, version, supersedes, int(current), article.imported_at,
            json.dumps(article.unverified) if article.unverified else "[]",
            word_counts[article.id] if word_counts and article.id in word_counts else word_count(article.text),
        ],
    )
    return int(cursor.lastrowid or 0)


def _article_filter(
    current_only: bool = True, publisher: str | None = None, search: str | None = None,
    annotator: str | None = None, status: str | None = None, assigned: str | None = None,
) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if assigned is not None:  # only the articles assigned to this annotator
        clauses.append("a.id IN (SELECT g.article_id FROM assignments g WHERE g.annotator = ?)")
        params.append(assigned)
    if status is not None:
        if status not in (*STATUSES, "not done"):
            raise ValueError(f"status must be one of {', '.join(STATUSES)}")
        # driven from the (small, indexed) per-annotator tables, not by probing every article
        done = "a.id IN (SELECT s.article_id FROM article_status s WHERE s.annotator IS ? AND s.status = 'done')"
        tagged = "a.id IN (SELECT n.article_id FROM annotations n WHERE n.annotator IS ? AND n.deleted = 0)"
        if status == "done":
            clauses.append(done)
            params.append(annotator)
        elif status == "not done":
            clauses.append(f"NOT {done}")
            params.append(annotator)
        elif status == "in progress":
            clauses.append(f"NOT {done} AND {tagged}")
            params.extend([annotator, annotator])
        else:
            clauses.append(f"NOT {done} AND NOT {tagged}")
            params.extend([annotator, annotator])
    if current_only:
        clauses.append("a.current = 1")
    clauses.append(NOT_STAGED)
    if publisher is not None:
        clauses.append("a.publisher IS ?")
        params.append(publisher or None)
    if search:
        clauses.append("a.rowid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
        params.append(fts_query(search))
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params


def fts_query(text: str) -> str:
    """A user's search words as an FTS5 query: every word must occur (prefix match on the last)."""
    words = [w for w in re.findall(r"\w+", text)]
    if not words:
        return '""'
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def _article_from_row(conn: sqlite3.Connection, row: tuple) -> Article:
    cols = column_names(conn, "articles")
    data = dict(zip(cols, row))
    return Article.model_validate(dict(
        id=data["id"],
        publisher=data["publisher"],
        original_source=data["original_source"],
        title=data["title"],
        url=data["url"],
        published=PartialDate(value=data["published"], approximate=bool(data["published_approximate"])),
        language=data["language"],
        story=data["story"],
        text=data["text"],
        text_sha256=data["text_sha256"],
        raw_text=data["raw_text"],
        removed=[RemovedRange(**r) for r in json.loads(data["removed"] or "[]")],
        source_file=data["source_file"],
        source_key=data["source_key"],
        version=data["version"],
        supersedes=data["supersedes"],
        imported_at=data["imported_at"],
        unverified=json.loads(data["unverified"] or "[]"),
    ), context=STORED)  # a database written before a limit stays readable


class ArticleQueries(Connection):
    """Articles: storing, finding and listing them (outlets: :mod:`.outlets`)."""

    # -- articles --------------------------------------------------------------------

    def current_version(self, source_key: str) -> tuple[str, int] | None:
        """(id, version) of the current article imported from ``source_key``."""
        row = self.conn.execute(
            f"SELECT id, version FROM articles a WHERE source_key = ? AND current = 1 AND {NOT_STAGED}", [source_key]
        ).fetchone()
        return (row[0], row[1]) if row else None

    def add_articles(self, articles: Iterable[Article], word_counts: Mapping[str, int] | None = None) -> list[Added]:
        """Insert articles in one transaction, deciding duplicates and versions inside it, so
        that imports running at once never store one text twice or make two current versions.

        An article whose text is already stored is skipped (``duplicate``). One whose
        ``source_key`` has a current article becomes its next version and makes it
        non-current; so does one whose ``supersedes`` the caller set (found under an older
        source key) while that article is still current. ``word_counts`` (article id: words)
        holds counts the caller already made (the importer's reading process); the other
        articles are counted here."""
        outcomes: list[Added] = []
        with self._write() as conn:
            for article in articles:
                existing = conn.execute(
                    "SELECT id FROM articles WHERE text_sha256 = ?", [article.text_sha256]).fetchone()
                if existing:
                    outcomes.append(Added(article.id, "duplicate", existing[0]))
                    continue
                supersedes, version = predecessor(conn, article.source_key, article.supersedes)
                if supersedes:
                    conn.execute("UPDATE articles SET current = 0 WHERE id = ?", [supersedes])
                insert_article(conn, article, version, supersedes, True, word_counts)
                outcomes.append(Added(article.id, "version" if supersedes else "new", supersedes, version))
            conn.execute("UPDATE import_state SET commits = commits + 1")  # imports running decide versions again
        return outcomes

    def article(self, ref: str) -> Article | None:
        """An article by id or by a unique id prefix (of at least 4 characters, any case)."""
        ref = ref.strip().lower()  # ids are lower-case hex
        row = self.conn.execute(f"SELECT * FROM articles a WHERE id = ? AND {NOT_STAGED}", [ref]).fetchone()
        if row is None and len(ref) >= 4:
            rows = self.conn.execute(
                f"SELECT * FROM articles a WHERE id >= ? AND id < ? AND {NOT_STAGED} LIMIT 2", [ref, ref + "\uffff"]
            ).fetchall()
            row = rows[0] if len(rows) == 1 else None
        return _article_from_row(self.conn, row) if row else None

    def article_ids_starting(self, prefix: str, limit: int = 5) -> list[str]:
        """Up to ``limit`` article ids (any version) that start with ``prefix`` (any case)."""
        prefix = prefix.strip().lower()
        rows = self.conn.execute(f"SELECT id FROM articles a WHERE id >= ? AND id < ? AND {NOT_STAGED} ORDER BY id LIMIT ?",
                                 [prefix, prefix + "\uffff", limit]).fetchall()
        return [r[0] for r in rows]

    def iter_current_articles(self, batch: int = 500) -> Iterator[Article]:
        """Every current article, fetched in batches (never all in memory)."""
        last = -1
        while True:
            rows = self.conn.execute(
                f"SELECT rowid, * FROM articles a WHERE current = 1 AND rowid > ? AND {NOT_STAGED} ORDER BY rowid LIMIT ?",
                [last, batch]
            ).fetchall()
            if not rows:
                return
            for row in rows:
                yield _article_from_row(self.conn, row[1:])
            last = rows[-1][0]

    def count_articles(
        self, current_only: bool = True, publisher: str | None = None, search: str | None = None,
        annotator: str | None = None, status: str | None = None, assigned: str | None = None,
    ) -> int:
        """How many articles pass the filters (see :meth:`list_articles`)."""
        where, params = _article_filter(current_only, publisher, search, annotator, status, assigned)
        return self.conn.execute(f"SELECT count(*) FROM articles a {where}", params).fetchone()[0]

    def list_articles(
        self,
        offset: int = 0,
        limit: int | None = None,
        current_only: bool = True,
        publisher: str | None = None,
        search: str | None = None,
        annotator: str | None = None,
        status: str | None = None,
        assigned: str | None = None,
    ) -> list[ArticleRow]:
        """A page of the article list, in import order. With ``annotator``, tag counts and
        status are that annotator's; ``status`` (new / in progress / done) filters by it;
        ``assigned``: only the articles assigned to that annotator."""
        where, params = _article_filter(current_only, publisher, search, annotator, status, assigned)
        who = "AND n.annotator = ?" if annotator is not None else ""
        sql = (
            "SELECT a.id, a.publisher, a.original_source, a.title, a.published, a.published_approximate, "
            "a.word_count, a.version, a.story, "
            f"(SELECT count(*) FROM annotations n WHERE n.article_id = a.id AND n.deleted = 0 {who}), "
            "(SELECT 1 FROM article_status s WHERE s.article_id = a.id AND s.annotator IS ? AND s.status = 'done') "
            # the page is chosen first, by rowid alone, so the per-row counts run for its rows only
            f"FROM articles a WHERE a.rowid IN (SELECT a.rowid FROM articles a {where} ORDER BY a.rowid LIMIT ? OFFSET ?) "
            "ORDER BY a.rowid"
        )
        head = [annotator] if annotator is not None else []
        rows = self.conn.execute(sql, [*head, annotator, *params, -1 if limit is None else limit, offset]).fetchall()
        return [
            ArticleRow(
                id=r[0], publisher=r[1], original_source=r[2], title=r[3],
                published=r[4], published_approximate=bool(r[5]),
                word_count=r[6], version=r[7], story=r[8], annotations=r[9],
                status="done" if r[10] else ("in progress" if r[9] else "new"),
            )
            for r in rows
        ]

    def article_position(self, article_id: str, **filters: Any) -> int | None:
        """The 0-based position of an article in the filtered list, or None."""
        where, params = _article_filter(filters.pop("current_only", True), **filters)
        row = self.conn.execute("SELECT rowid FROM articles WHERE id = ?", [article_id]).fetchone()
        if row is None:
            return None
        extra = ("AND" if where else "WHERE") + " a.rowid < ?"
        return self.conn.execute(f"SELECT count(*) FROM articles a {where} {extra}", [*params, row[0]]).fetchone()[0]

    def next_not_done(self, after_id: str | None, annotator: str, **filters: Any) -> str | None:
        """The first article after ``after_id`` (wrapping round) that ``annotator`` has not marked done."""
        filters.pop("status", None)
        where, params = _article_filter(filters.pop("current_only", True), annotator=annotator, status="not done", **filters)
        after = self.conn.execute("SELECT rowid FROM articles WHERE id = ?", [after_id]).fetchone() if after_id else None
        pivot = after[0] if after else -1
        joiner = "AND" if where else "WHERE"
        for condition in ("a.rowid > ?", "a.rowid < ?"):  # after the pivot first, then from the top
            row = self.conn.execute(
                f"SELECT a.id FROM articles a {where} {joiner} {condition} ORDER BY a.rowid LIMIT 1", [*params, pivot]
            ).fetchone()
            if row:
                return row[0]
        return None
