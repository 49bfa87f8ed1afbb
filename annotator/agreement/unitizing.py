"""Krippendorff's unitizing alpha over the characters of articles.

Krippendorff, K. (1995), "On the reliability of unitizing contiguous data", Sociological
Methodology 25: 47-76; Krippendorff, K. (2004), *Content Analysis: An Introduction to Its
Methodology*, 2nd ed., Sage, section 12.6 (the worked example on p. 254).

For one label, each coder's reading of an article is cut into *segments*: the spans the
coder tagged with that label, and the gaps between them (a gap ends at the article's
edges, so no unit crosses from one article into another). Two segments of two coders
that share characters disagree by

* both tagged: ``(start_g - start_h)² + (end_g - end_h)²``;
* a tagged span lying wholly inside the other coder's gap: its length squared;
* otherwise 0.

**cu-alpha** (per label) is ``1 - D_o / D_e``: the observed disagreement over every pair of
coders against the disagreement expected when the same spans and gaps fall anywhere on
the continuum. **u-alpha** over a category's labels pools them: ``1 - sum(D_o) / sum(D_e)``,
the joint figure of Krippendorff (2004) as DKPro Statistics computes it.

Several articles form one continuum. Only articles read by two or more coders count, and
when an article was read by only some of the coders, each article's pair sums are divided
by (its coders - 1) and ``m·L`` becomes the characters read summed over coders, the way
alpha for coded units weighs units with missing values; with every coder on every article
this is exactly Krippendorff's formula. Spans a coder tagged twice or that overlap under
one label are merged into one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

Span = tuple[int, int]  # [start, end) in code points


@dataclass(frozen=True)
class ArticleUnits:
    """One article's spans of one label: ``spans[coder]`` (an empty list: the coder read the
    article and tagged nothing with the label)."""

    length: int
    spans: Mapping[str, Sequence[Span]]


@dataclass
class LabelSums:
    """The sums behind one label's cu-alpha, kept per article so articles can be resampled."""

    observed: list[float] = field(default_factory=list)  # per article: pair distances / (m_a - 1)
    length: list[int] = field(default_factory=list)  # L_a
    read: list[int] = field(default_factory=list)  # m_a · L_a
    units: list[list[int]] = field(default_factory=list)  # per article: lengths of the tagged spans, every coder
    gaps: list[list[int]] = field(default_factory=list)  # per article: lengths of the gaps, every coder
    _flat: dict[str, Any] | None = field(default=None, repr=False, compare=False)  # see _flat()


@dataclass(frozen=True)
class UnitizingResult:
    alpha: float | None
    observed: float | None  # D_o
    expected: float | None  # D_e
    articles: int  # articles read by two or more coders
    units: int  # tagged spans (all coders) in those articles
    note: str = ""


def merged(spans: Iterable[Span], length: int) -> list[Span]:
    """Spans clipped to the article and sorted, with overlapping ones merged."""
    out: list[list[int]] = []
    for start, end in sorted((max(0, s), min(length, e)) for s, e in spans):
        if end <= start:
            continue
        if out and start < out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(s, e) for s, e in out]


def segments(spans: Sequence[Span], length: int) -> list[tuple[int, int, bool]]:
    """A coder's reading of an article cut into (start, end, tagged) segments."""
    out, position = [], 0
    for start, end in spans:
        if start > position:
            out.append((position, start, False))
        out.append((start, end, True))
        position = end
    if position < length:
        out.append((position, length, False))
    return out


def distance(g: tuple[int, int, bool], h: tuple[int, int, bool]) -> int:
    """Krippendorff's (2004) disagreement of two coders' segments ``(start, end, tagged)``."""
    (gs, ge, g_tagged), (hs, he, h_tagged) = g, h
    if g_tagged and h_tagged:
        return (gs - hs) ** 2 + (ge - he) ** 2 if gs < he and hs < ge else 0
    if g_tagged and not h_tagged and hs <= gs and ge <= he:
        return (ge - gs) ** 2
    if h_tagged and not g_tagged and gs <= hs and he <= ge:
        return (he - hs) ** 2
    return 0


