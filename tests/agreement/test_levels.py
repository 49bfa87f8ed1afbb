"""Every level of measurement of an article question, through the database: Krippendorff's
published example (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability", 4 coders,
12 units, missing values) must give nominal 0.743, ordinal 0.815, interval 0.849, ratio 0.797."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from annotator.agreement import agreement_tables, items
from annotator.codebook import load_codebook
from annotator.errors import InputError
from annotator.ingest.importer import import_paths
from annotator.models import Annotation
from annotator.store import Store, TagScope

REFERENCE = {
    "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    "C": [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
}
LEVELS = {"nominal": 0.743, "ordinal": 0.815, "interval": 0.849, "ratio": 0.797}


def _labels(values: bool) -> list[dict]:
    return [{"id": f"v{n}", "name": f"value {n}", "description": f"value {n}", **({"value": n} if values else {})}
            for n in range(1, 6)]


def _book(tmp_path, categories):
    path = tmp_path / "reference.yaml"
    path.write_text(yaml.safe_dump({"id": "reference", "version": "1", "title": "Krippendorff's example",
                                    "categories": categories}), encoding="utf-8")
    return load_codebook(path)


def test_four_levels_of_measurement_through_the_database(tmp_path):
    book = _book(tmp_path, [
        {"id": f"{level}-q", "name": level.title(), "kind": "article", "cardinality": "single", "order": level,
         "labels": _labels(level in ("interval", "ratio"))} for level in LEVELS])
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
            for level in LEVELS:
                store.add_annotation(Annotation(
                    article_id=article.id, text_sha256=article.text_sha256, annotator=coder, codebook_id=book.id,
                    codebook_version=book.version, category=f"{level}-q", label=f"v{value}"))
    table = {r["item"]: r for r in agreement_tables(items(store, book, TagScope(codebook=book.id)))[0].records()}
    for level, reference in LEVELS.items():
        row = table[f"{level}-q"]
        assert row["level"] == level
        assert round(row["alpha"], 3) == reference, level
        assert (row["units"], row["coders"], row["values"]) == (11, 4, 40)


def test_ratio_uses_the_label_values_not_their_positions(tmp_path):
    """The same answers with values 10..50 instead of 1..5: ratio alpha is scale-free, so it
    stays 0.797; values 0..4 (positions) would give another figure."""
    from annotator.agreement import krippendorff_alpha

    codings = {u: {c: f"v{v[u]}" for c, v in REFERENCE.items() if v[u] is not None} for u in range(12)}
    domain = [f"v{n}" for n in range(1, 6)]
    assert round(krippendorff_alpha(codings, domain, "ratio", [10, 20, 30, 40, 50]).alpha, 3) == 0.797
    assert round(krippendorff_alpha(codings, domain, "ratio", [0, 1, 2, 3, 4]).alpha, 3) != 0.797
    assert round(krippendorff_alpha(codings, domain, "interval", [0, 1, 2, 3, 4]).alpha, 3) == 0.849


@pytest.mark.parametrize("category, message", [
    ({"order": "interval", "labels": _labels(False)}, "labels[0].value: order interval needs a number on every label"),
    ({"order": "ratio", "labels": [{"id": "a", "name": "A", "description": "a", "value": -1}]},
     "order ratio needs values of 0 or more"),
    ({"order": "ratio", "cardinality": "multi", "labels": _labels(True)}, "for article questions with cardinality single"),
    ({"order": "ranked", "labels": _labels(True)}, "order"),
])
def test_codebook_refuses_a_level_it_cannot_measure(tmp_path, category, message):
    base = {"id": "q", "name": "Q", "kind": "article", "cardinality": "single"}
    with pytest.raises(InputError, match=re.escape(message)):
        _book(tmp_path, [base | category])
