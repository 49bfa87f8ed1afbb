"""The story screen: the demo story's outlets side by side, a concept followed in every
column, and tagging from a column (kept, and shown on the annotation screen after)."""

from __future__ import annotations

import re

from annotator.tui.app import AnnotatorApp
from annotator.tui.screens.story.screen import StoryScreen
from annotator.tui.widgets.story_column import StoryColumn

from ...conftest import screen_rows
from ..conftest import framing_app, press, settle, widget_text

STORY = "kremlin-putin-zelensky-meeting"
WIDE = (180, 50)


async def open_story(app: AnnotatorApp, pilot) -> StoryScreen:
    await settle(app, pilot)
    await press(pilot, "C")  # from the annotation screen: this article's story
    screen = app.screen
    assert isinstance(screen, StoryScreen)
    await settle(app, pilot)
    return screen


async def follow(pilot, concept_words: str) -> None:
    await pilot.press("C")
    await pilot.pause()
    await pilot.press(*concept_words)
    await pilot.pause()
    await press(pilot, "enter")


def capital_uses(text: str) -> list[tuple[int, int]]:
    """Where the text names Ukraine's capital, found without the lexicon."""
    return [m.span() for m in re.finditer(r"\bKyiv\b|\bKiev\b", text)]


async def test_the_story_puts_the_outlets_side_by_side_under_their_cards(demo_store):
    app = framing_app(demo_store, "li")
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        opened_on = app.annotate.article
        screen = await open_story(app, pilot)
        columns = [c for c in app.screen.query(StoryColumn) if c.display]
        assert len(columns) == 4  # a wide terminal: four of the story's five articles
        assert columns[0].article_id == opened_on.id  # the article the annotator came from first
        headings = " ".join(widget_text(c.card) for c in columns)
        for a in screen.articles[:1]:
            assert a.outlet.name in headings and (a.outlet.country or "") in headings
        assert "state-owned" in widget_text(columns[0].card)  # Press TV
        assert len({c.article_id for c in columns}) == 4
        await pilot.resize_terminal(90, 30)  # a narrow terminal shows two
        await pilot.pause()
        assert len([c for c in app.screen.query(StoryColumn) if c.display]) == 2


async def test_following_the_capital_puts_every_column_on_its_kiev_or_kyiv(demo_store):
    app = framing_app(demo_store, "li")
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_story(app, pilot)
        await follow(pilot, "capital")
        columns = [c for c in screen.columns if c.display and c.article_id]
        seen = []
        for column in columns:
            text = demo_store.article(column.article_id).text
            uses = capital_uses(text)
            start, end = column.view.selected_range
            assert uses and (start, end) == uses[0], column.article_id
            seen.append(text[start:end])
            assert f"use 1 of {len(uses)}" in widget_text(column.where)
        assert {"Kiev", "Kyiv"} <= set(seen)  # Press TV's Kiev beside the Kyiv Independent's Kyiv
        await press(pilot, "right_square_bracket")  # the next use in every column at once
        for column in columns:
            uses = capital_uses(demo_store.article(column.article_id).text)
            assert column.view.selected_range == uses[1 % len(uses)]


async def test_a_column_without_the_concept_says_so(demo_store):
    app = framing_app(demo_store, "li")
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_story(app, pilot)
        await follow(pilot, "votes")  # the 2022 votes: only teleSUR's article names them
        lines = [widget_text(c.where) for c in screen.columns if c.display and c.article_id]
        assert any(line.startswith("no “") for line in lines) and any("use 1 of" in line for line in lines)


async def test_tagging_in_a_column_is_kept_and_shown_back_on_the_annotation_screen(demo_store):
    app = framing_app(demo_store, "li")
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_story(app, pilot)
        await follow(pilot, "capital")
        column = screen.columns[0]
        column.view.focus()
        start, end = column.view.selected_range
        await press(pilot, "1")  # Kremlin form, as on the annotation screen
        [tag] = demo_store.annotations(column.article_id, "li")
        assert (tag.start, tag.end, tag.label, tag.quote) == (start, end, "kremlin-form", "Kiev")
        assert tag.attributes.get("concept") == "capital"
        await press(pilot, "ctrl+z")  # undo here too
        assert demo_store.annotations(column.article_id, "li") == []
        await press(pilot, "1")
        await press(pilot, "escape")
        assert not isinstance(app.screen, StoryScreen)
        assert [t.quote for t in app.annotate.tags] == ["Kiev"]  # read again on the way back


