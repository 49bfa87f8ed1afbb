"""What every annotation import that derives tags shares (pre-annotations and other tools'
files): foreign labels to codebook labels (``--label-map``), a quote found in a text as a
W3C TextQuoteSelector finds it, and the tag made from article, annotator, label and span.

A derived tag's id is a UUID made from what it is (article, annotator, codebook, category,
label, span), so importing the same file again adds nothing, and a tag someone deleted
since is not brought back (see :meth:`annotator.exchange.annotation_import.Merger.add`).
"""

from __future__ import annotations

import csv
import io
import json
import uuid as uuid_module
from collections import Counter
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..codebook import Codebook, Kind
from ..errors import InputError
from ..files import read_regular_text
from ..models import ARTICLE_NOTE_CATEGORY, ARTICLE_NOTE_LABEL, Annotation, Article, Origin, quote_selector
from ..paths import display_path
from ..yaml_files import parse_yaml

# uuid5 namespace of derived tags (a fixed random UUID: ids are the same on every machine)
DERIVED_NAMESPACE = uuid_module.UUID("6f1f2d0e-8a53-4c1e-9b7e-2f4a8c1d5e90")
FLAT_SEPARATORS = (":", "__")  # category:label (doccano, Prodigy exports), category__label (brat)
MAX_LABEL_MAP = 100_000


def short(text: str | None, limit: int = 40) -> str:
    """``text`` quoted as JSON, cut to ``limit`` characters."""
    text = text or ""
    return json.dumps(text if len(text) <= limit else text[: limit - 1] + "…", ensure_ascii=False)


def load_label_map(path: Path) -> dict[str, str]:
    """A label map: YAML (``foreign: codebook label``) or CSV (two columns, foreign and
    codebook label; a first row ``foreign,label`` is a header). The codebook label is a
    label id or ``category:label``. InputError names what is wrong."""
    where = display_path(path)
    text = read_regular_text(path)
    pairs: list[tuple[Any, Any]] = []
    if path.suffix.lower() == ".csv":
        for number, row in enumerate(csv.reader(io.StringIO(text)), 1):
            if not row or not "".join(row).strip():
                continue
            if len(row) != 2:
                raise InputError(f"{where}: row {number}: {len(row)} columns; a label map has two (foreign, label)")
            if number == 1 and [c.strip().lower() for c in row] == ["foreign", "label"]:
                continue
            pairs.append((row[0], row[1]))
    else:
        data = parse_yaml(text, where)
        if not isinstance(data, dict):
            raise InputError(f"{where}: a label map is a mapping (foreign label: codebook label)")
        pairs = list(data.items())
    mapping: dict[str, str] = {}
    for foreign, target in pairs:
        if not isinstance(foreign, str) or not isinstance(target, str) or not foreign or not target.strip():
            raise InputError(f"{where}: {short(str(foreign))}: both labels must be non-empty text")
        if foreign in mapping and mapping[foreign] != target:
            raise InputError(f"{where}: {short(foreign)} is mapped twice")
        mapping[foreign] = target.strip()
        if len(mapping) > MAX_LABEL_MAP:
            raise InputError(f"{where}: more than {MAX_LABEL_MAP:,} labels")
    return mapping


class UnknownLabel(ValueError):
    """A label the codebook does not have (counted: see :attr:`LabelResolver.unknown`)."""


