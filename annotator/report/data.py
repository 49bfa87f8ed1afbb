"""Every number of ``annotator report``, gathered by the same library functions as
``annotator stats`` (:mod:`annotator.stats`), ``agreement`` (:mod:`annotator.agreement`)
and ``compare`` (:mod:`annotator.compare`), so the report and those commands never differ.

Two figures are the report's own, and both are built from those functions: the usage of a
concept over time is :func:`annotator.stats.concept_variants` computed once per month (the
month as the date filter), and the interval around each alpha is a percentile bootstrap
over articles, each draw computed by :func:`annotator.agreement.matrix_alpha`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from ..agreement import MIN_UNITS, Item, item_kappas, items, matrix_alpha
from ..codebook import Kind
from ..compare import answers_table, read_story, term_uses_table, terms_table
from ..stats import ALL, Counting, StatsContext, answers_by_outlet, concept_variants, header, labels_by_outlet, \
    make_context
from ..store import TagScope

if TYPE_CHECKING:
    from ..codebook import Codebook
    from ..models import Outlet
    from ..store import Store
    from ..tables import ResultTable

DRAWS = 1000  # bootstrap resamples per alpha
CONFIDENCE = 0.95
MIN_DEFINED = 0.9  # an interval is given only when alpha is defined in this share of the resamples


class ReportError(ValueError):
    """An argument the report cannot use (an unknown concept): one line for the user."""


@dataclass(frozen=True)
class Options:
    """What the report covers: the same choices as ``annotator stats``, plus the concept
    followed over time and how many stories get a matrix."""

    counting: Counting = field(default_factory=Counting)
    since: str | None = None
    until: str | None = None
    story: str | None = None
    outlet_by: str = "publisher"
    concept: str | None = None  # None: the concept with the most tags
    max_stories: int = 20
    draws: int = DRAWS


@dataclass(frozen=True)
class AlphaRow:
    """One agreement item: alpha, its bootstrap interval, and the data behind it."""

    item: str
    title: str
    kind: str
    level: str
    alpha: float | None
    low: float | None
    high: float | None
    units: int
    observed: float | None
    note: str


@dataclass(frozen=True)
class StoryPart:
    """One story's comparison, as ``annotator compare`` gives it."""

    story: str
    terms: ResultTable
    uses: ResultTable
    answers: ResultTable


@dataclass
class ReportData:
    """Everything the page and the charts show."""

    facts: dict[str, str]
    labels: ResultTable
    concepts: ResultTable
    answers: ResultTable
    concept: str | None
    concept_name: str
    concept_voice: str
    over_time: list[dict[str, Any]]
    stories: list[StoryPart]
    stories_left_out: int
    alphas: list[AlphaRow]
    gold: list[dict[str, Any]]
    gold_note: str
    outlets: list[Outlet]
    affiliation: dict[str, str]  # outlet id -> state affiliation ("unknown" when not in the registry)
    answer_order: dict[str, list[str]] = field(default_factory=dict)  # question id -> answer names, codebook order
    variant_order: dict[str, list[str]] = field(default_factory=dict)  # concept id -> variant names, lexicon order


def gather(store: Store, book: Codebook, options: Options) -> ReportData:
    """Every table and figure of the report, from the library's statistics."""
    ctx = make_context(store, book, options.counting, options.since, options.until, options.story, options.outlet_by)
    facts = {"database": str(store.path), **header(ctx, options.counting),
             "made": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}
    labels, concepts, answers = labels_by_outlet(ctx), concept_variants(ctx), answers_by_outlet(ctx)
    concept = _chosen_concept(book, concepts, options.concept)
    voice = _concept_voice(book, concept)
    stories, left_out = _stories(store, book, ctx.scope, options.max_stories)
    alphas = alpha_rows(store, book, ctx.scope, options.draws)
    gold, gold_note = _against_gold(store, book, ctx.scope, options.counting)
    used = {r["outlet_id"] for t in (labels, concepts, answers) for r in t.records()}
    used |= {r["outlet_id"] for s in stories for r in s.uses.records()}
    outlets = sorted((o for o in store.outlets() if o.id in used), key=lambda o: o.name.lower())
    affiliation = {outlet_id: "unknown" for outlet_id in used if outlet_id is not None}
    affiliation.update({o.id: o.state_affiliation.value for o in outlets})
    answer_order = {c.id: [ctx.names.label(c.id, label.id) for label in c.labels]
                    for c in book.categories if c.kind is Kind.article}
    variant_order = {x.concept: [ctx.names.variant(c.id, x.concept, v.id) for v in x.variants]
                     for c in book.categories for x in c.lexicon}
    return ReportData(facts, labels, concepts, answers, concept, ctx.names.concept(concept) if concept else "",
                      voice, over_time(ctx, concept, voice) if concept else [], stories, left_out, alphas, gold,
                      gold_note, outlets, affiliation, answer_order, variant_order)


