"""What the exports to other annotation tools are made from: each article's live tags with
the article's canonical text, grouped by annotator, and the names those tools give labels.

:func:`iter_article_tags` is a generator over the store's export cursor
(:meth:`annotator.store.Store.iter_annotation_exports`, ordered by article): only one
article's tags and text are held at a time, however many tags are exported.

Offsets stay Python code-point offsets into the canonical text unless a tool counts
otherwise (doccano counts UTF-16 code units: :func:`utf16_offsets`).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter
from typing import Any

from ..codebook import Codebook, find_codebook
from ..errors import InputError
from ..models import ARTICLE_NOTE_CATEGORY

# A flat label (doccano, Prodigy): "category:label". Codebook ids never hold ":".
FLAT_SEPARATOR = ":"
# brat keeps a type only in [A-Za-z0-9_-] (other characters become "_" in its
# normalize_to_storage_form, server/src/projectconfig.py), so its types are "category__label".
BRAT_SEPARATOR = "__"
_BRAT_NAME = re.compile(r"[A-Za-z0-9_-]+")
# Rows read from the store's cursor at a time: with one article's tags and text, all that is held.
CURSOR_BATCH = 200


class ExportRefused(ValueError):
    """A tag that a format cannot hold (the message names it); nothing is written."""


@dataclass
class Written:
    """What an export wrote: ``count`` tags, and the tags left out, by reason."""

    count: int = 0
    left_out: dict[str, int] = field(default_factory=dict)

    def leave_out(self, reason: str, number: int = 1) -> None:
        self.left_out[reason] = self.left_out.get(reason, 0) + number


@dataclass
class ArticleTags:
    """One article's exported tags (export records) with its canonical text."""

    article_id: str
    text: str
    title: str
    url: str | None
    publisher: str | None
    publisher_name: str | None
    tags: list[dict[str, Any]]

    def metadata(self) -> dict[str, Any]:
        """The article's fields every format carries beside its text."""
        return {"article_id": self.article_id, "title": self.title, "url": self.url, "publisher": self.publisher}

    def by_annotator(self) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        """The tags per annotator, annotators by name (each one's tags in export order)."""
        names = sorted({tag["annotator"] for tag in self.tags})
        for name in names:
            yield name, [tag for tag in self.tags if tag["annotator"] == name]


def is_span(tag: dict[str, Any]) -> bool:
    return tag["start"] is not None


def is_note(tag: dict[str, Any]) -> bool:
    """A note on the whole article (not a label)."""
    return tag["category"] == ARTICLE_NOTE_CATEGORY


def iter_article_tags(store: Any, annotators: Iterable[str] | None = None, codebook: str | None = None,
                      written: Written | None = None) -> Iterator[ArticleTags]:
    """Every article with live tags (optionally only some annotators' or one codebook's),
    in export order, with its tags and canonical text. A span whose quote is not the text
    at its offsets (it cannot happen in a sound database) is left out and counted in
    ``written``."""
    records = store.iter_annotation_exports(annotators=annotators, codebook=codebook, batch=CURSOR_BATCH)
    for article_id, group in groupby(records, key=itemgetter("article_id")):
        tags = list(group)
        text = store.export_article_text(article_id)
        if text is None:
            if written is not None:
                written.leave_out("their article is missing", len(tags))
            continue
        kept = [t for t in tags if not is_span(t) or text[t["start"]:t["end"]] == t["quote"]]
        if written is not None and len(kept) < len(tags):
            written.leave_out("their quote is not the article's text at their offsets", len(tags) - len(kept))
        if not kept:
            continue
        first = kept[0]
        yield ArticleTags(article_id, text, first["title"], first["url"], first["publisher"],
                          first["publisher_name"], kept)


def flat_label(category: str, label: str) -> str:
    """A label where a tool has one list of labels: ``category:label``."""
    return f"{category}{FLAT_SEPARATOR}{label}"


def brat_type(category: str, label: str) -> str:
    """A brat entity type: ``category__label`` (what brat can store; see BRAT_SEPARATOR)."""
    if BRAT_SEPARATOR in category or not _BRAT_NAME.fullmatch(category) or not _BRAT_NAME.fullmatch(label):
        raise ExportRefused(f"category {category!r}, label {label!r}: brat type names hold only letters, digits, "
                            f"'-' and '_' (and the category no '__')")
    return f"{category}{BRAT_SEPARATOR}{label}"


def brat_name(name: str) -> bool:
    """Whether brat can store ``name`` as an attribute name or value as it is."""
    return bool(_BRAT_NAME.fullmatch(name))


def utf16_offsets(text: str) -> Callable[[int], int]:
    """A function from a code-point offset into ``text`` to its UTF-16 code-unit offset (as
    JavaScript counts): each character beyond U+FFFF (most emoji) before it counts two."""
    astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF] if not text.isascii() else []
    if not astral:
        return lambda offset: offset
    return lambda offset: offset + bisect_left(astral, offset)


class Codebooks:
    """Shipped codebooks by id, read once (None for an id that is not shipped): the names
    and every label of a category, where a format shows them."""

    def __init__(self) -> None:
        self._books: dict[str, Codebook | None] = {}

    def get(self, codebook_id: str) -> Codebook | None:
        if codebook_id not in self._books:
            try:
                self._books[codebook_id] = find_codebook(codebook_id) if _BRAT_NAME.fullmatch(codebook_id) else None
            except InputError:
                self._books[codebook_id] = None
        return self._books[codebook_id]

    def category_labels(self, codebook_id: str, category: str) -> list[tuple[str, str]]:
        """(id, name) of every label of a category, [] when the codebook or category is unknown."""
        book = self.get(codebook_id)
        found = book.category(category) if book is not None else None
        return [(label.id, label.name) for label in found.labels] if found is not None else []
