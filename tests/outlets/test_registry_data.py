"""The outlet registry shipped with the package (annotator/data/outlets.yaml): it loads,
every outlet can be told apart by its names and web addresses, every fact that needs a
source has one, and the outlets a Russia-Ukraine framing study meets are found under the
names a manifest or a JSONL "publisher" field uses."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from annotator.models import Outlet, StateAffiliation
from annotator.outlets.registry import SHIPPED_REGISTRY, OutletIndex, load_registry

from tests.conftest import INTERNAL

OUTLETS = load_registry(SHIPPED_REGISTRY)
INDEX = OutletIndex(OUTLETS)
# A source is a URL, or a publication and its date (a year at least).
SOURCE = re.compile(r"https?://|\b(1[89]|20)\d{2}\b")
# Paths of a machine: a home or scratch folder, a Windows drive.
MACHINE_PATH = re.compile(r"(^|[\s(\"'])(/home/|/tmp/|/Users/|/root/|/var/|/mnt/|~/|[A-Za-z]:\\)")


def _keys(outlet: Outlet) -> set[str]:
    """What OutletIndex.find matches by name: the id, the name and the aliases."""
    return {key.casefold() for key in (outlet.id, outlet.name, *outlet.aliases)}


def _texts(outlet: Outlet) -> list[str]:
    """Every piece of text an outlet's record holds."""
    texts = [outlet.id, outlet.name, *outlet.aliases, *outlet.domains, *outlet.sources, *outlet.unverified]
    texts += [t for t in (outlet.country, outlet.owner, outlet.funding, outlet.notes) if t]
    for sanction in outlet.sanctions:
        texts += [sanction.authority, sanction.action, sanction.source or ""]
    for rating in outlet.ratings:
        texts += [rating.rater, rating.scale, rating.value, rating.source or ""]
    return texts


def test_the_shipped_registry_loads_with_unique_ids():
    ids = [o.id for o in OUTLETS]
    assert ids and len(ids) == len(set(ids))


def test_no_name_or_alias_is_claimed_by_two_outlets():
    owners: dict[str, set[str]] = defaultdict(set)
    for outlet in OUTLETS:
        for key in _keys(outlet):
            owners[key].add(outlet.id)
    assert {key: ids for key, ids in owners.items() if len(ids) > 1} == {}


def test_no_domain_is_claimed_by_two_outlets():
    owners: dict[str, set[str]] = defaultdict(set)
    for outlet in OUTLETS:
        for domain in outlet.domains:
            owners[domain].add(outlet.id)
    assert {domain: ids for domain, ids in owners.items() if len(ids) > 1} == {}


def test_no_name_of_one_outlet_is_the_domain_of_another():
    domains = {domain: outlet.id for outlet in OUTLETS for domain in outlet.domains}
    clashes = [(key, outlet.id, domains[key]) for outlet in OUTLETS for key in _keys(outlet)
               if key in domains and domains[key] != outlet.id]
    assert clashes == []


def test_every_outlet_is_found_by_each_of_its_names_and_domains():
    for outlet in OUTLETS:
        for key in (outlet.id, outlet.name, *outlet.aliases):
            assert INDEX.find(key) == outlet.id, key
        for domain in outlet.domains:
            assert INDEX.find_by_url(f"https://www.{domain}/news/1") == outlet.id, domain


def test_every_rating_has_a_rater_scale_date_and_source():
    for outlet in OUTLETS:
        for rating in outlet.ratings:
            assert rating.rater and rating.scale and rating.value, (outlet.id, rating)
            assert rating.as_of.value, (outlet.id, rating)
            assert rating.source and SOURCE.search(rating.source), (outlet.id, rating)


def test_a_rating_dated_only_approximately_is_marked_unverified():
    for outlet in OUTLETS:
        for rating in outlet.ratings:
            if rating.as_of.approximate:
                assert not rating.verified, (outlet.id, rating.rater, rating.scale)


def test_every_sanction_has_an_authority_action_date_and_source():
    for outlet in OUTLETS:
        for sanction in outlet.sanctions:
            assert sanction.authority and sanction.action, (outlet.id, sanction)
            assert sanction.date.value, (outlet.id, sanction)
            assert sanction.source and SOURCE.search(sanction.source), (outlet.id, sanction)


def test_every_outlet_names_its_sources():
    for outlet in OUTLETS:
        assert outlet.sources, outlet.id
        assert all(SOURCE.search(source) for source in outlet.sources), outlet.id


def test_a_field_marked_unverified_holds_no_value():
    """The convention of the file's header: what could not be confirmed is left empty."""
    empty = {None, "", StateAffiliation.unknown}
    for outlet in OUTLETS:
        for field in outlet.unverified:
            value = getattr(outlet, field)
            if field == "founded":
                assert value.value is None, (outlet.id, field)
            elif isinstance(value, list):
                assert value == [], (outlet.id, field)
            else:
                assert value in empty, (outlet.id, field, value)


