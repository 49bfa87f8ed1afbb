"""``annotator merge OTHER``: bring in everything another database of the same corpus (or a
bundle, or a JSON-lines export) holds. Thin: the rules are in :mod:`annotator.merging.merge`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.text import Text

from .common import annotator_option, codebook_finder, codebook_option, fail, make_console, print_json
from .common import session_annotator, writing_store_command
from ..normalize import printable

if TYPE_CHECKING:
    from ..store import Store


@click.command("merge")
@click.argument("other", type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Say what the merge would do; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the report (counts, conflicts, refused records) as JSON.")
@annotator_option(help="Who merges, kept in the history of every change (default: configuration, $ANNOTATOR_NAME, "
                       "login name).")
@codebook_option
@writing_store_command
def merge(store: Store, other: Path, dry_run: bool, as_json: bool, annotator_name: str | None,
          codebook_ref: str | None) -> None:
    """Merge another database of the same corpus (another laptop's annotations.db), a bundle
    (annotator export --format bundle) or a JSON-lines export into this one: articles,
    tags, answers, notes, done marks, rejected suggestions, outlet edits. The later change
    wins; conflicts are listed with the rule that decided them."""
    from ..errors import InputError
    from ..merging.sources import MergeStopped, merge_path

    try:
        report = merge_path(store, other, session_annotator(annotator_name), dry_run, codebook_finder(codebook_ref))
    except MergeStopped as exc:
        fail(str(exc))
    except InputError as exc:
        fail(f"{exc}; nothing was merged")
    if as_json:
        print_json(report.as_dict())
        sys.exit(0 if report.ok else 1)
    out, err = make_console(), make_console(stderr=True)
    for conflict in report.conflicts:
        side = "this database's" if conflict.kept == "here" else "the other's"
        out.print(Text(printable(f"conflict: {conflict.kind} {conflict.key}: kept {side} version ({conflict.rule}); "
                                 f"here: {conflict.here}; there: {conflict.there}")))
    for refused in report.refused:
        err.print(Text("refused: ", style="bold red") + Text(printable(f"{refused.kind} {refused.where}: "
                                                                       f"{refused.reason}")))
    for line in report.summary_lines():
        out.print(Text(printable(line)))
    sys.exit(0 if report.ok else 1)


def export_bundle(store: Store, out_path: Path | None, who: list[str] | None, codebook_id: str | None) -> None:
    """``annotator export --format bundle``: everything the database holds, for ``annotator merge``."""
    from .common import utf8_stdout, written_or_failed
    from ..merging.sources import write_bundle
    from ..paths import display_path
    from ..readouts.tables import output_file

    if who or codebook_id:
        fail("--format bundle carries everything the database holds: it takes no --annotator or --codebook", 2)
    with written_or_failed(out_path):
        if out_path is not None:
            with output_file(out_path) as out:
                count = write_bundle(store.path, out)
            make_console().print(Text(f"Exported a bundle of {count:,} record(s) to {display_path(out_path)}"))
            return
        with utf8_stdout(newline="\n") as out:
            write_bundle(store.path, out)
