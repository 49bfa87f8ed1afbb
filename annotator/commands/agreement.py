"""``annotator agreement``: every inter-annotator agreement figure of a codebook, with the
counts behind it and bootstrap intervals (computed in :mod:`annotator.agreement`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from .common import fail, load_codebook_or_fail, partial_date, store_command
from .stats_export import _known_annotators, _write_report, report_options

if TYPE_CHECKING:
    from ..store import Store

BY = ("item", "article")


@click.command()
@click.option("--annotators", help="Comma-separated annotators to compare (default: all but the adjudicator).")
@click.option("--pairs/--no-pairs", default=True, show_default=True, help="Also Cohen's kappa per pair of annotators.")
@click.option("--by", "by", type=click.Choice(BY), default="item", show_default=True,
              help="item: every figure per question, span category and label; article: the articles with the "
                   "most disagreement, most first.")
@click.option("--bootstrap", "samples", type=click.IntRange(0, 100_000), default=1000, show_default=True,
              help="Resamples of the articles for the 95% intervals (0: no intervals).")
@click.option("--seed", type=int, default=1, show_default=True, help="Seed of the resampling (same seed, same intervals).")
@click.option("--against", "reference", metavar="NAME", help="Each annotator's agreement with NAME instead: "
              "`--against gold` compares everyone with the reviewed tags (annotator review).")
@report_options
@store_command
def agreement(store: Store, annotators: str | None, pairs: bool, by: str, samples: int, seed: int,
              reference: str | None, fmt: str, out_path: Path | None, since: str | None, until: str | None,
              story: str | None, adjudicator: str, codebook_ref: str | None) -> None:
    """Inter-annotator agreement: alpha per question (with its level of measurement), span agreement
    (unitizing alpha, span F1, voice), Cohen's and Fleiss' kappa."""
    from ..agreement.disagreements import disagreement_table
    from ..agreement.report import Options, report_tables
    from ..store import TagScope

    book = load_codebook_or_fail(codebook_ref)
    coders = tuple(a.strip() for a in annotators.split(",") if a.strip()) if annotators else None
    if annotators is not None and not coders:
        fail("--annotators: give at least one name (a,b)", 2)
    _known_annotators(store, coders or (), "--annotators")
    scope = TagScope(codebook=book.id, annotators=coders, exclude_annotators=() if coders else (adjudicator,),
                     since=partial_date("--since", since), until=partial_date("--until", until), story=story)
    if reference is not None:
        from ..agreement.report import against_tables

        _known_annotators(store, (reference,), "--against")
        if by == "article":
            fail("--against goes with --by item", 2)
        scope = TagScope(codebook=book.id, annotators=coders, exclude_annotators=(reference,) if not coders else (),
                         since=scope.since, until=scope.until, story=story)
        tables = against_tables(store, book, scope, reference, Options(samples=samples, seed=seed))
    elif by == "article":
        tables = [disagreement_table(store, book, scope)]
    else:
        tables = report_tables(store, book, scope, Options(pairs=pairs, samples=samples, seed=seed))
    who = ", ".join(coders) if coders else f"every annotator but the adjudicator {adjudicator!r}"
    if reference is not None:
        who = f"{who if coders else 'every annotator'}, each against {reference!r}"
    facts = {"database": str(store.path), "codebook": f"{book.id} {book.version}", "annotators": who}
    if by == "item":
        facts["intervals"] = f"95%, {samples} bootstrap resamples of the articles, seed {seed}" if samples else "none"
    _write_report(tables, fmt, out_path, facts)
