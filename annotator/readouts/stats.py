"""Tag statistics: counts and rates per outlet, label, concept, story and annotator.

Units. With several annotators, each annotator's reading of an article is one
*unit*: an (article, annotator) pair holding at least one live annotation (a
tag, an answer or a note) in the codebook. Rates are tags per 1,000 words
read: the words of every unit's article are summed, so three annotators who
tagged one article count its words three times, and their tags too. Which
annotators' tags count is the explicit :class:`Counting` choice.

Voice. Span tags of categories with the ``voice`` attribute are split by voice
(own / quoted / scare-quoted) so that reporting a phrase is not counted as
using it; the ``all`` row sums them.
"""

from __future__ import annotations

from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from statistics import median
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from ..team.active_time import IDLE_AFTER
from ..codebook import Category, Codebook, Kind
from .naming import Names
from ..team.review import GOLD
from ..store import Store, TagScope
from .tables import Column, ResultTable

ALL = "all"
NO_VOICE = "(none)"
DEFAULT_ADJUDICATOR = GOLD  # the reviewer's layer
BY = ("outlet", "label", "concept", "answers", "story", "annotator")


@dataclass(frozen=True)
class Counting:
    """Whose tags count: ``all`` annotators (the adjudicator left out), ``adjudicated``
    (only the adjudicator's), or the named ``annotators``."""

    mode: str = "all"
    annotators: tuple[str, ...] = ()
    adjudicator: str = DEFAULT_ADJUDICATOR

    @classmethod
    def parse(cls, value: str | None, adjudicator: str = DEFAULT_ADJUDICATOR) -> "Counting":
        """``all`` (default), ``adjudicated``, or annotators' names separated by commas."""
        if value in (None, "", "all"):
            return cls("all", (), adjudicator)
        if value == "adjudicated":
            return cls("adjudicated", (adjudicator,), adjudicator)
        names = tuple(dict.fromkeys(n.strip() for n in value.split(",") if n.strip()))
        return cls("annotators", names, adjudicator)

    def scope(self, base: TagScope) -> TagScope:
        if self.mode == "all":
            return replace(base, annotators=None, exclude_annotators=(self.adjudicator,))
        return replace(base, annotators=self.annotators)

    def describe(self) -> str:
        if self.mode == "adjudicated":
            return f"adjudicated tags only (annotator {self.adjudicator!r})"
        if self.mode == "annotators":
            names = ", ".join(repr(n) for n in self.annotators)
            return f"only the tags of {names}" + (", each annotator's reading of an article counted once"
                                                   if len(self.annotators) > 1 else "")
        return f"every annotator's tags, each annotator's reading of an article counted once (adjudicator {self.adjudicator!r} left out)"


@dataclass
class StatsContext:
    """What every table is computed from: the store, codebook, scope and outlet names."""

    store: Store
    book: Codebook
    scope: TagScope
    outlet_names: dict[str, str]
    names: Names

    def outlet(self, outlet_id: str | None) -> str:
        if outlet_id is None:
            return "unknown outlet"
        return self.outlet_names.get(outlet_id, outlet_id)

    def categories(self, kind: Kind) -> list[Category]:
        return [c for c in self.book.categories if c.kind is kind]


def make_context(store: Store, book: Codebook, counting: Counting, since: str | None = None,
                 until: str | None = None, story: str | None = None, outlet_by: str = "publisher") -> StatsContext:
    """The context for the statistics of one codebook under one counting choice and filters."""
    scope = counting.scope(TagScope(codebook=book.id, since=since, until=until, story=story, outlet_by=outlet_by))
    return StatsContext(store, book, scope, store.outlet_names(), Names(book))


def header(ctx: StatsContext, counting: Counting) -> dict[str, Any]:
    """The facts printed above every table: what is counted, and how."""
    facts: dict[str, Any] = {
        "codebook": f"{ctx.book.id} {ctx.book.version}",
        "counting": counting.describe(),
        "outlet": "original source where known, else publisher" if ctx.scope.outlet_by == "source"
        else "publisher (where the article was read)",
    }
    if ctx.scope.story is not None:
        facts["story"] = ctx.scope.story
    if ctx.scope.since or ctx.scope.until:
        facts["published"] = f"{ctx.scope.since or '…'} to {ctx.scope.until or '…'} (partial dates count when they overlap)"
    return facts


