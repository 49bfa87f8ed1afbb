"""Statistics on the hand-worked fixture of tests/report_fixture.py.

Units (article, annotator) counted under "all" (gold left out):
  Alpha News: alice A1 (100 words), alice A2 (300), bob A1 (100) -> 3 units, 500 words
  Beta Post:  alice B1 (200), bob B1 (200)                       -> 2 units, 400 words
"""

from __future__ import annotations

import pytest

from annotator.codebook import find_codebook
from annotator.store import SCHEMA_VERSION, Store
from annotator.readouts.stats import Counting, annotator_progress, answers_by_outlet, concept_variants, label_totals, \
    labels_by_outlet, labels_by_story, make_context
from tests.report_fixture import build


@pytest.fixture
def project(tmp_path):
    store, ids = build(tmp_path / "project")
    return store, ids


def rows(table, *key_columns):
    """Rows as {key tuple: record}."""
    return {tuple(r[c] for c in key_columns): r for r in table.records()}


def context(store, counting="all", **filters):
    return make_context(store, find_codebook(None), Counting.parse(counting), **filters)


def test_labels_per_outlet_count_rate_and_share_split_by_voice(project):
    store, _ = project
    table = rows(labels_by_outlet(context(store)), "outlet_id", "label", "voice")
    # Alpha, Kremlin form: alice A1 (own), alice A2 (own), bob A1 (scare-quoted); gold's tag left out
    r = table[("alpha-news", "kremlin-form", "all")]
    assert (r["tags"], r["per_1000_words"], r["articles_with_label"], r["share_of_articles"]) == (3, 6.0, 3, 1.0)
    r = table[("alpha-news", "kremlin-form", "own")]
    assert (r["tags"], r["per_1000_words"]) == (2, 4.0)
    assert r["articles_with_label"] is None  # article counts are on the "all" rows only
    r = table[("alpha-news", "kremlin-form", "scare-quoted")]
    assert (r["tags"], r["per_1000_words"]) == (1, 2.0)
    r = table[("alpha-news", "ukraine-west-form", "quoted")]
    assert (r["tags"], r["per_1000_words"]) == (1, 2.0)
    assert ("alpha-news", "ukraine-west-form", "own") not in table
    # Beta: alice Kyiv + invasion, bob Kyiv, all own voice, over 400 words
    r = table[("beta-post", "ukraine-west-form", "all")]
    assert (r["tags"], r["per_1000_words"], r["articles_with_label"], r["share_of_articles"]) == (3, 7.5, 2, 1.0)
    assert ("beta-post", "kremlin-form", "all") not in table
    # untrusted outlet names are kept as written (the markup is text)
    assert table[("beta-post", "ukraine-west-form", "all")]["outlet"] == "[bold]Beta[/bold] Post"


def test_counting_one_annotator_or_only_adjudicated_tags(project):
    store, _ = project
    alice = rows(labels_by_outlet(context(store, "alice")), "outlet_id", "label", "voice")
    # alice's units in Alpha: A1 + A2 = 400 words, two Kremlin-form tags
    assert alice[("alpha-news", "kremlin-form", "all")]["per_1000_words"] == 5.0
    gold = rows(labels_by_outlet(context(store, "adjudicated")), "outlet_id", "label", "voice")
    assert list(gold) == [("alpha-news", "kremlin-form", "all"), ("alpha-news", "kremlin-form", "own")]
    assert gold[("alpha-news", "kremlin-form", "all")]["per_1000_words"] == 10.0  # 1 tag in A1's 100 words
    assert "adjudicated" in Counting.parse("adjudicated").describe()
    assert Counting.parse("alice").describe() == "only the tags of 'alice'"


