"""What a new annotator meets: every terminal size usable, the view always matching the
filters, the place kept between sessions, and messages in the codebook's words."""

from __future__ import annotations

from annotator.tui.app import AnnotatorApp
from annotator.tui.widgets.article_view import ArticleView

from ...conftest import (SIZE, framing_app, live, make_app, notices, press, screen_text, select_text, settle, tag_span,
                         widget_text)


def visible(app: AnnotatorApp, selector: str) -> bool:
    """Is the widget shown on the screen (displayed, with every container above it displayed)?"""
    widget = app.query_one(selector)
    return widget.display and all(node.display for node in widget.ancestors if hasattr(node, "display")) \
        and widget.region.area > 0


async def test_the_help_key_and_the_text_are_on_screen_at_every_size(demo_store):
    app = framing_app(demo_store)
    sizes = [(80, 24), (120, 35), (180, 50)]
    async with app.run_test(size=sizes[0]) as pilot:  # one app, resized as a user would (cheaper than one per size)
        for size in sizes:
            await pilot.resize_terminal(*size)
            await settle(app, pilot)
            lines = screen_text(app).splitlines()
            assert lines[0].rstrip().endswith("? help"), size  # the top bar's last cell, never cut off
            assert "? Help" in lines[-1], size  # first in the footer
            assert app.query_one(ArticleView).region.width >= 30, size
            first_words = app.annotate.article.text.split("\n\n")[1].split()[:4]
            assert " ".join(first_words) in " ".join(screen_text(app).split()), size