# -- ordering by codebook ----------------------------------------------------------------

def _order(book: Codebook) -> dict[tuple[str, str], tuple[int, int]]:
    return {(c.id, l.id): (ci, li) for ci, c in enumerate(book.categories) for li, l in enumerate(c.labels)}


def _voices(book: Codebook) -> list[str]:
    attribute = book.attribute("voice")
    return [v.id for v in attribute.values] if attribute else []


def _voice_rank(voices: list[str], voice: str) -> int:
    if voice == ALL:
        return -1
    return voices.index(voice) if voice in voices else len(voices)


def _rate(tags: int, words: int) -> float | None:
    return tags * 1000.0 / words if words else None


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


LABEL_COLUMNS = [
    Column("category", "category id", on_screen=False), Column("label", "label id", on_screen=False),
    Column("category_name", "category", on_screen=False), Column("label_name", "label", screen_prefix="category_name"),
    Column("voice", "voice"),
    Column("tags", "tags", "int"), Column("per_1000_words", "per 1k words", "float", 2),
    Column("articles_with_label", "articles", "int", optional=2),
    Column("share_of_articles", "% articles", "share", optional=1),
]
LABEL_NOTES = [
    "voice 'all' sums every voice; 'own' is the outlet's own words, 'quoted' a quoted source, 'scare-quoted' held at a distance",
    "articles = annotated articles holding the label (one per annotator who annotated it; on 'all' rows); "
    "per 1k words = tags per 1,000 words of the annotated articles",
]


def _label_rows(ctx: StatsContext, lead: list[str]) -> dict[tuple, list[tuple]]:
    """Span-label rows (all voices, then each voice) grouped by the ``lead`` dimensions."""
    categories = ctx.categories(Kind.span)
    if not categories:
        return {}
    voiced = {c.id for c in categories if "voice" in c.attributes}
    voices, order = _voices(ctx.book), _order(ctx.book)
    n = len(lead)
    with ThreadPoolExecutor(2) as pool:  # two independent scans; SQLite runs them on two cores
        unit_rows = pool.submit(ctx.store.unit_counts, lead, ctx.scope)
        tag_rows = pool.submit(ctx.store.tag_counts, [*lead, "category", "label"], ctx.scope,
                               [c.id for c in categories], voices)
        units = {tuple(r[:n]): (r[n], r[n + 1]) for r in unit_rows.result()}
        found = tag_rows.result()
    rows: dict[tuple, list[tuple]] = defaultdict(list)
    names = ctx.names
    for r in found:
        key, (category, label, tags, with_label), by_voice = tuple(r[:n]), r[n:n + 4], r[n + 4:]
        count, words = units.get(key, (0, 0))
        label_ids = (category, label, names.category(category), names.label(category, label))
        rows[key].append((*label_ids, ALL, tags, _rate(tags, words), with_label, _share(with_label, count)))
        if category not in voiced:
            continue
        for voice, voice_tags in zip([*voices, NO_VOICE], by_voice):
            if voice_tags:
                rows[key].append((*label_ids, voice, voice_tags, _rate(voice_tags, words), None, None))
    for key in rows:
        rows[key].sort(key=lambda row: (order.get((row[0], row[1]), (999, 999)), row[0], row[1],
                                        _voice_rank(voices, row[4])))
    return rows


def labels_by_outlet(ctx: StatsContext) -> ResultTable:
    """Span labels per outlet: tags, rate per 1,000 words and share of articles, split by voice."""
    rows = _label_rows(ctx, ["outlet"])
    out = []
    for (outlet,) in sorted(rows, key=lambda k: (ctx.outlet(k[0]).lower(), k[0] or "")):
        out.extend((ctx.outlet(outlet), outlet, *row) for row in rows[(outlet,)])
    return ResultTable("labels_by_outlet", "Span labels per outlet",
                       [Column("outlet", "outlet"), Column("outlet_id", "outlet id", on_screen=False), *LABEL_COLUMNS], out,
                       list(LABEL_NOTES))