def _pair_distance(a: list[tuple[int, int, bool]], b: list[tuple[int, int, bool]]) -> int:
    """Sum of distances over every pair of segments of two coders that share characters
    (both lists cover the same article, in order)."""
    total, i, j = 0, 0, 0
    while i < len(a) and j < len(b):
        total += distance(a[i], b[j])
        if a[i][1] <= b[j][1]:
            i += 1
        else:
            j += 1
    return total


def label_sums(articles: Iterable[ArticleUnits]) -> LabelSums:
    """The per-article sums of one label (articles with fewer than two coders left out)."""
    sums = LabelSums()
    for article in articles:
        coders = sorted(article.spans)
        if len(coders) < 2 or article.length <= 0:
            continue
        cut = {c: segments(merged(article.spans[c], article.length), article.length) for c in coders}
        pairs = sum(_pair_distance(cut[a], cut[b]) for i, a in enumerate(coders) for b in coders[i + 1:])
        sums.observed.append(2 * pairs / (len(coders) - 1))
        sums.length.append(article.length)
        sums.read.append(len(coders) * article.length)
        sums.units.append([e - s for c in coders for s, e, tagged in cut[c] if tagged])
        sums.gaps.append([e - s for c in coders for s, e, tagged in cut[c] if not tagged])
    return sums


def _flat(sums: LabelSums) -> dict[str, Any]:
    """The label's sums as flat arrays, made once: every unit's and gap's length with its
    article, gaps sorted by length (resampling then weighs articles instead of copying them)."""
    import numpy as np

    if sums._flat is None or sums._flat["articles"] != len(sums.length):
        def lengths(per_article):
            sizes = [len(x) for x in per_article]
            values = np.fromiter((v for x in per_article for v in x), dtype=np.float64, count=sum(sizes))
            return values, np.repeat(np.arange(len(per_article)), sizes)

        units, unit_article = lengths(sums.units)
        gaps, gap_article = lengths(sums.gaps)
        order = np.argsort(gaps, kind="stable")
        gaps = gaps[order]
        first = np.searchsorted(gaps, units, side="left")  # each unit's first gap at least as long
        bounds, slot = np.unique(first, return_inverse=True)  # the distinct first gaps; each unit's among them
        sums._flat = {"articles": len(sums.length), "units": units, "unit_article": unit_article,
                      "gaps": gaps, "gap_article": gap_article[order], "first": first, "bounds": bounds,
                      "slot": slot,
                      "cubic": (2 * units ** 3 - 3 * units ** 2 + units) / 3, "square": units ** 2,
                      "pairs": units * (units - 1),
                      "sizes": np.bincount(unit_article, minlength=len(sums.length)).astype(np.float64),
                      "observed": np.asarray(sums.observed, dtype=np.float64),
                      "length": np.asarray(sums.length, dtype=np.float64),
                      "read": np.asarray(sums.read, dtype=np.float64)}
    return sums._flat


def disagreements(sums: LabelSums, picks: Sequence[int] | None = None) -> tuple[float, float] | None:
    """(D_o, D_e) of one label over the articles ``picks`` (indices into ``sums``, repeats
    allowed; default all). None without articles or without characters."""
    import numpy as np

    if not sums.length or (picks is not None and not len(picks)):
        return None
    flat = _flat(sums)
    weight = (np.ones(flat["articles"]) if picks is None
              else np.bincount(np.asarray(picks), minlength=flat["articles"]).astype(np.float64))
    length = float(weight @ flat["length"])
    read = float(weight @ flat["read"])
    if length <= 0:
        return None
    observed = float(weight @ flat["observed"]) / (read * length)
    units, unit_weight = flat["units"], weight[flat["unit_article"]]
    count = float(unit_weight.sum())
    if count == 0:
        return observed, 0.0
    gaps, gap_weight = flat["gaps"], weight[flat["gap_article"]]
    # for each unit of length l, over the gaps at least l long: sum of w·g and of w, so that
    # sum of w·(g - l + 1) = S1 - (l - 1)·S0
    s1 = np.concatenate([np.cumsum((gap_weight * gaps)[::-1])[::-1], [0.0]])
    s0 = np.concatenate([np.cumsum(gap_weight[::-1])[::-1], [0.0]])
    first = flat["first"]
    room = s1[first] - (units - 1) * s0[first]
    numerator = float(unit_weight @ ((count - 1) * flat["cubic"] + flat["square"] * room))
    denominator = read * (read - 1) - float(unit_weight @ flat["pairs"])
    if denominator <= 0:
        return observed, 0.0
    return observed, 2 / length * numerator / denominator


