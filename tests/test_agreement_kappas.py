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
