"""The store's connection: opening (WAL, foreign keys), refusing what is not an annotator
database, migrating an old one, several processes writing at once."""

import multiprocessing
import sqlite3

import pytest

from annotator.store import SCHEMA_VERSION, Store, StoreError

from ..conftest import make_annotation


def test_database_is_wal_with_foreign_keys_and_versioned(store):
    conn = store.db.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert store.schema_version == SCHEMA_VERSION
    tables = set(store.db.table_names())
    assert {"articles", "outlets", "annotations", "articles_fts"} <= tables


def test_reopening_keeps_data_and_does_not_remigrate(demo_store):
    count = demo_store.count_articles()
    again = Store(demo_store.path)
    assert again.count_articles() == count == 5


def test_newer_schema_is_refused_clearly(workdir):
    path = workdir / "future.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    with pytest.raises(StoreError, match="newer than this annotator"):
        Store(path)


def test_not_a_database_is_refused_clearly(workdir):
    path = workdir / "junk.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a usable SQLite database"):
        Store(path)


def test_old_schema_is_migrated_keeping_data(workdir):
    import sqlite_utils

    from annotator.store import MIGRATIONS

    path = workdir / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    db = sqlite_utils.Database(conn)
    MIGRATIONS[0](db)
    db["outlets"].insert({"id": "x", "name": "X", "data": '{"id": "x", "name": "X"}'})
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    store = Store(path)
    assert store.schema_version == SCHEMA_VERSION
    assert store.outlet("x").name == "X"  # kept (and the shipped outlets added beside it)
    assert "article_status" in store.db.table_names()


def _writer(path: str, worker: int, count: int) -> None:
    store = Store(path)
    article = store.article(store.list_articles()[0].id)
    for i in range(count):
        store.add_annotation(make_annotation(article, annotator=f"w{worker}", label=f"l{i}"))


def test_several_processes_write_one_database_at_once(demo_store):
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(demo_store.path), n, 40)) for n in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    assert len(demo_store.annotations()) == 160


def test_closing_every_threads_connection_folds_the_journal_into_the_file(demo_dir, demo_database, tmp_path):
    """A writer thread's connection kept open (the TUI's) is closed too: the WAL is copied into
    the database file and removed, so a copy of the file alone has every change."""
    import shutil
    import threading

    path = demo_dir / "annotations.db"
    shutil.copyfile(demo_database, path)
    store = Store(path)
    article = store.article(store.list_articles(limit=1)[0].id)
    writer = threading.Thread(target=lambda: store.add_annotation(make_annotation(article, annotator="li")))
    writer.start()
    writer.join()
    assert store.annotations(article_id=article.id, annotator="li")  # read on this thread: a second connection
    store.close_all()
    assert not path.with_name("annotations.db-wal").exists()
    copy = tmp_path / "copy.db"
    shutil.copyfile(path, copy)
    assert [a.annotator for a in Store(copy).annotations(article_id=article.id, annotator="li")] == ["li"]
    assert store.count_articles() == 5  # the handle still works: it opens a connection again


def test_the_connections_of_ended_threads_do_not_pile_up(demo_store):
    """A thread pool per statistics query must not leave the database open once per thread that ran."""
    import os
    import threading

    def open_handles() -> int:
        return sum(1 for fd in os.listdir("/proc/self/fd")
                   if os.path.realpath(f"/proc/self/fd/{fd}") == str(demo_store.path.resolve()))

    demo_store.count_articles()
    before = open_handles()
    for _ in range(20):
        reader = threading.Thread(target=demo_store.count_articles)
        reader.start()
        reader.join()
    demo_store.count_articles()
    assert open_handles() <= before + 3, (before, open_handles())  # (the last ended thread's; SQLite may keep a closed one's for reuse)
