"""SQLite storage: the only module that speaks SQL.

* WAL journal, foreign keys, a busy timeout: several processes (TUIs, imports,
  exports) can use one database file at once.
* Every write is one ``BEGIN IMMEDIATE`` transaction, committed before the call
  returns: what a caller reports as saved is on disk. A write finding the database
  busy asks again every few milliseconds for up to :data:`WRITE_WAIT_S`; imports keep
  their transactions short (staged articles, see :meth:`Store.begin_import`).
* One connection per thread (SQLite connections must stay on their thread).
* ``PRAGMA user_version`` holds the schema version; :data:`MIGRATIONS` bring an
  older file up to date without losing data.
"""

from __future__ import annotations

import json
import os
import random
import re
import shlex
import socket
import sqlite3
import stat
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from itertools import filterfalse
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from . import DEFAULT_DB
from .models import FIELD_LIMITS, STORED, Annotation, Article, Outlet, PartialDate, RemovedRange, utc_now

BUSY_TIMEOUT_MS = 10_000
# How long a write waits for the write lock before it fails with "database is locked": other
# writers (an import, other annotators) hold it for a short transaction at a time.
WRITE_WAIT_S = 60.0
# An import whose process is gone, or that has not written for this long, is abandoned: its
# staged articles are deleted by the next import (see Store.clear_dead_imports).
STALE_IMPORT_S = 600


if TYPE_CHECKING:  # sqlite-utils is imported where migrations need it (Store.db)
    import sqlite_utils


class StoreError(Exception):
    """A database that cannot be used (not SQLite, newer schema, unwritable)."""


# SQLite's errors, for callers that catch them without speaking SQL themselves (only the store imports sqlite3)
DatabaseError = sqlite3.DatabaseError
SQLiteError = sqlite3.Error


def database_error_line(path: Path, exc: sqlite3.Error) -> str:
    """One line saying what a database error met while reading or writing means for the user."""
    text = str(exc)
    if isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text):
        return f"{path}: the database is busy (another annotator is writing to it): {text}; try again"
    if isinstance(exc, sqlite3.OperationalError) and "readonly" in text:
        return f"{path}: cannot be written here ({text})"
    return (f"{path}: the database is damaged ({text}); check it with "
            f"`sqlite3 {shlex.quote(str(path))} \"PRAGMA integrity_check\"` and restore a backup "
            "(or re-import the articles into a new database)")


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


# Views for people who explore the database with sqlite-utils, Datasette or pandas
# (README "SQL views"). `annotator stats` computes the same numbers with filters.
VIEWS = {
    "tags": """
        SELECT n.uuid AS id, n.article_id, n.annotator, n.codebook_id AS codebook, n.codebook_version,
               n.category, n.label, n.start, n."end", n.quote, n.origin, n.created AS created_at,
               n.voice, n.concept, n.variant,
               a.publisher AS outlet, a.original_source, a.story, a.published, a.word_count
        FROM annotations n JOIN articles a ON a.id = n.article_id
        WHERE n.deleted = 0 AND n.category NOT LIKE '\\_%' ESCAPE '\\'""",
    "annotated_articles": """
        SELECT n.codebook_id AS codebook, n.article_id, n.annotator, a.publisher AS outlet, a.story,
               a.published, a.word_count, count(*) AS tags
        FROM annotations n JOIN articles a ON a.id = n.article_id
        WHERE n.deleted = 0 GROUP BY n.codebook_id, n.article_id, n.annotator""",
    "outlet_words": """
        SELECT codebook, outlet, count(*) AS annotated_articles, sum(word_count) AS words
        FROM annotated_articles GROUP BY codebook, outlet""",
    "outlet_label_stats": """
        SELECT t.codebook, t.outlet, t.category, t.label, count(*) AS tags,
               sum(t.voice = 'own') AS own_voice, sum(t.voice = 'quoted') AS quoted,
               sum(t.voice = 'scare-quoted') AS scare_quoted,
               count(DISTINCT t.article_id || char(31) || t.annotator) AS articles_with_label,
               w.annotated_articles, w.words,
               round(count(*) * 1000.0 / w.words, 3) AS per_1000_words
        FROM tags t JOIN outlet_words w ON w.codebook = t.codebook AND w.outlet IS t.outlet
        WHERE t.start IS NOT NULL
        GROUP BY t.codebook, t.outlet, t.category, t.label""",
    "concept_variant_shares": """
        SELECT codebook, outlet, concept, variant, coalesce(voice, '') AS voice, count(*) AS tags,
               round(count(*) * 1.0 / sum(count(*)) OVER (PARTITION BY codebook, outlet, concept, coalesce(voice, '')), 4)
                   AS share_in_concept
        FROM tags WHERE concept IS NOT NULL
        GROUP BY codebook, outlet, concept, variant, coalesce(voice, '')""",
    "annotator_progress": """
        SELECT u.annotator, count(*) AS annotated_articles,
               (SELECT count(*) FROM article_status s WHERE s.annotator = u.annotator AND s.status = 'done')
                   AS done_articles,
               sum(u.tags) AS annotations
        FROM (SELECT article_id, annotator, count(*) AS tags FROM annotations WHERE deleted = 0
              GROUP BY article_id, annotator) u
        GROUP BY u.annotator""",
}


# The span attributes statistics group by, copied out of the attributes JSON by triggers
# (so every writer fills them) into columns an index can cover.
STAT_ATTRIBUTES = ("voice", "concept", "variant")


def _migration_4(db: sqlite_utils.Database) -> None:
    """Statistics: attribute columns kept by triggers, covering indices, SQL views."""
    conn = db.conn
    copy = ", ".join(f"{name} = json_extract(attributes, '$.{name}')" for name in STAT_ATTRIBUTES)
    for name in STAT_ATTRIBUTES:
        conn.execute(f"ALTER TABLE annotations ADD COLUMN {name} TEXT")
    conn.execute(f"UPDATE annotations SET {copy} WHERE attributes IS NOT NULL AND attributes != '{{}}'")
    conn.execute(f"""CREATE TRIGGER annotations_stat_attributes_insert AFTER INSERT ON annotations
                     BEGIN UPDATE annotations SET {copy} WHERE rowid = NEW.rowid; END""")
    conn.execute(f"""CREATE TRIGGER annotations_stat_attributes_update AFTER UPDATE OF attributes ON annotations
                     BEGIN UPDATE annotations SET {copy} WHERE rowid = NEW.rowid; END""")
    # statistics read articles in outlet order and each article's tags from one covering index
    db["articles"].create_index(["publisher", "id", "original_source", "story", "published", "word_count"],
                                index_name="articles_statistics")
    db["annotations"].create_index(["article_id", "deleted", "codebook_id", "annotator", "category", "label",
                                    *STAT_ATTRIBUTES], index_name="annotations_statistics")
    for name, sql in VIEWS.items():
        db.conn.execute(f"DROP VIEW IF EXISTS {name}")
        db.conn.execute(f"CREATE VIEW {name} AS {sql}")


