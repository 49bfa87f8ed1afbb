"""The store's statistics queries: live tags counted per group with their units and voices,
article notes and deleted tags left out, a scope narrowing who is counted."""

from __future__ import annotations

from annotator.models import ARTICLE_NOTE_CATEGORY, ARTICLE_NOTE_LABEL
from annotator.store.stats_queries import TagScope

from ..conftest import tag


def _tagged(store):
    by = {r.publisher: store.article(r.id) for r in store.list_articles()}
    press, yahoo = by["press-tv"], by["yahoo-news"]
    tag(store, press, "Kiev", attributes={"voice": "own"})
    tag(store, press, "Moscow", label="neutral", attributes={"voice": "quoted"})
    tag(store, press, category=ARTICLE_NOTE_CATEGORY, label=ARTICLE_NOTE_LABEL, note="check the date")  # not a tag
    tag(store, yahoo, "Kremlin", annotator="olek")
    gone = tag(store, yahoo, "Putin", annotator="olek")
    store.update_annotation(gone.uuid, deleted=True)  # not counted
    return store


def test_tags_and_units_per_annotator_and_per_label(demo_store):
    store = _tagged(demo_store)
    # maria: 2 tags on 1 article; olek: 1 live tag on 1 article (units: articles, per annotator)
    assert sorted(store.tag_counts(["annotator"], TagScope())) == [("maria", 2, 1), ("olek", 1, 1)]
    # per label, units are (article, annotator) pairs
    assert sorted(store.tag_counts(["label"], TagScope())) == [("kremlin-form", 2, 2), ("neutral", 1, 1)]


def test_a_scope_and_voices_split_the_counts(demo_store):
    store = _tagged(demo_store)
    # maria's 2 tags on 1 article: 1 in her own voice, 1 quoted, none without a voice
    assert store.tag_counts([], TagScope(annotators=("maria",)), voices=("own", "quoted")) == [(2, 1, 1, 1, 0)]
    assert store.tag_counts([], TagScope(exclude_annotators=("maria",))) == [(1, 1)]
    assert store.annotators() == ["maria", "olek"]


def test_months_a_concept_and_categories_narrow_what_is_read(demo_store):
    store = _tagged(demo_store)
    yahoo = next(store.article(r.id) for r in store.list_articles() if r.publisher == "yahoo-news")
    tag(store, yahoo, "Kyiv", annotator="olek", attributes={"concept": "capital", "variant": "kyiv"})
    # per month of publication (Press TV's article: 2022-08-08, Yahoo's: 2022-03-21)
    assert sorted(store.tag_counts(["month"], TagScope())) == [("2022-03", 2, 1), ("2022-08", 2, 1)]
    # one lexicon concept's tags only
    assert store.tag_counts(["variant"], TagScope(), concept="capital") == [("kyiv", 1, 1)]
    # codings of some categories only: the note (a coding) is left out with them
    everything = {c[2] for c in store.iter_codings(TagScope())}
    assert ARTICLE_NOTE_CATEGORY in everything
    assert {c[2] for c in store.iter_codings(TagScope(), ["term"])} == {"term"}
