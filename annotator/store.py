"""SQLite storage: the only module that speaks SQL.

* WAL journal, foreign keys, a busy timeout: several processes (TUIs, imports,
  exports) can use one database file at once.
* Every write is one ``BEGIN IMMEDIATE`` transaction, committed before the call
  returns: what a caller reports as saved is on disk.
* One connection per thread (SQLite connections must stay on their thread).
* ``PRAGMA user_version`` holds the schema version; :data:`MIGRATIONS` bring an
  older file up to date without losing data.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import sqlite_utils

from .models import Annotation, Article, Outlet, PartialDate, RemovedRange, utc_now

DEFAULT_DB = "annotations.db"
BUSY_TIMEOUT_MS = 10_000


class StoreError(Exception):
    """A database that cannot be used (not SQLite, newer schema, unwritable)."""


def _migration_1(db: sqlite_utils.Database) -> None:
    db["outlets"].create(
        {"id": str, "name": str, "country": str, "state_affiliation": str, "data": str, "updated": str},
        pk="id",
    )
    db["articles"].create(
        {
            "id": str,
            "publisher": str,
            "original_source": str,
            "title": str,
            "url": str,
            "published": str,
            "published_approximate": int,
            "language": str,
            "story": str,
            "text": str,
            "text_sha256": str,
            "raw_text": str,
            "removed": str,
            "source_file": str,
            "source_key": str,
            "version": int,
            "supersedes": str,
            "current": int,
            "imported_at": str,
            "unverified": str,
            "word_count": int,
        },
        pk="id",
        foreign_keys=[("publisher", "outlets", "id"), ("original_source", "outlets", "id")],
        not_null={"title", "text", "text_sha256", "raw_text", "source_key"},
    )
    db["articles"].create_index(["text_sha256"], unique=True)
    db["articles"].create_index(["source_key", "current"])
    db["articles"].create_index(["current", "publisher"])
    db["articles"].create_index(["story"])
    db["articles"].enable_fts(["title", "text"], create_triggers=True, tokenize="unicode61")
    db["annotations"].create(
        {
            "uuid": str,
            "article_id": str,
            "text_sha256": str,
            "annotator": str,
            "codebook_id": str,
            "codebook_version": str,
            "category": str,
            "label": str,
            "start": int,
            "end": int,
            "quote": str,
            "prefix": str,
            "suffix": str,
            "attributes": str,
            "note": str,
            "origin": str,
            "created": str,
            "updated": str,
            "deleted": int,
        },
        pk="uuid",
        foreign_keys=[("article_id", "articles", "id")],
        not_null={"article_id", "annotator", "category", "label", "origin"},
        defaults={"deleted": 0, "origin": "human"},
    )
    db["annotations"].create_index(["article_id", "annotator", "deleted"])
    db["annotations"].create_index(["annotator", "deleted"])
    db["annotations"].create_index(["label", "deleted"])


def _migration_2(db: sqlite_utils.Database) -> None:
    """Per-annotator article status (done) and rejected suggestions."""
    db["article_status"].create(
        {"article_id": str, "annotator": str, "status": str, "updated": str},
        pk=("article_id", "annotator"),
        foreign_keys=[("article_id", "articles", "id")],
    )
    db["rejected_suggestions"].create(
        {"article_id": str, "annotator": str, "start": int, "end": int, "concept": str, "variant": str, "created": str},
        pk=("article_id", "annotator", "start", "end", "variant"),
        foreign_keys=[("article_id", "articles", "id")],
    )


def _migration_3(db: sqlite_utils.Database) -> None:
    """Indices for paging the article list in order and for per-codebook label counts."""
    db["articles"].create_index(["current"])
    db["article_status"].create_index(["annotator", "status", "article_id"])
    db["annotations"].create_index(["annotator", "deleted", "article_id"])  # covers the status filters
    db["annotations"].create_index(["codebook_id", "deleted", "category", "label"])


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_migration_1, _migration_2, _migration_3]
STATUSES = ("new", "in progress", "done")
SCHEMA_VERSION = len(MIGRATIONS)


@dataclass(frozen=True)
class Added:
    """What :meth:`Store.add_articles` did with one article: ``new``, ``version`` (of
    ``other``) or ``duplicate`` (of ``other``, which holds the same text)."""

    article: Article
    outcome: str
    other: str | None


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

    @property
    def published_date(self) -> PartialDate:
        """The publication date as the model holds it (``str()`` gives ``~2025-07`` or ``unknown``)."""
        return PartialDate(value=self.published, approximate=self.published_approximate)


class Store:
    """A handle on one annotations database. Safe to share between threads."""

    def __init__(self, path: str | Path = DEFAULT_DB):
        self.path = Path(path)
        self._local = threading.local()
        if self.path.exists() and self.path.is_dir():
            raise StoreError(f"{self.path}: is a folder, not a database file")
        try:
            self._migrate()
        except sqlite3.OperationalError as exc:
            if "readonly" in str(exc) or "unable to open" in str(exc):
                raise StoreError(f"{self.path}: cannot be written here ({exc}); annotator needs write access "
                                 "to the file and its folder (WAL journal)") from None
            raise StoreError(f"{self.path}: not a usable SQLite database ({exc})") from None
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a usable SQLite database ({exc})") from None

    # -- connections and transactions -------------------------------------------------

    @property
    def db(self) -> sqlite_utils.Database:
        """This thread's connection (opened on first use)."""
        db = getattr(self._local, "db", None)
        if db is None:
            conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal" and str(self.path) != ":memory:":
                raise StoreError(f"{self.path}: could not switch to WAL journal (got {mode})")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            db = sqlite_utils.Database(conn)
            self._local.db = db
        return db

    def close(self) -> None:
        """Close this thread's connection."""
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None

    @contextmanager
    def _write(self) -> Iterator[sqlite_utils.Database]:
        """One write transaction, taken with the write lock at once (no upgrade deadlocks)."""
        db = self.db
        db.conn.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            if db.conn.in_transaction:
                db.conn.execute("ROLLBACK")
            raise
        else:
            db.conn.execute("COMMIT")

    def _migrate(self) -> None:
        version = self.db.conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: schema version {version} is newer than this annotator ({SCHEMA_VERSION}); upgrade annotator"
            )
        if version == SCHEMA_VERSION:
            return
        with self._write() as db:
            version = db.conn.execute("PRAGMA user_version").fetchone()[0]  # another process may have migrated
            for number in range(version, SCHEMA_VERSION):
                MIGRATIONS[number](db)
            db.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @property
    def schema_version(self) -> int:
        return self.db.conn.execute("PRAGMA user_version").fetchone()[0]

    # -- outlets ---------------------------------------------------------------------

    def upsert_outlets(self, outlets: Iterable[Outlet]) -> int:
        """Insert or replace registry outlets; returns how many changed."""
        changed = 0
        with self._write() as db:
            for outlet in outlets:
                data = outlet.model_dump_json()
                old = db.conn.execute("SELECT data FROM outlets WHERE id = ?", [outlet.id]).fetchone()
                if old and old[0] == data:
                    continue
                db.conn.execute(
                    "INSERT INTO outlets (id, name, country, state_affiliation, data, updated) VALUES (?,?,?,?,?,?) "
                    "ON CONFLICT(id) DO UPDATE SET name=excluded.name, country=excluded.country, "
                    "state_affiliation=excluded.state_affiliation, data=excluded.data, updated=excluded.updated",
                    [outlet.id, outlet.name, outlet.country, outlet.state_affiliation.value, data, utc_now()],
                )
                changed += 1
        return changed

    def outlets(self) -> list[Outlet]:
        """Every outlet, by name."""
        rows = self.db.conn.execute("SELECT data FROM outlets ORDER BY name COLLATE NOCASE").fetchall()
        return [Outlet.model_validate_json(r[0]) for r in rows]

    def outlet(self, outlet_id: str | None) -> Outlet | None:
        """One outlet by id, or None."""
        if outlet_id is None:
            return None
        row = self.db.conn.execute("SELECT data FROM outlets WHERE id = ?", [outlet_id]).fetchone()
        return Outlet.model_validate_json(row[0]) if row else None

    # -- articles --------------------------------------------------------------------

    def current_version(self, source_key: str) -> tuple[str, int] | None:
        """(id, version) of the current article imported from ``source_key``."""
        row = self.db.conn.execute(
            "SELECT id, version FROM articles WHERE source_key = ? AND current = 1", [source_key]
        ).fetchone()
        return (row[0], row[1]) if row else None

    def add_articles(self, articles: Iterable[Article]) -> list[Added]:
        """Insert articles in one transaction, deciding duplicates and versions inside it, so
        that imports running at once never store one text twice or make two current versions.

        An article whose text is already stored is skipped (``duplicate``). One whose
        ``source_key`` has a current article becomes its next version and makes it
        non-current; so does one whose ``supersedes`` the caller set (found under an older
        source key) while that article is still current."""
        outcomes: list[Added] = []
        with self._write() as db:
            for article in articles:
                existing = db.conn.execute(
                    "SELECT id FROM articles WHERE text_sha256 = ?", [article.text_sha256]).fetchone()
                if existing:
                    outcomes.append(Added(article, "duplicate", existing[0]))
                    continue
                current = db.conn.execute(
                    "SELECT id, version FROM articles WHERE source_key = ? AND current = 1", [article.source_key]
                ).fetchone()
                if current is None and article.supersedes:
                    current = db.conn.execute(
                        "SELECT id, version FROM articles WHERE id = ? AND current = 1", [article.supersedes]
                    ).fetchone()
                supersedes, version = (current[0], current[1] + 1) if current else (None, 1)
                if supersedes:
                    db.conn.execute("UPDATE articles SET current = 0 WHERE id = ?", [supersedes])
                db.conn.execute(
                    "INSERT INTO articles (id, publisher, original_source, title, url, published, "
                    "published_approximate, language, story, text, text_sha256, raw_text, removed, source_file, "
                    "source_key, version, supersedes, current, imported_at, unverified, word_count) "
                    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1,?,?,?)",
                    [
                        article.id, article.publisher, article.original_source, article.title, article.url,
                        article.published.value, int(article.published.approximate), article.language,
                        article.story, article.text, article.text_sha256, article.raw_text,
                        json.dumps([r.model_dump() for r in article.removed]), article.source_file,
                        article.source_key, version, supersedes, article.imported_at,
                        json.dumps(article.unverified), word_count(article.text),
                    ],
                )
                stored = article.model_copy(update={"supersedes": supersedes, "version": version})
                outcomes.append(Added(stored, "version" if supersedes else "new", supersedes))
        return outcomes

    def optimize(self) -> None:
        """Refresh the query planner's statistics (after large imports); skipped when busy."""
        try:
            self.db.conn.execute("PRAGMA optimize")
        except sqlite3.OperationalError:
            pass  # another process is writing: statistics can wait for the next import

    def article(self, ref: str) -> Article | None:
        """An article by id or by a unique id prefix (of at least 4 characters, any case)."""
        ref = ref.strip().lower()  # ids are lower-case hex
        row = self.db.conn.execute("SELECT * FROM articles WHERE id = ?", [ref]).fetchone()
        if row is None and len(ref) >= 4:
            rows = self.db.conn.execute(
                "SELECT * FROM articles WHERE id >= ? AND id < ? LIMIT 2", [ref, ref + "\uffff"]
            ).fetchall()
            row = rows[0] if len(rows) == 1 else None
        return _article_from_row(self.db.conn, row) if row else None

    def iter_current_articles(self, batch: int = 500) -> Iterator[Article]:
        """Every current article, fetched in batches (never all in memory)."""
        last = -1
        while True:
            rows = self.db.conn.execute(
                "SELECT rowid, * FROM articles WHERE current = 1 AND rowid > ? ORDER BY rowid LIMIT ?", [last, batch]
            ).fetchall()
            if not rows:
                return
            for row in rows:
                yield _article_from_row(self.db.conn, row[1:])
            last = rows[-1][0]

    def count_articles(
        self, current_only: bool = True, publisher: str | None = None, search: str | None = None,
        annotator: str | None = None, status: str | None = None,
    ) -> int:
        """How many articles pass the filters (see :meth:`list_articles`)."""
        where, params = _article_filter(current_only, publisher, search, annotator, status)
        return self.db.conn.execute(f"SELECT count(*) FROM articles a {where}", params).fetchone()[0]

    def list_articles(
        self,
        offset: int = 0,
        limit: int | None = None,
        current_only: bool = True,
        publisher: str | None = None,
        search: str | None = None,
        annotator: str | None = None,
        status: str | None = None,
    ) -> list[ArticleRow]:
        """A page of the article list, in import order. With ``annotator``, tag counts and
        status are that annotator's; ``status`` (new / in progress / done) filters by it."""
        where, params = _article_filter(current_only, publisher, search, annotator, status)
        who = "AND n.annotator = ?" if annotator is not None else ""
        sql = (
            "SELECT a.id, a.publisher, a.original_source, a.title, a.published, a.published_approximate, "
            "a.word_count, a.version, "
            f"(SELECT count(*) FROM annotations n WHERE n.article_id = a.id AND n.deleted = 0 {who}), "
            "(SELECT 1 FROM article_status s WHERE s.article_id = a.id AND s.annotator IS ? AND s.status = 'done') "
            # the page is chosen first, by rowid alone, so the per-row counts run for its rows only
            f"FROM articles a WHERE a.rowid IN (SELECT a.rowid FROM articles a {where} ORDER BY a.rowid LIMIT ? OFFSET ?) "
            "ORDER BY a.rowid"
        )
        head = [annotator] if annotator is not None else []
        rows = self.db.conn.execute(sql, [*head, annotator, *params, -1 if limit is None else limit, offset]).fetchall()
        return [
            ArticleRow(
                id=r[0], publisher=r[1], original_source=r[2], title=r[3],
                published=r[4], published_approximate=bool(r[5]),
                word_count=r[6], version=r[7], annotations=r[8],
                status="done" if r[9] else ("in progress" if r[8] else "new"),
            )
            for r in rows
        ]

    def article_position(self, article_id: str, **filters: Any) -> int | None:
        """The 0-based position of an article in the filtered list, or None."""
        where, params = _article_filter(filters.pop("current_only", True), **filters)
        row = self.db.conn.execute("SELECT rowid FROM articles WHERE id = ?", [article_id]).fetchone()
        if row is None:
            return None
        extra = ("AND" if where else "WHERE") + " a.rowid < ?"
        return self.db.conn.execute(f"SELECT count(*) FROM articles a {where} {extra}", [*params, row[0]]).fetchone()[0]

    def next_not_done(self, after_id: str | None, annotator: str, **filters: Any) -> str | None:
        """The first article after ``after_id`` (wrapping round) that ``annotator`` has not marked done."""
        filters.pop("status", None)
        where, params = _article_filter(filters.pop("current_only", True), annotator=annotator, status="not done", **filters)
        after = self.db.conn.execute("SELECT rowid FROM articles WHERE id = ?", [after_id]).fetchone() if after_id else None
        pivot = after[0] if after else -1
        joiner = "AND" if where else "WHERE"
        for condition in ("a.rowid > ?", "a.rowid < ?"):  # after the pivot first, then from the top
            row = self.db.conn.execute(
                f"SELECT a.id FROM articles a {where} {joiner} {condition} ORDER BY a.rowid LIMIT 1", [*params, pivot]
            ).fetchone()
            if row:
                return row[0]
        return None

    def set_status(self, article_id: str, annotator: str, done: bool) -> None:
        """Mark an article done (or not done) for one annotator."""
        with self._write() as db:
            if done:
                db.conn.execute(
                    "INSERT INTO article_status (article_id, annotator, status, updated) VALUES (?,?,'done',?) "
                    "ON CONFLICT(article_id, annotator) DO UPDATE SET status='done', updated=excluded.updated",
                    [article_id, annotator, utc_now()],
                )
            else:
                db.conn.execute("DELETE FROM article_status WHERE article_id = ? AND annotator = ?", [article_id, annotator])

    def status(self, article_id: str, annotator: str) -> str:
        """new / in progress / done for one annotator."""
        done = self.db.conn.execute(
            "SELECT 1 FROM article_status WHERE article_id = ? AND annotator = ? AND status = 'done'", [article_id, annotator]
        ).fetchone()
        if done:
            return "done"
        tags = self.db.conn.execute(
            "SELECT 1 FROM annotations WHERE article_id = ? AND annotator = ? AND deleted = 0 LIMIT 1", [article_id, annotator]
        ).fetchone()
        return "in progress" if tags else "new"

    def progress(self, annotator: str) -> tuple[int, int]:
        """(done, total) current articles for one annotator."""
        total = self.count_articles()
        done = self.db.conn.execute(
            "SELECT count(*) FROM article_status s JOIN articles a ON a.id = s.article_id "
            "WHERE s.annotator = ? AND s.status = 'done' AND a.current = 1", [annotator]
        ).fetchone()[0]
        return done, total

    def reject_suggestion(self, article_id: str, annotator: str, start: int, end: int, concept: str, variant: str) -> None:
        """Remember that ``annotator`` rejected a suggestion (not offered to them again)."""
        with self._write() as db:
            db.conn.execute(
                "INSERT OR IGNORE INTO rejected_suggestions (article_id, annotator, start, \"end\", concept, variant, created) "
                "VALUES (?,?,?,?,?,?,?)",
                [article_id, annotator, start, end, concept, variant, utc_now()],
            )

    def unreject_suggestion(self, article_id: str, annotator: str, start: int, end: int, variant: str) -> None:
        with self._write() as db:
            db.conn.execute(
                "DELETE FROM rejected_suggestions WHERE article_id = ? AND annotator = ? AND start = ? AND \"end\" = ? AND variant = ?",
                [article_id, annotator, start, end, variant],
            )

    def rejected_suggestions(self, article_id: str, annotator: str) -> set[tuple[int, int, str]]:
        """(start, end, variant) of the suggestions ``annotator`` rejected in an article."""
        rows = self.db.conn.execute(
            "SELECT start, \"end\", variant FROM rejected_suggestions WHERE article_id = ? AND annotator = ?",
            [article_id, annotator],
        ).fetchall()
        return {(r[0], r[1], r[2]) for r in rows}

    # -- annotations -----------------------------------------------------------------

    def add_annotation(self, annotation: Annotation) -> Annotation:
        """Store a new annotation (committed on return)."""
        with self._write() as db:
            db.conn.execute(_INSERT_ANNOTATION, _annotation_values(annotation))
        return annotation

    def swap_annotations(self, delete: list[str], undelete: list[str], add: Annotation | None = None) -> None:
        """Soft-delete some annotations, bring back others and add one, in one transaction
        (e.g. replacing a single-choice answer: never the old gone without the new saved)."""
        now = utc_now()
        with self._write() as db:
            for uuids, flag in ((delete, 1), (undelete, 0)):
                for uuid in uuids:
                    db.conn.execute("UPDATE annotations SET deleted = ?, updated = ? WHERE uuid = ?", [flag, now, uuid])
            if add is not None:
                db.conn.execute(_INSERT_ANNOTATION, _annotation_values(add))

    def update_annotation(self, uuid: str, **changes: Any) -> Annotation:
        """Change fields of an annotation (label, attributes, note, deleted, ...); returns it as stored."""
        allowed = {"category", "label", "attributes", "note", "deleted", "start", "end", "quote", "prefix", "suffix"}
        unknown = set(changes) - allowed
        if unknown:
            raise ValueError(f"cannot change {', '.join(sorted(unknown))}")
        values = {k: (json.dumps(v) if k == "attributes" else int(v) if k == "deleted" else v) for k, v in changes.items()}
        values["updated"] = utc_now()
        assignments = ", ".join(f'"{k}" = ?' for k in values)
        with self._write() as db:
            cursor = db.conn.execute(f"UPDATE annotations SET {assignments} WHERE uuid = ?", [*values.values(), uuid])
            if cursor.rowcount != 1:
                raise KeyError(f"no annotation {uuid}")
            row = db.conn.execute("SELECT * FROM annotations WHERE uuid = ?", [uuid]).fetchone()
            cols = _columns(db.conn, "annotations")
        return _annotation_from_row(dict(zip(cols, row)))

    def annotations(
        self, article_id: str | None = None, annotator: str | None = None, include_deleted: bool = False
    ) -> list[Annotation]:
        """Annotations, optionally of one article and/or one annotator, in creation order."""
        clauses, params = [], []
        if article_id is not None:
            clauses.append("article_id = ?")
            params.append(article_id)
        if annotator is not None:
            clauses.append("annotator = ?")
            params.append(annotator)
        if not include_deleted:
            clauses.append("deleted = 0")
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        rows = self.db.conn.execute(
            f"SELECT * FROM annotations {where} ORDER BY created, rowid", params
        ).fetchall()
        cols = _columns(self.db.conn, "annotations")
        return [_annotation_from_row(dict(zip(cols, r))) for r in rows]


    def label_usage(self, codebook_id: str) -> list[tuple[str, str, str, int]]:
        """(category, label, codebook version, count) of the live annotations made with a codebook."""
        rows = self.db.conn.execute(
            "SELECT category, label, codebook_version, count(*) FROM annotations "
            "WHERE codebook_id = ? AND deleted = 0 GROUP BY category, label, codebook_version "
            "ORDER BY category, label, codebook_version",
            [codebook_id],
        ).fetchall()
        return [(r[0], r[1], r[2], r[3]) for r in rows]


