"""Span agreement of a codebook, read from the store: unitizing alpha per span category
(u-alpha) and label (cu-alpha), span F1 per pair of annotators, and voice agreement.

An article counts for a pair of annotators (or for alpha) when two or more of the compared
annotators read it: each has at least one live annotation of the codebook there (a tag, an
answer or a note), so an article someone read and tagged nothing in counts as "no spans".
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..codebook import Category, Codebook, Kind
from ..store import Store, TagScope
from .bootstrap import NONE, Interval, percentile_interval
from .coding import AlphaResult, _matrix_from_codings, krippendorff_alpha
from .resampled import alpha_interval, ratio_interval, unitizing_intervals
from .span_match import MODES, MatchCounts, PairMatch, SpanTag, match, voice_pairs
from .unitizing import UnitizingResult, label_alpha, pooled_alpha, study_sums

VOICE = "voice"


@dataclass
class CategoryStudy:
    """One span category's tags on the articles read by two or more annotators."""

    category: Category
    lengths: dict[str, int]  # article -> characters
    readers: dict[str, list[str]]  # article -> annotators who read it
    tags: dict[tuple[str, str], list[SpanTag]] = field(default_factory=dict)  # (article, annotator) -> tags
    voices: list[str] = field(default_factory=list)  # the voice values, when the category carries voice

    def tags_of(self, article: str, annotator: str) -> list[SpanTag]:
        return self.tags.get((article, annotator), [])

    def pairs(self) -> list[tuple[str, str]]:
        """Every pair of annotators who read an article in common, sorted."""
        return sorted({pair for coders in self.readers.values() for pair in itertools.combinations(coders, 2)})


def read_studies(store: Store, book: Codebook, scope: TagScope) -> list[CategoryStudy]:
    """The span categories of ``book`` with their tags in ``scope`` (one pass over the spans)."""
    categories = [c for c in book.categories if c.kind is Kind.span]
    readers: dict[str, list[str]] = defaultdict(list)
    for article, annotator in store.article_readers(scope):
        readers[article].append(annotator)
    shared = {a: sorted(r) for a, r in readers.items() if len(r) >= 2}
    lengths = store.article_lengths(shared) if shared else {}
    attribute = book.attribute(VOICE)
    voice_values = [v.id for v in attribute.values] if attribute is not None else []
    default_voice = attribute.default if attribute is not None else None
    studies = {c.id: CategoryStudy(c, lengths, shared, voices=voice_values if VOICE in c.attributes else [])
               for c in categories}
    if not categories or not shared:
        return list(studies.values())
    for article, annotator, category, label, start, end, voice in store.iter_spans(scope, list(studies)):
        if article not in shared:
            continue
        study = studies[category]
        voice = (voice or default_voice) if study.voices else None
        study.tags.setdefault((article, annotator), []).append(SpanTag(start, end, label, voice))
    return list(studies.values())


@dataclass(frozen=True)
class UnitizingFigure:
    label: str  # "" = every label of the category (u-alpha)
    result: UnitizingResult
    interval: Interval


def unitizing(study: CategoryStudy, samples: int = 0, seed: int = 1) -> list[UnitizingFigure]:
    """u-alpha of the category, then cu-alpha of each label someone used (with intervals
    from ``samples`` resamples of the articles)."""
    spans: dict[tuple[str, str, str], list[tuple[int, int]]] = defaultdict(list)
    for (article, annotator), tags in study.tags.items():
        for tag in tags:
            spans[(article, annotator, tag.label)].append((tag.start, tag.end))
    labels = [l.id for l in study.category.labels]
    labels += sorted({tag.label for tags in study.tags.values() for tag in tags} - set(labels))
    sums = study_sums(study.lengths, study.readers, spans, labels)
    used = [l for l in labels if any(sums[l].units)]
    articles = len(study.lengths)

    if not used:
        note = "undefined: nobody tagged a span of this category" if articles else pooled_alpha([]).note
        return [UnitizingFigure("", UnitizingResult(None, None, None, articles, 0, note), NONE)]

    def joint(picks=None):
        return pooled_alpha([sums[l] for l in used], picks)

    overall, each = unitizing_intervals([sums[l] for l in used], articles, samples, seed)
    figures = [UnitizingFigure("", joint(), overall)]
    for label, interval in zip(used, each):
        figures.append(UnitizingFigure(label, label_alpha(sums[label]), interval))
    return figures


