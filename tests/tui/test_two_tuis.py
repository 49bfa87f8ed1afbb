"""Two TUIs on one database, and a TUI killed with SIGKILL: nothing shown as saved is lost."""

from __future__ import annotations

import os
import signal
import sqlite3
import struct
import subprocess
import sys
import threading
import time

import pytest

from annotator.store import Store

from .conftest import SIZE, make_app, select_text, settle, widget_text


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
