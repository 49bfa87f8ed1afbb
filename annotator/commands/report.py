"""``annotator report``: the statistics as charts in one self-contained HTML file, and
each chart as an SVG or PNG file for slides."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.text import Text

from .common import (codebook_option, fail, load_codebook_or_fail, make_console, partial_date, reader_gone,
                         store_command)
from .stats_export import _known_annotators
from ..normalize import printable
from ..team.review import GOLD
from ..paths import display_path

if TYPE_CHECKING:
    from ..store import Store

DEFAULT_OUT = Path("report.html")


@click.command("report")
@click.option("--out", "out_path", type=click.Path(path_type=Path, dir_okay=False),
              help=f"The HTML file (whole or not at all; - for standard output; default {DEFAULT_OUT} unless --charts is given).")
@click.option("--charts", "charts_dir", type=click.Path(path_type=Path), metavar="DIR",
              help="Also (or only) write each chart to a file in DIR (created if missing), for slides.")
@click.option("--format", "fmt", type=click.Choice(["svg", "png"]), default=None,
              help="The chart files' format with --charts (default svg).")
@click.option("--count", "counting", default="all", show_default=True,
              help="Whose tags count: all (every annotator but the adjudicator), adjudicated, or annotators' names (a,b).")
@click.option("--outlet-by", type=click.Choice(["publisher", "source"]), default="publisher", show_default=True,
              help="Outlet = the publisher, or the original source where known (syndicated articles).")
@click.option("--since", help="Articles published on or after YYYY[-MM[-DD]].")
@click.option("--until", help="Articles published on or before YYYY[-MM[-DD]].")
@click.option("--story", help="Only articles of this story.")
@click.option("--adjudicator", default=GOLD, show_default=True,
              help="The annotator name whose tags are the adjudicated (gold) ones.")
@click.option("--concept", help="The lexicon concept followed over time (default: the one with the most tags).")
@click.option("--max-stories", type=click.IntRange(min=0), default=20, show_default=True,
              help="Story comparisons shown at most (without --story).")
@codebook_option
@store_command
def report(store: Store, out_path: Path | None, charts_dir: Path | None, fmt: str | None, counting: str,
           outlet_by: str, since: str | None, until: str | None, story: str | None, adjudicator: str,
           concept: str | None, max_stories: int, codebook_ref: str | None) -> None:
    """The statistics as charts in one self-contained HTML file (opens offline, no script)."""
    from ..report import Options, ReportError, drawn_charts, gather
    from ..report.html import page
    from ..readouts.stats import Counting

    if fmt is not None and charts_dir is None:
        fail("--format sets the chart files' format: give --charts DIR too", 2)
    if out_path is None and charts_dir is None:
        out_path = DEFAULT_OUT
    if charts_dir is not None and charts_dir.exists() and not charts_dir.is_dir():
        fail(f"--charts {display_path(charts_dir)}: is a file, not a folder", 2)
    choice = Counting.parse(counting, adjudicator)
    _known_annotators(store, choice.annotators, "--count" if choice.mode == "annotators" else "--adjudicator")
    if story is not None and story not in {r.id for r in store.stories()}:
        fail(f"--story {printable(story)!r}: no such story (see `annotator stories`)", 2)
    book = load_codebook_or_fail(codebook_ref)
    options = Options(choice, partial_date("--since", since), partial_date("--until", until), story, outlet_by,
                      concept, max_stories)
    try:
        data = gather(store, book, options)
    except ReportError as exc:
        fail(str(exc), 2)
    console = make_console()
    if out_path is not None:
        _write_html(out_path, page(data, drawn_charts(data, "svg")))  # type: ignore[arg-type]
        if str(out_path) != "-":  # (--out -: the page itself is the output)
            console.print(Text(f"Wrote the report to {display_path(out_path)}"))
    if charts_dir is not None:
        written = _write_chart_files(charts_dir, drawn_charts(data, fmt or "svg"), fmt or "svg")
        console.print(Text(f"Wrote {written} chart(s) to {display_path(charts_dir)}"))


def _write_html(path: Path, text: str) -> None:
    from ..readouts.tables import output_file

    try:
        with output_file(path) as out:
            out.write(text)
    except OSError as exc:
        if str(path) == "-" and reader_gone(exc):
            raise  # `annotator report --out - | head`: ends quietly
        fail(f"--out {display_path(path)}: cannot write ({exc.strerror or exc})")


def _write_chart_files(folder: Path, drawn: list, fmt: str) -> int:
    """One file per chart (``NN-slug.svg``), each written under a temporary name and renamed
    when complete; on a failure, the files this run wrote are removed again."""
    written: list[Path] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for n, (chart, content) in enumerate(drawn, 1):
            target = folder / f"{n:02d}-{chart.slug}.{fmt}"
            fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(content.encode("utf-8") if isinstance(content, str) else content)
                os.chmod(temp, 0o666 & ~_umask())
                os.replace(temp, target)
            except BaseException:
                Path(temp).unlink(missing_ok=True)
                raise
            written.append(target)
    except OSError as exc:
        for path in written:
            path.unlink(missing_ok=True)
        fail(f"--charts {display_path(folder)}: cannot write ({exc.strerror or exc})")
    return len(written)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
