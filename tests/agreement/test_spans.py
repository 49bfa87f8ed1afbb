"""Span agreement through the database: unitizing alpha reproduces Krippendorff's (2004)
reference when the spans are tags in the store, span F1 and voice counts are worked by
hand, and the README's worked example counts the 10 unmatched spans and 7 voice differences."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from annotator.agreement.bootstrap import percentile_interval
from annotator.agreement.disagreements import article_disagreements
from annotator.agreement.span_match import SpanTag, match
from annotator.agreement.spans import pair_figures, read_studies, unitizing, voice_agreement
from annotator.cli import main
from annotator.codebook import find_codebook, load_codebook
from annotator.ingest.importer import import_paths
from annotator.models import Annotation, quote_selector
from annotator.store import Store, TagScope
from tests.report_fixture import build

EXAMPLE = Path(__file__).resolve().parent.parent.parent / "examples" / "demo-annotations.jsonl"


def test_exact_and_overlap_matching_pair_tags_one_to_one():
    a = [SpanTag(0, 4, "x"), SpanTag(10, 20, "x"), SpanTag(30, 35, "y"), SpanTag(50, 55, "x")]
    b = [SpanTag(0, 4, "x"), SpanTag(12, 20, "x"), SpanTag(13, 18, "x"), SpanTag(30, 35, "x")]
    exact = match(a, b, "exact")
    assert exact.matched == [(0, 0)] and exact.label_differs == [(2, 3)]
    assert exact.only_a == [1, 3] and exact.only_b == [1, 2]
    overlap = match(a, b, "overlap")
    assert overlap.matched == [(0, 0), (1, 1)]  # 12-20 shares more with 10-20 than 13-18 does
    assert overlap.label_differs == [(2, 3)] and overlap.only_a == [3] and overlap.only_b == [2]


def test_span_f1_and_voice_of_two_annotators_through_the_database(tmp_path):
    """tests/report_fixture.py: A1 alice Kiev (own) + Kyiv, bob Kiev (scare-quoted); B1 alice
    Kyiv + invasion, bob Kyiv. Matched 2, only alice 2, only bob 0: F1 = 4/6; voice: 2 pairs,
    one differs (own vs scare-quoted)."""
    store, _ = build(tmp_path / "p")
    book = find_codebook(None)
    [term] = [s for s in read_studies(store, book, TagScope(codebook=book.id, exclude_annotators=("gold",)))
              if s.category.id == "term"]
    figures = pair_figures(term)[("alice", "bob")]
    for mode in ("exact", "overlap"):
        counts = figures.counts[mode]
        assert (counts.tags_a[""], counts.tags_b[""], counts.matched[""], counts.only_a[""], counts.only_b[""],
                counts.label_differs[""]) == (4, 2, 2, 2, 0, 0)
        assert counts.f1() == pytest.approx(4 / 6)
        assert counts.f1("kremlin-form") == 1.0 and counts.f1("ukraine-west-form") == pytest.approx(2 / 4)
    voice = voice_agreement(figures.voices, term.voices)
    assert (voice.pairs, voice.differs) == (2, 1)
    # two units of two values: own/own (agree), own/scare-quoted: D_o = 1/2, D_e = 2*(3*1)/(4*3) = 1/2
    assert voice.result.alpha == pytest.approx(0.0, abs=1e-12)


def _span_book(tmp_path):
    path = tmp_path / "spans.yaml"
    path.write_text(yaml.safe_dump({"id": "spans", "version": "1", "title": "Unitizing reference", "categories": [
        {"id": "kind", "name": "Kind", "kind": "span",
         "labels": [{"id": "c", "name": "C", "description": "c"}, {"id": "k", "name": "K", "description": "k"}]}]}),
        encoding="utf-8")
    return load_codebook(path)


def test_krippendorff_2004_reference_through_the_database(tmp_path):
    """Krippendorff (2004: p. 254) as tags on a 300-character article: cu-alpha c 0.7286,
    k 1.0, u-alpha 0.8587 (DKPro Statistics' values)."""
    book = _span_book(tmp_path)
    (tmp_path / "a.jsonl").write_text(json.dumps({"title": "Continuum", "text": ("abcdefghij" * 30)}), encoding="utf-8")
    store = Store(tmp_path / "annotations.db")
    assert import_paths(store, [tmp_path / "a.jsonl"]).ok
    [article] = list(store.iter_current_articles())
    assert len(article.text) == 300
    tags = {"i": [("c", 225, 70), ("c", 370, 30), ("k", 180, 60), ("k", 300, 50)],
            "j": [("c", 220, 80), ("c", 355, 20), ("c", 400, 20), ("k", 180, 60), ("k", 300, 50)]}
    for coder, spans in tags.items():
        for label, offset, length in spans:
            start, end = offset - 150, offset - 150 + length
            store.add_annotation(Annotation(
                article_id=article.id, text_sha256=article.text_sha256, annotator=coder, codebook_id=book.id,
                codebook_version=book.version, category="kind", label=label, start=start, end=end,
                **quote_selector(article.text, start, end)))
    [study] = read_studies(store, book, TagScope(codebook=book.id))
    figures = {f.label: f for f in unitizing(study, samples=0)}
    assert figures["c"].result.observed == pytest.approx(0.0144, abs=0.0001)
    assert figures["c"].result.expected == pytest.approx(0.0532, abs=0.0001)
    assert figures["c"].result.alpha == pytest.approx(0.7286, abs=0.0001)
    assert figures["k"].result.alpha == pytest.approx(1.0)
    assert figures[""].result.alpha == pytest.approx(0.8587, abs=0.0001)


def test_the_worked_example_counts_what_alice_and_bob_disagree_on(demo_dir, monkeypatch):
    monkeypatch.chdir(demo_dir)
    runner = CliRunner(env={"COLUMNS": "250"})
    assert runner.invoke(main, ["import", "corpus"]).exit_code == 0
    assert runner.invoke(main, ["import-annotations", str(EXAMPLE)]).exit_code == 0
    result = runner.invoke(main, ["agreement", "--format", "json"])  # as the README runs it
    assert result.exit_code == 0, result.output
    tables = json.loads(result.output)["tables"]
    overall = next(r for r in tables["span_f1"]["rows"] if r["label"] == "" and r["match"] == "overlap")
    assert (overall["spans_a"], overall["spans_b"], overall["matched"]) == (48, 38, 38)
    assert (overall["only_a"], overall["only_b"], overall["label_differs"]) == (10, 0, 0)
    assert overall["f1"] < 1
    [voice] = [r for r in tables["voice"]["rows"] if r["category"] == "term"]
    assert (voice["pairs"], voice["differs"]) == (38, 7) and voice["alpha"] < 1
    u_alpha = next(r for r in tables["span_alpha"]["rows"] if r["category"] == "term" and r["label"] == "")
    assert u_alpha["alpha"] < 1 and u_alpha["ci_low"] <= u_alpha["alpha"] <= u_alpha["ci_high"]
    readme = " ".join((EXAMPLE.parent.parent / "README.md").read_text(encoding="utf-8").split())
    assert (f"unitizing alpha over the term labels is {u_alpha['alpha']:.3f} (95% interval "
            f"{u_alpha['ci_low']:.3f} to {u_alpha['ci_high']:.3f})") in readme
    assert f"span F1 is {overall['f1']:.3f}" in readme
    assert f"voice alpha {voice['alpha']:.3f} ({voice['ci_low']:.3f} to {voice['ci_high']:.3f})" in readme
    by_article = runner.invoke(main, ["agreement", "--by", "article", "--format", "json"])
    rows = json.loads(by_article.output)["tables"]["disagreement_by_article"]["rows"]
    assert sum(r["unmatched_spans"] for r in rows) == 10 and sum(r["voice_differs"] for r in rows) == 7
    assert [r["total"] for r in rows] == sorted((r["total"] for r in rows), reverse=True)


def test_disagreements_per_article_by_hand(tmp_path):
    store, ids = build(tmp_path / "p")
    book = find_codebook(None)
    found = {d.article_id: d for d in article_disagreements(
        store, book, TagScope(codebook=book.id, exclude_annotators=("gold",)))}
    a1, b1 = found[ids["A1"]], found[ids["B1"]]
    assert (a1.unmatched_spans, a1.voice_differs, a1.answers_differ) == (1, 1, 0)  # Kyiv; own vs scare-quoted
    assert (b1.unmatched_spans, b1.voice_differs, b1.answers_differ) == (1, 0, 1)  # invasion; pro vs neutral
    assert ids["A2"] not in found  # only alice read it


def test_bootstrap_is_reproducible_with_a_seed_and_says_when_it_cannot():
    values = [0.1, 0.5, 0.9, 0.3, 0.7]

    def mean(picks):
        return sum(values[p] for p in picks) / len(picks)

    first = percentile_interval(mean, len(values), 200, seed=7)
    assert first == percentile_interval(mean, len(values), 200, seed=7)
    assert first != percentile_interval(mean, len(values), 200, seed=8)
    assert 0.1 <= first.low < 0.5 < first.high <= 0.9
    assert percentile_interval(mean, 1, 200).low is None
