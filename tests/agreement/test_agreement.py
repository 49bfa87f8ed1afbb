"""Agreement: Krippendorff's published reference values, hand-worked alpha and kappa."""

from __future__ import annotations

import json

import pytest
import yaml

from annotator.agreement import agreement_tables, cohen_kappa, items, krippendorff_alpha
from annotator.codebook import find_codebook, load_codebook
from annotator.ingest.importer import import_paths
from annotator.models import Annotation
from annotator.store import Store, TagScope
from tests.report_fixture import build

from tests.conftest import REFERENCE


def test_reference_values_from_the_matrix():
    codings = {unit: {coder: str(values[unit]) for coder, values in REFERENCE.items() if values[unit] is not None}
               for unit in range(12)}
    domain = ["1", "2", "3", "4", "5"]
    nominal = krippendorff_alpha(codings, domain, "nominal")
    assert round(nominal.alpha, 3) == 0.743
    assert round(krippendorff_alpha(codings, domain, "ordinal").alpha, 3) == 0.815
    # unit 12 has one value only, so alpha uses 11 units and 40 pairable values
    assert (nominal.units, nominal.coders, nominal.pairable_values) == (11, 4, 40)


def test_reference_values_through_the_database(tmp_path):
    """Four annotators answer two questions (one nominal, one ordinal) on 12 articles exactly as
    in Krippendorff's example: `annotator agreement` must report 0.743 and 0.815."""
    labels = [{"id": f"v{n}", "name": f"value {n}", "description": f"value {n}"} for n in range(1, 6)]
    book_data = {"id": "reference", "version": "1", "title": "Krippendorff's example", "categories": [
        {"id": "nominal-q", "name": "Nominal", "kind": "article", "cardinality": "single", "labels": labels},
        {"id": "ordinal-q", "name": "Ordinal", "kind": "article", "cardinality": "single", "order": "ordinal",
         "labels": labels},
    ]}
    (tmp_path / "reference.yaml").write_text(yaml.safe_dump(book_data), encoding="utf-8")
    book = load_codebook(tmp_path / "reference.yaml")
    (tmp_path / "units.jsonl").write_text("\n".join(
        json.dumps({"title": f"unit {n}", "text": f"Article number {n} of the reference example."}) for n in range(12)),
        encoding="utf-8")
    store = Store(tmp_path / "annotations.db")
    assert import_paths(store, [tmp_path / "units.jsonl"]).ok
    articles = {a.title: a for a in store.iter_current_articles()}
    for coder, values in REFERENCE.items():
        for unit, value in enumerate(values):
            if value is None:
                continue
            article = articles[f"unit {unit}"]
            for question in ("nominal-q", "ordinal-q"):
                store.add_annotation(Annotation(
                    article_id=article.id, text_sha256=article.text_sha256, annotator=coder, codebook_id=book.id,
                    codebook_version=book.version, category=question, label=f"v{value}"))
    table = {r["item"]: r for r in agreement_tables(items(store, book, TagScope(codebook=book.id)))[0].records()}
    assert round(table["nominal-q"]["alpha"], 3) == 0.743
    assert table["nominal-q"]["level"] == "nominal"
    assert round(table["ordinal-q"]["alpha"], 3) == 0.815
    assert table["ordinal-q"]["level"] == "ordinal"
    assert (table["ordinal-q"]["units"], table["ordinal-q"]["coders"]) == (11, 4)


def test_cohen_kappa_textbook_example():
    # 50 items: both yes 20, a yes / b no 5, a no / b yes 10, both no 15 -> po 0.7, pe 0.5, kappa 0.4
    a = ["yes"] * 25 + ["no"] * 25
    b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    result = cohen_kappa(a, b)
    assert result.observed == pytest.approx(0.7)
    assert result.kappa == pytest.approx(0.4)
    assert cohen_kappa(["x", "x"], ["x", "x"]).kappa is None  # no variation: undefined, not 1.0 or 0.0


