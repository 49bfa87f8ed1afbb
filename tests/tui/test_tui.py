"""The TUI as a person uses it: keys and selections through Pilot, then the database."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from annotator.tui.app import AnnotatorApp
from annotator.tui.widgets.article_list import ArticleList
from annotator.tui.widgets.article_view import ArticleView

from .conftest import (MINI, SIZE, card_text, live, make_app, press, screen_text, select_text, settle,
                       tag_span, widget_text)

async def test_opens_first_article_beside_its_outlet_card(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.annotate.article.publisher == "press-tv"
        card = card_text(app)
        assert "Islamic Republic of Iran Broadcasting" in card and "Ofcom" in card
        assert "maria" in str(app.query_one("#topbar-info").render())
        assert app.query_one(ArticleList).total == 5


async def test_tag_a_span_with_keys_only(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        start, end = await select_text(app, pilot, "Kiev")
        await press(pilot, "1")
    [tag] = live(demo_store)
    article = demo_store.article(tag.article_id)
    assert (tag.start, tag.end, tag.quote) == (start, end, "Kiev")
    assert article.text[tag.start:tag.end] == tag.quote
    assert (tag.label, tag.category, tag.origin.value, tag.annotator) == ("kremlin-form", "term", "human", "maria")
    assert tag.text_sha256 == article.text_sha256 and tag.codebook_id == "mini"
    assert tag.attributes["voice"] == "own" and tag.attributes["variant"] == "kiev"
    assert article.text[tag.start - len(tag.prefix):tag.start] == tag.prefix


async def test_tag_without_selection_does_nothing(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await press(pilot, "1")
    assert live(demo_store) == []


async def test_accept_and_reject_suggestions(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        first = app.annotate.suggestions[0]
        await press(pilot, "S", "A")
        [accepted] = live(demo_store)
        assert (accepted.start, accepted.end, accepted.origin.value) == (first.start, first.end, "suggestion")
        assert accepted.attributes["concept"] == first.concept and accepted.label == first.label
        rejected = app.annotate._suggestion_at_selection()  # accepting jumps to the next suggestion
        assert rejected is not None
        await press(pilot, "R")
        assert (rejected.start, rejected.end, rejected.variant) in demo_store.rejected_suggestions(app.annotate.article.id, "maria")
        assert rejected not in app.annotate.suggestions
    again = make_app(demo_store)
    async with again.run_test(size=SIZE) as pilot:
        await settle(again, pilot)
        offered = {(s.start, s.end) for s in again.annotate.suggestions}
        assert (rejected.start, rejected.end) not in offered and (first.start, first.end) not in offered
    other = make_app(demo_store, annotator="li")
    async with other.run_test(size=SIZE) as pilot:
        await settle(other, pilot)
        assert (rejected.start, rejected.end) in {(s.start, s.end) for s in other.annotate.suggestions}


async def test_undo_and_redo(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await tag_span(pilot, "Kiev", "1")
        assert len(live(demo_store)) == 1
        await press(pilot, "ctrl+z")
        assert live(demo_store) == [] and len(demo_store.annotations(include_deleted=True)) == 1
        await press(pilot, "ctrl+y")
        assert len(live(demo_store)) == 1
        await pilot.press("X")  # delete the current tag
        await settle(app, pilot)
        assert live(demo_store) == []
        await press(pilot, "ctrl+z")
        assert len(live(demo_store)) == 1


async def test_change_label_voice_and_notes(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await tag_span(pilot, "de-Nazify", "1")
        [tag] = live(demo_store)
        assert tag.attributes["voice"] == "scare-quoted"  # wrapped in quote marks
        await press(pilot, "V")
        assert live(demo_store)[0].attributes["voice"] == "own"
        await pilot.press("L")
        await pilot.pause()
        await press(pilot, *"ukr", "enter")
        assert live(demo_store)[0].label == "ukraine-west-form"
        await pilot.press("N")
        await pilot.pause()
        await press(pilot, *"quoting", "ctrl+s")
        assert live(demo_store)[0].note == "quoting"
        await pilot.press("M")
        await pilot.pause()
        await press(pilot, *"[b]all[/]", "ctrl+s")
    notes = live(demo_store, category="_article")
    assert [n.note for n in notes] == ["[b]all[/]"] and notes[0].start is None


async def test_article_question_single_choice_replaces(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("Q")
        await pilot.pause()
        await press(pilot, *"anti", "enter")
        assert [t.label for t in live(demo_store, category="tone")] == ["anti"]
        await pilot.press("Q")
        await pilot.pause()
        await press(pilot, *"neutral", "enter")
        assert [t.label for t in live(demo_store, category="tone")] == ["neutral"]
        await press(pilot, "ctrl+z")
        assert [t.label for t in live(demo_store, category="tone")] == ["anti"]
        await press(pilot, "ctrl+y")
        assert [t.label for t in live(demo_store, category="tone")] == ["neutral"]


async def test_moving_between_articles_and_done(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        first = app.annotate.article.id
        await press(pilot, "D")
        assert demo_store.status(first, "maria") == "done"
        await press(pilot, "]")
        second = app.annotate.article.id
        assert second != first and app.annotate.article.publisher == "yahoo-news"
        await press(pilot, "[")
        assert app.annotate.article.id == first
        await pilot.press("}")  # next not done skips nothing here: the second is not done
        await settle(app, pilot)
        assert app.annotate.article.id == second
        assert "done 1/5" in str(app.query_one("#topbar-info").render())


async def test_jump_between_tags(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await tag_span(pilot, "Kiev", "1")
        await tag_span(pilot, "Moscow", "2")
        view = app.query_one(ArticleView)
        view.select_range(0, 0)
        await pilot.press("J")
        await pilot.pause()
        assert app.annotate.article.text[slice(*view.selected_range)] in {"Kiev", "Moscow"}
        first = view.selected_range
        await pilot.press("J")
        await pilot.pause()
        assert view.selected_range != first


async def test_help_screen_shows_keys_and_guideline(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await tag_span(pilot, "Kiev", "1")
        await pilot.press("question_mark")
        await pilot.pause()
        keys = widget_text(app.screen.query_one("#help-keys"))
        guideline = widget_text(app.screen.query_one("#help-guideline"))
        assert "open the next article" in keys and "Kremlin form" in keys and "next_article" in keys
        assert "Russian-state form" in guideline and "shortest span" in guideline
        await pilot.press("escape")
        await pilot.pause()
        assert not app.screen.query("#help-keys")


@pytest.mark.parametrize("size", [(100, 30), (200, 60)])
async def test_layout_holds_at_small_and_large_sizes(demo_store, size):
    app = make_app(demo_store)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        assert app.query_one("#outlet-card").region.width > 20
        assert app.query_one(ArticleView).region.width >= 40


async def test_palette_names_bracket_keys_as_they_are(demo_store):
    from textual.content import Content

    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        helps = {c.title: Content.from_markup(c.help).plain for c in app.get_system_commands(app.screen)}
    assert helps["Previous article"].endswith("(key [)") and helps["Next article"].endswith("(key ])")


# -- opening: the layout first, then the session (annotator tui) ------------------------------


async def test_the_layout_shows_at_once_and_the_session_opens_after_it(demo_store, monkeypatch):
    """``annotator tui`` draws its layout before it reads the configuration, the codebook and
    the database; until they are open it says so and its keys do nothing."""
    import threading

    import annotator.tui.app as tui_app
    from annotator.tui.opening import OpenRequest, open_session

    release = threading.Event()

    def slow_open(request):
        release.wait(10)
        return open_session(request)

    monkeypatch.setattr(tui_app, "open_session", slow_open)
    monkeypatch.setenv("ANNOTATOR_CONFIG", os.devnull)
    app = AnnotatorApp(request=OpenRequest(db_path=demo_store.path, annotator_name="maria", codebook_ref=str(MINI)))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = screen_text(app)
        assert "opening" in screen and "annotations.db" in screen and "Opening the database" in screen
        assert not app.ready and app.annotate.article is None and app.store is None
        assert app.annotate.check_action("next_article", ()) is None  # greyed out, not run
        await pilot.press("]", "D", "question_mark")
        await pilot.pause()
        assert app.annotate.article is None and not app.screen.query("#help-keys")
        from textual.widgets import Input

        app.query_one("#search", Input).value = "homework"  # typed while opening: applied once open
        await pilot.pause()
        release.set()
        await settle(app, pilot)
        assert app.query_one(ArticleList).total == 2  # press-tv and yahoo-news
        assert app.ready and app.annotate.annotator == "maria" and app.codebook.id == "mini"
        assert app.annotate.article is not None and app.annotate.article.publisher == "press-tv"
        assert "maria" in widget_text(app.query_one("#topbar-info"))
        assert "Islamic Republic of Iran Broadcasting" in card_text(app)
        await press(pilot, "]")
        assert app.annotate.position == 1


@pytest.mark.parametrize("setup, args, message", [
    (None, ["--codebook", "nope", "tui"], "error: no codebook 'nope' (shipped: "),
    ("folder", ["--db", "dbdir", "tui"], "error: dbdir: is a folder, not a database file"),
    ("bad-codebook", ["--codebook", "bad.yaml", "tui"], "error: bad.yaml"),
    ("not-sqlite", ["--db", "junk.db", "tui"], "error: junk.db: not a usable SQLite database"),
    ("damaged", ["--db", "damaged.db", "--annotator", "bob", "tui"], "error: damaged.db: the database is damaged"),
])
def test_what_cannot_be_opened_after_the_first_frame_is_one_line_and_exit_1(workdir, monkeypatch, setup, args, message):
    """The session is opened after the first frame, but a bad codebook or database is still
    one error line (after the TUI has closed itself) and exit status 1, never a traceback."""
    from click.testing import CliRunner

    from annotator.cli import main

    monkeypatch.setenv("ANNOTATOR_CONFIG", os.devnull)
    if setup == "folder":
        (workdir / "dbdir").mkdir()
    elif setup == "bad-codebook":
        (workdir / "bad.yaml").write_text("id: [unclosed\n")
    elif setup == "not-sqlite":
        (workdir / "junk.db").write_bytes(b"this is not a database" * 100)
    elif setup == "damaged":  # it opens; reading the articles meets the damage
        import shutil

        from annotator.importer import import_paths
        from annotator.store import Store

        from ..conftest import CORPUS

        shutil.copytree(CORPUS, workdir / "corpus")
        store = Store(workdir / "damaged.db")
        assert import_paths(store, [workdir / "corpus"]).ok
        store.close()
        data = bytearray((workdir / "damaged.db").read_bytes())
        data[20_000:21_500] = b"\xff" * 1_500  # pages of the articles, read once the TUI is open
        (workdir / "damaged.db").write_bytes(bytes(data))
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    [line] = result.stderr.splitlines()
    assert line.startswith(message), line


def test_the_tui_modules_do_not_import_the_store_models_or_codebook():
    """What the first frame waits for: Textual, not sqlite-utils (numpy), pydantic or the codebook."""
    import subprocess
    import sys

    code = ("import sys, annotator.tui.app, annotator.tui.opening; "
            "print(sorted(m for m in ('sqlite_utils', 'numpy', 'pydantic', 'yaml', 'annotator.store', "
            "'annotator.models', 'annotator.codebook', 'annotator.render', 'annotator.lexicon') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2]).stdout
    assert out.strip() == "[]"


async def test_the_tag_list_jumps_to_a_tag_with_the_keys_or_a_click(demo_store):
    from annotator.tui.widgets.tag_list import TagList

    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await tag_span(pilot, "Kiev", "1")
        await tag_span(pilot, "Moscow", "2")
        spans = [(t.start, t.end) for t in app.annotate.span_tags]
        tags = app.query_one(TagList)
        assert tags.row_count == 2 and "Kiev" in widget_text(tags) and "Moscow" in widget_text(tags)
        app.query_one(ArticleView).select_range(0, 0)
        tags.focus()
        await pilot.pause()
        await press(pilot, "down", "enter")  # the second tag in the text's order
        assert app.query_one(ArticleView).selected_range == spans[1] and app.query_one(ArticleView).has_focus
        assert app.annotate.current_tag == app.annotate.span_tags[1].uuid
        await pilot.click(TagList, offset=(4, 0))  # the first one, by the mouse
        await settle(app, pilot)
        assert app.query_one(ArticleView).selected_range == spans[0]


async def test_the_text_draws_each_row_as_textual_does():
    """ArticleView draws a wrapped line once for all its rows: the same strips as Textual's
    TextArea, with paints, a selection, the cursor, wide characters and tabs."""
    import random

    from rich.style import Style
    from textual.app import App

    from annotator.tui.widgets.article_view import Paint

    class Viewer(App):
        def compose(self):
            yield ArticleView()

    rng = random.Random(3)
    words = ["alpha", "be", "gamma", "délta", "名前", "x" * 30, "epsilon,", "z."]
    async with Viewer().run_test(size=(60, 50)) as pilot:
        view = pilot.app.query_one(ArticleView)
        for trial in range(6):
            text = "\n".join(" ".join(rng.choice(words) for _ in range(rng.randint(0, 60))) for _ in range(10))
            if trial == 3:
                text = text.replace("be ", "tab\there ", 3)
            view.show_text(text)
            view.set_paints([Paint(a, a + rng.randint(1, 40), Style(bgcolor="red", bold=i % 2 == 0))
                             for i, a in enumerate(rng.sample(range(len(text)), 25))],
                            base=[Paint(a, a + 5, Style(underline=True)) for a in rng.sample(range(len(text)), 15)])
            if trial % 2:
                view.select_range(40, 300)
            if trial >= 4:
                view.focus()
            await pilot.pause()
            for y in range(view.size.height):
                ours, textuals = view.render_row(y), view.textual_row(y)
                assert list(ours) == list(textuals) and ours.cell_length == textuals.cell_length, (trial, y)
            assert view._rows  # (the rows above were drawn by ArticleView, not only by Textual)
