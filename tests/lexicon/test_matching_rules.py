"""Lexicon suggestions: the matching rules (apostrophes, case, word boundaries, hyphens,
longest match), on small codebooks."""

from __future__ import annotations


import pytest

from annotator.lexicon import guess_voice, term_regex

from .conftest import assert_well_formed, make_matcher, texts


# -- matching rules (small codebooks) ---------------------------------------------------


def test_apostrophes_straight_and_curly_and_possessives():
    m = make_matcher({"id": "kiev", "terms": ["Kiev"]},
                     {"id": "rw", "terms": ["Russia's war"], "alignment": "ukraine-west", "label": "u"})
    for apostrophe in "'\u2019\u2018\u02bc":
        text = f"Kiev{apostrophe}s failure; Russia{apostrophe}s war"
        assert texts(m.find(text)) == ["Kiev", f"Russia{apostrophe}s war"]
    assert texts(m.find("Russias war")) == []  # the apostrophe in a term is not optional
    assert texts(m.find("the Kiev' quote")) == ["Kiev"]


def test_case_rules():
    m = make_matcher({"id": "kiev", "terms": ["Kiev"]},
                     {"id": "smo", "terms": ["SMO"], "case": "sensitive"})
    assert texts(m.find("KIEV kiev Kiev kIEV")) == ["KIEV", "kiev", "Kiev", "kIEV"]
    assert texts(m.find("SMO smo Smo")) == ["SMO"]


def test_case_rule_applies_to_patterns():
    m = make_matcher({"id": "dpr", "patterns": [r"[DL]PR\b"], "case": "sensitive"},
                     {"id": "ref", "patterns": [r"referend(?:um|ums|a)\b"]})
    assert texts(m.find("DPR dpr LPR Referendums REFERENDA")) == ["DPR", "LPR", "Referendums", "REFERENDA"]


@pytest.mark.parametrize("text", [
    "Kievan Rus", "preKiev", "Kiev2022", "Kiev_x", "x_Kiev", "Kievлад", "ладKiev", "éKiev", "Kievé",
    "Kiev\u0301",          # a combining mark after the last letter belongs to the word
    "Kiev\u200dx",         # so does a zero-width joiner
    "x\u0301Kiev",         # a word held together by a mark before the term
])
def test_no_match_inside_a_word(text):
    m = make_matcher({"id": "kiev", "terms": ["Kiev"]})
    assert m.find(text) == []


@pytest.mark.parametrize("text", [
    "Kiev", "pro-Kiev forces", "Kiev-based", "(Kiev)", "«Kiev»", "“Kiev”", "#Kiev", "Kiev.", "Kiev\u2019s",
    "\u05e9\u05dc\u05d5\u05dd Kiev \u0645\u0631\u062d\u0628\u0627",  # between Hebrew and Arabic words
    "\u202eKiev\u202c",    # inside RTL override marks (format characters, not word characters)
    "🇺🇦Kiev👍🏽",
])
def test_match_at_word_edges(text):
    m = make_matcher({"id": "kiev", "terms": ["Kiev"]})
    found = m.find(text)
    assert texts(found) == ["Kiev"]
    assert_well_formed(text, found)


@pytest.mark.parametrize("text", [
    "full-scale invasion", "full scale invasion", "fullscale invasion", "full\u2011scale invasion",
    "full\u2013scale invasion", "full - scale invasion", "full-\nscale invasion", "full scale\ninvasion",
    "Full-Scale  Invasion",
])
def test_hyphen_and_space_variants(text):
    m = make_matcher({"id": "inv", "terms": ["full-scale invasion", "invasion"]})
    assert texts(m.find(text)) == [text]


def test_a_space_in_a_term_never_crosses_a_blank_line():
    m = make_matcher({"id": "inv", "terms": ["full-scale invasion", "invasion"]},
                     {"id": "regime", "concept": "gov", "terms": ["Kiev regime"]},
                     {"id": "kiev", "concept": "capital", "terms": ["Kiev"]})
    assert texts(m.find("full scale\n\ninvasion")) == ["invasion"]
    assert [s.variant for s in m.find("Kiev\n\nregime")] == ["kiev"]
    assert [s.variant for s in m.find("Kiev\nregime")] == ["regime"]  # a single line break is a space


def test_term_spelled_with_spaces_matches_hyphenated_text():
    m = make_matcher({"id": "smo", "terms": ["special military operation"]},
                     {"id": "rw", "terms": ["Russia-Ukraine war"]})
    assert texts(m.find("a special-military operation")) == ["special-military operation"]
    assert texts(m.find("a special\tmilitary   operation")) == ["special\tmilitary   operation"]
    assert texts(m.find("the Russia–Ukraine war, the Russia Ukraine war")) == ["Russia–Ukraine war", "Russia Ukraine war"]
    assert texts(m.find("specialmilitaryoperation")) == []  # a space needs a separator; only a hyphen may vanish
    assert term_regex("full - scale") == term_regex("full-scale")