async def test_annotate_opens_the_focused_columns_article(demo_store):
    app = framing_app(demo_store, "li")
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_story(app, pilot)
        second = screen.columns[1]
        second.view.focus()
        await press(pilot, "E")
        assert app.annotate.article.id == second.article_id


async def test_quoted_uses_are_drawn_apart_from_the_outlets_own_words(demo_store):
    app = framing_app(demo_store, "li")
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_story(app, pilot)
        own = screen.highlights.suggestion("kremlin")
        quoted = screen.highlights.suggestion("kremlin", quoted=True)
        assert own != quoted and quoted.dim and not own.dim
        rows = " ".join(screen_rows(app))
        assert "inside quotations" in rows  # the legend says which is which


async def test_opened_again_the_story_screen_starts_afresh(demo_store):
    """The screen is kept between visits (it opens faster): the second visit shows the other story
    as a new screen would, with no concept followed, no undo left from before and no column of
    the first story left over."""
    ids = [a.id for a in demo_store.list_articles(limit=5)]
    for article_id in ids[:2]:
        demo_store.edit_article(article_id, {"story": "two-articles"}, "test", "test")
    app = framing_app(demo_store, "li")
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        app.annotate.open_article(ids[2])
        await settle(app, pilot)
        first_visit = await open_story(app, pilot)  # the demo story, now of three articles
        await follow(pilot, "capital")
        await press(pilot, "1")  # a tag, so the visit has something to undo
        await press(pilot, "escape")
        app.annotate.open_article(ids[1])
        await settle(app, pilot)
        screen = await open_story(app, pilot)
        assert screen is first_visit and screen.story == "two-articles"
        assert screen.concept is None and not screen.history.can_undo and not screen.changed
        assert [c.article_id for c in screen.columns[:2]] == [ids[1], ids[0]]  # the one came from first
        for column in screen.columns[2:]:
            assert column.article_id is None and column.view.text == "" and widget_text(column.card) == ""
        assert "two-articles" in widget_text(screen.title_line)
        await press(pilot, "ctrl+z")
        assert len(demo_store.annotations(annotator="li")) == 1  # the first visit's tag stays


async def test_a_tag_that_cannot_be_saved_is_said_and_not_kept_for_undo(demo_store, monkeypatch):
    import sqlite3

    app = framing_app(demo_store, "li")
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_story(app, pilot)
        await follow(pilot, "capital")

        def refused(*_, **__):
            raise sqlite3.OperationalError("attempt to write a readonly database")

        monkeypatch.setattr(demo_store, "add_annotation", refused)
        monkeypatch.setattr(demo_store, "swap_annotations", refused)
        await press(pilot, "1")
        assert any(n.message.startswith("not saved") for n in app._notifications)
        assert demo_store.annotations(annotator="li") == [] and not screen.history.can_undo
        assert isinstance(app.screen, StoryScreen)  # the session goes on


async def test_a_story_still_being_read_never_covers_another_screen_or_opens_twice(demo_store, monkeypatch):
    import time

    import annotator.tui.screens.story.screen as story_module
    from annotator.tui.screens.dialogs import HelpScreen

    read = story_module.read_story_for

    def slowly(*args):
        time.sleep(0.4)  # a slow disk
        return read(*args)

    monkeypatch.setattr(story_module, "read_story_for", slowly)
    app = framing_app(demo_store, "li")
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        await pilot.press("C", "C")  # pressed twice while it is read
        await settle(app, pilot)
        assert sum(isinstance(s, StoryScreen) for s in app.screen_stack) == 1
        await press(pilot, "escape")
        await pilot.press("C", "question_mark")  # help opened while the story is read
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        assert not any(isinstance(s, StoryScreen) for s in app.screen_stack)
