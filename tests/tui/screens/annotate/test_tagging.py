"""The TUI as a person uses it: keys and selections through Pilot, then the database."""

from __future__ import annotations

from annotator.tui.widgets.article_list import ArticleList
from annotator.tui.widgets.article_view import ArticleView

from ...conftest import SIZE, card_text, live, make_app, press, select_text, settle, tag_span, widget_text


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


async def test_a_selected_suggestion_says_why(demo_store):
    """The hint line names the term, the context cue and the voice cue of the suggestion under the cursor."""
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        reasons = []
        for _ in app.annotate.suggestions:
            await press(pilot, "S")
            shown = app.annotate._suggestion_at_selection()
            assert shown is not None and shown.why
            cues = "; ".join(shown.cues)  # the context and voice cues (the term is selected)
            assert cues in app.annotate._hint_text().plain
            reasons.append(shown.why)
        assert any("reported speech" in why for why in reasons)  # "Erdogan said there would be no winner in the..."
        assert any("; " not in why for why in reasons)  # a plain match: only the term, nothing to add


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


async def test_layout_holds_at_small_and_large_sizes(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=(100, 30)) as pilot:  # one app, resized
        for size in [(100, 30), (200, 60)]:
            await pilot.resize_terminal(*size)
            await settle(app, pilot)
            assert app.query_one("#outlet-card").region.width > 20, size
            assert app.query_one(ArticleView).region.width >= 40, size


async def test_palette_names_bracket_keys_as_they_are(demo_store):
    from textual.content import Content

    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        helps = {c.title: Content.from_markup(c.help).plain for c in app.get_system_commands(app.screen)}
    assert helps["Previous article"].endswith("(key [)") and helps["Next article"].endswith("(key ])")
