"""The App shell opens: the layout first, the session (store, codebook) in a worker after the
first frame; what cannot be opened is one line and exit status 1; the first frame imports
none of the store, models or codebook."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from annotator.tui.app import AnnotatorApp
from annotator.tui.widgets.article_list import ArticleList

from .conftest import MINI, SIZE, card_text, press, screen_text, settle, widget_text


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

        from annotator.ingest.importer import import_paths
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
    """What the first frame waits for: Textual and the command line, not sqlite-utils (numpy),
    pydantic or the codebook."""
    import subprocess
    import sys

    code = ("import sys, annotator.cli, annotator.tui.app, annotator.tui.opening; "  # the way `annotator` starts it
            "print(sorted(m for m in ('sqlite_utils', 'numpy', 'pydantic', 'yaml', 'annotator.store', "
            "'annotator.models', 'annotator.codebook', 'annotator.readouts.render', 'annotator.lexicon') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2]).stdout
    assert out.strip() == "[]"
