"""Shared fixtures: a scratch working folder with the demo corpus, and a store; reading
the screen a TUI test shows."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

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


@pytest.fixture
def demo_store(demo_dir: Path) -> Store:
    """A store with the demo corpus imported (in the test's own folder, so that the articles' source
    keys are its files' paths)."""
    from annotator.importer import import_paths

    s = Store(demo_dir / "annotations.db")
    report = import_paths(s, [demo_dir / "corpus"])
    assert report.ok, report.rejected
    return s


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
