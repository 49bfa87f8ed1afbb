"""Confidence intervals for agreement figures by resampling units (articles) with
replacement: a percentile bootstrap, reproducible with a seed.

Hayes, A. F. & Krippendorff, K. (2007), "Answering the call for a standard reliability
measure for coding data", Communication Methods and Measures 1(1): 77-89, bootstrap alpha
too; their algorithm resamples the pairs of values within units, this one resamples whole
units, so both how the coders agree and which units were drawn vary.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

SAMPLES = 1000
SEED = 1
LEVEL = 0.95
MIN_UNITS = 2  # with fewer units than this there is nothing to resample


@dataclass(frozen=True)
class Interval:
    low: float | None
    high: float | None
    samples: int  # resamples that gave a figure
    note: str = ""

    @property
    def text(self) -> str | None:
        """"0.612 to 0.931", for the screen (None without an interval)."""
        return None if self.low is None or self.high is None else f"{self.low:.3f} to {self.high:.3f}"

    @property
    def cells(self) -> tuple[float | None, float | None, str | None]:
        """The cells of :func:`interval_columns`."""
        return self.low, self.high, self.text


NONE = Interval(None, None, 0)


def interval_columns(prefix: str = "", title: str = "95% interval", optional: int = 1) -> list:
    """``ci_low`` and ``ci_high`` (numbers, for CSV and JSON) and the interval as text on
    screen, so that a narrow terminal never shows one bound without the other."""
    from ..readouts.tables import Column

    return [Column(f"{prefix}ci_low", f"{prefix}95% low", "float", 3, on_screen=False),
            Column(f"{prefix}ci_high", f"{prefix}95% high", "float", 3, on_screen=False),
            Column(f"{prefix}interval", title, optional=optional)]


def percentile_interval(statistic: Callable[[Sequence[int]], float | None], units: int, samples: int = SAMPLES,
                        seed: int = SEED, level: float = LEVEL) -> Interval:
    """The central ``level`` interval of ``statistic(picks)`` over ``samples`` resamples of
    ``units`` unit indices drawn with replacement. Resamples where the figure is undefined
    (every value the same, say) are left out and counted in the note."""
    import numpy as np

    if samples <= 0:
        return NONE
    if units < MIN_UNITS:
        return Interval(None, None, 0, "no interval: fewer than two units")
    rng = np.random.default_rng(seed)
    figures = [statistic(rng.integers(0, units, size=units).tolist()) for _ in range(samples)]
    return interval_of([math.nan if f is None else f for f in figures], samples, level)


def interval_of(figures: Sequence[float], samples: int, level: float = LEVEL) -> Interval:
    """The central ``level`` interval of the resamples' figures (NaN: no figure; left out and
    counted in the note)."""
    import numpy as np

    values = np.asarray(figures, dtype=float)
    kept = np.sort(values[~np.isnan(values)])
    count = len(kept)
    if count < samples / 2:
        return Interval(None, None, count, f"no interval: {samples - count} of {samples} resamples gave no figure")
    low, high = (_quantile(kept, q) for q in ((1 - level) / 2, 1 - (1 - level) / 2))
    note = f"{samples - count} of {samples} resamples gave no figure" if count < samples else ""
    return Interval(low, high, count, note)


def _quantile(ordered, q: float) -> float:
    """numpy.quantile's default (linear) of sorted values, without its overhead per call."""
    position = (len(ordered) - 1) * q
    below = int(position)
    above = min(below + 1, len(ordered) - 1)
    return float(ordered[below] + (ordered[above] - ordered[below]) * (position - below))
