"""Other tools' files, read as documents (a text and the tags on it), merged into the store:
the article first (the stored one with that text, or a new one made as ``annotator import``
makes it), then each tag, its offsets turned into code points into the canonical text
(:mod:`.offsets`), its label into the codebook's (:class:`.tags_in.LabelResolver`).

Readers (``*_in.py``) yield :class:`ForeignDocument` or :class:`Refusal`; they never raise
for bad input.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .annotation_import import Merger, check_record
from ..codebook import Codebook
from ..errors import InputError
from ..ingest.importer import build_article, new_outlet_note
from ..models import ARTICLE_FIELDS, ARTICLE_NOTE_CATEGORY, ARTICLE_NOTE_LABEL, Article
from ..ingest.readers import DEFAULT_MAX_ARTICLE_BYTES
from ..ingest.records import RecordError
from ..ingest.records import check_record as check_article_record
from ..outlets.registry import OutletIndex
from .offsets import CanonicalMap, OffsetReader
from .tags_in import LabelResolver, UnknownLabel, derived_annotation

# An article's fields a file may carry beside its text (the rest is ignored).
ARTICLE_KEYS = (*ARTICLE_FIELDS, "unverified")


@dataclass
class ForeignTag:
    """One tag as another tool wrote it (offsets in the document's text, the tool's units)."""

    place: str  # where in the file, as shown to the user
    label: str
    start: int | None = None
    end: int | None = None
    quote: str | None = None
    annotator: str | None = None
    category: str | None = None  # a hint where the tool has one (Label Studio's from_name)
    note: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)
    problem: str | None = None  # why it cannot be read (then it is refused with this reason)


@dataclass
class ForeignDocument:
    """A text and the tags on it; ``fields`` the article fields the file gives (title, url, ...)."""

    place: str
    text: str
    tags: list[ForeignTag]
    fields: dict[str, Any] = field(default_factory=dict)
    units: str = "codepoints"  # how the tool counts offsets (what ``--offsets auto`` assumes without a quote)
    annotator: str | None = None  # for tags that name none


@dataclass
class Refusal:
    """A part of the file that cannot be read (``tags``: how many tags it held, when known)."""

    place: str
    reason: str
    tags: int = 1


def article_fields(data: Any) -> dict[str, Any]:
    """The article fields of a document's metadata (text values only; ``unverified`` a list)."""
    if not isinstance(data, dict):
        return {}
    kept = {k: v for k, v in data.items() if k in ARTICLE_FIELDS and isinstance(v, str)}
    if isinstance(data.get("unverified"), list) and all(isinstance(v, str) for v in data["unverified"]):
        kept["unverified"] = data["unverified"]
    return kept


