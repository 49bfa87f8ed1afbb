"""``annotator import-annotations``: this tool's exports, pre-annotations and other tools' files in."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.text import Text

from .common import (annotator_option, codebook_finder, codebook_option, fail, load_codebook_or_fail,
                         make_console, session_annotator, writing_store_command)
from ..normalize import printable
from ..paths import display_path

if TYPE_CHECKING:
    from ..store import Store

FORMATS_IN = ("auto", "jsonl", "label-studio", "doccano", "prodigy", "brat", "w3c")  # exchange.formats_in's
OFFSET_UNITS = ("auto", "utf16", "codepoints")


@click.command("import-annotations")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS_IN), default="auto", show_default=True,
              help="The file's format (auto: told by its shape; brat: a folder or zip archive).")
@click.option("--offsets", type=click.Choice(OFFSET_UNITS), default="auto", show_default=True,
              help="How the file counts offsets: UTF-16 code units (doccano, JavaScript) or code points; auto: "
                   "the one that puts each span on its quoted text.")
@click.option("--label-map", "label_map_file", type=click.Path(path_type=Path),
              help="YAML or CSV file: the file's label names -> codebook labels (id or category:label).")
@click.option("--publisher", help="Publisher of the articles the file brings that the database lacks "
                                  "(outlet id, name, alias or domain; default: unknown).")
@annotator_option(help="Who merges: a later version of your own tags replaces them; one of someone else's is a "
                       "conflict. Also the annotator of pre-annotations and tags that name none "
                       "(default: configuration, $ANNOTATOR_NAME, login name).")
@codebook_option
@writing_store_command
def import_annotations_command(store: Store, file: Path, fmt: str, offsets: str, label_map_file: Path | None,
                               publisher: str | None, annotator_name: str | None, codebook_ref: str | None) -> None:
    """Merge tags into this database: an export of this tool (jsonl, w3c), pre-annotations (records
    with article, annotator, label and offsets or a quote), or a Label Studio, doccano, Prodigy or
    brat file (its articles imported when missing). Changes to someone else's tags are kept as
    conflicts (see `annotator history`)."""
    from ..errors import InputError
    from ..exchange.formats_in import ImportOptions, import_file
    from ..exchange.tags_in import load_label_map

    err = make_console(stderr=True)
    where = display_path(file)

    def refused(place: Any, reason: str) -> None:
        at = f"{where}:{place}" if place is not None else where
        err.print(Text("refused: ", style="bold red") + Text(printable(f"{at}: {reason}")))

    def note(place: Any, remark: str) -> None:
        err.print(Text("note: ", style="yellow") + Text(printable(f"{where}:{place}: {remark}")))

    finder, chosen = codebook_finder(codebook_ref), []

    def load_book() -> Any:  # the codebook new tags are made with, read once
        if not chosen:
            chosen.append(load_codebook_or_fail(codebook_ref, quiet=True))
        return chosen[0]

    def book_of(codebook_id: str) -> Any:  # the codebook a tag of that id is checked against
        return chosen[0] if chosen and chosen[0].id == codebook_id else finder(codebook_id)

    try:
        label_map = load_label_map(label_map_file) if label_map_file is not None else {}
        options = ImportOptions(load_book=load_book, owner=session_annotator(annotator_name), offsets=offsets,
                                label_map=label_map, publisher=publisher, codebook=book_of)
        report = import_file(store, file, fmt, options, refused, note)
    except InputError as exc:
        fail(str(exc))
    out = make_console()
    if report.articles_added:
        out.print(Text(f"Imported articles: {report.articles_added}"))
    for what, count in sorted(report.skipped.items()):
        err.print(Text(printable(f"note: {where}: {count} {what} not read")))
    out.print(Text(report.merge.summary()))
    sys.exit(0 if report.ok else 1)
