"""Bidi controls, zero-width characters and C1 controls in titles, outlet fields and names
are shown as escapes in every terminal view and written as \\u escapes in JSON; keyboard
selections move by grapheme cluster (tests/tui/widgets/test_graphemes.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import main
from annotator.codebook import load_codebook
from annotator.ingest.importer import import_paths
from annotator.models import Annotation
from annotator.normalize import clean_line, neutralize, normalize_text
from annotator.readouts.render import safe
from annotator.store import Store
from annotator.tui.app import AnnotatorApp

from .tui.conftest import MINI, SIZE, screen_segments, settle, widget_text

HIDDEN = ("\u202e", "\u2066", "\u200b", "\u061c", "\x9b")


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False, env={"COLUMNS": "200"})


def shows_nothing_hidden(text: str) -> bool:
    return not any(ch in text for ch in HIDDEN)


@pytest.mark.parametrize("raw, shown", [
    ("abc\u202eevil", "abc\\u202eevil"),             # right-to-left override
    ("\u2066isolate\u2069", "\\u2066isolate\\u2069"),
    ("ali\u200bce", "ali\\u200bce"),                   # zero-width space
    ("ali\u200dce", "ali\\u200dce"),                   # a joiner between ASCII letters: a spoof
    ("👩\u200d👩\u200d👧", "👩\u200d👩\u200d👧"),        # inside an emoji sequence: kept
    ("می\u200cخواهم", "می\u200cخواهم"),                 # inside a Persian word: kept
    ("x\x9by", "x\\x9by"),
])
def test_hidden_characters_are_shown_as_escapes(raw, shown):
    assert neutralize(raw) == shown and neutralize(shown) == shown
    assert safe(raw).plain == neutralize(normalize_text(raw))  # escape sequences and C1 controls are removed first
    assert shows_nothing_hidden(safe(raw).plain) or "\u200d" in raw or "\u200c" in raw
    assert clean_line(f" {raw}\n") == safe(raw).plain


@pytest.fixture
def bidi_store(workdir: Path) -> Store:
    """An article whose title, outlet and annotator hold bidi controls and zero-width characters."""
    (workdir / "news").mkdir()
    (workdir / "news" / "spoof.txt").write_text(
        "Kiev says \u202ethis is reversed\u202c and in\u200bvisible\n\nBody Kiev text.\n", encoding="utf-8")
    (workdir / "news" / "outlets.yaml").write_text(json.dumps({"outlets": [
        {"id": "spoof-news", "name": "Spoof \u2066News\u2069", "country": "Land\u061c", "owner": "Own\u200ber",
         "state_affiliation": "private"}]}), encoding="utf-8")
    (workdir / "news" / "manifest.yaml").write_text(json.dumps({"files": [
        {"file": "spoof.txt", "publisher": "spoof-news"}]}), encoding="utf-8")
    store = Store(workdir / "annotations.db")
    assert import_paths(store, [workdir / "news"]).ok
    article = store.article(store.list_articles()[0].id)
    store.add_annotation(Annotation(article_id=article.id, text_sha256=article.text_sha256,
                                    annotator="eve\x9b31m\u202e", codebook_id="ru-ua-framing", codebook_version="1",
                                    category="tone", label="anti"))
    return store


def test_command_line_views_show_hidden_characters_as_escapes(bidi_store):
    article_id = bidi_store.list_articles()[0].id
    for args in (["articles"], ["outlets"], ["show", article_id], ["suggest", article_id]):
        result = run("--db", "annotations.db", *args)
        assert result.exit_code == 0, result.output
        assert shows_nothing_hidden(result.stdout), args
    assert "\\u202ethis is reversed" in run("--db", "annotations.db", "articles").stdout
    assert "Spoof \\u2066News" in run("--db", "annotations.db", "outlets").stdout
    shown = run("--db", "annotations.db", "show", article_id).stdout
    assert "eve\\x9b31m\\u202e" in shown and "in\\u200bvisible" in shown


def test_json_outputs_escape_hidden_characters_and_decode_exactly(bidi_store):
    article_id = bidi_store.list_articles()[0].id
    for args in (["show", article_id, "--json"], ["stats", "--by", "annotator", "--format", "json"],
                 ["articles", "--json"], ["outlets", "--json"]):
        result = run("--db", "annotations.db", *args)
        assert result.exit_code == 0, result.output
        assert shows_nothing_hidden(result.stdout), args
    data = json.loads(run("--db", "annotations.db", "show", article_id, "--json").stdout)
    assert data["tags"][0]["annotator"] == "eve\x9b31m\u202e" and "\u202e" in data["title"]  # exact once decoded
    stats = run("--db", "annotations.db", "stats", "--by", "annotator", "--format", "json").stdout
    assert "eve\\u009b31m\\u202e" in stats


async def test_the_tui_shows_hidden_characters_as_escapes(bidi_store):
    app = AnnotatorApp(bidi_store, "eve\u202e\u200b", load_codebook(MINI))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert shows_nothing_hidden("".join(screen_segments(app)))
        assert "\\u202ethis is reversed" in widget_text(app.query_one("#article-head"))
        assert "Spoof \\u2066News" in widget_text(app.query_one("#outlet-card"))
        assert "eve\\u202e\\u200b" in widget_text(app.query_one("#topbar-info"))
