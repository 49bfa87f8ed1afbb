"""Time on task: active time counts between signs of activity, pauses count up to a cap,
visits add up, and `stats --by annotator` shows the median per article."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from annotator.team.active_time import ActiveTime
from annotator.cli import main


def test_time_counts_between_activity_and_long_pauses_count_as_the_cap():
    clock = ActiveTime(idle_after=60)
    assert clock.open("a1", now=0) is None
    clock.activity(10)
    clock.activity(25)
    clock.activity(25 + 600)  # a coffee break: ten minutes without a key
    assert clock.open("a2", now=25 + 600 + 5) == ("a1", 10 + 15 + 60 + 5)
    assert clock.close(now=700 + 30) == ("a2", 60)  # left open and idle: up to the cap


def test_nothing_open_or_no_time_spent_gives_nothing():
    clock = ActiveTime()
    clock.activity(5)
    assert clock.close(10) is None
    clock.open("a1", 10)
    assert clock.close(10) is None
    clock.open(None, 20)  # the name dialog is open: nothing is timed
    clock.activity(30)
    assert clock.close(40) is None


def test_a_clock_going_backwards_adds_nothing():
    clock = ActiveTime()
    clock.open("a1", 100)
    clock.activity(90)
    assert clock.close(95) is None


@pytest.fixture
def timed_store(demo_store):
    ids = [r.id for r in demo_store.list_articles()]
    for article_id, seconds in zip(ids, [60, 120, 600]):
        demo_store.add_active_time(article_id, "alice", seconds)
    demo_store.add_active_time(ids[0], "alice", 60)  # a second visit adds up: 120
    demo_store.add_active_time(ids[1], "bob", 30)
    return demo_store


def test_visits_add_up_per_article_and_annotator(timed_store):
    assert sorted(timed_store.active_times()["alice"]) == [120, 120, 600]
    assert timed_store.active_times()["bob"] == [30]


def test_stats_by_annotator_shows_the_median_active_minutes_per_article(timed_store, monkeypatch):
    monkeypatch.setenv("ANNOTATOR_CONFIG", "/dev/null")
    timed_store.close()
    result = CliRunner().invoke(main, ["--db", "annotations.db", "stats", "--by", "annotator", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {r["annotator"]: r for r in json.loads(result.output)["tables"]["annotator_progress"]["rows"]}
    assert rows["alice"]["median_active_minutes"] == 2.0  # median of 2, 2 and 10 minutes
    assert rows["alice"]["active_hours"] == round(840 / 3600, 2)
    assert rows["bob"]["median_active_minutes"] == 0.5 and rows["bob"]["annotated_articles"] == 0
