"""Agreement figures of every bootstrap resample at once.

A resample draws ``units`` unit indices with replacement; a figure that is a function of
sums over units (alpha of its coincidences, kappa of its agreement and marginals, F1 of
its matched and tagged spans) is then a function of ``counts @ columns``, where
``counts[s, u]`` is how often unit ``u`` was drawn in resample ``s`` and ``columns[u]`` is
the unit's share of the sums. The draws are exactly those of
:func:`.bootstrap.percentile_interval` with the same seed, so each interval is the same
as resampling one by one, for a matrix product instead of a loop of ``samples`` figures.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from .bootstrap import LEVEL, MIN_UNITS, NONE, SAMPLES, SEED, Interval, interval_of

DRAW_BLOCK = 1_000_000  # unit indices drawn at a time (memory: 8 bytes each, and as much to count them)
CACHE_BYTES = 64 << 20  # the resample counts kept for reuse (same units, samples and seed)
_cache: dict[tuple[int, int, int], Any] = {}


def resample_counts(units: int, samples: int = SAMPLES, seed: int = SEED) -> Any:
    """``samples`` × ``units`` (uint16): how often each unit is drawn in each resample."""
    import numpy as np

    blocks = [block for _, block in resample_blocks(units, samples, seed)]
    return np.concatenate(blocks) if blocks else np.zeros((0, units), dtype=np.uint16)


def resample_blocks(units: int, samples: int = SAMPLES, seed: int = SEED, rows: int | None = None) -> Iterator[tuple[int, Any]]:
    """The rows of :func:`resample_counts` a block at a time (at most ``rows`` resamples):
    (first resample, counts). Counts that fit in :data:`CACHE_BYTES` are made once and kept
    for the next figure of the same units; larger ones are made block by block as they are
    used, never held whole (38,000 units × 1,000 resamples would be 77 MB). The draws are the
    same either way: one generator, drawn in order (how many rows a call draws does not
    change the stream)."""
    import numpy as np

    key = (units, samples, seed)
    whole = samples * units * 2 <= CACHE_BYTES
    rows = max(1, min(rows or samples, samples))
    if whole and key in _cache:
        counts = _cache[key]
        yield from ((first, counts[first:first + rows]) for first in range(0, samples, rows))
        return
    rng = np.random.default_rng(seed)
    per_draw = max(1, DRAW_BLOCK // max(units, 1))
    made = []
    for first in range(0, samples, rows):
        wanted = min(rows, samples - first)
        block = np.empty((wanted, units), dtype=np.uint16)
        for at in range(0, wanted, per_draw):
            count = min(per_draw, wanted - at)
            draws = rng.integers(0, units, size=(count, units))
            draws += np.arange(count, dtype=draws.dtype)[:, None] * units
            block[at:at + count] = np.bincount(draws.ravel(), minlength=count * units).reshape(count, units)
        if whole:
            made.append(block)
        yield first, block
    if whole and sum(len(b) for b in made) == samples:  # (drawn to the end: the caller did not stop early)
        if sum(c.nbytes for c in _cache.values()) + samples * units * 2 > CACHE_BYTES:
            _cache.clear()
        _cache[key] = np.concatenate(made) if len(made) > 1 else made[0]


def resampled_interval(statistic: Callable[[Any], Any], columns: Any, samples: int = SAMPLES, seed: int = SEED,
                       level: float = LEVEL) -> Interval:
    """The percentile interval of ``statistic(sums)`` where ``sums[s]`` is the sum of
    ``columns`` (units × k) over resample ``s``; ``statistic`` returns one figure per resample
    (NaN where undefined)."""
    import numpy as np

    units = len(columns)
    if samples <= 0:
        return NONE
    if units < MIN_UNITS:
        return Interval(None, None, 0, "no interval: fewer than two units")
    columns = np.asarray(columns, dtype=np.float64).reshape(units, -1)
    step = max(1, (8 << 20) // (8 * units))  # resamples at a time, converted to float64
    sums = np.concatenate([block.astype(np.float64) @ columns
                           for _, block in resample_blocks(units, samples, seed, step)])
    return interval_of(statistic(sums), samples, level)


def _one_hot(values: Any, size: int) -> Any:
    import numpy as np

    out = np.zeros((len(values), size))
    out[np.arange(len(values)), values] = 1.0
    return out


def kappa_interval(x: Any, y: Any, n_values: int, samples: int = SAMPLES, seed: int = SEED) -> Interval:
    """Cohen's kappa of value indices ``x``, ``y`` (one per unit), over every resample."""
    import numpy as np

    n = len(x)
    columns = np.hstack([(x == y)[:, None].astype(float), _one_hot(x, n_values), _one_hot(y, n_values)])

    def kappa(sums: Any) -> Any:
        observed = sums[:, 0] / n
        expected = (sums[:, 1:1 + n_values] * sums[:, 1 + n_values:]).sum(axis=1) / (n * n)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(expected >= 1.0 - 1e-12, np.nan, (observed - expected) / (1 - expected))

    return resampled_interval(kappa, columns, samples, seed)