class DocumentImport:
    """Merges documents of the file ``path`` into ``store`` (see the module docstring)."""

    def __init__(self, store: Any, path: Path, book: Codebook, resolver: LabelResolver, merger: Merger,
                 offsets: str = "auto", annotator: str | None = None, publisher: str | None = None,
                 codebook: Callable[[str], Any] | None = None, on_note: Callable[[str, str], None] | None = None,
                 max_article_bytes: int = DEFAULT_MAX_ARTICLE_BYTES):
        self.store, self.path, self.book, self.resolver, self.merger = store, path, book, resolver, merger
        self.offsets, self.annotator, self.publisher = offsets, annotator, publisher
        self.codebook = codebook or (lambda codebook_id: book if codebook_id == book.id else None)
        self.on_note = on_note or (lambda place, note: None)
        self.max_article_bytes = max_article_bytes
        self.index: OutletIndex | None = None
        moment = datetime.now(timezone.utc)
        self.now, self.moment = moment.replace(microsecond=0).isoformat(), moment
        self.articles_added = 0

    def merge(self, items: Iterable[ForeignDocument | Refusal]) -> None:
        for item in items:
            if isinstance(item, Refusal):
                self.refuse(item.place, item.reason, item.tags)
            else:
                self.document(item)
        if self.merger.pending:
            self.merger.flush()
        if self.merger.on_refused is not None:
            for line in self.resolver.unknown_lines():
                self.merger.on_refused(None, line)

    def refuse(self, place: str, reason: str, tags: int = 1) -> None:
        self.merger.refuse(place, reason + (f" ({tags} tags not imported)" if tags > 1 else ""))
        self.merger.report.refused += max(tags, 1) - 1

    def document(self, document: ForeignDocument) -> None:
        try:
            article, mapping = self.article_for(document)
        except ValueError as exc:
            self.refuse(document.place, str(exc), len(document.tags))
            return
        reader = OffsetReader(document.text, self.offsets, default=document.units)
        for tag in document.tags:
            if tag.problem is not None:
                self.merger.refuse(tag.place, tag.problem)
                continue
            try:
                annotation = self.annotation(article, mapping, reader, document, tag)
            except UnknownLabel:
                self.merger.report.refused += 1  # reported once per label, with its count
                continue
            except ValueError as exc:
                self.merger.refuse(tag.place, str(exc))
                continue
            self.merger.add(tag.place, annotation, derived=True)

    def annotation(self, article: Article, mapping: CanonicalMap, reader: OffsetReader, document: ForeignDocument,
                   tag: ForeignTag) -> Any:
        if (tag.category, tag.label) == (ARTICLE_NOTE_CATEGORY, ARTICLE_NOTE_LABEL):
            category, label = ARTICLE_NOTE_CATEGORY, ARTICLE_NOTE_LABEL  # a note on the article: no codebook label
        else:
            category, label = self.resolver.resolve(tag.label, tag.category)
        start = end = None
        if tag.start is not None or tag.end is not None:
            if tag.start is None or tag.end is None:
                raise ValueError("a span needs both start and end")
            start, end = mapping.span(*reader.span(tag.start, tag.end, tag.quote))
        annotator = tag.annotator or document.annotator or self.annotator or ""
        annotation = derived_annotation(article, annotator, self.book, category, label, start, end, self.now,
                                        note=tag.note, attributes=tag.attributes)
        check_record(annotation, self.codebook, self.moment)
        return annotation

    def article_for(self, document: ForeignDocument) -> tuple[Article, CanonicalMap]:
        """The stored article of the document's text, or one imported from it now."""
        text = document.text
        if not isinstance(text, str) or not text.strip():
            raise ValueError("the document has no text")
        try:
            sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        except UnicodeEncodeError:
            raise ValueError("the text holds a lone UTF-16 surrogate (a broken \\u escape)") from None
        found = self.store.article(sha[:12])
        if found is not None and found.text_sha256 == sha:
            return found, CanonicalMap(text, text)
        raw = {**article_fields(document.fields), "text": text}
        if not raw.get("title", "").strip():  # else the first line would become the title, and its spans lost
            raw["title"] = f"{self.path.name}: {document.place}"
        if self.publisher and not raw.get("publisher"):
            raw["publisher"] = self.publisher
        record = check_article_record(self.path, document.place, raw, "json", "utf-8", self.max_article_bytes)
        if isinstance(record, RecordError):
            raise ValueError(record.message)
        if self.index is None:
            self.index = OutletIndex(self.store.outlets())
        try:
            article = build_article(record, None, self.index)
        except InputError as exc:
            self.index.forget_made()
            raise ValueError(str(exc)) from None
        mapping = CanonicalMap(text, article.text, article.removed)
        stored = self.store.article(article.id)
        if stored is not None and stored.text_sha256 == article.text_sha256:
            self.index.forget_made()
            return stored, mapping
        for outlet in self.index.take_made():
            role = "publisher" if outlet.id == article.publisher else "original_source"
            if self.store.add_outlet(outlet, self.store.actor, f"import-annotations {record.where}", made_at_import=True):
                self.on_note(document.place, new_outlet_note(outlet, role, self.index))
        added = self.store.add_articles([article])[0]
        if added.outcome == "duplicate":
            stored = self.store.article(added.other)
            assert stored is not None
            return stored, mapping
        self.articles_added += 1
        how = f"a new version of {added.other}" if added.outcome == "version" else "new"
        self.on_note(document.place, f"article {article.id} imported ({how}): {article.title}")
        return article, mapping