def _chosen_concept(book: Codebook, concepts: ResultTable, wanted: str | None) -> str | None:
    """The concept to follow over time: ``wanted`` (which the codebook must have), else the
    one with the most tags (all voices)."""
    known = [x.concept for c in book.categories for x in c.lexicon]
    if wanted is not None:
        if wanted not in known:
            raise ReportError(f"--concept {wanted!r}: not a concept of codebook {book.id} "
                              f"(concepts: {', '.join(known) or 'none'})")
        return wanted
    totals: dict[str, int] = {}
    for r in concepts.records():
        if r["voice"] == ALL:
            totals[r["concept"]] = totals.get(r["concept"], 0) + r["tags"]
    return max(totals, key=lambda c: (totals[c], -known.index(c) if c in known else 0), default=None)


def _concept_voice(book: Codebook, concept: str | None) -> str:
    """``own`` when the concept's category splits tags by voice (the outlet's own words), else ``all``."""
    for category in book.categories:
        if any(x.concept == concept for x in category.lexicon):
            return "own" if "voice" in category.attributes else ALL
    return ALL


def _narrower(a: str | None, b: str | None, pick: Any) -> str | None:
    """Of two partial dates, the narrower bound: the more precise when one contains the
    other (``2022-08`` and ``2022-08-15``), else ``pick`` (max for since, min for until)."""
    if a is None or b is None:
        return a or b
    if a.startswith(b):
        return a
    if b.startswith(a):
        return b
    return pick(a, b)


def over_time(ctx: StatsContext, concept: str, voice: str) -> list[dict[str, Any]]:
    """The concept's variant shares per outlet and month: :func:`concept_variants` with each
    month (within the report's own dates) as the date filter. Articles dated by year only,
    or undated, fall in no month."""
    rows = []
    for month in ctx.store.published_months(ctx.scope):
        scope = replace(ctx.scope, since=_narrower(month, ctx.scope.since, max),
                        until=_narrower(month, ctx.scope.until, min))
        for r in concept_variants(replace(ctx, scope=scope)).records():
            if r["concept"] == concept and r["voice"] == voice:
                rows.append({"month": month, **r})
    return rows


def _stories(store: Store, book: Codebook, scope: TagScope, most: int) -> tuple[list[StoryPart], int]:
    """``annotator compare``'s tables for each story with an annotated article in the scope
    (the first ``most`` of them), and how many such stories were left out. A story is
    compared whole, as ``compare`` does: all its current articles, whatever their dates."""
    from ..lexicon import Matcher

    annotated = {row[0] for row in store.unit_counts(["story"], scope) if row[0] is not None}
    ids = [r.id for r in store.stories() if r.id in annotated]
    matcher = Matcher(book, outlets=store.outlets())
    parts = []
    for story in ids[:most]:
        articles = read_story(store, story, matcher)
        if articles:
            parts.append(StoryPart(story, terms_table(book, articles), term_uses_table(book, articles),
                                   answers_table(book, articles)))
    return parts, max(len(ids) - most, 0)


