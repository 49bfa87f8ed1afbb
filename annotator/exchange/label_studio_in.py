"""Label Studio JSON exports read back: a list of tasks, each with ``data.text`` and
``annotations[].result[]`` (https://labelstud.io/guide/export#Label-Studio-JSON-format-of-annotated-tasks).

* a ``labels`` region (``value.start``, ``value.end``, ``value.text``, ``value.labels``)
  is a span tag per label, ``from_name`` the category it is looked for in first; its
  ``meta.text`` is the tag's note;
* a ``choices`` result with the same ``id`` as a region is a span attribute (``from_name``
  the attribute); without a region, its choices are labels about the whole article;
* a ``textarea`` result named ``_article`` is a note on the whole article (as this tool writes it);
* the annotator is ``completed_by`` (a name, or a user's email; a bare user number only
  when ``--annotator`` gives no name), cancelled annotations and ``predictions`` are not read.

Offsets are code points (what Label Studio's Text tag counts), checked against
``value.text``. Other result types (rectangles, relations, other text areas) are not read and
are counted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from ..models import ARTICLE_NOTE_CATEGORY, ARTICLE_NOTE_LABEL
from .documents_in import ForeignDocument, ForeignTag, Refusal
from .label_studio_out import NOTE_FROM_NAME

SPAN_TYPES = ("labels",)


def _annotator(completed_by: Any, fallback: str | None) -> str | None:
    if isinstance(completed_by, str) and completed_by.strip():
        return completed_by
    if isinstance(completed_by, dict):
        for key in ("email", "username", "name"):
            if isinstance(completed_by.get(key), str) and completed_by[key].strip():
                return completed_by[key]
        completed_by = completed_by.get("id")
    if isinstance(completed_by, int) and not isinstance(completed_by, bool):
        return fallback or f"label-studio-user-{completed_by}"
    return fallback


def task_tags(task_no: int, annotation_no: int, annotation: dict[str, Any], annotator: str | None,
              skipped: Counter[str]) -> list[ForeignTag]:
    """The tags of one annotation of one task."""
    results = annotation.get("result")
    if not isinstance(results, list):
        return []
    tags: list[ForeignTag] = []
    regions: dict[str, list[ForeignTag]] = {}
    attributes: list[tuple[str, str, str]] = []  # region id, attribute, value
    for result_no, result in enumerate(results, 1):
        place = f"task {task_no}: annotation {annotation_no}: result {result_no}"
        value = result.get("value") if isinstance(result, dict) else None
        if not isinstance(value, dict):
            skipped["results that are not objects with a value"] += 1
            continue
        kind, from_name = result.get("type"), result.get("from_name")
        hint = from_name if isinstance(from_name, str) else None
        if kind in SPAN_TYPES:
            labels = value.get("labels")
            note = result.get("meta", {}).get("text") if isinstance(result.get("meta"), dict) else None
            note = "\n".join(note) if isinstance(note, list) and all(isinstance(n, str) for n in note) else None
            for label in labels if isinstance(labels, list) else [labels]:
                tag = ForeignTag(place, label, value.get("start"), value.get("end"), value.get("text"),
                                 annotator, hint, note)
                tags.append(tag)
                regions.setdefault(str(result.get("id")), []).append(tag)
        elif kind == "choices" and isinstance(value.get("choices"), list):
            if "start" in value and result.get("id") is not None:
                for choice in value["choices"]:
                    if isinstance(choice, str) and hint:
                        attributes.append((str(result["id"]), hint, choice))
            else:
                tags += [ForeignTag(place, choice, annotator=annotator, category=hint) for choice in value["choices"]]
        elif kind == "textarea" and from_name == NOTE_FROM_NAME and isinstance(value.get("text"), list):
            note = "\n".join(t for t in value["text"] if isinstance(t, str))
            tags.append(ForeignTag(place, ARTICLE_NOTE_LABEL, annotator=annotator, category=ARTICLE_NOTE_CATEGORY,
                                   note=note))
        else:
            skipped[f"results of type {kind!r}" if isinstance(kind, str) and len(kind) < 40 else "other results"] += 1
    for region, name, choice in attributes:
        for tag in regions.get(region, []):
            tag.attributes[name] = choice
    return tags


def read_label_studio(data: Any, fallback_annotator: str | None, skipped: Counter[str]) -> Iterator[ForeignDocument | Refusal]:
    """The documents of a parsed Label Studio export (a list of tasks, or one task)."""
    tasks = data if isinstance(data, list) else [data]
    for task_no, task in enumerate(tasks, 1):
        place = f"task {task_no}"
        fields = task.get("data") if isinstance(task, dict) else None
        if not isinstance(fields, dict) or not isinstance(fields.get("text"), str):
            yield Refusal(place, "not a Label Studio task with data.text")
            continue
        tags: list[ForeignTag] = []
        annotations = task.get("annotations", task.get("completions"))
        for annotation_no, annotation in enumerate(annotations if isinstance(annotations, list) else [], 1):
            if not isinstance(annotation, dict) or annotation.get("was_cancelled"):
                continue
            who = _annotator(annotation.get("completed_by"), fallback_annotator)
            tags += task_tags(task_no, annotation_no, annotation, who, skipped)
        yield ForeignDocument(place, fields["text"], tags, fields, units="codepoints")
