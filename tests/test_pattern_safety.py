"""Lexicon patterns that could backtrack for ever are refused when the codebook is read,
naming the pattern, so `suggest` and the TUI never run them (README "Bad input")."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from annotator.pattern_safety import backtracking_risk

from .conftest import one_error, run

SHIPPED = Path(__file__).resolve().parent.parent / "annotator" / "data" / "codebooks" / "ru-ua-framing.yaml"
FIRST_PATTERN = r"'(?<=\bthe )(?:war|conflict|crisis)\b(?!\s+(?:crimes?|criminals?|zone)\b)'"


def codebook_with_pattern(folder: Path, pattern: str) -> Path:
    text = SHIPPED.read_text()
    assert FIRST_PATTERN in text
    path = folder / "book.yaml"
    path.write_text(text.replace(FIRST_PATTERN, "'" + pattern.replace("'", "''") + "'", 1))
    return path


@pytest.mark.parametrize("pattern", [r"(a|aa)+b", r"(a+)+b", r"(\w+\s?)+x", r"(?:war|warfare)*s", r"\s*\s*\s*\s*x",
                                     r"\w*\d*\w*z"])
def test_codebook_check_names_a_catastrophic_pattern(workdir, pattern):
    codebook_with_pattern(workdir, pattern)
    line = one_error(run("codebook", "check", "book.yaml"))
    assert line.startswith("error: book.yaml: categories[")
    assert f".patterns[0]: {pattern!r} may take exponential time on some texts" in line


def test_suggest_refuses_the_codebook_instead_of_running_for_ever(workdir):
    codebook_with_pattern(workdir, r"(a|aa)+b")
    (workdir / "a.txt").write_text("A title\n\nThe war went on. " + "a" * 40 + " and then it stopped.\n")
    assert run("--db", "t.db", "import", "a.txt").exit_code == 0
    article = run("--db", "t.db", "articles", "--json").stdout.split('"id": "')[1][:12]
    started = time.monotonic()
    line = one_error(run("--db", "t.db", "suggest", article, "--codebook", "book.yaml", seconds=5))
    assert "'(a|aa)+b' may take exponential time" in line and time.monotonic() - started < 5


@pytest.mark.parametrize("pattern", [r"(?:foo|bar)+baz", r"(?:\w+\s+){0,2}?at\s+gunpoint\b", r"liberation\s+of\s+\w+",
                                     r"(?:[a-c]x|[d-f]y)+", r"\w+\s+\w+", r"\d+\s*\w+"])
def test_patterns_without_ambiguous_repetition_are_kept(workdir, pattern):
    assert backtracking_risk(pattern) is None
    codebook_with_pattern(workdir, pattern)
    assert run("codebook", "check", "book.yaml").exit_code == 0


def test_over_long_codebook_texts_are_refused(workdir):
    codebook_with_pattern(workdir, "x" * 1_001)
    line = one_error(run("codebook", "check", "book.yaml"))
    assert line.endswith(".patterns[0]: is 1,001 characters long; at most 1,000 are accepted")
    text = SHIPPED.read_text()
    assert "\ntitle: " in text
    (workdir / "book.yaml").write_text(text.replace("\ntitle: ", "\ntitle: " + "T" * 400, 1))
    line = one_error(run("codebook", "check", "book.yaml"))
    assert line.startswith("error: book.yaml: title: is 4") and line.endswith("at most 300 are accepted")


def test_repetitions_side_by_side_that_take_the_same_characters_cannot_hang_suggest(workdir):
    """Three or more unbounded repetitions in a row over the same characters (\\s*\\s*\\s*x) cost time
    as a power of a run's length: refused when the codebook is read, so suggest never runs them."""
    codebook_with_pattern(workdir, r"\s*\s*\s*\s*x")
    (workdir / "a.txt").write_text("A title\n\nThe war" + " " * 3000 + "went on.\n")
    assert run("--db", "t.db", "import", "a.txt").exit_code == 0
    article = run("--db", "t.db", "articles", "--json").stdout.split('"id": "')[1][:12]
    started = time.monotonic()
    line = one_error(run("--db", "t.db", "--codebook", "book.yaml", "suggest", article))
    assert "may take exponential time" in line and time.monotonic() - started < 5
