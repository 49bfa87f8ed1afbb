"""`annotator show ARTICLE`: the article, its outlets and its live tags, in the terminal and as JSON."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from annotator.cli import main
from annotator.models import Annotation, quote_selector
from tests.report_fixture import build


@pytest.fixture
def project(tmp_path):
    store, ids = build(tmp_path / "p")
    article = store.article(ids["A1"])
    noted = Annotation(article_id=article.id, text_sha256=article.text_sha256, annotator="carol",
                       codebook_id="ru-ua-framing", codebook_version="1", category="term", label="ukraine-west-form",
                       start=10, end=14, attributes={"voice": "quoted"}, note="[red]check[/red] the source",
                       **quote_selector(article.text, 10, 14))
    store.add_annotation(noted)
    gone = store.add_annotation(Annotation(article_id=article.id, text_sha256=article.text_sha256, annotator="dave",
                                           codebook_id="ru-ua-framing", codebook_version="1", category="tone",
                                           label="neutral"))
    store.update_annotation(gone.uuid, deleted=True)
    store.add_annotation(Annotation(article_id=article.id, text_sha256=article.text_sha256, annotator="erin",
                                    codebook_id="ru-ua-framing", codebook_version="0", category="term",
                                    label="retired-form", start=0, end=4, **quote_selector(article.text, 0, 4)))
    return store, ids


def run(*args, width=200):
    return CliRunner(env={"COLUMNS": str(width)}).invoke(main, list(args), catch_exceptions=False)


def test_show_lists_the_live_tags_with_label_names(project):
    store, ids = project
    out = run("--db", str(store.path), "show", ids["A1"]).output
    tags = out[out.index("tags"):]
    assert "Term variants › Ukraine/West form" in tags  # the codebook's words, not term/ukraine-west-form
    assert "Tone › Anti" in tags  # an article-level answer
    assert "carol" in tags and "Kyiv" in tags and "quoted" in tags
    assert "[red]check[/red] the source" in tags  # a note is text, never markup
    assert "dave" not in tags  # deleted
    assert "retired-form (not in codebook)" in tags  # an orphan label keeps its id


def test_show_json_calls_them_tags_as_the_readme_does(project):
    store, ids = project
    data = json.loads(run("--db", str(store.path), "show", ids["A1"], "--json").output)
    assert "annotations" not in data
    assert {t["annotator"] for t in data["tags"]} == {"alice", "bob", "gold", "carol", "erin"}  # live ones only
    readme = (__import__("pathlib").Path(__file__).resolve().parent.parent.parent / "README.md").read_text(encoding="utf-8")
    assert "`--json` gives the whole record (text, raw text, removed ranges, outlets, `tags`)" in readme


def test_show_says_when_an_article_has_no_tags_and_reads_no_codebook_for_it(tmp_path, monkeypatch):
    import annotator.codebook

    store, ids = build(tmp_path / "p", with_gold=False)
    article = store.article(ids["A2"])
    for tag in store.annotations(article.id):
        store.update_annotation(tag.uuid, deleted=True)
    looked_up, real = [], annotator.codebook.find_codebook
    monkeypatch.setattr(annotator.codebook, "find_codebook", lambda ref: looked_up.append(ref) or real(ref))
    assert "No tags on this article yet." in run("--db", str(store.path), "show", ids["A2"]).output
    assert looked_up == []  # the codebook names tags: with none to name, it is not read
    assert "Tone › Anti" in run("--db", str(store.path), "show", ids["A1"]).output
    assert looked_up == ["ru-ua-framing"]
