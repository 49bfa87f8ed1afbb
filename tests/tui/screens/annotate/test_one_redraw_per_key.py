"""A key press that changes the article's tags redraws its panels once (after the change is
committed), not once by the action and again by the message that follows it."""

from __future__ import annotations

from ...conftest import SIZE, make_app, press, select_text, settle


async def test_tagging_accepting_and_undoing_each_redraw_the_article_once(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.annotate
        redraws = []
        original = screen._refresh_article

        def counted(*args, **kwargs):
            redraws.append(args)
            return original(*args, **kwargs)

        screen._refresh_article = counted
        await select_text(app, pilot, "Kremlin")
        redraws.clear()
        await press(pilot, "1")
        assert len(app.annotate.tags) == 1 and len(redraws) == 1
        redraws.clear()
        await press(pilot, "S", "A")  # jump to a suggestion, accept it
        assert len(app.annotate.tags) == 2 and len(redraws) == 1
        redraws.clear()
        await press(pilot, "ctrl+z")
        assert len(app.annotate.tags) == 1 and len(redraws) == 1
