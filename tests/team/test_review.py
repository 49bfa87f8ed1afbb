"""Review: an article's tags grouped into items, disagreements named by what differs, and
each settling step (accept a version, accept what is agreed, reject, own tag, reason)
stored in the gold layer with its sources, undoable."""

from __future__ import annotations

import pytest

from annotator.codebook import find_codebook
from annotator.team.review import (AGREED, GOLD, IN_PROGRESS, NOT_STARTED, SETTLED, accept, accept_agreed, give_reason,
                              own_tag, reject, review_items)
from annotator.tagging import new_tag

from tests.conftest import tag

OWN, QUOTED = {"voice": "own"}, {"voice": "quoted"}


@pytest.fixture
def book():
    return find_codebook("ru-ua-framing")


@pytest.fixture
def disputed(demo_store):
    """An article alice and bob tagged: agreed on "Kremlin", bob missed "Zelensky", different
    voices on "Putin", different labels on "Peskov", and different tones."""
    article = demo_store.article(demo_store.list_articles()[0].id)
    for who in ("alice", "bob"):
        tag(demo_store, article, "Kremlin", annotator=who, attributes=OWN)
        tag(demo_store, article, "Putin", annotator=who, attributes=OWN if who == "alice" else QUOTED)
        tag(demo_store, article, "Peskov", annotator=who, label="kremlin-form" if who == "alice" else "neutral-form",
            attributes=OWN)
        tag(demo_store, article, annotator=who, category="tone", label="neutral" if who == "alice" else "anti")
    tag(demo_store, article, "Zelensky", annotator="alice", attributes=OWN)
    return article


def review_of(store, article, book):
    decisions = {k: (d, r) for k, (d, r, _, _) in store.review_decisions(article.id).items()}
    return review_items(article.id, store.annotations(article.id), book, decisions)


def problem_at(review, word, article):
    start = article.text.index(word)
    return next(i.problem for i in review.items if i.kind == "span" and i.start <= start < i.end)


def test_items_name_what_the_annotators_disagree_on(demo_store, disputed, book):
    review = review_of(demo_store, disputed, book)
    assert review.annotators == ("alice", "bob")
    assert problem_at(review, "Kremlin", disputed) is None
    assert problem_at(review, "Zelensky", disputed) == "not tagged by bob"
    assert problem_at(review, "Putin", disputed) == "voices differ"
    assert problem_at(review, "Peskov", disputed) == "labels differ"
    tone = next(i for i in review.items if i.key == "question:tone")
    assert tone.problem == "answers differ"
    assert len(review.disagreements) == 4 and review.status == NOT_STARTED


def test_overlapping_spans_of_different_lengths_are_one_item_whose_spans_differ(demo_store, book):
    article = demo_store.article(demo_store.list_articles()[1].id)
    word = next(w for w in ("Kremlin", "Kyiv", "Kiev", "Russia") if w in article.text)
    start = article.text.index(word)
    tag(demo_store, article, word, annotator="alice", attributes=OWN)
    tag(demo_store, article, article.text[start:start + len(word) + 3], annotator="bob", attributes=OWN)
    review = review_of(demo_store, article, book)
    assert [i.problem for i in review.items] == ["spans differ"]


def test_accepting_a_version_puts_it_in_gold_with_its_source_and_undo_takes_it_back(demo_store, disputed, book):
    review = review_of(demo_store, disputed, book)
    item = next(i for i in review.items if i.problem == "voices differ")
    change = accept(demo_store, review, item, "bob", "rita", disputed.text_sha256)
    change.apply()
    gold = demo_store.annotations(disputed.id, GOLD)
    assert [(g.quote, g.attributes["voice"]) for g in gold] == [("Putin", "quoted")]
    bobs = next(t for t in item.version("bob").tags)
    provenance = demo_store.gold_sources()[gold[0].uuid]
    assert provenance["sources"] == [{"uuid": bobs.uuid, "annotator": "bob"}] and provenance["reviewer"] == "rita"
    assert review_of(demo_store, disputed, book).status == IN_PROGRESS
    assert demo_store.review_statuses()[disputed.id][0] == IN_PROGRESS
    change.revert()
    assert demo_store.annotations(disputed.id, GOLD) == []
    assert review_of(demo_store, disputed, book).status == NOT_STARTED
    change.apply()  # redo: the same gold tag back
    assert [g.uuid for g in demo_store.annotations(disputed.id, GOLD)] == [gold[0].uuid]


def test_accepting_another_version_replaces_the_gold_tags_there(demo_store, disputed, book):
    review = review_of(demo_store, disputed, book)
    item = next(i for i in review.items if i.problem == "labels differ")
    accept(demo_store, review, item, "alice", "rita", disputed.text_sha256).apply()
    review = review_of(demo_store, disputed, book)
    item = next(i for i in review.items if i.problem == "labels differ")
    accept(demo_store, review, item, "bob", "rita", disputed.text_sha256).apply()
    assert [g.label for g in demo_store.annotations(disputed.id, GOLD)] == ["neutral-form"]


