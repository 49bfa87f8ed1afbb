"""Suggested stories (`annotator stories --suggest`): the demo corpus's five reports of the
Kremlin on a Putin-Zelensky meeting, imported without their story, are suggested as one
group; reports of other events are not joined to them; printing assigns nothing; a group is
assigned only when a lead accepts it.

The two articles in tests/data/story_suggest/ are invented for these tests (a drone strike
in Russia's Belgorod region, a Danube flood in Passau): other events, one of them in the same
war, so sharing "Russia" and "Ukraine" with the demo reports."""

from __future__ import annotations

import json
import random
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import main
from annotator.ingest.importer import import_paths
from annotator.store import Store
from annotator.stories.features import entity_counts, fold, quotations, shared_quotations
from annotator.stories.suggest import DEFAULT_MIN_SCORE, date_span, group_id, suggest

from tests.conftest import one_error

OTHER_EVENTS = Path(__file__).resolve().parent.parent / "data" / "story_suggest"
DEMO_SPAN = "1500"  # days: the demo reports were published from March 2022 to July 2025


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def storyless(demo_dir: Path) -> dict[str, str]:
    """The demo corpus and the two other events imported without stories: {file stem: article id}."""
    manifest = demo_dir / "corpus" / "manifest.yaml"
    manifest.write_text("\n".join(line for line in manifest.read_text().splitlines()
                                  if not line.strip().startswith("story:")))
    for path in OTHER_EVENTS.glob("*.txt"):
        shutil.copy(path, demo_dir / "corpus" / path.name)
    store = Store(demo_dir / "annotations.db")
    assert import_paths(store, [demo_dir / "corpus"]).ok
    ids = {Path(a.source_file or "").stem: a.id for a in store.iter_current_articles()}
    assert not store.stories()
    store.close()
    return ids


def demo_ids(ids: dict[str, str]) -> set[str]:
    return {article for stem, article in ids.items() if stem[:3].isdigit()}


def groups(*args: str) -> list[dict]:
    result = run("stories", "--suggest", "--json", *args)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_the_five_demo_reports_are_one_suggested_group_and_other_events_stay_out(storyless):
    found = groups("--window", DEMO_SPAN)
    assert [{a["id"] for a in g["articles"]} for g in found] == [demo_ids(storyless)]
    group = found[0]
    assert group["group"] == group_id(demo_ids(storyless))
    names = {e["name"] for e in group["entities"] if e["articles"] == 5}
    assert {"Kremlin", "Peskov"} <= names  # the reasons: the names every report gives
    assert {a["outlet_name"] for a in group["articles"]} == {
        "Press TV", "Yahoo News", "Daily Herald", "teleSUR", "The Kyiv Independent"}
    assert all(link["score"] >= DEFAULT_MIN_SCORE for link in group["links"])


def test_the_window_keeps_reports_years_apart_out_of_one_group(storyless):
    found = groups()  # the default window: 3 days
    together = [{a["published"] for a in g["articles"]} for g in found]
    # the two July 2025 reports (one dated only "~2025-07") report the same days; 2022's do not
    assert together == [{"~2025-07", "2025-07-25"}] or together == [{"2025-07", "2025-07-25"}]


def test_printing_assigns_nothing_and_shows_the_reasons(storyless):
    result = run("stories", "--suggest", "--window", DEMO_SPAN)
    assert result.exit_code == 0
    assert "suggested story" in result.stdout and "Peskov" in result.stdout and "Press TV" in result.stdout
    assert "--accept GROUP" in result.stdout
    assert json.loads(run("stories", "--json").stdout or "null") is None  # still no story


def test_accept_gives_the_group_its_story_and_only_then(storyless):
    group = groups("--window", DEMO_SPAN)[0]
    result = run("stories", "--suggest", "--window", DEMO_SPAN, "--accept", group["group"][:5])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in run("stories", "--json").stdout.splitlines()]
    assert [(r["id"], r["articles"]) for r in rows] == [(group["story"], 5)]
    assert groups("--window", DEMO_SPAN) == []  # nothing left to suggest
    again = run("stories", "--suggest", "--window", DEMO_SPAN, "--accept", group["group"])
    assert "no suggested group" in one_error(again)


def test_accept_with_a_story_id_and_an_article_left_out(storyless):
    group = groups("--window", DEMO_SPAN)[0]
    left_out = storyless["003_282b45ed3f5731a8"]
    result = run("stories", "--suggest", "--window", DEMO_SPAN, "--accept", group["group"],
                 "--story", "kremlin-putin-zelensky-meeting", "--without", left_out[:6])
    assert result.exit_code == 0, result.output
    store = Store("annotations.db", mode="read")
    assert set(store.story_article_ids("kremlin-putin-zelensky-meeting")) == demo_ids(storyless) - {left_out}
    assert store.article(left_out).story is None


