"""The exports written as JSON: JSON lines (one :class:`annotator.exchange.export.ExportRecord` per
line) and a W3C Web Annotation collection, record by record or, fast, with SQLite writing
the JSON (:meth:`Store.iter_annotation_json_parts`, :meth:`Store.iter_annotation_w3c_parts`)."""

from __future__ import annotations

import json
import re
import uuid as uuid_module
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from ..models import ARTICLE_NOTE_CATEGORY, utc_now
from ..normalize import json_escape_hidden

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

def _bytes_writer(out: IO[str]) -> Callable[[bytes], Any]:
    """Write UTF-8 bytes to ``out``: to its binary buffer when it is a UTF-8 text file."""
    buffer = getattr(out, "buffer", None)
    encoding = (getattr(out, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    if buffer is not None and encoding == "utf8":
        out.flush()
        return buffer.write
    return lambda data: out.write(data.decode("utf-8"))


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