def test_span_labels_present_or_absent_per_article(tmp_path):
    """alice and bob both annotated A1 and B1 (tests/report_fixture.py).
    ukraine-west-form: A1 alice present / bob absent, B1 both present.
    Coincidences: o(P,A) = o(A,P) = 1, o(P,P) = 2; n_P = 3, n_A = 1, n = 4.
    D_o = 2/4, D_e = (3*1 + 1*3) / (4*3) = 1/2, so alpha = 1 - 0.5/0.5 = 0.
    kappa: po = 1/2, pe = 1*0.5 + 0*0.5 = 0.5, so kappa = 0."""
    store, _ = build(tmp_path / "p")
    book = find_codebook(None)
    alpha_table, kappa_table = agreement_tables(items(store, book, TagScope(codebook=book.id, exclude_annotators=("gold",))),
                                                span_presence=True)
    alpha = {r["item"]: r for r in alpha_table.records()}
    r = alpha["term/ukraine-west-form"]
    assert r["alpha"] == pytest.approx(0.0, abs=1e-12)
    # alice's A2 holds a tag but bob did not annotate A2: it is not pairable
    assert (r["units"], r["coders"], r["observed"]) == (2, 2, 0.5)
    r = alpha["term/kremlin-form"]  # A1 both present, B1 both absent: perfect
    assert r["alpha"] == 1.0
    kappa = {(r["item"], r["annotator_a"], r["annotator_b"]): r for r in kappa_table.records()}
    r = kappa[("term/ukraine-west-form", "alice", "bob")]
    assert (r["units"], r["observed"], r["kappa"]) == (2, 0.5, 0.0)
    assert "persuasion/doubt" not in alpha  # nobody used it: left out, named in a note
    unused = next(note for note in alpha_table.notes if note.startswith("left out"))
    assert "Persuasion techniques: " in unused and " · Doubt · " in unused  # in the codebook's words


def test_too_little_data_is_said_not_guessed():
    only_one = krippendorff_alpha({"u1": {"alice": "a"}, "u2": {"alice": "b"}}, ["a", "b"], "nominal")
    assert only_one.alpha is None and "too little data" in only_one.note
    same = krippendorff_alpha({"u1": {"a": "x", "b": "x"}, "u2": {"a": "x", "b": "x"}}, ["x", "y"], "nominal")
    assert same.alpha is None and "undefined" in same.note
    assert same.observed == 1.0


def test_adjudicator_is_not_a_coder(tmp_path):
    store, _ = build(tmp_path / "p")
    book = find_codebook(None)
    found = list(items(store, book, TagScope(codebook=book.id, exclude_annotators=("gold",))))
    assert {coder for item in found for coder in item.coders} == {"alice", "bob"}
    tone = next(i for i in items(store, book, TagScope(codebook=book.id)) if i.name == "tone")
    assert "gold" in tone.coders


def test_two_answers_to_a_single_answer_question_are_not_counted(tmp_path):
    store, ids = build(tmp_path / "p")
    book = find_codebook(None)
    article = store.article(ids["A1"])
    store.add_annotation(Annotation(article_id=article.id, text_sha256=article.text_sha256, annotator="bob",
                                    codebook_id=book.id, codebook_version=book.version, category="tone", label="pro"))
    tone = next(i for i in items(store, book, TagScope(codebook=book.id, exclude_annotators=("gold",)))
                if i.name == "tone")
    # A1: alice anti, bob anti+pro (not counted); A2: alice only; B1: alice pro, bob neutral
    assert matrix_units(tone) == 3
    assert krippendorff_alpha_from(tone).units == 1


def matrix_units(item):
    return item.matrix.shape[0]


def krippendorff_alpha_from(item):
    from annotator.agreement import matrix_alpha

    return matrix_alpha(item.matrix, item.values, item.level)


def _one_article_store(tmp_path, articles=1):
    """A store with ``articles`` short articles and the default codebook; returns (store, book, articles)."""
    (tmp_path / "a.jsonl").write_text("\n".join(
        json.dumps({"title": f"Article {n}", "text": f"Kiev said Kyiv invasion, article {n}."}) for n in range(articles)),
        encoding="utf-8")
    store = Store(tmp_path / "annotations.db")
    assert import_paths(store, [tmp_path / "a.jsonl"]).ok
    return store, find_codebook(None), list(store.iter_current_articles())


