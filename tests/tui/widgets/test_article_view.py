"""The article view: the text never goes missing (whatever the width changes, the rows drawn
are the current wrapping of the whole text, each line once), each row is drawn as Textual's
TextArea draws it, hidden characters never reach the terminal, and the shown text keeps every offset."""

from __future__ import annotations

import asyncio

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from annotator.codebook import load_codebook
from annotator.tui.app import AnnotatorApp
from annotator.tui.widgets.article_view import LONG_LINE, ArticleView, shown_text

from ...conftest import SEED_FILES, screen_rows
from ..conftest import MINI, settle


class _ViewApp(App):
    """The article view beside a side panel that can be shown, hidden and resized (as F2 does)."""

    CSS = "#side { width: 20; } #text { width: 1fr; height: 1fr; }"

    def __init__(self, text: str) -> None:
        super().__init__()
        self._text = text

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Static("side", id="side")
            yield ArticleView(id="text")

    def on_mount(self) -> None:
        self.query_one(ArticleView).show_text(self._text)


async def _drawn_rows(app: App, pilot) -> list[str]:
    """Every row the view draws for its whole document: the screen as it is (nothing scrolled
    or redrawn first), then the rest a page at a time."""
    view = app.query_one(ArticleView)
    total = view.wrapped_document.height
    rows: dict[int, str] = {}
    top = None
    while len(rows) < total:
        if top is not None:
            view.scroll_to(y=top, animate=False, immediate=True)
            await pilot.pause()
        scroll_y = round(view.scroll_y)
        for index, row in enumerate(screen_rows(app, view)):
            if scroll_y + index < total:
                rows.setdefault(scroll_y + index, row)
        top = 0 if top is None and scroll_y else scroll_y + max(1, view.scrollable_content_region.height)
        assert top <= total + view.size.height, "scrolling never reached the end of the text"
    return [rows[index] for index in range(total)]


def _ink(text: str) -> str:
    """The visible characters in order: wrapping only adds or drops white space (tabs become spaces)."""
    return "".join(text.split())


