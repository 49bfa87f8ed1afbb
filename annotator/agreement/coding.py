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
The codings are read in one streamed pass and held as one small integer matrix
(articles × annotators) per item at a time, so a million tags fit in memory.
"""

from __future__ import annotations

import itertools
from array import array
from collections import defaultdict
from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from ..codebook import Cardinality, Codebook, Kind, Order
from ..readouts.naming import Names
from ..store import Store, TagScope
from ..readouts.tables import Column, ResultTable

PRESENT, ABSENT = "present", "absent"
MISSING = -1
MIN_UNITS = 2  # alpha and kappa need two units coded by two annotators: with one, chance is the data itself


@dataclass
class Item:
    """One thing annotators agree or disagree on. ``matrix[unit, coder]`` is an index into
    ``values``, or -1 where that coder did not code that unit."""

    name: str  # the question's id, or "category/label"
    kind: str  # "answer", or "yes/no" (a label present or absent)
    level: str  # "nominal", "ordinal", "interval" or "ratio"
    values: list[str]  # the value domain, in order (matters for ordinal)
    matrix: Any  # numpy int8/int16 array, units × coders
    coders: list[str]
    title: str = ""  # in people's words: "Tone", "Term variants › Kremlin form"
    group: str = ""  # the question's or category's name
    label_title: str = ""  # a yes/no item's label name: "Kremlin form"
    numbers: list[float] | None = None  # interval and ratio: each value's number (the codebook's label values)
    span: bool = False  # a span label scored present/absent per article (position-blind: see agreement.spans)

    @property
    def used(self) -> bool:
        """False when nobody answered the question, or nobody ever used the label."""
        coded = self.matrix[self.matrix >= 0]
        if self.kind == "yes/no":
            return bool((coded == self.values.index(PRESENT)).any())
        return coded.size > 0


@dataclass(frozen=True)
class AlphaResult:
    alpha: float | None
    units: int  # units coded by at least two coders (the ones alpha uses)
    coders: int
    pairable_values: int
    observed: float | None  # share of agreeing coder pairs within units
    note: str = ""


def matrix_alpha(matrix: Any, values: Sequence[str], level: str, numbers: Sequence[float] | None = None) -> AlphaResult:
    """Alpha of a units × coders matrix of value indices (-1 = not coded). Interval and ratio
    distances are taken between ``numbers`` (each value's number; default its position + 1)."""
    import krippendorff
    import numpy as np

    coded = matrix >= 0
    per_unit = coded.sum(axis=1)
    pairable = per_unit >= 2
    if not pairable.any():
        return AlphaResult(None, 0, 0, 0, None,
                           f"too little data: {int((per_unit > 0).sum())} article(s), none coded by two annotators")
    rows = matrix[pairable]
    units = int(pairable.sum())
    counts = np.stack([(rows == v).sum(axis=1) for v in range(len(values))], axis=1).astype(float)
    m = per_unit[pairable].astype(float)
    observed = float((counts * (counts - 1)).sum() / (m * (m - 1)).sum())
    coders = int(coded[pairable].any(axis=0).sum())
    n_values = int(m.sum())
    used = [values[v] for v in range(len(values)) if counts[:, v].any()]
    if units < MIN_UNITS:  # one unit: its values are all the data, so expected = observed disagreement, alpha = 0
        return AlphaResult(None, units, coders, n_values, observed,
                           f"too little data: {units} article coded by two annotators (alpha needs {MIN_UNITS})")
    if len(used) < 2:
        return AlphaResult(None, units, coders, n_values, observed, f"undefined: every annotator gave {used[0]!r}")
    domain = None
    if level in ("interval", "ratio"):
        domain = np.asarray(numbers if numbers is not None else range(1, len(values) + 1), dtype=float)
    alpha = float(krippendorff.alpha(value_counts=counts, value_domain=domain, level_of_measurement=level))
    return AlphaResult(alpha, units, coders, n_values, observed)


def krippendorff_alpha(codings: dict[Hashable, dict[str, str]], values: Sequence[str], level: str,
                       numbers: Sequence[float] | None = None) -> AlphaResult:
    """Alpha of ``codings[unit][coder] = value`` over the value domain ``values`` (in order;
    ``numbers``: each value's number, for interval and ratio)."""
    matrix, _ = _matrix_from_codings(codings, values)
    return matrix_alpha(matrix, values, level, numbers)


def _matrix_from_codings(codings: dict[Hashable, dict[str, str]], values: Sequence[str]) -> tuple[Any, list[str]]:
    import numpy as np

    coders = sorted({coder for by_coder in codings.values() for coder in by_coder})
    matrix = np.full((len(codings), len(coders)), MISSING, dtype=np.int16)
    column = {c: i for i, c in enumerate(coders)}
    index = {v: i for i, v in enumerate(values)}
    for row, by_coder in enumerate(codings.values()):
        for coder, value in by_coder.items():
            matrix[row, column[coder]] = index[value]
    return matrix, coders


@dataclass(frozen=True)
class KappaResult:
    kappa: float | None
    units: int
    observed: float | None
    note: str = ""


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> KappaResult:
    """Cohen's kappa of two coders' values on the same units (``a[i]``, ``b[i]`` on unit ``i``)."""
    import numpy as np

    codes = {v: i for i, v in enumerate(sorted(set(a) | set(b), key=str))}
    return _kappa(np.array([codes[v] for v in a], dtype=np.int64), np.array([codes[v] for v in b], dtype=np.int64),
                  len(codes))


def _kappa(x: Any, y: Any, n_values: int) -> KappaResult:
    import numpy as np

    n = len(x)
    if n == 0:
        return KappaResult(None, 0, None, "no unit coded by both")
    observed = float((x == y).mean())
    if n < MIN_UNITS:  # expected agreement is then the observed one (or 0 for 1): kappa would be 0 or undefined
        return KappaResult(None, n, observed, f"too little data: {n} article coded by both (kappa needs {MIN_UNITS})")
    expected = float((np.bincount(x, minlength=n_values) * np.bincount(y, minlength=n_values)).sum()) / (n * n)
    if expected >= 1.0 - 1e-12:
        return KappaResult(None, n, observed, "undefined: both gave one value throughout")
    return KappaResult((observed - expected) / (1 - expected), n, observed)


def item_kappas(item: Item) -> Iterator[tuple[str, str, KappaResult]]:
    """Cohen's kappa for every pair of coders who coded at least one unit in common."""
    for i, j in itertools.combinations(range(len(item.coders)), 2):
        both = (item.matrix[:, i] >= 0) & (item.matrix[:, j] >= 0)
        if both.any():
            yield item.coders[i], item.coders[j], _kappa(item.matrix[both, i].astype("int64"),
                                                          item.matrix[both, j].astype("int64"), len(item.values))


def items(store: Store, book: Codebook, scope: TagScope, questions_only: bool = False) -> Iterator[Item]:
    """Every agreement item of a codebook, with the codings in ``scope`` (one pass over them);
    ``questions_only``: only the article questions' (the span labels' need every coding read)."""
    import numpy as np

    questions = [c for c in book.categories if c.kind is Kind.article]
    spans = [] if questions_only else [c for c in book.categories if c.kind is Kind.span]
    articles: dict[str, int] = {}
    coders: dict[str, int] = {}
    # everything is remembered as (article row, coder column) pairs, packed in int64 arrays
    read = array("q")  # every unit with any annotation
    answered: dict[str, array] = defaultdict(lambda: array("q"))  # question -> units that answered it
    chosen: dict[tuple[str, str], array] = defaultdict(lambda: array("q"))  # (category, label) -> units
    wide = 1 << 20
    for article_id, annotator, category, label in store.iter_codings(
            scope, [c.id for c in questions] if questions_only else None):
        row = articles.setdefault(article_id, len(articles))
        key = row * wide + coders.setdefault(annotator, len(coders))
        read.append(key)
        answered[category].append(key)
        chosen[(category, label)].append(key)
    coder_names = sorted(coders, key=coders.get)
    shape = (len(articles), len(coder_names))

    def units_of(keys: array) -> tuple[Any, Any]:
        """(rows, columns) to index a matrix with; repeats are harmless."""
        packed = np.frombuffer(keys, dtype=np.int64) if len(keys) else np.zeros(0, dtype=np.int64)
        return packed // wide, packed % wide

    everyone = None  # the units of `read`, worked out once for all span labels

    names = Names(book)

    def yes_no(category: str, label: str, among: array, present: array, span: bool = False) -> Item:
        nonlocal everyone
        matrix = np.full(shape, MISSING, dtype=np.int8)
        if among is read:
            everyone = everyone if everyone is not None else units_of(read)
            matrix[everyone] = 0
        else:
            matrix[units_of(among)] = 0
        matrix[units_of(present)] = 1
        return Item(f"{category}/{label}", "yes/no", "nominal", [ABSENT, PRESENT], _coded_rows(matrix), coder_names,
                    names.full_label(category, label), names.category(category), names.label(category, label),
                    span=span)

    for question in questions:
        labels = [l.id for l in question.labels]
        if question.cardinality is Cardinality.single:
            matrix = np.full(shape, MISSING, dtype=np.int16)
            twice = np.zeros(shape, dtype=bool)
            for index, label in enumerate(labels):
                where = units_of(chosen.get((question.id, label), array("q")))
                twice[where] |= matrix[where] >= 0
                matrix[where] = index
            matrix[twice] = MISSING  # two answers to a single-answer question: not counted
            numbers = ([float(l.value) for l in question.labels if l.value is not None]
                       if question.order in (Order.interval, Order.ratio) else None)
            yield Item(question.id, "answer", question.order.value, labels, _coded_rows(matrix), coder_names,
                       question.name, question.name, numbers=numbers)
        else:
            for label in labels:
                yield yes_no(question.id, label, answered.get(question.id, array("q")),
                             chosen.get((question.id, label), array("q")))
    for category in spans:
        for label in category.labels:
            yield yes_no(category.id, label.id, read, chosen.get((category.id, label.id), array("q")), span=True)


def _coded_rows(matrix: Any) -> Any:
    """Only the units someone coded."""
    return matrix[(matrix >= 0).any(axis=1)]


def item_interval(item: Item, samples: int, seed: int) -> Any:
    """A bootstrap interval of an item's alpha, resampling its units (articles)."""
    from .resampled import alpha_interval

    return alpha_interval(item.matrix, len(item.values), item.level, item.numbers, samples, seed)


def agreement_tables(found: Iterator[Item], pairs: bool = True, span_presence: bool = False, samples: int = 0,
                     seed: int = 1) -> list[ResultTable]:
    """Krippendorff's alpha per item and, with ``pairs``, Cohen's kappa per pair of annotators.
    Span labels scored present/absent per article are left out unless ``span_presence``
    (the position-aware span figures are in :mod:`.spans`); with ``samples``, each alpha
    gets a 95% bootstrap interval."""
    from .bootstrap import NONE, interval_columns

    alpha_rows, kappa_rows, unused = [], [], []
    for item in found:
        title = item.title or item.name
        if item.span and not span_presence:
            continue
        if not item.used:
            unused.append(item)
            continue
        r = matrix_alpha(item.matrix, item.values, item.level, item.numbers)
        ci = item_interval(item, samples, seed) if samples and r.alpha is not None else NONE
        alpha_rows.append((item.name, title, "span present/absent" if item.span else item.kind, item.level, r.alpha,
                           *ci.cells, r.units, r.coders, r.pairable_values, r.observed,
                           "; ".join(n for n in (r.note, ci.note) if n)))
        if pairs:
            kappa_rows.extend((item.name, title, a, b, k.units, k.observed, k.kappa, *ci.cells, weighted,
                               *weighted_ci.cells, "; ".join(n for n in (k.note, ci.note) if n))
                              for a, b, k, ci, weighted, weighted_ci in _pair_rows(item, samples, seed))
    notes = ["units = articles coded by at least two annotators (the ones alpha uses); "
             "agree = share of agreeing annotator pairs within those articles",
             "alpha: 1 perfect, 0 no better than chance, below 0 systematic disagreement; "
             "0.667 is Krippendorff's lowest bar for tentative conclusions, 0.8 for firm ones"]
    if unused and not alpha_rows:
        notes.append("no question answered and no label used by anyone yet")
    elif unused:
        notes.append(f"left out, never answered or used by anyone: {_unused_list(unused)}")
    tables = [ResultTable("alpha", "Krippendorff's alpha",
                          [Column("item", "item id", on_screen=False), Column("item_name", "question or label"),
                           Column("kind", "kind", optional=3),
                           Column("level", "level"), Column("alpha", "alpha", "float", 3),
                           *interval_columns(),
                           Column("units", "units", "int"), Column("coders", "coders", "int"),
                           Column("values", "values", "int", optional=2), Column("observed", "agree", "share"),
                           Column("note", "note")], alpha_rows, notes)]
    if pairs:
        tables.append(ResultTable("kappa", "Cohen's kappa per pair of annotators",
                                  [Column("item", "item id", on_screen=False), Column("item_name", "question or label"),
                                   Column("annotator_a", "annotator"), Column("annotator_b", "with"), Column("units", "units", "int"),
                                   Column("observed", "agree", "share"), Column("kappa", "kappa", "float", 3),
                                   *interval_columns(),
                                   Column("weighted_kappa", "weighted kappa", "float", 3),
                                   *interval_columns("weighted_", "weighted 95% interval", 2),
                                   Column("note", "note")], kappa_rows,
                                  ["only pairs who coded at least one article in common are listed, "
                                   "and only questions and labels someone used",
                                   "weighted kappa (Cohen 1968), for ordinal, interval and ratio questions: "
                                   "disagreements weighted linearly by rank (ordinal) or by label value"]))
    return tables


def _pair_rows(item: Item, samples: int = 0, seed: int = 1) -> Iterator[tuple[str, str, KappaResult, Any, float | None,
                                                                              Any]]:
    """Cohen's kappa per pair (with a bootstrap interval over the articles both coded), and
    the linearly weighted kappa of ordered questions."""
    from .bootstrap import NONE
    from .kappas import linear_weights, weighted_kappa
    from .resampled import kappa_interval, weighted_kappa_interval

    weights = None
    if item.kind == "answer" and item.level != "nominal":
        weights = linear_weights(item.numbers if item.numbers else range(len(item.values)))
    for i, j in itertools.combinations(range(len(item.coders)), 2):
        both = (item.matrix[:, i] >= 0) & (item.matrix[:, j] >= 0)
        if not both.any():
            continue
        x, y = item.matrix[both, i].astype("int64"), item.matrix[both, j].astype("int64")
        weighted = weighted_kappa(x, y, weights).kappa if weights is not None else None
        weighted_ci = (weighted_kappa_interval(x, y, weights, samples, seed)
                       if samples and weighted is not None else NONE)
        kappa = _kappa(x, y, len(item.values))
        ci = kappa_interval(x, y, len(item.values), samples, seed) if samples and kappa.kappa is not None else NONE
        yield item.coders[i], item.coders[j], kappa, ci, weighted, weighted_ci


def _unused_list(unused: list[Item]) -> str:
    """The items nobody used, in people's words, grouped by question or category:
    "Tone; Generic frames: Economic · Morality; ..." (names may hold commas)."""
    groups: dict[str, list[str]] = {}
    for item in unused:
        group = item.group or item.name
        groups.setdefault(group, [])
        if item.label_title:
            groups[group].append(item.label_title)
    return "; ".join(f"{group}: {' · '.join(labels)}" if labels else group for group, labels in groups.items())