def alpha_interval(item: Item, draws: int = DRAWS, seed: int = 0) -> tuple[float | None, float | None, str]:
    """A percentile bootstrap interval (95%) of the item's alpha: the articles coded by two
    or more annotators drawn with replacement, alpha recomputed on each draw. Draws where
    alpha is undefined (every value the same) are left out; when they are more than a tenth,
    no interval is given, and the note says why. Seeded: the same data give the same interval.

    Articles whose codings give the same value counts are alike to alpha, so a draw is a
    multinomial count of each such pattern, and alpha is computed from the patterns'
    coincidences weighted by those counts (:func:`weighted_alpha`)."""
    import numpy as np

    rows = item.matrix[(item.matrix >= 0).sum(axis=1) >= 2]
    if len(rows) < MIN_UNITS or draws < 1:
        return None, None, ""
    if item.level in ("interval", "ratio"):  # distances between label values: resample the articles themselves
        from ..agreement.coding import item_interval

        found_interval = item_interval(item, draws, seed)
        return found_interval.low, found_interval.high, found_interval.note
    counts = np.stack([(rows == v).sum(axis=1) for v in range(len(item.values))], axis=1)
    patterns, seen = np.unique(counts, axis=0, return_counts=True)
    rng = np.random.default_rng(seed)
    found = []
    for weights in rng.multinomial(len(rows), seen / seen.sum(), size=draws):
        alpha = weighted_alpha(patterns, weights, item.level)
        if alpha is not None:
            found.append(alpha)
    if len(found) < MIN_DEFINED * draws:
        return None, None, f"no interval: alpha undefined in {draws - len(found)} of {draws} resamples (too few articles)"
    tail = (1 - CONFIDENCE) / 2
    low, high = np.quantile(found, [tail, 1 - tail])
    return float(low), float(high), ""


def weighted_alpha(patterns: Any, weights: Any, level: str) -> float | None:
    """Krippendorff's alpha (nominal or ordinal) of units given as value-count ``patterns``
    (pattern × value, each pattern with two or more values) each occurring ``weights`` times;
    None when fewer than two values occur. Equal to ``krippendorff.alpha`` on the units
    written out one by one (tests/test_report.py checks it)."""
    import numpy as np

    patterns = np.asarray(patterns, dtype=float)
    pairable = patterns.sum(axis=1)
    per_pattern = (patterns[:, :, None] * patterns[:, None, :]
                   - patterns[:, :, None] * np.eye(patterns.shape[1])[None]) / (pairable - 1)[:, None, None]
    observed = np.tensordot(np.asarray(weights, dtype=float), per_pattern, axes=1)
    n_v = observed.sum(axis=0)
    if (n_v > 0).sum() < 2:
        return None
    expected = (np.outer(n_v, n_v) - np.diag(n_v)) / (n_v.sum() - 1)
    index = np.arange(len(n_v))
    if level == "ordinal":  # (sum of n_g from c to k, minus half of n_c and n_k) squared
        low, high = np.minimum.outer(index, index), np.maximum.outer(index, index)
        cumulative = np.concatenate([[0.0], np.cumsum(n_v)])
        distance = (cumulative[high + 1] - cumulative[low] - (n_v[low] + n_v[high]) / 2) ** 2
    else:
        distance = (index[:, None] != index[None, :]).astype(float)
    return float(1 - (observed * distance).sum() / (expected * distance).sum())


def alpha_rows(store: Store, book: Codebook, scope: TagScope, draws: int = DRAWS) -> list[AlphaRow]:
    """Alpha per question and label, as ``annotator agreement`` computes it (coders: every
    annotator the counting choice counts), with a bootstrap interval."""
    out = []
    for item in items(store, book, scope):
        if not item.used or item.span:  # span labels: position-aware figures, not present/absent
            continue
        r = matrix_alpha(item.matrix, item.values, item.level, item.numbers)
        low, high, why = alpha_interval(item, draws) if r.alpha is not None else (None, None, "")
        out.append(AlphaRow(item.name, item.title or item.name, item.kind, item.level, r.alpha, low, high, r.units,
                            r.observed, r.note or why))
    return out


def _against_gold(store: Store, book: Codebook, scope: TagScope, counting: Counting) -> tuple[list[dict[str, Any]], str]:
    """Cohen's kappa of each annotator against the adjudicator (gold) per question and
    label, when the adjudicator has annotations in the scope; else a note saying so."""
    gold = counting.adjudicator
    everyone = replace(scope, annotators=None, exclude_annotators=())
    rows = []
    for item in items(store, book, everyone):
        if not item.used or item.span or gold not in item.coders:
            continue
        for a, b, k in item_kappas(item):
            if gold in (a, b):
                rows.append({"annotator": b if a == gold else a, "item": item.name, "item_name": item.title or item.name,
                             "kappa": k.kappa, "units": k.units, "observed": k.observed, "note": k.note})
    if rows:
        return rows, f"each annotator against the adjudicator {gold!r}: Cohen's kappa per question and label"
    return [], (f"no annotations by the adjudicator {gold!r} in this selection, so there is no agreement with gold "
                "to show (an adjudicator tags under that name; see --adjudicator)")

