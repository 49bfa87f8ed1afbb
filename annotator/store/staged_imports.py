"""Imports in short transactions: a file's articles are written in batches (each its own
short transaction) as staged rows, listed in ``staged_articles``, which every reader leaves
out (:data:`~annotator.store.sql.NOT_STAGED`) while their import is listed in ``imports``.
New articles are stored current, new versions not (their older version stays current).
:meth:`StagedImports.commit_import` deletes the import's row, and flips only the versions,
in one transaction: then everything of the file is seen at once. A killed import leaves
only staged rows, which the next import takes over or deletes."""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone

from ..models import Article, utc_now
from . import connection
from .articles import Added, insert_article, predecessor
from .connection import Connection, StoreError
from .sql import parse_time


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


class StagedImports(Connection):
    """An import's articles staged in batches, then shown at once."""

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
                raise StoreError(f"the import was abandoned (no sign of life for {connection.STALE_IMPORT_S} s)")
            for article in articles:
                existing = conn.execute(
                    "SELECT a.rowid, a.id, i.id FROM articles a LEFT JOIN staged_articles s ON s.article_rowid = a.rowid "
                    "LEFT JOIN imports i ON i.id = s.import_id WHERE a.text_sha256 = ?", [article.text_sha256]).fetchone()
                if existing is None:
                    supersedes, version = predecessor(conn, article.source_key, article.supersedes)
                    rowid = insert_article(conn, article, version, supersedes, supersedes is None, word_counts)
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
                raise StoreError(f"the import was abandoned (no sign of life for {connection.STALE_IMPORT_S} s)")
            unchanged, count = state
            if count != len(rows):  # another import took some over meanwhile
                rows = conn.execute(listing, [import_id]).fetchall()
            conn.execute("DELETE FROM imports WHERE id = ?", [import_id])  # from here on, NOT_STAGED lets them through
            for rowid, _, source_key, staged_supersedes, staged_version in rows:
                supersedes, version = staged_supersedes, staged_version
                if not unchanged:  # another import committed since this one began: versions decided again
                    supersedes, version = predecessor(conn, source_key, supersedes, rowid)
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
        stale = datetime.now(timezone.utc).timestamp() - connection.STALE_IMPORT_S
        for import_id, pid, where, heartbeat in self.conn.execute(
                "SELECT id, pid, host, heartbeat FROM imports").fetchall():
            beat = parse_time(heartbeat)
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
