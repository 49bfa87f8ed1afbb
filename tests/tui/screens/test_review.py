"""The review screen on the worked example (alice's and bob's tags on the demo corpus): both
annotators' tags and the disagreements shown, every disagreement settled with the keyboard,
gold kept with its sources, undo."""

from __future__ import annotations

from click.testing import CliRunner

from annotator.cli import main
from annotator.codebook import find_codebook
from annotator.team.review import GOLD
from annotator.tui.app import AnnotatorApp
from annotator.tui.screens.review.screen import ReviewScreen
from annotator.tui.widgets.story_column import StoryColumn

from ..conftest import press, settle, widget_text

SIZE = (140, 40)


def reviewer_app(store) -> AnnotatorApp:
    return AnnotatorApp(store, "rita", find_codebook("ru-ua-framing"), {})


async def open_review(app, pilot) -> ReviewScreen:
    await settle(app, pilot)
    await press(pilot, "W")
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, ReviewScreen)
    return screen


async def test_the_reviewer_sees_both_annotators_and_settles_every_disagreement_with_keys(two_annotators):
    store = two_annotators
    app = reviewer_app(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(app, pilot)
        review = screen.review
        assert review.annotators == ("alice", "bob") and review.disagreements
        side = widget_text(screen.query_one("#review-items"))
        assert "voices differ" in side or "not tagged by" in side
        assert "alice" in widget_text(screen.query_one("#review-legend"))
        article_id = screen.article.id
        await press(pilot, "a")  # everything agreed into gold at once
        agreed_gold = len(store.annotations(article_id, GOLD))
        assert agreed_gold == sum(len(i.versions[0].tags) for i in review.items if i.agreed)
        first = screen.review.disagreements[0]
        await press(pilot, "2")  # bob's version of the first disagreement
        while screen.review.left:
            await press(pilot, "x")  # reject the rest
        assert screen.review.status == "settled"
        assert store.review_statuses()[article_id][0] == "settled"
        bob = first.version("bob").tags
        gold = store.annotations(article_id, GOLD)
        assert len(gold) == agreed_gold + len(bob)
        sources = store.gold_sources()
        taken = [g for g in gold if any(s["annotator"] == "bob" and len(sources[g.uuid]["sources"]) == 1
                                        for s in sources[g.uuid]["sources"])]
        assert [(g.start, g.end, g.label) for g in taken] == [(t.start, t.end, t.label) for t in bob]
        assert all(sources[g.uuid]["reviewer"] == "rita" for g in gold)
        await press(pilot, "ctrl+z")  # the last rejection taken back
        assert screen.review.status == "in progress" and len(screen.review.left) == 1


async def test_the_next_article_and_back_and_a_reason(two_annotators):
    store = two_annotators
    app = reviewer_app(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(app, pilot)
        first = screen.article.id
        assert len(screen.order) == 5
        await press(pilot, "]")
        assert screen.article.id != first
        assert screen.query_one("#review-article", StoryColumn).article_id == screen.article.id
        await pilot.press("r")  # (the dialog's worker waits for it: no settling before it is answered)
        await pilot.pause(0.2)
        await pilot.press(*"both defensible", "ctrl+s")
        await settle(app, pilot)
        key = screen.review.disagreements[0].key
        assert store.review_decisions(screen.article.id)[key][:2] == ("rejected", "both defensible")
        await press(pilot, "escape")
        assert not isinstance(app.screen, ReviewScreen)


def test_review_summary_lists_what_is_left_per_article(two_annotators):
    path = two_annotators.path
    two_annotators.close()
    import json

    result = CliRunner().invoke(main, ["--db", str(path), "review", "--summary", "--json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert len(rows) == 5 and all(r["annotators"] == ["alice", "bob"] for r in rows)
    assert sum(r["left"] for r in rows) == sum(r["disagreements"] for r in rows) > 0
    assert {p for r in rows for p in (i["problem"] for i in r["left_items"])} >= {"voices differ"}


async def test_relabel_the_gold_tag_and_filter_the_articles_by_review_status(two_annotators):
    store = two_annotators
    app = reviewer_app(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(app, pilot)
        article_id = screen.article.id
        item = screen.review.disagreements[0]
        await press(pilot, "1")  # alice's version into gold (and on to the next disagreement)
        await press(pilot, "p")  # back to it
        await pilot.press("l")
        await pilot.pause(0.3)
        await pilot.press(*"kremlin", "enter")
        await settle(app, pilot)
        gold = [g for g in store.annotations(article_id, GOLD) if g.start is not None and g.start < item.end
                and item.start < g.end]
        assert [g.label for g in gold] == ["kremlin-form"]
        await press(pilot, "ctrl+z")
        gold = [g for g in store.annotations(article_id, GOLD) if g.start is not None and g.start < item.end
                and item.start < g.end]
        assert [g.label for g in gold] == [t.label for t in item.version("alice").tags]
        await press(pilot, "f")  # not started: every other article
        assert screen.showing == "not started"
        await press(pilot, "]")
        assert screen.article.id != article_id and screen.statuses[screen.article.id] == "not started"
        for _ in range(2):
            await press(pilot, "f")
        assert screen.showing == "settled"
        await press(pilot, "]")  # none is settled: the article stays
        assert screen.statuses[screen.article.id] == "not started"


async def test_the_first_article_comes_from_the_first_ones_and_the_rest_are_put_in_order_after(two_annotators,
                                                                                              monkeypatch):
    import annotator.tui.screens.review.screen as review_screen

    monkeypatch.setattr(review_screen, "FIRST_PAGE", 2)  # the first article is chosen among two
    app = reviewer_app(two_annotators)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(app, pilot)
        assert screen.ordered and len(screen.order) == 5
        assert "article 1 of 5 ·" in widget_text(screen.title_line)
        seen = [screen.article.id]
        for _ in range(5):
            await press(pilot, "]")
            await settle(app, pilot)
            seen.append(screen.article.id)
        assert set(seen) == set(screen.order) and seen[-1] == seen[0]  # every article, then round again
