"""Inter-annotator agreement: Krippendorff's alpha per question and per span label,
pairwise Cohen's kappa and observed agreement.

Items:

* an article question with one answer (``cardinality: single``): each article is a
  unit, each annotator's answer a value; ordinal when the codebook orders the labels
  (``order: ordinal``, from first to last label), else nominal;
* each label of a multi-answer question: present/absent per article, among the
  annotators who answered the question on that article;
* each span label: present/absent per article (did the annotator tag it at least
  once?), among the annotators who annotated the article at all.

Alpha comes from the ``krippendorff`` package; kappa is Cohen's (1960) formula.
Where there is too little data for a figure it is left empty and a note says why.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

from .codebook import Cardinality, Codebook, Kind, Order
from .store import Store, TagScope
from .tables import Column, ResultTable

PRESENT, ABSENT = "present", "absent"


@dataclass
class Item:
    """One thing annotators agree or disagree on: ``codings[unit][coder] = value``."""

    name: str
    kind: str  # "answer", or "yes/no" (a label present or absent)
    level: str  # "nominal" or "ordinal"
    values: list[str]  # the value domain, in order (matters for ordinal)
    codings: dict[Hashable, dict[str, str]]

    @property
    def used(self) -> bool:
        """False when nobody answered the question, or nobody ever used the label."""
        given = {value for coders in self.codings.values() for value in coders.values()}
        return bool(given) and given != {ABSENT}


@dataclass(frozen=True)
class AlphaResult:
    alpha: float | None
    units: int  # units coded by at least two coders (the ones alpha uses)
    coders: int
    pairable_values: int
    observed: float | None  # share of agreeing coder pairs within units
    note: str = ""


def krippendorff_alpha(codings: dict[Hashable, dict[str, str]], values: Sequence[str], level: str) -> AlphaResult:
    """Alpha of ``codings[unit][coder] = value`` over the value domain ``values`` (in order)."""
    import numpy as np
    import krippendorff

    index = {v: i for i, v in enumerate(values)}
    pairable = [unit for unit, by_coder in codings.items() if len(by_coder) >= 2]
    coders = {coder for unit in pairable for coder in codings[unit]}
    pairs = agreeing = 0
    counts = np.zeros((len(pairable), len(values)))
    for row, unit in enumerate(pairable):
        given = list(codings[unit].values())
        for value in given:
            counts[row, index[value]] += 1
        for a, b in itertools.combinations(given, 2):
            pairs += 1
            agreeing += a == b
    n_values = int(counts.sum())
    observed = agreeing / pairs if pairs else None
    if not pairable:
        coded = sum(1 for by_coder in codings.values() if by_coder)
        return AlphaResult(None, 0, 0, 0, None, f"too little data: {coded} article(s), none coded by two annotators")
    used = [values[i] for i in range(len(values)) if counts[:, i].any()]
    if len(used) < 2:
        return AlphaResult(None, len(pairable), len(coders), n_values, observed,
                           f"undefined: every annotator gave {used[0]!r}")
    alpha = float(krippendorff.alpha(value_counts=counts, level_of_measurement=level))
    return AlphaResult(alpha, len(pairable), len(coders), n_values, observed)


@dataclass(frozen=True)
class KappaResult:
    kappa: float | None
    units: int
    observed: float | None
    note: str = ""


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> KappaResult:
    """Cohen's kappa of two coders' values on the same units (``a[i]``, ``b[i]`` on unit ``i``)."""
    n = len(a)
    if n == 0:
        return KappaResult(None, 0, None, "no unit coded by both")
    observed = sum(x == y for x, y in zip(a, b)) / n
    count_a, count_b = Counter(a), Counter(b)
    expected = sum(count_a[v] * count_b[v] for v in count_a) / (n * n)
    if math.isclose(expected, 1.0):
        return KappaResult(None, n, observed, "undefined: both gave one value throughout")
    return KappaResult((observed - expected) / (1 - expected), n, observed)


def items(store: Store, book: Codebook, scope: TagScope) -> list[Item]:
    """Every agreement item of a codebook, with the codings in ``scope``."""
    out: list[Item] = []
    questions = [c for c in book.categories if c.kind is Kind.article]
    answers = store.answers(scope, [c.id for c in questions]) if questions else []
    by_question: dict[str, dict[str, dict[str, set[str]]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(set)))
    for article_id, annotator, category, label in answers:
        by_question[category][article_id][annotator].add(label)
    for question in questions:
        given = by_question.get(question.id, {})
        labels = [l.id for l in question.labels]
        if question.cardinality is Cardinality.single:
            codings = {unit: {coder: sorted(chosen)[0] for coder, chosen in coders.items() if len(chosen) == 1}
                       for unit, coders in given.items()}
            level = "ordinal" if question.order is Order.ordinal else "nominal"
            out.append(Item(question.id, "answer", level, labels, codings))
        else:
            for label in labels:
                codings = {unit: {coder: PRESENT if label in chosen else ABSENT for coder, chosen in coders.items()}
                           for unit, coders in given.items()}
                out.append(Item(f"{question.id}/{label}", "yes/no", "nominal", [ABSENT, PRESENT], codings))
    span_categories = [c for c in book.categories if c.kind is Kind.span]
    if span_categories:
        units: dict[str, set[str]] = defaultdict(set)
        for article_id, annotator in store.units(scope):
            units[article_id].add(annotator)
        tagged: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for article_id, annotator, category, label in store.answers(scope, [c.id for c in span_categories]):
            tagged[(category, label)][article_id].add(annotator)
        for category in span_categories:
            for label in category.labels:
                present = tagged.get((category.id, label.id), {})
                codings = {unit: {coder: PRESENT if coder in present.get(unit, ()) else ABSENT for coder in coders}
                           for unit, coders in units.items()}
                out.append(Item(f"{category.id}/{label.id}", "yes/no", "nominal", [ABSENT, PRESENT], codings))
    return out


def alpha_table(found: Iterable[Item]) -> ResultTable:
    """Krippendorff's alpha per item, with the data behind it."""
    rows, unused = [], []
    for item in found:
        if not item.used:
            unused.append(item.name)
            continue
        r = krippendorff_alpha(item.codings, item.values, item.level)
        rows.append((item.name, item.kind, item.level, r.alpha, r.units, r.coders, r.pairable_values, r.observed, r.note))
    notes = ["units = articles coded by at least two annotators (the ones alpha uses); "
             "agree = share of agreeing annotator pairs within those articles",
             "alpha: 1 perfect, 0 no better than chance, below 0 systematic disagreement; "
             "0.667 is Krippendorff's lowest bar for tentative conclusions, 0.8 for firm ones"]
    if unused:
        notes.append(f"left out, never answered or used by anyone: {', '.join(unused)}")
    return ResultTable("alpha", "Krippendorff's alpha",
                       [Column("item", "question or label"), Column("kind", "kind", optional=True), Column("level", "level"),
                        Column("alpha", "alpha", "float", 3), Column("units", "units", "int"),
                        Column("coders", "coders", "int"), Column("values", "values", "int", optional=True),
                        Column("observed", "agree", "share"), Column("note", "note")], rows, notes)


def kappa_table(found: Iterable[Item]) -> ResultTable:
    """Cohen's kappa and observed agreement for every pair of annotators on every item."""
    rows = []
    for item in found:
        if not item.used:
            continue
        by_coder: dict[str, dict[Hashable, str]] = defaultdict(dict)
        for unit, coders in item.codings.items():
            for coder, value in coders.items():
                by_coder[coder][unit] = value
        for a, b in itertools.combinations(sorted(by_coder), 2):
            shared = sorted(set(by_coder[a]) & set(by_coder[b]), key=str)
            if not shared:
                continue
            r = cohen_kappa([by_coder[a][u] for u in shared], [by_coder[b][u] for u in shared])
            rows.append((item.name, a, b, r.units, r.observed, r.kappa, r.note))
    return ResultTable("kappa", "Cohen's kappa per pair of annotators",
                       [Column("item", "question or label"), Column("annotator_a", "annotator"),
                        Column("annotator_b", "and annotator"), Column("units", "units", "int"),
                        Column("observed", "agree", "share"), Column("kappa", "kappa", "float", 3),
                        Column("note", "note")], rows,
                       ["only pairs who coded at least one article in common are listed, and only questions and labels someone used"])
