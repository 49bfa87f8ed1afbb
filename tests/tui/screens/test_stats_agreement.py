"""The statistics screen's agreement view: span and voice agreement beside the answers'."""

from __future__ import annotations

from annotator.tui.screens.stats import VIEWS, StatsScreen
from ..conftest import SIZE, make_app, press, settle, tag_span


async def test_agreement_view_shows_span_and_voice_agreement(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await tag_span(pilot, "Kiev", "1")
        await press(pilot, "G")
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        await screen.workers.wait_for_complete()
        for _ in range(VIEWS.index("agreement")):
            await pilot.press("tab")
        await screen.workers.wait_for_complete()
        await pilot.pause()
        assert screen.by == "agreement"
        names = [t.name for t in screen.shown]
        assert names[0] == "alpha" and {"span_alpha", "span_f1", "voice"} <= set(names)
        screenshot = app.export_screenshot().replace("&#160;", " ")
        assert "unitizing alpha" in screenshot and "too little data" in screenshot  # one annotator so far
