"""The benchmark harness (bench/) keeps working: a tiny run end to end, and the synthetic
project is what it claims to be. Times are not judged here (that is bench/run.py's job on
the development machine)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import synth  # noqa: E402

FIGURES = {"import", "tui_first_frame", "tui_first_article", "next_p50", "next_p95", "tag_commit", "tag_commit_p95",
           "tui_memory", "stats", "export_csv", "export_jsonl", "export_jsonl_memory",
           "export_w3c", "export_w3c_memory", "export_memory", "writers_lost",
           "writers_wait", "writers_wait_p99",
           "writers_import", "export_parquet", "export_parquet_memory", "stats_story", "stats_year", "agreement",
           "agreement_memory", "report", "report_memory", "review_open", "review_ordered", "review_next",
           "review_next_p95", "story_open", "story_open_p95", "merge", "merge_memory"}


@pytest.mark.slow  # a scale test: `pytest -m slow` (CI runs it)
def test_a_tiny_run_writes_the_table_with_every_figure(tmp_path):
    out = tmp_path / "results"
    run = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--articles", "300", "--tags", "1000", "--runs", "1", "--moves", "3",
         "--tag-presses", "2", "--writers", "3", "--out", str(out), "--cache", str(tmp_path / "cache"), "--quiet"],
        capture_output=True, text=True, timeout=480,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    results = json.loads((tmp_path / "results.json").read_text())
    figures = {f["id"]: f for f in results["figures"]}
    assert set(figures) == FIGURES
    for figure in figures.values():  # a value, or a reason why there is none
        if figure["status"] == "ok":
            assert figure["value"] is not None and len(figure["runs"]) == 1, figure
        else:
            assert figure["status"] in ("not available", "failed") and figure["note"], figure
    for figure_id in ("import", "tui_first_frame", "next_p50", "tag_commit", "tui_memory", "writers_wait",
                      "writers_import", "export_parquet", "stats_story", "agreement", "report", "review_open",
                      "story_open", "merge"):  # always measurable
        assert figures[figure_id]["status"] == "ok" and figures[figure_id]["floor"] is not None, figure_id
    assert results["machine"]["cores"] and results["versions"]["textual"] and results["versions"]["sqlite"]
    assert results["database"]["articles"] == 300 and results["database"]["annotations"] == 1000
    table = (tmp_path / "results.md").read_text()
    for figure in figures.values():
        assert figure["name"] in table
    assert "| Figure | Value | Spread | Floor |" in table
    assert figures["writers_lost"]["value"] == 0  # three writers during an import of 300 articles lose nothing


def test_the_same_seed_gives_the_same_project(tmp_path):
    first = synth.build_database(tmp_path / "a.db", 40, 200, 5, seed=3, log=lambda _: None)
    second = synth.build_database(tmp_path / "b.db", 40, 200, 5, seed=3, log=lambda _: None)
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()
    assert first["fingerprint"] == second["fingerprint"]
    other = synth.build_database(tmp_path / "c.db", 40, 200, 5, seed=4, log=lambda _: None)
    assert other["fingerprint"] != first["fingerprint"]


def test_synthetic_tags_quote_the_stored_text(tmp_path):
    import sqlite3

    synth.build_database(tmp_path / "p.db", 150, 2000, 4, seed=1, log=lambda _: None)
    conn = sqlite3.connect(tmp_path / "p.db")
    texts = dict(conn.execute("SELECT id, text FROM articles"))
    words = [w for (w,) in conn.execute("SELECT word_count FROM articles")]
    # 200 to 3,000 words of body each, plus the words that attribute quotations and page chrome
    # (which articles get them depends on the shipped outlets the publishers are drawn from)
    assert min(words) >= 200 and max(words) <= 3000 * 1.1
    rows = conn.execute("SELECT article_id, start, \"end\", quote, prefix, suffix, category, attributes, annotator "
                        "FROM annotations").fetchall()
    assert len(rows) == 2000 and len({r[8] for r in rows}) == 4
    spans = [r for r in rows if r[1] is not None]
    assert spans and len(spans) < len(rows)  # span tags and article-level answers
    for article_id, start, end, quote, prefix, suffix, category, attributes, _ in spans:
        text = texts[article_id]
        assert text[start:end] == quote and text[max(0, start - 32):start] == prefix and text[end:end + 32] == suffix
        if category == "term":
            assert set(json.loads(attributes)) == {"voice", "concept", "variant"}
    categories = {r[6] for r in rows}
    assert {"term", "tone", "leaning", "generic-frames"} <= categories


@pytest.mark.parametrize("records", [40])
def test_the_corpus_mixes_in_the_codebooks_term_variants(tmp_path, records):
    from annotator.codebook import find_codebook
    from annotator.lexicon import Matcher

    synth.write_corpus(tmp_path / "c.jsonl", records, seed=2)
    lines = [json.loads(line) for line in (tmp_path / "c.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(lines) == records + len(range(7, records, 200))  # one text in 200 comes again under another url
    matcher = Matcher(find_codebook("ru-ua-framing"))
    found = [s for record in lines for s in matcher.find(record["text"])]
    assert len(found) >= records  # about one per 110 words
    assert {s.alignment for s in found} >= {"kremlin", "ukraine-west"}


@pytest.mark.slow  # a scale test: `pytest -m slow` (CI runs it)
def test_the_scale_curves_tabulate_every_figure_at_every_size(tmp_path):
    out = tmp_path / "scale"
    run = subprocess.run([sys.executable, str(BENCH / "scale.py"), "--sizes", "100,200", "--runs", "1", "--cache",
                          str(tmp_path / "cache"), "--out", str(out)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    results = json.loads((tmp_path / "scale.json").read_text())
    assert [s["articles"] for s in results["sizes"]] == [100, 200]
    table = (tmp_path / "scale.md").read_text()
    for name in ("next article, p50", "tag committed", "annotator stats per 1,000 tags", "export --format csv"):
        assert name in table
    assert table.count("×") >= 5  # each figure's growth from the first size to the second
