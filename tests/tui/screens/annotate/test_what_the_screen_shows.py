"""What the annotation screen shows: the canonical text with tags and suggestions drawn apart,
every key in the footer, help and palette, and a narrow terminal."""

from __future__ import annotations

from rich.style import Style

from annotator.tui.app import ACTIONS
from annotator.tui.widgets.article_list import ArticleList
from annotator.tui.widgets.article_view import ArticleView

from ...conftest import SIZE, live, make_app, press, screen_text, select_text, settle, widget_text


async def test_text_is_the_canonical_text_with_tags_and_suggestions_drawn_apart(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await press(pilot, "]")
        view = app.query_one(ArticleView)
        assert view.text == app.annotate.article.text  # canonical text only: Yahoo's chrome is not there
        assert "Oops" not in screen_text(app) and "Something went wrong" not in view.text
        suggestion = app.annotate.suggestions[0]
        start, end = await select_text(app, pilot, "Kremlin")
        await press(pilot, "2")
        view.select_range(0, 0)

        def style_at(offset: int) -> Style:
            row, column = view.location_of(offset)
            line = view.get_line(row)
            return line.get_style_at_offset(app.console, column)

        tag_style = style_at(start)
        suggestion_style = style_at(suggestion.start)
        assert tag_style.bgcolor is not None and not tag_style.italic  # a tag: its label's colour behind
        assert suggestion_style.underline and suggestion_style.italic and suggestion_style.bgcolor is None
        assert tag_style.bgcolor.name == "#4f9cff"  # the label's colour
        view.select_range(start, start)  # an overlapping, longer span with another label
        await press(pilot, "ctrl+shift+right", "ctrl+shift+right", "1")
        spans = sorted((t.start, t.end, t.label) for t in live(app.store))
        assert spans == [(start, end, "ukraine-west-form"), (start, end + 3, "kremlin-form")]
        assert style_at(end + 1).bgcolor.name == "red"


async def test_footer_help_and_palette_cover_every_key(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        footer = screen_text(app).splitlines()[-1]
        for word in ("Next article", "Done", "Suggestion", "Accept", "Reject", "Tag", "Question", "Undo", "Help"):
            assert word in footer, word
        await pilot.press("question_mark")
        await pilot.pause()
        keys = widget_text(app.screen.query_one("#help-keys"))
        for binding_id, *_ in ACTIONS:
            assert binding_id in keys, binding_id
        assert "shift+arrows" in keys and "Kremlin form" in keys and "annotator.toml" in keys
        await pilot.press("escape")
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for _, _, _, description, _ in ACTIONS:
            if description != "Back to text":
                assert description.rstrip("…") in titles, description
        assert "Tag selection: Term variants › Kremlin form" in titles
        first = app.annotate.article.id
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"next art")
        await pilot.pause(0.3)
        await press(pilot, "enter")
        assert app.annotate.article.id != first  # the palette ran "Next article"
        # the article list tells what enter does when it has the focus
        app.query_one(ArticleList).focus()
        await pilot.pause()
        assert "Open" in screen_text(app).splitlines()[-1]


async def test_narrow_terminal_hides_the_list_until_f2(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert not app.query_one("#sidebar").display or app.query_one("#sidebar").region.width == 0
        assert app.query_one(ArticleView).region.width >= 40 and app.query_one("#outlet-card").region.width >= 40
        await pilot.press("f2")
        await pilot.pause()
        assert app.query_one("#sidebar").region.width > 0 and app.query_one(ArticleList).has_focus
        await pilot.press("f2")
        await pilot.pause()
        assert app.query_one(ArticleView).has_focus
