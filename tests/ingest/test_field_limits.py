"""Every text field has a limit (README "Bad input"): an over-long value is refused with
the field's name and both lengths, never stored (a 20 MB title or note made every
list and the note editor take seconds)."""

from __future__ import annotations

import io
import json
import time

import pytest

from annotator.exchange.export import export
from annotator.ingest.importer import import_paths
from annotator.models import Annotation
from annotator.store import Store

from tests.conftest import GOOD, run

TOO_LONG_TITLE = "T" * 1_048_576  # 1 MB


def rejected_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("rejected: ")]


def test_a_one_megabyte_title_in_a_record_is_refused(workdir):
    (workdir / "a.jsonl").write_text(json.dumps({"text": GOOD, "title": TOO_LONG_TITLE}) + "\n"
                                     + json.dumps({"text": GOOD.replace("Monday", "Friday"), "title": "Fine"}) + "\n")
    result = run("--db", "t.db", "import", "a.jsonl")
    assert result.exit_code == 1
    assert rejected_lines(result) == [
        "rejected: a.jsonl: line 1: field 'title' is 1,048,576 characters long; at most 1,000 are accepted"]
    started = time.monotonic()
    listed = json.loads(run("--db", "t.db", "articles", "--json").stdout)
    assert [a["title"] for a in listed] == ["Fine"] and time.monotonic() - started < 3


@pytest.mark.parametrize("field, limit", [("url", 2_048), ("story", 200), ("publisher", 300), ("language", 35)])
def test_over_long_record_fields_are_refused(workdir, field, limit):
    (workdir / "a.json").write_text(json.dumps({"text": GOOD, field: "x" * (limit + 1)}))
    result = run("--db", "t.db", "import", "a.json")
    assert result.exit_code == 1
    assert rejected_lines(result) == [
        f"rejected: a.json: field '{field}' is {limit + 1:,} characters long; at most {limit:,} are accepted"]


def test_an_over_long_title_in_a_manifest_is_refused(workdir):
    (workdir / "a.txt").write_text(GOOD)
    (workdir / "m.yaml").write_text(f"files:\n  - {{file: a.txt, title: {'T' * 1001}}}\n")
    result = run("--db", "t.db", "import", "--manifest", "m.yaml", "a.txt")
    assert result.exit_code == 1
    assert "m.yaml: files[0].title: is 1,001 characters long; at most 1,000 are accepted" in result.stderr


def test_over_long_outlet_fields_are_refused(workdir):
    (workdir / "a.txt").write_text(GOOD)
    (workdir / "o.yaml").write_text(f"outlets:\n  - {{id: x, name: X, notes: {'n' * 10_001}}}\n")
    result = run("--db", "t.db", "import", "--registry", "o.yaml", "a.txt")
    assert result.exit_code == 1
    assert rejected_lines(result) == [
        "rejected: o.yaml: outlets[0].notes: is 10,001 characters long; at most 10,000 are accepted"]


def test_an_over_long_note_cannot_be_planted_through_import_annotations(demo_dir):
    source, target = Store(demo_dir / "a.db"), Store(demo_dir / "b.db")
    for store in (source, target):
        assert import_paths(store, [demo_dir / "corpus"]).ok
    article = source.article(source.list_articles()[0].id)
    source.add_annotation(Annotation(article_id=article.id, text_sha256=article.text_sha256, annotator="maria",
                                     codebook_id="ru-ua-framing", codebook_version="1", category="tone",
                                     label="negative", note="short"))
    out = io.StringIO(newline="")
    export(source, "jsonl", out)
    record = json.loads(out.getvalue())
    record["note"] = "n" * 10_001
    (demo_dir / "tags.jsonl").write_text(json.dumps(record) + "\n")
    result = run("--db", "b.db", "import-annotations", "tags.jsonl")
    assert result.exit_code == 1
    assert "note: is 10,001 characters long; at most 10,000 are accepted" in result.stderr
    assert [a.note for a in target.annotations()] == []


def test_the_store_refuses_an_over_long_note_before_writing_it(demo_store):
    article = demo_store.article(demo_store.list_articles()[0].id)
    tag = demo_store.add_annotation(Annotation(
        article_id=article.id, text_sha256=article.text_sha256, annotator="maria", codebook_id="ru-ua-framing",
        codebook_version="1", category="tone", label="negative", note="short"))
    with pytest.raises(ValueError, match="note: is 10,001 characters long; at most 10,000 are accepted"):
        demo_store.update_annotation(tag.uuid, note="n" * 10_001)
    assert [a.note for a in demo_store.annotations()] == ["short"]


def test_a_note_stored_before_the_limit_stays_readable(demo_store, demo_dir):
    article = demo_store.article(demo_store.list_articles()[0].id)
    demo_store.add_annotation(Annotation(
        article_id=article.id, text_sha256=article.text_sha256, annotator="maria", codebook_id="ru-ua-framing",
        codebook_version="1", category="tone", label="negative", note="short"))
    with demo_store._write() as conn:  # as an older annotator (or import-annotations) could have left it
        conn.execute("UPDATE annotations SET note = ?", ["n" * 20_000])
    assert [len(a.note) for a in demo_store.annotations()] == [20_000]
    result = run("--db", str(demo_store.path), "show", article.id, "--json")
    assert result.exit_code == 0 and len(json.loads(result.stdout)["tags"][0]["note"]) == 20_000


async def test_the_tui_note_editor_refuses_an_over_long_note(demo_store):
    from textual.widgets import TextArea

    from tests.tui.conftest import SIZE, live, make_app, press, settle

    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("M")  # a note on the article
        await pilot.pause()
        app.screen.query_one(TextArea).text = "n" * 10_001
        await press(pilot, "ctrl+s")
        assert live(demo_store, category="_article") == []
        assert app.is_running  # said so, and goes on


def test_limits_and_dates_are_said_in_our_words_not_pydantics():
    """A list over its limit and an impossible date name the field and say what is wrong plainly."""
    from pydantic import ValidationError

    from annotator.errors import pydantic_error_line
    from annotator.ingest.manifest import ManifestEntry

    with pytest.raises(ValidationError) as too_many:
        ManifestEntry(file="a.txt", unverified=["publisher"] * 1_001)
    assert pydantic_error_line("m.yaml", too_many.value, "files[0]") == \
        "m.yaml: files[0].unverified: has 1,001 items; at most 1,000 are accepted"
    with pytest.raises(ValidationError) as bad_date:
        ManifestEntry(file="a.txt", published="2022-02-30")
    assert pydantic_error_line("m.yaml", bad_date.value, "files[0]") == \
        "m.yaml: files[0].published: '2022-02-30' is not a date (YYYY, YYYY-MM or YYYY-MM-DD): day is out of range for month"