def word_count(text: str) -> int:
    """Words in a text, as ``wc -w`` counts them but leaving out tokens with no letter or
    digit ("—", "..."): "don't", "Kiev’s" and "full-scale" are one word each."""
    return sum(1 for token in text.split() if token.isalpha() or _HAS_WORD_CHAR.search(token))


_HAS_WORD_CHAR = re.compile(r"\w")


def _article_filter(
    current_only: bool = True, publisher: str | None = None, search: str | None = None,
    annotator: str | None = None, status: str | None = None,
) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
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


_COLUMNS: dict[str, list[str]] = {}


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    """A table's column names, read once per process (every database is migrated to the
    same schema when it is opened)."""
    if table not in _COLUMNS:
        _COLUMNS[table] = [d[0] for d in conn.execute(f"SELECT * FROM {table} LIMIT 0").description]
    return _COLUMNS[table]


def _article_from_row(conn: sqlite3.Connection, row: tuple) -> Article:
    cols = _columns(conn, "articles")
    data = dict(zip(cols, row))
    return Article(
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
    )


_INSERT_ANNOTATION = (
    "INSERT INTO annotations (uuid, article_id, text_sha256, annotator, codebook_id, codebook_version, "
    "category, label, start, \"end\", quote, prefix, suffix, attributes, note, origin, created, updated, "
    "deleted) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
)


def _annotation_values(a: Annotation) -> list[Any]:
    return [
        a.uuid, a.article_id, a.text_sha256, a.annotator, a.codebook_id, a.codebook_version, a.category,
        a.label, a.start, a.end, a.quote, a.prefix, a.suffix, json.dumps(a.attributes), a.note,
        a.origin.value, a.created, a.updated, int(a.deleted),
    ]


def _annotation_from_row(data: dict[str, Any]) -> Annotation:
    data = dict(data)
    data["attributes"] = json.loads(data["attributes"] or "{}")
    data["deleted"] = bool(data["deleted"])
    return Annotation.model_validate(data)
