"""Assigning articles with overlap: every article gets OVERLAP distinct annotators, the work
is balanced across annotators and outlets, the same seed gives the same plan, and
`annotator assign` stores, keeps and shows plans."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter

import pytest
from click.testing import CliRunner

from annotator.team.assignment import ArticleToAssign, parse_annotators, plan_assignments
from annotator.cli import main
from annotator.errors import InputError

ANNOTATORS = ["alice", "bob", "carol", "dave"]


def articles(sizes: dict[str, int]) -> list[ArticleToAssign]:
    return [ArticleToAssign(f"{outlet}-{i}", outlet) for outlet, n in sizes.items() for i in range(n)]


@pytest.mark.parametrize("overlap", [1, 2, 3])
@pytest.mark.parametrize("seed", [0, 7])
def test_each_article_gets_overlap_distinct_annotators_and_totals_differ_by_one_at_most(overlap, seed):
    corpus = articles({"tass": 31, "reuters": 17, "kyiv-independent": 52})
    plan = plan_assignments(corpus, ANNOTATORS, overlap, seed)
    assert set(plan) == {a.id for a in corpus}
    assert all(len(set(names)) == overlap and set(names) <= set(ANNOTATORS) for names in plan.values())
    totals = Counter(name for names in plan.values() for name in names)
    assert max(totals.values()) - min(totals.values()) <= 1
    assert sum(totals.values()) == overlap * len(corpus)


def test_every_annotator_sees_every_outlet_in_near_equal_shares():
    corpus = articles({"tass": 40, "reuters": 12, "kyiv-independent": 80, "press-tv": 5})
    plan = plan_assignments(corpus, ANNOTATORS, 2, seed=3)
    for outlet in ("tass", "reuters", "kyiv-independent", "press-tv"):
        counts = Counter(n for a, names in plan.items() if a.startswith(outlet + "-") for n in names)
        shares = [counts.get(name, 0) for name in ANNOTATORS]
        assert max(shares) - min(shares) <= 2, (outlet, counts)
        assert min(shares) > 0  # nobody reads one side only


def test_the_same_seed_gives_the_same_plan_and_another_seed_another():
    corpus = articles({"tass": 20, "reuters": 20})
    assert plan_assignments(corpus, ANNOTATORS, 2, seed=1) == plan_assignments(list(reversed(corpus)), ANNOTATORS, 2, 1)
    assert plan_assignments(corpus, ANNOTATORS, 2, seed=1) != plan_assignments(corpus, ANNOTATORS, 2, seed=2)


def test_articles_already_held_even_out_the_next_plan():
    held = {"alice": ["tass"] * 6, "bob": ["tass"] * 6}
    plan = plan_assignments(articles({"tass": 6}), ANNOTATORS, 2, held=held)
    new = Counter(name for names in plan.values() for name in names)
    assert new == {"carol": 6, "dave": 6}  # the newcomers catch up first


@pytest.mark.parametrize("overlap, message", [(0, "at least 1"), (5, "only 4 named")])
def test_an_overlap_that_cannot_be_met_is_refused(overlap, message):
    with pytest.raises(InputError, match=message):
        plan_assignments(articles({"tass": 3}), ANNOTATORS, overlap)


@pytest.mark.parametrize("value, message", [("alice,,bob", "empty name"), ("alice,bob,alice", "named twice"),
                                            ("x" * 65, "longer than 64")])
def test_bad_annotator_lists_are_refused(value, message):
    with pytest.raises(InputError, match=message):
        parse_annotators(value)


def test_annotator_names_are_trimmed_and_control_characters_dropped():
    assert parse_annotators(" alice , b\x1b[31mob") == ["alice", "bob"]


@pytest.fixture
def run(demo_store, monkeypatch):
    monkeypatch.setenv("ANNOTATOR_CONFIG", "/dev/null")
    monkeypatch.setenv("ANNOTATOR_NAME", "lead")
    demo_store.close()

    def invoke(*args: str):
        return CliRunner().invoke(main, ["--db", "annotations.db", *args], terminal_width=200)
    return invoke


def stored_rows() -> list[tuple]:
    with sqlite3.connect("annotations.db") as conn:
        return conn.execute("SELECT article_id, annotator, assigned_by FROM assignments ORDER BY 1, 2").fetchall()


def test_assign_stores_the_plan_and_show_prints_it(run):
    result = run("assign", "--annotators", "alice,bob,carol", "--overlap", "2", "--all", "--seed", "4")
    assert result.exit_code == 0, result.output
    rows = stored_rows()
    per_article = Counter(a for a, _, _ in rows)
    assert len(per_article) == 5 and set(per_article.values()) == {2}
    assert {who for _, _, who in rows} == {"lead"}
    shown = json.loads(run("assign", "--show", "--json").output)
    assert {a: sorted(n) for a, n in shown.items()} == {a: sorted(n for x, n, _ in rows if x == a) for a in per_article}
    table = run("assign", "--show").output
    assert "alice" in table and "Press TV" in table and "teleSUR" in table


def test_a_second_plan_keeps_assigned_articles_unless_told_to_replace(run):
    run("assign", "--annotators", "alice,bob", "--overlap", "2", "--all")
    before = stored_rows()
    result = run("assign", "--annotators", "carol,dave", "--overlap", "1", "--all")
    assert result.exit_code == 0 and "5 already assigned kept" in result.output
    assert stored_rows() == before
    run("assign", "--annotators", "carol,dave", "--overlap", "1", "--all", "--replace")
    assert {n for _, n, _ in stored_rows()} == {"carol", "dave"} and len(stored_rows()) == 5


def test_dry_run_stores_nothing(run):
    result = run("assign", "--annotators", "alice,bob", "--overlap", "1", "--all", "--dry-run", "--json")
    assert result.exit_code == 0 and len(json.loads(result.output)) == 5
    assert stored_rows() == []


@pytest.mark.parametrize("args, message", [
    (["--annotators", "alice,bob", "--overlap", "3", "--all"], "only 2 named"),
    (["--annotators", "alice,bob"], "one of --story ID, --outlet ID or --all"),
    (["--annotators", "alice", "--all", "--story", "x"], "one of --story ID"),
    (["--all"], "--annotators: name who"),
    (["--annotators", "alice", "--story", "no-such-story"], "no story 'no-such-story'"),
    (["--annotators", "alice", "--outlet", "no-such-outlet"], "no outlet with the id 'no-such-outlet'"),
])
def test_bad_arguments_give_one_line_and_a_failing_exit_code(run, args, message):
    result = run("assign", *args)
    assert result.exit_code != 0
    assert message in result.output and "Traceback" not in result.output
    assert stored_rows() == []


def test_hostile_names_reach_the_terminal_without_escape_sequences(run):
    result = run("assign", "--annotators", "[bold]x[/bold],\u202eevil", "--overlap", "1", "--story",
                 "kremlin-putin-zelensky-meeting")
    assert result.exit_code == 0, result.output
    assert "[bold]x" in result.output and "\u202e" not in result.output and "\x1b" not in result.output