def _migration_5(db: sqlite_utils.Database) -> None:
    """Statistics by outlet without reading the articles: each annotation keeps its article's
    publisher (kept by triggers, so every writer fills it), and one covering index holds the
    live tags in the order the per-outlet tables group them (outlet, category, label, then
    annotator and article, so each annotator's reading of an article is one run of rows)."""
    conn = db.conn
    conn.execute("ALTER TABLE annotations ADD COLUMN publisher TEXT")
    conn.execute("UPDATE annotations SET publisher = (SELECT a.publisher FROM articles a WHERE a.id = annotations.article_id)")
    for event in ("INSERT", "UPDATE OF article_id"):
        name = "annotations_publisher_" + event.split()[0].lower()
        conn.execute(f"""CREATE TRIGGER {name} AFTER {event} ON annotations
                         BEGIN UPDATE annotations SET publisher = (SELECT a.publisher FROM articles a
                                                                   WHERE a.id = NEW.article_id)
                               WHERE rowid = NEW.rowid; END""")
    conn.execute("""CREATE TRIGGER articles_publisher_update AFTER UPDATE OF publisher ON articles
                    BEGIN UPDATE annotations SET publisher = NEW.publisher WHERE article_id = NEW.id; END""")
    db["annotations"].create_index(list(OUTLET_STATISTICS_COLUMNS), index_name="annotations_by_outlet")


def _migration_6(db: sqlite_utils.Database) -> None:
    """Where each annotator left off: the article they opened last (the TUI reopens it)."""
    db.conn.execute("CREATE TABLE IF NOT EXISTS reading_places (annotator TEXT PRIMARY KEY, article_id TEXT NOT NULL, "
                    "opened TEXT NOT NULL)")


# The fields of an annotation a history row keeps (its ``before`` and ``after`` JSON objects).
HISTORY_FIELDS = ("uuid", "article_id", "text_sha256", "annotator", "codebook_id", "codebook_version", "category",
                  "label", "start", "end", "quote", "prefix", "suffix", "attributes", "note", "origin", "created",
                  "updated", "deleted")
_NOW_SQL = "strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')"


def _row_json(row: str) -> str:
    """SQL building the JSON object of trigger row ``row`` (``NEW`` or ``OLD``)."""
    return "json_object(" + ", ".join(f"'{name}', {row}.\"{name}\"" for name in HISTORY_FIELDS) + ")"


def _migration_7(db: sqlite_utils.Database) -> None:
    """Every change to an annotation kept: ``annotation_history`` gets a row from triggers
    (so plain-SQL writers are recorded too) on each insert, change and delete, with the
    row before and after as JSON, and who and from where as the writer put them in
    ``history_context`` inside the same transaction. ``conflict`` rows hold a merged
    version that was not applied. Written to run again harmlessly (IF NOT EXISTS)."""
    conn = db.conn
    conn.execute("""CREATE TABLE IF NOT EXISTS annotation_history (
        id INTEGER PRIMARY KEY AUTOINCREMENT, uuid TEXT NOT NULL, article_id TEXT NOT NULL,
        change TEXT NOT NULL, before TEXT, after TEXT, who TEXT, source TEXT, at TEXT NOT NULL, settled TEXT)""")
    conn.execute("CREATE INDEX IF NOT EXISTS annotation_history_uuid ON annotation_history (uuid, id)")
    conn.execute("CREATE INDEX IF NOT EXISTS annotation_history_article ON annotation_history (article_id, id)")
    conn.execute("CREATE INDEX IF NOT EXISTS annotation_history_open ON annotation_history (change, settled)")
    conn.execute("CREATE TABLE IF NOT EXISTS history_context (id INTEGER PRIMARY KEY CHECK (id = 1), who TEXT, "
                 "source TEXT)")
    record = ("INSERT INTO annotation_history (uuid, article_id, change, before, after, who, source, at) "
              "VALUES ({row}.uuid, {row}.article_id, '{change}', {before}, {after}, "
              "(SELECT who FROM history_context WHERE id = 1), (SELECT source FROM history_context WHERE id = 1), "
              f"{_NOW_SQL});")
    fields = ", ".join(f'"{name}"' for name in HISTORY_FIELDS)
    differs = " OR ".join(f'OLD."{name}" IS NOT NEW."{name}"' for name in HISTORY_FIELDS)
    conn.execute(f"""CREATE TRIGGER IF NOT EXISTS annotation_history_insert AFTER INSERT ON annotations BEGIN
        {record.format(row="NEW", change="created", before="NULL", after=_row_json("NEW"))} END""")
    conn.execute(f"""CREATE TRIGGER IF NOT EXISTS annotation_history_update AFTER UPDATE OF {fields} ON annotations
        WHEN {differs} BEGIN
        {record.format(row="NEW", change="changed", before=_row_json("OLD"), after=_row_json("NEW"))} END""")
    conn.execute(f"""CREATE TRIGGER IF NOT EXISTS annotation_history_delete AFTER DELETE ON annotations BEGIN
        {record.format(row="OLD", change="removed", before=_row_json("OLD"), after="NULL")} END""")


def _migration_8(db: sqlite_utils.Database) -> None:
    """Imports in short transactions (README "Storage"): each file's articles are staged,
    stored but hidden from every reader while their import is listed in ``imports``, and
    shown together when that row is deleted. ``import_state.commits`` counts committed
    imports (an import decides versions again at its commit only if another committed
    meanwhile). The full-text index follows changes of the title and text only, not of
    ``current``."""
    conn = db.conn
    conn.execute("CREATE TABLE IF NOT EXISTS imports (id INTEGER PRIMARY KEY AUTOINCREMENT, source TEXT NOT NULL, "
                 "pid INTEGER, host TEXT, started TEXT NOT NULL, heartbeat TEXT NOT NULL, commits_seen INTEGER)")
    conn.execute("CREATE TABLE IF NOT EXISTS staged_articles (article_rowid INTEGER PRIMARY KEY, "
                 "import_id INTEGER NOT NULL, article_id TEXT NOT NULL, source_key TEXT NOT NULL, supersedes TEXT, "
                 "version INTEGER NOT NULL)")
    conn.execute("CREATE INDEX IF NOT EXISTS staged_articles_by_import ON staged_articles (import_id, supersedes)")
    conn.execute("CREATE TABLE IF NOT EXISTS import_state (id INTEGER PRIMARY KEY CHECK (id = 1), commits INTEGER NOT NULL)")
    conn.execute("INSERT OR IGNORE INTO import_state (id, commits) VALUES (1, 0)")
    conn.execute("DROP TRIGGER IF EXISTS articles_au")
    conn.execute("""CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
  INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES('delete', old.rowid, old.title, old.text);
  INSERT INTO articles_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text);
END""")


# Columns of annotations kept by triggers (copies of attributes, the article's publisher), not part of the model.
DERIVED_COLUMNS = frozenset({*STAT_ATTRIBUTES, "publisher"})
# The covering index of schema 5, in the order per-outlet statistics group and count.
OUTLET_STATISTICS_COLUMNS = ("codebook_id", "deleted", "publisher", "category", "label", "annotator", "article_id",
                             *STAT_ATTRIBUTES)


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_migration_1, _migration_2, _migration_3, _migration_4, _migration_5,
                                                            _migration_6, _migration_7, _migration_8]
