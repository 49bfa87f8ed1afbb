"""W3C Web Annotations read back (https://www.w3.org/TR/annotation-model/): this tool's
``export --format w3c`` (an ``AnnotationCollection``) or any annotations with a text target.

An annotation this tool wrote (its ``annotator:`` properties) is its export record again,
merged as ``--format jsonl`` merges one (same id, times, note). Any other becomes a
pre-annotation (:mod:`.minimal_in`): the article from ``target.source`` (a url, or
``urn:annotator:article:ID``), the annotator from ``creator`` (its ``name``, or the
text), the label from the ``tagging`` or ``classifying`` TextualBody, the note from a
``commenting`` one, the span from the ``TextPositionSelector`` (code points) checked
against the ``TextQuoteSelector``, or from the quote alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

ARTICLE_URN = "urn:annotator:article:"
OWN = {"annotator:article": "article_id", "annotator:textSha256": "text_sha256", "annotator:codebook": "codebook",
       "annotator:codebookVersion": "codebook_version", "annotator:category": "category",
       "annotator:label": "label", "annotator:attributes": "attributes", "annotator:origin": "origin"}


def items(data: Any) -> list[Any]:
    """The annotations of a collection, a page, a list, or one annotation."""
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        if isinstance(data.get("first"), dict) and isinstance(data["first"].get("items"), list):
            return data["first"]["items"]
        if isinstance(data.get("items"), list):
            return data["items"]
        return [data]
    return [data]


def _selectors(target: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    selectors = target.get("selector", [])
    selectors = selectors if isinstance(selectors, list) else [selectors]
    quote = next((s for s in selectors if isinstance(s, dict) and s.get("type") == "TextQuoteSelector"), {})
    position = next((s for s in selectors if isinstance(s, dict) and s.get("type") == "TextPositionSelector"), {})
    return quote, position


def record(annotation: Any) -> dict[str, Any]:
    """An annotation as an export record (one this tool wrote) or a pre-annotation."""
    if not isinstance(annotation, dict):
        raise ValueError("not a JSON object")
    target = annotation.get("target")
    target = target[0] if isinstance(target, list) and target else target
    if isinstance(target, str):
        target = {"source": target}
    if not isinstance(target, dict):
        raise ValueError("no target")
    quote, position = _selectors(target)
    bodies = annotation.get("body", [])
    bodies = [b for b in (bodies if isinstance(bodies, list) else [bodies]) if isinstance(b, dict)]
    note = next((b.get("value") for b in bodies if b.get("purpose") == "commenting"), None)
    creator = annotation.get("creator")
    creator = creator.get("name") if isinstance(creator, dict) else creator
    span = {"start": position.get("start"), "end": position.get("end"), "quote": quote.get("exact"),
            "prefix": quote.get("prefix"), "suffix": quote.get("suffix")}
    if all(key in annotation for key in OWN) and str(annotation.get("id", "")).startswith("urn:uuid:"):
        own = {name: annotation[key] for key, name in OWN.items()}
        return {"id": annotation["id"].removeprefix("urn:uuid:"), **own, "annotator": creator, "note": note,
                "created_at": annotation.get("created"), "updated_at": annotation.get("modified"),
                **{k: span[k] for k in ("start", "end", "quote")},
                # this tool leaves out an empty prefix or suffix
                "prefix": (span["prefix"] or "") if span["quote"] is not None else None,
                "suffix": (span["suffix"] or "") if span["quote"] is not None else None}
    label = next((b.get("value") for b in bodies if b.get("purpose") in ("tagging", "classifying")), None)
    source = target.get("source")
    found: dict[str, Any] = {"label": label, "annotator": creator, "note": note}
    if isinstance(source, str) and source.startswith(ARTICLE_URN):
        found["article_id"] = source.removeprefix(ARTICLE_URN)
    else:
        found["url"] = source
    if span["start"] is not None or span["end"] is not None:
        found.update(start=span["start"], end=span["end"], quote=span["quote"])
    elif span["quote"] is not None:
        found.update(quote=span["quote"], prefix=span["prefix"], suffix=span["suffix"])
    return {k: v for k, v in found.items() if v is not None}


def read_w3c(data: Any) -> Iterator[tuple[str, dict[str, Any] | ValueError]]:
    """(place, record) per annotation; one that cannot be made gives the ValueError saying why."""
    for number, annotation in enumerate(items(data), 1):
        try:
            yield f"item {number}", record(annotation)
        except ValueError as exc:
            yield f"item {number}", exc
