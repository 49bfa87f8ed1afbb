"""What the TUI relies on in Textual's private APIs (annotator/tui/textual_private.py): a
Textual upgrade that changes one of them fails here first."""

from __future__ import annotations

import inspect
import random

from textual.app import App
from textual.document._document import Document
from textual.geometry import Offset
from textual.scroll_view import ScrollView
from textual.widgets import TextArea

from annotator.tui.widgets.article_view import simple_wrap_offsets
from annotator.tui.textual_private import (HookedTextArea, WrappedDocument, cell_len, compute_wrap_offsets, get_tab_widths,
                                           normalize_key_list, render_options, set_wraps, wrap_tab_width, wrapped_rows)


def test_fast_wrap_matches_textual():
    rng = random.Random(4)
    for _ in range(3000):
        line = "".join(rng.choice(["a", "bb", " ", "  ", "x" * rng.randint(1, 30)]) for _ in range(rng.randint(0, 40)))
        width = rng.randint(1, 30)
        assert simple_wrap_offsets(line, width) == compute_wrap_offsets(line, width, tab_size=4), (line, width)


def test_key_names_are_textuals():
    assert normalize_key_list("?") == "question_mark"
    assert normalize_key_list("#") == "number_sign"
    assert normalize_key_list("]") == "right_square_bracket"
    assert normalize_key_list("ctrl+n,f3") == "ctrl+n,f3"


def test_cells_and_tabs_are_measured_as_textual_draws_them():
    assert cell_len("abc") == 3 and cell_len("漢字") == 4
    assert [width for _, width in get_tab_widths("a\tb", 4)] == [3, 0]


def test_the_scroll_views_size_hook_keeps_its_signature():
    """SteadyScrollBars overrides ScrollView._size_updated and calls _scroll_update."""
    assert list(inspect.signature(ScrollView._size_updated).parameters) == [
        "self", "size", "virtual_size", "container_size", "layout"]
    assert callable(getattr(ScrollView, "_scroll_update"))


def _wrapped_by_textual(text: str, width: int) -> WrappedDocument:
    wrapped = WrappedDocument(Document(text), width=width, tab_width=4)
    return wrapped


def test_set_wraps_stores_the_wraps_as_textual_does():
    """set_wraps fills the wrap tables so that the wrapped document answers as after Textual's own wrap."""
    text = "Talks in Kiev stalled\n\n\tindented line with\ttabs here\n" + "word " * 40 + "\n漢字 wide " * 9
    for width in (7, 13, 40):
        textuals = _wrapped_by_textual(text, width)
        ours = WrappedDocument(Document(text), width=1, tab_width=4)
        offsets = [compute_wrap_offsets(line, width, tab_size=4, precomputed_tab_sections=get_tab_widths(line, 4))
                   for line in ours.document.lines]
        tab_widths = [[w for _, w in get_tab_widths(line, 4)] for line in ours.document.lines]
        set_wraps(ours, width, offsets, tab_widths)
        assert wrapped_rows(ours) == wrapped_rows(textuals) and ours.height == textuals.height
        for line_index in range(ours.document.line_count):
            assert ours.get_offsets(line_index) == textuals.get_offsets(line_index)
            assert ours.get_sections(line_index) == textuals.get_sections(line_index)
        for y in range(textuals.height):
            for x in (0, 3, width - 1):
                assert ours.offset_to_location(Offset(x, y)) == textuals.offset_to_location(Offset(x, y))
        for location in ((0, 5), (2, 3), (3, 150), (4, 2)):
            assert ours.location_to_offset(location) == textuals.location_to_offset(location)


def test_the_wrap_tab_width_is_the_one_wrap_uses():
    wrapped = WrappedDocument(Document("a\tb"), width=10, tab_width=4)
    assert wrap_tab_width(wrapped) == 4
    assert wrap_tab_width(wrapped, 8) == 8
    wrapped.wrap(10)
    assert wrapped.get_tab_widths(0) == [7, 0]  # (the tab after "a" fills 7 cells at width 8)


class _Hooked(HookedTextArea):
    rows_asked = 0

    def make_wrapped_document(self, document):
        self.made = WrappedDocument(document, tab_width=self.indent_width)
        return self.made

    def render_row(self, y):
        self.rows_asked += 1
        return super().render_row(y)


class _HookedApp(App):
    def compose(self):
        yield _Hooked("first line\nsecond (line) here", soft_wrap=True, read_only=True)


async def test_the_text_area_hooks_are_the_ones_textual_calls():
    app = _HookedApp()
    async with app.run_test(size=(40, 10)) as pilot:
        area = app.query_one(_Hooked)
        assert area.wrapped_document is area.made  # _set_document asks make_wrapped_document
        area.move_cursor((1, 7))  # on the "(": Textual finds the matching bracket
        await pilot.pause()
        assert area.matching_bracket_location == (1, 12)
        area.load_text("another text\nwith two lines")
        await pilot.pause()
        assert area.wrapped_document is area.made and area.document.text == "another text\nwith two lines"
        assert area.rows_asked > 0  # Textual draws its rows through render_row
        assert area.textual_row(0).text.startswith("another text")
        assert not area.has_syntax_highlights and area.theme_styles is not None
        area.clear_line_cache()


def test_the_text_area_hooks_keep_their_names_and_signatures():
    assert list(inspect.signature(TextArea._set_document).parameters) == ["self", "text", "language"]
    assert list(inspect.signature(TextArea._render_line).parameters) == ["self", "y"]
    assert callable(TextArea._rewrap_and_refresh_virtual_size) and callable(TextArea._build_highlight_map)


async def test_render_options_look_up_the_widgets_styles():
    app = _HookedApp()
    async with app.run_test(size=(40, 10)):
        area = app.query_one(_Hooked)
        options = render_options(area)
        assert options.rules is area.styles
        assert options.get_style(area.visual_style) is area.visual_style


def test_the_web_driver_keeps_its_writer_and_app_where_the_served_driver_looks():
    """hook_web_driver_writes swaps WebDriver's ``_write`` (set in its __init__); driver_app reads ``Driver._app``."""
    from textual.driver import Driver
    from textual.drivers.web_driver import WebDriver

    from annotator.tui.textual_private import driver_app, hook_web_driver_writes

    assert "self._write = " in inspect.getsource(WebDriver.__init__)
    assert "self._app = " in inspect.getsource(Driver.__init__)

    class _Fake:
        def __init__(self) -> None:
            self._app, self.sent = object(), []
            self._write = self.sent.append

    fake = _Fake()
    written = []
    textuals = hook_web_driver_writes(fake, lambda data: (written.append(data), textuals(data)))
    fake._write(b"packet")
    assert written == [b"packet"] and fake.sent == [b"packet"] and driver_app(fake) is fake._app