_word = st.one_of(
    st.text(st.characters(codec="utf-8", categories=("L", "N", "P", "S")), min_size=1, max_size=12),
    st.sampled_from(["supercalifragilisticexpialidocious" * 3, "戦争と平和の報道", "🇺🇦", "👩\u200d👩\u200d👧", "x" * 130]),
)
_separator = st.sampled_from([" ", " ", " ", "  ", "\t", "\n", "\n\n", " \t "])
_line_over_limit = st.just(" ".join(["long"] * (LONG_LINE // 5 + 50)))


@st.composite
def _articles(draw) -> str:
    pieces = [draw(_word)]
    for _ in range(draw(st.integers(5, 80))):
        pieces += [draw(_separator), draw(_word)]
    if draw(st.booleans()):
        pieces.insert(draw(st.integers(0, len(pieces))), "\n" + draw(_line_over_limit) + "\n")
    return "".join(pieces)


_width_change = st.one_of(
    st.tuples(st.just("terminal"), st.integers(40, 130), st.integers(8, 30)),
    st.tuples(st.just("side width"), st.integers(0, 30)),
    st.tuples(st.just("toggle side")),
)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(text=_articles(), changes=st.lists(_width_change, min_size=1, max_size=4))
@example(text=" ".join(f"w{i:03d}" for i in range(30)), changes=[("side width", 10)])  # same rows, new breaks
def test_every_character_is_drawn_once_after_any_width_changes(text, changes):
    async def run() -> None:
        app = _ViewApp(text)
        async with app.run_test(size=(100, 20)) as pilot:
            await pilot.pause()
            await _drawn_rows(app, pilot)  # drawn (and kept) at the first width
            side = app.query_one("#side")
            for change in changes:
                if change[0] == "terminal":
                    await pilot.resize_terminal(change[1], change[2])
                elif change[0] == "side width":
                    side.styles.width = change[1]
                else:
                    side.display = not side.display
                await pilot.pause()
                drawn = await _drawn_rows(app, pilot)
                assert _ink("".join(drawn)) == _ink(text), change

    asyncio.run(run())


def _press_tv_article(store):
    return next(article for article in store.iter_current_articles()
                if (article.source_file or "").endswith(SEED_FILES["press_tv"]))


async def test_f2_keeps_every_word_of_the_text_on_screen(demo_store):
    article = _press_tv_article(demo_store)
    paragraphs = [line for line in article.text.splitlines() if line.strip()]
    app = AnnotatorApp(demo_store, "maria", load_codebook(MINI))
    async with app.run_test(size=(180, 50)) as pilot:  # one app, resized between the two sizes
        await settle(app, pilot)
        for _ in range(10):
            if app.annotate.article.id == article.id:
                break
            await pilot.press("]")
            await settle(app, pilot)
        assert app.annotate.article.id == article.id
        view = app.query_one(ArticleView)
        for size in [(180, 50), (120, 35)]:
            await pilot.resize_terminal(*size)
            await settle(app, pilot)
            for when in ("before F2", "after F2", "after F2 again"):
                shown = " ".join(screen_rows(app, view)).split()
                # the screen shows the text from its start, each word once, in order, up to the last row
                assert shown == article.text.split()[:len(shown)], (size, when)
                assert len(shown) >= len(" ".join(paragraphs[:3]).split()), (size, when)  # at least three paragraphs
                await pilot.press("f2")
                await settle(app, pilot)


async def test_bidi_controls_and_invisible_characters_never_reach_the_terminal_and_offsets_hold():
    """A right-to-left override or a zero-width space in an article is drawn as a visible mark,
    one for one, so the words after it stay in place and a selection still gives the canonical text."""
    text = "Body about Kiev \u202e reversed\u200b words \u2066isolated\u2069 and a family 👨\u200d👩\u200d👧 end."
    app = _ViewApp(text)
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        shown = "\n".join(screen_rows(app))
        assert not any(c in shown for c in "\u202e\u200b\u2066\u2069")
        assert "\ufffd reversed\ufffd words \ufffdisolated\ufffd" in shown
        assert "👨\u200d👩\u200d👧" in shown  # joiners inside an emoji sequence are kept
        view = app.query_one(ArticleView)
        start = text.index("words")
        view.select_range(start, start + len("words"))
        assert view.selected_text == "words" and view.selected_range == (start, start + 5)


async def test_the_text_draws_each_row_as_textual_does():
    """ArticleView draws a wrapped line once for all its rows: the same strips as Textual's
    TextArea, with paints, a selection, the cursor, wide characters and tabs."""
    import random

    from rich.style import Style
    from textual.app import App

    from annotator.tui.widgets.article_view import Paint

    class Viewer(App):
        def compose(self):
            yield ArticleView()

    rng = random.Random(3)
    words = ["alpha", "be", "gamma", "délta", "名前", "x" * 30, "epsilon,", "z."]
    async with Viewer().run_test(size=(60, 50)) as pilot:
        view = pilot.app.query_one(ArticleView)
        for trial in range(6):
            text = "\n".join(" ".join(rng.choice(words) for _ in range(rng.randint(0, 60))) for _ in range(10))
            if trial == 3:
                text = text.replace("be ", "tab\there ", 3)
            view.show_text(text)
            view.set_paints([Paint(a, a + rng.randint(1, 40), Style(bgcolor="red", bold=i % 2 == 0))
                             for i, a in enumerate(rng.sample(range(len(text)), 25))],
                            base=[Paint(a, a + 5, Style(underline=True)) for a in rng.sample(range(len(text)), 15)])
            if trial % 2:
                view.select_range(40, 300)
            if trial >= 4:
                view.focus()
            await pilot.pause()
            for y in range(view.size.height):
                ours, textuals = view.render_row(y), view.textual_row(y)
                assert list(ours) == list(textuals) and ours.cell_length == textuals.cell_length, (trial, y)
            assert view._rows  # (the rows above were drawn by ArticleView, not only by Textual)


def test_shown_text_keeps_every_offset_and_breaks_only_long_lines():
    long = " ".join(f"word{n}" for n in range(2000))
    text = f"short line\n{long}\n\nnospace{'x' * 5000}\nend"
    shown = shown_text(text)
    assert len(shown) == len(text)
    assert all(a == b or (a == " " and b == "\n") for a, b in zip(text, shown))
    assert max(len(line) for line in shown.split("\n")) > 5000  # a line without spaces stays long
    assert all(len(line) <= 2000 for line in shown.split("\n") if " " in line)
    assert shown_text("a" * 10) == "a" * 10
