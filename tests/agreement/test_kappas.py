"""Fleiss' kappa against Fleiss (1971: 379): 30 patients, 6 psychiatrists, 5 diagnoses."""

from __future__ import annotations

import pytest

from annotator.agreement.kappas import fleiss_kappa

FLEISS_1971 = [
    (4, 4, 4, 4, 4, 4), (2, 2, 2, 5, 5, 5), (2, 3, 3, 3, 3, 5), (5, 5, 5, 5, 5, 5), (2, 2, 2, 4, 4, 4),
    (1, 1, 3, 3, 3, 3), (3, 3, 3, 3, 5, 5), (1, 1, 3, 3, 3, 4), (1, 1, 4, 4, 4, 4), (5, 5, 5, 5, 5, 5),
    (1, 4, 4, 4, 4, 4), (1, 2, 4, 4, 4, 4), (2, 2, 2, 3, 3, 3), (1, 4, 4, 4, 4, 4), (2, 2, 4, 4, 4, 5),
    (3, 3, 3, 3, 3, 5), (1, 1, 1, 4, 5, 5), (1, 1, 1, 1, 1, 2), (2, 2, 4, 4, 4, 4), (1, 3, 3, 5, 5, 5),
    (5, 5, 5, 5, 5, 5), (2, 4, 4, 4, 4, 4), (2, 2, 4, 5, 5, 5), (1, 1, 4, 4, 4, 4), (1, 4, 4, 4, 4, 5),
    (2, 2, 2, 2, 2, 4), (1, 1, 1, 1, 5, 5), (2, 2, 4, 4, 4, 4), (1, 3, 3, 3, 3, 3), (5, 5, 5, 5, 5, 5),
]


def test_fleiss_1971_table():
    counts = [[row.count(category) for category in range(1, 6)] for row in FLEISS_1971]
    result = fleiss_kappa(counts)
    assert (result.units, result.raters) == (30, 6)
    assert result.observed == pytest.approx(0.5556, abs=0.001)
    assert result.expected == pytest.approx(0.2201, abs=0.001)
    assert result.kappa == pytest.approx(0.430, abs=0.001)


def test_fleiss_too_little_data_gives_no_number():
    assert fleiss_kappa([[3, 0]]).kappa is None  # one unit
    same = fleiss_kappa([[3, 0], [3, 0]])
    assert same.kappa is None and "undefined" in same.note
    with pytest.raises(ValueError):
        fleiss_kappa([[3, 0], [2, 0]])


def test_weighted_kappa_artstein_poesio_2008():
    """Artstein & Poesio (2008: 568-569): 100 utterances, Stat/IReq/Chck; disagreements
    involving Chck weigh 0.5, others 1: D_o 0.090, D_e 0.490, kappa_w 0.8163; with every
    disagreement weighing 1 it is Cohen's kappa 0.8013."""
    from annotator.agreement import cohen_kappa
    from annotator.agreement.kappas import weighted_kappa

    pairs = [("STAT", "STAT")] * 46 + [("IReq", "STAT")] * 6 + [("IReq", "IReq")] * 32 + [("IReq", "Chck")] * 6 \
        + [("Chck", "Chck")] * 10
    index = {"STAT": 0, "IReq": 1, "Chck": 2}
    x, y = [index[a] for a, _ in pairs], [index[b] for _, b in pairs]
    weights = [[0, 1, 0.5], [1, 0, 0.5], [0.5, 0.5, 0]]
    result = weighted_kappa(x, y, weights)
    assert result.observed == pytest.approx(0.090, abs=0.001)
    assert result.expected == pytest.approx(0.490, abs=0.001)
    assert result.kappa == pytest.approx(0.8163, abs=0.001)
    nominal = weighted_kappa(x, y, [[0, 1, 1], [1, 0, 1], [1, 1, 0]])
    assert nominal.kappa == pytest.approx(0.8013, abs=0.001)
    assert nominal.kappa == pytest.approx(cohen_kappa([a for a, _ in pairs], [b for _, b in pairs]).kappa)


