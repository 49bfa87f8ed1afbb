"""Shared helpers of the lexicon tests: the default codebook and its matcher, built once,
a matcher over a small made-up codebook, and what every result must keep."""

from __future__ import annotations


import pytest

from annotator.codebook import Codebook, find_codebook
from annotator.lexicon import Matcher, Suggestion

@pytest.fixture(scope="session")
def default_book() -> Codebook:
    return find_codebook("ru-ua-framing")


@pytest.fixture(scope="session")
def matcher(default_book: Codebook) -> Matcher:
    return Matcher(default_book)


_DEFAULT_MATCHER: Matcher | None = None


def default_matcher() -> Matcher:
    """The default codebook's matcher, built once (hypothesis tests cannot take fixtures per example)."""
    global _DEFAULT_MATCHER
    if _DEFAULT_MATCHER is None:
        _DEFAULT_MATCHER = Matcher(find_codebook("ru-ua-framing"))
    return _DEFAULT_MATCHER


def rows(suggestions: list[Suggestion]) -> list[tuple[str, str, str, str]]:
    """(text, variant, alignment, voice) per suggestion, in order."""
    return [(s.text, s.variant, s.alignment, s.voice) for s in suggestions]


def texts(suggestions: list[Suggestion]) -> list[str]:
    return [s.text for s in suggestions]


def make_matcher(*variants: dict, alignments=("kremlin", "ukraine-west", "neutral"), proper_names=(),
                 outlets=()) -> Matcher:
    """A matcher over a one-category codebook (labels k, u, n); each variant dict names its concept."""
    concepts: dict[str, list[dict]] = {}
    for variant in variants:
        variant = dict(variant)
        concepts.setdefault(variant.pop("concept", "c"), []).append(
            {"alignment": "kremlin", "label": "k", **variant})
    book = Codebook.model_validate({
        "id": "unit", "version": "1", "title": "unit", "alignments": list(alignments), "proper_names": list(proper_names),
        "categories": [{
            "id": "term", "name": "Terms", "kind": "span",
            "labels": [{"id": "k", "name": "K", "description": "k", "key": "1"},
                       {"id": "u", "name": "U", "description": "u", "key": "2"},
                       {"id": "n", "name": "N", "description": "n", "key": "3"}],
            "lexicon": [{"concept": c, "variants": v} for c, v in concepts.items()],
        }],
    })
    return Matcher(book, outlets=outlets)


def assert_well_formed(text: str, suggestions: list[Suggestion]) -> None:
    """The invariants every result must keep, on any text."""
    last_end = 0
    for s in suggestions:
        assert 0 <= s.start < s.end <= len(text)
        assert s.text == text[s.start:s.end]
        assert s.start >= last_end, "suggestions overlap or are out of order"
        assert s.voice in ("own", "quoted", "scare-quoted")
        last_end = s.end
