"""Reading article files: decoding bytes and parsing each supported format.

Every reader yields :class:`Record` (one article's raw fields) or
:class:`RecordError` (one clear line about what is wrong), never raises for bad
input, so one bad file or line never stops the others.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

TEXT_FORMATS = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}
RECORD_FORMATS = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}
SUPPORTED = {**TEXT_FORMATS, **RECORD_FORMATS}
DEFAULT_MAX_ARTICLE_BYTES = 5 * 1024 * 1024
# Encodings we accept from detection when a file is not UTF-8 (single-byte news encodings).
_LEGACY_ENCODINGS = {
    "cp1251", "windows-1251", "cp1252", "windows-1252", "latin_1", "iso8859_1", "iso8859_15", "koi8_r",
    "koi8_u", "iso8859_5", "cp1250", "iso8859_2", "mac_cyrillic", "cp866", "utf_16", "utf_16_le", "utf_16_be",
}


class InputError(Exception):
    """Bad input: the message is one line naming what is wrong."""


@dataclass
class Record:
    """One article's fields as read from a file (before normalization)."""

    path: Path
    locator: str  # "" for single-article files, "line 3" / "record 2" / "row 4" otherwise
    fields: dict[str, Any]
    fmt: str
    encoding: str = "utf-8"

    @property
    def where(self) -> str:
        return f"{display_path(self.path)}{': ' + self.locator if self.locator else ''}"


@dataclass
class RecordError:
    path: Path
    locator: str
    message: str

    @property
    def where(self) -> str:
        return f"{display_path(self.path)}{': ' + self.locator if self.locator else ''}"