def _interval(statistic, units: int, samples: int, seed: int) -> Interval:
    return percentile_interval(statistic, units, samples, seed) if samples else NONE


@dataclass
class PairFigures:
    """Span F1 counts (per mode) and voice pairs of two annotators in one category."""

    counts: dict[str, MatchCounts] = field(default_factory=lambda: {m: MatchCounts() for m in MODES})
    voices: list[tuple[str, str]] = field(default_factory=list)
    articles: int = 0
    per_article: list[dict[str, MatchCounts]] = field(default_factory=list)  # each article's counts, per mode

    def f1_interval(self, mode: str, label: str = "", samples: int = 0, seed: int = 1) -> Interval:
        """A bootstrap interval of span F1, resampling the articles the pair read."""
        import numpy as np

        if not samples:
            return NONE
        counts = self.per_article
        matched = np.array([c[mode].matched[label] for c in counts], dtype=float)
        tags = np.array([c[mode].tags_a[label] + c[mode].tags_b[label] for c in counts], dtype=float)
        return ratio_interval(matched, tags, 2.0, samples, seed)


def article_matches(study: CategoryStudy) -> Iterator[tuple[str, str, str, list[SpanTag], list[SpanTag], dict[str, PairMatch]]]:
    """``(article, A, B, A's tags, B's tags, {mode: match})`` for every pair of readers of
    every article."""
    for article, coders in study.readers.items():
        for a, b in itertools.combinations(coders, 2):
            tags_a, tags_b = study.tags_of(article, a), study.tags_of(article, b)
            yield article, a, b, tags_a, tags_b, {mode: match(tags_a, tags_b, mode) for mode in MODES}


def pair_figures(study: CategoryStudy) -> dict[tuple[str, str], PairFigures]:
    """Per pair of annotators who read an article in common: match counts and voice pairs."""
    out: dict[tuple[str, str], PairFigures] = defaultdict(PairFigures)
    for _, a, b, tags_a, tags_b, found in article_matches(study):
        figures = out[(a, b)]
        figures.articles += 1
        here = {mode: MatchCounts() for mode in MODES}
        for mode, pairing in found.items():
            figures.counts[mode].add(tags_a, tags_b, pairing)
            here[mode].add(tags_a, tags_b, pairing)
        figures.per_article.append(here)
        if study.voices:
            figures.voices.extend(voice_pairs(tags_a, tags_b, found["overlap"]))
    return dict(sorted(out.items()))


@dataclass(frozen=True)
class VoiceFigure:
    pairs: int  # matched spans both gave a voice
    differs: int
    result: AlphaResult
    interval: Interval


def voice_agreement(pairs: list[tuple[str, str]], values: list[str], samples: int = 0, seed: int = 1) -> VoiceFigure:
    """Nominal alpha over the voices of matched spans: each matched pair of tags is a unit
    with two values."""
    domain = list(values) + sorted({v for pair in pairs for v in pair} - set(values))
    codings = {i: {"a": va, "b": vb} for i, (va, vb) in enumerate(pairs)}
    result = krippendorff_alpha(codings, domain, "nominal")
    matrix, _ = _matrix_from_codings(codings, domain)
    if len(pairs) < 2:
        result = AlphaResult(None, len(pairs), 2 if pairs else 0, 2 * len(pairs), result.observed,
                             f"too little data: {len(pairs)} matched span pair(s) with a voice (alpha needs 2)")

    interval = (alpha_interval(matrix, len(domain), "nominal", None, samples, seed)
                if samples and result.alpha is not None else NONE)
    return VoiceFigure(len(pairs), sum(va != vb for va, vb in pairs), result, interval)
