"""Exports of the annotations: CSV, JSON lines and W3C Web Annotation (JSON-LD).

Every format is written as the rows come from the store's cursor
(:meth:`annotator.store.Store.iter_annotation_exports`), so exporting a million
annotations takes no more memory than exporting ten. ``--out FILE`` is written
whole or not at all (:func:`annotator.readouts.tables.output_file`).

The record of one annotation is :class:`ExportRecord`; its JSON Schema is
``schemas/annotation-export.schema.json`` (``python -m annotator.exchange.export``
regenerates it; a test fails while it is stale). Offsets (``start``, ``end``)
are Python code-point offsets into the article's canonical text, so
``text[start:end] == quote``; W3C ``TextPositionSelector`` counts code points too.
"""

from __future__ import annotations

import io
import json
import os
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import accumulate, chain
from itertools import count as counter
from operator import add
from datetime import datetime
from pathlib import Path
from typing import IO, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .json_out import (_bytes_writer, sqlite_writes_json_as_python, write_jsonl, write_jsonl_fast, write_w3c,
                                 write_w3c_fast)
from ..models import ARTICLE_NOTE_CATEGORY
from ..normalize import printable
from ..store import (CSV_ARTICLE_CELLS, CSV_ATTRIBUTE_COLUMNS, CSV_COLUMNS, CSV_HEAD_CELLS, CSV_SEPARATOR,
                    CSV_TAIL_CELLS, EXPORT_FIELDS)
from ..readouts.tables import FORMULA_STARTS, csv_writer, write_csv_row

FORMATS = ("csv", "jsonl", "w3c")
SCHEMA_FILE = Path(__file__).resolve().parent.parent.parent / "schemas" / "annotation-export.schema.json"
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

_SHA256 = r"^[0-9a-f]{64}$"
_UUID = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
_OFFSET = ("Python code-point offset into the article's canonical text (what `annotator show ARTICLE --json` "
           "gives as `text`); not UTF-16 units, not bytes. null for article-level tags.")


class AnnotationFields(BaseModel):
    """The annotation part of an export record: what ``import-annotations`` reads back."""

    model_config = ConfigDict(strict=True, extra="ignore", str_strip_whitespace=False)

    id: str = Field(pattern=_UUID, description="The annotation's UUID; the same in every database it is merged into.")
    article_id: str = Field(min_length=1, description="The article (first 12 hex digits of the SHA-256 of its canonical text).")
    annotator: str = Field(min_length=1, description="Who made the tag.")
    codebook: str = Field(min_length=1, description="Id of the codebook the tag was made with.")
    codebook_version: str = Field(description="Version of that codebook.")
    category: str = Field(min_length=1, description=f"Codebook category id; `{ARTICLE_NOTE_CATEGORY}` for a note on the whole article.")
    label: str = Field(min_length=1, description="Label id within the category (`note` for article notes).")
    start: int | None = Field(ge=0, description="Start of the span: " + _OFFSET)
    end: int | None = Field(ge=0, description="End of the span (exclusive): " + _OFFSET)
    quote: str | None = Field(description="The tagged text, exactly `text[start:end]`; null for article-level tags.")
    prefix: str | None = Field(description="Up to 32 characters before the span (as in a W3C TextQuoteSelector).")
    suffix: str | None = Field(description="Up to 32 characters after the span.")
    text_sha256: str = Field(pattern=_SHA256, description="SHA-256 (hex) of the canonical text the tag was made on.")
    attributes: dict[str, str] = Field(description="Span attributes: `voice` (own / quoted / scare-quoted), and for "
                                                   "accepted lexicon suggestions `concept` and `variant`.")
    note: str | None = Field(description="The annotator's note, exactly as typed.")
    origin: Literal["human", "suggestion", "imported"] = Field(
        description="`suggestion` when made by accepting a lexicon suggestion; `imported` when made by "
                    "`import-annotations` from a pre-annotation or another tool's file.")
    created_at: str = Field(json_schema_extra={"format": "date-time"}, description="When the tag was made (ISO 8601, UTC).")
    updated_at: str = Field(json_schema_extra={"format": "date-time"},
                            description="When it was last changed (ISO 8601, UTC); the newer copy wins when merging.")

    @field_validator("created_at", "updated_at")
    @classmethod
    def _iso_time(cls, value: str) -> str:
        try:
            datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not an ISO 8601 time") from None
        return value


