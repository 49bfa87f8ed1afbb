"""Exports of the annotations: CSV, JSON lines and W3C Web Annotation (JSON-LD).

Every format is written as the rows come from the store's cursor
(:meth:`annotator.store.Store.iter_annotation_exports`), so exporting a million
annotations takes no more memory than exporting ten. ``--out FILE`` is written
whole or not at all (:func:`annotator.tables.output_file`).

The record of one annotation is :class:`ExportRecord`; its JSON Schema is
``schemas/annotation-export.schema.json`` (``python -m annotator.export``
regenerates it; a test fails while it is stale). Offsets (``start``, ``end``)
are Python code-point offsets into the article's canonical text, so
``text[start:end] == quote``; W3C ``TextPositionSelector`` counts code points too.
"""

from __future__ import annotations

import io
import json
import os
import re
import uuid as uuid_module
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from itertools import accumulate, chain
from itertools import count as counter
from operator import add
from datetime import datetime
from pathlib import Path
from typing import IO, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .models import ARTICLE_NOTE_CATEGORY, utc_now
from .normalize import json_escape_hidden, printable
from .store import (CSV_ARTICLE_CELLS, CSV_ATTRIBUTE_COLUMNS, CSV_COLUMNS, CSV_HEAD_CELLS, CSV_SEPARATOR,
                    CSV_TAIL_CELLS, EXPORT_FIELDS)
from .tables import FORMULA_STARTS, csv_writer, write_csv_row

FORMATS = ("csv", "jsonl", "w3c")
W3C_ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
# What the Web Annotation model has no term for is kept under the ``annotator:`` prefix,
# declared here (a private namespace: a URN, not a web page). ``annotator:attributes`` is
# a JSON object kept as it is (a JSON literal, JSON-LD 1.1), not read as linked data.
W3C_NAMESPACE = "urn:annotator:vocab:"
W3C_CONTEXT: list[Any] = [W3C_ANNO_CONTEXT, {
    "@version": 1.1,
    "annotator": W3C_NAMESPACE,
    "annotator:attributes": {"@type": "@json"},
}]
SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schemas" / "annotation-export.schema.json"
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


