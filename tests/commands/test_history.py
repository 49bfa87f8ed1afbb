"""Nobody rewrites other people's work: merge rules of import-annotations, the history of
every change to a tag, and `annotator history` (showing, settling, restoring)."""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
from datetime import datetime, timedelta, timezone

import pytest
from click.testing import CliRunner

from annotator.exchange.annotation_import import import_annotations
from annotator.cli import main
from annotator.exchange.export import export
from annotator.ingest.importer import import_paths
from annotator.store import Store
from annotator.store.schema import _migration_7

from tests.conftest import tag


def soon(minutes: float = 1) -> str:
    return (datetime.now(timezone.utc) + timedelta(minutes=minutes)).replace(microsecond=0).isoformat()


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False, env={"COLUMNS": "160"})


@pytest.fixture
def alice(demo_store):
    """The demo database with alice's tone answer and one of her term tags."""
    article = demo_store.article(next(r.id for r in demo_store.list_articles() if r.publisher == "press-tv"))
    answer = tag(demo_store, article, annotator="alice", label="anti")
    term = tag(demo_store, article, "Kiev", annotator="alice")
    return demo_store, article, answer, term


def export_lines(store, path):
    out = io.StringIO(newline="")
    export(store, "jsonl", out)
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    return [json.loads(line) for line in out.getvalue().splitlines()]