def test_agreed_items_go_to_gold_at_once_citing_every_annotator(demo_store, disputed, book):
    change = accept_agreed(demo_store, review_of(demo_store, disputed, book), "rita", disputed.text_sha256)
    change.apply()
    gold = demo_store.annotations(disputed.id, GOLD)
    assert [g.quote for g in gold] == ["Kremlin"]
    assert sorted(s["annotator"] for s in demo_store.gold_sources()[gold[0].uuid]["sources"]) == ["alice", "bob"]
    assert demo_store.review_decisions(disputed.id)[next(iter(demo_store.review_decisions(disputed.id)))][0] == AGREED
    assert accept_agreed(demo_store, review_of(demo_store, disputed, book), "rita", disputed.text_sha256) is None
    change.revert()
    assert demo_store.annotations(disputed.id, GOLD) == [] and demo_store.review_decisions(disputed.id) == {}


def test_settling_every_disagreement_settles_the_article(demo_store, disputed, book):
    review = review_of(demo_store, disputed, book)
    for item in review.disagreements:
        reject(demo_store, review_of(demo_store, disputed, book), item, "rita").apply()
    review = review_of(demo_store, disputed, book)
    assert review.left == [] and review.status == SETTLED
    assert demo_store.annotations(disputed.id, GOLD) == []  # rejected: nothing is gold there
    item = review.disagreements[0]
    give_reason(demo_store, review, item, "both readings defensible", "rita").apply()
    assert demo_store.review_decisions(disputed.id)[item.key][1] == "both readings defensible"


def test_the_reviewers_own_tag_is_gold_without_sources(demo_store, disputed, book):
    review = review_of(demo_store, disputed, book)
    start = disputed.text.index("Zelensky")
    mine = new_tag(disputed, GOLD, book, "term", "neutral-form", start, start + len("Zelensky"),
                   attributes={"voice": "own"})
    own_tag(demo_store, review, mine, "rita").apply()
    assert demo_store.gold_sources()[mine.uuid] == {"sources": [], "reviewer": "rita",
                                                     "reviewed_at": demo_store.gold_sources()[mine.uuid]["reviewed_at"]}
    item = next(i for i in review_of(demo_store, disputed, book).items if i.problem == "not tagged by bob")
    assert item.settled and [g.label for g in item.gold] == ["neutral-form"]


def test_the_reviewers_own_tag_replaces_the_gold_tags_there(demo_store, disputed, book):
    review = review_of(demo_store, disputed, book)
    item = next(i for i in review.items if i.problem == "labels differ")
    accept(demo_store, review, item, "alice", "rita", disputed.text_sha256).apply()
    start = disputed.text.index("Peskov")
    mine = new_tag(disputed, GOLD, book, "term", "ukraine-west-form", start, start + len("Peskov"),
                   attributes={"voice": "own"})
    change = own_tag(demo_store, review_of(demo_store, disputed, book), mine, "rita")
    change.apply()
    assert [g.label for g in demo_store.annotations(disputed.id, GOLD)] == ["ukraine-west-form"]
    change.revert()
    assert [g.label for g in demo_store.annotations(disputed.id, GOLD)] == ["kremlin-form"]


def test_reviews_read_in_batches_are_those_read_one_by_one(demo_store, disputed, book):
    from annotator.team.review import read_review, read_reviews, review_order, review_statuses

    others = [a.id for a in demo_store.list_articles()[1:3]]
    for article_id in others:  # two more articles two annotators tagged, one of them agreed throughout
        article = demo_store.article(article_id)
        for who in ("alice", "bob"):
            tag(demo_store, article, annotator=who, category="tone", label="neutral" if article_id == others[0] or
                who == "alice" else "anti")
    before = review_of(demo_store, disputed, book)
    reject(demo_store, before, next(i for i in before.items if i.key == "question:tone"), "carol").apply()
    wanted = demo_store.articles_to_review(GOLD, 2)
    assert set(wanted) == {disputed.id, *others}
    assert demo_store.articles_to_review(GOLD, 2, limit=2) == wanted[:2]
    batched = list(read_reviews(demo_store, book, wanted))
    assert [r.article_id for r in batched] == wanted
    for review in batched:
        single = read_review(demo_store, book, review.article_id)
        assert [(i.key, i.problem, i.decision) for i in review.items] == [(i.key, i.problem, i.decision)
                                                                         for i in single.items]
    statuses = review_statuses(batched)
    assert statuses[disputed.id] == (3, IN_PROGRESS) and statuses[others[0]] == (0, NOT_STARTED)
    assert review_order(statuses)[-1] == others[0]  # nothing left to settle: last
