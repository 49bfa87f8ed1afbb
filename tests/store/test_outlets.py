"""The store's outlets: a user's edits recorded and kept through a newer shipped registry, an
outlet added once per id, and one outlet merged into another with its articles and names."""

from __future__ import annotations

from annotator.store import Store


def test_an_edit_is_the_users_and_survives_a_newer_shipped_registry(store: Store):
    tass = store.outlet("tass")
    assert tass is not None and store.outlet_edited_fields("tass") == []
    fields = store.edit_outlet(tass.model_copy(update={"country": "Testland"}), "alice", "cli")
    assert fields == ["country"] and store.outlet_edited_fields("tass") == ["country"]
    assert store.edit_outlet(store.outlet("tass"), "alice", "cli") == []  # nothing differs: nothing written
    change = store.outlet_history("tass")[-1]
    assert (change.change, change.who, change.fields) == ("changed", "alice", ["country"])
    newer = tass.model_copy(update={"country": "Russian Federation", "owner": "A newer owner"})
    assert store.merge_shipped_outlets([newer]) == 1
    merged = store.outlet("tass")
    assert (merged.country, merged.owner) == ("Testland", "A newer owner")  # the user's field kept, the rest taken


def test_an_outlet_is_added_once_per_id(store: Store):
    lantern = store.outlet("tass").model_copy(update={"id": "lantern", "name": "Lantern"})
    assert store.add_outlet(lantern, "alice", "cli")
    assert not store.add_outlet(lantern.model_copy(update={"name": "Another Lantern"}), "bob", "cli")
    assert store.outlet("lantern").name == "Lantern" and store.outlet_names()["lantern"] == "Lantern"
    assert [c.change for c in store.outlet_history("lantern")] == ["created"]


def test_merging_moves_the_articles_keeps_the_name_as_an_alias_and_removes_the_outlet(demo_store: Store):
    row = next(r for r in demo_store.list_articles() if r.publisher == "press-tv")
    copy = demo_store.outlet("press-tv").model_copy(update={"id": "press-tv-copy", "name": "Press TV Copy",
                                                             "aliases": []})
    assert demo_store.add_outlet(copy, "alice", "cli")
    assert demo_store.merge_outlet("press-tv", "press-tv-copy", "alice", "cli") >= 1
    assert demo_store.outlet("press-tv") is None and demo_store.article(row.id).publisher == "press-tv-copy"
    assert "Press TV" in demo_store.outlet("press-tv-copy").aliases
    assert demo_store.outlet_history("press-tv")[-1].change == "merged"