class LabelResolver:
    """Foreign labels as (category, label) of ``book``, through ``label_map`` first; labels
    that fit nothing are counted in :attr:`unknown` (label: spans)."""

    def __init__(self, book: Codebook, label_map: dict[str, str] | None = None):
        self.book, self.label_map = book, label_map or {}
        self.unknown: Counter[str] = Counter()
        self._by_id: dict[str, list[str]] = {}
        self._by_name: dict[str, list[tuple[str, str]]] = {}
        for category in book.categories:
            for label in category.labels:
                self._by_id.setdefault(label.id, []).append(category.id)
                self._by_name.setdefault(label.name.casefold(), []).append((category.id, label.id))

    def kind(self, category: str) -> Kind:
        found = self.book.category(category)
        assert found is not None
        return found.kind

    def resolve(self, foreign: str, category: str | None = None) -> tuple[str, str]:
        """(category, label) for ``foreign`` (``category`` a hint, e.g. Label Studio's
        ``from_name``). UnknownLabel, or ValueError when it fits more than one."""
        if not isinstance(foreign, str) or not foreign.strip():
            raise ValueError(f"label {short(str(foreign))} is not a label name")
        name = self.label_map.get(foreign, foreign)
        for separator in FLAT_SEPARATORS:
            if separator in name:
                head, _, tail = name.partition(separator)
                if self.book.label(head, tail) is not None:
                    return head, tail
        if category is not None and self.book.label(category, name) is not None:
            return category, name
        categories = self._by_id.get(name, [])
        if len(categories) == 1:
            return categories[0], name
        if len(categories) > 1:
            raise ValueError(f"label {short(name)} is in categories {', '.join(categories)} of codebook "
                             f"{self.book.id}: write it as CATEGORY:{name}")
        named = self._by_name.get(name.casefold(), [])
        if len(named) == 1:
            return named[0]
        self.unknown[foreign] += 1
        mapped = f" (mapped to {short(name)})" if name != foreign else ""
        raise UnknownLabel(f"label {short(foreign)}{mapped} is not in codebook {self.book.id} {self.book.version}")

    def unknown_lines(self) -> list[str]:
        """One line per unknown label, with how many tags it had, most first."""
        return [f"label {short(label)}: {count} tag(s) not imported (not in codebook {self.book.id}; map it with "
                "--label-map)" for label, count in self.unknown.most_common()]


def locate_quote(text: str, quote: str, prefix: str | None = None, suffix: str | None = None) -> tuple[int, int]:
    """Where ``quote`` is in ``text``, as a W3C TextQuoteSelector is anchored: its only
    occurrence; else the one whose surroundings are ``prefix`` and ``suffix``; else the one
    with the most of them beside it when only one has that many. ValueError otherwise."""
    if not isinstance(quote, str) or not quote:
        raise ValueError("quote is empty")
    found: list[int] = []
    at = text.find(quote)
    while at != -1:
        found.append(at)
        at = text.find(quote, at + 1)
    if not found:
        raise ValueError(f"quote {short(quote)} is not in the article's text")
    if len(found) == 1:
        return found[0], found[0] + len(quote)
    prefix, suffix = prefix or "", suffix or ""

    def context(start: int) -> int:
        before, after = text[:start], text[start + len(quote):]
        left = next((n for n in range(len(prefix), 0, -1) if before.endswith(prefix[-n:])), 0)
        right = next((n for n in range(len(suffix), 0, -1) if after.startswith(suffix[:n])), 0)
        return left + right

    scores = [context(start) for start in found]
    best = max(scores)
    if best == 0 or scores.count(best) > 1:
        raise ValueError(f"quote {short(quote)} is in the text {len(found)} times and its prefix and suffix do "
                         "not tell which (give start and end, or more context)")
    start = found[scores.index(best)]
    return start, start + len(quote)


def derived_annotation(article: Article, annotator: str, book: Codebook, category: str, label: str,
                       start: int | None, end: int | None, now: str, note: str | None = None,
                       attributes: dict[str, str] | None = None) -> Annotation:
    """The tag made from these, with quote, prefix and suffix from the article's text, the
    codebook's id and version, origin ``imported``, made ``now`` (ValueError naming what is wrong)."""
    if not isinstance(annotator, str) or not annotator.strip():
        raise ValueError("no annotator (give one in the record, or --annotator)")
    key = "\x1f".join([article.id, annotator, book.id, category, label, str(start), str(end)])
    if (category, label) == (ARTICLE_NOTE_CATEGORY, ARTICLE_NOTE_LABEL):  # a note on the whole article
        if not note or start is not None:
            raise ValueError("a note on the article needs its text and no span")
        key += "\x1f" + note
    else:
        kind = book.category(category).kind  # type: ignore[union-attr]
        if kind is Kind.span and start is None:
            raise ValueError(f"category {category} tags spans: give start and end, or a quote")
        if kind is Kind.article and start is not None:
            raise ValueError(f"category {category} is about the whole article: give no span")
    selector = quote_selector(article.text, start, end) if start is not None and end is not None else {}
    try:
        return Annotation(
            uuid=str(uuid_module.uuid5(DERIVED_NAMESPACE, key)), article_id=article.id,
            text_sha256=article.text_sha256, annotator=annotator, codebook_id=book.id,
            codebook_version=book.version, category=category, label=label, start=start, end=end,
            attributes=attributes or {}, note=note, origin=Origin.imported, created=now, updated=now, **selector,
        )
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        place = ".".join(str(p) for p in error["loc"])
        raise ValueError(f"{place + ': ' if place else ''}{error['msg'].removeprefix('Value error, ')}") from None
