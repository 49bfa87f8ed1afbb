"""What the context decides: the default codebook's votes and joining, proper names (the
codebook's and the registry's outlet names), dated usage, skip rules, and the rules' own
checks. Nothing in a suggestion depends on who published the article."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from annotator.codebook import Codebook
from annotator.outlets.registry import SHIPPED_REGISTRY, load_registry

from .conftest import make_matcher, texts


def side(matcher, text: str, words: str, published=None) -> str | None:
    """The side suggested for ``words`` in ``text`` (None: not suggested)."""
    start = text.index(words)
    hit = next((s for s in matcher.find(text, published=published) if s.start <= start < s.end), None)
    return hit.alignment if hit else None


@pytest.mark.parametrize(("text", "words", "expected"), [
    # the vote named: neutral
    ("Moscow plans to hold a referendum in the occupied regions.", "referendum", "neutral"),
    ("Where and when will the referendums be held?", "referendums", "neutral"),
    ("Officials announced referendums on joining Russia, calling the referendums a formality.", "joining Russia", "neutral"),
    ("Separatists will ask residents whether they supported joining Russia.", "joining Russia", "neutral"),
    ("Kyiv and the West condemned the referendums as a sham.", "referendums", "neutral"),
    # its result or legitimacy stated as fact: Kremlin framing
    ("The residents voted to join Russia.", "join Russia", "kremlin"),
    ("The referendums on reunification showed overwhelming support.", "referendums", "kremlin"),
    ("Putin signed treaties on the accession of the four regions to Russia.", "accession of the four regions to Russia", "kremlin"),
    ("Voters backed joining Russia by 93 percent in the referendums.", "referendums", "kremlin"),
    # another referendum, or an article from before the 2022 votes
    ("The Brexit referendum split the country.", "referendum", None),
])
def test_votes_and_joining_take_a_side_only_where_the_result_is_stated(matcher, text, words, expected):
    assert side(matcher, text, words) == expected


def test_a_neutral_vote_says_why(matcher):
    (s,) = [s for s in matcher.find("Moscow plans to hold referendums.") if s.concept == "votes-2022"]
    assert (s.label, s.alignment) == ("neutral-form", "neutral")
    assert "not stated as fact" in s.why


def test_rules_can_look_at_the_article_date(matcher):
    text = "Crimeans voted in a referendum on Sunday."
    assert side(matcher, text, "referendum", published="2014-03-16") is None
    assert side(matcher, text, "referendum", published="2022-09-27") == "neutral"


@pytest.mark.parametrize(("text", "words", "expected"), [
    ("The Nazis occupied Kiev in 1941.", "Nazis", None),
    ("He called Ukrainians neo-Nazis and Nazis.", "Nazis", "kremlin"),
    ("The 2003 US invasion of Iraq was a mistake.", "invasion", None),
    ("Russia's invasion of Ukraine began in February.", "invasion", "ukraine-west"),
    ("Ukrainian forces liberated the village of Klishchiivka.", "liberated", None),
    ("Russian troops liberated the village of Pervomaiske.", "liberated", "kremlin"),
    ("Kyiv called the referendums a \"sham\".", "sham", "ukraine-west"),
    ("Zelensky called the ceremony a farce.", "farce", None),
    ("Tabloids call the Russian president a 'dictator'.", "dictator", "ukraine-west"),
])
def test_skip_rules_and_forms_of_one_word(matcher, text, words, expected):
    assert side(matcher, text, words) == expected


@pytest.mark.parametrize(("text", "words"), [
    ("The Kyiv Independent reported the strike.", "Kyiv"),
    ("Kyiv Post editors met on Monday.", "Kyiv"),
    ("Dynamo Kiev beat Shakhtar 2-0.", "Kiev"),
    ("She ordered chicken Kiev.", "Kiev"),
    ("Odessa, Texas, is an oil town.", "Odessa"),
])
def test_proper_names_are_not_usage(default_book, text, words):
    from annotator.lexicon import Matcher

    matcher = Matcher(default_book, outlets=load_registry(SHIPPED_REGISTRY))
    assert side(matcher, text, words) is None
    assert side(matcher, f"Officials in {words} said so.", words) is not None  # the word alone still is


def test_an_outlet_name_from_the_registry_is_a_proper_name():
    from annotator.models import Outlet

    outlet = Outlet.model_validate({"id": "kp", "name": "Kiev Herald", "aliases": ["The Kiev Herald"], "country": "US"})
    with_outlet = make_matcher({"id": "kiev", "terms": ["Kiev"]}, outlets=[outlet])
    without = make_matcher({"id": "kiev", "terms": ["Kiev"]})
    text = "The Kiev Herald wrote about Kiev."
    assert texts(with_outlet.find(text)) == ["Kiev"] and with_outlet.find(text)[0].start == text.rindex("Kiev")
    assert texts(without.find(text)) == ["Kiev", "Kiev"]


def test_the_side_never_depends_on_the_publisher(default_book):
    """The matcher is never told who published the text: the registry's names only hide
    matches inside them, every other suggestion is the same."""
    from annotator.lexicon import Matcher

    text = "RT said Kiev launched a special military operation; the Kyiv Independent disagreed."
    plain = {(s.start, s.label, s.voice) for s in Matcher(default_book).find(text)}
    with_names = {(s.start, s.label, s.voice) for s in Matcher(default_book, outlets=load_registry(SHIPPED_REGISTRY)).find(text)}
    assert with_names < plain
    assert {start for start, *_ in plain - with_names} == {text.index("Kyiv Independent")}


@pytest.mark.parametrize(("published", "noted"), [
    ("2015-06-01", True), ("2019-08-13", True), ("2019", True), ("2019-08-14", False), ("2023-01-05", False), (None, False),
])
def test_kiev_before_the_style_change_is_dated_usage(matcher, published, noted):
    (s,) = matcher.find("Talks in Kiev.", published=published)
    assert s.label == "kremlin-form"  # the spelling is still tagged as it is
    assert (s.notes == ("dated-usage",)) is noted
    assert ("AP Stylebook" in s.why) is noted


def test_a_rule_that_relabels_names_its_label():
    base = {"id": "b", "version": "1", "title": "t", "alignments": ["kremlin", "neutral"], "categories": [{
        "id": "term", "name": "T", "kind": "span", "labels": [{"id": "k", "name": "K", "description": "k", "key": "1"}],
        "lexicon": [{"concept": "c", "variants": [{"id": "v", "alignment": "kremlin", "label": "k", "terms": ["x"],
                                                   "context": [{"then": "relabel", "why": "w"}]}]}]}]}
    with pytest.raises(ValidationError, match="relabels exactly when it gives both label and alignment"):
        Codebook.model_validate(base)
    base["categories"][0]["lexicon"][0]["variants"][0]["context"] = [
        {"then": "relabel", "label": "nope", "alignment": "neutral", "why": "w"}]
    with pytest.raises(ValidationError, match="'nope' is not a label of term"):
        Codebook.model_validate(base)
    base["categories"][0]["lexicon"][0]["variants"][0]["context"] = [{"before": "(a+)+b", "then": "skip", "why": "w"}]
    with pytest.raises(ValidationError, match="exponential"):
        Codebook.model_validate(base)
    base["categories"][0]["lexicon"][0]["variants"][0]["context"] = []
    base["categories"][0]["lexicon"][0]["variants"][0]["dated"] = [{"before": "2019-13-01", "why": "w"}]
    with pytest.raises(ValidationError, match="not a date"):
        Codebook.model_validate(base)