def test_variant_shares_within_a_concept_per_outlet_and_voice(project):
    store, _ = project
    table = rows(concept_variants(context(store)), "outlet_id", "concept", "variant", "voice")
    assert table[("alpha-news", "capital", "kiev", "all")]["share_in_concept"] == 0.75  # 3 Kiev : 1 Kyiv
    assert table[("alpha-news", "capital", "kyiv", "all")]["share_in_concept"] == 0.25
    assert table[("alpha-news", "capital", "kiev", "own")]["share_in_concept"] == 1.0
    assert table[("alpha-news", "capital", "kyiv", "quoted")]["tags"] == 1
    assert table[("beta-post", "capital", "kyiv", "all")]["tags"] == 2
    assert table[("beta-post", "the-war", "invasion", "all")]["share_in_concept"] == 1.0
    assert table[("alpha-news", "capital", "kiev", "all")]["alignment"] == "kremlin"


def test_article_answers_per_outlet(project):
    store, _ = project
    table = rows(answers_by_outlet(context(store)), "outlet_id", "question", "answer")
    anti = table[("alpha-news", "tone", "anti")]
    assert (anti["articles"], anti["answered"]) == (2, 3)  # alice A1, bob A1 of alice A1, A2, bob A1
    assert anti["share"] == pytest.approx(2 / 3)
    assert table[("beta-post", "tone", "pro")]["share"] == 0.5


def test_label_totals_and_stories(project):
    store, _ = project
    totals = rows(label_totals(context(store)), "label", "voice")
    r = totals[("ukraine-west-form", "all")]
    # 4 tags over all 5 units (900 words); units with it: alice A1, alice B1, bob B1; used by both outlets
    assert (r["tags"], r["articles_with_label"], r["outlets"]) == (4, 3, 2)
    assert r["per_1000_words"] == pytest.approx(4000 / 900)
    stories = rows(labels_by_story(context(store)), "story", "outlet_id", "label", "voice")
    assert stories[("s1", "alpha-news", "kremlin-form", "all")]["tags"] == 3
    assert stories[("s2", "beta-post", "ukraine-west-form", "all")]["per_1000_words"] == 7.5


def test_filters_by_story_and_partial_dates(project):
    store, _ = project
    only_s2 = rows(labels_by_outlet(context(store, story="s2")), "outlet_id", "label", "voice")
    assert {k[0] for k in only_s2} == {"beta-post"}
    # A2 is dated 2022-09 (month only): it overlaps "since 2022-09-15"; A1 (2022-03-01) does not
    later = rows(labels_by_outlet(context(store, since="2022-09-15")), "outlet_id", "label", "voice")
    r = later[("alpha-news", "kremlin-form", "all")]
    assert (r["tags"], r["per_1000_words"]) == (1, pytest.approx(1000 / 300))
    early = rows(labels_by_outlet(context(store, until="2022-12-31")), "outlet_id", "label", "voice")
    assert {k[0] for k in early} == {"alpha-news"}


def test_annotator_progress_lists_everyone(project):
    store, ids = project
    store.set_status(ids["A1"], "alice", True)
    table = rows(annotator_progress(context(store, "bob")), "annotator")
    assert {k[0] for k in table} == {"alice", "bob", "gold"}
    alice = table[("alice",)]
    assert (alice["annotated_articles"], alice["done_articles"], alice["tags"], alice["answers"]) == (3, 1, 5, 3)
    assert alice["coverage"] == pytest.approx(1 / 3)


def test_deleted_tags_do_not_count(project):
    store, _ = project
    tag = next(a for a in store.annotations(annotator="bob") if a.label == "kremlin-form")
    store.update_annotation(tag.uuid, deleted=True)
    table = rows(labels_by_outlet(context(store)), "outlet_id", "label", "voice")
    assert table[("alpha-news", "kremlin-form", "all")]["tags"] == 2
    assert ("alpha-news", "kremlin-form", "scare-quoted") not in table


