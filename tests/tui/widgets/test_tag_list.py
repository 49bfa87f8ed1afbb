"""The tag list: a tag is reached with the keys or a click, and the list shows when it has the keyboard."""

from __future__ import annotations

from annotator.tui.widgets.article_view import ArticleView

from ..conftest import SIZE, make_app, press, settle, tag_span, widget_text


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


async def test_the_tag_list_shows_when_it_has_the_keyboard(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await press(pilot, "S", "A")
        tag_list = app.query_one("#tag-list")
        unfocused = tag_list.styles.background
        tag_list.focus()
        await settle(app, pilot)
        assert tag_list.has_focus and tag_list.styles.background != unfocused
