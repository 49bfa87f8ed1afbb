"""Shared fixtures: a scratch working folder with the demo corpus, and a store; reading
the screen a TUI test shows."""

from __future__ import annotations

import os
import re
import shutil
import signal
import sqlite3
from contextlib import closing, contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import main

from annotator.models import Annotation, quote_selector
from annotator.store import Store

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
SEED_FILES = {
    "press_tv": "000_6f644dc4ece1bd5e.txt",
    "yahoo": "001_78cf0033457ac78f.txt",
    "daily_herald": "002_f27a532cdd26be91.txt",
    "telesur": "003_282b45ed3f5731a8.txt",
    "kyiv_independent": "004_4da82f6481d0e883.txt",
}


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working folder that is the current directory."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def demo_dir(workdir: Path) -> Path:
    """A working folder holding a copy of the demo corpus in ./corpus."""
    shutil.copytree(CORPUS, workdir / "corpus")
    return workdir


@pytest.fixture
def store(workdir: Path) -> Store:
    return Store(workdir / "annotations.db")


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo corpus imported once per test process, from a folder laid out as ``demo_dir``
    (so that the articles' source files read ``corpus/...``); each ``demo_store`` is a copy."""
    from annotator.ingest.importer import import_paths

    root = tmp_path_factory.mktemp("demo-database")
    shutil.copytree(CORPUS, root / "corpus")
    here = os.getcwd()
    os.chdir(root)
    try:
        s = Store(root / "annotations.db")
        report = import_paths(s, [root / "corpus"])
        assert report.ok, report.rejected
        s.close()
    finally:
        os.chdir(here)
    with closing(sqlite3.connect(root / "annotations.db")) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the database file itself
    return root / "annotations.db"


@pytest.fixture
def demo_store(demo_dir: Path, demo_database: Path) -> Store:
    """A store with the demo corpus imported, in the test's own folder (a copy of ``demo_database``:
    the same rows as importing ``demo_dir/corpus`` there)."""
    shutil.copyfile(demo_database, demo_dir / "annotations.db")
    return Store(demo_dir / "annotations.db")


def tag(store: Store, article, word: str | None = None, *, label: str = "kremlin-form", category: str | None = None,
        annotator: str = "maria", codebook: str = "ru-ua-framing", **fields) -> Annotation:
    """Store a tag of ``codebook`` (version 1) on ``article``: on the first occurrence of ``word``,
    else on the whole article. ``category``: ``term`` for a span and ``tone`` for the whole
    article unless given; ``fields``: any other :class:`Annotation` field (note, attributes, ...)."""
    span = {}
    if word is not None:
        start = article.text.index(word)
        span = {"start": start, "end": start + len(word), **quote_selector(article.text, start, start + len(word))}
    return store.add_annotation(Annotation(
        article_id=article.id, text_sha256=article.text_sha256, annotator=annotator, codebook_id=codebook,
        codebook_version="1", category=category or ("term" if word is not None else "tone"), label=label,
        **span, **fields))


def make_annotation(article, annotator="ann", label="kyiv", start=0, end=5):
    """A span annotation of ``article`` for store tests."""
    return Annotation(
        article_id=article.id, text_sha256=article.text_sha256, annotator=annotator,
        codebook_id="cb", codebook_version="1", category="term", label=label,
        start=start, end=end, quote=article.text[start:end],
    )


def screen_rows(app, widget=None) -> list[str]:
    """What the terminal shows, one string per row, as Textual's compositor draws the whole
    screen now (the real frame: other screens, borders, scroll bars and all). With
    ``widget``: only the rows and columns of its content region (inside padding and
    scroll bars), so that another panel's words do not count."""
    from textual.strip import Strip

    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    rows = [Strip.join(chunks) for chunks in update.strips]  # a row comes in chunks of strips
    if widget is not None:
        region = widget.scrollable_content_region
        rows = [row.crop(region.x, region.right) for row in rows[region.y:region.bottom]]
    return [row.text for row in rows]


@pytest.fixture(autouse=True)
def private_config_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test reads or writes the real user's configuration (the TUI remembers names there)."""
    home = tmp_path_factory.mktemp("config-home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    return home


# -- the command line on hostile input (tests/test_hostile_files.py and the tests of bad input) --------

GOOD = "A good headline\n\nThe talks in Istanbul ended without agreement, officials said on Monday.\n"
WIDE = {"COLUMNS": "400"}

BOMB = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9) if prev else ', '.join(['lol'] * 9)}]\n"
    for prev, name in zip([None, *"abcdefgh"], "abcdefghi")
)  # nine levels of nine: 9**9 values once expanded


@contextmanager
def within(seconds: int):
    """Fail (instead of hanging the suite) when the block takes longer than ``seconds``."""
    def timed_out(*_):
        raise TimeoutError(f"took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, timed_out)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def run(*args: str, env: dict | None = None, seconds: int = 10):
    with within(seconds):
        result = CliRunner().invoke(main, list(args), env={**WIDE, **(env or {})})
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def as_alice(monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands run as annotator "alice", with no configuration file."""
    monkeypatch.setenv("ANNOTATOR_CONFIG", "/dev/null")
    monkeypatch.setenv("ANNOTATOR_NAME", "alice")


def run_as_team(*args: str):
    """``annotator --db team.db ARGS`` in this process (click's runner), exceptions raised."""
    return CliRunner().invoke(main, ["--db", "team.db", *args], catch_exceptions=False, terminal_width=200)


def one_error(result, *, code: int = 1) -> str:
    """The one ``error:`` line of a failed command (nothing else on stderr)."""
    lines = result.stderr.splitlines()
    assert result.exit_code == code, (result.exit_code, result.output)
    assert len(lines) == 1 and lines[0].startswith("error: "), lines
    return lines[0]


# -- what the product must never cite (tests/test_no_internal_references.py, test_registry_data.py) --

# The words are split so that a plain grep of the repository for them finds only real hits.
_DOC, _SHARED, _HOME = "BRI" + "EF", "sha" + "red/", "/wo" + "rk/"
INTERNAL = re.compile(
    rf"(?-i:{_DOC}|DEVELOPERS)|\b(the|product|this|our) {_DOC}\b|{_DOC} §|{_SHARED}|{_HOME}|\bissue \d+", re.IGNORECASE)


# -- published reference values (tests/agreement/test_agreement.py, test_report.py) ----------------------------

# Krippendorff (2011), "Computing Krippendorff's alpha-reliability", the 4-coder, 12-unit
# example with missing values (None): nominal 0.743, ordinal 0.815.
REFERENCE = {
    "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    "C": [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
}


# -- time (tests/merging/test_merge.py, test_cli_merge.py) --------------------------------------------------


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch):
    """Every change gets its own second, in the order made (edits on two laptops are ordered)."""
    last = [datetime.now(timezone.utc).replace(microsecond=0)]

    def now() -> str:
        last[0] = max(datetime.now(timezone.utc).replace(microsecond=0), last[0] + timedelta(seconds=1))
        return last[0].isoformat()

    for module in ("annotator.store.annotations", "annotator.store.outlets", "annotator.models"):
        monkeypatch.setattr(f"{module}.utc_now", now)
    return now