def _tag(store, book, article, who, category, label, span=None):
    from annotator.models import quote_selector

    extra = quote_selector(article.text, *span) | {"start": span[0], "end": span[1]} if span else {}
    store.add_annotation(Annotation(article_id=article.id, text_sha256=article.text_sha256, annotator=who,
                                    codebook_id=book.id, codebook_version=book.version, category=category, label=label,
                                    **extra))


def test_one_article_coded_by_two_annotators_gives_no_alpha_or_kappa(tmp_path):
    """With one unit the expected disagreement is the observed one, so alpha is 0 whatever the
    annotators did: it must be left empty with a note, for questions, multi-answer labels and spans."""
    store, book, [article] = _one_article_store(tmp_path)
    _tag(store, book, article, "alice", "tone", "pro")
    _tag(store, book, article, "bob", "tone", "anti")  # single-answer question, disagreeing
    _tag(store, book, article, "alice", "generic-frames", "economic")
    _tag(store, book, article, "bob", "generic-frames", "morality")  # multi-answer labels, disagreeing
    _tag(store, book, article, "alice", "term", "kremlin-form", (0, 4))  # span label: alice yes, bob no
    _tag(store, book, article, "bob", "term", "ukraine-west-form", (10, 14))
    alpha_table, kappa_table = agreement_tables(items(store, book, TagScope(codebook=book.id)), span_presence=True)
    alpha = {r["item"]: r for r in alpha_table.records()}
    for name in ("tone", "generic-frames/economic", "generic-frames/morality", "term/kremlin-form",
                 "term/ukraine-west-form"):
        assert alpha[name]["alpha"] is None, (name, alpha[name])
        assert alpha[name]["units"] == 1 and "too little data" in alpha[name]["note"], name
    for row in kappa_table.records():
        assert row["kappa"] is None and "too little data" in row["note"], row


def test_degenerate_alpha_through_the_command_line(tmp_path):
    """`annotator agreement` on: one unit (two coders), one coder per unit, every value the same."""
    from click.testing import CliRunner

    from annotator.cli import main

    store, book, articles = _one_article_store(tmp_path, 3)
    first, second, third = articles
    _tag(store, book, first, "alice", "tone", "pro")  # tone: one unit with two coders
    _tag(store, book, first, "bob", "tone", "anti")
    _tag(store, book, second, "alice", "leaning", "pro-kremlin")  # leaning: one coder per unit
    _tag(store, book, third, "bob", "leaning", "pro-ukraine-west")
    for article in (first, second):  # span label tagged by both everywhere both read: all 'present'
        for who in ("alice", "bob"):
            _tag(store, book, article, who, "term", "neutral-form", (15, 23))
    store.close()
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "annotations.db"), "agreement", "--format", "json"])
    assert result.exit_code == 0, result.output
    alpha = {r["item"]: r for r in json.loads(result.output)["tables"]["alpha"]["rows"]}
    assert alpha["tone"]["alpha"] is None and "too little data: 1 article" in alpha["tone"]["note"]
    assert alpha["leaning"]["alpha"] is None and "none coded by two annotators" in alpha["leaning"]["note"]
    assert "term/neutral-form" not in alpha  # spans are measured by position (span_alpha), not present/absent
    table = CliRunner(env={"COLUMNS": "200"}).invoke(main, ["--db", str(tmp_path / "annotations.db"), "agreement"])
    questions = table.output.split("Span agreement")[0]  # the answers' table: D_o 0.000000 below is a real figure
    assert "0.000" not in questions and "too little data" in questions
    spans = json.loads(result.output)["tables"]["span_alpha"]["rows"]
    neutral = next(r for r in spans if r["label"] == "neutral-form")
    assert (neutral["alpha"], neutral["observed_disagreement"], neutral["articles"]) == (1.0, 0.0, 2)  # same characters