class RecordFields(BaseModel):
    """The fields a JSON, JSONL or CSV record may carry (others are ignored)."""

    model_config = ConfigDict(extra="ignore", strict=True)

    text: str
    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    original_source: str | None = None
    published: str | None = None
    language: str | None = None
    story: str | None = None
    unverified: list[str] = []

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("is empty")
        return value


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Decode file bytes to text; returns ``(text, encoding)``.

    UTF-8 (with or without a byte-order mark) and UTF-16 with a byte-order mark are
    read as such; other bytes are decoded only when the encoding is detected with
    confidence as a known single-byte news encoding (e.g. Windows-1251), else
    :class:`InputError` is raised (never silent mojibake).
    """
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise InputError(f"cannot be decoded as {encoding}: {exc}") from None
    if not data.strip():
        raise InputError("is empty")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        if not data.strip():
            raise InputError("is empty (only a byte-order mark)")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise InputError(f"has a UTF-16 byte-order mark but is not valid UTF-16 ({exc.reason})") from None
    nul = data.find(b"\x00")
    if nul != -1:
        raise InputError(f"is binary, not text (NUL byte at offset {nul})")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    sample = data[: 1024 * 1024]
    controls = sum(1 for b in sample[:4096] if b < 9 or 13 < b < 32)
    if controls > len(sample[:4096]) * 0.05:
        raise InputError("is binary, not text (many control bytes)")
    from charset_normalizer import from_bytes  # imported here: only needed for legacy files

    best = from_bytes(sample).best()
    name = (best.encoding if best else "").lower()
    if best is None or name not in _LEGACY_ENCODINGS or best.chaos > 0.2:
        raise InputError(
            f"is not UTF-8 (invalid byte 0x{data[utf8_error.start]:02x} at offset {utf8_error.start}) and its "
            "encoding could not be told with confidence; convert it to UTF-8 or pass --encoding"
        )
    try:
        return data.decode(name), name
    except UnicodeDecodeError:
        raise InputError(f"looks like {name} but does not decode as it; convert it to UTF-8") from None


def read_file(
    path: Path, encoding: str | None = None, max_article_bytes: int = DEFAULT_MAX_ARTICLE_BYTES
) -> Iterator[Record | RecordError]:
    """Yield the records of one file (one for .txt/.md/.html, any number for .json/.jsonl/.csv)."""
    fmt = SUPPORTED.get(path.suffix.lower())
    if fmt is None:
        yield RecordError(path, "", f"unsupported file type {path.suffix or '(none)'!r}; expected one of {', '.join(sorted(SUPPORTED))}")
        return
    if path.is_dir():
        yield RecordError(path, "", "is a folder, not a file")
        return
    try:
        size = path.stat().st_size
        if fmt in ("txt", "md", "html") and size > max_article_bytes:
            yield RecordError(
                path, "", f"is {size / 1048576:.1f} MB; one article may be at most "
                f"{max_article_bytes / 1048576:.0f} MB (--max-mb)"
            )
            return
        data = path.read_bytes()
    except OSError as exc:
        yield RecordError(path, "", f"cannot be read: {exc.strerror or exc}")
        return
    try:
        text, used = decode(data, encoding)
    except InputError as exc:
        yield RecordError(path, "", str(exc))
        return
    if fmt in ("txt", "md"):
        yield Record(path, "", {"text": text}, fmt, used)
    elif fmt == "html":
        yield _read_html(path, text, used)
    elif fmt == "json":
        yield from _read_json(path, text, used, max_article_bytes)
    elif fmt == "jsonl":
        yield from _read_jsonl(path, text, used, max_article_bytes)
    else:
        yield from _read_csv(path, text, used, max_article_bytes)


def _read_html(path: Path, html: str, encoding: str) -> Record | RecordError:
    import trafilatura  # imported here: only HTML imports pay for it

    try:
        text = trafilatura.extract(html, include_comments=False, include_tables=True, include_images=False)
        meta = trafilatura.extract_metadata(html)
    except Exception as exc:  # trafilatura/lxml raise many types on broken markup
        return RecordError(path, "", f"HTML could not be parsed ({type(exc).__name__}: {exc})")
    if not text or not text.strip():
        return RecordError(path, "", "no main text found in the HTML")
    fields: dict[str, Any] = {"text": text}
    if meta is not None:
        if meta.title:
            fields["title"] = meta.title
        if meta.url:
            fields["url"] = meta.url
        if meta.language:
            fields["language"] = meta.language
    return Record(path, "", fields, "html", encoding)


def _check_record(path: Path, locator: str, raw: Any, fmt: str, encoding: str, max_bytes: int) -> Record | RecordError:
    if not isinstance(raw, dict):
        return RecordError(path, locator, f"must be a JSON object with a 'text' field, got {_json_type(raw)}")
    try:
        fields = RecordFields.model_validate(raw)
    except ValidationError as exc:
        return RecordError(path, locator, _validation_line(exc))
    if len(fields.text.encode("utf-8", "surrogatepass")) > max_bytes:
        return RecordError(path, locator, f"text is over {max_bytes / 1048576:.0f} MB (--max-mb)")
    return Record(path, locator, fields.model_dump(exclude_none=True), fmt, encoding)


def _validation_line(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "record"
        message = err["msg"]
        if err["type"] == "missing":
            message = "is missing"
        elif "input" in err and err["type"].endswith("_type"):
            message = f"{err['msg'].lower()}, got {_json_type(err['input'])}"
        parts.append(f"field '{loc}' {message}")
    return "; ".join(parts)


def _json_type(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "true/false", type(None): "null"}.get(
        type(value), "a number" if isinstance(value, (int, float)) else type(value).__name__
    )


def _read_json(path: Path, text: str, encoding: str, max_bytes: int) -> Iterator[Record | RecordError]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield RecordError(path, "", f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}")
        return
    if isinstance(data, dict):
        yield _check_record(path, "", data, "json", encoding, max_bytes)
    elif isinstance(data, list):
        if not data:
            yield RecordError(path, "", "is an empty JSON list")
        for number, item in enumerate(data, 1):
            yield _check_record(path, f"record {number}", item, "json", encoding, max_bytes)
    else:
        yield RecordError(path, "", f"must hold a JSON object or a list of objects, got {_json_type(data)}")


def _read_jsonl(path: Path, text: str, encoding: str, max_bytes: int) -> Iterator[Record | RecordError]:
    seen = False
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        seen = True
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            yield RecordError(path, f"line {number}", f"invalid JSON at column {exc.colno}: {exc.msg}")
            continue
        yield _check_record(path, f"line {number}", raw, "jsonl", encoding, max_bytes)
    if not seen:
        yield RecordError(path, "", "holds no JSON lines")


def _read_csv(path: Path, text: str, encoding: str, max_bytes: int) -> Iterator[Record | RecordError]:
    csv.field_size_limit(max(max_bytes * 4, 131072))
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = reader.fieldnames or []
    except csv.Error as exc:
        yield RecordError(path, "", f"invalid CSV header: {exc}")
        return
    if "text" not in header:
        yield RecordError(path, "", f"has no 'text' column (columns: {', '.join(header) or 'none'})")
        return
    number = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            yield RecordError(path, f"row {reader.line_num}", f"invalid CSV: {exc}")
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
        yield _check_record(path, f"row {number}", values, "csv", encoding, max_bytes)
