"""Who is annotating (asked once, remembered, switched without restarting) and quitting
without losing a note being written."""

from __future__ import annotations

import tomllib

from annotator.config import user_config_path
from annotator.tui.app import AnnotatorApp
from annotator.tui.opening import OpenRequest
from annotator.tui.screens.dialogs import NameScreen, NoteScreen

from .conftest import MINI, SIZE, live, make_app, press, settle, tag_span, widget_text


def opened_from_the_command_line(store, name: str | None = None) -> AnnotatorApp:
    return AnnotatorApp(request=OpenRequest(db_path=store.path, annotator_name=name, codebook_ref=str(MINI)))


async def test_without_a_name_the_tui_asks_once_and_remembers_it(demo_store, monkeypatch):
    monkeypatch.delenv("ANNOTATOR_NAME", raising=False)
    monkeypatch.delenv("ANNOTATOR_CONFIG", raising=False)
    app = opened_from_the_command_line(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(50):  # the session opens in a worker, then asks
            if isinstance(app.screen, NameScreen):
                break
            await pilot.pause(0.05)
        assert isinstance(app.screen, NameScreen)
        await pilot.pause(0.3)
        await app.flush()
        login = app.annotate.annotator
        assert demo_store.last_opened(login) is None  # nothing kept under a name nobody confirmed
        await pilot.press(*["backspace"] * 40, *"[b]Nadia[/b]", "enter")
        await settle(app, pilot)
        assert demo_store.last_opened("[b]Nadia[/b]") == app.annotate.article.id
        assert app.annotate.annotator == "[b]Nadia[/b]" and "[b]Nadia[/b]" in widget_text(app.query_one("#topbar-info"))
        await tag_span(pilot, "Kremlin", "1")
    assert [t.annotator for t in live(demo_store)] == ["[b]Nadia[/b]"]  # not the login name
    assert tomllib.loads(user_config_path().read_text(encoding="utf-8"))["annotator"] == "[b]Nadia[/b]"
    again = opened_from_the_command_line(demo_store)
    async with again.run_test(size=SIZE) as pilot:
        await settle(again, pilot)
        assert not isinstance(again.screen, NameScreen) and again.annotate.annotator == "[b]Nadia[/b]"


async def test_a_given_name_is_not_asked_for(demo_store, monkeypatch):
    monkeypatch.delenv("ANNOTATOR_NAME", raising=False)
    app = opened_from_the_command_line(demo_store, name="omar")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert not isinstance(app.screen, NameScreen) and app.annotate.annotator == "omar"
    assert not user_config_path().exists()


async def test_switching_annotator_from_the_palette_shows_the_other_persons_work(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await tag_span(pilot, "Kremlin", "1")
        await press(pilot, "D")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Switch annotator")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NameScreen)
        await pilot.press(*["backspace"] * 10, *"gold", "enter")
        await settle(app, pilot)
        assert app.annotate.annotator == "gold" and app.annotate.tags == [] and app.annotate.status == "new"
        assert "done 0/5" in widget_text(app.query_one("#topbar-info"))
        await tag_span(pilot, "Peskov", "2")
    assert sorted(t.annotator for t in live(demo_store)) == ["gold", "maria"]


async def test_quitting_while_writing_a_note_asks_and_can_save_it(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("M")
        await pilot.pause()
        await pilot.press(*"half a thought")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.is_running and any(isinstance(s, NoteScreen) for s in app.screen_stack)
        await pilot.press("escape")  # back to the note
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen) and app.is_running
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("ctrl+q")  # pressed again while asked: still asking, nothing dropped
        await pilot.pause()
        assert app.is_running
        await pilot.press("s")
        await pilot.pause(0.5)
    assert [n.note for n in live(demo_store, category="_article")] == ["half a thought"]


async def test_quitting_can_drop_the_note_on_purpose(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("M")
        await pilot.pause()
        await pilot.press(*"never mind", "ctrl+q")
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause(0.5)
    assert not app.is_running and live(demo_store, category="_article") == []


async def test_the_help_screens_example_keys_are_not_label_keys(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await press(pilot, "question_mark")
        keys = widget_text(app.screen.query_one("#help-keys"))
    example = keys[keys.index("[keys]"):]
    bound = [part.split('"')[1] for part in example.split("=")[1:]]
    assert bound and not set(bound) & set(app.annotate.bound_label_keys)


async def test_after_quitting_the_database_file_alone_holds_every_tag(demo_dir, demo_database, tmp_path):
    """Copying annotations.db to another laptop (for ``annotator merge``) must not need its -wal file."""
    import shutil

    from annotator.store import Store

    path = demo_dir / "annotations.db"
    shutil.copyfile(demo_database, path)
    app = AnnotatorApp(request=OpenRequest(db_path=path, annotator_name="maria", codebook_ref=str(MINI)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await tag_span(pilot, "Kremlin", "1")
        await pilot.press("ctrl+q")
        await pilot.pause()
    app.close_store()  # as the command line does once the app has exited
    assert not path.with_name("annotations.db-wal").exists()
    copy = tmp_path / "sent" / "annotations.db"
    copy.parent.mkdir()
    shutil.copyfile(path, copy)  # the file alone
    assert [t.quote for t in live(Store(copy), annotator="maria")] == ["Kremlin"]