def write(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def by_uuid(store, uuid):
    return next(a for a in store.annotations(include_deleted=True) if a.uuid == uuid)


# -- merge rules ---------------------------------------------------------------------------

def test_a_record_cannot_give_a_stored_tag_another_annotator_or_article(alice, demo_dir):
    store, article, answer, _ = alice
    [record, *_] = export_lines(store, demo_dir / "tags.jsonl")
    other = next(r for r in store.list_articles() if r.id != article.id)
    other_article = store.article(other.id)
    forged = [dict(record, annotator="mallory", label="pro", updated_at=soon()),
              dict(record, article_id=other_article.id, text_sha256=other_article.text_sha256, updated_at=soon())]
    result = run("--db", "annotations.db", "--annotator", "mallory", "import-annotations",
                 str(write(demo_dir / "forged.jsonl", forged)))
    assert result.exit_code == 1
    assert [line.split(":")[2] for line in result.stderr.splitlines()] == ["1", "2"]
    assert "may not change its annotator or article" in result.stderr
    assert by_uuid(store, answer.uuid) == answer  # untouched


def test_a_time_in_the_future_is_refused(alice, demo_dir):
    store, _, answer, _ = alice
    [record, *_] = export_lines(store, demo_dir / "tags.jsonl")
    records = [dict(record, label="pro", updated_at="9999-01-01T00:00:00+00:00"),
               dict(record, label="pro", updated_at=soon(10)),
               dict(record, label="pro", created_at=soon(60), updated_at=soon(3))]
    refused = []
    report = import_annotations(store, write(demo_dir / "future.jsonl", records), lambda n, why: refused.append(why),
                                owner="alice")
    assert report.refused == 3 and report.updated == 0
    assert "updated_at 9999-01-01T00:00:00+00:00 is in the future" in refused[0]
    assert refused[2].startswith("created_at")
    assert by_uuid(store, answer.uuid).label == "anti"
    # within the clock skew it is alice's newer edit, and she merges it
    assert import_annotations(store, write(demo_dir / "ok.jsonl", [dict(record, label="pro", updated_at=soon(3))]),
                              owner="alice").updated == 1


def test_a_change_to_someone_elses_tag_is_a_conflict_kept_beside_it(alice, demo_dir):
    store, _, answer, _ = alice
    records = export_lines(store, demo_dir / "alice.jsonl")
    forged = dict(records[0], label="pro", note="not alice's", updated_at=soon())
    path = write(demo_dir / "forged.jsonl", [forged])
    result = run("--db", "annotations.db", "--annotator", "bob", "import-annotations", "forged.jsonl")
    assert result.exit_code == 1
    assert "1 conflict(s)" in result.stdout and answer.uuid in result.stdout
    assert by_uuid(store, answer.uuid) == answer  # never applied silently
    [conflict] = store.history(open_conflicts=True)
    assert conflict.uuid == answer.uuid and conflict.who == "bob"
    assert conflict.before["label"] == "anti" and conflict.after["label"] == "pro"  # both versions kept
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    assert conflict.source == f"import-annotations forged.jsonl (sha256 {sha})"
    again = run("--db", "annotations.db", "--annotator", "bob", "import-annotations", "forged.jsonl")
    assert again.exit_code == 1 and len(store.history(open_conflicts=True)) == 1  # not recorded twice
    # alice's own re-import finds her tag as she made it, not the forgery
    mine = run("--db", "annotations.db", "--annotator", "alice", "import-annotations", "alice.jsonl")
    assert mine.exit_code == 0 and "2 already present" in mine.stdout
    shown = run("--db", "annotations.db", "history", answer.uuid[:8])
    assert shown.exit_code == 0
    assert "merge conflict (open)" in shown.stdout and "anti → pro" in shown.stdout


def test_a_conflict_is_settled_by_accepting_or_dismissing_it(alice, demo_dir):
    store, _, answer, term = alice
    records = {r["id"]: r for r in export_lines(store, demo_dir / "tags.jsonl")}
    write(demo_dir / "bob.jsonl", [dict(records[answer.uuid], label="pro", updated_at=soon()),
                                   dict(records[term.uuid], note="bob's note", updated_at=soon())])
    assert len(import_annotations(store, demo_dir / "bob.jsonl", owner="bob").conflicts) == 2
    first, second = store.history(open_conflicts=True)
    accepted = run("--db", "annotations.db", "--annotator", "alice", "history", "--accept", str(first.id))
    assert accepted.exit_code == 0, accepted.output
    assert by_uuid(store, answer.uuid).label == "pro"
    dismissed = run("--db", "annotations.db", "--annotator", "alice", "history", "--dismiss", str(second.id))
    assert dismissed.exit_code == 0 and by_uuid(store, term.uuid).note is None
    assert store.history(open_conflicts=True) == []
    assert store.history_entry(first.id).settled == "accepted by alice"
    assert store.history_entry(second.id).settled == "dismissed by alice"
    last = store.history(uuid=answer.uuid)[-1]
    assert (last.who, last.source, last.before["label"], last.after["label"]) == (
        "alice", f"accepted conflict {first.id}", "anti", "pro")
    twice = run("--db", "annotations.db", "history", "--accept", str(first.id))
    assert twice.exit_code == 1 and "not an open merge conflict (already accepted by alice)" in twice.stderr
    # the same file again: the accepted version is present, the dismissed one is not asked again
    again = import_annotations(store, demo_dir / "bob.jsonl", owner="bob")
    assert (again.present, again.kept, again.conflicts) == (1, 1, [])
    nothing = run("--db", "annotations.db", "history", "--dismiss", "999")
    assert nothing.exit_code == 1 and "no history entry 999" in nothing.stderr


def test_labels_names_and_spans_are_checked(alice, demo_dir):
    store, _, _, term = alice
    [_, record] = sorted(export_lines(store, demo_dir / "tags.jsonl"), key=lambda r: r["start"] is not None)
    assert record["id"] == term.uuid
    new = [dict(record, id=f"00000000-0000-4000-8000-00000000000{n}", **change) for n, change in enumerate([
        {"label": "no-such-label"},
        {"category": "no-such-category"},
        {"annotator": "eve\u202e"},                    # a bidi override in a name
        {"annotator": "  "},
        {"label": "kremlin-form\u200b"},               # a zero-width space in a label
        {"category": "term\x9b"},                      # a C1 control
        {"start": record["start"], "end": record["start"], "quote": ""},  # an empty span
        {"label": "retired-label", "codebook_version": "0.9"},  # another version: an orphan, kept
        {"label": "whatever", "codebook": "a-codebook-this-installation-lacks"},
        {"label": "kremlin-form "},                    # a space at the end
    ])]
    new[-1]["id"] = "00000000-0000-4000-8000-000000000010"
    refused = []
    report = import_annotations(store, write(demo_dir / "new.jsonl", new), lambda n, why: refused.append((n, why)))
    assert [n for n, _ in refused] == [1, 2, 3, 4, 5, 6, 7, 10]
    reasons = [why for _, why in refused]
    assert reasons[0] == 'codebook ru-ua-framing 1 has no label "no-such-label" in category term'
    assert reasons[1] == 'codebook ru-ua-framing 1 has no category "no-such-category"'
    assert reasons[2].startswith('annotator "eve\u202e" holds control, format')
    assert reasons[3] == "annotator is blank"
    assert reasons[4].startswith("label") and reasons[5].startswith("category")
    assert reasons[6].endswith("is empty")
    assert reasons[7] == 'label "kremlin-form " is not in normal form (spaces at its ends or in a run, or not Unicode NFC)'
    assert report.added == 2


# -- the history ---------------------------------------------------------------------------

def test_every_change_to_a_tag_is_recorded_with_who_and_where(alice):
    store, _, answer, term = alice
    store.actor, store.actor_source = "alice", "tui"
    store.update_annotation(answer.uuid, label="pro")
    store.update_annotation(term.uuid, attributes={"voice": "quoted"})
    store.update_annotation(term.uuid, note="a note")
    store.swap_annotations([term.uuid], [])
    entries = store.history(uuid=term.uuid)
    assert [e.change for e in entries] == ["created", "changed", "changed", "changed"]
    assert entries[0].who is None  # made before the session said who it is
    assert [(e.who, e.source) for e in entries[1:]] == [("alice", "tui")] * 3
    assert (entries[1].before["attributes"], entries[1].after["attributes"]) == ({}, {"voice": "quoted"})
    assert (entries[2].before["note"], entries[2].after["note"]) == (None, "a note")
    assert (entries[3].before["deleted"], entries[3].after["deleted"]) == (0, 1)
    [created, relabel] = store.history(uuid=answer.uuid)
    assert (relabel.before["label"], relabel.after["label"]) == ("anti", "pro")
    # a writer in plain SQL is recorded too, and the triggers' own column copies are not changes
    conn = sqlite3.connect(store.path)
    with conn:
        conn.execute("UPDATE annotations SET note = 'by hand' WHERE uuid = ?", [answer.uuid])
        conn.execute("DELETE FROM annotations WHERE uuid = ?", [term.uuid])
    conn.close()
    *_, by_hand = store.history(uuid=answer.uuid)
    assert (by_hand.change, by_hand.who, by_hand.source, by_hand.after["note"]) == ("changed", None, None, "by hand")
    assert store.history(uuid=term.uuid)[-1].change == "removed"
    assert len(store.history(article_id=answer.article_id)) == 8


def configuration_reads(monkeypatch) -> list:
    """The configuration files read from now on (one entry per read; None: the one in effect)."""
    import annotator.config as config

    reads, real = [], config.load_config
    monkeypatch.setattr(config, "load_config", lambda path=None: reads.append(path) or real(path))
    return reads


def test_history_and_import_annotations_read_the_configuration_once(alice, demo_dir, private_config_home,
                                                                      monkeypatch):
    store, _, answer, _ = alice
    (demo_dir / "annotator.toml").write_text('codebook = "ru-ua-framing"\n', encoding="utf-8")
    remembered = private_config_home / "annotator" / "config.toml"
    remembered.parent.mkdir(parents=True)
    remembered.write_text('annotator = "remembered"\n', encoding="utf-8")
    store.update_annotation(answer.uuid, label="pro")
    relabel = store.history(uuid=answer.uuid)[-1]
    reads = configuration_reads(monkeypatch)
    result = run("--db", "annotations.db", "--annotator", "carol", "history", "--restore", str(relabel.id))
    assert result.exit_code == 0, result.output
    assert reads == [None]  # the project's file; with --annotator given, not the remembered name's file too
    records = export_lines(store, demo_dir / "tags.jsonl")
    reads.clear()
    result = run("--db", "annotations.db", "--annotator", "alice", "import-annotations", "tags.jsonl")
    assert result.exit_code == 0 and f"{len(records)} already present" in result.stdout
    assert reads == [None]  # for its annotator and for its codebook, read once


def test_a_tag_is_restored_from_its_history_even_after_its_row_was_deleted(alice):
    store, _, answer, term = alice
    store.update_annotation(answer.uuid, label="pro", note="second thoughts")
    relabel = store.history(uuid=answer.uuid)[-1]
    result = run("--db", "annotations.db", "--annotator", "carol", "history", answer.uuid, "--restore", str(relabel.id))
    assert result.exit_code == 0, result.output
    restored = by_uuid(store, answer.uuid)
    assert (restored.label, restored.note) == ("anti", None)
    last = store.history(uuid=answer.uuid)[-1]
    assert (last.who, last.source, last.before["label"]) == ("carol", f"restored before change {relabel.id}", "pro")
    conn = sqlite3.connect(store.path)
    with conn:
        conn.execute("DELETE FROM annotations WHERE uuid = ?", [term.uuid])
    conn.close()
    removed = store.history(uuid=term.uuid)[-1]
    store.restore_version(removed.id, "carol")
    assert by_uuid(store, term.uuid).quote == "Kiev"
    created = store.history(uuid=term.uuid)[0]
    refused = run("--db", "annotations.db", "history", "--restore", str(created.id))
    assert refused.exit_code == 1 and "created the tag: there is no earlier version" in refused.stderr


def test_history_of_an_article_as_a_table_and_as_json(alice, demo_dir):
    store, article, answer, _ = alice
    store.actor = "eve\u202e\x9b[31m"
    store.update_annotation(answer.uuid, note="[red]x[/] \u202eevil")
    table = run("--db", "annotations.db", "history", article.id[:6])
    assert table.exit_code == 0
    assert "3 changes of" in table.stdout and "\u202e" not in table.stdout and "\x9b" not in table.stdout
    assert "\\u202e" in table.stdout and "[red]x[/]" in table.stdout
    data = json.loads(run("--db", "annotations.db", "history", article.id, "--json").stdout)
    assert [d["change"] for d in data] == ["created", "created", "changed"]
    assert data[2]["after"]["note"] == "[red]x[/] \u202eevil" and data[2]["who"] == "eve\u202e\x9b[31m"
    assert data[0]["before"] is None and data[0]["after"]["uuid"] == answer.uuid
    unknown = run("--db", "annotations.db", "history", "ffffffffffff")
    assert unknown.exit_code == 1 and "no tag or article 'ffffffffffff'" in unknown.stderr
    none = run("--db", "annotations.db", "history")
    assert none.exit_code == 2


def test_the_history_migration_runs_on_an_older_database_and_again(demo_dir):
    store = Store(demo_dir / "old.db")
    assert import_paths(store, [demo_dir / "corpus"]).ok
    article = store.article(store.list_articles()[0].id)
    answer = tag(store, article, annotator="alice", label="anti")
    conn = sqlite3.connect(store.path)
    conn.execute("DROP TABLE annotation_history")
    for name in ("insert", "update", "delete"):
        conn.execute(f"DROP TRIGGER annotation_history_{name}")
    conn.execute("PRAGMA user_version = 6")
    conn.close()
    store.close()
    again = Store(demo_dir / "old.db")
    assert again.annotations() == [answer]
    again.update_annotation(answer.uuid, label="pro")
    assert [e.change for e in again.history(uuid=answer.uuid)] == ["changed"]
    _migration_7(again.db)  # a second run (schema numbers renumbered at a merge) changes nothing
    assert len(again.history(uuid=answer.uuid)) == 1


async def test_a_change_made_in_the_tui_is_recorded_as_the_session_annotator(alice):
    from tests.tui.conftest import make_app, press, select_text, settle

    store, article, _, _ = alice
    app = make_app(store, annotator="maria")
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        await select_text(app, pilot, app.annotate.article.text.split()[0])
        await press(pilot, "1")
    made = [e for e in store.history() if e.after and e.after["annotator"] == "maria"]
    assert [(e.change, e.who, e.source) for e in made] == [("created", "maria", "tui")]


def test_a_reference_with_control_characters_is_one_error_line(alice):
    result = run("--db", "annotations.db", "history", "\x1b[2J\u202e")
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1 and "\x1b" not in result.stderr
