"""``annotator merge``: two laptops' databases of the demo corpus with overlapping work merge
into one with every tag, answer, note, done mark, rejection and outlet edit, the same in
both directions, idempotently, with the conflicts listed; hostile files change nothing."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import pytest

from annotator.merging import merge as merge_rules
from annotator.errors import InputError
from annotator.merging.sources import merge_path, write_bundle
from annotator.models import ARTICLE_NOTE_CATEGORY, ARTICLE_NOTE_LABEL, Annotation
from annotator.store import Store
from tests.conftest import tag


def content(store: Store) -> dict:
    """What a database holds that a merge must carry (not its history, which says where from)."""
    q = store.conn.execute
    return {
        "articles": q("SELECT id, version, supersedes, current, publisher, text_sha256 FROM articles ORDER BY id").fetchall(),
        "annotations": sorted((a.model_dump_json() for a in store.annotations(include_deleted=True))),
        "status": q("SELECT article_id, annotator, status, updated FROM article_status ORDER BY 1, 2").fetchall(),
        "rejections": q("SELECT article_id, annotator, start, \"end\", variant, withdrawn, updated "
                        "FROM rejected_suggestions ORDER BY 1, 2, 3, 4, 5").fetchall(),
        "outlets": q("SELECT id, data, edited FROM outlets ORDER BY id").fetchall(),
    }


def note(store: Store, article, annotator: str, text: str) -> Annotation:
    return store.add_annotation(Annotation(
        article_id=article.id, text_sha256=article.text_sha256, annotator=annotator, codebook_id="ru-ua-framing",
        codebook_version="1", category=ARTICLE_NOTE_CATEGORY, label=ARTICLE_NOTE_LABEL, note=text))


def edit_outlet(store: Store, outlet_id: str, who: str, **fields) -> None:
    outlet = store.outlet(outlet_id)
    store.edit_outlet(outlet.model_copy(update=fields), who, "outlets edit")


@pytest.fixture
def laptops(demo_store: Store, demo_dir: Path, clock):
    """Laptop A (maria) and laptop B (li), copies of one database, then each working alone:
    a tag edited on both, a tag deleted on one, new tags, notes, answers, done marks (one
    taken back), rejections (one withdrawn), outlet edits (one field on both sides)."""
    articles = [demo_store.article(r.id) for r in demo_store.list_articles()]
    shared = tag(demo_store, articles[0], "Kyiv" if "Kyiv" in articles[0].text else articles[0].text.split()[3],
                 label="ukraine-west-form")
    doomed = tag(demo_store, articles[1], articles[1].text.split()[2], label="kremlin-form")
    demo_store.close()
    a_path, b_path = demo_dir / "a.db", demo_dir / "b.db"
    shutil.copy(demo_dir / "annotations.db", a_path)
    shutil.copy(demo_dir / "annotations.db", b_path)
    a, b = Store(a_path, "write"), Store(b_path, "write")
    word = articles[2].text.split()[5]
    # A: maria
    a.update_annotation(shared.uuid, label="kremlin-form")
    a.update_annotation(doomed.uuid, deleted=True)
    tag(a, articles[2], word, label="ukraine-west-form")
    note(a, articles[0], "maria", "reads like a wire copy")
    tag(a, articles[3], annotator="maria", label="neutral")  # an answer about the whole article
    a.set_status(articles[0].id, "maria", True)
    a.reject_suggestion(articles[1].id, "maria", 3, 7, "kyiv", "kiev")
    edit_outlet(a, "rt", "maria", owner="maria's owner")
    edit_outlet(a, "tass", "maria", notes="maria's note")
    # B: li, later
    b.update_annotation(shared.uuid, note="li thinks this is quoted")
    tag(b, articles[2], word, annotator="li", label="kremlin-form")
    note(b, articles[4], "li", "paywalled")
    b.set_status(articles[1].id, "li", True)
    b.set_status(articles[1].id, "li", False)
    b.set_status(articles[2].id, "li", True)
    b.reject_suggestion(articles[3].id, "li", 0, 4, "kyiv", "kiev")
    b.reject_suggestion(articles[4].id, "li", 1, 5, "kyiv", "kiev")
    b.unreject_suggestion(articles[4].id, "li", 1, 5, "kiev")
    edit_outlet(b, "rt", "li", country="RU-test")
    edit_outlet(b, "tass", "li", notes="li's note")
    yield a, b, shared, doomed
    a.close()
    b.close()


def new_version(store: Store, article, extra: str):
    """Store a new version of ``article`` (its text with ``extra`` added), as a re-import of its source does."""
    import hashlib

    from annotator.models import Article

    text = article.text + extra
    sha = hashlib.sha256(text.encode()).hexdigest()
    data = article.model_dump() | {"id": sha[:12], "text": text, "text_sha256": sha, "raw_text": text, "removed": [],
                                   "version": 1, "supersedes": None}
    data.pop("imported_at")
    [added] = store.add_articles([Article.model_validate(data)])
    assert added.outcome == "version"
    return store.article(sha[:12])


def copy_store(store: Store, path: Path) -> Store:
    store.copy_to(path)
    return Store(path, "write")


def test_two_laptops_merge_into_the_same_content_in_both_directions(laptops, demo_dir):
    a, b, shared, doomed = laptops
    a2, b2 = copy_store(a, demo_dir / "a2.db"), copy_store(b, demo_dir / "b2.db")
    into_a = merge_path(a2, b.path, "maria")
    into_b = merge_path(b2, a.path, "li")
    assert into_a.ok and into_b.ok, (into_a.refused, into_b.refused)
    assert content(a2) == content(b2)
    merged = a2
    tags = {t.uuid: t for t in merged.annotations(include_deleted=True)}
    # the tag both edited: li's later edit wins whole, and it is listed as a conflict both ways
    assert tags[shared.uuid].note == "li thinks this is quoted" and tags[shared.uuid].label == "ukraine-west-form"
    for report in (into_a, into_b):
        listed = [c for c in report.conflicts if c.kind == "annotations"]
        assert [c.key for c in listed] == [shared.uuid]
        assert listed[0].rule == merge_rules.LATER_WINS
    assert [c.kept for c in into_a.conflicts if c.kind == "annotations"] == ["there"]
    assert [c.kept for c in into_b.conflicts if c.kind == "annotations"] == ["here"]
    # the deletion travelled
    assert tags[doomed.uuid].deleted
    # every note, answer and tag of both
    live = merged.annotations()
    assert {(t.annotator, t.note) for t in live if t.category == ARTICLE_NOTE_CATEGORY} == {
        ("maria", "reads like a wire copy"), ("li", "paywalled")}
    assert {t.annotator for t in live if t.category == "tone"} == {"maria"}
    assert len(live) == len([t for t in a.annotations()]) + 2  # li's span tag and note came in
    # done marks, the one taken back kept as not done
    articles = [r.id for r in merged.list_articles()]
    assert merged.status(articles[0], "maria") == "done"
    assert merged.status(articles[2], "li") == "done"
    assert merged.status(articles[1], "li") != "done"
    # rejections, the withdrawn one not offered as rejected
    assert merged.rejected_suggestions(articles[1], "maria") == {(3, 7, "kiev")}
    assert merged.rejected_suggestions(articles[3], "li") == {(0, 4, "kiev")}
    assert merged.rejected_suggestions(articles[4], "li") == set()
    # outlet edits: each side's field kept; the field both set goes to the later
    rt, tass = merged.outlet("rt"), merged.outlet("tass")
    assert (rt.owner, rt.country) == ("maria's owner", "RU-test")
    assert tass.notes == "li's note"
    assert [c.key for c in into_a.conflicts if c.kind == "outlets"] == ["tass.notes"]


def test_merging_twice_adds_nothing(laptops, demo_dir):
    a, b, _, _ = laptops
    first = merge_path(a, b.path, "maria")
    assert first.changed > 0
    before = content(a)
    history = a.conn.execute("SELECT count(*) FROM annotation_history").fetchone()[0]
    again = merge_path(a, b.path, "maria")
    assert again.changed == 0 and again.conflicts == [] and again.ok
    assert content(a) == before
    assert a.conn.execute("SELECT count(*) FROM annotation_history").fetchone()[0] == history
    # and back: B takes A's merged state, then both hold the same
    merge_path(b, a.path, "li")
    assert content(b) == content(a)


def test_the_losing_version_stays_in_the_history(laptops):
    a, b, shared, _ = laptops
    merge_path(b, a.path, "li")  # li's later edit stays; maria's version is kept beside it
    entries = b.history(uuid=shared.uuid)
    lost = [e for e in entries if e.change == "conflict"]
    assert len(lost) == 1 and lost[0].after["label"] == "kremlin-form" and lost[0].settled.startswith("kept")
    assert b.history(open_conflicts=True) == []


def test_dry_run_writes_nothing_and_reports_the_same(laptops):
    a, b, _, _ = laptops
    before = content(a)
    dry = merge_path(a, b.path, "maria", dry_run=True)
    assert dry.dry_run and content(a) == before
    real = merge_path(a, b.path, "maria")
    assert dry.counts == real.counts and [c.key for c in dry.conflicts] == [c.key for c in real.conflicts]


def test_a_bundle_carries_everything_a_database_does(laptops, demo_dir):
    a, b, _, _ = laptops
    bundle = demo_dir / "b.bundle.jsonl"
    with bundle.open("w", encoding="utf-8") as out:
        write_bundle(b.path, out)
    from_file = copy_store(a, demo_dir / "from-file.db")
    from_db = copy_store(a, demo_dir / "from-db.db")
    report = merge_path(from_file, bundle, "maria")
    assert report.ok, report.refused
    merge_path(from_db, b.path, "maria")
    assert content(from_file) == content(from_db)
    assert merge_path(from_file, bundle, "maria").changed == 0


def test_a_jsonl_export_brings_live_tags(laptops, demo_dir):
    from annotator.exchange.export import export

    a, b, _, _ = laptops
    out = demo_dir / "b.jsonl"
    with out.open("w", encoding="utf-8") as fh:
        export(b, "jsonl", fh)
    report = merge_path(a, out, "maria")
    assert report.ok, report.refused
    li = {t.note for t in a.annotations(annotator="li")}
    assert "paywalled" in li
    assert report.counts["statuses"] == {}  # an export has no done marks: use a bundle for those


def test_new_articles_and_versions_come_with_their_tags(laptops, demo_dir):
    a, b, _, _ = laptops
    first = b.article(b.list_articles()[0].id)
    newer = new_version(b, first, "\n\nA correction was added later.")
    tag(b, newer, "correction", annotator="li", label="ukraine-west-form")
    report = merge_path(a, b.path, "maria")
    assert report.ok, report.refused
    assert report.counts["articles"]["added"] == 1
    stored = a.article(newer.id)
    assert stored is not None and stored.version == 2 and stored.supersedes == first.id
    current = {r.id for r in a.list_articles()}
    assert newer.id in current and first.id not in current
    assert [t.quote for t in a.annotations(article_id=newer.id)] == ["correction"]
    assert a.annotations(article_id=first.id)  # the tags made on the first version stay on it


def test_two_different_new_versions_are_a_listed_conflict(laptops, demo_dir):
    a, b, _, _ = laptops
    first = a.article(a.list_articles()[1].id)
    new_version(a, first, "\n\nEdited on laptop A.")
    new_version(b, first, "\n\nEdited on laptop B.")
    a2 = copy_store(a, demo_dir / "a2.db")
    report = merge_path(a2, b.path, "maria")
    merge_path(b, a.path, "li")
    assert content(a2) == content(b)
    listed = [c for c in report.conflicts if c.kind == "articles"]
    assert len(listed) == 1 and "imported last" in listed[0].rule
    assert sum(1 for r in a2.list_articles() if r.version == 2) == 1
    assert a2.count_articles(current_only=False) == 7


# -- hostile files ------------------------------------------------------------------------


@pytest.mark.parametrize("make", [
    lambda p: p.write_bytes(b""),
    lambda p: p.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200),
    lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256))),
    lambda p: p.write_text("hello, world\n"),
    lambda p: sqlite3.connect(p).execute("CREATE TABLE t (x)").connection.commit(),
    lambda p: p.mkdir(),
], ids=["empty", "torn-sqlite", "binary", "text", "foreign-sqlite", "folder"])
def test_a_file_that_is_no_database_bundle_or_export_changes_nothing(laptops, demo_dir, make):
    a, _, _, _ = laptops
    other = demo_dir / "other.db"
    make(other)
    before = content(a)
    with pytest.raises(InputError) as caught:
        merge_path(a, other, "maria")
    assert "\n" not in str(caught.value) and "other.db" in str(caught.value)
    assert content(a) == before


def test_a_damaged_database_changes_nothing(laptops, demo_dir):
    a, b, _, _ = laptops
    b.close()
    damaged = demo_dir / "damaged.db"
    data = bytearray(b.path.read_bytes())
    size = len(data)
    data[size // 2: size // 2 + 4096] = b"\xff" * 4096
    damaged.write_bytes(bytes(data))
    before = content(a)
    with pytest.raises(InputError):
        merge_path(a, damaged, "maria")
    assert content(a) == before


def test_merging_the_database_into_itself_is_refused(laptops):
    a, _, _, _ = laptops
    with pytest.raises(InputError, match="itself"):
        merge_path(a, a.path, "maria")


def _bundle_lines(store: Store, path: Path) -> list[dict]:
    with path.open("w", encoding="utf-8") as out:
        write_bundle(store.path, out)
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _write_lines(path: Path, lines: list[dict]) -> None:
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")


def test_forged_records_are_refused_and_nobody_s_tag_is_rewritten(laptops, demo_dir):
    a, b, shared, _ = laptops
    path = demo_dir / "forged.jsonl"
    lines = _bundle_lines(b, path)
    forged = []
    for line in lines:
        if line.get("kind") != "annotation" or line["annotation"]["uuid"] != shared.uuid:
            continue
        future = dict(line["annotation"], label="forged", updated="2999-01-01T00:00:00+00:00")
        moved = dict(line["annotation"], label="neutral-form", start=0, end=3, quote="xyz",
                     updated=datetime.now(timezone.utc).isoformat())
        stolen = dict(line["annotation"], annotator="mallory", updated=datetime.now(timezone.utc).isoformat())
        forged = [{"kind": "annotation", "annotation": x, "earlier": []} for x in (future, moved, stolen)]
    article = next(x for x in lines if x.get("kind") == "article")
    fake_article = {"kind": "article", "current": True, "article": dict(article["article"], text="another text")}
    _write_lines(path, [lines[0], fake_article, *forged, {"kind": "nonsense"}, {"kind": "status", "article_id": 1}])
    before = content(a)
    report = merge_path(a, path, "maria")
    assert not report.ok
    reasons = " | ".join(r.reason for r in report.refused)
    assert "in the future" in reasons and "not the text at" in reasons and "another annotator" in reasons
    assert "SHA-256" in reasons and "nonsense" in reasons
    assert content(a) == before


def test_an_outlet_merged_away_on_one_side_is_merged_on_the_other(laptops, demo_dir):
    a, b, _, _ = laptops
    moved = a.merge_outlet("telesur", "rt", "maria", "outlets merge")
    assert moved == 2  # publisher and original source of the teleSUR article
    a2 = copy_store(a, demo_dir / "a2.db")
    into_a = merge_path(a2, b.path, "maria")
    into_b = merge_path(b, a.path, "li")
    assert into_a.ok and into_b.ok
    assert content(a2) == content(b)
    assert b.outlet("telesur") is None
    assert {r.publisher for r in b.list_articles()} >= {"rt"}


def test_a_database_of_the_previous_schema_is_read(laptops, demo_dir):
    a, b, _, _ = laptops
    old = demo_dir / "old.db"
    b.copy_to(old)
    conn = sqlite3.connect(old)
    conn.execute("DELETE FROM rejected_suggestions WHERE withdrawn = 1")  # schema 9 deleted a rejection taken back
    conn.execute("ALTER TABLE rejected_suggestions DROP COLUMN withdrawn")
    conn.execute("ALTER TABLE rejected_suggestions DROP COLUMN updated")
    conn.execute("PRAGMA user_version = 9")
    conn.commit()
    conn.close()
    report = merge_path(a, old, "maria")
    assert report.ok, report.refused
    articles = [r.id for r in a.list_articles()]
    assert a.rejected_suggestions(articles[3], "li") == {(0, 4, "kiev")}
    assert a.rejected_suggestions(articles[4], "li") == set()
    assert report.counts["rejections"] == {"added": 1}


def test_rows_of_a_hostile_database_that_cannot_be_read_are_refused_one_by_one(laptops, demo_dir):
    a, b, _, _ = laptops
    hostile = demo_dir / "hostile.db"
    b.copy_to(hostile)
    conn = sqlite3.connect(hostile)
    [(bad_tag,)] = conn.execute("SELECT uuid FROM annotations WHERE annotator = 'li' AND start IS NOT NULL").fetchall()
    conn.execute("UPDATE annotations SET start = 'abc' WHERE uuid = ?", [bad_tag])
    conn.execute("UPDATE rejected_suggestions SET start = 'x' WHERE start = 0")
    conn.execute("UPDATE article_status SET updated = 5 WHERE status = 'done'")
    conn.execute("UPDATE outlets SET data = 'not json' WHERE id = 'tass'")
    conn.execute("UPDATE articles SET published = 'someday' WHERE rowid = 1")
    conn.commit()
    conn.close()
    report = merge_path(a, hostile, "maria")
    refused = {(r.kind, r.where) for r in report.refused}
    assert ("annotations", bad_tag) in refused and ("outlets", "tass") in refused
    assert {r.kind for r in report.refused} == {"annotations", "outlets", "rejections", "statuses", "articles"}
    assert all("cannot be read" in r.reason or "not an ISO 8601 time" in r.reason for r in report.refused)
    assert bad_tag not in {t.uuid for t in a.annotations()}
    assert any(t.note == "paywalled" for t in a.annotations(annotator="li"))  # the rest came in


def test_an_interrupted_merge_leaves_whole_records_and_running_it_again_completes_it(laptops, demo_dir, monkeypatch):
    a, b, _, _ = laptops
    reference = copy_store(a, demo_dir / "reference.db")
    merge_path(reference, b.path, "maria")
    from annotator.store.merging import MergeQueries

    real = MergeQueries.merge_statuses

    def killed(self, *args, **kwargs):
        raise KeyboardInterrupt  # the merge is stopped after the tags went in

    monkeypatch.setattr(MergeQueries, "merge_statuses", killed)
    with pytest.raises(KeyboardInterrupt):
        merge_path(a, b.path, "maria")
    halfway = content(a)
    assert halfway["annotations"] == content(reference)["annotations"]
    assert halfway["status"] != content(reference)["status"]
    monkeypatch.setattr(MergeQueries, "merge_statuses", real)
    merge_path(a, b.path, "maria")
    assert content(a) == content(reference)


def test_a_bundle_tag_without_its_id_or_times_is_refused_not_made_new(laptops, demo_dir):
    a, b, _, _ = laptops
    path = demo_dir / "no-id.jsonl"
    lines = _bundle_lines(b, path)
    tags = [line for line in lines if line.get("kind") == "annotation"][:3]
    for line, missing in zip(tags, ("uuid", "created", "updated")):
        del line["annotation"][missing]
    _write_lines(path, [lines[0], *tags])
    before = content(a)
    report = merge_path(a, path, "maria")
    assert report.counts["annotations"] == {"refused": 3}
    assert content(a) == before


def test_a_bundle_line_whose_kind_is_not_a_name_is_refused_and_the_rest_merged(laptops, demo_dir):
    """A forged kind (a list, an object, a number) is one refused line, not a crash."""
    a, b, _, _ = laptops
    clean = demo_dir / "clean.jsonl"
    lines = _bundle_lines(b, clean)
    expected = merge_path(a, clean, "maria", dry_run=True).counts
    path = demo_dir / "forged-kind.jsonl"
    forged = [{"kind": ["annotation"]}, {"kind": {"annotation": 1}}, {"kind": 7}]
    _write_lines(path, [lines[0], *forged, *lines[1:]])
    report = merge_path(a, path, "maria")
    refused = [r for r in report.refused if r.kind == "bundle"]
    assert [r.where.rsplit(":", 1)[1] for r in refused] == ["2", "3", "4"]
    assert all("is not one of" in r.reason for r in refused)
    report.counts.pop("bundle", None)
    assert report.counts == expected  # everything else came across


@pytest.mark.parametrize("here, there", [("2026-01-01T10:00:00+00:00", "2026-01-01T10:00:01+00:00"),
                                         ("2026-01-01T10:00:00+00:00", "2026-01-01T12:00:00+02:00"),
                                         ("2026-01-01T10:00:00", "2026-01-01T10:00:00+00:00"),
                                         ("not a time", "2026-01-01T10:00:00+00:00")])
def test_exactly_one_side_wins_whichever_way_round(here, there):
    for a_print, b_print in (("a" * 64, "b" * 64), ("b" * 64, "a" * 64)):
        forth = merge_rules.there_wins(here, a_print, there, b_print)
        back = merge_rules.there_wins(there, b_print, here, a_print)
        assert forth != back