def test_no_text_cites_an_internal_document_or_a_machine_path():
    found = [(outlet.id, text) for outlet in OUTLETS for text in _texts(outlet)
             if INTERNAL.search(text) or MACHINE_PATH.search(text)]
    assert found == []


@pytest.mark.parametrize("path", ["/home/ann/notes.md", "see C:\\data\\x.txt", "(/tmp/run/out.json)"])
def test_the_machine_path_pattern_catches_paths(path):
    assert MACHINE_PATH.search(path)


def test_the_machine_path_pattern_leaves_urls_and_dates_alone():
    assert not MACHINE_PATH.search("https://www.rferl.org/a/x.html (2024-02-20), RFE/RL and 1+1 Media Group")


# The names by which articles' records and manifests name the outlets a Russia-Ukraine
# framing study meets, and the registry entry each must find.
COMMON_NAMES = {
    # Russian state and state-aligned media
    "TASS": "tass", "ITAR-TASS": "tass", "RIA Novosti": "ria-novosti", "RT": "rt", "Russia Today": "rt",
    "Sputnik": "sputnik", "Sputnik News": "sputnik", "Rossiya 1": "rossiya-1", "Russia-1": "rossiya-1",
    "VGTRK": "rossiya-1", "Channel One": "channel-one-russia", "Pervyi Kanal": "channel-one-russia",
    "NTV": "ntv", "Izvestia": "izvestia", "Komsomolskaya Pravda": "komsomolskaya-pravda",
    "Rossiyskaya Gazeta": "rossiyskaya-gazeta", "Interfax": "interfax",
    # Independent Russian media in exile
    "Meduza": "meduza", "Novaya Gazeta Europe": "novaya-gazeta-europe", "TV Rain": "tv-rain", "Dozhd": "tv-rain",
    "The Insider": "the-insider", "Novaya Gazeta": "novaya-gazeta", "Radio Liberty": "rferl",
    # Ukrainian media
    "Ukrainska Pravda": "ukrainska-pravda", "Ukrayinska Pravda": "ukrainska-pravda",
    "The Kyiv Independent": "kyiv-independent", "Kyiv Independent": "kyiv-independent",
    "Ukrinform": "ukrinform", "Suspilne": "suspilne", "Kyiv Post": "kyiv-post", "UNIAN": "unian",
    "RBC-Ukraine": "rbc-ukraine",
    # Wires and Western media
    "Reuters": "reuters", "Associated Press": "ap", "AP": "ap", "AP News": "ap", "AFP": "afp",
    "Agence France-Presse": "afp", "BBC": "bbc", "BBC News": "bbc", "CNN": "cnn", "The Guardian": "the-guardian",
    "The New York Times": "nytimes", "New York Times": "nytimes", "The Washington Post": "washington-post",
    "Washington Post": "washington-post", "Fox News": "fox-news", "Deutsche Welle": "dw", "DW": "dw",
    "France 24": "france-24", "Euronews": "euronews", "Politico": "politico", "The Hill": "the-hill",
    "Yahoo News": "yahoo-news",
    # Others
    "Al Jazeera": "al-jazeera", "Press TV": "press-tv", "teleSUR": "telesur", "CGTN": "cgtn", "Xinhua": "xinhua",
    "Global Times": "global-times", "TRT World": "trt-world", "Anadolu": "anadolu", "Anadolu Agency": "anadolu",
}


@pytest.mark.parametrize(("name", "outlet_id"), COMMON_NAMES.items())
def test_a_study_outlet_is_found_by_its_common_name(name, outlet_id):
    assert INDEX.find(name) == outlet_id
    assert INDEX.find(f"  {name.upper()} ") == outlet_id  # as a publisher field may spell it


@pytest.mark.parametrize(("url", "outlet_id"), [
    ("https://tass.com/politics/1500000", "tass"), ("https://www.pravda.com.ua/eng/news/2024/01/01/1/", "ukrainska-pravda"),
    ("https://meduza.io/en/feature/2023/07/28/x", "meduza"), ("https://www.bbc.co.uk/news/world-europe-1", "bbc"),
    ("https://apnews.com/article/russia-ukraine-1", "ap"), ("https://www.1tv.ru/news/2022-03-01/1", "channel-one-russia"),
    ("https://english.news.cn/20240101/x/c.html", "xinhua"), ("https://www.aa.com.tr/en/europe/x/1", "anadolu"),
])
def test_a_study_outlet_is_found_by_an_article_url(url, outlet_id):
    assert INDEX.find(url) == outlet_id
