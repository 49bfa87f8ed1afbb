"""Every number of ``annotator report``, gathered by the same library functions as
``annotator stats`` (:mod:`annotator.readouts.stats`), ``agreement`` (:mod:`annotator.agreement`)
and ``compare`` (:mod:`annotator.stories.compare`), so the report and those commands never differ.

One figure is the report's own, built from those functions: the usage of a concept over time
is :func:`annotator.readouts.stats.concept_variants` per month of publication. The interval around each
alpha is ``agreement``'s (:func:`annotator.agreement.coding.item_interval`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from ..agreement import item_kappas, items, matrix_alpha
from ..agreement.bootstrap import NONE, SEED
from ..agreement.coding import item_interval
from ..codebook import Kind
from ..stories.compare import answers_table, read_story, term_uses_table, terms_table
from ..readouts.stats import ALL, Counting, StatsContext, answers_by_outlet, concept_variants, header, labels_by_outlet, \
    make_context
from ..store import TagScope

if TYPE_CHECKING:
    from ..codebook import Codebook
    from ..models import Outlet
    from ..store import Store
    from ..readouts.tables import ResultTable

DRAWS = 1000  # bootstrap resamples per alpha (as annotator agreement's default)


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
    if options.concept is not None:
        _known_concept(book, options.concept)  # (before any work: a wrong name is said at once)
    # the agreement tables (reading the codings, then resampling: numpy) on a thread of their own,
    # while SQLite counts the rest on this one (bench/notes.md, "Measured choices")
    agreement = _in_background(lambda: (alpha_rows(store, book, ctx.scope, options.draws),
                                        _against_gold(store, book, ctx.scope, options.counting)))
    labels, concepts, answers = labels_by_outlet(ctx), concept_variants(ctx), answers_by_outlet(ctx)
    concept = _chosen_concept(book, concepts, options.concept)
    voice = _concept_voice(book, concept)
    stories, left_out = _stories(store, book, ctx.scope, options.max_stories)
    time_rows = over_time(ctx, concept, voice) if concept else []
    alphas, (gold, gold_note) = agreement()
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
                      voice, time_rows, stories, left_out, alphas, gold,
                      gold_note, outlets, affiliation, answer_order, variant_order)


def _chosen_concept(book: Codebook, concepts: ResultTable, wanted: str | None) -> str | None:
    """The concept to follow over time: ``wanted`` (which the codebook must have), else the
    one with the most tags (all voices)."""
    known = [x.concept for c in book.categories for x in c.lexicon]
    if wanted is not None:
        return _known_concept(book, wanted)
    totals: dict[str, int] = {}
    for r in concepts.records():
        if r["voice"] == ALL:
            totals[r["concept"]] = totals.get(r["concept"], 0) + r["tags"]
    return max(totals, key=lambda c: (totals[c], -known.index(c) if c in known else 0), default=None)


def _in_background(work: Callable[[], Any]) -> Callable[[], Any]:
    """Start ``work()`` on a thread of its own; the function returned waits for its result (or
    raises its error). A daemon thread: an error on this one, or ctrl+c, ends the command
    without waiting for it."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["result"] = work()
        except BaseException as exc:  # handed to the waiting thread
            box["error"] = exc

    thread = threading.Thread(target=run, name="report-agreement", daemon=True)
    thread.start()

    def result() -> Any:
        thread.join()
        if "error" in box:
            raise box["error"]
        return box["result"]

    return result


def _known_concept(book: Codebook, wanted: str) -> str:
    """``wanted``, when the codebook has that concept; else a :class:`ReportError` naming them."""
    known = [x.concept for c in book.categories for x in c.lexicon]
    if wanted not in known:
        raise ReportError(f"--concept {wanted!r}: not a concept of codebook {book.id} "
                          f"(concepts: {', '.join(known) or 'none'})")
    return wanted


def _concept_voice(book: Codebook, concept: str | None) -> str:
    """``own`` when the concept's category splits tags by voice (the outlet's own words), else ``all``."""
    for category in book.categories:
        if any(x.concept == concept for x in category.lexicon):
            return "own" if "voice" in category.attributes else ALL
    return ALL


def over_time(ctx: StatsContext, concept: str, voice: str) -> list[dict[str, Any]]:
    """The concept's variant shares per outlet and month (:func:`concept_variants` per month
    of publication, in one query). Articles dated by year only, or undated, fall in no month."""
    return [r for r in concept_variants(ctx, per_month=True, concept=concept).records() if r["voice"] == voice]


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


def alpha_rows(store: Store, book: Codebook, scope: TagScope, draws: int = DRAWS) -> list[AlphaRow]:
    """Alpha per question and label, as ``annotator agreement`` computes it (coders: every
    annotator the counting choice counts), with a bootstrap interval."""
    out = []
    for item in items(store, book, scope, questions_only=True):
        if not item.used or item.span:  # span labels: position-aware figures, not present/absent
            continue
        r = matrix_alpha(item.matrix, item.values, item.level, item.numbers)
        interval = item_interval(item, draws, SEED) if r.alpha is not None and draws else NONE
        low, high, why = interval.low, interval.high, interval.note
        out.append(AlphaRow(item.name, item.title or item.name, item.kind, item.level, r.alpha, low, high, r.units,
                            r.observed, r.note or why))
    return out


def _against_gold(store: Store, book: Codebook, scope: TagScope, counting: Counting) -> tuple[list[dict[str, Any]], str]:
    """Cohen's kappa of each annotator against the adjudicator (gold) per question and
    label, when the adjudicator has annotations in the scope; else a note saying so."""
    gold = counting.adjudicator
    everyone = replace(scope, annotators=None, exclude_annotators=())
    rows = []
    adjudicated = gold in store.annotators()  # anywhere: else no row can come, and nothing is read
    for item in items(store, book, everyone, questions_only=True) if adjudicated else ():
        if not item.used or item.span or gold not in item.coders:
            continue
        against = [{"annotator": b if a == gold else a, "item": item.name, "item_name": item.title or item.name,
                    "kappa": k.kappa, "units": k.units, "observed": k.observed, "note": k.note}
                   for a, b, k in item_kappas(item) if gold in (a, b)]
        rows.extend(sorted(against, key=lambda r: r["annotator"]))  # (not in the order the codings named them)
    if rows:
        return rows, f"each annotator against the adjudicator {gold!r}: Cohen's kappa per question and label"
    return [], (f"no annotations by the adjudicator {gold!r} in this selection, so there is no agreement with gold "
                "to show (an adjudicator tags under that name; see --adjudicator)")

