"""Correcting an article's facts after import: `annotator article set` (one article, several,
a CSV), checked as the import checks, recorded with who and when (`show --history`), and
followed by `articles`, `show`, `stories` and the statistics."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.corrections.article_edits import check_facts, set_article_facts
from annotator.errors import InputError
from annotator.store import Store
from tests.conftest import tag
from tests.conftest import run_as_team as run

TEXTS = ["Russia launched a full-scale invasion of Ukraine. Officials in Kiev said the talks failed.",
         "Officials in Kyiv said the talks in Istanbul went on for hours.",
         "The Kremlin said the special military operation goes according to plan."]


pytestmark = pytest.mark.usefixtures("as_alice")


@pytest.fixture
def ids(workdir: Path) -> list[str]:
    records = [{"title": f"Report {n}", "text": text, "url": f"https://tass.com/{n}", "publisher": "TASS",
                "published": "2022-03-01"} for n, text in enumerate(TEXTS)]
    (workdir / "team.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    assert run("import", "team.jsonl").exit_code == 0
    return [a["id"] for a in json.loads(run("articles", "--json").output)]


def listed(article_id: str) -> dict:
    return next(a for a in json.loads(run("articles", "--json").output) if a["id"] == article_id)


def stats_outlets() -> dict[str, int]:
    """Span tags per outlet id, as `annotator stats` counts them."""
    data = json.loads(run("stats", "--format", "json").output)
    rows = data["tables"]["labels_by_outlet"]["rows"]
    return {r["outlet_id"]: r["tags"] for r in rows if r["voice"] == "all"}


def test_a_wrong_publisher_is_corrected_and_the_statistics_follow(ids: list[str]):
    store = Store("team.db")
    tag(store, store.article(ids[0]), "Kiev", label="kyiv-form")
    tag(store, store.article(ids[1]), "Kyiv", label="kyiv-form")
    store.close()
    assert stats_outlets() == {"tass": 2}
    result = run("article", "set", ids[0][:6], "--publisher", "Reuters")
    assert result.exit_code == 0, result.output
    assert f"article {ids[0]}: changed publisher" in result.output
    assert stats_outlets() == {"tass": 1, "reuters": 1}
    assert listed(ids[0])["publisher"] == "reuters"
    shown = json.loads(run("show", ids[0], "--json").output)
    assert shown["publisher"] == "reuters" and shown["publisher_outlet"]["name"] == "Reuters"


def test_every_change_is_recorded_with_who_when_and_the_value_before(ids: list[str]):
    assert run("article", "set", ids[0], "--published", "~2022-02", "--title", "Talks fail",
               "--annotator", "bob").exit_code == 0
    assert run("article", "set", ids[0], "--published", "2022-02-24").exit_code == 0
    history = json.loads(run("show", ids[0], "--json", "--history").output)["history"]
    assert [(h["field"], h["before"], h["after"], h["who"]) for h in history] == [
        ("published", "2022-03-01", "~2022-02", "bob"), ("title", "Report 0", "Talks fail", "bob"),
        ("published", "~2022-02", "2022-02-24", "alice")]
    assert all(h["at"].endswith("+00:00") and h["source"] == "article set" for h in history)
    shown = run("show", ids[0], "--history").output
    assert "3 correction(s) of article" in shown and "~2022-02 → 2022-02-24" in shown
    article = listed(ids[0])
    assert (article["title"], article["published"], article["published_approximate"]) == \
        ("Talks fail", "2022-02-24", False)
    same = run("article", "set", ids[0], "--title", "Talks fail")
    assert same.exit_code == 0 and "already holds these values" in same.output
    assert len(json.loads(run("show", ids[0], "--json", "--history").output)["history"]) == 3


def test_an_unknown_publisher_becomes_an_unverified_outlet_as_at_import(ids: list[str]):
    result = run("article", "set", ids[1], "--publisher", "Ostrava Evening Lantern")
    assert result.exit_code == 0
    assert "note: new outlet 'ostrava-evening-lantern' made from the unknown publisher" in result.output
    outlet = json.loads(run("outlets", "show", "ostrava-evening-lantern", "--json").output)["outlet"]
    assert "country" in outlet["unverified"] and outlet["domains"] == []  # tass.com is TASS's
    assert listed(ids[1])["publisher"] == "ostrava-evening-lantern"
    assert run("article", "set", ids[1], "--publisher", "unknown").exit_code == 0
    assert listed(ids[1])["publisher"] is None


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--published", "2022-02-30", "field 'published'"),
    ("--title", "x" * 1001, "field 'title' is 1,001 characters long; at most 1,000 are accepted"),
    ("--story", "s" * 201, "field 'story' is 201 characters long; at most 200 are accepted"),
    ("--title", "  ", "field 'title' is empty"),
])
def test_a_bad_value_is_one_line_and_nothing_changes(ids: list[str], option: str, value: str, message: str):
    result = run("article", "set", ids[0], "--story", "fine", option, value)
    assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output
    assert listed(ids[0])["story"] is None


def test_the_story_of_many_articles_at_once(ids: list[str]):
    result = run("article", "set", "--story", "istanbul-talks", ids[0], ids[1][:5], "nope0000")
    assert result.exit_code == 1
    assert "2 article(s) corrected; 1 refused" in result.output and "no article 'nope0000'" in result.output
    stories = [json.loads(line) for line in run("stories", "--json").output.splitlines()]
    assert [(s["id"], s["articles"]) for s in stories] == [("istanbul-talks", 2)]


def test_corrections_from_a_csv_bad_rows_named_by_line_the_rest_applied(ids: list[str], workdir: Path):
    (workdir / "fix.csv").write_text(
        "article,story,publisher,published\n"
        f"{ids[0]},talks,,\n"
        f"{ids[1]},talks,Reuters,2022-03-02\n"
        "zz,talks,,\n"
        f"{ids[2]},kremlin,,2022-13-01\n", encoding="utf-8")
    result = run("article", "set", "--from", "fix.csv")
    assert result.exit_code == 1
    assert "fix.csv:4: article 'zz': an id prefix needs at least 4 characters" in result.output
    assert "fix.csv:5: field 'published'" in result.output
    assert [listed(i)["story"] for i in ids] == ["talks", "talks", None]
    assert listed(ids[1])["publisher"] == "reuters" and listed(ids[0])["publisher"] == "tass"
    assert [h["source"] for h in json.loads(run("show", ids[1], "--json", "--history").output)["history"]] == \
        ["article set --from fix.csv"] * 3


def test_a_csv_without_an_article_column_is_refused(ids: list[str], workdir: Path):
    (workdir / "fix.csv").write_text("id,story\nx,y\n", encoding="utf-8")
    result = run("article", "set", "--from", "fix.csv")
    assert result.exit_code == 1 and "fix.csv:1: no 'article' column" in result.output


def test_a_correction_reaches_every_version_and_a_new_version_keeps_it(ids: list[str], workdir: Path):
    assert run("article", "set", ids[0], "--publisher", "Reuters", "--story", "talks").exit_code == 0
    record = {"title": "Report 0", "text": TEXTS[0] + " More later.", "url": "https://tass.com/0", "publisher": "TASS"}
    (workdir / "again.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    assert run("import", "again.jsonl").exit_code == 0
    newest = next(a for a in json.loads(run("articles", "--json").output) if a["title"] == "Report 0")
    assert newest["id"] != ids[0]
    assert (newest["publisher"], newest["story"]) == ("reuters", "talks")


def test_library_checks_as_the_import_does(store: Store):
    checked = check_facts({"published": " ~2022-07 ", "story": "", "publisher": "unknown", "title": None})
    assert str(checked["published"]) == "~2022-07" and checked["story"] is None and checked["publisher"] is None
    assert "title" not in checked
    with pytest.raises(InputError, match="nothing to change"):
        check_facts({"title": None})
    with pytest.raises(InputError, match="cannot be set"):
        check_facts({"text": "x"})


def test_a_fact_set_is_no_longer_unverified(ids: list[str]):
    store = Store("team.db")
    store.edit_article(ids[2], {"unverified": ["publisher", "published"]}, "setup", "test")
    outcome = set_article_facts(store, store.article(ids[2]), {"publisher": "RT"}, "alice", "test")
    assert outcome.changed == ["publisher", "unverified"]
    assert store.article(ids[2]).unverified == ["published"] and store.article(ids[2]).publisher == "rt"


def test_one_article_named_wrongly_is_the_usual_error(ids: list[str]):
    result = run("article", "set", "abc", "--story", "x")
    assert result.exit_code == 2 and "an id prefix needs at least 4 characters" in result.output
    result = run("article", "set", "--story", "x")
    assert result.exit_code == 2 and "give the ARTICLE(s) to correct" in result.output
    assert run("article", "set", ids[0]).exit_code == 1  # nothing to change