def _bytes_writer(out: IO[str]) -> Callable[[bytes], Any]:
    """Write UTF-8 bytes to ``out``: to its binary buffer when it is a UTF-8 text file."""
    buffer = getattr(out, "buffer", None)
    encoding = (getattr(out, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    if buffer is not None and encoding == "utf8":
        out.flush()
        return buffer.write
    return lambda data: out.write(data.decode("utf-8"))


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


# -- JSON lines -----------------------------------------------------------------------------

def dumps(data: Any) -> str:
    """Compact JSON, UTF-8 text kept readable, invisible and terminal-active characters escaped."""
    return json_escape_hidden(json.dumps(data, ensure_ascii=False, separators=(", ", ": ")))


def write_jsonl(records: Iterable[dict[str, Any]], out: IO[str], terminal: bool = False) -> int:
    """One JSON object per line (an :class:`ExportRecord`)."""
    count = 0
    for record in records:
        out.write(dumps(record) + "\n")
        count += 1
    return count


# normalize.HIDDEN_RE's characters as UTF-8 bytes (a test checks the two find the same)
HIDDEN_UTF8 = re.compile(
    b"\x7f|\xc2[\x80-\x9f\xad]|\xd8\x9c|\xe1\xa0\x8e|\xe2\x80[\x8b-\x8f\xa8-\xae]|\xe2\x81[\xa0-\xaf]"
    b"|\xef\xbb\xbf|\xef\xbf[\xb9-\xbb]|\xf3\xa0[\x80\x81][\x80-\xbf]")
_ASCII_BUT_DEL = bytes(range(0x7f))  # deleted before the search: UTF-8 keeps each character's bytes together
_QUOTE_PROBE = "".join(map(chr, range(0x20))) + "\"\\/\x7f\u0085\u2028\u202e\U0001f600 é"
ATTRIBUTES_CACHE = 10_000  # distinct attributes values kept written (each a small object)


def sqlite_writes_json_as_python(store: Any) -> bool:
    """Whether this SQLite's json_quote() escapes strings as Python's json.dumps does (the
    fast JSON-lines export relies on it; a SQLite that differs gets the record by record one)."""
    return store.json_quote(_QUOTE_PROBE) == json.dumps(_QUOTE_PROBE, ensure_ascii=False)


def write_jsonl_fast(store: Any, out: IO[str], annotators: Iterable[str] | None = None,
                     codebook: str | None = None) -> int:
    """The same lines as :func:`write_jsonl` over the same records, written by SQLite
    (:meth:`Store.iter_annotation_json_parts`: each article's part once, no article text
    read): Python only adds each row's attributes (written once per distinct value) and
    escapes hidden characters per batch."""
    write = _bytes_writer(out)
    count = 0
    for texts in _json_texts(store.iter_annotation_json_parts(annotators, codebook), 2,
                             lambda row, article, attributes: row[1] + attributes + row[3] + article):
        write(_escaped_utf8("\n".join(texts) + "\n"))
        count += len(texts)
    return count


def _json_texts(parts: Iterable[tuple[dict[int, str], list[tuple]]], attributes_at: int,
                assemble: Callable[[tuple, str, str], str]) -> Iterator[list[str]]:
    """Per batch of the store's export parts, each row's JSON text: ``assemble(row, its
    article's part, its attributes as JSON)``, the attributes (``row[attributes_at]``, as
    stored) written once per distinct value."""
    written: dict[str | None, str] = {}
    articles: dict[int, str] = {}  # the batch's articles, and the last one before it (its rows may go on)
    for started, rows in parts:
        first = rows[0][0]
        articles = {first: articles[first]} if first in articles else {}
        articles.update(started)
        texts = []
        for row in rows:
            stored = row[attributes_at]
            text = written.get(stored)
            if text is None:
                if len(written) >= ATTRIBUTES_CACHE:
                    written.clear()
                text = written[stored] = json.dumps(json.loads(stored or "{}"), ensure_ascii=False, separators=(", ", ": "))
            texts.append(assemble(row, articles[row[0]], text))
        yield texts


def _escaped_utf8(text: str) -> bytes:
    """``text`` as UTF-8, its hidden characters escaped as :func:`json_escape_hidden` does
    (looked for in the bytes, their ASCII deleted first: only the few others are searched)."""
    data = text.encode("utf-8")
    if HIDDEN_UTF8.search(data.translate(None, _ASCII_BUT_DEL)):
        data = json_escape_hidden(text).encode("utf-8")
    return data


# -- W3C Web Annotation ---------------------------------------------------------------------

GENERATOR = {"type": "Software", "name": "annotator"}


def w3c_annotation(record: dict[str, Any]) -> dict[str, Any]:
    """One export record as a W3C Web Annotation. Label tags have motivation ``tagging``
    (spans) or ``classifying`` (answers about the whole article) and a TextualBody with the
    label id; article notes are ``commenting``. What the model has no term for is kept in
    ``annotator:`` properties."""
    is_note = record["category"] == ARTICLE_NOTE_CATEGORY
    is_span = record["start"] is not None
    motivation = "commenting" if is_note else "tagging" if is_span else "classifying"
    body: list[dict[str, Any]] = []
    if not is_note:
        body.append({"type": "TextualBody", "purpose": motivation, "value": record["label"]})
    if record["note"] is not None:
        body.append({"type": "TextualBody", "purpose": "commenting", "value": record["note"], "format": "text/plain"})
    target: dict[str, Any] = {"source": record["url"] or f"urn:annotator:article:{record['article_id']}"}
    if is_span:
        quote = {"type": "TextQuoteSelector", "exact": record["quote"]}
        quote.update({k: record[k] for k in ("prefix", "suffix") if record[k]})
        target["selector"] = [quote, {"type": "TextPositionSelector", "start": record["start"], "end": record["end"]}]
    return {
        "id": f"urn:uuid:{record['id']}",
        "type": "Annotation",
        "motivation": motivation,
        "creator": {"type": "Person", "name": record["annotator"]},
        "created": record["created_at"],
        "modified": record["updated_at"],
        "generator": GENERATOR,
        "body": body,
        "target": target,
        "annotator:article": record["article_id"],
        "annotator:textSha256": record["text_sha256"],
        "annotator:codebook": record["codebook"],
        "annotator:codebookVersion": record["codebook_version"],
        "annotator:category": record["category"],
        "annotator:label": record["label"],
        "annotator:attributes": record["attributes"],
        "annotator:origin": record["origin"],
    }


def _w3c_opening() -> str:
    """An ``AnnotationCollection`` up to its first page's ``items`` (fresh ids, the time now)."""
    collection = {"@context": W3C_CONTEXT, "id": f"urn:uuid:{uuid_module.uuid4()}", "type": "AnnotationCollection",
                  "label": "annotator export", "generator": GENERATOR, "generated": utc_now()}
    page = {"id": f"urn:uuid:{uuid_module.uuid4()}", "type": "AnnotationPage", "startIndex": 0}
    return ("{\n" + "".join(f"  {dumps(k)}: {dumps(v)},\n" for k, v in collection.items())
            + '  "first": {' + ", ".join(f"{dumps(k)}: {dumps(v)}" for k, v in page.items()) + ', "items": [')


def _w3c_closing(count: int) -> str:
    return f"\n  ]}},\n  \"total\": {count}\n}}\n"


def write_w3c(records: Iterable[dict[str, Any]], out: IO[str], terminal: bool = False) -> int:
    """An ``AnnotationCollection`` whose ``first`` page holds every annotation in ``items``,
    written one annotation per line as they come (``total`` follows the page)."""
    out.write(_w3c_opening())
    count = 0
    for record in records:
        out.write(("\n    " if count == 0 else ",\n    ") + dumps(w3c_annotation(record)))
        count += 1
    out.write(_w3c_closing(count))
    return count


def write_w3c_fast(store: Any, out: IO[str], annotators: Iterable[str] | None = None,
                   codebook: str | None = None) -> int:
    """The same collection as :func:`write_w3c` over the same records, its annotations written
    by SQLite (:meth:`Store.iter_annotation_w3c_parts`), as :func:`write_jsonl_fast` writes lines."""
    write = _bytes_writer(out)
    write(_w3c_opening().encode("utf-8"))
    count = 0
    for texts in _json_texts(store.iter_annotation_w3c_parts(ARTICLE_NOTE_CATEGORY, annotators, codebook), 3,
                             lambda row, source, attributes: row[1] + source + row[2] + attributes + row[4]):
        write(_escaped_utf8(("\n    " if count == 0 else ",\n    ") + ",\n    ".join(texts)))
        count += len(texts)
    write(_w3c_closing(count).encode("utf-8"))
    return count


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
