"""A database whose every name from the data (outlets, stories, annotators, labels, sources)
is markup or script, for the report's escaping tests (in the page and in a real browser)."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from annotator.codebook import find_codebook
from annotator.ingest.importer import import_paths
from annotator.models import Annotation, quote_selector
from annotator.store import Store

EVIL = "<script>window.__pwned=1</script>\"Evil' & <img src=x onerror=\"window.__pwned=2\">"


def hostile_codebook(folder: Path) -> Path:
    """The default codebook with markup and quotes in every category, label and variant name."""
    data = yaml.safe_load(find_codebook(None).model_dump_json())
    for category in data["categories"]:
        category["name"] = f"{category['name']} {EVIL}"
        for label in category["labels"]:
            label["name"] = f"<b>{label['name']}</b>\"'"
        for concept in category.get("lexicon", []):
            for variant in concept["variants"]:
                variant["name"] = f"{variant.get('name') or variant['id']} <i onclick=\"x\">'"
    path = folder / "hostile.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def build_hostile(folder: Path) -> tuple[str, Path]:
    """A database whose outlet, story and annotator names and codebook names are all markup."""
    folder.mkdir(parents=True, exist_ok=True)
    registry = {"outlets": [{
        "id": "evil-news", "name": EVIL, "owner": f"owner {EVIL}", "state_affiliation": "state-owned",
        "sanctions": [{"authority": EVIL, "action": "<b>banned</b>", "date": "2022-03-01",
                       "source": "javascript:window.__pwned=7"}],
        "ratings": [{"rater": EVIL, "scale": "s", "value": "<u>low</u>", "as_of": "2024",
                     "source": "see https://example.org/a\"onmouseover=\"window.__pwned=8"}]}]}
    (folder / "outlets.yaml").write_text(yaml.safe_dump(registry), encoding="utf-8")
    records = [{"title": f"T{i}", "text": f"Kiev said Kyiv invasion {'word ' * 50} {i}", "publisher": "evil-news",
                "story": EVIL, "published": f"2022-0{i}-01"} for i in range(1, 4)]
    (folder / "articles.jsonl").write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    store = Store(folder / "hostile.db")
    assert import_paths(store, [folder / "articles.jsonl"], registry_path=folder / "outlets.yaml").ok
    book = find_codebook(None)
    for who in (EVIL, "b\"<img src=x onerror=window.__pwned=5>", "<gold>\""):
        for n, article in enumerate(store.iter_current_articles()):
            tags = [("term", "kremlin-form" if n % 2 or who == EVIL else "ukraine-west-form", 0, 4)]
            tags.append(("tone", "anti" if n or who == EVIL else "pro", None, None))
            for category, label, start, end in tags:
                span = quote_selector(article.text, start, end) if start is not None else {}
                attributes = {"voice": "own", "concept": "capital", "variant": "kiev"} if start is not None else {}
                store.add_annotation(Annotation(
                    article_id=article.id, text_sha256=article.text_sha256, annotator=who, codebook_id=book.id,
                    codebook_version=book.version, category=category, label=label, start=start, end=end,
                    attributes=attributes, **span))
    store.close()
    return str(folder / "hostile.db"), hostile_codebook(folder)