def labels_by_story(ctx: StatsContext) -> ResultTable:
    """Span labels per story and outlet: how outlets framed the same events."""
    rows = _label_rows(ctx, ["story", "outlet"])
    out = []
    for story, outlet in sorted(rows, key=lambda k: (k[0] or "\uffff", ctx.outlet(k[1]).lower())):
        out.extend((story or "(no story)", ctx.outlet(outlet), outlet, *row) for row in rows[(story, outlet)])
    return ResultTable("labels_by_story", "Span labels per story and outlet",
                       [Column("story", "story"), Column("outlet", "outlet"), Column("outlet_id", "outlet id", on_screen=False),
                        *LABEL_COLUMNS], out, list(LABEL_NOTES))


def label_totals(ctx: StatsContext) -> ResultTable:
    """Each span label over all outlets, with the number of outlets using it."""
    rows = _label_rows(ctx, []).get((), [])
    outlets: dict[tuple[str, str], int] = defaultdict(int)
    categories = [c.id for c in ctx.categories(Kind.span)]
    if categories:
        for _outlet, category, label, _tags, _units in ctx.store.tag_counts(["outlet", "category", "label"], ctx.scope,
                                                                          categories):
            outlets[(category, label)] += 1
    out = [(*row, outlets[(row[0], row[1])]) for row in rows]
    return ResultTable("label_totals", "Span labels over all outlets",
                       [*LABEL_COLUMNS, Column("outlets", "outlets using it", "int")], out, list(LABEL_NOTES))


def concept_variants(ctx: StatsContext, per_month: bool = False, concept: str | None = None) -> ResultTable:
    """Per outlet and lexicon concept, how often each variant is used, and its share of the
    concept's tags (Kiev vs Kyiv), for all voices together and for each voice. ``per_month``:
    the same for each month of publication (a leading ``month`` column, ``YYYY-MM``; articles
    dated only by year, or undated, fall in no month and are left out). ``concept``: only
    that concept's rows."""
    store, scope, book = ctx.store, ctx.scope, ctx.book
    lexical = [c for c in ctx.categories(Kind.span) if c.lexicon]
    variants = {(x.concept, v.id): (ci, xi, vi, v) for ci, c in enumerate(lexical) for xi, x in enumerate(c.lexicon)
                for vi, v in enumerate(x.variants)}
    voices = _voices(book)
    lead = ["month"] if per_month else []
    counts: dict[tuple[Any, ...], int] = defaultdict(int)
    unlisted = 0
    if lexical:
        for *group, outlet, concept_id, variant, voice, tags, _units in store.tag_counts(
                [*lead, "outlet", "concept", "variant", "voice"], scope, [c.id for c in lexical], concept=concept):
            if per_month and (group[0] is None or len(group[0]) != 7):
                continue
            if concept_id is None or variant is None:
                unlisted += tags
                continue
            counts[(*group, outlet, concept_id, variant, voice or NO_VOICE)] += tags
            counts[(*group, outlet, concept_id, variant, ALL)] += tags
    totals: dict[tuple[Any, ...], int] = defaultdict(int)
    for (*group, outlet, concept_id, _variant, voice), tags in counts.items():
        totals[(*group, outlet, concept_id, voice)] += tags
    out = []
    for (*group, outlet, concept_id, variant, voice), tags in counts.items():
        info = variants.get((concept_id, variant))
        name, alignment = (info[3].name or variant, info[3].alignment) if info else (variant, None)
        out.append((*group, ctx.outlet(outlet), outlet, concept_id, ctx.names.concept(concept_id), variant, name,
                    alignment, voice, tags, _share(tags, totals[(*group, outlet, concept_id, voice)])))
    k = len(lead)
    out.sort(key=lambda r: (*r[:k], r[k].lower(), variants.get((r[k + 2], r[k + 4]), (999, 999, 999))[:2], r[k + 2],
                            _voice_rank(voices, r[k + 7]), variants.get((r[k + 2], r[k + 4]), (0, 0, 999))[2],
                            r[k + 4]))
    notes = ["share = the variant's tags / all tags of the concept for that outlet and voice"
             + (" in that month" if per_month else ""),
             "a tag's concept and variant come from the lexicon: an accepted suggestion, or a tagged span the lexicon recognises"]
    if unlisted:
        notes.append(f"{unlisted} tag(s) in lexicon categories name no concept (spans the lexicon does not know) and are left out here")
    return ResultTable("concept_variants", "Term variants per outlet and concept" + (" and month" if per_month else ""),
                       [*([Column("month", "month")] if per_month else []),
                        Column("outlet", "outlet"), Column("outlet_id", "outlet id", on_screen=False),
                        Column("concept", "concept id", on_screen=False), Column("concept_name", "concept", optional=1),
                        Column("variant", "variant id", on_screen=False), Column("variant_name", "variant"),
                        Column("alignment", "side", optional=2), Column("voice", "voice"), Column("tags", "tags", "int"),
                        Column("share_in_concept", "share of concept", "share")], out, notes)