def test_longest_match_wins_at_one_start():
    m = make_matcher({"id": "kiev", "concept": "capital", "terms": ["Kiev"]},
                     {"id": "regime", "concept": "gov", "terms": ["Kiev regime"]},
                     {"id": "inv", "concept": "war", "terms": ["invasion", "full-scale invasion"],
                      "alignment": "ukraine-west", "label": "u"})
    found = m.find("the Kiev regime, Kiev, a full-scale invasion and an invasion")
    assert [(s.text, s.concept) for s in found] == [
        ("Kiev regime", "gov"), ("Kiev", "capital"), ("full-scale invasion", "war"), ("invasion", "war")]


def test_longest_match_between_terms_and_patterns():
    m = make_matcher({"id": "ref", "terms": ["referendums"]},
                     {"id": "gunpoint", "patterns": [r"referendums\s+held\s+at\s+gunpoint"],
                      "alignment": "ukraine-west", "label": "u"},
                     {"id": "short", "patterns": [r"refer"]})
    found = m.find("referendums held at gunpoint; referendums held freely")
    assert [(s.text, s.variant) for s in found] == [
        ("referendums held at gunpoint", "gunpoint"), ("referendums", "ref")]


def test_leftmost_wins_and_an_earlier_loser_hides_nothing():
    """A leftmost pattern match beats an overlapping term that starts later, and
    that losing term does not hide a third match after the pattern's end."""
    m = make_matcher({"id": "p", "concept": "a", "patterns": [r"alpha beta"]},
                     {"id": "t", "concept": "b", "terms": ["beta gamma delta"]},
                     {"id": "d", "concept": "c", "terms": ["delta"]})
    assert [(s.text, s.variant) for s in m.find("alpha beta gamma delta")] == [("alpha beta", "p"), ("delta", "d")]
    assert [(s.text, s.variant) for s in m.find("beta gamma delta")] == [("beta gamma delta", "t")]


def test_nothing_is_counted_twice():
    m = make_matcher({"id": "first", "concept": "one", "terms": ["Kiev"]},
                     {"id": "second", "concept": "two", "terms": ["Kiev"], "alignment": "neutral"},
                     {"id": "third", "concept": "three", "patterns": ["Kiev"]})
    found = m.find("Kiev and Kiev")
    assert [(s.text, s.variant) for s in found] == [("Kiev", "first"), ("Kiev", "first")]  # codebook order breaks ties


def test_multi_word_terms_with_apostrophes_and_spacing():
    m = make_matcher({"id": "dpr", "terms": ["Donetsk People's Republic"]})
    for text in ["Donetsk People's Republic", "Donetsk People’s Republic", "Donetsk  People’s\nRepublic",
                 "donetsk people's republic"]:
        assert texts(m.find(f"the {text} said")) == [text]
    assert m.find("Donetsk Peoples Republic") == []


def test_terms_starting_with_punctuation():
    m = make_matcher({"id": "tag", "terms": ["#KyivNotKiev"], "alignment": "ukraine-west", "label": "u"},
                     {"id": "quoted", "concept": "q", "terms": ["'Kiev regime'"]},
                     {"id": "kiev", "concept": "capital", "terms": ["Kiev"]})
    found = m.find("see #KyivNotKiev and x#KyivNotKiev; the ’Kiev regime’ and Kiev")
    assert [(s.text, s.variant) for s in found] == [
        ("#KyivNotKiev", "tag"), ("#KyivNotKiev", "tag"), ("’Kiev regime’", "quoted"), ("Kiev", "kiev")]


def test_suggestion_carries_codebook_fields():
    m = make_matcher({"id": "kyiv", "concept": "capital", "terms": ["Kyiv"], "alignment": "ukraine-west", "label": "u"})
    (s,) = m.find("in Kyiv")
    assert s.as_dict() == {"start": 3, "end": 7, "text": "Kyiv", "category": "term", "concept": "capital",
                           "variant": "kyiv", "alignment": "ukraine-west", "label": "u", "voice": "own",
                           "why": "kyiv: term \u201cKyiv\u201d", "notes": []}


@pytest.mark.parametrize(("text", "term", "voice"), [
    ("to “de-Nazify” Ukraine", "de-Nazify", "scare-quoted"),
    ("to \"de-Nazify\" Ukraine", "de-Nazify", "scare-quoted"),
    ("the 'Kiev' line", "Kiev", "scare-quoted"),
    ("the «Kiev» line", "Kiev", "scare-quoted"),
    ("the so-called referendums", "referendums", "scare-quoted"),
    ("the so called\nreferendums", "referendums", "scare-quoted"),
    ("He said: “the Kiev regime lies”", "Kiev", "quoted"),
    ('He said: "talks with Kiev", and left', "Kiev", "quoted"),
    ('"Talks," he said. Kiev refused.', "Kiev", "own"),
    ('He said "no".\nKiev refused.', "Kiev", "own"),  # quotes do not carry over a paragraph
    ("Kiev’s failure", "Kiev", "own"),        # a possessive at the very start is not a scare quote
    ("“Kiev’s claims are false,” he said", "Kiev", "quoted"),  # nor is ’s after an opening quote
    ("Kiev", "Kiev", "own"),
])
def test_voice_guesses(text, term, voice):
    start = text.index(term)
    assert guess_voice(text, start, start + len(term)) == voice
