"""Markup and escape sequences anywhere (titles, outlets, codebook, notes, names) never act and never reach the terminal."""

from __future__ import annotations

import json
from pathlib import Path

from textual.widgets import OptionList

from annotator.codebook import load_codebook
from annotator.ingest.importer import import_paths
from annotator.store import Store
from annotator.tui.app import AnnotatorApp

from ...conftest import (SIZE, card_text, live, notices, press, screen_segments, screen_text, select_text, settle,
                         widget_text)

EVIL = "[/x] [@click=app.quit]click me[/] [bold red]red[/] [$accent]acc [RED]R[/RED]"


ESCAPES = "\x1b]0;pwned\x07\x1b[2J\x1b[31m\x9b31m\x1bP1;2|x\x1b\\"


def _hostile_project(root: Path) -> tuple[Store, Path]:
    (root / "news").mkdir()
    (root / "news" / "evil.txt").write_bytes(
        f"{EVIL} title {ESCAPES}\r\n\r\nBody Kiev {EVIL} {ESCAPES} end.\r\nMore {EVIL}\r\n".encode("utf-8"))
    (root / "news" / "outlets.yaml").write_text(json.dumps({"outlets": [
        {"id": "evil-news", "name": f"Evil {EVIL}", "country": "[bold red]Land", "owner": "[@click=app.quit]Owner[/]",
         "funding": f"[$accent] fund {ESCAPES}", "state_affiliation": "private", "founded": "2001",
         "sanctions": [{"authority": "[/x]Authority", "action": "[@click=app.quit]banned[/]", "date": "2022-01-01",
                        "source": f"[bold]src[/] {ESCAPES}"}],
         "ratings": [{"rater": "[bold]Rater[/]", "scale": "[$x]", "value": "[/]", "as_of": "2023",
                      "source": "[@click=app.quit]s[/]"}],
         "notes": "[/x] notes"},
        {"id": "evil-wire", "name": "[/]Wire[RED]", "unverified": ["owner", "ratings"]},
    ]}), encoding="utf-8")
    (root / "news" / "manifest.yaml").write_text(json.dumps({"files": [
        {"file": "evil.txt", "publisher": "evil-news", "original_source": "evil-wire", "unverified": ["original_source"]},
    ]}), encoding="utf-8")
    store = Store(root / "annotations.db")
    report = import_paths(store, [root / "news"])
    assert report.ok, report.rejected
    book = root / "evil-codebook.yaml"
    book.write_text(json.dumps({
        "id": "evil", "version": "1", "title": f"Evil {EVIL}", "guidelines": f"[@click=app.quit]guide[/] {EVIL}",
        "attributes": [{"id": "voice", "name": "[/]Voice", "default": "own",
                        "values": [{"id": "own", "name": "[bold]Own[/]"}, {"id": "quoted", "name": "[/x]"}]}],
        "categories": [
            {"id": "term", "name": "[@click=app.quit]Terms[/]", "kind": "span", "attributes": ["voice"],
             "guideline": f"[/x] guideline {EVIL}",
             "labels": [{"id": "a", "name": "[/x]", "description": "[@click=app.quit]d[/]", "key": "1"},
                        {"id": "b", "name": "[bold red]Red[/]", "description": "[$accent]", "key": "2", "color": "red"},
                        {"id": "c", "name": "[$accent]Acc", "description": "x", "key": "D"}]},
            {"id": "tone", "name": "[/]Tone[RED]", "kind": "article", "cardinality": "single",
             "labels": [{"id": "pro", "name": "[@click=app.quit]Pro[/]", "description": "[/x]"},
                        {"id": "anti", "name": "[RED]Anti", "description": "x"}]},
        ]}), encoding="utf-8")
    return store, book


async def test_markup_and_escapes_anywhere_never_act(workdir):
    store, book = _hostile_project(workdir)
    app = AnnotatorApp(store, f"[@click=app.quit]eve[/]{ESCAPES}", load_codebook(book))
    seen: list[str] = []

    def look() -> None:
        segments = screen_segments(app)
        assert not any("\x1b" in s or "\x9b" in s or "\x07" in s for s in segments), "an escape reached the screen"
        seen.append(screen_text(app))

    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        look()
        for where in ("#topbar", "#article-head", "#outlet-card"):  # where the markup would be live links
            await pilot.click(where, offset=(12, 1))
        await settle(app, pilot)
        assert app.is_running and app.return_value is None
        head = widget_text(app.query_one("#article-head"))
        card = card_text(app)
        for literal in ("[/x]", "[@click=app.quit]click me[/]", "[bold red]red[/]", "[$accent]acc", "[RED]R[/RED]"):
            assert literal in head, literal
        for literal in ("Evil [/x]", "[@click=app.quit]Owner[/]", "[bold red]Land", "[/x]Authority", "[bold]Rater[/]",
                        "[/]Wire[RED]", "unverified"):
            assert literal in card, literal
        assert "[@click=app.quit]eve[/]" in widget_text(app.query_one("#topbar-info"))
        assert "[/x]" in widget_text(app.query_one("#tag-keys"))
        # the label key "D" clashes with "done": said so (the name shown literally), and not bound
        assert any("[$accent]Acc" in n for n in notices(app))
        await pilot.press("escape")  # back to the text (the clicks moved the focus)
        await select_text(app, pilot, "Kiev")
        await pilot.press("2")  # tag with the "[bold red]Red[/]" label
        await settle(app, pilot)
        assert "[bold red]Red[/]" in widget_text(app.query_one("#tag-list"))
        await press(pilot, "N", *"[/x]", "ctrl+s")
        await pilot.press("V")  # the voice names are markup too
        await settle(app, pilot)
        look()
        await pilot.press("question_mark")
        await pilot.pause()
        help_text = widget_text(app.screen.query_one("#help-keys")) + widget_text(app.screen.query_one("#help-guideline"))
        assert "[@click=app.quit]Terms[/]" in help_text and "[/x] guideline" in help_text
        await pilot.click("#help-guideline")
        look()
        await pilot.press("escape", "Q")
        await pilot.pause()
        assert "[@click=app.quit]Pro[/]" in widget_text(app.screen.query_one(OptionList))
        look()
        await press(pilot, "enter")
        await pilot.press("T")
        await pilot.pause()
        look()
        await pilot.press("escape", "ctrl+p")
        await pilot.pause()
        await pilot.press(*"tag")
        await pilot.pause()
        look()
        await pilot.press("escape")
        await pilot.pause()
        app.action_show_help_panel()  # Textual's key panel reads binding descriptions as markup
        await pilot.pause()
        look()
        app.action_hide_help_panel()
        await pilot.click("#outlet-filter")
        await pilot.pause()
        look()
        await press(pilot, "escape")
        assert app.is_running and app.return_value is None
    [tag] = live(store, category="term")
    assert tag.note == "[/x]" and tag.label == "b"
    assert [t.label for t in live(store, category="tone")] == ["pro"]
    assert any("[@click=app.quit]click me[/]" in text for text in seen)