def test_sql_views_give_the_same_numbers_as_the_statistics(tmp_path):
    store, _ = build(tmp_path / "p", with_gold=False)
    everyone = make_context(store, find_codebook(None), Counting.parse("all", adjudicator="nobody"))
    stats = rows(labels_by_outlet(everyone), "outlet_id", "category", "label", "voice")
    for view in store.view_rows("outlet_label_stats"):
        r = stats[(view["outlet"], view["category"], view["label"], "all")]
        assert view["tags"] == r["tags"]
        assert view["articles_with_label"] == r["articles_with_label"]
        assert view["per_1000_words"] == pytest.approx(r["per_1000_words"], abs=0.001)
        own = stats.get((view["outlet"], view["category"], view["label"], "own"))
        assert view["own_voice"] == (own["tags"] if own else 0)
    shares = rows(concept_variants(everyone), "outlet_id", "concept", "variant", "voice")
    for view in store.view_rows("concept_variant_shares"):
        assert view["share_in_concept"] == pytest.approx(
            shares[(view["outlet"], view["concept"], view["variant"], view["voice"])]["share_in_concept"], abs=1e-4)
    progress = {r["annotator"]: r for r in store.view_rows("annotator_progress")}
    assert progress["alice"]["annotated_articles"] == 3 and progress["bob"]["annotations"] == 4


def test_counting_several_named_annotators(project):
    store, _ = project
    named = labels_by_outlet(context(store, "alice, bob"))
    assert named.records() == labels_by_outlet(context(store)).records()  # everyone but gold = alice and bob
    assert "'alice', 'bob'" in Counting.parse("alice,bob").describe()


def test_per_outlet_counts_read_from_the_annotations_agree_with_the_article_driven_counts(project):
    # Without filters the tables read each annotation's own copy of its article's publisher
    # (schema 5); a filter that keeps every article takes the article-driven path: same numbers.
    store, _ = project
    everything = {"since": "1900-01-01", "until": "2999-12-31"}
    for make in (labels_by_outlet, concept_variants, answers_by_outlet, label_totals, annotator_progress):
        for counting in ("all", "alice", "adjudicated"):
            fast, driven = make(context(store, counting)), make(context(store, counting, **everything))
            assert list(fast.records()) == list(driven.records()), (make.__name__, counting)
            assert list(fast.records()) or make is not labels_by_outlet


def test_an_annotation_keeps_its_articles_publisher_whoever_writes_it(project):
    store, ids = project
    conn = store.conn
    publisher = dict(conn.execute("SELECT id, publisher FROM articles"))
    # every stored annotation (made by the fixture through the store) carries it
    assert conn.execute("SELECT count(*) FROM annotations").fetchone()[0] > 0
    assert all(p == publisher[a] for a, p in conn.execute("SELECT article_id, publisher FROM annotations"))
    # a writer that bypasses the store (plain SQL) gets it from the trigger, and moving
    # an annotation to another article moves its publisher with it
    uuid = conn.execute("SELECT uuid FROM annotations WHERE article_id = ? LIMIT 1", [ids["A1"]]).fetchone()[0]
    conn.execute("INSERT INTO annotations (uuid, article_id, annotator, category, label, origin) "
                 "VALUES ('plain-sql', ?, 'carol', 'x', 'y', 'human')", [ids["B1"]])
    assert conn.execute("SELECT publisher FROM annotations WHERE uuid = 'plain-sql'").fetchone()[0] == "beta-post"
    conn.execute("UPDATE annotations SET article_id = ? WHERE uuid = ?", [ids["B1"], uuid])
    assert conn.execute("SELECT publisher FROM annotations WHERE uuid = ?", [uuid]).fetchone()[0] == "beta-post"


def test_a_schema_4_database_gets_the_publisher_copies_when_migrated(project):
    store, _ = project
    conn = store.conn
    before = [tuple(r.values()) for r in labels_by_outlet(context(store)).records()]
    # take the database back to schema 4: no publisher column, index or triggers
    conn.execute("DROP INDEX annotations_by_outlet")
    for trigger in ("annotations_publisher_insert", "annotations_publisher_update", "articles_publisher_update"):
        conn.execute(f"DROP TRIGGER {trigger}")
    conn.execute("ALTER TABLE annotations DROP COLUMN publisher")
    conn.execute("PRAGMA user_version = 4")
    store.close()
    migrated = Store(store.path)
    assert migrated.schema_version == SCHEMA_VERSION
    assert migrated.conn.execute("SELECT count(*) FROM annotations WHERE publisher IS NULL").fetchone()[0] == 0
    assert [tuple(r.values()) for r in labels_by_outlet(context(migrated)).records()] == before