async def test_at_80x24_the_side_pane_shows_card_tags_and_questions_in_turn(demo_store):
    app = framing_app(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert visible(app, "#outlet-card") and not visible(app, "#questions") and not visible(app, "#tag-keys")
        assert "Outlet" in widget_text(app.query_one("#side-tabs"))
        await press(pilot, "f3")
        assert visible(app, "#tag-keys") and not visible(app, "#outlet-card")
        assert "Kremlin form" in widget_text(app.query_one("#tag-keys"))
        await press(pilot, "f3")
        assert visible(app, "#questions") and "Tone" in widget_text(app.query_one("#questions"))
        await press(pilot, "f3")
        assert visible(app, "#outlet-card")
        # the list, once shown, takes the side pane's place instead of squeezing the card
        await press(pilot, "f2")
        assert visible(app, "#articles") and not visible(app, "#side")
        assert app.query_one(ArticleView).region.width >= 30
        await press(pilot, "f2")
        assert visible(app, "#outlet-card") and app.query_one("#outlet-card").region.width >= 28
        await press(pilot, "slash")  # the search shows the list as F2 does
        assert visible(app, "#search") and not visible(app, "#side")


async def test_with_the_list_shown_nothing_runs_off_the_right_edge(demo_store):
    app = framing_app(demo_store)
    widths = [100, 110, 119, 120, 129, 130, 160]
    async with app.run_test(size=(widths[0], 50)) as pilot:  # one app, resized through the widths
        for width in widths:
            await pilot.resize_terminal(width, 50)
            await settle(app, pilot)
            if not visible(app, "#articles"):
                await press(pilot, "f2")
            assert visible(app, "#articles"), width
            for selector in ("#articles", "#text", "#outlet-card", "#questions"):
                if visible(app, selector):
                    region = app.query_one(selector).region
                    assert region.right <= width, (width, selector, region)
            assert app.query_one(ArticleView).region.width >= 30, width


async def test_an_answer_is_confirmed_where_it_can_be_seen_at_80x24(demo_store):
    app = framing_app(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("Q")
        await pilot.pause()
        await press(pilot, *"tone anti", "enter")
        assert [t.label for t in live(demo_store, category="tone")] == ["anti"]
        assert visible(app, "#questions")  # the side pane turned to the questions
        assert "Anti" in widget_text(app.query_one("#questions"))
        assert "Answered: Tone › Anti" in notices(app)  # names, not "answer tone/anti"


async def test_on_a_tall_screen_the_questions_stay_in_view_as_tags_are_added(demo_store):
    app = framing_app(demo_store)
    async with app.run_test(size=(180, 50)) as pilot:
        await settle(app, pilot)
        questions_at = app.query_one("#questions").region
        assert visible(app, "#questions") and "Overall leaning" in screen_text(app)
        for _ in range(6):
            await press(pilot, "S", "A")
        assert len(live(demo_store)) == 6
        assert app.query_one("#questions").region == questions_at  # nothing above it grew
        assert "Overall leaning" in screen_text(app)


async def test_a_filter_matching_nothing_empties_the_view_and_one_matching_again_fills_it(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await press(pilot, "slash", *"zzzqqq")
        assert app.annotate.article is None and app.query_one(ArticleView).text == ""
        assert "No article matches the filters (search “zzzqqq”)" in widget_text(app.query_one("#article-head"))
        await press(pilot, "escape", "right_square_bracket")
        assert any("No article matches the filters (search “zzzqqq”)" in n for n in notices(app))
        await press(pilot, "slash", *["backspace"] * 6, *"Sochi")
        assert app.annotate.article is not None and "Sochi" in app.annotate.article.text
        head = widget_text(app.query_one("#article-head"))
        assert "No article matches" not in head and app.annotate.article.title.split()[0] in head


async def test_enter_in_the_search_opens_the_first_match(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        first = app.annotate.article.id
        await press(pilot, "slash", *"Lavrov", "enter")
        assert app.annotate.article.id != first and "Lavrov" in app.annotate.article.text
        await press(pilot, "right_square_bracket")
        assert any("last article of the 1 matching the filters (search “Lavrov”)" in n for n in notices(app))


async def test_the_tui_reopens_where_the_annotator_left_off(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await press(pilot, "right_square_bracket", "right_square_bracket")
        left_at = app.annotate.article.id
        await app.action_quit()
    again = make_app(demo_store)
    async with again.run_test(size=SIZE) as pilot:
        await settle(again, pilot)
        assert again.annotate.article.id == left_at and again.annotate.position == 2
    other = make_app(demo_store, annotator="li")  # each annotator's own place
    async with other.run_test(size=SIZE) as pilot:
        await settle(other, pilot)
        assert other.annotate.position == 0


async def test_suggestions_and_undo_are_said_in_the_codebooks_words(demo_store):
    app = framing_app(demo_store)
    async with app.run_test(size=(180, 50)) as pilot:
        await settle(app, pilot)
        await press(pilot, "S")
        suggestion = app.annotate._suggestion_at_selection()
        variant = app.codebook.variant(suggestion.category, suggestion.concept, suggestion.variant)
        label = app.codebook.label(suggestion.category, suggestion.label)
        hint = widget_text(app.query_one("#hint"))
        assert variant.name in hint and label.name in hint and "A accepts" in hint
        assert notices(app) == []  # no toast over the label keys
        await press(pilot, "A")
        assert notices(app) == []
        await press(pilot, "ctrl+z")
        assert f"Undid: accept {variant.name}" in notices(app)
        assert not any(suggestion.variant in n and suggestion.variant != variant.name for n in notices(app))


async def test_the_question_picker_shows_what_each_answer_means(demo_store):
    app = framing_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("Q")
        await pilot.pause()
        await pilot.press(*"tone")
        await pilot.pause()
        shown = widget_text(app.screen.query_one("#picker-options"))
        tone = app.codebook.category("tone")
        assert tone.labels[0].description.split()[0] in shown


async def test_the_hint_says_how_to_select_text_until_the_first_tag(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert "shift+arrows" in widget_text(app.query_one("#hint"))
        await select_text(app, pilot, "Kremlin")
        assert "7 selected · tag: 1 Kremlin form" in widget_text(app.query_one("#hint"))
        await press(pilot, "1")
        assert "Kremlin form" in widget_text(app.query_one("#hint"))  # the tag under the cursor
        assert "Kremlin form Kremlin (Own voice)" in widget_text(app.query_one("#tag-list"))  # names, not "(own)"
        await press(pilot, "right_square_bracket")
        assert "To tag" not in widget_text(app.query_one("#hint"))
    again = make_app(demo_store)
    async with again.run_test(size=SIZE) as pilot:
        await settle(again, pilot)
        assert "To tag" not in widget_text(again.query_one("#hint"))


async def test_on_a_small_screen_the_hint_shows_the_label_keys_of_a_selection(demo_store):
    app = framing_app(demo_store)  # (the shipped codebook: many labels with long names)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await select_text(app, pilot, "Kremlin")
        hint = widget_text(app.query_one("#hint"))
        assert hint.startswith("7 selected · tag: 1 2 3 a p v …")  # the keys visible though the line is short
        await pilot.resize_terminal(300, 40)  # wider: the labels' names come back, without another key
        await pilot.pause()
        await pilot.pause()
        assert widget_text(app.query_one("#hint")).startswith("7 selected · tag: 1 Kremlin form")


async def test_undo_with_filters_matching_nothing_shows_the_article_it_changed(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        tagged_in = app.annotate.article.id
        await tag_span(pilot, "Kremlin", "1")
        await press(pilot, "slash", *"zzzqqq", "escape")
        assert app.annotate.article is None
        await press(pilot, "ctrl+z")
        assert live(demo_store) == []
        assert app.annotate.article is not None and app.annotate.article.id == tagged_in  # shown, outside the filtered list
        assert "not in the filtered list" in widget_text(app.query_one("#topbar-info"))
