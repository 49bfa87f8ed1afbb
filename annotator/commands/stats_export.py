"""``annotator stats`` and ``export`` (and the report options ``agreement`` shares): reports written to standard output
or to a file that appears whole or not at all."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import click
from rich.text import Text

from .common import (make_console, codebook_option, fail, load_codebook_or_fail, partial_date, reader_gone,
                     store_command, utf8_stdout, written_or_failed)
from ..normalize import printable
from ..team.review import GOLD
from ..paths import display_path

if TYPE_CHECKING:
    from ..store import Store


def report_options(func: Callable) -> Callable:
    """Output and filter options shared by ``stats`` and ``agreement``."""
    from ..readouts.tables import FORMATS

    options = [
        click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
                     help="table (terminal), csv, json or md (Markdown)."),
        click.option("--out", "out_path", type=click.Path(path_type=Path, dir_okay=False),
                     help="Write to FILE (whole or not at all) instead of standard output."),
        click.option("--since", help="Articles published on or after YYYY[-MM[-DD]]."),
        click.option("--until", help="Articles published on or before YYYY[-MM[-DD]]."),
        click.option("--story", help="Only articles of this story."),
        click.option("--adjudicator", default=GOLD, show_default=True,
                     help="The annotator name whose tags are the adjudicated (gold) ones."),
        codebook_option,
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _write_report(tables: list, fmt: str, out_path: Path | None, facts: dict[str, Any]) -> None:
    from ..readouts.tables import output_file, rich_table, write_tables

    try:
        with output_file(out_path) as out:
            if fmt != "table":
                write_tables(tables, fmt, out, facts)
                return
            from rich.console import Console

            console = make_console() if out is sys.stdout else Console(file=out, width=120, no_color=True, highlight=False)
            for key, value in facts.items():
                console.print(Text.assemble((f"{key}: ", "bold"), printable(str(value))))
            for table in tables:
                console.print()
                if not table.rows:
                    console.print(Text(printable(table.title), style="bold"))
                    console.print(Text("  nothing to count yet", style="dim"))
                    continue
                console.print(rich_table(table, console.width), soft_wrap=False)
    except OSError as exc:
        if out_path is None and reader_gone(exc):
            raise
        fail(f"--out {display_path(out_path) if out_path else '-'}: cannot write ({exc.strerror or exc})")


def _known_annotators(store: Store, names: Iterable[str], what: str) -> None:
    """Fail (exit 2) on the first name with no annotations, listing who has some."""
    known = set(store.annotators())
    for name in names:
        if name not in known:
            fail(f"{what} {name!r}: no annotations by that name (annotators: {', '.join(sorted(known)) or 'none yet'})", 2)


@click.command()
@click.option("--by", "by", default="outlet", show_default=True,
              help="Which table: outlet, label, concept, answers, story, annotator, or all (comma-separate several).")
@click.option("--count", "counting", default="all", show_default=True,
              help="Whose tags count: all (every annotator but the adjudicator), adjudicated, or annotators' names (a,b).")
@click.option("--outlet-by", type=click.Choice(["publisher", "source"]), default="publisher", show_default=True,
              help="Outlet = the publisher, or the original source where known (syndicated articles).")
@report_options
@store_command
def stats(store: Store, by: str, counting: str, outlet_by: str, fmt: str, out_path: Path | None, since: str | None,
          until: str | None, story: str | None, adjudicator: str, codebook_ref: str | None) -> None:
    """Tag statistics: counts, rates per 1,000 words and variant shares per outlet, split by voice."""
    from ..readouts.stats import BY, Counting, header, make_context, statistics

    wanted = list(BY) if by.strip() == "all" else [b.strip() for b in by.split(",") if b.strip()]
    unknown = [b for b in wanted if b not in BY]
    if unknown or not wanted:
        fail(f"--by {by!r}: use {', '.join(BY)} or all", 2)
    choice = Counting.parse(counting, adjudicator)
    _known_annotators(store, choice.annotators, "--count" if choice.mode == "annotators" else "--adjudicator")
    book = load_codebook_or_fail(codebook_ref)
    ctx = make_context(store, book, choice, partial_date("--since", since), partial_date("--until", until),
                       story, outlet_by)
    _write_report(statistics(ctx, wanted), fmt, out_path, {"database": str(store.path), **header(ctx, choice)})


# The formats of annotator.exchange.export.FORMATS, then other tools' (annotator.exchange.formats_out.FORMATS_OUT).
EXPORT_FORMATS = ("csv", "jsonl", "w3c", "label-studio", "doccano", "prodigy", "brat", "parquet")
# and the bundle of everything a database holds, for `annotator merge` (annotator.commands.merge)


@click.command("export")
@click.option("--format", "fmt", type=click.Choice((*EXPORT_FORMATS, "bundle")), default="jsonl", show_default=True,
              help="csv (a spreadsheet-safe table), jsonl (one JSON object per line), w3c (W3C Web Annotation "
                   "JSON-LD); for other tools: label-studio, doccano, prodigy, brat (a .zip) or parquet (a table; "
                   "brat and parquet need --out); bundle: everything the database holds, for `annotator merge`.")
@click.option("--out", "out_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Write to FILE (whole or not at all) instead of standard output.")
@click.option("--annotator", "annotators", multiple=True, help="Only this annotator's tags (repeat for several).")
@click.option("--codebook", "codebook_id", help="Only tags made with this codebook id.")
@click.option("--layer", type=click.Choice(["all", "annotators", "gold"]), default="all", show_default=True,
              help="gold: only the reviewed tags (annotator review), with their sources in JSON lines; "
                   "annotators: every annotator's but not gold.")
@store_command
def export_command(store: Store, fmt: str, out_path: Path | None, annotators: tuple[str, ...],
                   codebook_id: str | None, layer: str) -> None:
    """Export every live annotation with its article and outlet context (JSON lines unless --format says otherwise)."""
    from ..exchange.export import FORMATS, check_out_path, export
    from ..readouts.tables import output_file

    if out_path is not None and str(out_path) == "-":
        out_path = None
    if out_path is not None and (problem := check_out_path(out_path)):
        fail(f"--out {display_path(out_path)}: {problem}", 2)
    who = list(annotators) or None
    provenance = None
    if layer != "all":

        if annotators:
            fail("--layer and --annotator: give one or the other", 2)
        who = [GOLD] if layer == "gold" else [a for a in store.annotators() if a != GOLD]
        provenance = store.gold_sources() if layer == "gold" else None
    if fmt == "bundle":
        from .merge import export_bundle

        export_bundle(store, out_path, who, codebook_id)
        return
    if fmt not in FORMATS:
        _export_foreign(store, fmt, out_path, who, codebook_id)
        return
    with written_or_failed(out_path):
        if out_path is not None:
            with output_file(out_path) as out:
                count = export(store, fmt, out, who, codebook_id, provenance=provenance)
            make_console().print(Text(f"Exported {count} annotation(s) to {display_path(out_path)}"))
            return
        with utf8_stdout() as out:
            export(store, fmt, out, who, codebook_id, terminal=sys.stdout.isatty(), provenance=provenance)


def _export_foreign(store: Store, fmt: str, out_path: Path | None, who: list[str] | None,
                    codebook_id: str | None) -> None:
    """``export`` in another tool's format (annotator.exchange)."""
    from ..exchange.formats_out import BINARY_FORMATS, ExportRefused, cannot_export, export_foreign
    from ..readouts.tables import output_file

    if (problem := cannot_export(fmt)) is not None:
        fail(problem)
    if out_path is None and fmt in BINARY_FORMATS:
        fail(f"--format {fmt} writes a binary file: give --out FILE", 2)
    try:
        with written_or_failed(out_path):
            if out_path is not None:
                with output_file(out_path) as out:
                    written = export_foreign(store, fmt, out, who, codebook_id)
            else:
                with utf8_stdout() as out:
                    written = export_foreign(store, fmt, out, who, codebook_id)
    except ExportRefused as exc:
        fail(f"--format {fmt}: {exc}; nothing was written")
    if out_path is not None:
        left = "".join(f"; left out {n:,} {reason}" for reason, n in sorted(written.left_out.items()))
        make_console().print(Text(f"Exported {written.count:,} annotation(s) to {display_path(out_path)}{left}"))
    elif written.left_out:
        left = "; ".join(f"{n:,} {reason}" for reason, n in sorted(written.left_out.items()))
        click.echo(f"left out {left}", err=True)