def _unit_count(sums: LabelSums, picks: Sequence[int] | None) -> int:
    """The tagged spans in the picked articles (every article by default), repeats counted."""
    if picks is None:
        return sum(len(u) for u in sums.units)
    import numpy as np

    return int(_flat(sums)["sizes"][np.asarray(picks, dtype=np.int64)].sum()) if len(picks) else 0


def _result(pairs: Sequence[tuple[float, float]], articles: int, units: int) -> UnitizingResult:
    if articles == 0:
        return UnitizingResult(None, None, None, 0, units, "too little data: no article read by two annotators")
    observed = sum(p[0] for p in pairs)
    expected = sum(p[1] for p in pairs)
    if units == 0:
        return UnitizingResult(None, observed, expected, articles, 0, "undefined: nobody tagged it")
    if expected <= 0:
        return UnitizingResult(None, observed, expected, articles, units, "undefined: no chance disagreement")
    return UnitizingResult(1 - observed / expected, observed, expected, articles, units)


def cu_alpha(articles: Iterable[ArticleUnits]) -> UnitizingResult:
    """Krippendorff's cu-alpha of one label over articles."""
    return label_alpha(label_sums(articles))


def label_alpha(sums: LabelSums, picks: Sequence[int] | None = None) -> UnitizingResult:
    """cu-alpha of one label from its sums (over ``picks``, default every article)."""
    picked = range(len(sums.length)) if picks is None else picks
    found = disagreements(sums, picks)
    units = _unit_count(sums, picks)
    return _result([found] if found else [], len(picked) if found else 0, units)


def pooled_alpha(per_label: Sequence[LabelSums], picks: Sequence[int] | None = None) -> UnitizingResult:
    """u-alpha over several labels: 1 - sum of D_o / sum of D_e (the labels' sums must list the
    same articles in the same order, as :func:`study_sums` makes them)."""
    found = [d for sums in per_label if (d := disagreements(sums, picks)) is not None]
    if not found:
        return _result([], 0, 0)
    picked = range(len(per_label[0].length)) if picks is None else picks
    return _result(found, len(picked), sum(_unit_count(s, picks) for s in per_label))


def u_alpha(study: Mapping[str, Iterable[ArticleUnits]]) -> tuple[UnitizingResult, dict[str, UnitizingResult]]:
    """u-alpha over every label of ``study[label]`` and cu-alpha per label."""
    sums = {label: label_sums(articles) for label, articles in study.items()}
    return pooled_alpha(list(sums.values())), {label: label_alpha(s) for label, s in sums.items()}


def study_sums(lengths: Mapping[str, int], readers: Mapping[str, Iterable[str]],
               spans: Mapping[tuple[str, str, str], list[Span]], labels: Sequence[str]) -> dict[str, LabelSums]:
    """Per label, the sums over the articles ``lengths`` (article -> characters), each read by
    ``readers[article]``, with ``spans[(article, coder, label)]``: every label lists the
    same articles in the same order (those with two or more readers)."""
    out = {}
    for label in labels:
        out[label] = label_sums(
            ArticleUnits(lengths[a], {c: spans.get((a, c, label), []) for c in readers[a]}) for a in lengths)
    return out