class ExportRecord(AnnotationFields):
    """One live annotation with its article and outlet context (a JSONL line; a CSV row)."""

    model_config = ConfigDict(strict=True, extra="forbid", str_strip_whitespace=False,
                              title="annotator export record")

    publisher: str | None = Field(description="Outlet id of the outlet the article was read at; null = unknown.")
    publisher_name: str | None = Field(description="That outlet's name.")
    original_source: str | None = Field(description="Outlet id of the outlet that wrote it (syndication); null = unknown.")
    original_source_name: str | None = Field(description="That outlet's name.")
    title: str = Field(description="The article's title.")
    url: str | None = Field(description="The article's url, when known.")
    published: str | None = Field(pattern=r"^~?\d{4}(-\d{2}(-\d{2})?)?$",
                                  description="Publication date as stored: YYYY, YYYY-MM or YYYY-MM-DD, `~` in front "
                                              "when approximate (`~2025-07`); null = unknown.")
    language: str | None = Field(description="The article's language code, when known.")
    story: str | None = Field(description="The story (event) the article belongs to, when known.")


def export_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of an export record."""
    schema = ExportRecord.model_json_schema()
    return {**schema, "$schema": JSON_SCHEMA_DIALECT,
            "description": "One live annotation with its article and outlet context, as `annotator export --format "
                           "jsonl` writes it (one object per line) and `annotator import-annotations` reads it. CSV "
                           "exports have the same columns, with `voice`, `concept` and `variant` also as columns of "
                           "their own and `attributes` as a JSON cell."}


def render_export_schema() -> str:
    return json.dumps(export_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


# -- CSV --------------------------------------------------------------------------------

# The CSV's columns (CSV_COLUMNS) are the store's export fields with the attribute columns
# before ``attributes``: the store defines them, and the cells its fast path joins, once.
_EXTRA = len(EXPORT_FIELDS)  # a row's published_approximate, then the attribute columns
_WHERE = [_EXTRA + 1 + CSV_ATTRIBUTE_COLUMNS.index(c) if c in CSV_ATTRIBUTE_COLUMNS else EXPORT_FIELDS.index(c)
          for c in CSV_COLUMNS]
_PUBLISHED, _ATTRIBUTES = CSV_COLUMNS.index("published"), CSV_COLUMNS.index("attributes")


def _attributes_text(stored: Any) -> str:
    """The attributes cell: the stored JSON (keys sorted, non-ASCII as itself when it was escaped)."""
    return "{}" if not stored or stored == "{}" else (
        stored if stored.isascii() and "\\u" not in stored else
        json.dumps(json.loads(stored), ensure_ascii=False, sort_keys=True))


def csv_cells(row: tuple) -> list[Any]:
    """The CSV cells of one export row (:meth:`Store.iter_annotation_export_rows`), unguarded."""
    cells = [row[i] for i in _WHERE]
    if row[_EXTRA] and cells[_PUBLISHED] is not None:
        cells[_PUBLISHED] = "~" + cells[_PUBLISHED]
    cells[_ATTRIBUTES] = _attributes_text(cells[_ATTRIBUTES])
    return cells


def csv_columns(rows: Sequence[tuple]) -> list[list[Any]]:
    """The CSV cells of many export rows, column by column (``csv_cells`` of each row, transposed)."""
    fields = list(zip(*rows)) if rows else [() for _ in range(_EXTRA + 1 + len(CSV_ATTRIBUTE_COLUMNS))]
    columns = [list(fields[i]) for i in _WHERE]
    published = columns[_PUBLISHED]
    for at, approximate in enumerate(fields[_EXTRA]):
        if approximate and published[at] is not None:
            published[at] = "~" + published[at]
    columns[_ATTRIBUTES] = [_attributes_text(cell) for cell in columns[_ATTRIBUTES]]
    return columns


def write_csv(rows: Iterable[tuple], out: IO[str], terminal: bool = False) -> int:
    """A header and one row per export row (:meth:`Store.iter_annotation_export_rows`; RFC 4180,
    ``\r\n``); every cell spreadsheet-safe. ``terminal``: control characters are shown as
    escapes (never sent to a terminal). :func:`write_csv_fast` writes the same bytes faster."""
    writer = csv_writer(out)
    write_csv_row(writer, CSV_COLUMNS)
    count = 0
    for row in rows:
        cells = csv_cells(row)
        if terminal:
            cells = [printable(v) if isinstance(v, str) else v for v in cells]
        write_csv_row(writer, cells)
        count += 1
    return count


# The fast path works on the cells SQLite joined with CSV_SEPARATOR (0xFF, in no UTF-8
# text), as UTF-8 bytes. The characters it looks for are ASCII, and no byte of a longer
# UTF-8 character is ASCII.
_SEP = CSV_SEPARATOR
# What a cell must not hold to pass as it is: characters that need CSV quotes (-> \x1e)
# and, first, ones a spreadsheet takes for a formula (-> \x1d; \r is both). Bytes 1D and
# 1E of the text become 1C, so a mark is always one of these characters.
_MARKS = bytes.maketrans(b'",\n\r=+-@\t\x1d\x1e', b"\x1e\x1e\x1e\x1e\x1d\x1d\x1d\x1d\x1d\x1c\x1c")
_FORMULA = tuple(start.encode() for start in FORMULA_STARTS)
_NUMBER = re.compile(rb"-[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?")  # a negative number as SQLite prints it
_HEAD, _TAIL, _ARTICLE = len(CSV_HEAD_CELLS), len(CSV_TAIL_CELLS), len(CSV_ARTICLE_CELLS)
_OFFSETS = (CSV_COLUMNS.index("start"), CSV_COLUMNS.index("end"))  # numbers: never guarded


def _csv_bytes(cell: bytes) -> bytes:
    """One cell as write_csv_row and csv.writer write it: guarded, quoted when it must be."""
    if cell.startswith(_FORMULA):
        cell = b"'" + cell
    if b'"' in cell or b"," in cell or b"\n" in cell or b"\r" in cell:
        cell = b'"' + cell.replace(b'"', b'""') + b'"'
    return cell


def _fix_cells(parts: list[bytes], numbers: tuple[int, ...] = ()) -> None:
    """Turn each of ``parts`` (cells joined by the separator) into CSV cells still joined by
    the separator: the cells that need quotes or the guard are rewritten, found in one
    pass over all the parts joined (a part with none costs no Python step).
    ``numbers``: the cells of numbers (a negative number is not guarded)."""
    joined = _SEP + _SEP.join(parts)  # every cell, the first too, comes after a separator
    marked = joined.translate(_MARKS)
    quote: dict[int, int] = {}  # begin -> end of each cell that needs quotes
    at = marked.find(b"\x1e")
    while at >= 0:
        begin = marked.rfind(_SEP, 0, at) + 1
        end = marked.find(_SEP, at)
        quote[begin] = end = len(marked) if end < 0 else end
        at = marked.find(b"\x1e", end)
    guard: dict[int, int] = {}  # begin -> end of each other cell that starts with a formula character
    at = marked.find(_SEP + b"\x1d")
    while at >= 0:
        end = marked.find(_SEP, at + 1)
        end = len(marked) if end < 0 else end
        if at + 1 not in quote:
            guard[at + 1] = end
        at = marked.find(_SEP + b"\x1d", end)
    if not quote and not guard:
        return
    starts = list(map(add, accumulate(map(len, parts), initial=1), counter()))  # of each part in joined
    row, pieces, done = -1, [], 0
    for begin, end in sorted((*quote.items(), *guard.items())):
        if begin >= starts[row + 1]:
            if row >= 0:
                pieces.append(joined[done:starts[row + 1] - 1])
                parts[row] = b"".join(pieces)
            row = bisect_right(starts, begin) - 1
            pieces, done = [], starts[row]
        cell = joined[begin:end]
        if begin in quote:
            cell = (b"\"'" if cell.startswith(_FORMULA) else b'"') + cell.replace(b'"', b'""') + b'"'
        elif numbers and _NUMBER.fullmatch(cell) and joined.count(_SEP, starts[row], begin) in numbers:
            continue
        else:
            cell = b"'" + cell
        pieces += (joined[done:begin], cell)
        done = end
    pieces.append(joined[done:starts[row + 1] - 1])
    parts[row] = b"".join(pieces)


def _attributes_csv(store: Any, stored: Any) -> bytes | None:
    """The cells from ``voice`` to ``attributes`` between separators (None: the row is
    exported from its cells)."""
    if stored is not None and not isinstance(stored, str):
        return None
    cells = [b"" if value is None else _csv_bytes(value.encode()) for value in store.attribute_columns(stored)]
    return _SEP.join([b"", *cells, _csv_bytes(_attributes_text(stored).encode()), b""])


def _exact_csv_line(store: Any, rowid: int) -> bytes:
    """One annotation's CSV row from its cells, by :func:`write_csv`'s rules."""
    text = io.StringIO(newline="")
    writer = csv_writer(text)
    for row in store.iter_annotation_export_rows(rowid=rowid):
        write_csv_row(writer, csv_cells(row))
    return text.getvalue().encode("utf-8")


def write_csv_fast(store: Any, out: IO[str], annotators: Iterable[str] | None = None,
                   codebook: str | None = None) -> int:
    """The bytes :func:`write_csv` writes (not for a terminal), from the rows as SQLite
    joins their cells (:meth:`Store.iter_annotation_csv_parts`), a batch at a time: the
    cells that need quotes or the guard (a comma in a quote, say) are found and fixed
    where they are, the other cells pass as they come. A row with a NULL where SQLite's
    join does not expect one is read again as cells."""
    writer = csv_writer(out)
    write_csv_row(writer, CSV_COLUMNS)
    write = _bytes_writer(out)
    articles: dict[int, bytes | None] = {}  # rowid -> separator, its cells, line end (None: from cells)
    attributes: dict[Any, bytes | None] = {}  # few distinct values: their cells, voice to attributes
    written, last = 0, None
    for new_articles, rows in store.iter_annotation_csv_parts(annotators, codebook):
        articles = {last: articles[last]} if last in articles else {}  # its rows may go on in this batch
        last = rows[-1][0]
        parts = [b"" if cells is None else cells for cells in new_articles.values()]
        _fix_cells(parts)
        for (rowid, cells), fixed in zip(new_articles.items(), parts):
            articles[rowid] = None if cells is None else _SEP + fixed + b"\r\n"
        article_ids, heads, stored, tails, rowids = (list(column) for column in zip(*rows))
        if len(attributes) > 10_000:
            attributes.clear()
        for value in set(stored).difference(attributes):
            attributes[value] = _attributes_csv(store, value)
        cells = list(map(attributes.__getitem__, stored))
        ends = list(map(articles.get, article_ids))
        exact: list[int] = []
        if not (all(heads) and all(tails) and all(cells) and all(ends)):  # a part is never empty: None
            exact = [i for i, row in enumerate(zip(heads, cells, tails, ends)) if None in row]
            for i in exact:
                heads[i] = tails[i] = b""
        _fix_cells(heads, _OFFSETS)
        _fix_cells(tails)
        flat = list(chain.from_iterable(zip(heads, cells, tails, ends)))
        done = 0
        for i in exact:  # rare: written between the rows around them
            write(b"".join(flat[4 * done:4 * i]).replace(_SEP, b","))
            write(_exact_csv_line(store, rowids[i]))
            done = i + 1
        write(b"".join(flat[4 * done:]).replace(_SEP, b","))
        written += len(rows)
    return written


WRITERS: dict[str, Callable[[Iterable[dict[str, Any]], IO[str], bool], int]] = {
    "jsonl": write_jsonl, "w3c": write_w3c,  # (csv: write_csv, on rows)
}


def export(store: Any, fmt: str, out: IO[str], annotators: Iterable[str] | None = None,
           codebook: str | None = None, terminal: bool = False, provenance: dict[str, dict] | None = None) -> int:
    """Write every live annotation (optionally only some annotators' or one codebook's) in
    ``fmt`` to ``out``; returns how many. ``terminal``: ``out`` is a terminal. ``provenance``
    (gold tag id → its sources, reviewer and time): added to JSON lines as ``gold``, beside the
    :class:`ExportRecord` fields (``import-annotations`` ignores it)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (use one of {', '.join(FORMATS)})")
    if fmt == "csv" and terminal:
        return write_csv(store.iter_annotation_export_rows(annotators=annotators, codebook=codebook), out, terminal)
    if fmt == "csv":
        return write_csv_fast(store, out, annotators, codebook)
    if fmt in ("jsonl", "w3c") and provenance is None and sqlite_writes_json_as_python(store):
        return (write_jsonl_fast if fmt == "jsonl" else write_w3c_fast)(store, out, annotators, codebook)
    records: Iterator[dict[str, Any]] = store.iter_annotation_exports(annotators=annotators, codebook=codebook)
    if provenance is not None:
        records = ({**r, "gold": provenance.get(r["id"])} if fmt == "jsonl" else r for r in records)
    return WRITERS[fmt](records, out, terminal)


# -- files ----------------------------------------------------------------------------------


def check_out_path(path: Path) -> str | None:
    """Why ``path`` cannot be written as an export (None when it looks writable)."""
    directory = path.parent
    try:
        if path.is_dir():
            return "is a folder, not a file"
        if not directory.is_dir():
            return f"no such folder {directory}" if not directory.exists() else f"{directory} is not a folder"
    except OSError as exc:  # a name too long
        return f"cannot be written: {exc.strerror or exc}"
    if not os.access(directory, os.W_OK | os.X_OK):
        return f"cannot write in folder {directory}"
    return None


if __name__ == "__main__":
    SCHEMA_FILE.write_text(render_export_schema(), encoding="utf-8")
    print(SCHEMA_FILE)
