"""Every agreement figure of a codebook as result tables: alpha per article question (with
a bootstrap interval), unitizing alpha per span category and label, span F1 per pair of
annotators, voice agreement, Cohen's kappa per pair, Fleiss' kappa, and (on request) the
articles with the most disagreement."""

from __future__ import annotations

from dataclasses import dataclass

from ..codebook import Codebook
from ..readouts.naming import Names
from ..store import Store, TagScope
from ..readouts.tables import Column, ResultTable
from .bootstrap import SAMPLES, SEED, interval_columns
from .coding import agreement_tables, items
from .span_match import MODES
from .spans import CategoryStudy, pair_figures, read_studies, unitizing, voice_agreement

ALL_LABELS = "all labels"


@dataclass(frozen=True)
class Options:
    pairs: bool = True  # Cohen's kappa per pair of annotators
    samples: int = SAMPLES  # bootstrap resamples (0: no intervals)
    seed: int = SEED
    by_article: bool = False  # the per-article disagreement table


def report_tables(store: Store, book: Codebook, scope: TagScope, options: Options = Options()) -> list[ResultTable]:
    """The tables of ``annotator agreement``, in the order they are printed."""
    from .kappas import fleiss_items, fleiss_table

    many_raters = []  # the questions three or more annotators coded, kept as the items stream by

    def watched(found):
        for item in found:
            many_raters.extend(fleiss_items([item]))
            yield item

    question_tables = agreement_tables(watched(items(store, book, scope)), options.pairs, samples=options.samples,
                                       seed=options.seed)
    studies = read_studies(store, book, scope)
    tables = [question_tables[0], *span_tables(studies, book, options.samples, options.seed),
              *question_tables[1:]]
    fleiss = fleiss_table(many_raters, options.samples, options.seed)
    if fleiss is not None:
        tables.append(fleiss)
    if options.by_article:
        from .disagreements import disagreement_table

        tables.append(disagreement_table(store, book, scope, studies))
    return tables


_CI = interval_columns()


def span_tables(studies: list[CategoryStudy], book: Codebook, samples: int = 0, seed: int = SEED) -> list[ResultTable]:
    """Unitizing alpha, span F1 and voice agreement of the span categories."""
    names = Names(book)
    unitizing_rows, f1_rows, voice_rows = [], [], []
    for study in studies:
        category = study.category.id
        for figure in unitizing(study, samples, seed):
            r, ci = figure.result, figure.interval
            label_name = names.label(category, figure.label) if figure.label else ALL_LABELS
            unitizing_rows.append((
                category, names.category(category), figure.label, label_name,
                "cu-alpha" if figure.label else "u-alpha", r.alpha, *ci.cells, r.observed, r.expected,
                r.articles, r.units, "; ".join(n for n in (r.note, ci.note) if n)))
        if not study.tags:
            continue  # nobody tagged a span of the category: its u-alpha row says so
        for (a, b), figures in pair_figures(study).items():
            for mode in MODES:
                counts = figures.counts[mode]
                for label in ["", *counts.labels()]:
                    ci = figures.f1_interval(mode, label, samples, seed)
                    f1_rows.append((
                        category, names.category(category), label,
                        names.label(category, label) if label else ALL_LABELS, a, b, mode, figures.articles,
                        counts.tags_a[label], counts.tags_b[label], counts.matched[label],
                        counts.label_differs[label], counts.only_a[label], counts.only_b[label], counts.f1(label),
                        *ci.cells))
            if study.voices:
                voice = voice_agreement(figures.voices, study.voices, samples, seed)
                voice_rows.append((category, names.category(category), a, b, voice.pairs, voice.pairs - voice.differs,
                                   voice.differs, voice.result.alpha, *voice.interval.cells,
                                   voice.result.observed,
                                   "; ".join(n for n in (voice.result.note, voice.interval.note) if n)))
    return [
        ResultTable("span_alpha", "Span agreement: Krippendorff's unitizing alpha over the articles' characters", [
            Column("category", "category id", on_screen=False), Column("category_name", "category"),
            Column("label", "label id", on_screen=False), Column("label_name", "label"),
            Column("measure", "measure", optional=3), Column("alpha", "alpha", "float", 3), *_CI,
            Column("observed_disagreement", "D_o", "float", 6, optional=2),
            Column("expected_disagreement", "D_e", "float", 6, optional=2),
            Column("articles", "articles", "int"), Column("spans", "spans", "int"), Column("note", "note")],
            unitizing_rows, UNITIZING_NOTES),
        ResultTable("span_f1", "Span F1 per pair of annotators (exact and overlap match)", [
            Column("category", "category id", on_screen=False), Column("category_name", "category", optional=2),
            Column("label", "label id", on_screen=False), Column("label_name", "label"),
            Column("annotator_a", "A"), Column("annotator_b", "B"), Column("match", "match"),
            Column("articles", "articles", "int", optional=1), Column("spans_a", "A's", "int"),
            Column("spans_b", "B's", "int"), Column("matched", "matched", "int"),
            Column("label_differs", "label differs", "int"), Column("only_a", "only A", "int"),
            Column("only_b", "only B", "int"), Column("f1", "F1", "float", 3), *_CI], f1_rows, F1_NOTES),
        ResultTable("voice", "Voice agreement on spans both tagged with the same label (overlap match)", [
            Column("category", "category id", on_screen=False), Column("category_name", "category", optional=2),
            Column("annotator_a", "A"), Column("annotator_b", "B"), Column("pairs", "pairs", "int"),
            Column("same", "same voice", "int"), Column("differs", "voice differs", "int"),
            Column("alpha", "alpha", "float", 3), *_CI, Column("observed", "agree", "share"),
            Column("note", "note")], voice_rows, VOICE_NOTES),
    ]


