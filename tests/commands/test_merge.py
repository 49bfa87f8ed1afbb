"""`annotator merge` on the command line: the report (text and --json), --dry-run, exit
status, bundles through `export --format bundle`, and one error line for a file that is
no database, bundle or export (nothing changed)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import main
from annotator.store import Store
from tests.conftest import tag


@pytest.fixture(autouse=True)
def maria(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANNOTATOR_CONFIG", "/dev/null")
    monkeypatch.setenv("ANNOTATOR_NAME", "maria")


def run(db: str, *args: str):
    return CliRunner().invoke(main, ["--db", db, *args], catch_exceptions=False, terminal_width=200)


def rows(path: Path) -> list:
    conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        return [conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
                for table in ("articles", "annotations", "article_status", "rejected_suggestions", "outlets")]
    finally:
        conn.close()


@pytest.fixture
def two(demo_dir: Path, clock) -> tuple[Path, Path]:
    """a.db and b.db: one import of the demo corpus; on b, li tagged a word (note with an escape
    sequence), marked an article done and rejected a suggestion; a tag both edited."""
    assert run("a.db", "import", "corpus").exit_code == 0
    store = Store(demo_dir / "a.db", "write")
    article = store.article(store.list_articles()[0].id)
    shared = tag(store, article, article.text.split()[1], label="neutral-form")
    store.copy_to(demo_dir / "b.db")  # the -wal file too
    store.close()
    a, b = Store(demo_dir / "a.db", "write"), Store(demo_dir / "b.db", "write")
    a.update_annotation(shared.uuid, note="maria's reading")
    tag(b, article, article.text.split()[2], annotator="li", label="kremlin-form", note="\x1b[31mred\x1b[0m")
    b.update_annotation(shared.uuid, note="li's reading")
    b.set_status(article.id, "li", True)
    b.reject_suggestion(article.id, "li", 0, 3, "kyiv", "kiev")
    a.close()
    b.close()
    return demo_dir / "a.db", demo_dir / "b.db"


def test_merge_reports_what_it_did_and_lists_the_conflict(two):
    a, b = two
    result = run(str(a), "merge", str(b))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any(line.startswith("annotations: 1 added, 1 updated") for line in lines)
    assert any(line.startswith("statuses: 1 added") for line in lines)
    assert any(line.startswith("rejections: 1 added") for line in lines)
    [conflict] = [line for line in lines if line.startswith("conflict: ")]
    assert "kept the other's version (the version changed later wins)" in conflict
    assert "li's reading" in conflict and "maria's reading" in conflict
    assert "\x1b" not in result.output
    again = run(str(a), "merge", str(b), "--json")
    report = json.loads(again.output)
    assert report["conflicts"] == [] and report["refused"] == []
    assert report["counts"]["annotations"] == {"present": 2}


def test_merge_json_lists_conflicts_with_their_rule(two):
    a, b = two
    report = json.loads(run(str(b), "merge", str(a), "--json").output)
    [conflict] = report["conflicts"]
    assert conflict["kind"] == "annotations" and conflict["kept"] == "here"
    assert conflict["rule"] == "the version changed later wins"


def test_dry_run_changes_nothing(two):
    a, b = two
    before = rows(a)
    result = run(str(a), "merge", str(b), "--dry-run")
    assert result.exit_code == 0
    assert "would change 4 record(s)" in result.output and "dry run: nothing was written" in result.output
    assert rows(a) == before


def test_a_bundle_made_by_export_merges_like_the_database(two, demo_dir):
    a, b = two
    Store(a).copy_to(demo_dir / "a2.db")
    assert run(str(b), "export", "--format", "bundle", "--out", "b.bundle").exit_code == 0
    assert run(str(a), "merge", str(b)).exit_code == 0
    assert run(str(demo_dir / "a2.db"), "merge", "b.bundle").exit_code == 0
    assert rows(demo_dir / "a2.db")[1:4] == rows(a)[1:4]
    assert run(str(b), "export", "--format", "bundle", "--annotator", "li").exit_code == 2


@pytest.mark.parametrize("content", [b"", b"just some notes\n", b"\x00\x01binary", b"SQLite format 3\x00garbage"])
def test_a_file_that_is_not_mergeable_is_one_error_line(two, demo_dir, content):
    a, _ = two
    other = demo_dir / "other.db"
    other.write_bytes(content)
    before = rows(a)
    result = run(str(a), "merge", str(other))
    assert result.exit_code == 1
    [line] = result.output.splitlines()
    assert line.startswith("error: ") and "other.db" in line and line.endswith("nothing was merged")
    assert rows(a) == before


def test_refused_records_make_the_exit_status_1(two, demo_dir):
    a, b = two
    bad = demo_dir / "bad.jsonl"
    bad.write_text('{"id": "not-a-uuid"}\n', encoding="utf-8")
    result = run(str(a), "merge", str(bad))
    assert result.exit_code == 1
    assert "refused: annotations bad.jsonl:1:" in result.output
