"""The outlet card: one card per outlet of the article, scrolled with the keys of a scroll view."""

from __future__ import annotations

from textual.app import App, ComposeResult

from annotator.tui.widgets.article_view import ArticleView
from annotator.tui.widgets.outlet_card import OutletCard

from ..conftest import SIZE, card_text, make_app, press, settle, widget_text


class _CardApp(App):
    def compose(self) -> ComposeResult:
        yield OutletCard(id="outlet-card")


async def test_the_card_scrolls_with_arrows_page_keys_home_and_end(demo_store):
    article = next(demo_store.article(r.id) for r in demo_store.list_articles(limit=10) if r.original_source)
    app = _CardApp()
    async with app.run_test(size=(50, 8)) as pilot:
        card = app.query_one(OutletCard)
        card.show_outlets(article, demo_store.outlet(article.publisher), demo_store.outlet(article.original_source))
        card.focus()
        await pilot.pause()
        assert card.max_scroll_y > 10  # two outlets' facts in 8 rows: it has to scroll
        steps = []
        for key in ("down", "down", "up", "pagedown", "pageup", "end", "home"):
            await pilot.press(key)
            await pilot.pause()
            steps.append(card.scroll_y)
        assert steps == [1, 2, 1, 1 + card.scrollable_content_region.height, 1, card.max_scroll_y, 0]


async def test_outlet_card_publisher_and_original_source_with_ratings_and_unverified(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await press(pilot, "]")  # Yahoo News, probably from The Hill (unverified)
        card = card_text(app)
        assert "Publisher" in card and "Yahoo News" in card and "Apollo Global Management" in card
        assert "Original source (unverified)" in card and "The Hill" in card and "Nexstar" in card
        assert "AllSides" in card and "Lean Left" in card and "as of ~2025" in card and "source:" in card
        assert app.query_one("#card-scroll").region.width >= 50  # room for it at 160 columns
        await pilot.press("O", "pagedown")  # into the card, to read the rest of it
        await pilot.pause()
        assert app.query_one("#outlet-card").scroll_y > 0  # the card scrolls inside its panel
        await pilot.press("escape")
        await pilot.pause()
        assert app.query_one(ArticleView).has_focus
        for _ in range(2):
            await pilot.press("]")
        await settle(app, pilot)
        card = card_text(app)
        assert "teleSUR" in card and "multi-state" in card and "sanctions unverified" in card
        assert "Original source" not in card  # the same outlet: one card
        head = widget_text(app.query_one("#article-head"))
        assert "2022-09-23" in head and "Open to Talks" in head
