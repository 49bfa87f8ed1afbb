"""Opening an annotations database and writing to it.

* WAL journal, foreign keys, a busy timeout: several processes (TUIs, imports,
  exports) can use one database file at once.
* Every write is one ``BEGIN IMMEDIATE`` transaction, committed before the call
  returns: what a caller reports as saved is on disk. A write finding the database
  busy asks again every few milliseconds for up to :data:`WRITE_WAIT_S`; imports keep
  their transactions short (staged articles, see :mod:`annotator.store.staged_imports`).
* One connection per thread (SQLite connections must stay on their thread).
* ``PRAGMA user_version`` holds the schema version; :data:`~annotator.store.schema.MIGRATIONS`
  bring an older file up to date without losing data.
"""

from __future__ import annotations

import random
import shlex
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from .. import DEFAULT_DB
from ..files import kind_problem
from . import schema

BUSY_TIMEOUT_MS = 10_000
# How long a write waits for the write lock before it fails with "database is locked": other
# writers (an import, other annotators) hold it for a short transaction at a time.
WRITE_WAIT_S = 60.0
# An import whose process is gone, or that has not written for this long, is abandoned: its
# staged articles are deleted by the next import (see Store.clear_dead_imports).
STALE_IMPORT_S = 600


if TYPE_CHECKING:  # sqlite-utils is imported where migrations need it (Connection.db)
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


def _begin_immediate(conn: sqlite3.Connection, wait: float | None = None) -> None:
    """``BEGIN IMMEDIATE``, tried again every 1-4 ms (a random pause) while another connection
    holds the write lock, for up to ``wait`` seconds (default :data:`WRITE_WAIT_S`)."""
    wait = WRITE_WAIT_S if wait is None else wait
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


class Connection:
    """A handle on one annotations database: its connections (one per thread), its write
    transactions and its schema. Safe to share between threads."""

    def __init__(self, path: str | Path = DEFAULT_DB, mode: str = "create"):
        """``mode``: ``create`` makes (or migrates) the database; ``write`` and ``read`` only
        open an existing annotator database (another file is refused, never turned into
        one), and ``read`` opens it read-only: a read-out never writes to the file."""
        self.path = Path(path)
        self.read_only = False
        self._local = threading.local()
        self._opened: list[tuple[threading.Thread, sqlite3.Connection]] = []  # every thread's, for close_all
        self._opened_lock = threading.Lock()
        # who makes the changes of this handle, and from where: kept in the annotation history
        self.actor: str | None = None
        self.actor_source: str | None = None
        try:
            mode_bits = self.path.stat().st_mode if self.path.exists() else None
        except OSError as exc:  # a name too long, a folder that cannot be entered
            raise StoreError(f"{self.path}: cannot be used as a database: {exc.strerror or exc}") from None
        problem = kind_problem(mode_bits, "database file") if mode_bits is not None else None
        if problem:  # a folder; a pipe SQLite would wait on for ever
            raise StoreError(f"{self.path}: {problem}")
        try:
            if mode == "create":
                self._migrate()
                self._after_open()
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
        if read_only and version == schema.SCHEMA_VERSION:
            if not self._up_to_date():  # a newer annotator's shipped data: merged as an upgrade is
                self._bring_up_to_date_from_read()
            return  # the read-only connection that just read the version serves the command
        self.close()
        if version == 0:
            raise StoreError(f"{self.path}: is not an annotator database (an empty file or another program's "
                             "SQLite file); name the right one with --db, or import articles into a new one")
        self.read_only = False
        if version != schema.SCHEMA_VERSION:
            self._migrate()  # an older annotator database is brought up to date even to be read
            self._after_open()
            self.close()
        elif not read_only:
            self._after_open()
        self.read_only = read_only

    def _bring_up_to_date_from_read(self) -> None:
        """Run :meth:`_after_open` on a writable connection for a command that only reads; a
        file that cannot be written is read as it is."""
        self.close()
        self.read_only = False
        try:
            self._after_open()
        except sqlite3.OperationalError as exc:
            if "readonly" not in str(exc) and "unable to open" not in str(exc) and not _is_busy(exc):
                raise
        finally:
            self.close()
            self.read_only = True

    def _up_to_date(self) -> bool:
        """Whether :meth:`_after_open` has nothing to do (checked without writing)."""
        return True

    def _after_open(self) -> None:
        """What a database opened for writing (or just upgraded) is brought up to date with
        (the shipped outlet registry: see :class:`~annotator.store.outlets.OutletQueries`)."""

    # -- connections and transactions -------------------------------------------------

    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's connection (opened on first use). Every query of the store runs on it."""
        conn = getattr(self._local, "conn", None)
        if conn is None and self.read_only:
            conn = sqlite3.connect(f"{self.path.absolute().as_uri()}?mode=ro", uri=True,
                                   timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._keep(conn)
        elif conn is None:
            conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                                   check_same_thread=False)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal" and str(self.path) != ":memory:":
                conn.close()
                raise StoreError(f"{self.path}: could not switch to WAL journal (got {mode})")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            self._keep(conn)
        return conn

    def _keep(self, conn: sqlite3.Connection) -> None:
        """Make ``conn`` this thread's, and close those of threads that have ended (a pool's)."""
        self._local.conn = conn
        with self._opened_lock:
            ended = [c for thread, c in self._opened if not thread.is_alive()]
            self._opened = [(t, c) for t, c in self._opened if t.is_alive()]
            self._opened.append((threading.current_thread(), conn))
        for c in ended:
            c.close()

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
            with self._opened_lock:
                self._opened = [(t, c) for t, c in self._opened if c is not conn]

    def close_all(self) -> None:
        """Close the connections of every thread, once none of them is in use (the TUI after it
        quit: its reading and writing threads keep theirs open until then). The last connection
        to the file copies the WAL journal into the database file and removes it, so the file
        alone holds every change (copied to another laptop for ``annotator merge``)."""
        with self._opened_lock:
            opened, self._opened = self._opened, []
        for _, conn in opened:
            conn.close()
        self._local = threading.local()

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
        if version > schema.SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: schema version {version} is newer than this annotator ({schema.SCHEMA_VERSION}); "
                "upgrade annotator"
            )
        if version == schema.SCHEMA_VERSION:
            return
        with self._write() as conn:
            version = conn.execute("PRAGMA user_version").fetchone()[0]  # another process may have migrated
            for number in range(version, schema.SCHEMA_VERSION):
                schema.MIGRATIONS[number](self.db)
            conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION}")

    @property
    def schema_version(self) -> int:
        """The database's schema version (``PRAGMA user_version``; 0 for a file that is not ours)."""
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

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
