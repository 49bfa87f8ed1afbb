"""Correcting the open article's facts from the TUI (key E): the dialog, the database after
it (every change recorded with the annotator's name), and the card and head drawn again."""

from __future__ import annotations

import json

from annotator.tui.screens.dialogs import ArticleFactsScreen

from ...conftest import SIZE, card_text, make_app, press, settle, tag_span, widget_text


async def open_dialog(pilot) -> None:
    """Press E (its worker waits for the dialog: not settled)."""
    await pilot.press("E")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ArticleFactsScreen)


async def type_into(pilot, field: str, text: str) -> None:
    """Empty a field of the dialog and type ``text`` into it, key by key."""
    pilot.app.screen.query_one(f"#facts-{field}").focus()
    await pilot.pause()
    await pilot.press("ctrl+a", "ctrl+k", *["space" if c == " " else c for c in text])


async def test_correct_the_publisher_story_and_date_of_the_open_article(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        article = app.annotate.article
        assert article.publisher == "press-tv"
        word = next(w for w in article.text.split() if w.isalpha() and len(w) > 4)
        await tag_span(pilot, word, "1")
        await open_dialog(pilot)
        await type_into(pilot, "publisher", "Reuters")
        await type_into(pilot, "story", "talks 2022")
        await type_into(pilot, "published", "~2022-03")
        await press(pilot, "enter")
        assert not isinstance(app.screen, ArticleFactsScreen)
        stored = demo_store.article(article.id)
        assert (stored.publisher, stored.story, str(stored.published)) == ("reuters", "talks 2022", "~2022-03")
        edits = demo_store.article_edits(article.id)
        expected = {("publisher", "press-tv", "reuters"), ("story", article.story, "talks 2022"),
                    ("published", str(article.published) if article.published.value else None, "~2022-03")}
        if set(article.unverified) & {"publisher", "story", "published"}:  # a fact set is no longer unverified
            left = [name for name in article.unverified if name not in ("publisher", "story", "published")]
            expected.add(("unverified", json.dumps(article.unverified), json.dumps(left)))
        assert {(e.field, e.before, e.after) for e in edits} == expected
        assert {(e.who, e.source) for e in edits} == {("maria", "TUI")}
        # the statistics follow: the tag is counted under the corrected publisher
        assert [r[0] for r in demo_store.conn.execute("SELECT publisher FROM annotations WHERE deleted = 0")] == \
            ["reuters"]
        assert app.annotate.article.publisher == "reuters"
        assert "Thomson Reuters" in card_text(app) or "Reuters" in card_text(app)
        assert "~2022-03" in widget_text(app.query_one("#article-head"))


async def test_a_bad_date_is_refused_and_escape_changes_nothing(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        article = app.annotate.article
        await open_dialog(pilot)
        await type_into(pilot, "published", "2022-02-30")
        await press(pilot, "enter")
        assert demo_store.article(article.id).published == article.published
        assert demo_store.article_edits(article.id) == []
        assert any("not saved" in n.message and "published" in n.message for n in app._notifications)
        await open_dialog(pilot)
        await type_into(pilot, "title", "Another title")
        await press(pilot, "escape")
        assert not isinstance(app.screen, ArticleFactsScreen)
        assert demo_store.article(article.id).title == article.title
        assert demo_store.article_edits(article.id) == []


async def test_an_unknown_publisher_becomes_a_new_outlet_with_a_note(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        article = app.annotate.article
        await open_dialog(pilot)
        await type_into(pilot, "publisher", "Ostrava Evening Lantern")
        await press(pilot, "ctrl+s")
        await settle(app, pilot)
        assert demo_store.article(article.id).publisher == "ostrava-evening-lantern"
        assert any("new outlet 'ostrava-evening-lantern'" in n.message for n in app._notifications)
        assert "Ostrava Evening Lantern" in card_text(app)
