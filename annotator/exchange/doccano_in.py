"""doccano JSONL read back: one example per line, ``text`` with

* ``label: [[start, end, "LABEL"], ...]`` (Sequence Labeling, this tool's export) or
  ``entities: [{"start_offset": ..., "end_offset": ..., "label": ...}]`` (doccano 1.x);
* ``label: ["LABEL", ...]`` or ``cats`` (labels about the whole text).

doccano counts offsets in UTF-16 code units and writes no span text: ``--offsets auto``
reads them as UTF-16 units where a character beyond U+FFFF comes before them. The
annotator is the record's ``annotator`` (this tool's export) or ``--annotator``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .documents_in import ForeignDocument, ForeignTag, Refusal


def doccano_document(line: int, data: dict[str, Any]) -> ForeignDocument | Refusal:
    """One doccano example as a document."""
    if not isinstance(data.get("text"), str):
        return Refusal(str(line), "no 'text' (a doccano example is {\"text\": ..., \"label\": [...]})")
    tags: list[ForeignTag] = []
    annotator = data.get("annotator") if isinstance(data.get("annotator"), str) else None
    items = data.get("label", [])
    items = items if isinstance(items, list) else [items]
    entities = data.get("entities", [])
    for number, item in enumerate(items, 1):
        place = f"{line}: label {number}"
        if isinstance(item, list) and len(item) == 3:
            tags.append(ForeignTag(place, item[2], item[0], item[1], annotator=annotator))
        elif isinstance(item, str):
            tags.append(ForeignTag(place, item, annotator=annotator))
        else:
            tags.append(ForeignTag(place, "", problem="not [start, end, \"LABEL\"] nor a label"))
    for number, item in enumerate(entities if isinstance(entities, list) else [], 1):
        if isinstance(item, dict):
            tags.append(ForeignTag(f"{line}: entity {number}", item.get("label"), item.get("start_offset"),
                                   item.get("end_offset"), annotator=annotator))
    for number, item in enumerate(data.get("cats") if isinstance(data.get("cats"), list) else [], 1):
        tags.append(ForeignTag(f"{line}: cats {number}", item, annotator=annotator))
    return ForeignDocument(str(line), data["text"], tags, data, units="utf16", annotator=annotator)


def read_doccano(records: Iterator[tuple[int, dict[str, Any] | Refusal]]) -> Iterator[ForeignDocument | Refusal]:
    for line, data in records:
        yield data if isinstance(data, Refusal) else doccano_document(line, data)
