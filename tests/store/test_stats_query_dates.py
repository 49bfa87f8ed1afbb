"""Date filters of the statistics' scope (annotator.store.stats_queries): a partial date
stands for its whole month or year, on either end of the range."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from annotator.cli import main
from tests.report_fixture import build

# A1 is dated 2022-03-01, A2 2022-09 (month only), B1 2025-07-25 (tests/report_fixture.py)


@pytest.fixture
def db(tmp_path):
    store, _ = build(tmp_path / "p")
    return str(store.path)


def outlet_tags(db: str, *filters: str) -> dict[str, int]:
    """Kremlin- and Ukraine-form tags per outlet (all voices) under the filters, from `stats --format json`."""
    result = CliRunner().invoke(main, ["--db", db, "stats", "--count", "alice", "--format", "json", *filters])
    assert result.exit_code == 0, result.output
    tags: dict[str, int] = {}
    for row in json.loads(result.output)["tables"]["labels_by_outlet"]["rows"]:
        if row["voice"] == "all":
            tags[row["outlet_id"]] = tags.get(row["outlet_id"], 0) + row["tags"]
    return tags


@pytest.mark.parametrize("since, until, expected", [
    ("2022-09", "2022-09", {"alpha-news": 1}),  # A2 alone: a bare month on both ends is that month
    ("2022-03", "2022-03", {"alpha-news": 2}),  # A1 (2022-03-01) is inside --until 2022-03
    ("2022-03-01", "2022-03-01", {"alpha-news": 2}),
    ("2022", "2022", {"alpha-news": 3}),  # a bare year holds the whole year
    ("2025-07", "2025", {"beta-post": 2}),
    ("2023", "2024", {}),
])
def test_a_bare_month_or_year_until_includes_the_whole_month_or_year(db, since, until, expected):
    assert outlet_tags(db, "--since", since, "--until", until) == expected


def test_until_a_day_before_a_month_only_date_still_overlaps_it(db):
    # A2 (2022-09) runs from 2022-09-01: it is inside --until 2022-09-01 but not --until 2022-08
    assert outlet_tags(db, "--since", "2022-04", "--until", "2022-09-01") == {"alpha-news": 1}
    assert outlet_tags(db, "--since", "2022-04", "--until", "2022-08") == {}