def test_an_accepted_group_can_join_an_existing_story(storyless):
    july = groups()[0]  # the two July 2025 reports
    assert run("stories", "--suggest", "--accept", july["group"]).exit_code == 0
    rest = groups("--window", DEMO_SPAN)
    assert [len(g["articles"]) for g in rest] == [3]
    result = run("stories", "--suggest", "--window", DEMO_SPAN, "--accept", rest[0]["group"], "--story", july["story"])
    assert result.exit_code == 0 and "joining its 2 articles" in result.stdout
    rows = [json.loads(line) for line in run("stories", "--json").stdout.splitlines()]
    assert [(r["id"], r["articles"]) for r in rows] == [(july["story"], 5)]


def test_two_groups_naming_the_same_never_get_one_story_id(workdir):
    rng = random.Random(5)
    reports = [synthetic_event(1, day, outlet, rng) for day in (0, 800) for outlet in range(2)]  # years apart
    (workdir / "feed.jsonl").write_text("\n".join(json.dumps({"title": r.title, "text": r.text + f" ({r.id})",
                                                               "published": r.published}) for r in reports))
    assert run("import", "feed.jsonl").exit_code == 0
    found = groups()
    assert len(found) == 2 and found[0]["story"] != found[1]["story"]
    assert run("stories", "--suggest", "--accept", found[1]["group"]).exit_code == 0
    assert [json.loads(line)["id"] for line in run("stories", "--json").stdout.splitlines()] == [found[1]["story"]]


def test_assigning_a_story_is_all_or_nothing(storyless):
    store = Store("annotations.db", mode="write")
    first, second, third = sorted(demo_ids(storyless))[:3]
    store.assign_story([first], "earlier")
    with pytest.raises(ValueError, match=f"already in a story: {first} \\(earlier\\)"):
        store.assign_story([second, first, third], "later")
    with pytest.raises(ValueError, match="not current articles: nosuchid"):
        store.assign_story([second, "nosuchid"], "later")
    # nothing written by the refusals
    assert {a.id for a in store.storyless_articles([first, second, third])} == {second, third}
    assert store.story_article_ids("earlier") == [first] and store.story_article_ids("later") == []


@pytest.mark.parametrize("args, code, words", [
    (["--accept", "zzzz9999"], 1, "no suggested group"),
    (["--accept", "1"], 1, "no suggested group"),
    (["--accept", "\x1b[31mred\u202e"], 1, "no suggested group"),
])
def test_accept_with_a_bad_group_is_one_line_and_changes_nothing(storyless, args, code, words):
    line = one_error(run("stories", "--suggest", "--window", DEMO_SPAN, *args), code=code)
    assert words in line and "\x1b" not in line and "\u202e" not in line
    assert run("stories", "--json").stdout == ""


@pytest.mark.parametrize("args, words", [
    (["--story", "\u202eevil"], "--story"),
    (["--story", "   "], "--story"),
    (["--without", "ffffffff"], "--without"),
])
def test_accept_with_a_bad_story_or_article_is_one_line_and_changes_nothing(storyless, args, words):
    group = groups("--window", DEMO_SPAN)[0]
    line = one_error(run("stories", "--suggest", "--window", DEMO_SPAN, "--accept", group["group"], *args))
    assert line.startswith(f"error: {words}") and "\u202e" not in line
    assert run("stories", "--json").stdout == ""


def test_suggestion_options_without_suggest_are_a_usage_error(storyless):
    assert "go with --suggest" in one_error(run("stories", "--window", "5"), code=2)
    assert "go with --accept" in one_error(run("stories", "--suggest", "--story", "x"), code=2)


def test_hostile_titles_and_texts_are_printed_safely(workdir):
    body = ("Mayor Ingrid Halvorsen of Tromsø met Olav Brekke at the Tromsø harbour. Halvorsen said Brekke "
            "and the Arctic Council had agreed. \"We will open the harbour to the research fleet next spring,\" "
            "Halvorsen told reporters in Tromsø. [bold red]Brekke[/] agreed.\x1b]8;;http://x\x07link\x1b]8;;\x07")
    records = [{"title": f"[blink]Tromsø\u202e harbour[/blink] \x1b[31m{n}", "text": body + f" Part {n}.",
                "published": "2024-05-0{n}".format(n=n + 1)} for n in range(2)]
    (workdir / "feed.jsonl").write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    assert run("import", "feed.jsonl").exit_code == 0
    result = run("stories", "--suggest")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "[blink]Tromsø" in out and "\\u202e" in out  # the markup shown as written, the override as an escape
    assert "\x1b" not in out and "\u202e" not in out and "\x07" not in out
    data = groups()
    stored = {a.id: a.title for a in Store("annotations.db", mode="read").iter_current_articles()}
    assert len(data) == 1 and {a["id"]: a["title"] for a in data[0]["articles"]} == stored  # JSON keeps titles exact
    assert "\x1b" not in run("stories", "--suggest", "--json").stdout


