"""Lexicon suggestions: what the default codebook finds in the seed articles, the
matching rules (apostrophes, case, word boundaries, hyphens, longest match), and
properties that hold on any text (offsets exact, sorted, never overlapping)."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.cli import main
from annotator.codebook import Case, Codebook, Kind, find_codebook
from annotator.lexicon import Matcher, Suggestion, _splits_a_word, guess_voice, term_regex

# -- helpers ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def default_book() -> Codebook:
    return find_codebook("ru-ua-framing")


@pytest.fixture(scope="module")
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


def make_matcher(*variants: dict, alignments=("kremlin", "ukraine-west", "neutral")) -> Matcher:
    """A matcher over a one-category codebook; each variant dict names its concept."""
    concepts: dict[str, list[dict]] = {}
    for variant in variants:
        variant = dict(variant)
        concepts.setdefault(variant.pop("concept", "c"), []).append(
            {"alignment": "kremlin", "label": "k", **variant})
    book = Codebook.model_validate({
        "id": "unit", "version": "1", "title": "unit", "alignments": list(alignments),
        "categories": [{
            "id": "term", "name": "Terms", "kind": "span",
            "labels": [{"id": "k", "name": "K", "description": "k", "key": "1"},
                       {"id": "u", "name": "U", "description": "u", "key": "2"}],
            "lexicon": [{"concept": c, "variants": v} for c, v in concepts.items()],
        }],
    })
    return Matcher(book)


def assert_well_formed(text: str, suggestions: list[Suggestion]) -> None:
    """The invariants every result must keep, on any text."""
    last_end = 0
    for s in suggestions:
        assert 0 <= s.start < s.end <= len(text)
        assert s.text == text[s.start:s.end]
        assert s.start >= last_end, "suggestions overlap or are out of order"
        assert s.voice in ("own", "quoted", "scare-quoted")
        last_end = s.end


# -- the seed articles, as a reader sees them ----------------------------------------------


@pytest.fixture
def seeds(demo_store) -> dict:
    """Publisher id -> imported Article (canonical text, boilerplate removed)."""
    found = {}
    for row in demo_store.list_articles():
        article = demo_store.article(row.id)
        found[article.publisher] = article
    assert set(found) == {"press-tv", "yahoo-news", "daily-herald", "telesur", "kyiv-independent"}
    return found


def test_press_tv(seeds, matcher):
    text = seeds["press-tv"].text
    found = matcher.find(text)
    assert rows(found) == [
        ("Volodymyr Zelensky", "volodymyr-zelensky", "ukraine-west", "own"),  # Press TV uses the Ukrainian spelling here
        ("Kiev", "kiev", "kremlin", "own"),                                     # Negotiations between Moscow and Kiev
        ("conflict", "war-neutral", "neutral", "own"),                          # over the conflict
        ("Russia-Ukraine war", "war-neutral", "neutral", "own"),
        ("crisis", "war-neutral", "neutral", "quoted"),                         # Erdogan: "...the crisis will be resolved"
        ("military operation", "special-military-operation", "kremlin", "own"),  # Russia launched the military operation
        ("Kiev", "kiev", "kremlin", "own"),                                     # Kiev’s failure (curly possessive)
        ("People’s Republics of Donetsk and Luhansk", "peoples-republics", "kremlin", "own"),
        ("de-Nazify", "denazification", "kremlin", "scare-quoted"),             # to “de-Nazify” Ukraine
        ("conflict", "war-neutral", "neutral", "own"),                          # The conflict has killed
        ("special military operation", "special-military-operation", "kremlin", "quoted"),  # Konashenkov
        ("Kharkiv", "kharkiv", "ukraine-west", "quoted"),
        ("Zaporizhzhia", "zaporizhzhia", "ukraine-west", "quoted"),
        ("Kiev", "kiev", "kremlin", "own"),                                     # Kiev had received
    ]
    by_text = {s.text: s for s in found}
    assert by_text["People’s Republics of Donetsk and Luhansk"].concept == "occupied-areas"
    assert by_text["de-Nazify"].concept == "war-aims"
    kiev_possessive = text.index("Kiev’s")
    assert any(s.start == kiev_possessive and s.end == kiev_possessive + 4 for s in found)
    # not suggested: the bare "Zelensky" (both sides write it), "Luhansk" inside the
    # republics' name, the "long-running"/"refugee" crisis, "the operation", "Donetsk region"
    assert "Zelensky" not in texts(found) and "Luhansk" not in texts(found) and "Donetsk" not in texts(found)
    assert text.count("crisis") == 3 and texts(found).count("crisis") == 1
    assert "operation" not in texts(found)


def test_yahoo_the_hill(seeds, matcher):
    found = matcher.find(seeds["yahoo-news"].text)
    assert rows(found) == [
        ("Volodymyr Zelensky", "volodymyr-zelensky", "ukraine-west", "own"),
        ("invasion", "invasion", "ukraine-west", "own"),  # Moscow's invasion of Ukraine
        ("invasion", "invasion", "ukraine-west", "own"),  # since the invasion began
        ("Kyiv", "kyiv", "ukraine-west", "own"),
        ("Kyiv", "kyiv", "ukraine-west", "quoted"),       # Peskov: "...their influence over Kyiv..."
        ("Kyiv", "kyiv", "ukraine-west", "own"),
    ]
    # "Mariupol", "Moscow", "cease-fire" and the removed "Oops!" chrome give nothing
    assert not any(s.alignment == "kremlin" for s in found)


def test_daily_herald_ap(seeds, matcher):
    found = matcher.find(seeds["daily-herald"].text)
    assert rows(found) == [
        ("Volodymyr Zelenskyy", "volodymyr-zelensky", "ukraine-west", "own"),   # the full name wins over "Zelenskyy"
        ("Zelenskyy", "zelenskyy", "ukraine-west", "own"),                       # Zelenskyy’s call (possessive)
        ("Zelenskyy", "zelenskyy", "ukraine-west", "own"),
        ("war", "war-neutral", "neutral", "own"),                                # an end to the war “probably begins...
        ("Kyiv", "kyiv", "ukraine-west", "own"),
        ("Zelenskyy", "zelenskyy", "ukraine-west", "own"),
        ("Kyiv", "kyiv", "ukraine-west", "own"),                                 # Kyiv’s capitulation
        ("Zelenskyy", "zelenskyy", "ukraine-west", "own"),
    ]
    assert {s.concept for s in found if s.variant == "zelenskyy"} == {"president-name"}


def test_telesur(seeds, matcher):
    text = seeds["telesur"].text
    found = matcher.find(text)
    assert rows(found) == [
        ("conflict in Ukraine", "war-neutral", "neutral", "own"),
        ("Lugansk", "lugansk", "kremlin", "own"),              # subhead: Donetsk, Lugansk, Kherson, Zaporozhie Hold Referendums
        ("Zaporozhie", "zaporozhye", "kremlin", "own"),
        ("Referendums", "referendums", "kremlin", "own"),      # any case
        ("Donbass republics", "peoples-republics", "kremlin", "own"),  # longer than "Donbass"
        ("Zaporozhye", "zaporozhye", "kremlin", "own"),
        ("join Russia", "accession", "kremlin", "own"),
        ("referendums", "referendums", "kremlin", "own"),
        ("accession to Russia", "accession", "kremlin", "own"),
        ("referenda", "referendums", "kremlin", "own"),
        ("Kiev", "kiev", "kremlin", "quoted"),                 # Peskov: "...considering Kiev's attempts..."
        ("Kiev", "kiev", "kremlin", "own"),                    # Kiev walked out
        ("Kiev", "kiev", "kremlin", "own"),                    # dialogue with Kiev
    ]
    assert {s.concept for s in found if "eferend" in s.text} == {"votes-2022"}
    assert {s.concept for s in found if s.variant == "accession"} == {"outcome"}
    # no Ukraine/West form anywhere; "war crimes" is not the war; "Donetsk", "Kherson" are shared names
    assert {s.alignment for s in found} == {"kremlin", "neutral"}
    assert "war" not in texts(found) and "Donbass" not in texts(found)


def test_kyiv_independent(seeds, matcher):
    article = seeds["kyiv-independent"]
    found = matcher.find(article.text)
    assert rows(found) == [
        ("Volodymyr Zelensky", "volodymyr-zelensky", "ukraine-west", "own"),
        ("conflict between Russia and Ukraine", "war-neutral", "neutral", "own"),
        ("Kyiv", "kyiv", "ukraine-west", "quoted"),   # "We’ll see how these proposals resonate in Kyiv," Peskov added.
        ("Kyiv", "kyiv", "ukraine-west", "own"),
        ("Odessa", "odessa", "kremlin", "own"),       # the outlet wrote "Odessa and Kharkiv": spelling is a weak signal
        ("Kharkiv", "kharkiv", "ukraine-west", "own"),
        ("war", "war-neutral", "neutral", "own"),     # soldiers who died in the war
    ]


def test_kyiv_independent_full_scale_invasion_is_one_suggestion(seeds, matcher):
    """"Russia’s full-scale invasion" is in a navigation teaser that import removes as page
    chrome; in the page as read it is one Ukraine/West suggestion, not "invasion" inside it."""
    article = seeds["kyiv-independent"]
    assert "full-scale invasion" not in article.text  # chrome: not what the annotator sees
    raw = matcher.find(article.raw_text)
    assert_well_formed(article.raw_text, raw)
    hits = [s for s in raw if "invasion" in s.text]
    assert rows(hits) == [("full-scale invasion", "invasion", "ukraine-west", "own")]
    assert raw[0].text == "Volodymyr Zelensky"
    assert {"Odesa", "Odessa"} <= set(texts(raw))


def test_every_seed_suggestion_is_well_formed_and_from_the_codebook(seeds, matcher, default_book):
    label_ids = default_book.label_ids()
    for article in seeds.values():
        found = matcher.find(article.text)
        assert found, article.publisher
        assert_well_formed(article.text, found)
        for s in found:
            assert (s.category, s.label) in label_ids
            assert s.alignment in default_book.alignments


def test_suggest_command_uses_the_default_codebook(demo_store):
    result = CliRunner().invoke(main, ["suggest", "--all"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    press_tv = [row for row in lines if row["text"] == "de-Nazify"]
    assert len(press_tv) == 1 and press_tv[0]["voice"] == "scare-quoted" and press_tv[0]["concept"] == "war-aims"
    assert {row["alignment"] for row in lines} == {"kremlin", "ukraine-west", "neutral"}


# -- the default codebook's lexicon on its own terms ------------------------------------


def test_every_lexicon_term_is_found_as_itself(default_book, matcher):
    """No term is shadowed by another (a longer term or a pattern) or listed twice."""
    for category in default_book.categories:
        for concept in category.lexicon:
            for variant in concept.variants:
                for term in variant.terms:
                    text = f"Some text before {term}, and after."
                    found = matcher.find(text)
                    assert rows(found) == [(term, variant.id, variant.alignment, "own")], term
                    assert found[0].concept == concept.concept


def test_default_lexicon_snippets(matcher):
    cases = {
        "the Kiev regime said": [("Kiev regime", "kiev-regime")],
        "Kyiv’s forces": [("Kyiv", "kyiv")],
        "Russia’s full-scale invasion": [("full-scale invasion", "invasion")],
        "Russia's war of aggression": [("Russia's war", "war-of-aggression")],
        "the sham referendums": [("sham referendums", "sham-referendums")],
        "the so-called “referendums”": [("so-called “referendums", "sham-referendums")],
        "referendums held at gunpoint": [("referendums held at gunpoint", "sham-referendums")],
        "the illegal annexation of Crimea": [("illegal annexation", "illegal-annexation")],
        "a land grab": [("land grab", "land-grab")],
        "the so-called Donetsk People's Republic": [("so-called Donetsk People's Republic", "so-called-republics")],
        "in the self-proclaimed DPR": [("self-proclaimed DPR", "so-called-republics")],
        "the DPR and LPR": [("DPR", "dpr-lpr"), ("LPR", "dpr-lpr")],
        "Russian-occupied Melitopol": [("Russian-occupied", "occupied")],
        "the occupied territories": [("occupied", "occupied")],
        "Russian-installed officials": [("Russian-installed", "russian-installed")],
        "the liberation of Artemovsk": [("liberation of Artemovsk", "liberated")],
        "Artyomovsk, which Ukraine calls Bakhmut": [("Artyomovsk", "artemovsk"), ("Bakhmut", "bakhmut")],
        "Donbass and Donbas": [("Donbass", "donbass"), ("Donbas", "donbas")],
        "Vladimir Zelensky said": [("Vladimir Zelensky", "vladimir-zelensky")],
        "Zelenskiy and Zelenskyy": [("Zelenskiy", "zelenskyy"), ("Zelenskyy", "zelenskyy")],
        "the SMO zone": [("SMO", "smo")],
        "reunification with Russia": [("reunification with Russia", "reunification")],
        "Dnepropetrovsk, now Dnipro": [("Dnepropetrovsk", "dnepropetrovsk"), ("Dnipro", "dnipro")],
        "Nikolaev/Mykolaiv, Lvov/Lviv, Kharkov/Kharkiv": [
            ("Nikolaev", "nikolaev"), ("Mykolaiv", "mykolaiv"), ("Lvov", "lvov"), ("Lviv", "lviv"),
            ("Kharkov", "kharkov"), ("Kharkiv", "kharkiv")],
    }
    for text, expected in cases.items():
        assert [(s.text, s.variant) for s in matcher.find(text)] == expected, text


def test_default_lexicon_leaves_ordinary_words_alone(matcher):
    for text in [
        "He was occupied with the paperwork.",      # "occupied" only before a place or territory
        "war crimes were committed",                # not "the war"
        "the world war crimes tribunal",
        "the smo of the factory",                   # SMO is case-sensitive
        "Finland's NATO accession",                 # accession only "to Russia"
        "Kievan Rus and the Kyivan princes",        # no match inside longer words
        "Zelensky met Biden",                        # the bare surname is not a side
        "The operation was a success.",
        "She joined the Russian class.",
    ]:
        assert matcher.find(text) == [], text


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
                           "variant": "kyiv", "alignment": "ukraine-west", "label": "u", "voice": "own"}


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


# -- properties on any text -------------------------------------------------------------

_LEXICON_TERMS = sorted({
    term
    for category in find_codebook("ru-ua-framing").categories
    for concept in category.lexicon
    for variant in concept.variants
    for term in variant.terms
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
                terms += [(len(t), f"{scope}{term_regex(t)})", variant.id) for t in variant.terms]
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
            if match.end() > match.start():
                candidates.append((match.start(), match.start() - match.end(), rank, variant))
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
    """The first-letter dispatch is only an optimisation: same results as the obvious way."""
    m = default_matcher()
    assert [(s.start, s.end, s.variant) for s in m.find(text)] == _reference_find(m.codebook, text)