def weighted_kappa_interval(x: Any, y: Any, weights: Any, samples: int = SAMPLES, seed: int = SEED) -> Interval:
    """Weighted kappa (disagreement ``weights[i][j]``) of value indices ``x``, ``y``, over every resample."""
    import numpy as np

    w = np.asarray(weights, dtype=float)
    size = len(w)
    columns = _one_hot(np.asarray(x) * size + np.asarray(y), size * size)

    def kappa(sums: Any) -> Any:
        table = sums.reshape(len(sums), size, size) / len(x)
        observed = (table * w).sum(axis=(1, 2))
        expected = np.einsum("si,ij,sj->s", table.sum(axis=2), w, table.sum(axis=1))
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(expected <= 1e-12, np.nan, 1 - observed / expected)

    return resampled_interval(kappa, columns, samples, seed)


def alpha_interval(matrix: Any, n_values: int, level: str, numbers: Sequence[float] | None = None,
                   samples: int = SAMPLES, seed: int = SEED) -> Interval:
    """Krippendorff's alpha of a units × coders matrix of value indices (-1: not coded) at
    ``level`` (nominal, ordinal, interval, ratio), over every resample of its pairable units.
    The figure is the ``krippendorff`` package's for each resample (its coincidences, random
    coincidences and distances), summed from each unit's coincidences."""
    import numpy as np

    counts = np.stack([(matrix == v).sum(axis=1) for v in range(n_values)], axis=1).astype(float)
    paired = counts.sum(axis=1)
    counts, paired = counts[paired >= 2], paired[paired >= 2]
    coincidences = (counts[:, :, None] * counts[:, None, :] - counts[:, :, None] * np.eye(n_values)) \
        / (paired - 1)[:, None, None]
    value = np.asarray(numbers if numbers is not None else range(1, n_values + 1), dtype=float)
    fixed = None
    if level == "nominal":
        fixed = 1.0 - np.eye(n_values)
    elif level == "interval":
        fixed = (value[:, None] - value[None, :]) ** 2
    elif level == "ratio":
        with np.errstate(divide="ignore", invalid="ignore"):
            fixed = np.nan_to_num(((value[:, None] - value[None, :]) / (value[:, None] + value[None, :])) ** 2)

    def alpha(sums: Any) -> Any:
        o = sums.reshape(len(sums), n_values, n_values)
        n_v = o.sum(axis=1)
        n = n_v.sum(axis=1)
        if fixed is not None:
            distance = np.broadcast_to(fixed, o.shape)
        else:  # ordinal: the values between the two, by the resample's own marginals
            low = np.minimum.outer(np.arange(n_values), np.arange(n_values))
            high = np.maximum.outer(np.arange(n_values), np.arange(n_values))
            running = np.concatenate([np.zeros((len(sums), 1)), np.cumsum(n_v, axis=1)], axis=1)
            between = running[:, high + 1] - running[:, low]
            distance = (between - (n_v[:, :, None] + n_v[:, None, :]) / 2) ** 2
        observed = (o * distance).sum(axis=(1, 2))
        expected = (n_v[:, :, None] * n_v[:, None, :] * distance).sum(axis=(1, 2))
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(expected <= 0, np.nan, 1 - (n - 1) * observed / expected)

    return resampled_interval(alpha, coincidences.reshape(len(counts), -1), samples, seed)


def ratio_interval(numerator: Any, denominator: Any, scale: float = 1.0, samples: int = SAMPLES,
                   seed: int = SEED) -> Interval:
    """``scale · Σ numerator / Σ denominator`` over every resample (undefined where the denominator is 0)."""
    import numpy as np

    def ratio(sums: Any) -> Any:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(sums[:, 1] > 0, scale * sums[:, 0] / sums[:, 1], np.nan)

    return resampled_interval(ratio, np.column_stack([numerator, denominator]), samples, seed)


