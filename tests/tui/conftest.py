"""Shared helpers of the TUI tests: an app on a store, pressing keys as a person does and
waiting until what they started is committed and drawn, selecting text, and reading what
a widget or the whole screen shows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.cells import split_graphemes
from textual.geometry import Region

from annotator.cli import main
from annotator.codebook import find_codebook, load_codebook
from annotator.store import Store
from annotator.tui.app import AnnotatorApp
from annotator.tui.widgets.article_view import ArticleView

MINI = Path(__file__).resolve().parent.parent / "data" / "mini-codebook.yaml"
SIZE = (160, 45)


def make_app(store: Store, annotator: str = "maria", keymap: dict | None = None) -> AnnotatorApp:
    return AnnotatorApp(store, annotator, load_codebook(MINI), keymap)


def framing_app(store: Store, annotator: str = "maria") -> AnnotatorApp:
    """The app with the shipped default codebook (its lexicon, questions and descriptions) and the default keys."""
    return AnnotatorApp(store, annotator, find_codebook("ru-ua-framing"), {})


async def settle(app: AnnotatorApp, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()
    await app.flush()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def press(pilot, *keys: str) -> None:
    """Press keys as a user would, then wait until what they started is committed and drawn."""
    await pilot.press(*keys)
    await settle(pilot.app, pilot)


async def tag_span(pilot, needle: str, key: str) -> None:
    """Select ``needle`` with shift+arrows and press a label key, as a user tags a span."""
    await select_text(pilot.app, pilot, needle)
    await press(pilot, key)


async def select_text(app: AnnotatorApp, pilot, needle: str, occurrence: int = 0, by: str | None = None) -> tuple[int, int]:
    """Put the cursor before ``needle`` and select it as a user would: ctrl+shift+right for a
    word (one key press), else shift+right once per character as drawn (grapheme cluster)."""
    view = app.query_one(ArticleView)
    text = app.annotate.article.text
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    view.select_range(start, start)
    if (by or ("word" if re.fullmatch(r"\w+", needle) else "char")) == "word":
        await pilot.press("ctrl+shift+right")
    else:
        await pilot.press(*["shift+right"] * len(split_graphemes(needle)[0]))  # once per character seen
    await pilot.pause()
    assert view.selected_range == (start, start + len(needle)), (needle, view.selected_range)
    return start, start + len(needle)


def widget_text(widget) -> str:
    """What a widget shows, as plain text with runs of white space (line breaks too) made one space."""
    width, height = widget.size
    return " ".join(" ".join(strip.text for strip in widget.render_lines(Region(0, 0, width, height))).split())


def card_text(app: AnnotatorApp) -> str:
    """Everything the outlet card holds (scrolled or not), as plain text with white space made one space."""
    return " ".join(" ".join(strip.text for strip in app.query_one("#outlet-card")._strips()).split())


def screen_segments(app: AnnotatorApp) -> list[str]:
    """The texts of every segment Textual would write to the terminal for the whole screen."""
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    return [segment.text for strip in update.strips for segment in strip]


def screen_text(app: AnnotatorApp) -> str:
    """The whole screen as plain text, one line per row."""
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    return "\n".join("".join(segment.text for segment in strip) for strip in update.strips)


def live(store: Store, **where) -> list:
    return [a for a in store.annotations(include_deleted=False) if all(getattr(a, k) == v for k, v in where.items())]


def notices(app: AnnotatorApp) -> list[str]:
    """The texts of the notifications the app shows now (its toasts)."""
    return [str(n.message) for n in app._notifications]


WORKED_EXAMPLE = Path(__file__).resolve().parent.parent.parent / "examples" / "demo-annotations.jsonl"


@pytest.fixture
def two_annotators(demo_store):
    """The worked example: alice's and bob's tags on the demo corpus (a store on it)."""
    path = demo_store.path
    demo_store.close()
    assert CliRunner().invoke(main, ["--db", str(path), "import-annotations", str(WORKED_EXAMPLE)]).exit_code == 0
    return Store(path)


