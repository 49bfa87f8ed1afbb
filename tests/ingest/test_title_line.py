"""The title is shown once (README "Boilerplate rules", `title`): the line the importer takes as the
title, or a first line that repeats the given title, is left out of the canonical text
and recorded as removed (rule ``title``), so ``raw_text`` keeps it and offsets refer to
the text annotators see."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, strategies as st

from annotator.ingest.boilerplate import restore, strip_boilerplate
from annotator.ingest.importer import import_paths, take_title
from annotator.normalize import normalize_text
from annotator.store import Store

from tests.conftest import CORPUS, SEED_FILES


def imported(workdir: Path, name: str, content: str, **kwargs) -> list:
    path = workdir / name
    path.write_text(content, encoding="utf-8")
    store = Store(workdir / "t.db")
    report = import_paths(store, [path], **kwargs)
    assert report.ok, report.rejected
    return [store.article(article_id) for _, article_id in report.imported]


def test_the_title_line_of_a_text_file_is_shown_once_and_kept_in_the_raw_text(workdir):
    [article] = imported(workdir, "a.txt", "Talks end without a deal\n\nNegotiators left Istanbul on Monday.\n")
    assert article.title == "Talks end without a deal"
    assert article.text == "Negotiators left Istanbul on Monday."
    assert article.raw_text.startswith("Talks end without a deal\n")
    assert [(r.rule, article.raw_text[r.start:r.end]) for r in article.removed if r.rule == "title"] == [
        ("title", "Talks end without a deal\n")]
    assert restore(normalize_text(article.raw_text), article.removed) == article.text


def test_a_markdown_heading_taken_as_the_title_is_left_out(workdir):
    [article] = imported(workdir, "a.md", "---\n# **Talks end**\n\nBody of the article.\n")
    assert article.title == "Talks end"
    assert article.text == "---\n\nBody of the article."  # the line without a letter before it stays


def test_every_demo_article_shows_its_title_only_in_the_head(demo_store):
    for article in demo_store.iter_current_articles():
        assert article.title not in article.text[:len(article.title) + 200], article.title


def test_a_record_whose_text_repeats_its_title_field_shows_it_once(workdir):
    records = [
        {"title": "Kremlin rules out a meeting", "text": "Kremlin  rules out a MEETING\n\nThe Kremlin said on Friday."},
        {"title": "Kremlin rules out a meeting", "text": "The Kremlin said on Friday.\nIt ruled out a meeting."},
        {"text": "A title taken from the text\nIts body."},
    ]
    articles = imported(workdir, "a.jsonl", "".join(json.dumps(r) + "\n" for r in records))
    assert [(a.title, a.text) for a in articles] == [
        ("Kremlin rules out a meeting", "The Kremlin said on Friday."),
        ("Kremlin rules out a meeting", "The Kremlin said on Friday.\nIt ruled out a meeting."),  # not a title
        ("A title taken from the text", "Its body."),
    ]


def test_a_manifest_title_repeated_by_the_first_line_is_left_out(workdir):
    (workdir / "manifest.yaml").write_text("files:\n  - {file: a.txt, title: 'The Real Title'}\n", encoding="utf-8")
    (workdir / "a.txt").write_text("The real title\nBody.\n", encoding="utf-8")
    store = Store(workdir / "t.db")
    assert import_paths(store, [workdir]).ok
    [article] = list(store.iter_current_articles())
    assert (article.title, article.text) == ("The Real Title", "Body.")


def test_a_line_that_is_all_the_text_or_longer_than_a_title_stays(workdir):
    one_line, long_line = "Only a headline", "word " * 100 + "end.\nSecond line."
    articles = imported(workdir, "a.jsonl", json.dumps({"text": one_line}) + "\n" + json.dumps({"text": long_line}) + "\n")
    assert articles[0].text == one_line and articles[0].title == one_line
    assert articles[1].text == long_line and len(articles[1].title) == 300


def test_offsets_of_the_demo_articles_refer_to_the_text_without_the_title():
    full = normalize_text((CORPUS / SEED_FILES["press_tv"]).read_text(encoding="utf-8"))
    text, removed = strip_boilerplate(full)
    title, shown, removed = take_title(full, text, removed, "")
    assert title.startswith("Kremlin: Putin, Zelensky could meet only after")
    assert shown.startswith("Dmitry Peskov, the Kremlin spokesperson\n\n")
    assert restore(full, removed) == shown
    assert [r.rule for r in removed][:4] == ["breadcrumb", "whitespace", "title", "whitespace"]


PIECES = ["Title", "A title", "# Heading", "b", " ", "-", "\n", "\n\n", "• Live", "Oops!", "News / X", "123"]


@given(st.lists(st.sampled_from(PIECES), min_size=1), st.sampled_from(["", "A title", "Title", "heading"]),
       st.booleans())
def test_the_removed_ranges_always_rebuild_the_shown_text(pieces, given_title, markdown):
    full = normalize_text("".join(pieces))
    text, removed = strip_boilerplate(full)
    if not text.strip():
        return
    title, shown, removed = take_title(full, text, removed, given_title, markdown)
    assert restore(full, removed) == shown and shown.strip()
    spans = sorted((r.start, r.end) for r in removed)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:])) and all(s < e for s, e in spans)
    assert title
