"""The store's annotations: round trip, soft delete, all-or-nothing swaps, per-annotator status
and rejected suggestions."""

import sqlite3

import pytest

from annotator.models import Annotation

from ..conftest import make_annotation


def test_annotation_round_trip_and_soft_delete_flag(demo_store):
    article = demo_store.article(demo_store.list_articles()[0].id)
    saved = demo_store.add_annotation(make_annotation(article))
    [loaded] = demo_store.annotations(article.id)
    assert loaded == saved
    assert loaded.quote == article.text[0:5]


def test_swap_is_all_or_nothing(demo_store):
    """Replacing an answer never leaves the old one deleted without the new one saved."""
    article = demo_store.article(demo_store.list_articles()[0].id)
    old = demo_store.add_annotation(make_annotation(article))
    clash = make_annotation(article).model_copy(update={"uuid": old.uuid})  # cannot be inserted
    with pytest.raises(sqlite3.IntegrityError):
        demo_store.swap_annotations([old.uuid], [], clash)
    assert [a.uuid for a in demo_store.annotations(article.id)] == [old.uuid]  # still live
    new = make_annotation(article)
    demo_store.swap_annotations([old.uuid], [], new)
    assert [a.uuid for a in demo_store.annotations(article.id)] == [new.uuid]
    demo_store.swap_annotations([new.uuid], [old.uuid])
    assert [a.uuid for a in demo_store.annotations(article.id)] == [old.uuid]


def test_annotation_must_point_at_an_existing_article(store):
    with pytest.raises(sqlite3.IntegrityError):
        store.add_annotation(Annotation(
            article_id="missing", text_sha256="x", annotator="a", codebook_id="c", codebook_version="1",
            category="c", label="l"))


def test_update_and_soft_delete_keep_the_row(demo_store):
    article = demo_store.article(demo_store.list_articles()[0].id)
    saved = demo_store.add_annotation(make_annotation(article))
    changed = demo_store.update_annotation(saved.uuid, label="kiev", attributes={"voice": "quoted"}, note="n")
    assert (changed.label, changed.attributes, changed.note) == ("kiev", {"voice": "quoted"}, "n")
    demo_store.update_annotation(saved.uuid, deleted=True)
    assert demo_store.annotations(article.id) == []
    assert demo_store.annotations(article.id, include_deleted=True)[0].deleted


def test_status_is_per_annotator_and_filters_the_list(demo_store):
    first, second = [r.id for r in demo_store.list_articles()[:2]]
    article = demo_store.article(first)
    assert demo_store.status(first, "maria") == "new"
    demo_store.add_annotation(make_annotation(article, annotator="maria"))
    assert demo_store.status(first, "maria") == "in progress"
    assert demo_store.status(first, "li") == "new"
    demo_store.set_status(second, "maria", True)
    assert [r.id for r in demo_store.list_articles(annotator="maria", status="done")] == [second]
    assert [r.id for r in demo_store.list_articles(annotator="maria", status="in progress")] == [first]
    assert demo_store.count_articles(annotator="maria", status="new") == 3
    assert demo_store.count_articles(annotator="li", status="new") == 5
    assert demo_store.progress("maria") == (1, 5)
    demo_store.set_status(second, "maria", False)
    assert demo_store.status(second, "maria") == "new"


def test_rejected_suggestions_are_remembered_per_annotator(demo_store):
    article_id = demo_store.list_articles()[0].id
    demo_store.reject_suggestion(article_id, "maria", 3, 7, "capital", "kiev")
    demo_store.reject_suggestion(article_id, "maria", 3, 7, "capital", "kiev")  # twice is harmless
    assert demo_store.rejected_suggestions(article_id, "maria") == {(3, 7, "kiev")}
    assert demo_store.rejected_suggestions(article_id, "li") == set()
    demo_store.unreject_suggestion(article_id, "maria", 3, 7, "kiev")
    assert demo_store.rejected_suggestions(article_id, "maria") == set()
