"""Prodigy JSONL read back (``prodigy db-out``; https://prodi.gy/docs/api-interfaces):
``text`` with ``spans: [{start, end, label, text?}]`` and, for a choice task, ``accept``
(the chosen option ids, labels about the whole text), and ``meta.notes`` (notes on the
whole article, as this tool writes them). Only tasks answered ``accept`` are
read (``reject`` and ``ignore`` are counted). Offsets are code points (as Python and
spaCy count), checked against a span's ``text`` when it has one. The annotator is
``meta.annotator`` (this tool's export), else ``_annotator_id``, else ``--annotator``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from ..models import ARTICLE_NOTE_CATEGORY, ARTICLE_NOTE_LABEL
from .documents_in import ForeignDocument, ForeignTag, Refusal


def prodigy_document(line: int, data: dict[str, Any], skipped: Counter[str]) -> ForeignDocument | Refusal | None:
    """One Prodigy task as a document (None for a task not answered ``accept``)."""
    if not isinstance(data.get("text"), str):
        return Refusal(str(line), "no 'text' (a Prodigy task is {\"text\": ..., \"spans\": [...]})")
    answer = data.get("answer", "accept")
    if answer != "accept":
        skipped[f"tasks answered {answer!r}" if isinstance(answer, str) and len(answer) < 20 else "tasks not accepted"] += 1
        return None
    meta = data.get("meta") if isinstance(data.get("meta"), dict) else {}
    annotator = next((v for v in (meta.get("annotator"), data.get("_annotator_id")) if isinstance(v, str) and v), None)
    tags: list[ForeignTag] = []
    spans = data.get("spans")
    for number, span in enumerate(spans if isinstance(spans, list) else [], 1):
        place = f"{line}: span {number}"
        if not isinstance(span, dict):
            tags.append(ForeignTag(place, "", problem="a span must be an object {start, end, label}"))
            continue
        attributes = span.get("attributes") if isinstance(span.get("attributes"), dict) else {}
        note = span.get("note") if isinstance(span.get("note"), str) else None
        tags.append(ForeignTag(place, span.get("label"), span.get("start"), span.get("end"), span.get("text"),
                               note=note, attributes={k: v for k, v in attributes.items() if isinstance(v, str)}))
    notes = meta.get("notes")
    for number, note in enumerate(notes if isinstance(notes, list) else [], 1):
        if isinstance(note, str):
            tags.append(ForeignTag(f"{line}: note {number}", ARTICLE_NOTE_LABEL, category=ARTICLE_NOTE_CATEGORY,
                                   note=note))
    accepted = data.get("accept")
    for number, choice in enumerate(accepted if isinstance(accepted, list) else [], 1):
        tags.append(ForeignTag(f"{line}: accept {number}", choice))
    return ForeignDocument(str(line), data["text"], tags, meta, units="codepoints", annotator=annotator)


def read_prodigy(records: Iterator[tuple[int, dict[str, Any] | Refusal]],
                 skipped: Counter[str]) -> Iterator[ForeignDocument | Refusal]:
    for line, data in records:
        document = data if isinstance(data, Refusal) else prodigy_document(line, data, skipped)
        if document is not None:
            yield document
