"""Lexicon suggestions: properties that hold on any text (offsets exact, sorted, never
overlapping, grapheme clusters whole), and the fast matcher against trying everything."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from annotator.codebook import Case, Codebook, Kind, find_codebook
from annotator.lexicon import Matcher, term_regex
from annotator.lexicon.terms import expand_term
from annotator.lexicon.matcher import _splits_a_word

from .conftest import assert_well_formed, default_matcher, rows, texts


# -- properties on any text -------------------------------------------------------------

_LEXICON_TERMS = sorted({
    phrase
    for category in find_codebook("ru-ua-framing").categories
    for concept in category.lexicon
    for variant in concept.variants
    if not any(r.then == "skip" and not (r.before or r.after or r.published_before) for r in variant.context)
    for term in variant.terms  # (words suggested only in context, "dictator" of Putin, are left out)
    for phrase in expand_term(term)
})

_PIECES = st.one_of(
    st.sampled_from(_LEXICON_TERMS),
    st.sampled_from([
        " ", "  ", "\n", "\n\n", "\t", "-", "\u2011", "\u2013", "'", "\u2019", "\u201c", "\u201d", "\"", "«", "»",
        "so-called ", "the ", "s", "an", "Kiev", "Kyiv", "’s", ".", ",",
        "\u0301", "\u0308", "\u200d", "\u200c", "\ufe0f",                   # combining marks, joiners, variation selector
        "👍🏽", "🇺🇦", "👨\u200d👩\u200d👧", "𝐊𝐢𝐞𝐯",                          # emoji, flags, ZWJ sequences, astral letters
        "\u202e", "\u202c", "\u200f", "שלום", "مرحبا", "Киев", "Київ",      # RTL marks, Hebrew, Arabic, Cyrillic
        "ǅ", "İ", "ß", "ﬁ", "Σ",                                            # case oddities
    ]),
    st.text(max_size=8),
)
_TEXTS = st.one_of(st.text(), st.lists(_PIECES, max_size=40).map("".join))
_SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(_TEXTS)
def test_property_suggestions_are_exact_sorted_and_disjoint(text):
    found = default_matcher().find(text)
    assert_well_formed(text, found)


@_SETTINGS
@given(_TEXTS)
def test_property_suggestions_keep_grapheme_clusters_whole(text):
    import unicodedata

    for s in default_matcher().find(text):
        assert not unicodedata.category(text[s.start]).startswith("M")
        if s.end < len(text):
            assert not unicodedata.category(text[s.end]).startswith("M") and text[s.end] != "\u200d"


@_SETTINGS
@given(_TEXTS, _TEXTS)
@example("“ARTEMOVSK", "’")  # a quotation left open does not close in the next paragraph
def test_property_a_paragraph_break_makes_text_independent(before, after):
    """What is found after ``\\n.\\n`` does not depend on what comes before it, and
    vice versa: offsets just shift."""
    m = default_matcher()
    separator = "\n.\n"
    joined = before + separator + after
    found = m.find(joined)
    assert_well_formed(joined, found)
    shift = len(before) + len(separator)
    head = [s for s in found if s.end <= len(before)]
    tail = [s for s in found if s.start >= shift]
    assert len(head) + len(tail) == len(found)
    assert rows(head) == rows(m.find(before))
    assert [(s.start - shift, s.end - shift) + r for s, r in zip(tail, rows(tail))] == \
        [(s.start, s.end) + r for s, r in zip(m.find(after), rows(m.find(after)))]


@_SETTINGS
@given(st.lists(st.sampled_from(_LEXICON_TERMS), min_size=1, max_size=6))
def test_property_terms_separated_by_punctuation_are_all_found(terms):
    """Lexicon terms joined by " | " are each found, whole and in order."""
    text = " | ".join(terms)
    found = default_matcher().find(text)
    assert texts(found) == terms


_SEARCH_ONLY: Matcher | None = None


def _search_only_matcher() -> Matcher:
    """The default codebook's matcher without context rules and proper names: the search alone."""
    global _SEARCH_ONLY
    if _SEARCH_ONLY is None:
        book = find_codebook("ru-ua-framing").model_copy(deep=True)
        book.proper_names = []
        for category in book.categories:
            for concept in category.lexicon:
                for variant in concept.variants:
                    variant.context = []
        _SEARCH_ONLY = Matcher(book)
    return _SEARCH_ONLY


def _reference_find(book: Codebook, text: str) -> list[tuple[int, int, str]]:
    """The matching rules done the slow, obvious way: every term and pattern tried at
    every position, the longest term at a start, then leftmost-longest, greedily."""
    terms, patterns = [], []
    for category in book.categories:
        if category.kind is not Kind.span:
            continue
        for concept in category.lexicon:
            for variant in concept.variants:
                scope = "(?:" if variant.case is Case.sensitive else "(?i:"
                terms += [(len(p), f"{scope}{term_regex(p)})", variant.id) for t in variant.terms for p in expand_term(t)]
                patterns += [(f"{scope}{p})", variant.id) for p in variant.patterns]
    terms.sort(key=lambda t: -t[0])
    first_term_at: dict[int, tuple[int, int, str]] = {}
    for rank, (_, regex, variant) in enumerate(terms):
        for match in re.finditer(f"(?=({regex}))", text):
            start, end = match.span(1)
            if end > start and start not in first_term_at:
                first_term_at[start] = (rank, end, variant)
    candidates = [(start, start - end, rank, variant) for start, (rank, end, variant) in first_term_at.items()]
    for rank, (regex, variant) in enumerate(patterns, start=len(terms)):
        for match in re.finditer(regex, text):
            start, end = match.span("span") if "span" in match.re.groupindex else match.span()
            if end > start:
                candidates.append((start, start - end, rank, variant))
    candidates.sort(key=lambda c: c[:3])
    chosen, last_end = [], -1
    for start, negative_length, _, variant in candidates:
        end = start - negative_length
        if start >= last_end and not _splits_a_word(text, start, end):
            chosen.append((start, end, variant))
            last_end = end
    return chosen


@_SETTINGS
@given(_TEXTS)
def test_property_fast_matcher_agrees_with_trying_everything_everywhere(text):
    """The first-letter dispatch is only an optimisation: same results as the obvious way
    (compared without the context rules and proper names, which only drop or relabel a match)."""
    m = _search_only_matcher()
    assert [(s.start, s.end, s.variant) for s in m.find(text)] == _reference_find(m.codebook, text)
