"""Time on task from the TUI: the open article's active time is kept when the annotator moves
on and when they quit, under their name."""

from __future__ import annotations

from ...conftest import SIZE, make_app, press, settle


async def test_active_time_is_kept_per_article_when_moving_on_and_quitting(demo_store):
    app = make_app(demo_store, "maria")
    now = [1000.0]
    app.annotate.now = lambda: now[0]
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        first = app.annotate.article.id
        for step in (5, 5, 500):  # two key presses 5 s apart, then a long pause (counts 60 s)
            now[0] += step
            await pilot.press("right")
        await settle(app, pilot)
        await press(pilot, "]")  # the next article
        second = app.annotate.article.id
        assert second != first
        now[0] += 20
        await pilot.press("right")
        await app.action_quit()
    times = {row[0]: row[1] for row in demo_store.conn.execute(
        "SELECT article_id, seconds FROM active_time WHERE annotator = 'maria'")}
    assert times[first] == 5 + 5 + 60
    assert times[second] == 20
