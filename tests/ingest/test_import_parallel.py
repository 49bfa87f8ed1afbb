"""Large imports read their files in a second process while the first writes
(annotator.ingest.importer._ProcessReader): the outcome must be exactly that of reading in one
process, report lines in the same order included."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

import annotator.ingest.importer as importer
from annotator.ingest.importer import import_paths
from annotator.outlets.registry import SHIPPED_REGISTRY
from annotator.store import Store

CORPUS = Path(__file__).resolve().parent.parent.parent / "corpus"


def _folder(root: Path) -> Path:
    folder = root / "in"
    folder.mkdir()
    records = [{"text": f"Talks in Kiev, report number {i}.\n\nThe second paragraph of report {i}.",
                "url": f"https://example.org/{i}", "publisher": "tass" if i % 2 else "reuters"} for i in range(60)]
    records[5] = {"text": "   "}  # rejected: empty
    records[9] = dict(records[8], url="https://example.org/other")  # the same text again: a duplicate
    records[12] = {"text": "No url, so the file and line tell its versions.", "publisher": "nowhere"}  # a new outlet
    records[13] = {"text": "No url, so the file and line tell its versions."}  # a duplicate of it
    lines = [json.dumps(r) for r in records]
    lines.insert(20, "{not json")
    (folder / "a.jsonl").write_text("\n".join(lines), encoding="utf-8")
    (folder / "b.txt").write_text("Kyiv says the talks stalled.\n\n\nShare\n", encoding="utf-8")
    (folder / "c.txt").write_bytes(b"")
    (folder / "d.jsonl").write_text(json.dumps({"text": "Talks in Kiev, report number 3.\n\nThe second paragraph "
                                                "of report 3.", "url": "https://example.org/3"}), encoding="utf-8")
    return folder


def _content(db: Path) -> list[tuple]:
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT id, publisher, title, url, text, raw_text, removed, source_key, version, current, "
                        "word_count FROM articles ORDER BY rowid").fetchall()
    conn.close()
    return rows


def _reports_and_content(tmp_path: Path, folder: Path) -> list[tuple]:
    results = []
    for parallel in (False, True):
        db = tmp_path / f"{parallel}.db"
        report = import_paths(Store(db), [folder], registry_path=SHIPPED_REGISTRY, parallel=parallel)
        results.append((report.imported, report.new_versions, report.duplicates, report.rejected, report.notes,
                        _content(db)))
    return results


def test_reading_in_a_second_process_gives_the_same_import(tmp_path):
    sequential, parallel = _reports_and_content(tmp_path, _folder(tmp_path))
    assert sequential == parallel
    imported, _, duplicates, rejected, notes, content = parallel
    assert len(imported) == 58 and len(duplicates) == 3 and len(rejected) == 3 and len(content) == 58
    assert [note for _, note in notes if note.startswith("new outlet 'nowhere'")]


def test_a_file_that_breaks_off_while_read_in_a_second_process_leaves_nothing(tmp_path, monkeypatch):
    real = importer.build_article

    def breaking(record, *args, **kwargs):
        if "report number 30." in record.fields.get("text", ""):
            raise RuntimeError("reader on fire")
        return real(record, *args, **kwargs)

    monkeypatch.setattr(importer, "build_article", breaking)  # the forked reader has it too
    sequential, parallel = _reports_and_content(tmp_path, _folder(tmp_path))
    assert sequential == parallel
    imported, _, _, rejected, _, _ = parallel
    assert not any("a.jsonl" in where for where, _ in imported)
    assert ("in/a.jsonl", "could not be imported (internal error: RuntimeError: reader on fire)") in [
        (where.split(str(tmp_path) + "/")[-1], reason) for where, reason in rejected]


def test_large_inputs_are_read_in_a_second_process(tmp_path, monkeypatch):
    started = []
    real = importer._ProcessReader.__init__

    def spy(self, *args):
        started.append(True)
        real(self, *args)

    monkeypatch.setattr(importer._ProcessReader, "__init__", spy)
    monkeypatch.setattr(importer, "PARALLEL_BYTES", 10)
    folder = _folder(tmp_path)
    assert import_paths(Store(tmp_path / "x.db"), [folder / "b.txt"]).ok
    assert started == [True]
    monkeypatch.setattr(importer, "PARALLEL_BYTES", 10**9)
    assert import_paths(Store(tmp_path / "y.db"), [folder / "b.txt"]).ok
    assert started == [True]  # small inputs are read in this process


@pytest.mark.parametrize("parallel", [False, True])
def test_the_page_cache_is_given_back_after_an_import(tmp_path, parallel):
    store = Store(tmp_path / "z.db")
    before = store.db.conn.execute("PRAGMA cache_size").fetchone()[0]
    import_paths(store, [CORPUS], parallel=parallel)
    assert store.db.conn.execute("PRAGMA cache_size").fetchone()[0] == before
