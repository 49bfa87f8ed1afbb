"""`annotator stories` and `annotator compare` on the worked example: the demo story's five
outlets, the variants each uses in its own words and in quotes, and the answers given."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from annotator.cli import main
from annotator.lexicon import guess_voice

EXAMPLE = Path(__file__).resolve().parent.parent.parent / "examples" / "demo-annotations.jsonl"
STORY = "kremlin-putin-zelensky-meeting"


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def worked_example(demo_store) -> None:
    demo_store.close()
    assert run("import-annotations", str(EXAMPLE)).exit_code == 0


def capital_by_voice(text: str) -> dict[str, dict[str, int]]:
    """Kiev/Kyiv counted in the text, own words apart from quotations (without the lexicon's matcher)."""
    counts: dict[str, dict[str, int]] = {"own": {}, "quoted": {}}
    for m in re.finditer(r"\b(Kyiv|Kiev)\b", text):
        voice = "own" if guess_voice(text, *m.span()) == "own" else "quoted"
        counts[voice][m.group(1)] = counts[voice].get(m.group(1), 0) + 1
    return counts


def test_stories_lists_the_demo_story_with_its_outlets_and_dates(demo_store):
    rows = [json.loads(line) for line in run("stories", "--json").output.splitlines()]
    assert [r["id"] for r in rows] == [STORY]
    assert rows[0]["articles"] == 5 and len(rows[0]["outlets"]) == 5
    assert rows[0]["first"] < rows[0]["last"]


def test_compare_gives_each_outlets_capital_own_and_quoted_with_counts(demo_store):
    worked_example(demo_store)
    from annotator.store import Store

    store = Store("annotations.db", mode="read")
    data = json.loads(run("compare", STORY, "--format", "json").output)
    uses = data["tables"]["story-term-uses"]["rows"]
    for article_id in store.story_article_ids(STORY):
        expected = capital_by_voice(store.article(article_id).text)
        got: dict[str, dict[str, int]] = {"own": {}, "quoted": {}}
        for row in uses:
            if row["article_id"] == article_id and row["concept"] == "capital":
                name = "Kyiv" if row["variant"] == "kyiv" else "Kiev"
                got[row["voice"]][name] = got[row["voice"]].get(name, 0) + row["count"]
        assert got == expected, article_id
    matrix = data["tables"]["story-terms"]["rows"]
    capital = next(r for r in matrix if r["concept"] == "capital")
    press_tv = next(a for a in store.story_article_ids(STORY) if store.article(a).publisher == "press-tv")
    assert capital[press_tv].startswith("Kiev ×")  # Press TV writes Kiev in its own words


def test_compare_markdown_has_a_column_per_outlet_and_the_answers_of_both_annotators(demo_store):
    worked_example(demo_store)
    from annotator.store import Store

    store = Store("annotations.db", mode="read")
    result = run("compare", STORY, "--format", "md")
    assert result.exit_code == 0
    header = next(line for line in result.output.splitlines() if line.startswith("| concept |"))
    for outlet in ("Press TV", "teleSUR", "The Kyiv Independent", "Yahoo News", "Daily Herald"):
        assert outlet in header
    answers = result.output.split("## Answers per outlet", 1)[1]
    tone = next(line for line in answers.splitlines() if line.startswith("| Tone"))
    given = {(t.article_id, t.label, t.annotator) for t in store.annotations() if t.category == "tone"}
    assert {who for _, _, who in given} == {"alice", "bob"}
    for who in ("alice", "bob"):
        assert who in tone


def test_an_unknown_story_is_one_line_naming_the_stories_there_are(demo_store):
    result = CliRunner().invoke(main, ["compare", "kremlin"])
    assert result.exit_code == 1
    assert "no story 'kremlin'" in result.output and STORY in result.output
    assert "Traceback" not in result.output
    opened = CliRunner().invoke(main, ["story", "no-such-story"])
    assert opened.exit_code == 1 and "no story" in opened.output
