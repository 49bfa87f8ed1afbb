"""annotator import-annotations: merging a JSON-lines export into another database of the same corpus."""

from __future__ import annotations

import io
import json
from datetime import datetime, timedelta, timezone

import pytest
from click.testing import CliRunner

from annotator.exchange.annotation_import import import_annotations
from annotator.cli import main
from annotator.exchange.export import export
from annotator.ingest.importer import import_paths
from annotator.models import ARTICLE_NOTE_CATEGORY, ARTICLE_NOTE_LABEL, Annotation
from annotator.errors import InputError
from annotator.store import Store

from tests.conftest import tag

HOSTILE = "[red]x[/] [@click=app.quit]q[/] \x1b[31mred\x1b[0m \x1b]0;owned\x07 \x9b2J \u202eevil\u2028end"


def soon(minutes=1):
    """A time a little later than now (within the clock skew a merge allows)."""
    return (datetime.now(timezone.utc) + timedelta(minutes=minutes)).replace(microsecond=0).isoformat()


def articles(store):
    return {r.publisher: store.article(r.id) for r in store.list_articles()}


@pytest.fixture
def source(demo_store):
    """The demo store with tags of every kind, hostile names and notes among them."""
    by = articles(demo_store)
    tag(demo_store, by["press-tv"], "Kiev", attributes={"voice": "own", "concept": "capital", "variant": "kiev"},
        origin="suggestion")
    tag(demo_store, by["press-tv"], "Moscow", annotator="eve", note=HOSTILE)
    tag(demo_store, by["press-tv"], label="anti", note="=1+1")
    tag(demo_store, by["yahoo-news"], "Kremlin", annotator="olek")
    demo_store.add_annotation(Annotation(
        article_id=by["telesur"].id, text_sha256=by["telesur"].text_sha256, annotator="olek", codebook_id="ru-ua-framing",
        codebook_version="1", category=ARTICLE_NOTE_CATEGORY, label=ARTICLE_NOTE_LABEL, note="line one\nline two"))
    return demo_store


@pytest.fixture
def target(demo_dir):
    """A second database of the same corpus, imported on its own."""
    other = Store(demo_dir / "laptop.db")
    assert import_paths(other, [demo_dir / "corpus"]).ok
    return other


def export_file(store, path):
    out = io.StringIO(newline="")
    export(store, "jsonl", out)
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    return path


def key_set(store):
    return {(a.uuid, a.label, a.start, a.end, a.quote) for a in store.annotations()}


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_export_then_import_gives_the_same_annotations_and_reimport_adds_nothing(source, target, demo_dir):
    path = export_file(source, demo_dir / "tags.jsonl")
    first = run("--db", "laptop.db", "import-annotations", "tags.jsonl")
    assert first.exit_code == 0, first.output
    assert first.stdout.strip() == "Imported annotations: 5 added, 0 updated, 0 already present, 0 refused"
    assert key_set(target) == key_set(source) and len(key_set(source)) == 5
    # every field, not just the key ones: notes, names, attributes, origin, times
    assert sorted(target.annotations(), key=lambda a: a.uuid) == sorted(source.annotations(), key=lambda a: a.uuid)
    hostile = next(a for a in target.annotations() if a.annotator == "eve")
    assert hostile.note == HOSTILE  # exactly, markup and escapes as plain text
    again = run("--db", "laptop.db", "import-annotations", str(path))
    assert again.exit_code == 0
    assert again.stdout.strip() == "Imported annotations: 0 added, 0 updated, 5 already present, 0 refused"
    assert key_set(target) == key_set(source)


def test_the_newer_copy_wins_a_merge(source, target, demo_dir):
    path = export_file(source, demo_dir / "tags.jsonl")
    import_annotations(target, path)
    lines = path.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert records[0]["annotator"] == "maria"
    relabel = {"term": "neutral-form", "tone": "neutral"}[records[0]["category"]]
    newer = dict(records[0], label=relabel, updated_at=soon())
    older = dict(records[1], note="an older edit", updated_at="2000-01-01T00:00:00+00:00")
    path.write_text("\n".join(json.dumps(r) for r in [newer, older, *records[2:]]) + "\n", encoding="utf-8")
    report = import_annotations(target, path, owner="maria")  # maria merges her own newer edit
    assert (report.added, report.updated, report.present, report.kept, report.refused) == (0, 1, 3, 1, 0)
    stored = {a.uuid: a for a in target.annotations()}
    assert stored[newer["id"]].label == relabel and stored[newer["id"]].updated == newer["updated_at"]
    assert stored[older["id"]].note == records[1]["note"]
    # a tag deleted on this laptop after the export stays deleted
    target.update_annotation(records[2]["id"], deleted=True)
    assert import_annotations(target, path, owner="maria").kept == 2
    assert records[2]["id"] not in {a.uuid for a in target.annotations()}


