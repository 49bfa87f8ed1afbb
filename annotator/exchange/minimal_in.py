"""Pre-annotations: ``import-annotations`` records that say only what a tag is.

    {"article": "bbf1e220cedb", "annotator": "model-v2", "label": "kremlin-form", "start": 870, "end": 874}
    {"url": "https://example.org/a", "annotator": "maria", "label": "term:invasion", "quote": "invasion"}
    {"title": "Kremlin says ...", "annotator": "maria", "label": "negative"}

* the article: ``article`` (an id, a unique id prefix, a url or a unique title), or
  ``article_id``, ``url`` or ``title``;
* ``annotator`` (else the one merging, ``--annotator``);
* ``label``: a label id, ``category:label``, or a name in ``--label-map``; ``category``
  may be given, and is found when the label id is in one category of the codebook only;
* the span: ``start`` and ``end`` (checked against ``quote`` when it is given), or only a
  ``quote`` (with ``prefix``/``suffix`` to tell its occurrences apart); none for a label of
  a category about the whole article;
* optionally ``note`` and ``attributes`` (an object of text values).

Everything else comes from the article (quote, prefix, suffix, text hash) and the chosen
codebook (id, version); the tag is made now, origin ``imported``.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any

from ..codebook import Codebook
from ..models import Article
from .offsets import OffsetReader
from .tags_in import LabelResolver, derived_annotation, locate_quote, short

FIELDS = {"article", "article_id", "url", "title", "annotator", "label", "category", "start", "end", "quote",
          "prefix", "suffix", "note", "attributes"}
_ID_LIKE = re.compile(r"[0-9a-fA-F]{4,64}")


class MinimalRecords:
    """Makes tags of pre-annotation records (see the module docstring) for ``store`` with
    ``book``; ``owner`` is the annotator of records that name none; ``offsets`` how their
    ``start``/``end`` count (:data:`annotator.exchange.offsets.OFFSET_UNITS`)."""

    def __init__(self, store: Any, book: Codebook, owner: str | None = None, resolver: LabelResolver | None = None,
                 offsets: str = "auto", now: str | None = None):
        self.store, self.book, self.owner, self.offsets = store, book, owner, offsets
        self.resolver = resolver or LabelResolver(book)
        self.now = now or datetime.now(timezone.utc).replace(microsecond=0).isoformat()
        self._articles: dict[tuple[str, str], Article] = {}

    def __call__(self, data: dict[str, Any]) -> Any:
        unknown = sorted(set(data) - FIELDS)
        if unknown and not {"article", "article_id", "url", "title"} & set(data):
            raise ValueError(f"neither an export record (no id) nor a pre-annotation (no article, url or title); "
                             f"fields: {', '.join(map(short, unknown[:6]))}")
        for name in FIELDS - {"start", "end", "attributes"}:
            if data.get(name) is not None and not isinstance(data[name], str):
                raise ValueError(f"{name}: must be text, not {type(data[name]).__name__}")
        article = self.article(data)
        label = data.get("label")
        if label is None:
            raise ValueError("missing field(s): label")
        category, label = self._label(label, data.get("category"))
        start, end = self._span(article, data)
        attributes = data.get("attributes") or {}
        if not isinstance(attributes, dict) or not all(isinstance(v, str) and isinstance(k, str)
                                                       for k, v in attributes.items()):
            raise ValueError("attributes: must be an object of text values")
        return derived_annotation(article, data.get("annotator") or self.owner or "", self.book, category, label,
                                  start, end, self.now, note=data.get("note"), attributes=attributes)

    def _label(self, label: str, category: str | None) -> tuple[str, str]:
        if category is not None and self.book.category(category) is None:
            raise ValueError(f"codebook {self.book.id} {self.book.version} has no category {short(category)}")
        found = self.resolver.resolve(label, category)
        if category is not None and found[0] != category:
            raise ValueError(f"codebook {self.book.id} {self.book.version} has no label {short(label)} in "
                             f"category {category}")
        return found

    def _span(self, article: Article, data: dict[str, Any]) -> tuple[int | None, int | None]:
        start, end, quote = data.get("start"), data.get("end"), data.get("quote")
        if (start is None) != (end is None):
            raise ValueError("give both start and end, or neither")
        if start is not None:
            return OffsetReader(article.text, self.offsets).span(start, end, quote)
        if quote is not None:
            return locate_quote(article.text, quote, data.get("prefix"), data.get("suffix"))
        return None, None

    def article(self, data: dict[str, Any]) -> Article:
        """The article a record names (ValueError when none, or more than one)."""
        for name in ("article_id", "url", "title", "article"):
            ref = data.get(name)
            if ref is None:
                continue
            if (name, ref) not in self._articles:
                if len(self._articles) > 64:
                    self._articles.clear()
                self._articles[(name, ref)] = self._find(name, ref)
            return self._articles[(name, ref)]
        raise ValueError("missing field(s): article (an id, url or title)")

    def _find(self, name: str, ref: str) -> Article:
        ids: list[str] = []
        if name in ("article_id", "article") and _ID_LIKE.fullmatch(ref.strip()):
            found = self.store.article(ref)
            if found is not None:
                return found
            if name == "article_id":
                raise ValueError(f"article {short(ref)} is not in this database")
        if name in ("url", "article"):
            ids = self.store.current_article_ids_with_url(ref)
        if not ids and name in ("title", "article"):
            ids = self.store.current_article_ids_titled(ref)
            if len(ids) > 1:
                raise ValueError(f"title {short(ref)} names {len(ids)}{'+' if len(ids) == 5 else ''} articles "
                                 f"({', '.join(ids[:3])}…): give the article's id")
        if not ids:
            what = {"url": "url", "title": "title"}.get(name, "id, url or title")
            raise ValueError(f"no article with the {what} {short(ref)} in this database")
        found = self.store.article(ids[0])
        assert found is not None
        return found
