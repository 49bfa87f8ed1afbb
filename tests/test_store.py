import multiprocessing
import sqlite3

import pytest

from annotator.models import Annotation
from annotator.store import SCHEMA_VERSION, Store, StoreError


def make_annotation(article, annotator="ann", label="kyiv", start=0, end=5):
    return Annotation(
        article_id=article.id, text_sha256=article.text_sha256, annotator=annotator,
        codebook_id="cb", codebook_version="1", category="term", label=label,
        start=start, end=end, quote=article.text[start:end],
    )


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


def test_annotation_round_trip_and_soft_delete_flag(demo_store):
    article = demo_store.article(demo_store.list_articles()[0].id)
    saved = demo_store.add_annotation(make_annotation(article))
    [loaded] = demo_store.annotations(article.id)
    assert loaded == saved
    assert loaded.quote == article.text[0:5]


def test_swap_is_all_or_nothing(demo_store):
    """Replacing an answer never leaves the old one deleted without the new one saved."""
    article = demo_store.article(demo_store.list_articles()[0].id)
    old = demo_store.add_annotation(make_annotation(article))
    clash = make_annotation(article).model_copy(update={"uuid": old.uuid})  # cannot be inserted
    with pytest.raises(sqlite3.IntegrityError):
        demo_store.swap_annotations([old.uuid], [], clash)
    assert [a.uuid for a in demo_store.annotations(article.id)] == [old.uuid]  # still live
    new = make_annotation(article)
    demo_store.swap_annotations([old.uuid], [], new)
    assert [a.uuid for a in demo_store.annotations(article.id)] == [new.uuid]
    demo_store.swap_annotations([new.uuid], [old.uuid])
    assert [a.uuid for a in demo_store.annotations(article.id)] == [old.uuid]


def test_annotation_must_point_at_an_existing_article(store):
    with pytest.raises(sqlite3.IntegrityError):
        store.add_annotation(Annotation(
            article_id="missing", text_sha256="x", annotator="a", codebook_id="c", codebook_version="1",
            category="c", label="l"))


def test_full_text_search_and_outlet_filter(demo_store):
    hits = demo_store.list_articles(search="Zaporozhie")
    assert len(hits) == 1 and hits[0].publisher == "telesur"
    assert demo_store.count_articles(search="Peskov") == 5
    assert {r.publisher for r in demo_store.list_articles(publisher="press-tv")} == {"press-tv"}


def test_article_lookup_by_prefix(demo_store):
    row = demo_store.list_articles()[0]
    assert demo_store.article(row.id[:6]).id == row.id
    assert demo_store.article("zzzzzz") is None


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


def test_status_is_per_annotator_and_filters_the_list(demo_store):
    first, second = [r.id for r in demo_store.list_articles()[:2]]
    article = demo_store.article(first)
    assert demo_store.status(first, "maria") == "new"
    demo_store.add_annotation(make_annotation(article, annotator="maria"))
    assert demo_store.status(first, "maria") == "in progress"
    assert demo_store.status(first, "li") == "new"
    demo_store.set_status(second, "maria", True)
    assert [r.id for r in demo_store.list_articles(annotator="maria", status="done")] == [second]
    assert [r.id for r in demo_store.list_articles(annotator="maria", status="in progress")] == [first]
    assert demo_store.count_articles(annotator="maria", status="new") == 3
    assert demo_store.count_articles(annotator="li", status="new") == 5
    assert demo_store.progress("maria") == (1, 5)
    demo_store.set_status(second, "maria", False)
    assert demo_store.status(second, "maria") == "new"


def test_update_and_soft_delete_keep_the_row(demo_store):
    article = demo_store.article(demo_store.list_articles()[0].id)
    saved = demo_store.add_annotation(make_annotation(article))
    changed = demo_store.update_annotation(saved.uuid, label="kiev", attributes={"voice": "quoted"}, note="n")
    assert (changed.label, changed.attributes, changed.note) == ("kiev", {"voice": "quoted"}, "n")
    demo_store.update_annotation(saved.uuid, deleted=True)
    assert demo_store.annotations(article.id) == []
    assert demo_store.annotations(article.id, include_deleted=True)[0].deleted


def test_rejected_suggestions_are_remembered_per_annotator(demo_store):
    article_id = demo_store.list_articles()[0].id
    demo_store.reject_suggestion(article_id, "maria", 3, 7, "capital", "kiev")
    demo_store.reject_suggestion(article_id, "maria", 3, 7, "capital", "kiev")  # twice is harmless
    assert demo_store.rejected_suggestions(article_id, "maria") == {(3, 7, "kiev")}
    assert demo_store.rejected_suggestions(article_id, "li") == set()
    demo_store.unreject_suggestion(article_id, "maria", 3, 7, "kiev")
    assert demo_store.rejected_suggestions(article_id, "maria") == set()


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
    assert [o.id for o in store.outlets()] == ["x"]
    assert "article_status" in store.db.table_names()


def test_word_count_counts_tokens_with_a_letter_or_digit():
    from annotator.text_stats import word_count

    assert word_count("Don't stop: Kiev’s full-scale war — 24 Feb...\n\n- so-called") == 8
    assert word_count(" — ... - ") == 0 and word_count("") == 0