def _suffix_sums(values: Any, bounds: Any) -> Any:
    """For each row of ``values`` (resamples × sorted gaps) and each of ``bounds`` (ascending
    positions, at most the gaps' count), the sum of the row from that position on."""
    import numpy as np

    out = np.zeros((len(values), len(bounds)))
    inside = bounds[bounds < values.shape[1]]
    if len(inside):
        segments = np.add.reduceat(values, inside, axis=1)  # from each bound to the next
        out[:, :len(inside)] = np.cumsum(segments[:, ::-1], axis=1)[:, ::-1]
    return out


def _resampled_disagreements(flat: dict[str, Any], weight: Any) -> tuple[Any, Any, Any, Any]:
    """(D_o, D_e, defined, units) of one label for each row of ``weight`` (resamples ×
    articles): :func:`.unitizing.disagreements` and its unit count, for many resamples at once."""
    import numpy as np

    length, read = weight @ flat["length"], weight @ flat["read"]
    units_drawn = weight @ flat["sizes"]
    defined = length > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        observed = np.where(defined, (weight @ flat["observed"]) / (read * length), 0.0)
        units, unit_weight = flat["units"], weight[:, flat["unit_article"]]
        gaps, gap_weight = flat["gaps"], weight[:, flat["gap_article"]]
        # the sums over the gaps from each unit's first long-enough gap on, taken only where a
        # unit's first gap is (sums of whole numbers: exact, as the running sums of disagreements())
        bounds, slot = flat["bounds"], flat["slot"]
        room = _suffix_sums(gap_weight * gaps, bounds)[:, slot] - (units - 1) * _suffix_sums(gap_weight, bounds)[:, slot]
        numerator = (unit_weight * ((units_drawn - 1)[:, None] * flat["cubic"] + flat["square"] * room)).sum(axis=1)
        denominator = read * (read - 1) - unit_weight @ flat["pairs"]
        expected = np.where((units_drawn == 0) | (denominator <= 0) | ~defined, 0.0, 2 / length * numerator / denominator)
    return observed, expected, defined, units_drawn


def unitizing_intervals(per_label: Sequence[Any], articles: int, samples: int = SAMPLES, seed: int = SEED
                        ) -> tuple[Interval, list[Interval]]:
    """Bootstrap intervals of u-alpha over the labels' sums (:class:`.unitizing.LabelSums` of
    the same articles) and of each label's cu-alpha, resampling the articles: the figures of
    :func:`.unitizing.pooled_alpha` and :func:`.unitizing.label_alpha` for every resample."""
    import numpy as np

    from .unitizing import _flat

    if samples <= 0:
        return NONE, [NONE] * len(per_label)
    if articles < MIN_UNITS:
        few = Interval(None, None, 0, "no interval: fewer than two units")
        return few, [few] * len(per_label)
    flats = [_flat(sums) if sums.length else None for sums in per_label]
    size = max([len(f["units"]) + len(f["gaps"]) for f in flats if f is not None] + [1])
    step = max(1, (16 << 20) // (8 * size * 4))  # resamples at a time: a few arrays of resamples × spans
    pooled, labels = [], [[] for _ in per_label]
    for _, block in resample_blocks(articles, samples, seed, step):
        weight = block.astype(np.float64)
        observed_all, expected_all = np.zeros(len(weight)), np.zeros(len(weight))
        any_defined, units_all = np.zeros(len(weight), dtype=bool), np.zeros(len(weight))
        for number, flat in enumerate(flats):
            if flat is None:
                labels[number].append(np.full(len(weight), np.nan))
                continue
            observed, expected, defined, units = _resampled_disagreements(flat, weight)
            observed_all += np.where(defined, observed, 0.0)
            expected_all += np.where(defined, expected, 0.0)
            any_defined |= defined
            units_all += units
            with np.errstate(divide="ignore", invalid="ignore"):
                labels[number].append(np.where(defined & (units > 0) & (expected > 0), 1 - observed / expected, np.nan))
        with np.errstate(divide="ignore", invalid="ignore"):
            pooled.append(np.where(any_defined & (units_all > 0) & (expected_all > 0),
                                   1 - observed_all / expected_all, np.nan))
    return (interval_of(np.concatenate(pooled), samples),
            [interval_of(np.concatenate(figures), samples) for figures in labels])
