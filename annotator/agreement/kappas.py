"""Fleiss' kappa (three or more annotators, nominal answers) and weighted Cohen's kappa
(two annotators, ordered answers).

Fleiss, J. L. (1971), "Measuring nominal scale agreement among many raters",
Psychological Bulletin 76(5): 378-382. Every unit must be rated by the same number of
raters, so only the articles every compared annotator answered count.

Cohen, J. (1968), "Weighted kappa", Psychological Bulletin 70(4): 213-220:
``1 - sum(w · observed) / sum(w · expected)`` over the two annotators' cross table, with
disagreement weights ``w`` (0 on the diagonal). For ordinal questions the weights are
linear in the ranks, ``|i - j| / (k - 1)``; for interval and ratio questions linear in the
label values.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from ..readouts.tables import Column, ResultTable
from .coding import MIN_UNITS, Item

MIN_RATERS = 3  # with two, Cohen's kappa per pair says it


@dataclass(frozen=True)
class FleissResult:
    kappa: float | None
    units: int
    raters: int
    observed: float | None  # P-bar: mean agreement within units
    expected: float | None  # P-bar-e: chance agreement from the overall shares
    note: str = ""


def fleiss_kappa(counts: Any) -> FleissResult:
    """Fleiss' kappa of a units × categories table of how many raters chose each category
    (every row must sum to the same number of raters)."""
    import numpy as np

    table = np.asarray(counts, dtype=float)
    if table.ndim != 2 or table.shape[0] == 0:
        return FleissResult(None, 0, 0, None, None, "too little data: no unit")
    raters = table.sum(axis=1)
    if not np.all(raters == raters[0]):
        raise ValueError("every unit must be rated by the same number of raters")
    n, units = float(raters[0]), table.shape[0]
    if n < 2:
        return FleissResult(None, units, int(n), None, None, "too little data: fewer than two raters per unit")
    agreement = ((table * (table - 1)).sum(axis=1) / (n * (n - 1))).mean()
    shares = table.sum(axis=0) / (units * n)
    chance = float((shares ** 2).sum())
    if units < MIN_UNITS:
        return FleissResult(None, units, int(n), float(agreement), chance,
                            f"too little data: {units} unit (kappa needs {MIN_UNITS})")
    if chance >= 1 - 1e-12:
        return FleissResult(None, units, int(n), float(agreement), chance, "undefined: every rater gave one value")
    return FleissResult((agreement - chance) / (1 - chance), units, int(n), float(agreement), chance)


def weighted_kappa(x: Sequence[int], y: Sequence[int], weights: Any) -> FleissResult:
    """Weighted kappa of two coders' value indices on the same units (``x[i]``, ``y[i]``)
    with a disagreement weight matrix (``weights[i][j]``, 0 where the values agree).
    ``observed`` and ``expected`` are the weighted disagreements."""
    import numpy as np

    w = np.asarray(weights, dtype=float)
    n = len(x)
    if n < MIN_UNITS:
        return FleissResult(None, n, 2, None, None, f"too little data: {n} article coded by both (kappa needs {MIN_UNITS})")
    table = np.zeros(w.shape)
    np.add.at(table, (np.asarray(x), np.asarray(y)), 1)
    table /= n
    observed = float((w * table).sum())
    expected = float((w * np.outer(table.sum(axis=1), table.sum(axis=0))).sum())
    if expected <= 1e-12:
        return FleissResult(None, n, 2, observed, expected, "undefined: both gave one value throughout")
    return FleissResult(1 - observed / expected, n, 2, observed, expected)


def linear_weights(numbers: Sequence[float]) -> Any:
    """Disagreement weights ``|v_i - v_j| / (max - min)`` between values."""
    import numpy as np

    v = np.asarray(numbers, dtype=float)
    spread = float(v.max() - v.min()) if len(v) else 0.0
    return np.abs(v[:, None] - v[None, :]) / (spread or 1.0)


def fleiss_items(found: Iterable[Item]) -> Iterator[Item]:
    """The single-answer questions of ``found`` that three or more annotators coded."""
    return (item for item in found if item.kind == "answer" and len(item.coders) >= MIN_RATERS)


def fleiss_table(found: Iterable[Item], samples: int = 0, seed: int = 1) -> ResultTable | None:
    """Fleiss' kappa per single-answer question coded by three or more annotators, with a
    bootstrap interval over the articles (None when no question was)."""
    import numpy as np

    from .bootstrap import NONE, interval_columns, percentile_interval

    rows = []
    for item in fleiss_items(found):
        full = item.matrix[(item.matrix >= 0).all(axis=1)]
        counts = (np.stack([(full == v).sum(axis=1) for v in range(len(item.values))], axis=1) if len(full)
                  else np.zeros((0, len(item.values))))
        r = fleiss_kappa(counts)
        ci = (percentile_interval(lambda p, c=counts: fleiss_kappa(c[p]).kappa, len(counts), samples, seed)
              if samples and r.kappa is not None else NONE)
        rows.append((item.name, item.title or item.name, r.kappa, *ci.cells, r.units, len(item.coders),
                     r.observed, r.expected, "; ".join(n for n in (r.note, ci.note) if n)))
    if not rows:
        return None
    return ResultTable("fleiss", "Fleiss' kappa (three or more annotators)", [
        Column("item", "item id", on_screen=False), Column("item_name", "question"),
        Column("kappa", "kappa", "float", 3), *interval_columns(), Column("units", "units", "int"),
        Column("raters", "raters", "int"), Column("observed", "agree", "share"),
        Column("expected", "chance", "share", optional=2), Column("note", "note")], rows,
        ["units = articles every one of the annotators answered (Fleiss' kappa needs the same raters per unit); "
         "nominal answers; 95% interval: bootstrap over those articles"])
