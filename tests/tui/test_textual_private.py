"""What the TUI relies on in Textual's private APIs (annotator/tui/textual_private.py): a
Textual upgrade that changes one of them fails here first."""

from __future__ import annotations

import inspect
import random

from textual.scroll_view import ScrollView

from annotator.tui.widgets.article_view import simple_wrap_offsets
from annotator.tui.textual_private import cell_len, compute_wrap_offsets, get_tab_widths, normalize_key_list


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
