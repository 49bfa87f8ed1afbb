"""SVG snapshots of the TUI at a fixed size (cursor blink off). Update with --snapshot-update."""

from __future__ import annotations

import pytest

from annotator.tui.widgets.article_view import ArticleView

from .conftest import make_app, settle

SIZE = (140, 40)


@pytest.fixture
def snap_app(demo_store):
    app = make_app(demo_store, annotator="snapshot")
    return app


async def _ready(pilot) -> None:
    app = pilot.app
    await settle(app, pilot)
    app.query_one(ArticleView).cursor_blink = False


def test_first_screen_press_tv_beside_its_outlet_card(snap_app, snap_compare):
    assert snap_compare(snap_app, terminal_size=SIZE, run_before=_ready)


def test_tags_and_suggestions_are_drawn(snap_app, snap_compare):
    async def tag_then_jump(pilot):
        await _ready(pilot)
        app = pilot.app
        view = app.query_one(ArticleView)
        start = app.annotate.article.text.index("Moscow")
        view.select_range(start, start + len("Moscow"))
        await pilot.press("2", "S", "A", "f3")  # f3: the side pane shows the tags (40 rows: one part at a time)
        await settle(app, pilot)
        app.clear_notifications()
        await pilot.pause()

    assert snap_compare(snap_app, terminal_size=SIZE, run_before=tag_then_jump)


def test_help_screen(snap_app, snap_compare):
    async def open_help(pilot):
        await _ready(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(snap_app, terminal_size=SIZE, run_before=open_help)


def test_story_screen_following_the_capital(demo_store, snap_compare):
    from annotator.codebook import find_codebook
    from annotator.tui.app import AnnotatorApp
    from annotator.tui.widgets.story_column import StoryColumn

    async def follow_the_capital(pilot):
        app = pilot.app
        await settle(app, pilot)
        await pilot.press("C")
        await settle(app, pilot)
        await pilot.press("C")
        await pilot.pause()
        await pilot.press(*"capital", "enter")
        await settle(app, pilot)
        for column in app.screen.query(StoryColumn):
            column.view.cursor_blink = False
        await pilot.pause()

    app = AnnotatorApp(demo_store, "snapshot", find_codebook("ru-ua-framing"), {})
    assert snap_compare(app, terminal_size=SIZE, run_before=follow_the_capital)