# The condition every reader of ``articles a`` adds: not staged by an import still running (or
# killed). Checked row by row only while an import is listed; by rowid, so that an index of
# the articles still covers a query.
NOT_STAGED = ("(NOT EXISTS (SELECT 1 FROM imports) OR NOT EXISTS (SELECT 1 FROM staged_articles s "
              "JOIN imports i ON i.id = s.import_id WHERE s.article_rowid = a.rowid))")
STATUSES = ("new", "in progress", "done")
SCHEMA_VERSION = len(MIGRATIONS)


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

    @property
    def published_date(self) -> PartialDate:
        """The publication date as the model holds it (``str()`` gives ``~2025-07`` or ``unknown``)."""
        return PartialDate(value=self.published, approximate=self.published_approximate)


def _predecessor(conn: sqlite3.Connection, source_key: str, supersedes: str | None,
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


def _insert_article(conn: sqlite3.Connection, article: Article, version: int, supersedes: str | None, current: bool,
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


def _process_exists(pid: int | None) -> bool:
    """Whether a process of this id runs on this machine (a zombie counts until it is reaped)."""
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def _begin_immediate(conn: sqlite3.Connection, wait: float = WRITE_WAIT_S) -> None:
    """``BEGIN IMMEDIATE``, tried again every 1-4 ms (a random pause) while another connection
    holds the write lock, for up to ``wait`` seconds."""
    conn.execute("PRAGMA busy_timeout = 0")  # fail at once: this loop tries more often than SQLite's handler
    deadline = None
    try:
        while True:
            try:
                conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                now = time.monotonic()
                deadline = deadline or now + wait
                if not _is_busy(exc) or now >= deadline:
                    raise
            time.sleep(random.uniform(0.001, 0.004))
    finally:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    return "locked" in str(exc) or "busy" in str(exc)


class Store:
    """A handle on one annotations database. Safe to share between threads."""

    def __init__(self, path: str | Path = DEFAULT_DB, mode: str = "create"):
        """``mode``: ``create`` makes (or migrates) the database; ``write`` and ``read`` only
        open an existing annotator database (another file is refused, never turned into
        one), and ``read`` opens it read-only: a read-out never writes to the file."""
        self.path = Path(path)
        self.read_only = False
        self._local = threading.local()
        # who makes the changes of this handle, and from where: kept in the annotation history
        self.actor: str | None = None
        self.actor_source: str | None = None
        try:
            mode_bits = self.path.stat().st_mode if self.path.exists() else None
        except OSError as exc:  # a name too long, a folder that cannot be entered
            raise StoreError(f"{self.path}: cannot be used as a database: {exc.strerror or exc}") from None
        if mode_bits is not None and stat.S_ISDIR(mode_bits):
            raise StoreError(f"{self.path}: is a folder, not a database file")
        if mode_bits is not None and not stat.S_ISREG(mode_bits):  # SQLite would wait on a pipe for ever
            raise StoreError(f"{self.path}: is not a regular file (a pipe, socket or device), not a database file")
        try:
            if mode == "create":
                self._migrate()
            else:
                self._open_existing(mode == "read")
        except sqlite3.OperationalError as exc:
            if "readonly" in str(exc) or "unable to open" in str(exc):
                raise StoreError(f"{self.path}: cannot be written here ({exc}); annotator needs write access "
                                 "to the file and its folder (WAL journal)") from None
            raise StoreError(f"{self.path}: not a usable SQLite database ({exc})") from None
        except sqlite3.DatabaseError as exc:
            if "malformed" in str(exc):
                raise StoreError(database_error_line(self.path, exc)) from None
            raise StoreError(f"{self.path}: not a usable SQLite database ({exc})") from None

    def _open_existing(self, read_only: bool) -> None:
        """Open an annotator database without writing to anything that is not one."""
        self.read_only = True
        version = self.schema_version
        self.close()
        if version == 0:
            raise StoreError(f"{self.path}: is not an annotator database (an empty file or another program's "
                             "SQLite file); name the right one with --db, or import articles into a new one")
        self.read_only = False
        if version != SCHEMA_VERSION:
            self._migrate()  # an older annotator database is brought up to date even to be read
            self.close()
        self.read_only = read_only

    # -- connections and transactions -------------------------------------------------

    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's connection (opened on first use). Every query of the store runs on it."""
        conn = getattr(self._local, "conn", None)
        if conn is None and self.read_only:
            conn = sqlite3.connect(f"{self.path.absolute().as_uri()}?mode=ro", uri=True,
                                   timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._local.conn = conn
        elif conn is None:
            conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal" and str(self.path) != ":memory:":
                conn.close()
                raise StoreError(f"{self.path}: could not switch to WAL journal (got {mode})")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            self._local.conn = conn
        return conn

    @property
    def db(self) -> sqlite_utils.Database:
        """This thread's connection as a sqlite-utils ``Database`` (for migrations and
        inspection). sqlite-utils is imported on first use: it pulls in numpy when that is
        installed, which commands that only read must not pay for at start."""
        db = getattr(self._local, "db", None)
        if db is None or db.conn is not self.conn:
            import sqlite_utils

            db = self._local.db = sqlite_utils.Database(self.conn)
        return db

    def close(self) -> None:
        """Close this thread's connection."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = self._local.db = None

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken with the write lock at once (no upgrade deadlocks).
        While another connection writes, the lock is asked for again every few milliseconds
        (SQLite's own busy handler sleeps up to 100 ms between tries, and would miss the gaps
        an import leaves between its short transactions), for up to :data:`WRITE_WAIT_S`
        before "database is locked" is raised."""
        conn = self.conn
        _begin_immediate(conn)
        try:
            yield conn
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")

    def _migrate(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: schema version {version} is newer than this annotator ({SCHEMA_VERSION}); upgrade annotator"
            )
        if version == SCHEMA_VERSION:
            return
        with self._write() as conn:
            version = conn.execute("PRAGMA user_version").fetchone()[0]  # another process may have migrated
            for number in range(version, SCHEMA_VERSION):
                MIGRATIONS[number](self.db)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @property
    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    # -- outlets ---------------------------------------------------------------------

    def upsert_outlets(self, outlets: Iterable[Outlet], replace: bool = True) -> int:
        """Insert or replace registry outlets; returns how many changed. ``replace=False``
        only adds the outlets the database does not hold yet."""
        changed = 0
        with self._write() as conn:
            for outlet in outlets:
                data = outlet.model_dump_json()
                old = conn.execute("SELECT data FROM outlets WHERE id = ?", [outlet.id]).fetchone()
                if old and (old[0] == data or not replace):
                    continue
                conn.execute(
                    "INSERT INTO outlets (id, name, country, state_affiliation, data, updated) VALUES (?,?,?,?,?,?) "
                    "ON CONFLICT(id) DO UPDATE SET name=excluded.name, country=excluded.country, "
                    "state_affiliation=excluded.state_affiliation, data=excluded.data, updated=excluded.updated",
                    [outlet.id, outlet.name, outlet.country, outlet.state_affiliation.value, data, utc_now()],
                )
                changed += 1
        return changed

    def outlets(self) -> list[Outlet]:
        """Every outlet, by name."""
        rows = self.conn.execute("SELECT data FROM outlets ORDER BY name COLLATE NOCASE").fetchall()
        return [Outlet.model_validate_json(r[0], context=STORED) for r in rows]

    def outlet(self, outlet_id: str | None) -> Outlet | None:
        """One outlet by id, or None."""
        if outlet_id is None:
            return None
        row = self.conn.execute("SELECT data FROM outlets WHERE id = ?", [outlet_id]).fetchone()
        return Outlet.model_validate_json(row[0], context=STORED) if row else None

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
                supersedes, version = _predecessor(conn, article.source_key, article.supersedes)
                if supersedes:
                    conn.execute("UPDATE articles SET current = 0 WHERE id = ?", [supersedes])
                _insert_article(conn, article, version, supersedes, True, word_counts)
                outcomes.append(Added(article.id, "version" if supersedes else "new", supersedes, version))
            conn.execute("UPDATE import_state SET commits = commits + 1")  # imports running decide versions again
        return outcomes

    # -- imports in short transactions ----------------------------------------------------
    # A file's articles are written in batches (each its own short transaction) as staged
    # rows, listed in staged_articles, which every reader leaves out (NOT_STAGED) while their
    # import is listed in imports. New articles are stored current, new versions not (their
    # older version stays current). commit_import deletes the import's row, and flips only the
    # versions, in one transaction: then everything of the file is seen at once. A killed import
    # leaves only staged rows, which the next import takes over or deletes.

    def begin_import(self, source: str) -> int:
        """Start importing one file; returns the import's id for :meth:`stage_articles`."""
        now = utc_now()
        with self._write() as conn:
            cursor = conn.execute(
                "INSERT INTO imports (source, pid, host, started, heartbeat, commits_seen) "
                "VALUES (?,?,?,?,?,(SELECT commits FROM import_state))",
                [source, os.getpid(), socket.gethostname(), now, now])
        return int(cursor.lastrowid or 0)

    def stage_articles(self, import_id: int, articles: Iterable[Article],
                       word_counts: Mapping[str, int] | None = None) -> list[Added]:
        """Store a batch of an import's articles, unseen until :meth:`commit_import`, in one
        transaction. Returns the duplicates of committed articles (not stored again); a text
        another unfinished import staged is taken over by this one (so running a killed
        import again completes it)."""
        duplicates: list[Added] = []
        with self._write() as conn:
            if conn.execute("UPDATE imports SET heartbeat = ? WHERE id = ?", [utc_now(), import_id]).rowcount != 1:
                raise StoreError(f"the import was abandoned (no sign of life for {STALE_IMPORT_S} s)")
            for article in articles:
                existing = conn.execute(
                    "SELECT a.rowid, a.id, i.id FROM articles a LEFT JOIN staged_articles s ON s.article_rowid = a.rowid "
                    "LEFT JOIN imports i ON i.id = s.import_id WHERE a.text_sha256 = ?", [article.text_sha256]).fetchone()
                if existing is None:
                    supersedes, version = _predecessor(conn, article.source_key, article.supersedes)
                    rowid = _insert_article(conn, article, version, supersedes, supersedes is None, word_counts)
                    conn.execute("INSERT INTO staged_articles (article_rowid, import_id, article_id, source_key, "
                                 "supersedes, version) VALUES (?,?,?,?,?,?)",
                                 [rowid, import_id, article.id, article.source_key, supersedes, version])
                elif existing[2] is None:
                    duplicates.append(Added(article.id, "duplicate", existing[1]))
                elif existing[2] != import_id:  # taken over: its version is decided again at the commit
                    conn.execute("UPDATE staged_articles SET import_id = ? WHERE article_rowid = ?", [import_id, existing[0]])
                    conn.execute("UPDATE imports SET commits_seen = -1 WHERE id = ?", [import_id])
        return duplicates

    def commit_import(self, import_id: int) -> dict[str, Added]:
        """Show every article the import staged, at once: one transaction whose work grows
        only with the new versions (and, if another import committed meanwhile, with the
        articles, whose versions are then decided again). Returns what was done with each,
        by article id; an article it staged that another import committed first is not
        among them."""
        listing = ("SELECT article_rowid, article_id, source_key, supersedes, version FROM staged_articles "
                   "WHERE import_id = ?")
        rows = self.conn.execute(listing, [import_id]).fetchall()  # read before the write lock is taken
        changed: dict[int, tuple[str | None, int]] = {}
        with self._write() as conn:
            state = conn.execute("SELECT commits_seen = (SELECT commits FROM import_state), "
                                 "(SELECT count(*) FROM staged_articles WHERE import_id = ?) FROM imports WHERE id = ?",
                                 [import_id, import_id]).fetchone()
            if state is None:
                raise StoreError(f"the import was abandoned (no sign of life for {STALE_IMPORT_S} s)")
            unchanged, count = state
            if count != len(rows):  # another import took some over meanwhile
                rows = conn.execute(listing, [import_id]).fetchall()
            conn.execute("DELETE FROM imports WHERE id = ?", [import_id])  # from here on, NOT_STAGED lets them through
            for rowid, _, source_key, staged_supersedes, staged_version in rows:
                supersedes, version = staged_supersedes, staged_version
                if not unchanged:  # another import committed since this one began: versions decided again
                    supersedes, version = _predecessor(conn, source_key, supersedes, rowid)
                    if (supersedes, version) != (staged_supersedes, staged_version):
                        conn.execute("UPDATE articles SET supersedes = ?, version = ? WHERE rowid = ?",
                                     [supersedes, version, rowid])
                        changed[rowid] = (supersedes, version)
                if supersedes is not None:
                    conn.execute("UPDATE articles SET current = 0 WHERE id = ?", [supersedes])
                if supersedes is not None or staged_supersedes is not None:  # a version was stored not current
                    conn.execute("UPDATE articles SET current = 1 WHERE rowid = ?", [rowid])
            conn.execute("UPDATE import_state SET commits = commits + 1")
        outcomes: dict[str, Added] = {}
        for rowid, article_id, _, supersedes, version in rows:
            supersedes, version = changed.get(rowid, (supersedes, version))
            outcomes[article_id] = Added(article_id, "version" if supersedes else "new", supersedes, version)
        return outcomes

    def forget_import(self, import_id: int, batch: int = 2000) -> None:
        """Drop a committed import's list of staged rows (short transactions)."""
        while True:
            with self._write() as conn:
                if conn.execute("DELETE FROM staged_articles WHERE article_rowid IN (SELECT article_rowid FROM "
                                "staged_articles WHERE import_id = ? LIMIT ?)", [import_id, batch]).rowcount < batch:
                    return
            time.sleep(0.002)  # others' writes go in between

    def abandon_import(self, import_id: int, batch: int = 200) -> None:
        """Delete what an import staged, in short transactions (none of it was ever seen).
        An import already committed keeps its articles (only its list is dropped)."""
        while True:
            with self._write() as conn:
                if conn.execute("SELECT 1 FROM imports WHERE id = ?", [import_id]).fetchone() is None:
                    conn.execute("DELETE FROM staged_articles WHERE import_id = ?", [import_id])
                    return
                rowids = [(r[0],) for r in conn.execute(
                    "SELECT article_rowid FROM staged_articles WHERE import_id = ? LIMIT ?", [import_id, batch])]
                if not rowids:
                    conn.execute("DELETE FROM imports WHERE id = ?", [import_id])
                    return
                conn.executemany("DELETE FROM articles WHERE rowid = ?", rowids)
                conn.executemany("DELETE FROM staged_articles WHERE article_rowid = ?", rowids)
            time.sleep(0.002)

    def clear_dead_imports(self) -> int:
        """Abandon the imports whose process is gone (on this machine) or that have not
        written for :data:`STALE_IMPORT_S`; returns how many."""
        host, cleared = socket.gethostname(), 0
        stale = datetime.now(timezone.utc).timestamp() - STALE_IMPORT_S
        for import_id, pid, where, heartbeat in self.conn.execute(
                "SELECT id, pid, host, heartbeat FROM imports").fetchall():
            beat = _timestamp(heartbeat)
            gone = where == host and pid != os.getpid() and not _process_exists(pid)
            if gone or beat is None or beat.timestamp() < stale:
                self.abandon_import(import_id)
                cleared += 1
        while True:  # the lists of imports killed after their commit
            with self._write() as conn:
                if conn.execute("DELETE FROM staged_articles WHERE article_rowid IN (SELECT article_rowid FROM "
                                "staged_articles WHERE import_id NOT IN (SELECT id FROM imports) LIMIT 2000)"
                                ).rowcount < 2000:
                    return cleared

    @contextmanager
    def page_cache(self, kib: int) -> Iterator[None]:
        """This thread's connection keeps up to ``kib`` KiB of pages in memory meanwhile (a large import)."""
        before = self.conn.execute("PRAGMA cache_size").fetchone()[0]
        self.conn.execute(f"PRAGMA cache_size = {-int(kib)}")
        try:
            yield
        finally:
            self.conn.execute(f"PRAGMA cache_size = {before}")

    def optimize(self) -> None:
        """Refresh the query planner's statistics (after large imports); skipped when busy."""
        try:
            self.conn.execute("PRAGMA optimize")
        except sqlite3.OperationalError:
            pass  # another process is writing: statistics can wait for the next import

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
        annotator: str | None = None, status: str | None = None,
    ) -> int:
        """How many articles pass the filters (see :meth:`list_articles`)."""
        where, params = _article_filter(current_only, publisher, search, annotator, status)
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
        rows = self.conn.execute(sql, [*head, annotator, *params, -1 if limit is None else limit, offset]).fetchall()
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

    def set_status(self, article_id: str, annotator: str, done: bool) -> None:
        """Mark an article done (or not done) for one annotator."""
        with self._write() as conn:
            if done:
                conn.execute(
                    "INSERT INTO article_status (article_id, annotator, status, updated) VALUES (?,?,'done',?) "
                    "ON CONFLICT(article_id, annotator) DO UPDATE SET status='done', updated=excluded.updated",
                    [article_id, annotator, utc_now()],
                )
            else:
                conn.execute("DELETE FROM article_status WHERE article_id = ? AND annotator = ?", [article_id, annotator])

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
        """(done, total) current articles for one annotator."""
        total = self.count_articles()
        done = self.conn.execute(
            "SELECT count(*) FROM article_status s JOIN articles a ON a.id = s.article_id "
            "WHERE s.annotator = ? AND s.status = 'done' AND a.current = 1", [annotator]
        ).fetchone()[0]
        return done, total

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
        with self._write() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO rejected_suggestions (article_id, annotator, start, \"end\", concept, variant, created) "
                "VALUES (?,?,?,?,?,?,?)",
                [article_id, annotator, start, end, concept, variant, utc_now()],
            )

    def unreject_suggestion(self, article_id: str, annotator: str, start: int, end: int, variant: str) -> None:
        with self._write() as conn:
            conn.execute(
                "DELETE FROM rejected_suggestions WHERE article_id = ? AND annotator = ? AND start = ? AND \"end\" = ? AND variant = ?",
                [article_id, annotator, start, end, variant],
            )

    def rejected_suggestions(self, article_id: str, annotator: str) -> set[tuple[int, int, str]]:
        """(start, end, variant) of the suggestions ``annotator`` rejected in an article."""
        rows = self.conn.execute(
            "SELECT start, \"end\", variant FROM rejected_suggestions WHERE article_id = ? AND annotator = ?",
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
            conn.execute(_INSERT_ANNOTATION, _annotation_values(annotation))
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
                conn.execute(_INSERT_ANNOTATION, _annotation_values(add))

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
        cols = _columns(self.conn, "annotations")
        with self._recorded_write(owner, source) as conn:
            for annotation in annotations:
                row = conn.execute("SELECT * FROM annotations WHERE uuid = ?", [annotation.uuid]).fetchone()
                if row is None:
                    conn.execute(_INSERT_ANNOTATION, _annotation_values(annotation))
                    outcomes.append("added")
                    continue
                stored = _annotation_from_row(dict(zip(cols, row)))
                if (stored.annotator, stored.article_id) != (annotation.annotator, annotation.article_id):
                    outcomes.append(f"refused: id {stored.uuid} is a tag of {stored.annotator!r} on article "
                                    f"{stored.article_id}; a record may not change its annotator or article")
                elif stored == annotation:
                    outcomes.append("present")
                elif not _is_later(annotation.updated, stored.updated):
                    outcomes.append("kept")
                elif owner is not None and stored.annotator == owner:
                    values = _annotation_values(annotation)
                    conn.execute(_UPDATE_ANNOTATION, [*values[1:], values[0]])
                    outcomes.append("updated")
                else:
                    incoming = json.dumps(_history_record(annotation), ensure_ascii=False)
                    earlier = conn.execute("SELECT settled FROM annotation_history WHERE uuid = ? AND change = "
                                           "'conflict' AND after = ? ORDER BY settled IS NULL DESC LIMIT 1",
                                           [annotation.uuid, incoming]).fetchone()
                    if earlier is not None and earlier[0] is not None:
                        outcomes.append("kept")  # this very version was dismissed before: not asked again
                        continue
                    if earlier is None:
                        conn.execute("INSERT INTO annotation_history (uuid, article_id, change, before, after, who, "
                                     f"source, at) VALUES (?, ?, 'conflict', ?, ?, ?, ?, {_NOW_SQL})",
                                     [stored.uuid, stored.article_id,
                                      json.dumps(_history_record(stored), ensure_ascii=False), incoming, owner, source])
                    outcomes.append("conflict")
        return outcomes

    def iter_annotation_exports(
        self, annotators: Iterable[str] | None = None, codebook: str | None = None, batch: int = 1000,
    ) -> Iterator[dict[str, Any]]:
        """Every live annotation with its article's and outlets' context, as plain dicts keyed
        by :data:`EXPORT_FIELDS`, ordered by article (import order), then start (article-level
        tags first), then creation. Optionally only some annotators' or one codebook's.

        A generator over one cursor read ``batch`` rows at a time (one consistent read
        snapshot): memory stays flat however many annotations there are. The join is driven
        by the articles table so the order needs no sort of the whole result, only of each
        article's annotations."""
        for row in self.iter_annotation_export_rows(annotators, codebook, batch):
            yield _export_record(row)

    def iter_annotation_export_rows(
        self, annotators: Iterable[str] | None = None, codebook: str | None = None, batch: int = 1000,
        rowid: int | None = None,
    ) -> Iterator[tuple]:
        """The rows behind :meth:`iter_annotation_exports` as tuples: :data:`EXPORT_FIELDS`
        (``attributes`` as stored JSON, ``published`` without its ``~``), then
        ``published_approximate``, ``voice``, ``concept``, ``variant`` (for CSV). ``rowid``:
        only the annotation with that rowid."""
        sql, params = _export_query(annotators, codebook, rowid)
        cursor = self.conn.execute(sql, params)
        try:
            while rows := cursor.fetchmany(batch):
                yield from rows
        finally:
            cursor.close()

    def attribute_columns(self, attributes: str | None) -> tuple[str | None, ...]:
        """The ``voice``, ``concept`` and ``variant`` columns that an annotation with these
        stored ``attributes`` holds: what the triggers of schema 4 copy out of them (the
        same SQL), so the fast CSV export reads them once per distinct attributes value."""
        copy = ", ".join(f"CAST(json_extract(?1, '$.{name}') AS TEXT)" for name in STAT_ATTRIBUTES)
        return tuple(self.conn.execute(f"SELECT {copy}", [attributes]).fetchone())

    def iter_annotation_csv_parts(
        self, annotators: Iterable[str] | None = None, codebook: str | None = None, batch: int = 500,
    ) -> Iterator[tuple[dict[int, bytes | None], list[tuple]]]:
        """The rows of :meth:`iter_annotation_export_rows`, in the same order, with their
        cells joined by SQLite (see :data:`CSV_SEPARATOR`), for the fast CSV export. Yields
        ``(articles, rows)`` per ``batch`` rows; a row is ``(article rowid, head, attributes,
        tail, annotation rowid)``: ``head`` the cells up to ``text_sha256``, ``attributes`` as
        stored (``voice``, ``concept``, ``variant`` follow from it: :meth:`attribute_columns`), ``tail`` the cells from ``note`` to ``updated_at``. ``articles`` maps the
        articles whose rows start in this batch to their cells (``publisher`` to ``story``),
        read once per article. One read snapshot (a transaction of its own unless one is
        open); the articles with exported tags are listed, in rowid order, in a temporary
        table (:data:`EXPORT_ARTICLES`) of this connection. Memory stays flat."""
        fill_sql, articles_sql, annotations_sql, params = _export_csv_queries(annotators, codebook)
        conn = self.conn
        own = not conn.in_transaction
        if own:
            conn.execute("BEGIN")
        try:
            conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {EXPORT_ARTICLES.split('.')[1]} "
                         "(rowid INTEGER PRIMARY KEY, id TEXT NOT NULL)")
            conn.execute(f"DELETE FROM {EXPORT_ARTICLES}")
            conn.execute(fill_sql, params)
            annotations = conn.execute(annotations_sql, params)
            articles = conn.execute(articles_sql)
            try:
                while rows := annotations.fetchmany(batch):
                    last = rows[-1][0]
                    parts: dict[int, bytes | None] = {}
                    for rowid, cells in articles:
                        parts[rowid] = cells
                        if rowid >= last:
                            break
                    yield parts, rows
            finally:
                annotations.close()
                articles.close()
            conn.execute(f"DELETE FROM {EXPORT_ARTICLES}")
        finally:
            if own and conn.in_transaction:
                conn.execute("COMMIT")  # it only read (and wrote the temporary table)

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
            cols = _columns(conn, "annotations")
        return _annotation_from_row(dict(zip(cols, row)))

    # -- history of annotations (schema 7) -------------------------------------------------

    def history(self, uuid: str | None = None, article_id: str | None = None,
                open_conflicts: bool = False) -> list[HistoryEntry]:
        """The recorded changes of one tag, of one article's tags, or the open conflicts, oldest first."""
        where, params = _where(["change = 'conflict' AND settled IS NULL"] if open_conflicts else [],
                               uuid=uuid, article_id=article_id)
        rows = self.conn.execute("SELECT id, uuid, article_id, change, before, after, who, source, at, settled "
                                 f"FROM annotation_history {where} ORDER BY id", params).fetchall()
        return [HistoryEntry(*r[:4], _loads(r[4]), _loads(r[5]), *r[6:]) for r in rows]

    def history_entry(self, entry_id: int) -> HistoryEntry | None:
        """One recorded change by its number."""
        rows = self.conn.execute("SELECT id, uuid, article_id, change, before, after, who, source, at, settled "
                                 "FROM annotation_history WHERE id = ?", [entry_id]).fetchall()
        return next((HistoryEntry(*r[:4], _loads(r[4]), _loads(r[5]), *r[6:]) for r in rows), None)

    def tag_ids_starting(self, prefix: str, limit: int = 5) -> list[str]:
        """Ids of tags (live, deleted or removed: any with a history) starting with ``prefix``
        (any case; read from the indices, as a range of ids)."""
        low = prefix.lower()
        high = low + "\U0010ffff"
        rows = self.conn.execute("SELECT uuid FROM (SELECT uuid FROM annotation_history WHERE uuid >= ?1 AND uuid < ?2 "
                                 "UNION SELECT uuid FROM annotations WHERE uuid >= ?1 AND uuid < ?2) ORDER BY uuid "
                                 "LIMIT ?3", [low, high, limit]).fetchall()
        return [r[0] for r in rows]

    def restore_version(self, entry_id: int, who: str | None = None) -> Annotation:
        """Bring a tag back to a recorded version: for a conflict still open, the incoming one
        (the conflict is then settled as accepted); otherwise the tag as it was before that
        change (a removed tag comes back). The stored tag it replaces stays in the history."""
        with self._recorded_write(who) as conn:
            row = conn.execute("SELECT uuid, change, before, after, settled FROM annotation_history WHERE id = ?",
                               [entry_id]).fetchone()
            if row is None:
                raise KeyError(f"no history entry {entry_id}")
            uuid, change, before, after, settled = row
            accepting = change == "conflict" and settled is None
            conn.execute("UPDATE history_context SET source = ?",
                         [f"{'accepted conflict' if accepting else 'restored before change'} {entry_id}"])
            if accepting:
                version = json.loads(after)
                conn.execute("UPDATE annotation_history SET settled = ? WHERE id = ?",
                             [f"accepted by {who or self.actor or 'unknown'}", entry_id])
            elif before is None:
                raise ValueError(f"history entry {entry_id} created the tag: there is no earlier version")
            else:
                version = dict(json.loads(before), updated=utc_now())
            values = [version[name] for name in HISTORY_FIELDS]
            if conn.execute("UPDATE annotations SET " + ", ".join(f'"{n}" = ?' for n in HISTORY_FIELDS[1:])
                            + " WHERE uuid = ?", [*values[1:], uuid]).rowcount == 0:
                conn.execute(_INSERT_ANNOTATION, values)
            found = conn.execute("SELECT * FROM annotations WHERE uuid = ?", [uuid]).fetchone()
            return _annotation_from_row(dict(zip(_columns(conn, "annotations"), found)))

    def dismiss_conflict(self, entry_id: int, who: str | None = None) -> None:
        """Settle an open conflict by keeping the stored tag (the incoming version stays in the history)."""
        with self._write() as conn:
            if conn.execute("UPDATE annotation_history SET settled = ? WHERE id = ? AND change = 'conflict' "
                            "AND settled IS NULL", [f"dismissed by {who or self.actor or 'unknown'}", entry_id]
                            ).rowcount == 0:
                raise KeyError(f"history entry {entry_id} is not an open conflict")

    def annotations(
        self, article_id: str | None = None, annotator: str | None = None, include_deleted: bool = False
    ) -> list[Annotation]:
        """Annotations, optionally of one article and/or one annotator, in creation order."""
        where, params = _where([] if include_deleted else ["deleted = 0"], article_id=article_id, annotator=annotator)
        rows = self.conn.execute(
            f"SELECT * FROM annotations {where} ORDER BY created, rowid", params
        ).fetchall()
        cols = _columns(self.conn, "annotations")
        return [_annotation_from_row(dict(zip(cols, r))) for r in rows]


    # -- statistics --------------------------------------------------------------------

    def tag_counts(self, dims: list[str], scope: TagScope, categories: Iterable[str] | None = None,
                   voices: Sequence[str] = ()) -> list[tuple]:
        """``(*dims, tags, units, *voice tags)`` per group of live tags in ``scope`` (article notes
        left out): ``units`` counts the (article, annotator) pairs holding such a tag, and for each
        of ``voices`` (then for no voice) the group's tags in that voice.

        Without article filters and with outlets as publishers, read from the annotations'
        own publisher column and the covering index in outlet, category, label order (no join,
        no sort); otherwise driven by the articles (in outlet order) and each article's tags."""
        from_articles = not _annotations_only(dims, scope)
        columns = _dimension_sql(dims, scope, [*_DIMENSIONS, "outlet"], from_articles)
        where, params = _scope_sql(scope, categories)
        units = ("count(DISTINCT n.article_id)" if "annotator" in dims
                 else "count(DISTINCT n.article_id || char(31) || n.annotator)")
        split = [f"sum(n.voice IS ?)" for _ in voices] + (["sum(n.voice IS NULL)"] if voices else [])
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

    def iter_codings(self, scope: TagScope) -> Iterator[tuple[str, str, str, str]]:
        """``(article_id, annotator, category, label)`` of every live annotation in ``scope``
        (notes included: they show who read an article), streamed from a cursor, grouped by article."""
        where, params = _scope_sql(scope)
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
}
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
        articles.append(("a.published || substr('-01-01', length(a.published) - 3) <= ?", [scope.until]))
    chosen = {"n": tags, "a": articles, "both": tags + articles}[part]
    return " AND ".join(c for c, _ in chosen) or "1", [p for _, params in chosen for p in params]


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
    return scope.outlet_by == "publisher" and not _filters_articles(scope) and "story" not in dims


def word_count(text: str) -> int:
    """Words in a text, as ``wc -w`` counts them but leaving out tokens with no letter or
    digit ("—", "..."): "don't", "Kiev’s" and "full-scale" are one word each."""
    tokens = text.split()
    # all-letter tokens are words; of the others, those without a letter or digit are not
    return len(tokens) - list(map(_HAS_WORD_CHAR.search, filterfalse(str.isalpha, tokens))).count(None)


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


_COLUMNS: dict[str, list[str]] = {}


def _where(clauses: Sequence[str] = (), **equal: Any) -> tuple[str, list[Any]]:
    """``WHERE column = ? AND ...`` for each ``equal`` value that is not None, and the given clauses."""
    given = {column: value for column, value in equal.items() if value is not None}
    parts = [f"{column} = ?" for column in given] + list(clauses)
    return ("WHERE " + " AND ".join(parts)) if parts else "", list(given.values())


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    """A table's column names, read once per process (every database is migrated to the
    same schema when it is opened)."""
    if table not in _COLUMNS:
        _COLUMNS[table] = [d[0] for d in conn.execute(f"SELECT * FROM {table} LIMIT 0").description]
    return _COLUMNS[table]


def _article_from_row(conn: sqlite3.Connection, row: tuple) -> Article:
    cols = _columns(conn, "articles")
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


def _history_record(a: Annotation) -> dict[str, Any]:
    """An annotation as a history row's JSON object holds it (as the triggers write it)."""
    return dict(zip(HISTORY_FIELDS, _annotation_values(a)))


def _loads(text: str | None) -> dict[str, Any] | None:
    """A history row's ``before`` or ``after`` as a dict, its ``attributes`` as an object."""
    if text is None:
        return None
    data = json.loads(text)
    if isinstance(data.get("attributes"), str):
        data["attributes"] = json.loads(data["attributes"])
    return data


@dataclass(frozen=True)
class HistoryEntry:
    """One recorded change of a tag: ``created``, ``changed``, ``removed`` (the row deleted)
    or ``conflict`` (a merged version not applied; ``settled`` says how it was settled).
    ``before`` and ``after`` are the tag's fields (:data:`HISTORY_FIELDS`)."""

    id: int
    uuid: str
    article_id: str
    change: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    who: str | None
    source: str | None
    at: str
    settled: str | None = None


def _annotation_from_row(data: dict[str, Any]) -> Annotation:
    data = {k: v for k, v in data.items() if k not in DERIVED_COLUMNS}
    data["attributes"] = json.loads(data["attributes"] or "{}")
    data["deleted"] = bool(data["deleted"])
    return Annotation.model_validate(data, context=STORED)  # a database written before a limit stays readable


_UPDATE_ANNOTATION = (
    "UPDATE annotations SET article_id = ?, text_sha256 = ?, annotator = ?, codebook_id = ?, codebook_version = ?, "
    "category = ?, label = ?, start = ?, \"end\" = ?, quote = ?, prefix = ?, suffix = ?, attributes = ?, note = ?, "
    "origin = ?, created = ?, updated = ?, deleted = ? WHERE uuid = ?"
)


def _timestamp(value: str | None) -> datetime | None:
    """An ISO 8601 time as an aware datetime (a time without zone is taken as UTC), or None."""
    try:
        parsed = datetime.fromisoformat(value or "")
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _is_later(incoming: str, stored: str) -> bool:
    """Whether ``incoming`` is a later time than ``stored`` (an unreadable time is never later)."""
    new, old = _timestamp(incoming), _timestamp(stored)
    if new is None:
        return False
    return old is None or new > old


# The record of one annotation in an export (annotator.export): the annotation, then its
# article and outlets. ``published`` is the stored partial date as written ("~2025-07").
EXPORT_FIELDS = (
    "id", "article_id", "annotator", "codebook", "codebook_version", "category", "label", "start", "end",
    "quote", "prefix", "suffix", "text_sha256", "attributes", "note", "origin", "created_at", "updated_at",
    "publisher", "publisher_name", "original_source", "original_source_name", "title", "url", "published",
    "language", "story",
)


def _export_filter(annotators: Iterable[str] | None, codebook: str | None) -> tuple[list[str], list[Any]]:
    """The WHERE clauses (on ``annotations n``) and parameters of an export."""
    clauses, params = ["n.deleted = 0"], []
    if annotators is not None:
        names = list(annotators)
        clauses.append(f"n.annotator IN ({','.join('?' * len(names))})" if names else "0")
        params.extend(names)
    if codebook is not None:
        clauses.append("n.codebook_id = ?")
        params.append(codebook)
    return clauses, params


def _export_query(annotators: Iterable[str] | None, codebook: str | None,
                  rowid: int | None = None) -> tuple[str, list[Any]]:
    """The SQL of :meth:`Store.iter_annotation_exports` (``rowid``: only that annotation).
    ``CROSS JOIN`` keeps the articles as the outer loop (rowid order) so only each
    article's annotations are sorted."""
    clauses, params = _export_filter(annotators, codebook)
    join = "articles a CROSS JOIN annotations n ON n.article_id = a.id"
    if rowid is not None:
        join = "annotations n JOIN articles a ON a.id = n.article_id"  # one row: found by its rowid
        clauses.append("n.rowid = ?")
        params.append(rowid)
    sql = (
        "SELECT n.uuid, n.article_id, n.annotator, n.codebook_id, n.codebook_version, n.category, n.label, "
        "n.start, n.\"end\", n.quote, n.prefix, n.suffix, n.text_sha256, n.attributes, n.note, n.origin, "
        "n.created, n.updated, a.publisher, p.name, a.original_source, o.name, a.title, a.url, a.published, "
        "a.language, a.story, a.published_approximate, n.voice, n.concept, n.variant "
        f"FROM {join} "
        "LEFT JOIN outlets p ON p.id = a.publisher LEFT JOIN outlets o ON o.id = a.original_source "
        f"WHERE {' AND '.join(clauses)} ORDER BY a.rowid, n.start, n.created, n.rowid"
    )
    return sql, params


def _export_record(row: tuple) -> dict[str, Any]:
    record = dict(zip(EXPORT_FIELDS, row))
    record["attributes"] = json.loads(record["attributes"] or "{}")
    if record["published"] is not None and row[len(EXPORT_FIELDS)]:
        record["published"] = "~" + record["published"]
    return record


# The fast CSV export (annotator.export.write_csv_fast): SQLite joins the cells of each
# row, separated by CSV_SEPARATOR, into UTF-8 bytes, so Python handles three values per
# row instead of 31 and only checks them for CSV quoting and the spreadsheet guard (most
# rows need neither). The separator is the byte 0xFF, which no UTF-8 text holds (and the
# sqlite3 module only stores UTF-8 text), so no cell can be taken for two. printf()
# writes NULL as '' but ends a value at a NUL character, so
# it only takes cells that cannot hold one: ids and hashes, offsets, times, the origin,
# and quote, prefix and suffix (cut from the article's text, which import keeps free of
# control characters). Free text (names, labels, notes, the article's fields) is joined
# with || (a NUL kept; a NULL where none is expected makes the whole part NULL, and that
# row is exported from its cells instead). Attribute columns come from the attributes.
CSV_SEPARATOR = b"\xff"
_SQL_SEPARATOR = f"CAST(x'{CSV_SEPARATOR.hex()}' AS TEXT)"
CSV_HEAD_CELLS = ("n.uuid p", "n.article_id p", "n.annotator c", "n.codebook_id c", "n.codebook_version c",
                  "n.category c", "n.label c", "n.start p", 'n."end" p', "n.quote p", "n.prefix p", "n.suffix p",
                  "n.text_sha256 p")  # then voice, concept, variant: see Store.attribute_columns
CSV_TAIL_CELLS = ("n.note n", "n.origin p", "n.created p", "n.updated p")
CSV_ARTICLE_CELLS = ("a.publisher n", "p.name n", "a.original_source n", "o.name n", "a.title n", "a.url n",
                     "CASE WHEN a.published_approximate AND a.published IS NOT NULL THEN '~' || a.published "
                     "ELSE a.published END n", "a.language n", "a.story n")


def _joined_cells(cells: Sequence[str]) -> str:
    """SQL of one BLOB: the cells (``"EXPR KIND"``; kind ``p``: by printf, ``c``: by ||,
    ``n``: by || with NULL as '') joined by :data:`CSV_SEPARATOR`."""
    parts: list[str] = []
    formats: list[bytes] = []
    values: list[str] = []

    def printf() -> str:  # the format as a BLOB literal made TEXT: it holds the separator byte
        return f"printf(CAST(x'{b''.join(formats).hex()}' AS TEXT), {', '.join(values)})"

    for i, cell in enumerate(cells):
        expr, kind = cell.rsplit(" ", 1)
        last = i == len(cells) - 1
        if kind == "p":
            formats.append(b"%s" if last else b"%s" + CSV_SEPARATOR)
            values.append(expr)
            continue
        if formats:
            parts.append(printf())
            formats, values = [], []
        parts.append(f"ifnull({expr}, '')" if kind == "n" else expr)
        if not last:
            parts.append(_SQL_SEPARATOR)
    if formats:
        parts.append(printf())
    return f"CAST({' || '.join(parts)} AS BLOB)"


# The articles with exported tags (rowid, id), listed by the fast CSV export: scanned in
# rowid order it gives the export's order without reading the articles table (its rows are
# on the pages of the articles' texts: some 400 MB for 100,000 articles).
EXPORT_ARTICLES = "temp.annotator_export_articles"


def _export_csv_queries(annotators: Iterable[str] | None,
                        codebook: str | None) -> tuple[str, str, str, list[Any]]:
    """The SQL of :meth:`Store.iter_annotation_csv_parts`: the statement that lists the
    articles with exported annotations in :data:`EXPORT_ARTICLES` (a scan of the index of
    article ids, each probing the annotations' index; ``params``), the query of those articles' cells in rowid order, and the query
    of the annotations (``params``) in the order of :func:`_export_query`, which needs
    only each article's annotations sorted. None reads an article's text."""
    clauses, params = _export_filter(annotators, codebook)
    where = " AND ".join(clauses)
    fill = (f"INSERT INTO {EXPORT_ARTICLES} SELECT a.rowid, a.id FROM articles a "
            f"WHERE EXISTS (SELECT 1 FROM annotations n WHERE n.article_id = a.id AND {where})")
    articles = (
        f"SELECT t.rowid, {_joined_cells(CSV_ARTICLE_CELLS)} FROM {EXPORT_ARTICLES} t "
        "CROSS JOIN articles a ON a.rowid = t.rowid "
        "LEFT JOIN outlets p ON p.id = a.publisher LEFT JOIN outlets o ON o.id = a.original_source ORDER BY t.rowid"
    )
    annotations = (
        f"SELECT t.rowid, {_joined_cells(CSV_HEAD_CELLS)}, n.attributes, {_joined_cells(CSV_TAIL_CELLS)}, n.rowid "
        f"FROM {EXPORT_ARTICLES} t CROSS JOIN annotations n ON n.article_id = t.id "
        f"WHERE {where} ORDER BY t.rowid, n.start, n.created, n.rowid"
    )
    return fill, articles, annotations, params
