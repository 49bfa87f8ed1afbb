"""Intervals computed for every resample at once equal the one-resample-at-a-time loop of
the same draws, each resample's figure from the reference implementations (the
``krippendorff`` package's alpha, Cohen's kappa, weighted kappa, a ratio of sums)."""

import numpy as np
import pytest

from annotator.agreement import resampled
from annotator.agreement.bootstrap import percentile_interval
from annotator.agreement.coding import _kappa, matrix_alpha
from annotator.agreement.kappas import linear_weights, weighted_kappa
from annotator.agreement.resampled import (alpha_interval, kappa_interval, ratio_interval, resample_counts,
                                           weighted_kappa_interval)

SAMPLES = 200


def _close(fast, slow):
    assert fast.samples == slow.samples and fast.note == slow.note
    assert fast.low == pytest.approx(slow.low, abs=1e-9) and fast.high == pytest.approx(slow.high, abs=1e-9)


def _coded_matrix(rng, units=60, coders=4, values=5):
    """Units × coders of value indices, some missing (-1), coders agreeing more than chance."""
    truth = rng.integers(0, values, size=units)
    matrix = np.where(rng.random((units, coders)) < 0.7, truth[:, None], rng.integers(0, values, (units, coders)))
    matrix[rng.random((units, coders)) < 0.25] = -1
    return matrix.astype(np.int16)


def test_the_draws_are_those_of_the_loop():
    counts = resample_counts(37, 50, seed=3)
    rng = np.random.default_rng(3)
    for row in counts:
        assert (row == np.bincount(rng.integers(0, 37, size=37), minlength=37)).all()
    assert counts.sum(axis=1).tolist() == [37] * 50


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
def test_alpha_interval_equals_the_loop_over_the_krippendorff_package(level):
    rng = np.random.default_rng(11)
    matrix = _coded_matrix(rng)
    numbers = [1.0, 2.0, 4.0, 8.0, 9.0] if level in ("interval", "ratio") else None
    values = ["a", "b", "c", "d", "e"]
    pairable = matrix[(matrix >= 0).sum(axis=1) >= 2]
    slow = percentile_interval(lambda p: matrix_alpha(pairable[p], values, level, numbers).alpha, len(pairable),
                               SAMPLES, seed=5)
    _close(alpha_interval(matrix, len(values), level, numbers, SAMPLES, seed=5), slow)
    assert slow.low < matrix_alpha(matrix, values, level, numbers).alpha < slow.high


def test_alpha_interval_counts_undefined_resamples_as_the_loop_does():
    matrix = np.array([[0, 0]] * 8 + [[0, 1]], dtype=np.int16)  # most resamples hold only value 0
    slow = percentile_interval(lambda p: matrix_alpha(matrix[p], ["x", "y"], "nominal").alpha, len(matrix), SAMPLES, 2)
    _close(alpha_interval(matrix, 2, "nominal", None, SAMPLES, 2), slow)


def test_kappa_intervals_equal_the_loop():
    rng = np.random.default_rng(4)
    x = rng.integers(0, 4, size=80)
    y = np.where(rng.random(80) < 0.6, x, rng.integers(0, 4, size=80))
    _close(kappa_interval(x, y, 4, SAMPLES, 9), percentile_interval(lambda p: _kappa(x[p], y[p], 4).kappa, 80, SAMPLES, 9))
    weights = linear_weights([1.0, 2.0, 3.0, 5.0])
    _close(weighted_kappa_interval(x, y, weights, SAMPLES, 9),
           percentile_interval(lambda p: weighted_kappa(x[p], y[p], weights).kappa, 80, SAMPLES, 9))


def test_ratio_interval_equals_the_loop():
    rng = np.random.default_rng(8)
    matched = rng.integers(0, 4, size=30).astype(float)
    tags = matched * 2 + rng.integers(0, 3, size=30)

    def f1(p):
        total = tags[p].sum()
        return 2 * matched[p].sum() / total if total else None

    _close(ratio_interval(matched, tags, 2.0, SAMPLES, 1), percentile_interval(f1, 30, SAMPLES, 1))


def test_unitizing_intervals_equal_the_loop():
    from annotator.agreement.unitizing import study_sums

    rng = np.random.default_rng(21)
    lengths = {f"a{i}": int(rng.integers(200, 600)) for i in range(25)}
    readers = {a: ["ann", "bob", "cy"][: int(rng.integers(2, 4))] for a in lengths}
    spans = {}
    for article, length in lengths.items():
        starts = sorted(rng.choice(length - 20, size=4, replace=False))
        for coder in readers[article]:
            for label in ("kremlin", "neutral"):
                spans[(article, coder, label)] = [(int(s) + int(rng.integers(0, 3)), int(s) + 8 + int(rng.integers(0, 6)))
                                                  for s in starts if rng.random() < 0.6]
    sums = study_sums(lengths, readers, spans, ["kremlin", "neutral"])
    _unitizing_like_the_loop([sums["kremlin"], sums["neutral"]], len(lengths), 4)


def _unitizing_like_the_loop(per_label, articles: int, seed: int) -> None:
    """unitizing_intervals gives the intervals of the loop over the reference figures."""
    from annotator.agreement.resampled import unitizing_intervals
    from annotator.agreement.unitizing import label_alpha, pooled_alpha

    overall, each = unitizing_intervals(per_label, articles, SAMPLES, seed)
    _close(overall, percentile_interval(lambda p: pooled_alpha(per_label, p).alpha, articles, SAMPLES, seed))
    for label_sums_, interval in zip(per_label, each):
        _close(interval, percentile_interval(lambda p: label_alpha(label_sums_, p).alpha, articles, SAMPLES, seed))


def test_unitizing_intervals_equal_the_loop_when_units_outgrow_every_gap():
    from annotator.agreement.unitizing import study_sums

    lengths = {f"a{i}": 30 for i in range(12)}
    readers = {a: ["ann", "bob"] for a in lengths}
    spans = {}
    for i, article in enumerate(lengths):
        spans[(article, "ann", "long")] = [(2, 28)]  # longer than any gap of any coder
        spans[(article, "bob", "long")] = [(1 + i % 3, 27 - i % 2)]
        if i % 4 == 0:
            spans[(article, "ann", "rare")] = [(5, 9 + i % 3)]  # most articles: nobody's unit of this label
    sums = study_sums(lengths, readers, spans, ["long", "rare"])
    _unitizing_like_the_loop([sums["long"], sums["rare"]], len(lengths), 2)


@pytest.mark.parametrize("cache_bytes", [64 << 20, 1000])  # kept whole, or made block by block
def test_the_counts_made_block_by_block_are_the_same_draws(monkeypatch, cache_bytes):
    monkeypatch.setattr(resampled, "CACHE_BYTES", cache_bytes)
    monkeypatch.setattr(resampled, "DRAW_BLOCK", 100)  # several draws per block of resamples
    monkeypatch.setattr(resampled, "_cache", {})
    rng = np.random.default_rng(5)
    loop = [np.bincount(rng.integers(0, 41, size=41), minlength=41) for _ in range(30)]
    for rows in (1, 7, 30, None):
        blocks = list(resampled.resample_blocks(41, 30, seed=5, rows=rows))
        assert [first for first, _ in blocks] == list(range(0, 30, rows or 30))
        assert (np.concatenate([b for _, b in blocks]) == np.array(loop)).all()
    assert bool(resampled._cache) == (cache_bytes > 1000)  # a small matrix is kept for the next figure
