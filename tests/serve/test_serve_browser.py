"""`annotator serve` in a real browser: headless Chromium (Debian's package) driven by
Playwright's Python client. A name typed in the first dialog signs a tag made with the
keyboard; two browsers tagging the same article at once both land; closing a page ends its
session's process. Skipped, saying why, where Chromium or Playwright is missing."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.serve.serve_support import ANSI, Served, demo_database, tags, wait_for_tags, wait_gone

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
playwright_api = pytest.importorskip("playwright.sync_api", reason="Playwright's Python client is not installed "
                                     "(pip install -e '.[test]')")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium here (Debian: apt-get install chromium)")
GONE_WITHIN = 10


class Screen:
    """What one page's terminal was sent, as text (read from its websocket's frames)."""

    def __init__(self, page) -> None:
        self.page, self.received = page, []
        page.on("websocket", lambda socket: socket.on("framereceived", self._frame))

    def _frame(self, payload) -> None:
        self.received.append(payload.decode("utf-8", "replace") if isinstance(payload, bytes) else "")

    def text(self) -> str:
        return ANSI.sub("", "".join(self.received))

    def wait_for(self, text: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.text():
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} not shown within {timeout} s")
            self.page.wait_for_timeout(100)


@pytest.fixture(scope="module")
def browser() -> Iterator:
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Served, Path]]:
    db = demo_database(tmp_path_factory.mktemp("browser"))
    server = Served(db)
    yield server, db
    server.stop()


def _open(browser, url: str) -> Screen:
    page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
    screen = Screen(page)
    page.goto(url)
    page.wait_for_selector(".xterm-helper-textarea", state="attached")
    page.focus(".xterm-helper-textarea")  # the terminal has the keyboard, as after a click on it
    return screen


def _select_and_tag(screen: Screen, label_key: str) -> None:
    for _ in range(5):
        screen.page.keyboard.press("Shift+ArrowRight")
    screen.page.keyboard.press(label_key)


def test_a_name_typed_in_the_browser_signs_a_tag_made_with_the_keyboard(browser, served):
    server, db = served
    screen = _open(browser, server.url + "/")
    screen.wait_for("Who is annotating?")
    screen.page.keyboard.type("carol")
    screen.page.keyboard.press("Enter")
    screen.wait_for("Signing tags as carol")
    _select_and_tag(screen, "1")
    assert ("carol", "Dmitr") in wait_for_tags(db, 1, 20)
    assert not [name for name, _ in tags(db) if name != "carol"]  # never the server's login or $ANNOTATOR_NAME
    pid = server.session_pids()[-1]
    screen.page.context.close()  # the browser closes the tab
    wait_gone(pid, GONE_WITHIN)


def test_two_browsers_tag_the_same_article_at_once(browser, served):
    server, db = served
    before = len(tags(db))
    screens = [_open(browser, f"{server.url}/?annotator={name}") for name in ("alice", "bob")]
    for screen in screens:
        screen.wait_for("shift+arrows")
    for screen, key in zip(screens, ("1", "2")):
        _select_and_tag(screen, key)
    found = wait_for_tags(db, before + 2, 20)
    assert {("alice", "Dmitr"), ("bob", "Dmitr")} <= set(found)
    with sqlite3.connect(db) as connection:  # on the same article (the first of the list), by two annotators
        rows = connection.execute("SELECT DISTINCT article_id, label FROM annotations WHERE annotator IN ('alice', 'bob')")
        assert len({article for article, _ in rows.fetchall()}) == 1
    for screen in screens:
        screen.page.context.close()


def test_a_killed_browser_ends_its_session_process(served, tmp_path: Path):
    """Chromium killed outright (SIGKILL, as when a laptop's browser crashes) with a session open:
    the session's process ends within seconds, it does not spin on."""
    server, _ = served
    count = len(server.session_pids())
    chromium = subprocess.Popen([CHROMIUM, "--headless", "--no-sandbox", f"--user-data-dir={tmp_path}",
                                 "--window-size=1200,800", f"{server.url}/?annotator=crash"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while len(server.session_pids()) <= count:
            assert time.monotonic() < deadline, "Chromium opened no session"
            time.sleep(0.2)
        pid = server.session_pids()[count]
        time.sleep(3)  # (the session is running: its article is being shown)
    finally:
        os.killpg(chromium.pid, signal.SIGKILL)
        chromium.wait()
    wait_gone(pid, GONE_WITHIN)
