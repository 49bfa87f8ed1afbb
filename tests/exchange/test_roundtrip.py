"""Round trips: this tool's export in each format, imported into a fresh database of the same
corpus (and, where the format carries the article's title, into an empty one), gives the same
tags: offsets, labels and annotators, on texts with emoji, combining marks and CRLF."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import main
from annotator.ingest.importer import import_paths
from annotator.models import ARTICLE_NOTE_CATEGORY, ARTICLE_NOTE_LABEL, Annotation, quote_selector
from annotator.store import Store

# CRLF in the file becomes "\n" in the canonical text; "q\u0303" has no precomposed form;
# the family emoji is five code points (three astral, two ZWJ); "e\u0301" is composed by NFC.
EMOJI_TEXT = ("🐱 Warning: This is a test text\r\nq\u0303uoted \"Kiev\" by 👨\u200d👩\u200d👧 in Kyiv, "
              "cafe\u0301 👍🏽 end.")
PLAIN_TEXT = "Moscow said Kiev regime. Plain text only."
FORMATS = ("jsonl", "w3c", "label-studio", "doccano", "prodigy", "brat")
SPANS_ONLY = {"brat"}  # brat has no labels for a whole document
WITH_NOTES = {"jsonl", "w3c", "label-studio", "prodigy", "brat"}  # a span's note and voice go there and back
ARTICLE_NOTES = {"jsonl", "w3c", "label-studio", "prodigy"}  # and notes on the whole article
WITH_TITLES = ("label-studio", "doccano", "prodigy")  # they carry the article's title, url and publisher


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def corpus(workdir):
    path = workdir / "articles.jsonl"
    records = [{"title": "Emoji", "text": EMOJI_TEXT, "url": "https://a.example/1", "publisher": "Reuters"},
               {"title": "Plain", "text": PLAIN_TEXT}]
    path.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    return path


def fresh(workdir: Path, name: str, corpus: Path | None) -> Store:
    store = Store(workdir / name)
    if corpus is not None:
        assert import_paths(store, [corpus]).ok
    return store


@pytest.fixture
def source(workdir, corpus):
    store = fresh(workdir, "source.db", corpus)
    by_title = {a.title: store.article(a.id) for a in store.iter_current_articles()}
    emoji, plain = by_title["Emoji"], by_title["Plain"]
    assert "\r" not in emoji.text and "café" in emoji.text

    def tag(article, who, category, label, word=None, **extra):
        where = {}
        if word is not None:
            start = article.text.index(word)
            where = {"start": start, "end": start + len(word), **quote_selector(article.text, start, start + len(word))}
        store.add_annotation(Annotation(
            article_id=article.id, text_sha256=article.text_sha256, annotator=who, codebook_id="ru-ua-framing",
            codebook_version="1", category=category, label=label, **where, **extra))

    tag(emoji, "maria", "term", "kremlin-form", "Kiev", attributes={"voice": "quoted"}, note="a note")
    tag(emoji, "maria", "term", "neutral-form", "test")
    tag(emoji, "maria", "term", "ukraine-west-form", "Kyiv")
    tag(emoji, "maria", "persuasion", "flag-waving", "q\u0303uoted")
    tag(emoji, "maria", "persuasion", "appeal-to-fear-prejudice", "text\nq\u0303uoted")  # across a line end
    tag(emoji, "maria", "persuasion", "loaded-language", "👨\u200d👩\u200d👧")
    tag(emoji, "maria", "persuasion", "slogans", "café 👍🏽")
    tag(emoji, "maria", "generic-frames", "economic")
    tag(emoji, "maria", "tone", "anti")
    tag(emoji, "maria", ARTICLE_NOTE_CATEGORY, ARTICLE_NOTE_LABEL, note="check the date")
    tag(emoji, "olek", "term", "kremlin-form", "Kiev")
    tag(plain, "olek", "term", "kremlin-form", "Kiev regime")
    tag(plain, "Ольга Д.", "tone", "neutral")
    return store


def tag_keys(store: Store, spans_only: bool = False) -> set[tuple]:
    return {(t.article_id, t.annotator, t.category, t.label, t.start, t.end, t.quote)
            for t in store.annotations() if t.category != ARTICLE_NOTE_CATEGORY
            and not (spans_only and t.start is None)}


def export_to(workdir: Path, fmt: str) -> Path:
    out = workdir / {"brat": "tags.zip", "label-studio": "tags.json", "w3c": "tags.jsonld"}.get(fmt, "tags.jsonl")
    result = run("--db", "source.db", "export", "--format", fmt, "--out", str(out))
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_round_trips_into_a_database_of_the_same_corpus(workdir, corpus, source, fmt):
    path = export_to(workdir, fmt)
    target = fresh(workdir, "target.db", corpus)
    result = run("--db", "target.db", "import-annotations", str(path), "--annotator", "lead")
    assert result.exit_code == 0, result.output
    assert tag_keys(target, fmt in SPANS_ONLY) == tag_keys(source, fmt in SPANS_ONLY)
    assert "Imported articles" not in result.stdout  # the corpus has them all
    if fmt in WITH_NOTES:
        extras = lambda store: {(t.annotator, t.quote, t.note, tuple(sorted(t.attributes.items())))  # noqa: E731
                                for t in store.annotations() if t.start is not None}
        assert extras(target) == extras(source)
    if fmt in ARTICLE_NOTES:
        notes = lambda store: {(t.article_id, t.annotator, t.note) for t in store.annotations()  # noqa: E731
                               if t.category == ARTICLE_NOTE_CATEGORY}
        assert notes(target) == notes(source) and notes(source)
    again = run("--db", "target.db", "import-annotations", str(path), "--annotator", "lead")
    assert again.exit_code == 0 and " 0 added" in again.stdout  # nothing twice


@pytest.mark.parametrize("fmt", WITH_TITLES)
def test_a_format_with_its_texts_round_trips_into_an_empty_database(workdir, source, fmt):
    path = export_to(workdir, fmt)
    target = fresh(workdir, "empty.db", None)
    result = run("--db", "empty.db", "import-annotations", str(path), "--annotator", "lead")
    assert result.exit_code == 0, result.output
    assert "Imported articles: 2" in result.stdout
    assert tag_keys(target) == tag_keys(source)
    emoji = next(a for a in target.iter_current_articles() if a.title == "Emoji")
    assert emoji.publisher == "reuters" and emoji.url == "https://a.example/1"


def test_the_format_is_told_by_the_files_shape(workdir, source):
    from annotator.exchange.formats_in import detect_format

    for fmt in FORMATS:
        assert detect_format(export_to(workdir, fmt)) == fmt
