"""The outlet card: one card per outlet of the article, scrolled with the keys of a scroll view."""

from __future__ import annotations

from textual.app import App, ComposeResult

from annotator.tui.widgets.outlet_card import OutletCard


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