def test_bad_records_are_refused_with_their_line_and_the_rest_go_in(source, target, demo_dir):
    path = export_file(source, demo_dir / "tags.jsonl")
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    span = next(r for r in records if r["quote"] == "Kiev")
    good = [r for r in records if r is not span]
    lines = [
        json.dumps(good[0]),                                   # 1 ok
        json.dumps(dict(span, quote="Kyiv")),                 # 2 tampered quote
        "",                                                    # 3 blank: skipped
        json.dumps(dict(span, article_id="0123456789ab")),     # 4 unknown article
        json.dumps(dict(span, text_sha256="0" * 64)),          # 5 another text
        '{"id": "1", "label": ',                               # 6 not JSON
        json.dumps(dict(span, start=span["start"] + 1)),       # 7 offsets moved
        json.dumps({k: v for k, v in span.items() if k != "label"}),  # 8 missing field
        json.dumps(dict(span, start="3")),                     # 9 wrong type
        json.dumps(dict(span, prefix="not the prefix")),       # 10 prefix not beside the quote
        json.dumps(dict(span, end=10 ** 9, quote="x")),        # 11 outside the text
        "[1, 2]",                                              # 12 not an object
        *[json.dumps(r) for r in good[1:]],                    # 13.. ok
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("--db", "laptop.db", "import-annotations", "tags.jsonl")
    assert result.exit_code == 1
    refused = result.stderr.splitlines()
    assert [line.split(":")[2] for line in refused] == ["2", "4", "5", "6", "7", "8", "9", "10", "11", "12"]
    assert all(line.startswith("refused: tags.jsonl:") for line in refused)
    text = "\n".join(refused)
    assert 'tags.jsonl:2: quote "Kyiv" is not the text at' in text
    assert "tags.jsonl:4: article 0123456789ab is not in this database" in text
    assert "tags.jsonl:5: text_sha256 differs" in text
    assert "tags.jsonl:6: not JSON" in text
    assert "tags.jsonl:8: missing field(s): label" in text
    assert "tags.jsonl:9: start:" in text
    assert "tags.jsonl:10: prefix" in text
    assert "tags.jsonl:11: span" in text and "outside" in text
    assert "tags.jsonl:12: not a JSON object" in text
    assert result.stdout.strip() == "Imported annotations: 4 added, 0 updated, 0 already present, 10 refused"
    assert key_set(target) == key_set(source) - {(span["id"], span["label"], span["start"], span["end"], span["quote"])}


def test_hostile_refusal_messages_are_printed_as_escapes(source, target, demo_dir):
    path = export_file(source, demo_dir / "evil.jsonl")
    record = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    path.write_text(json.dumps(dict(record, article_id="\x1b[2J" + HOSTILE)) + "\n", encoding="utf-8")
    result = run("--db", "laptop.db", "import-annotations", "evil.jsonl")
    assert result.exit_code == 1 and "\x1b" not in result.stderr and "\x9b" not in result.stderr
    assert "refused: evil.jsonl:1: article \\x1b[2J[red]x[/]" in result.stderr  # as text, never as markup


@pytest.mark.parametrize("name, content, message", [
    ("missing.jsonl", None, "error: missing.jsonl: no such file"),
    ("folder", "dir", "error: folder: is a folder, not a file"),
    ("binary.jsonl", b'{"id": 1}\n\x00\x01\x02', "error: binary.jsonl: a binary file (NUL bytes), not JSON lines"),
    ("latin1.jsonl", None, "error: latin1.jsonl: not UTF-8 text (byte"),
])
def test_a_bad_file_is_one_error_and_nothing_is_written(source, target, demo_dir, name, content, message):
    good = export_file(source, demo_dir / "tags.jsonl").read_bytes()
    path = demo_dir / name
    if content == "dir":
        path.mkdir()
    elif isinstance(content, bytes):
        path.write_bytes(good + content)
    elif name == "latin1.jsonl":
        path.write_bytes(good + '{"note": "café"}\n'.encode("latin-1"))  # good lines first, then a bad byte
    result = run("--db", "laptop.db", "import-annotations", name)
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith(message)
    assert target.annotations() == []
    with pytest.raises(InputError):
        import_annotations(target, path)


def test_byte_order_mark_and_crlf_lines_are_read(source, target, demo_dir):
    path = export_file(source, demo_dir / "tags.jsonl")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    report = import_annotations(target, path)
    assert (report.added, report.refused) == (5, 0)


def test_articles_must_exist_in_the_target_database(source, demo_dir):
    path = export_file(source, demo_dir / "tags.jsonl")
    empty = Store(demo_dir / "empty.db")
    refused = []
    report = import_annotations(empty, path, lambda line, reason: refused.append((line, reason)))
    assert report.refused == 5 and [line for line, _ in refused] == [1, 2, 3, 4, 5]
    assert all("is not in this database" in reason for _, reason in refused)
    missing = run("--db", "nowhere.db", "import-annotations", "tags.jsonl")
    assert missing.exit_code == 1 and "nowhere.db: no such database" in missing.stderr
    assert not (demo_dir / "nowhere.db").exists()


def test_half_a_surrogate_pair_is_refused_not_stored(source, target, demo_dir):
    path = export_file(source, demo_dir / "tags.jsonl")
    lines = path.read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[0])
    lines[0] = json.dumps(dict(record, note="ok \U0001F600"))  # a pair (ASCII escapes): fine
    lines[1] = lines[1].replace('"annotator": "', '"annotator": "\\ud800', 1)  # half a pair: refused
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    refused = []
    report = import_annotations(target, path, lambda line, reason: refused.append((line, reason)))
    assert (report.added, report.refused) == (4, 1) and refused[0][0] == 2 and "surrogate" in refused[0][1]
    assert any(a.note == "ok \U0001F600" for a in target.annotations())