UNITIZING_NOTES = [
    "u-alpha pools a category's labels, cu-alpha is one label (Krippendorff 1995, 2004): 1 when every "
    "annotator tagged the same characters, 0 no better than chance; D_o and D_e are the observed and "
    "expected disagreements",
    "articles = articles read by two or more annotators (each left some annotation there); spans = their tags "
    "of the label, every annotator's",
    "95% interval: percentile bootstrap over articles (resampled with replacement, fixed seed)",
]
F1_NOTES = [
    "exact: same start, end and label; overlap: one shared character and the same label (one to one, "
    "most shared characters first); label differs: same place (exact) or shared characters (overlap) "
    "with another label",
    "F1 = 2 x matched / (A's + B's); only A / only B: tags with no counterpart at all; on a label's row, "
    "label differs counts the pairs where either side has that label; 95% interval: bootstrap over the "
    "articles the pair read",
]
VOICE_NOTES = [
    "pairs: spans both annotators tagged with the same label (overlap match); alpha: nominal Krippendorff's "
    "alpha with each pair a unit of two values",
]


def against_tables(store: Store, book: Codebook, scope: TagScope, reference: str,
                   options: Options = Options()) -> list[ResultTable]:
    """Each annotator's agreement with ``reference`` (the gold layer, the reviewer's decisions):
    the tables of :func:`report_tables` for the pair (annotator, reference), one block of rows
    per annotator, on the articles both coded. The quality figure a lead reads for training."""
    from dataclasses import replace

    from ..readouts.tables import Column

    names = [a for a in store.annotators() if a != reference and a not in scope.exclude_annotators
             and (scope.annotators is None or a in scope.annotators)]
    merged: dict[str, ResultTable] = {}
    for name in names:
        pair = replace(scope, annotators=(name, reference), exclude_annotators=())
        for table in report_tables(store, book, pair, replace(options, pairs=False, by_article=False)):
            into = merged.get(table.name)
            if into is None:
                into = merged[table.name] = ResultTable(
                    f"{table.name}_against_{reference}", f"{table.title}: each annotator against {reference!r}",
                    [Column("annotator", "annotator"), *table.columns], [],
                    [f"each annotator's tags compared with {reference!r}'s on the articles both coded", *table.notes])
            into.rows.extend((name, *row) for row in table.rows)
    return list(merged.values())
