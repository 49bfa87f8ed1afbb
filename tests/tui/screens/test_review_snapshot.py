"""An SVG snapshot of the review screen on the worked example (alice and bob), at a fixed size
with the cursor blink off. Update with --snapshot-update after checking the picture."""

from __future__ import annotations

from annotator.codebook import find_codebook
from annotator.tui.app import AnnotatorApp
from annotator.tui.widgets.story_column import StoryColumn

from ..conftest import settle

SIZE = (140, 40)


def test_review_screen_with_two_annotators(two_annotators, snap_compare):
    async def open_review(pilot):
        app = pilot.app
        await settle(app, pilot)
        await pilot.press("W")
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        for column in app.screen.query(StoryColumn):
            column.view.cursor_blink = False
        await pilot.pause()

    app = AnnotatorApp(two_annotators, "rita", find_codebook("ru-ua-framing"), {})
    assert snap_compare(app, terminal_size=SIZE, run_before=open_review)