def answers_by_outlet(ctx: StatsContext) -> ResultTable:
    """Article-level answers per outlet: how many annotated articles got each answer."""
    questions = ctx.categories(Kind.article)
    out: list[tuple] = []
    if questions:
        ids = [c.id for c in questions]
        answered = {(r[0], r[1]): r[3] for r in ctx.store.tag_counts(["outlet", "category"], ctx.scope, ids)}
        order = _order(ctx.book)
        for outlet, category, label, _tags, units in ctx.store.tag_counts(["outlet", "category", "label"], ctx.scope, ids):
            out.append((ctx.outlet(outlet), outlet, category, label, ctx.names.category(category),
                        ctx.names.label(category, label), units, answered[(outlet, category)],
                        _share(units, answered[(outlet, category)])))
        out.sort(key=lambda r: (r[0].lower(), order.get((r[2], r[3]), (999, 999))))
    return ResultTable("answers_by_outlet", "Article questions per outlet",
                       [Column("outlet", "outlet"), Column("outlet_id", "outlet id", on_screen=False),
                        Column("question", "question id", on_screen=False), Column("answer", "answer id", on_screen=False),
                        Column("question_name", "question", on_screen=False),
                        Column("answer_name", "answer", screen_prefix="question_name"), Column("articles", "articles", "int"),
                        Column("answered", "answered", "int"), Column("share", "share", "share")], out,
                       ["articles = annotated articles given this answer; share = of those where the question was answered "
                        "(multi-choice questions can add up to more than 100%)"])


def annotator_progress(ctx: StatsContext) -> ResultTable:
    """Per annotator: articles annotated and done, tags, answers and the last change."""
    scope = replace(ctx.scope, annotators=None, exclude_annotators=())  # everyone's progress, whatever is counted
    total = ctx.store.count_articles()
    times = ctx.store.active_times()
    activity = {row[0]: row for row in ctx.store.annotator_activity(scope)}
    for name in times.keys() - activity.keys():  # opened articles without tagging yet
        activity[name] = (name, 0, 0, 0, 0, None)
    out = []
    for name, annotated, done, tags, answers, last in sorted(activity.values()):
        spent = times.get(name, [])
        typical = median(spent) if spent else None
        out.append((name, annotated, done, _share(done, total), tags, answers,
                    None if typical is None else round(typical / 60, 2), round(sum(spent) / 3600, 2), last))
    return ResultTable("annotator_progress", "Annotators' progress",
                       [Column("annotator", "annotator"), Column("annotated_articles", "articles annotated", "int"),
                        Column("done_articles", "marked done", "int"), Column("coverage", "% of corpus done", "share"),
                        Column("tags", "span tags", "int"), Column("answers", "answers and notes", "int"),
                        Column("median_active_minutes", "median min./article", "float", digits=1, optional=2),
                        Column("active_hours", "active hours", "float", digits=1, optional=3),
                        Column("last_change", "last change (UTC)", "time", optional=1)], out,
                       [f"the corpus has {total} current article(s); every annotator is listed, whatever is counted",
                        "active time = time an article was open in the TUI with a key press, click or scroll at most "
                        f"{IDLE_AFTER:.0f} s apart (longer pauses count as {IDLE_AFTER:.0f} s); median over the articles "
                        "each annotator opened"])


TABLES = {
    "outlet": [labels_by_outlet],
    "label": [label_totals],
    "concept": [concept_variants],
    "answers": [answers_by_outlet],
    "story": [labels_by_story],
    "annotator": [annotator_progress],
}


def statistics(ctx: StatsContext, by: Iterable[str]) -> list[ResultTable]:
    """The tables asked for (see :data:`TABLES`), in order."""
    return [make(ctx) for name in by for make in TABLES[name]]