def test_fleiss_and_weighted_kappa_through_the_database(tmp_path):
    """Fleiss (1971)'s 30 patients and 6 psychiatrists as answers in the store: `annotator
    agreement` reports kappa 0.430; the ordinal question gets a weighted kappa per pair."""
    import json

    import yaml
    from click.testing import CliRunner

    from annotator.cli import main
    from annotator.codebook import load_codebook
    from annotator.ingest.importer import import_paths
    from annotator.models import Annotation
    from annotator.store import Store

    labels = [{"id": f"d{n}", "name": f"diagnosis {n}", "description": "d"} for n in range(1, 6)]
    path = tmp_path / "fleiss.yaml"
    path.write_text(yaml.safe_dump({"id": "fleiss", "version": "1", "title": "Fleiss 1971", "categories": [
        {"id": "diagnosis", "name": "Diagnosis", "kind": "article", "cardinality": "single", "labels": labels},
        {"id": "ranked", "name": "Ranked", "kind": "article", "cardinality": "single", "order": "ordinal",
         "labels": labels}]}), encoding="utf-8")
    book = load_codebook(path)
    (tmp_path / "a.jsonl").write_text("\n".join(json.dumps({"title": f"patient {n}", "text": f"Patient {n} notes."})
                                                for n in range(30)), encoding="utf-8")
    store = Store(tmp_path / "annotations.db")
    assert import_paths(store, [tmp_path / "a.jsonl"]).ok
    articles = {a.title: a for a in store.iter_current_articles()}
    for n, row in enumerate(FLEISS_1971):
        article = articles[f"patient {n}"]
        for rater, value in enumerate(row):
            for question in ("diagnosis", "ranked"):
                store.add_annotation(Annotation(
                    article_id=article.id, text_sha256=article.text_sha256, annotator=f"r{rater}",
                    codebook_id=book.id, codebook_version=book.version, category=question, label=f"d{value}"))
    store.close()
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "annotations.db"), "agreement", "--codebook", str(path),
                                       "--format", "json", "--bootstrap", "100"])
    assert result.exit_code == 0, result.output
    tables = json.loads(result.output)["tables"]
    fleiss = {r["item"]: r for r in tables["fleiss"]["rows"]}
    assert round(fleiss["diagnosis"]["kappa"], 3) == 0.430
    assert fleiss["diagnosis"]["ci_low"] < 0.430 < fleiss["diagnosis"]["ci_high"]
    assert (fleiss["diagnosis"]["units"], fleiss["diagnosis"]["raters"]) == (30, 6)
    kappas = tables["kappa"]["rows"]
    assert all(r["weighted_kappa"] is None for r in kappas if r["item"] == "diagnosis")
    assert all(r["weighted_kappa"] is not None for r in kappas if r["item"] == "ranked")
    assert all(r["weighted_ci_low"] <= r["weighted_kappa"] <= r["weighted_ci_high"]
               for r in kappas if r["item"] == "ranked")


def test_weighted_kappa_of_an_ordinal_question_through_the_database(tmp_path):
    """Artstein & Poesio's weights (disagreements with Chck 0.5, Stat/IReq 1) are the linear
    weights of the ranks Stat < Chck < IReq: an ordinal question with the labels in that
    order, answered as in their table, gives kappa_w 0.8163 (and Cohen's kappa 0.8013)."""
    import json

    import yaml
    from click.testing import CliRunner

    from annotator.cli import main
    from annotator.codebook import load_codebook
    from annotator.ingest.importer import import_paths
    from annotator.models import Annotation
    from annotator.store import Store

    path = tmp_path / "acts.yaml"
    path.write_text(yaml.safe_dump({"id": "acts", "version": "1", "title": "Dialogue acts", "categories": [
        {"id": "act", "name": "Act", "kind": "article", "cardinality": "single", "order": "ordinal",
         "labels": [{"id": label, "name": label, "description": label} for label in ("stat", "chck", "ireq")]}]}),
        encoding="utf-8")
    book = load_codebook(path)
    pairs = [("stat", "stat")] * 46 + [("ireq", "stat")] * 6 + [("ireq", "ireq")] * 32 + [("ireq", "chck")] * 6 \
        + [("chck", "chck")] * 10
    (tmp_path / "a.jsonl").write_text("\n".join(json.dumps({"title": f"utterance {n}", "text": f"Utterance {n}."})
                                                for n in range(len(pairs))), encoding="utf-8")
    store = Store(tmp_path / "annotations.db")
    assert import_paths(store, [tmp_path / "a.jsonl"]).ok
    articles = {a.title: a for a in store.iter_current_articles()}
    for n, answers in enumerate(pairs):
        article = articles[f"utterance {n}"]
        for coder, label in zip(("a", "b"), answers):
            store.add_annotation(Annotation(article_id=article.id, text_sha256=article.text_sha256, annotator=coder,
                                            codebook_id=book.id, codebook_version=book.version, category="act",
                                            label=label))
    store.close()
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "annotations.db"), "agreement", "--codebook", str(path),
                                       "--format", "json", "--bootstrap", "0"])
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.output)["tables"]["kappa"]["rows"]
    assert round(row["weighted_kappa"], 4) == 0.8163 and round(row["kappa"], 4) == 0.8013
    assert "fleiss" not in json.loads(result.output)["tables"]  # two annotators: Cohen's kappa says it