# -- the library ----------------------------------------------------------------------


def test_entities_are_names_not_words_capitalised_by_position():
    text = ("Talks resumed on Monday. The Kremlin said Dmitry Peskov would attend.\n"
            "Meanwhile talks in Istanbul stalled. Peskov told reporters the Kremlin was ready.\n"
            "Open To Talks With Russia Sees No Prospect\n")
    counts, written = entity_counts(text)
    assert {"kremlin", "peskov", "dmitry", "istanbul"} <= set(counts)
    assert not {"talks", "monday", "the", "meanwhile", "sees", "prospect", "open"} & set(counts)
    assert counts["peskov"] == 2 and written["peskov"] == "Peskov"


def test_fold_makes_spellings_of_one_name_equal():
    assert fold("Zelenskyy's") == fold("Zelensky") == fold("ZELENSKY")
    assert fold("Söder") == fold("Soder")
    assert fold("Kyiv") != fold("Kiev")  # different names stay different


def test_shared_quotations_are_found_with_their_words():
    first = 'He said: "There has been no significant progress so far in the talks," and left.'
    second = "Peskov told reporters “there has been no significant progress so far” on Friday."
    third = '"Nothing to do with it at all, we said," she added.'
    assert quotations(second) == ["there has been no significant progress so far"]
    assert shared_quotations([first, second, third]) == [("There has been no significant progress so far", 2)]
    assert shared_quotations([first, third]) == []


def test_dates_are_the_periods_they_may_mean():
    assert date_span("2025-07") == (date_ord(2025, 7, 1), date_ord(2025, 7, 31))
    assert date_span("2024") == (date_ord(2024, 1, 1), date_ord(2024, 12, 31))
    assert date_span("2024-02-29") == (date_ord(2024, 2, 29),) * 2
    assert date_span(None) is None and date_span("2023-02-30") is None


def date_ord(year: int, month: int, day: int) -> int:
    return date(year, month, day).toordinal()


@dataclass
class Values:
    id: str
    publisher: str | None
    title: str
    published: str | None
    published_approximate: bool
    text: str


SYLLABLES = ["ka", "lo", "mi", "ne", "pu", "ra", "si", "to", "vu", "ze"]


def letters(n: int) -> str:
    """``n`` as syllables, one per digit (118: ``lolovu``): invented names that differ per event
    (no doubled letter, which would fold away)."""
    return "".join(SYLLABLES[int(d)] for d in str(n))


def synthetic_event(n: int, day: int, outlet: int, rng: random.Random) -> Values:
    """An article about event ``n``: names of its own (invented), shared with the other reports of it."""
    tag = letters(n)
    person, place, body = f"Ba{tag}ren", f"Du{tag}gor", f"Fe{tag}bis Council"
    filler = " ".join(rng.choice(["the", "talks", "went", "on", "and", "officials", "said", "it", "was", "late"])
                      for _ in range(40))
    text = (f"{person} arrived in {place} to meet the {body}. {filler}. Officials in {place} "
            f"said {person} and the {body} spoke for hours. {filler}. {person} left {place} at night.")
    published = date.fromordinal(date(2020, 1, 1).toordinal() + day).isoformat()
    return Values(f"a{n:05d}-{outlet}", f"outlet-{outlet}", f"{person} in {place}", published, False, text)


def test_pairs_are_found_through_shared_names_within_the_window_not_all_against_all():
    rng = random.Random(7)
    events = 600  # three reports of each, two events a day
    articles = [synthetic_event(n, n // 2, outlet, rng) for n in range(events) for outlet in range(3)]
    found = suggest(articles, window=3)
    assert sorted(sorted(g.article_ids) for g in found.groups) == sorted(
        [f"a{n:05d}-{o}" for o in range(3)] for n in range(events))
    # each event's 3 pairs, each once although its articles share three names; "Council", in
    # every article, finds no pairs: not the 1.6 million pairs of all against all
    assert found.pairs_scored == 3 * events


def test_an_undated_article_is_compared_with_articles_of_any_date():
    rng = random.Random(3)
    dated = [synthetic_event(1, 10, outlet, rng) for outlet in range(2)]
    undated = synthetic_event(1, 900, 2, rng)
    undated.published = None
    far = synthetic_event(1, 900, 3, rng)  # the same names, dated years later
    found = suggest([*dated, undated, far], window=3)
    assert [sorted(g.article_ids) for g in found.groups] == [sorted(a.id for a in [*dated, undated, far])]
    found = suggest([*dated, far], window=3)
    assert [sorted(g.article_ids) for g in found.groups] == [sorted(a.id for a in dated)]
