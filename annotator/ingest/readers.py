"""Reading article files: one reader per supported format (.txt, .md, .html, .json,
.jsonl, .csv), each file's bytes decoded by :mod:`annotator.ingest.decoding` and each record
checked by :mod:`annotator.ingest.records`.

Every reader yields :class:`~annotator.ingest.records.Record` (one article's raw fields) or
:class:`~annotator.ingest.records.RecordError` (one clear line about what is wrong), never
raises for bad input, so one bad file or line never stops the others.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .decoding import decode, split_lines, utf8_lines
from ..errors import InputError
from ..files import kind_problem
from .records import Record, RecordError, check_record, json_type, megabytes

TEXT_FORMATS = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}
RECORD_FORMATS = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}
SUPPORTED = {**TEXT_FORMATS, **RECORD_FORMATS}
DEFAULT_MAX_ARTICLE_BYTES = 5 * 1024 * 1024


def read_file(
    path: Path, encoding: str | None = None, max_article_bytes: int = DEFAULT_MAX_ARTICLE_BYTES
) -> Iterator[Record | RecordError]:
    """Yield the records of one file (one for .txt/.md/.html, any number for .json/.jsonl/.csv)."""
    fmt = SUPPORTED.get(path.suffix.lower())
    try:
        info = path.stat()
    except OSError as exc:
        yield RecordError(path, "", "no such file" if isinstance(exc, FileNotFoundError) else f"cannot be read: {exc.strerror or exc}")
        return
    problem = kind_problem(info.st_mode)
    if problem:
        yield RecordError(path, "", problem)
        return
    if fmt is None:
        yield RecordError(path, "", f"unsupported file type {path.suffix or '(none)'!r}; expected one of {', '.join(sorted(SUPPORTED))}")
        return
    single = fmt in ("txt", "md", "html")
    if single and info.st_size > max_article_bytes:
        yield RecordError(path, "", f"is {megabytes(info.st_size)}; one article may be at most {megabytes(max_article_bytes)} (--max-mb)")
        return
    try:
        with path.open("rb") as handle:
            data = handle.read(max_article_bytes + 1) if single else handle.read()
    except OSError as exc:
        yield RecordError(path, "", f"cannot be read: {exc.strerror or exc}")
        return
    if single and len(data) > max_article_bytes:  # it grew after stat
        yield RecordError(path, "", f"is over {megabytes(max_article_bytes)}; one article may be at most that (--max-mb)")
        return
    if fmt == "jsonl" and encoding is None and (lines := utf8_lines(data)) is not None:
        yield from _read_jsonl(path, lines, "utf-8", max_article_bytes)
        return
    declared = None
    if fmt == "html" and encoding is None:
        from .html import declared_charset

        declared = declared_charset(data)
    try:
        text, used = decode(data, encoding, declared)
    except InputError as exc:
        yield RecordError(path, "", str(exc))
        return
    if fmt in ("txt", "md"):
        yield Record(path, "", {"text": text}, fmt, used)
    elif fmt == "html":
        from .html import read_html

        yield read_html(path, text, used)
    elif fmt == "json":
        yield from _read_json(path, text, used, max_article_bytes)
    elif fmt == "jsonl":
        yield from _read_jsonl(path, split_lines(text), used, max_article_bytes)
    else:
        yield from _read_csv(path, text, used, max_article_bytes)



def _json_loads(text: str) -> Any:
    """``json.loads``, with every failure as one :class:`InputError` line."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise InputError("invalid JSON: nested too deeply") from None
    except ValueError as exc:  # e.g. an integer with more than 4300 digits
        raise InputError(f"invalid JSON: {str(exc).split(';')[0][:200]}") from None



def _read_json(path: Path, text: str, encoding: str, max_bytes: int) -> Iterator[Record | RecordError]:
    try:
        data = _json_loads(text)
    except InputError as exc:
        yield RecordError(path, "", str(exc))
        return
    if isinstance(data, dict):
        yield check_record(path, "", data, "json", encoding, max_bytes)
    elif isinstance(data, list):
        if not data:
            yield RecordError(path, "", "is an empty JSON list")
        for number, item in enumerate(data, 1):
            yield check_record(path, f"record {number}", item, "json", encoding, max_bytes)
    else:
        yield RecordError(path, "", f"must hold a JSON object or a list of objects, got {json_type(data)}")


def _read_jsonl(path: Path, lines: Iterable[str], encoding: str, max_bytes: int) -> Iterator[Record | RecordError]:
    seen = False
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        seen = True
        try:
            raw = _json_loads(line)
        except InputError as exc:
            yield RecordError(path, f"line {number}", str(exc).replace("at line 1 column", "at column"))
            continue
        yield check_record(path, f"line {number}", raw, "jsonl", encoding, max_bytes)
    if not seen:
        yield RecordError(path, "", "holds no JSON lines")



def _read_csv(path: Path, text: str, encoding: str, max_bytes: int) -> Iterator[Record | RecordError]:
    csv.field_size_limit(max(max_bytes * 4, 131072))
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)  # an unterminated quote is an error
    try:
        header = reader.fieldnames or []
    except csv.Error as exc:
        yield RecordError(path, "", f"invalid CSV header: {exc}")
        return
    if "text" not in header:
        columns = ", ".join(repr(h) for h in header)[:300]
        yield RecordError(path, "", f"has no 'text' column (columns: {columns or 'none'})")
        return
    number = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            yield RecordError(path, f"row {number + 1}", f"invalid CSV: {exc}")
            break
        number += 1
        if None in row:
            yield RecordError(path, f"row {number}", "has more cells than the header")
            continue
        values = {k: v for k, v in row.items() if k and v not in (None, "")}
        if "unverified" in values:
            values["unverified"] = [v.strip() for v in values["unverified"].split(";") if v.strip()]
        if not values.get("text", "").strip():
            yield RecordError(path, f"row {number}", "field 'text' is empty")
            continue
        yield check_record(path, f"row {number}", values, "csv", encoding, max_bytes)
