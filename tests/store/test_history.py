"""The store's history of tags: every change recorded with who made it, read per tag or per
article, oldest first; a tag brought back to a recorded version (the replaced one kept too);
tag ids found by prefix; what cannot be restored or dismissed says why."""

from __future__ import annotations

import pytest

from tests.conftest import tag


def test_every_change_is_recorded_with_who_made_it(demo_store):
    demo_store.actor = "maria"
    article = demo_store.article(demo_store.list_articles(limit=1)[0].id)
    made = tag(demo_store, article, "Peskov", label="kremlin-form")
    demo_store.update_annotation(made.uuid, label="neutral-form")
    entries = demo_store.history(uuid=made.uuid)
    assert [e.change for e in entries] == ["created", "changed"]
    assert entries[0].before is None and entries[0].after["label"] == "kremlin-form"
    assert (entries[1].before["label"], entries[1].after["label"]) == ("kremlin-form", "neutral-form")
    assert {e.who for e in entries} == {"maria"}
    assert [e.id for e in demo_store.history(article_id=article.id)] == [e.id for e in entries]
    assert demo_store.history_entry(entries[1].id) == entries[1]


def test_a_tag_is_brought_back_to_the_version_before_a_change(demo_store):
    article = demo_store.article(demo_store.list_articles(limit=1)[0].id)
    made = tag(demo_store, article, "Peskov", label="kremlin-form")
    demo_store.update_annotation(made.uuid, label="neutral-form")
    changed = demo_store.history(uuid=made.uuid)[-1]
    restored = demo_store.restore_version(changed.id, who="lead")
    assert restored.label == "kremlin-form" and restored.quote == "Peskov"
    assert [a.label for a in demo_store.annotations(article.id, "maria")] == ["kremlin-form"]
    last = demo_store.history(uuid=made.uuid)[-1]
    assert (last.before["label"], last.after["label"], last.who) == ("neutral-form", "kremlin-form", "lead")
    assert last.source == f"restored before change {changed.id}"


def test_what_cannot_be_restored_or_dismissed_says_why(demo_store):
    article = demo_store.article(demo_store.list_articles(limit=1)[0].id)
    made = tag(demo_store, article, "Peskov")
    created = demo_store.history(uuid=made.uuid)[0]
    with pytest.raises(ValueError, match="created the tag"):
        demo_store.restore_version(created.id)
    with pytest.raises(KeyError):
        demo_store.restore_version(10**9)
    with pytest.raises(KeyError, match="not an open conflict"):
        demo_store.dismiss_conflict(created.id)
    assert demo_store.history(open_conflicts=True) == []


def test_tag_ids_are_found_by_prefix_in_any_case(demo_store):
    article = demo_store.article(demo_store.list_articles(limit=1)[0].id)
    made = tag(demo_store, article, "Peskov")
    assert demo_store.tag_ids_starting(made.uuid[:6].upper()) == [made.uuid]
    assert demo_store.tag_ids_starting("zzzz") == []
