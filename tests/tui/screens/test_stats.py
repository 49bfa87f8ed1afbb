"""The statistics screen: the same numbers as `annotator stats`, with bars."""

from __future__ import annotations

from annotator.codebook import load_codebook
from annotator.readouts.stats import Counting, labels_by_outlet, make_context
from annotator.tui.screens.stats import StatsScreen
from ..conftest import MINI, SIZE, make_app, press, settle, tag_span


async def test_statistics_screen_shows_the_tags_just_made(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await tag_span(pilot, "Kiev", "1")
        await press(pilot, "G")
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        await screen.workers.wait_for_complete()
        await pilot.pause()
        [table] = screen.shown
        expected = labels_by_outlet(make_context(demo_store, load_codebook(MINI), Counting.parse("all")))
        assert table.records() == expected.records()
        assert {(r["outlet_id"], r["label"], r["voice"]) for r in table.records()} >= {("press-tv", "kremlin-form", "all")}
        screenshot = app.export_screenshot().replace("&#160;", " ")
        assert "Kremlin form" in screenshot and "█" in screenshot  # the table and its bar chart
        assert "kremlin-form" not in screenshot  # in the codebook's words, not ids
        await pilot.press("tab")  # next view: totals per label
        await screen.workers.wait_for_complete()
        await pilot.pause()
        assert [t.name for t in screen.shown] == ["label_totals"]
        await pilot.press("shift+tab", "shift+tab")  # back past the first view to annotators' progress
        await screen.workers.wait_for_complete()
        await pilot.pause()
        assert [t.name for t in screen.shown] == ["annotator_progress"]
        assert [r["annotator"] for r in screen.shown[0].records()] == ["maria"]
        await pilot.press("c")  # only my tags
        await screen.workers.wait_for_complete()
        await pilot.pause()
        assert screen.counting == "me" and "only maria" in app.export_screenshot().replace("&#160;", " ")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, StatsScreen)
