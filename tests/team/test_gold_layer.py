"""The gold layer in exports, statistics and agreement: `export --layer gold` gives the
reviewed tags with their sources, `stats --count adjudicated` counts them, and `agreement
--against gold` gives each annotator's agreement with them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import main
from annotator.codebook import find_codebook
from annotator.team.review import GOLD, accept, accept_agreed, review_items
from annotator.store import Store

EXAMPLE = Path(__file__).resolve().parent.parent.parent / "examples" / "demo-annotations.jsonl"


def run(*args: str):
    return CliRunner().invoke(main, ["--db", "annotations.db", *args])


@pytest.fixture
def reviewed(demo_store, monkeypatch):
    """The worked example with its first article reviewed: what both agree on, then bob's
    version of every disagreement."""
    monkeypatch.setenv("ANNOTATOR_CONFIG", "/dev/null")
    demo_store.close()
    assert run("import-annotations", str(EXAMPLE)).exit_code == 0
    store = Store("annotations.db")
    book = find_codebook("ru-ua-framing")
    article = store.article(store.list_articles()[0].id)

    def review():
        decisions = {k: (d, r) for k, (d, r, _, _) in store.review_decisions(article.id).items()}
        return review_items(article.id, store.annotations(article.id), book, decisions)

    accept_agreed(store, review(), "rita", article.text_sha256).apply()
    while review().left:
        current = review()
        accept(store, current, current.left[0], "bob", "rita", article.text_sha256).apply()
    gold = store.annotations(article.id, GOLD)
    store.close()
    return article, gold


def test_export_layer_gold_gives_the_reviewed_tags_with_their_sources(reviewed):
    article, gold = reviewed
    result = run("export", "--layer", "gold")
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.output.splitlines()]
    assert sorted(r["id"] for r in records) == sorted(g.uuid for g in gold)
    assert all(r["annotator"] == GOLD and r["gold"]["reviewer"] == "rita" for r in records)
    sources = {s["annotator"] for r in records for s in r["gold"]["sources"]}
    assert sources == {"alice", "bob"}  # agreed items cite both, the rest bob
    others = [json.loads(line) for line in run("export", "--layer", "annotators").output.splitlines()]
    assert others and GOLD not in {r["annotator"] for r in others} and all("gold" not in r for r in others)


def test_stats_count_adjudicated_counts_the_gold_tags(reviewed):
    article, gold = reviewed
    result = run("stats", "--count", "adjudicated", "--by", "label", "--format", "json")
    assert result.exit_code == 0, result.output
    tables = json.loads(result.output)["tables"]
    total = sum(r["tags"] for r in next(iter(tables.values()))["rows"] if r.get("voice", "all") in ("all", None))
    assert total == len([g for g in gold if g.start is not None])


def test_agreement_against_gold_gives_each_annotator_s_figures(reviewed):
    result = run("agreement", "--against", "gold", "--bootstrap", "0", "--format", "json")
    assert result.exit_code == 0, result.output
    tables = json.loads(result.output)["tables"]
    f1 = next(t for name, t in tables.items() if "f1" in name)
    by_annotator = {r["annotator"] for r in f1["rows"]}
    assert by_annotator == {"alice", "bob"}
    assert "gold" in json.loads(result.output)["annotators"]


def test_bad_layer_arguments_are_one_line(reviewed):
    result = run("export", "--layer", "gold", "--annotator", "bob")
    assert result.exit_code == 2 and "one or the other" in result.output
    result = run("agreement", "--against", "nobody")
    assert result.exit_code == 2 and "no annotations by that name" in result.output
