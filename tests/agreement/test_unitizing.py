"""Krippendorff's unitizing alpha against the published worked examples, with the values and
tolerances DKPro Statistics' unitizing tests assert (dkpro-statistics, Apache-2.0:
TestAlphaUnitizedAgreement / StudyFactory, unitizing/Krippendorff2004Test,
Krippendorff1995Test, UnitizingAgreementTest)."""

from __future__ import annotations

import pytest

from annotator.agreement.unitizing import ArticleUnits, cu_alpha, distance, merged, u_alpha


def krippendorff_2004() -> dict[str, list[ArticleUnits]]:
    """Krippendorff (2004: p. 254): two coders, a continuum from 150 to 450 (here 0 to 300),
    categories c and k; spans as (offset, length)."""
    def spans(pairs):
        return [(offset - 150, offset - 150 + length) for offset, length in pairs]
    return {
        "c": [ArticleUnits(300, {"i": spans([(225, 70), (370, 30)]), "j": spans([(220, 80), (355, 20), (400, 20)])})],
        "k": [ArticleUnits(300, {"i": spans([(180, 60), (300, 50)]), "j": spans([(180, 60), (300, 50)])})],
    }


def test_krippendorff_2004_observed_expected_and_alpha():
    joint, per_label = u_alpha(krippendorff_2004())
    c, k = per_label["c"], per_label["k"]
    assert c.observed == pytest.approx(0.0144, abs=0.0001)
    assert c.expected == pytest.approx(0.0532, abs=0.0001)
    assert c.alpha == pytest.approx(0.7286, abs=0.0001)
    assert k.observed == 0.0
    assert k.expected == pytest.approx(0.0490, abs=0.0001)
    assert k.alpha == pytest.approx(1.0, abs=0.0001)
    assert joint.alpha == pytest.approx(0.8587, abs=0.0001)  # 0.8591 in the book, from rounded figures
    assert (joint.articles, joint.units) == (1, 9)


def test_krippendorff_2004_distances():
    # (offset, length, tagged) pairs as in the book's table, as (start, end, tagged)
    def seg(offset, length, tagged):
        return offset, offset + length, tagged
    assert distance(seg(225, 70, True), seg(220, 80, True)) == 50
    assert distance(seg(370, 30, True), seg(355, 20, True)) == 850
    assert distance(seg(400, 50, False), seg(400, 20, True)) == 400
    assert [distance(seg(5, 6, True), seg(start, length, True)) for start, length in
            [(4, 2), (5, 2), (6, 2), (7, 2), (6, 4), (5, 6)]] == [26, 16, 10, 8, 2, 0]
    assert distance(seg(1, 8, True), seg(2, 1, True)) == 37
    assert distance(seg(0, 2, True), seg(5, 2, True)) == 0  # no character in common
    assert distance(seg(1, 8, True), seg(0, 2, False)) == 0  # a span not inside the gap


def krippendorff_1995(stretch: float) -> dict[str, ArticleUnits]:
    """Krippendorff (1995: p. 57): four pairs of coders over 24 positions, stretched."""
    def unit(offset, length):
        return int(offset * stretch), int(offset * stretch) + int(length * stretch)
    length = int(24 * stretch)
    return {
        "A": ArticleUnits(length, {"0": [unit(2, 8), unit(14, 6)], "1": [unit(4, 4), unit(15, 2)]}),
        "B": ArticleUnits(length, {"0": [unit(0, 18)], "1": [unit(0, 2), unit(2, 1), unit(3, 1), unit(4, 1),
                                                             unit(5, 1), unit(6, 3), unit(9, 1)]}),
        "C": ArticleUnits(length, {"0": [unit(2, 6), unit(10, 2), unit(14, 4), unit(20, 2)],
                                   "1": [unit(0, 2), unit(4, 4), unit(10, 4), unit(16, 2), unit(20, 2)]}),
        "D": ArticleUnits(length, {"0": [unit(0, 2), unit(2, 8), unit(10, 4), unit(14, 6), unit(20, 4)],
                                   "1": [unit(0, 4), unit(4, 4), unit(8, 7), unit(15, 2), unit(17, 7)]}),
    }


def test_krippendorff_1995_observed_disagreements():
    study = krippendorff_1995(1)
    observed = {name: cu_alpha([units]).observed for name, units in study.items()}
    assert observed == pytest.approx({"A": 0.03125, "B": 2.26736, "C": 0.02777, "D": 0.38715}, abs=0.00001)


def test_krippendorff_1995_expected_disagreements_and_alpha():
    study = krippendorff_1995(1200000 / 24)
    results = {name: cu_alpha([units]) for name, units in study.items()}
    expected = {"A": 0.06990, "B": 1.17731, "C": 0.08642, "D": 0.41445}
    alpha = {"A": 0.553, "B": -0.926, "C": 0.679, "D": 0.066}
    for name, result in results.items():
        assert result.expected == pytest.approx(expected[name], abs=0.005), name
        assert result.alpha == pytest.approx(alpha[name], abs=0.02), name
    short = cu_alpha([krippendorff_1995(12 / 24)["C"]])  # the continuum shrunk to 12 positions
    assert short.expected == pytest.approx(0.05494, abs=0.00001)
    assert short.alpha == pytest.approx(0.494, abs=0.02)


def test_one_long_span_against_three_short_ones():
    # r0: -11111111-   r1: --1-1-1---
    result = cu_alpha([ArticleUnits(10, {"r0": [(1, 9)], "r1": [(2, 3), (4, 5), (6, 7)]})])
    assert result.observed == pytest.approx(0.9100, abs=0.0001)
    assert result.expected == pytest.approx(0.5351, abs=0.0001)
    assert result.alpha == pytest.approx(-0.7003, abs=0.0001)


def test_identical_spans_in_several_articles_agree_perfectly_and_nothing_gives_no_number():
    same = [ArticleUnits(40, {"a": [(3, 9)], "b": [(3, 9)]}), ArticleUnits(25, {"a": [], "b": []})]
    assert cu_alpha(same).alpha == 1.0
    nothing = cu_alpha([ArticleUnits(40, {"a": [], "b": []})])
    assert nothing.alpha is None and "nobody tagged" in nothing.note
    alone = cu_alpha([ArticleUnits(40, {"a": [(3, 9)]})])  # one coder: nothing to compare
    assert alone.alpha is None and "too little data" in alone.note


def test_a_missed_span_lowers_alpha_and_overlapping_spans_are_merged():
    both = ArticleUnits(100, {"a": [(10, 20), (50, 60)], "b": [(10, 20), (50, 60)]})
    missed = ArticleUnits(100, {"a": [(10, 20), (50, 60)], "b": [(10, 20)]})
    assert cu_alpha([missed]).alpha < cu_alpha([both]).alpha == 1.0
    assert merged([(5, 9), (0, 6), (20, 30), (28, 40), (90, 120)], 100) == [(0, 9), (20, 40), (90, 100)]


def test_coders_missing_on_some_articles_weigh_like_missing_values():
    """With every coder on every article the pooled formula is Krippendorff's; an article
    read by only one coder changes nothing."""
    articles = [ArticleUnits(60, {"a": [(5, 15)], "b": [(6, 15)], "c": [(5, 15)]}),
                ArticleUnits(80, {"a": [(30, 50)], "b": [(30, 50)], "c": [(35, 50)]})]
    alone = ArticleUnits(70, {"a": [(1, 9)]})
    assert cu_alpha(articles + [alone]) == cu_alpha(articles)
    assert 0 < cu_alpha(articles).alpha < 1
