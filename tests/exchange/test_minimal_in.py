"""Pre-annotations (annotator.exchange.minimal_in): records that give only article, annotator,
label and a span (offsets or a quote) become tags with everything else derived; a record that
does not fit is refused as FILE:LINE: reason, the others go in."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from annotator.cli import main
from annotator.exchange.tags_in import locate_quote, load_label_map
from annotator.errors import InputError

from tests.conftest import tag


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def write(path, records):
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records), encoding="utf-8")
    return path


def once(text, word):
    """Where ``word`` is in ``text``, when it is there once."""
    assert text.count(word) == 1, word
    start = text.index(word)
    return start, start + len(word)


@pytest.fixture
def article(demo_store):
    return next(demo_store.article(r.id) for r in demo_store.list_articles() if r.publisher == "yahoo-news")


def unique_word(text):
    return next(w for w in text.split() if w.isalpha() and len(w) > 6 and text.count(w) == 1)


def test_minimal_records_become_full_tags(demo_store, demo_dir, article):
    word = unique_word(article.text)
    start, end = once(article.text, word)
    write(demo_dir / "pre.jsonl", [
        {"article": article.id, "annotator": "model", "label": "kremlin-form", "start": start, "end": end},
        {"url": article.url, "annotator": "model", "label": "term:neutral-form", "quote": word},
        {"title": article.title, "annotator": "model", "label": "anti"},  # tone: the only category with 'anti'
        {"article_id": article.id, "label": "loaded-language", "quote": word, "note": "why"},  # annotator: --annotator
    ])
    result = run("import-annotations", "pre.jsonl", "--annotator", "lead")
    assert result.exit_code == 0, result.output
    assert "4 added" in result.stdout and "0 refused" in result.stdout
    tags = {(t.annotator, t.category, t.label): t for t in demo_store.annotations(article.id)}
    assert set(tags) == {("model", "term", "kremlin-form"), ("model", "term", "neutral-form"), ("model", "tone", "anti"),
                         ("lead", "persuasion", "loaded-language")}
    span = tags[("model", "term", "kremlin-form")]
    assert (span.start, span.end, span.quote) == (start, end, word)
    assert span.prefix == article.text[max(0, start - 32):start] and span.suffix == article.text[end:end + 32]
    assert span.text_sha256 == article.text_sha256 and span.codebook_id == "ru-ua-framing"
    assert span.codebook_version == "1" and span.origin.value == "imported"
    assert tags[("model", "term", "neutral-form")].start == start
    assert tags[("model", "tone", "anti")].start is None
    assert tags[("lead", "persuasion", "loaded-language")].note == "why"
    again = run("import-annotations", "pre.jsonl", "--annotator", "lead")  # the same file again adds nothing
    assert again.exit_code == 0 and "0 added" in again.stdout and "4 already present" in again.stdout
    assert len(demo_store.annotations(article.id)) == 4


def test_a_deleted_pre_annotation_is_not_brought_back(demo_store, demo_dir, article):
    word = unique_word(article.text)
    write(demo_dir / "pre.jsonl", [{"article": article.id, "annotator": "model", "label": "kremlin-form", "quote": word}])
    assert run("import-annotations", "pre.jsonl").exit_code == 0
    (stored,) = demo_store.annotations(article.id)
    demo_store.update_annotation(stored.uuid, deleted=True)
    assert run("import-annotations", "pre.jsonl").exit_code == 0
    assert demo_store.annotations(article.id) == []


def test_bad_pre_annotations_are_refused_with_file_and_line(demo_store, demo_dir, article):
    word = unique_word(article.text)
    start, end = once(article.text, word)
    write(demo_dir / "pre.jsonl", [
        {"article": article.id, "annotator": "m", "label": "kremlin-form", "start": start, "end": end},   # 1 ok
        {"article": article.id, "annotator": "m", "label": "kremlin-form", "start": start + 1, "end": end + 1,
         "quote": word},                                                                                  # 2 moved
        {"article": "ffffffffffff", "annotator": "m", "label": "anti"},                                    # 3 no article
        {"article": article.id, "annotator": "m", "label": "PER", "quote": word},                          # 4 label
        {"article": article.id, "annotator": "m", "label": "PER", "quote": word},                          # 5 label
        {"article": article.id, "annotator": "m", "label": "kremlin-form", "quote": "no such words here"},  # 6 quote
        {"article": article.id, "annotator": "m", "label": "kremlin-form"},                                # 7 no span
        {"article": article.id, "annotator": "m", "label": "anti", "start": start, "end": end},             # 8 span on a question
        {"article": article.id, "annotator": "m", "label": "kremlin-form", "category": "tone"},            # 9 wrong category
        {"article": article.id, "annotator": "m\x1b[2J", "label": "anti"},                                 # 10 control characters
        {"annotator": "m", "label": "anti"},                                                               # 11 no article
    ])
    result = run("import-annotations", "pre.jsonl")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert [line.split(":")[2] for line in lines[:10]] == [str(n) for n in range(2, 12)]
    text = "\n".join(lines)
    assert f'pre.jsonl:2: the text at {start + 1}..{end + 1}' in text and "not the quoted" in text
    assert 'pre.jsonl:3: no article with the id, url or title "ffffffffffff"' in text
    assert 'pre.jsonl:4: label "PER" is not in codebook ru-ua-framing' in text
    assert 'label "PER": 2 tag(s) not imported' in text and "--label-map" in text
    assert "pre.jsonl:6: quote" in text and "not in the article's text" in text
    assert "pre.jsonl:7: category term tags spans" in text
    assert "pre.jsonl:8: category tone is about the whole article" in text
    assert "pre.jsonl:9: codebook ru-ua-framing 1 has no label" in text
    assert "pre.jsonl:10: annotator" in text and "\x1b" not in result.stderr
    assert "pre.jsonl:11: missing field(s): article" in text
    assert "1 added" in result.stdout and "10 refused" in result.stdout
    assert [(t.start, t.end) for t in demo_store.annotations(article.id)] == [(start, end)]


def test_a_label_map_names_the_codebook_labels(demo_store, demo_dir, article):
    word = unique_word(article.text)
    (demo_dir / "map.csv").write_text("foreign,label\nKREMLIN,kremlin-form\nNEG,tone:anti\n", encoding="utf-8")
    write(demo_dir / "pre.jsonl", [{"article": article.id, "annotator": "m", "label": "KREMLIN", "quote": word},
                                   {"article": article.id, "annotator": "m", "label": "NEG"}])
    result = run("import-annotations", "pre.jsonl", "--label-map", "map.csv")
    assert result.exit_code == 0, result.output
    assert {(t.category, t.label) for t in demo_store.annotations(article.id)} == {("term", "kremlin-form"),
                                                                                    ("tone", "anti")}


def test_someone_elses_tags_are_not_rewritten_by_a_pre_annotation_file(demo_store, demo_dir, article):
    word = unique_word(article.text)
    mine = tag(demo_store, article, word, annotator="maria", note="mine")
    write(demo_dir / "pre.jsonl", [{"article": article.id, "annotator": "maria", "label": "neutral-form", "quote": word}])
    assert run("import-annotations", "pre.jsonl", "--annotator", "eve").exit_code == 0
    stored = {t.uuid: t for t in demo_store.annotations(article.id)}
    assert stored[mine.uuid] == mine  # a new tag beside it, the stored one as it was
    assert len(stored) == 2


def test_a_quote_is_found_as_a_text_quote_selector_finds_it():
    text = "Kiev said. Later Kiev agreed. Kiev again."
    assert locate_quote(text, "said") == (5, 9)
    assert locate_quote(text, "Kiev", prefix="Later ", suffix=" agreed") == (17, 21)
    assert locate_quote(text, "Kiev", prefix="xx. ", suffix=" again") == (30, 34)  # the most context wins
    with pytest.raises(ValueError, match="3 times"):
        locate_quote(text, "Kiev")
    with pytest.raises(ValueError, match="not in the article"):
        locate_quote(text, "Kyiv")


@pytest.mark.parametrize("name, content, message", [
    ("map.yaml", "- a\n- b\n", "a label map is a mapping"),
    ("map.csv", "a,b,c\n", "row 1: 3 columns"),
    ("map.yaml", "A: x\nA: y\n", "duplicate key"),
])
def test_a_bad_label_map_is_one_error(workdir, name, content, message):
    (workdir / name).write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        load_label_map(workdir / name)
