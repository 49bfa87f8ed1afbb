"""Issue #4, point by point, as a user would try it: keys, mouse, files on disk, a second
TUI on the same database, a TUI killed with SIGKILL, hostile text everywhere, big inputs."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from rich.style import Style
from textual.widgets import Input, OptionList, Select

from annotator.codebook import load_codebook
from annotator.config import load_config, resolve_annotator
from annotator.importer import import_paths
from annotator.store import Store
from annotator.tui.app import ACTIONS, AnnotatorApp
from annotator.tui.widgets.article_list import ArticleList
from annotator.tui.widgets.article_view import ArticleView, shown_text

from .conftest import MINI, SIZE, card_text, live, make_app, press, screen_segments, screen_text, select_text, settle, tag_span, widget_text

EVIL = "[/x] [@click=app.quit]click me[/] [bold red]red[/] [$accent]acc [RED]R[/RED]"
ESCAPES = "\x1b]0;pwned\x07\x1b[2J\x1b[31m\x9b31m\x1bP1;2|x\x1b\\"


async def mouse_select(app: AnnotatorApp, pilot, start: int, end: int) -> None:
    """Drag the mouse from the character at ``start`` to the one at ``end``, as a user would."""
    view = app.query_one(ArticleView)

    def screen_xy(offset: int) -> tuple[int, int]:
        x, y = view.wrapped_document.location_to_offset(view.location_of(offset))
        region = view.content_region
        return region.x + x - view.scroll_offset.x, region.y + y - view.scroll_offset.y

    view.select_range(start, start)  # scroll it into view
    await pilot.pause()
    await pilot.mouse_down(offset=screen_xy(start))
    await pilot.hover(offset=screen_xy(end))
    await pilot.mouse_up(offset=screen_xy(end))
    await pilot.pause()


# -- offsets -------------------------------------------------------------------------------


HARD_LINES = [
    "The title line (shown in the head, not in the text)",
    "",
    "Kiev in the first line",
    "Flags 🇺🇦🇷🇺, a family 👩\u200d👩\u200d👧, a thumb 👍🏽, then Kiev once.",
    "Combining: Cafe\u0301, q\u0307 and e\u0323\u0302 then Kyiv twice.",
    "RTL: \u200fשלום עולם\u200f and مرحبا بالعالم then Kiev thrice.",
    "ZWJ flag 🏳\ufe0f\u200d🌈 then Kyiv at the end.",
]


async def test_offsets_hold_in_a_crlf_file_with_emoji_combining_marks_and_rtl(workdir):
    (workdir / "hard.txt").write_bytes("\r\n".join(HARD_LINES).encode("utf-8") + b"\r\n")
    store = Store(workdir / "annotations.db")
    assert import_paths(store, [workdir / "hard.txt"]).ok
    article = store.article(store.list_articles()[0].id)
    assert "\r" not in article.text and "Café" in article.text  # NFC, LF: the canonical text
    app = make_app(store)
    wanted = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        text = app.annotate.article.text
        # keyboard: the cursor before the word, then shift+right once per character
        for needle, occurrence in [("Kiev", 1), ("q\u0307 and ệ", 0), ("שלום עולם", 0), ("Kyiv", 1)]:
            wanted.append(await select_text(app, pilot, needle, occurrence, by="char"))
            await pilot.press("1")
        # the mouse: drag over an emoji sequence, Arabic, and across a line break
        for needle in ["👩\u200d👩\u200d👧", "مرحبا", "twice.\nRTL"]:
            start = text.index(needle)
            await mouse_select(app, pilot, start, start + len(needle))
            assert app.query_one(ArticleView).selected_range == (start, start + len(needle)), needle
            await pilot.press("2")
            wanted.append((start, start + len(needle)))
        # word by word: ctrl+shift+right from the start of "Kiev thrice"
        start = text.index("Kiev thrice")
        app.query_one(ArticleView).select_range(start, start)
        await pilot.press("ctrl+shift+right")
        await pilot.press("1")
        wanted.append((start, start + 4))
        await settle(app, pilot)
    tags = live(store)
    assert sorted((t.start, t.end) for t in tags) == sorted(wanted)
    for tag in tags:
        assert tag.quote == article.text[tag.start:tag.end]
        assert tag.prefix == article.text[max(0, tag.start - 32):tag.start]
        assert tag.suffix == article.text[tag.end:tag.end + 32]
        assert tag.text_sha256 == article.text_sha256
    assert {t.quote for t in tags} >= {"Kiev", "q\u0307 and ệ", "שלום עולם", "Kyiv", "👩\u200d👩\u200d👧", "مرحبا",
                                       "twice.\nRTL"}


def test_shown_text_keeps_every_offset_and_breaks_only_long_lines():
    long = " ".join(f"word{n}" for n in range(2000))
    text = f"short line\n{long}\n\nnospace{'x' * 5000}\nend"
    shown = shown_text(text)
    assert len(shown) == len(text)
    assert all(a == b or (a == " " and b == "\n") for a, b in zip(text, shown))
    assert max(len(line) for line in shown.split("\n")) > 5000  # a line without spaces stays long
    assert all(len(line) <= 2000 for line in shown.split("\n") if " " in line)
    assert shown_text("a" * 10) == "a" * 10


# -- hostile text ------------------------------------------------------------------------------


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
        assert any("[$accent]Acc" in n.message for n in app._notifications)
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


# -- what the screen shows -------------------------------------------------------------------


async def test_outlet_card_publisher_and_original_source_with_ratings_and_unverified(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await press(pilot, "]")  # Yahoo News, probably from The Hill (unverified)
        card = card_text(app)
        assert "Publisher" in card and "Yahoo News" in card and "Apollo Global Management" in card
        assert "Original source (unverified)" in card and "The Hill" in card and "Nexstar" in card
        assert "AllSides" in card and "Lean Left" in card and "as of ~2025" in card and "source:" in card
        assert app.query_one("#card-scroll").region.width >= 50  # room for it at 160 columns
        await pilot.press("O", "pagedown")  # into the card, to read the rest of it
        await pilot.pause()
        assert app.query_one("#outlet-card").scroll_y > 0  # the card scrolls inside its panel
        await pilot.press("escape")
        await pilot.pause()
        assert app.query_one(ArticleView).has_focus
        for _ in range(2):
            await pilot.press("]")
        await settle(app, pilot)
        card = card_text(app)
        assert "teleSUR" in card and "multi-state" in card and "sanctions unverified" in card
        assert "Original source" not in card  # the same outlet: one card
        head = widget_text(app.query_one("#article-head"))
        assert "2022-09-23" in head and "Open to Talks" in head


async def test_text_is_the_canonical_text_with_tags_and_suggestions_drawn_apart(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await press(pilot, "]")
        view = app.query_one(ArticleView)
        assert view.text == app.annotate.article.text  # canonical text only: Yahoo's chrome is not there
        assert "Oops" not in screen_text(app) and "Something went wrong" not in view.text
        suggestion = app.annotate.suggestions[0]
        start, end = await select_text(app, pilot, "Kremlin")
        await press(pilot, "2")
        view.select_range(0, 0)

        def style_at(offset: int) -> Style:
            row, column = view.location_of(offset)
            line = view.get_line(row)
            return line.get_style_at_offset(app.console, column)

        tag_style = style_at(start)
        suggestion_style = style_at(suggestion.start)
        assert tag_style.bgcolor is not None and not tag_style.italic  # a tag: its label's colour behind
        assert suggestion_style.underline and suggestion_style.italic and suggestion_style.bgcolor is None
        assert tag_style.bgcolor.name == "#4f9cff"  # the label's colour
        view.select_range(start, start)  # an overlapping, longer span with another label
        await press(pilot, "ctrl+shift+right", "ctrl+shift+right", "1")
        spans = sorted((t.start, t.end, t.label) for t in live(app.store))
        assert spans == [(start, end, "ukraine-west-form"), (start, end + 3, "kremlin-form")]
        assert style_at(end + 1).bgcolor.name == "red"


async def test_footer_help_and_palette_cover_every_key(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        footer = screen_text(app).splitlines()[-1]
        for word in ("Next article", "Done", "Suggestion", "Accept", "Reject", "Tag", "Question", "Undo", "Help"):
            assert word in footer, word
        await pilot.press("question_mark")
        await pilot.pause()
        keys = widget_text(app.screen.query_one("#help-keys"))
        for binding_id, *_ in ACTIONS:
            assert binding_id in keys, binding_id
        assert "shift+arrows" in keys and "Kremlin form" in keys and "annotator.toml" in keys
        await pilot.press("escape")
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for _, _, _, description, _ in ACTIONS:
            if description != "Back to text":
                assert description.rstrip("…") in titles, description
        assert "Tag selection: Term variants › Kremlin form" in titles
        first = app.annotate.article.id
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"next art")
        await pilot.pause(0.3)
        await press(pilot, "enter")
        assert app.annotate.article.id != first  # the palette ran "Next article"
        # the article list tells what enter does when it has the focus
        app.query_one(ArticleList).focus()
        await pilot.pause()
        assert "Open" in screen_text(app).splitlines()[-1]


async def test_narrow_terminal_hides_the_list_until_f2(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert not app.query_one("#sidebar").display or app.query_one("#sidebar").region.width == 0
        assert app.query_one(ArticleView).region.width >= 40 and app.query_one("#outlet-card").region.width >= 40
        await pilot.press("f2")
        await pilot.pause()
        assert app.query_one("#sidebar").region.width > 0 and app.query_one(ArticleList).has_focus
        await pilot.press("f2")
        await pilot.pause()
        assert app.query_one(ArticleView).has_focus


# -- two TUIs, and a killed one -----------------------------------------------------------------


async def test_a_second_tui_sees_the_first_ones_tags_when_it_loads_the_article(demo_store):
    first = make_app(demo_store, annotator="maria")
    second = make_app(Store(demo_store.path), annotator="maria")
    other = make_app(Store(demo_store.path), annotator="li")
    async with first.run_test(size=SIZE) as pilot1, second.run_test(size=SIZE) as pilot2:
        await settle(first, pilot1)
        await settle(second, pilot2)
        assert second.annotate.tags == []
        await select_text(first, pilot1, "Kiev")
        await pilot1.press("1")
        await settle(first, pilot1)  # shown as saved in the first ...
        assert "Kremlin form" in widget_text(first.query_one("#tag-list"))
        await pilot2.press("]", "[")  # ... the second opens the article again and has it
        await settle(second, pilot2)
        assert [t.quote for t in second.annotate.tags] == ["Kiev"]
        assert "Kiev" in widget_text(second.query_one("#tag-list"))
    async with other.run_test(size=SIZE) as pilot3:  # another annotator's tags are not shown as theirs
        await settle(other, pilot3)
        assert other.annotate.tags == [] and "(0)" in widget_text(other.query_one("#tags-title"))


def _read_pty(fd: int, sink: list[bytes], stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            data = os.read(fd, 65536)
        except OSError:
            return
        if not data:
            return
        sink.append(data)


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_a_tui_killed_with_sigkill_loses_nothing_it_showed_as_saved(demo_dir):
    import fcntl
    import termios

    db = demo_dir / "annotations.db"
    assert not db.exists()
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 45, 160, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "160", "LINES": "45", "ANNOTATOR_CONFIG": os.devnull,
           "ANNOTATOR_NAME": "kim"}
    env.pop("TEXTUAL", None)
    # `annotator` with no arguments: builds ./annotations.db from ./corpus, then opens the TUI
    process = subprocess.Popen([sys.executable, "-c", "from annotator.cli import main; main()"],
                               stdin=slave, stdout=slave, stderr=slave, cwd=demo_dir, env=env, start_new_session=True)
    os.close(slave)
    output: list[bytes] = []
    stop = threading.Event()
    reader = threading.Thread(target=_read_pty, args=(master, output, stop), daemon=True)
    reader.start()

    def wait_for(needle: bytes, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while needle not in b"".join(output):
            assert process.poll() is None, b"".join(output)[-2000:]
            assert time.monotonic() < deadline, f"{needle!r} never shown"
            time.sleep(0.05)

    try:
        wait_for(b"Your tags here (0)")  # the article is open, the text has the focus
        wait_for(b"suggestions")
        os.write(master, b"\x1b[1;2C" * 6)  # shift+right six times: "Dmitry" (Press TV's first word)
        time.sleep(0.3)
        os.write(master, b"1")
        wait_for(b"Your tags here (1)")  # shown as saved ...
        process.send_signal(signal.SIGKILL)  # ... and killed at once
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        stop.set()
        os.close(master)
    assert process.returncode == -signal.SIGKILL
    connection = sqlite3.connect(db)
    assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    connection.close()
    store = Store(db)
    [tag] = store.annotations(annotator="kim")
    article = store.article(tag.article_id)
    assert (tag.start, tag.end, tag.quote) == (0, 6, "Dmitry") and article.text[0:6] == "Dmitry"
    assert tag.category == "term" and tag.codebook_id == "ru-ua-framing" and not tag.deleted
    assert store.count_articles() == 5


# -- undo, keys, filters ----------------------------------------------------------------------------


async def test_undo_and_redo_relabel_voice_and_a_change_on_another_article(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        first = app.annotate.article.id
        await tag_span(pilot, "Kiev", "1")
        await pilot.press("L")
        await pilot.pause()
        await press(pilot, *"ukr", "enter")
        assert live(demo_store)[0].label == "ukraine-west-form"
        await press(pilot, "ctrl+z")
        assert live(demo_store)[0].label == "kremlin-form"
        await press(pilot, "ctrl+y")
        assert live(demo_store)[0].label == "ukraine-west-form"
        voice = live(demo_store)[0].attributes["voice"]
        await press(pilot, "V")
        assert live(demo_store)[0].attributes["voice"] != voice
        await press(pilot, "ctrl+z")
        assert live(demo_store)[0].attributes["voice"] == voice
        await press(pilot, "]")
        assert app.annotate.article.id != first
        await pilot.press("ctrl+z")  # undoes the relabel, made on the first article: it opens again
        await settle(app, pilot)
        assert app.annotate.article.id == first and live(demo_store)[0].label == "kremlin-form"
        await pilot.press("ctrl+z")  # the tag itself: soft-deleted, still in the database
        await settle(app, pilot)
        assert live(demo_store) == [] and demo_store.annotations(include_deleted=True)[0].deleted
        await press(pilot, "ctrl+y", "ctrl+y")
        assert [t.label for t in live(demo_store)] == ["ukraine-west-form"]
        # tagging from the searchable list of labels
        await select_text(app, pilot, "Moscow")
        await pilot.press("T")
        await pilot.pause()
        await press(pilot, *"krem", "enter")
        assert sorted((t.quote, t.label) for t in live(demo_store)) == [("Kiev", "ukraine-west-form"),
                                                                         ("Moscow", "kremlin-form")]


async def test_keys_from_annotator_toml(demo_store, workdir):
    (workdir / "annotator.toml").write_text(
        'annotator = "toml-user"\n[keys]\nnext_article = "n"\ntoggle_done = "ctrl+d"\nundo = "ctrl+u"\n'
        'no_such_action = "x"\n', encoding="utf-8")
    config = load_config()
    app = make_app(demo_store, annotator=resolve_annotator(None, config), keymap=config.keys)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert "toml-user" in widget_text(app.query_one("#topbar-info"))
        assert any("no_such_action" in n.message for n in app._notifications)
        first = app.annotate.article.id
        await pilot.press("]")  # replaced: does nothing now
        await settle(app, pilot)
        assert app.annotate.article.id == first
        await press(pilot, "n")
        assert app.annotate.article.id != first
        await pilot.press("ctrl+d")  # a key the text view would otherwise keep for itself
        await settle(app, pilot)
        assert demo_store.status(app.annotate.article.id, "toml-user") == "done"
        await press(pilot, "ctrl+u")
        assert demo_store.status(app.annotate.article.id, "toml-user") == "new"
        assert "n Next article" in screen_text(app).splitlines()[-1]
        await pilot.press("question_mark")
        await pilot.pause()
        assert "n open the next article" in widget_text(app.screen.query_one("#help-keys"))


async def _choose(pilot, app, select_id: str, label: str) -> None:
    """Open a filter drop-down with the keyboard and choose an entry by its text."""
    select = app.query_one(select_id, Select)
    select.focus()
    await pilot.press("enter")
    await pilot.pause()
    options = select.query_one("SelectOverlay")
    prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
    steps = prompts.index(label) - (options.highlighted or 0)
    await press(pilot, *(["down"] * steps if steps > 0 else ["up"] * -steps), "enter")


async def _select_first_word(app, pilot) -> None:
    app.query_one(ArticleView).select_range(0, 0)
    await pilot.press("ctrl+shift+right")


async def test_filters_by_status_outlet_and_search(demo_store):
    app = make_app(demo_store)
    articles = None
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        articles = app.query_one(ArticleList)
        await pilot.press("D")  # Press TV: done
        await settle(app, pilot)
        await press(pilot, "]")
        await select_text(app, pilot, "Kremlin")
        await pilot.press("1")  # Yahoo: in progress
        await settle(app, pilot)
        await _choose(pilot, app, "#status-filter", "done")
        assert articles.total == 1 and articles.row_at(0).outlet == "Press TV"
        app.query_one("#status-filter", Select).value = "in progress"  # (the keyboard way is shown above)
        await settle(app, pilot)
        assert articles.total == 1 and articles.row_at(0).outlet == "Yahoo News"
        app.query_one("#status-filter", Select).value = "new"
        await settle(app, pilot)
        assert articles.total == 3
        # working through "new": a tagged article leaves the list, and ] opens the one after it
        new = [r.id for r in demo_store.list_articles(annotator="maria", status="new")]
        articles.focus()
        await press(pilot, "home", "down", "enter")
        assert app.annotate.article.id == new[1] and app.annotate.position == 1
        await _select_first_word(app, pilot)
        await press(pilot, "1")
        assert articles.total == 2 and app.annotate.status == "in progress"
        assert "not in the filtered list" in widget_text(app.query_one("#topbar-info"))
        await press(pilot, "]")
        assert app.annotate.article.id == new[2] and app.annotate.status == "new" and app.annotate.position == 1
        await _choose(pilot, app, "#status-filter", "any status")
        await _choose(pilot, app, "#outlet-filter", "teleSUR")
        assert articles.total == 1 and articles.row_at(0).outlet == "teleSUR"
        app.query_one("#outlet-filter", Select).clear()
        await settle(app, pilot)
        assert articles.total == 5
        await pilot.press("slash", *"soon")  # a word only teleSUR's article has
        await settle(app, pilot)
        assert articles.total == 1 and app.query_one("#search", Input).has_focus
        await press(pilot, "enter", "enter")
        assert app.annotate.article.publisher == "telesur" and app.query_one(ArticleView).has_focus


# -- big inputs --------------------------------------------------------------------------------


async def test_a_2_mb_article_opens_scrolls_and_tags(workdir):
    """Behaviour on big texts (how fast is measured in bench/, not here)."""
    paragraph = ("The Kremlin said talks with Kiev had stalled, while the invasion went on and officials in Kyiv "
                 "spoke of the special military operation. ") * 5
    big = "A big report\n\n" + "\n\n".join(f"{n} {paragraph}" for n in range(2_000_000 // len(paragraph)))
    one_line = "One line report\n\n" + " ".join(f"w{n}" for n in range(260_000)) + " Kiev end"
    (workdir / "big.txt").write_text(big, encoding="utf-8")
    (workdir / "line.txt").write_text(one_line, encoding="utf-8")
    store = Store(workdir / "annotations.db")
    assert import_paths(store, [workdir / "big.txt", workdir / "line.txt"], max_article_bytes=5_000_000).ok
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        while app.annotate.article is None:
            await pilot.pause(0.01)
        assert len(app.annotate.article.text) > 1_900_000
        view = app.query_one(ArticleView)
        await pilot.press(*["pagedown"] * 5, "end", *["shift+left"] * 3, "home")
        await pilot.pause()
        await settle(app, pilot)
        assert not app.annotate.suggestions_pending and len(app.annotate.suggestions) > 1000
        await pilot.press("]")  # the one-line article: shown broken at spaces, offsets unchanged
        await settle(app, pilot)
        assert app.annotate.article.title == "One line report"
        assert view.document.line_count > 100 and view.text != app.annotate.article.text
        start = app.annotate.article.text.index("Kiev end")
        view.select_range(start, start)
        await press(pilot, *["shift+right"] * 4, "1")
    [tag] = live(store)
    assert (tag.start, tag.quote) == (start, "Kiev") and store.article(tag.article_id).text[tag.start:tag.end] == "Kiev"


def _hundred_thousand_articles(path: Path) -> Store:
    store = Store(path)
    conn = store.db.conn
    conn.execute("BEGIN")
    conn.execute(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000) "
        "INSERT INTO articles (id, title, published, published_approximate, text, text_sha256, raw_text, removed, "
        "source_key, version, current, imported_at, unverified, word_count) "
        "SELECT printf('%012x', i), 'Report ' || i, '2022-01-01', 0, "
        "'Report ' || i || char(10) || char(10) || 'Talks in Kiev stalled while the war went on. Row ' || i || '.', "
        "printf('%064x', i), 'x', '[]', 'gen#' || i, 1, 1, '2026-01-01', '[]', 12 FROM n")
    conn.execute("COMMIT")
    return store


async def test_a_100000_article_database_pages_the_list(workdir):
    """The list holds only the pages it shows (speed is measured in bench/bench_tui.py)."""
    store = _hundred_thousand_articles(workdir / "annotations.db")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        while app.annotate.article is None:
            await pilot.pause(0.01)
        articles = app.query_one(ArticleList)
        assert articles.total == 100_000
        assert len(articles._rows) <= 200  # paged in, never the whole list
        for _ in range(5):
            before = app.annotate.article.id
            await pilot.press("]")
            while app.annotate.article.id == before:
                await pilot.pause(0.005)
        assert app.annotate.position == 5 and app.annotate.article.title == "Report 6"
        articles.focus()
        await press(pilot, "end")
        assert articles.cursor == 99_999 and articles.row_at(99_999).title == "Report 100000"
        await press(pilot, "enter")
        assert app.annotate.article.title == "Report 100000" and app.annotate.position == 99_999
        assert len(articles._rows) <= 400
        await tag_span(pilot, "Kiev", "1")
        assert articles.row_at(99_999).tags == 1 and articles.row_at(99_999).status == "in progress"
    assert [t.quote for t in live(store)] == ["Kiev"]


async def test_label_keys_may_be_punctuation_or_any_letter(demo_store, workdir):
    import yaml

    data = yaml.safe_load(MINI.read_text(encoding="utf-8"))
    data["categories"][0]["labels"][0]["key"] = "#"
    data["categories"][0]["labels"][1]["key"] = "é"
    (workdir / "keys.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    app = AnnotatorApp(demo_store, "maria", load_codebook(workdir / "keys.yaml"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await tag_span(pilot, "Kiev", "#")
        await tag_span(pilot, "Moscow", "é")
        assert "#" in widget_text(app.query_one("#tag-keys"))
    assert sorted((t.quote, t.label) for t in live(demo_store)) == [("Kiev", "kremlin-form"), ("Moscow", "ukraine-west-form")]
