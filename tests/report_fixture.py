"""A small project whose statistics are worked out by hand in the tests.

Outlets: Alpha News, Beta Post. Articles (words, story, date):
  A1 alpha 100 words, story s1, 2022-03-01
  A2 alpha 300 words, story s1, 2022-09 (month only)
  B1 beta  200 words, story s2, 2025-07-25
Each text starts "Kiev said Kyiv invasion " and is padded with "filler".
"""

from __future__ import annotations

import json
from pathlib import Path

from annotator.codebook import find_codebook
from annotator.ingest.importer import import_paths
from annotator.models import Annotation, quote_selector
from annotator.store import Store

REGISTRY = """
outlets:
  - id: alpha-news
    name: Alpha News
  - id: beta-post
    name: "[bold]Beta[/bold] Post"
"""

SPANS = {"Kiev": (0, 4), "Kyiv": (10, 14), "invasion": (15, 23)}
CONCEPTS = {"Kiev": ("capital", "kiev"), "Kyiv": ("capital", "kyiv"), "invasion": ("the-war", "invasion")}


def text_of(words: int) -> str:
    return "Kiev said Kyiv invasion " + " ".join(["filler"] * (words - 4))


def build(folder: Path, with_gold: bool = True) -> tuple[Store, dict[str, str]]:
    """The store and the article ids by name (A1, A2, B1)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "outlets.yaml").write_text(REGISTRY, encoding="utf-8")
    records = [
        {"title": "A1", "text": text_of(100), "publisher": "alpha-news", "story": "s1", "published": "2022-03-01",
         "url": "https://alpha.example/a1"},
        {"title": "A2", "text": text_of(299) + " two", "publisher": "alpha-news", "story": "s1", "published": "2022-09",
         "url": "https://alpha.example/a2"},
        {"title": "B1", "text": text_of(199) + " three", "publisher": "beta-post", "story": "s2",
         "published": "2025-07-25", "url": "https://beta.example/b1"},
    ]
    (folder / "articles.jsonl").write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    store = Store(folder / "annotations.db")
    report = import_paths(store, [folder / "articles.jsonl"], registry_path=folder / "outlets.yaml")
    assert report.ok, report.rejected
    ids = {a.title: a.id for a in store.iter_current_articles()}
    book = find_codebook(None)
    articles = {name: store.article(article_id) for name, article_id in ids.items()}

    def tag(who: str, name: str, label: str, word: str, voice: str) -> None:
        article = articles[name]
        start, end = SPANS[word]
        concept, variant = CONCEPTS[word]
        store.add_annotation(Annotation(
            article_id=article.id, text_sha256=article.text_sha256, annotator=who, codebook_id=book.id,
            codebook_version=book.version, category="term", label=label, start=start, end=end,
            attributes={"voice": voice, "concept": concept, "variant": variant}, **quote_selector(article.text, start, end)))

    def answer(who: str, name: str, category: str, label: str) -> None:
        article = articles[name]
        store.add_annotation(Annotation(
            article_id=article.id, text_sha256=article.text_sha256, annotator=who, codebook_id=book.id,
            codebook_version=book.version, category=category, label=label))

    tag("alice", "A1", "kremlin-form", "Kiev", "own")
    tag("alice", "A1", "ukraine-west-form", "Kyiv", "quoted")
    answer("alice", "A1", "tone", "anti")
    tag("alice", "A2", "kremlin-form", "Kiev", "own")
    answer("alice", "A2", "tone", "neutral")
    tag("bob", "A1", "kremlin-form", "Kiev", "scare-quoted")
    answer("bob", "A1", "tone", "anti")
    tag("alice", "B1", "ukraine-west-form", "Kyiv", "own")
    tag("alice", "B1", "ukraine-west-form", "invasion", "own")
    answer("alice", "B1", "tone", "pro")
    tag("bob", "B1", "ukraine-west-form", "Kyiv", "own")
    answer("bob", "B1", "tone", "neutral")
    if with_gold:
        tag("gold", "A1", "kremlin-form", "Kiev", "own")
        answer("gold", "A1", "tone", "anti")
    return store, ids
