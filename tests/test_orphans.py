"""A newer codebook version that renames or removes labels keeps the old tags and reports them."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from annotator.cli import main
from annotator.codebook import load_codebook
from annotator.models import ARTICLE_NOTE_CATEGORY, Annotation, quote_selector
from annotator.orphans import find_orphans

MINI = Path(__file__).parent / "data" / "mini-codebook.yaml"


def _tag(article, category: str, label: str, version: str = "1", start: int | None = 0, end: int | None = 4) -> Annotation:
    quote = quote_selector(article.text, start, end) if start is not None else {}
    return Annotation(article_id=article.id, text_sha256=article.text_sha256, annotator="maria", codebook_id="mini",
                      codebook_version=version, category=category, label=label, start=start, end=end, **quote)


def _version_2(tmp_path: Path) -> Path:
    """Version 2 of the mini codebook: 'kremlin-form' renamed to 'russian-state-form', 'anti' removed."""
    text = MINI.read_text(encoding="utf-8")
    text = text.replace('version: "1"', 'version: "2"').replace("kremlin-form", "russian-state-form")
    text = text.replace("      - {id: anti, name: Anti, description: anti}\n", "")
    path = tmp_path / "mini-v2.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_renamed_and_removed_labels_are_reported_with_counts_and_kept(demo_store, tmp_path):
    article = demo_store.list_articles()[0]
    full = demo_store.article(article.id)
    for _ in range(3):
        demo_store.add_annotation(_tag(full, "term", "kremlin-form"))
    demo_store.add_annotation(_tag(full, "term", "ukraine-west-form"))
    demo_store.add_annotation(_tag(full, "tone", "anti", start=None, end=None))
    demo_store.add_annotation(_tag(full, ARTICLE_NOTE_CATEGORY, "note", start=None, end=None))
    deleted = demo_store.add_annotation(_tag(full, "term", "kremlin-form"))
    demo_store.update_annotation(deleted.uuid, deleted=True)

    v1, v2 = load_codebook(MINI), load_codebook(_version_2(tmp_path))
    assert find_orphans(v1, demo_store.label_usage("mini")) == []
    orphans = {(o.category, o.label): o for o in find_orphans(v2, demo_store.label_usage("mini"))}
    assert set(orphans) == {("term", "kremlin-form"), ("tone", "anti")}
    assert orphans[("term", "kremlin-form")].count == 3  # the deleted one is not counted
    assert orphans[("term", "kremlin-form")].versions == ("1",)

    result = CliRunner().invoke(main, ["codebook", "orphans", str(_version_2(tmp_path)), "--json"])
    assert result.exit_code == 0, result.output
    assert {(o["label"], o["count"]) for o in json.loads(result.output)} == {("kremlin-form", 3), ("anti", 1)}
    text = CliRunner().invoke(main, ["codebook", "orphans", str(_version_2(tmp_path))]).output
    assert "4 tag(s) use 2 label(s) not in codebook mini 2" in text

    # nothing is dropped: every tag is still there, with the label it was made with
    kept = demo_store.annotations(full.id)
    assert sum(t.label == "kremlin-form" for t in kept) == 3 and len(kept) == 6
