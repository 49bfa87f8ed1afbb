"""A TUI session served to a browser (`annotator serve`): it signs with the name it is given or
asks for one until it gets it, never with the server's configuration, $ANNOTATOR_NAME or login
name, and remembers nothing in the server's configuration."""

from __future__ import annotations

from annotator.config import user_config_path
from annotator.tui.app import AnnotatorApp
from annotator.tui.opening import OpenRequest, open_session
from annotator.tui.screens.dialogs import NameScreen

from .conftest import MINI, SIZE, live, settle, tag_span


def served(store, name: str | None = None) -> AnnotatorApp:
    return AnnotatorApp(request=OpenRequest(db_path=store.path, annotator_name=name, codebook_ref=str(MINI), served=True))


def test_a_served_session_takes_no_name_from_the_server(demo_store, monkeypatch, tmp_path):
    config = tmp_path / "server.toml"
    config.write_text('annotator = "operator"\n', encoding="utf-8")
    monkeypatch.setenv("ANNOTATOR_CONFIG", str(config))
    monkeypatch.setenv("ANNOTATOR_NAME", "from-the-environment")
    asked = open_session(OpenRequest(db_path=demo_store.path, codebook_ref=str(MINI), served=True))
    assert (asked.annotator, asked.name_from_login) == ("", True)
    given = open_session(OpenRequest(db_path=demo_store.path, annotator_name="alice", codebook_ref=str(MINI), served=True))
    assert (given.annotator, given.name_from_login) == ("alice", False)


async def test_a_served_session_asks_until_it_has_a_name_and_remembers_it_nowhere(demo_store, monkeypatch):
    monkeypatch.setenv("ANNOTATOR_NAME", "from-the-environment")
    app = served(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(60):  # the session opens in a worker, then asks
            if isinstance(app.screen, NameScreen):
                break
            await pilot.pause(0.05)
        await pilot.press("escape")  # no login name to fall back on: asked again
        await pilot.pause(0.2)
        assert isinstance(app.screen, NameScreen)
        await pilot.press(*"dana", "enter")
        await settle(app, pilot)
        assert app.annotate.annotator == "dana"
        await tag_span(pilot, "Kremlin", "1")
    assert [t.annotator for t in live(demo_store)] == ["dana"]
    assert not user_config_path().exists()


async def test_a_name_from_the_address_is_not_asked_for(demo_store):
    app = served(demo_store, "ella")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert not isinstance(app.screen, NameScreen) and app.annotate.annotator == "ella"


async def test_a_session_ended_from_outside_keeps_the_note_being_written(demo_store):
    app = served(demo_store, "fay")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("M")
        await pilot.pause()
        await pilot.press(*"half a thought")
        await app.end_session()  # what the served driver runs when the browser has gone
        await pilot.pause(0.3)
    assert [n.note for n in live(demo_store, category="_article")] == ["half a thought"]
