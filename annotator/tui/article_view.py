"""The article text: a read-only, selectable TextArea that paints tags and suggestions.

Offsets in and out are code-point offsets into the canonical text (the text is
normalized at import, so Textual's Document keeps it as it is).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual.widgets import TextArea
from textual.widgets.text_area import Selection


@dataclass(frozen=True)
class Paint:
    """A styled range of the text."""

    start: int
    end: int
    style: Style


class ArticleView(TextArea):
    """Shows one article; never edits it. Tags and suggestions are drawn as styles."""

    DEFAULT_CSS = """
    ArticleView { border: none; padding: 0 1; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__("", read_only=True, soft_wrap=True, show_line_numbers=False,
                         highlight_cursor_line=False, **kwargs)
        self._line_starts: list[int] = [0]
        self._paints: list[Paint] = []
        self._paint_starts: list[int] = []
        self._longest = 0

    def show_text(self, text: str) -> None:
        """Replace the text (and clear the paints)."""
        self._paints, self._paint_starts, self._longest = [], [], 0
        self.load_text(text)
        starts = [0]
        position = text.find("\n")
        while position != -1:
            starts.append(position + 1)
            position = text.find("\n", position + 1)
        self._line_starts = starts
        self.selection = Selection.cursor((0, 0))
        self.scroll_home(animate=False)

    def set_paints(self, paints: list[Paint]) -> None:
        """Draw these ranges (tags, suggestions, the current tag) from now on."""
        self._paints = sorted(paints, key=lambda p: p.start)
        self._paint_starts = [p.start for p in self._paints]
        self._longest = max((p.end - p.start for p in self._paints), default=0)
        self._line_cache.clear()
        self.refresh()

    # -- offsets -------------------------------------------------------------------

    def offset_of(self, location: tuple[int, int]) -> int:
        """Code-point offset of a (row, column) location (O(1) with cached line starts)."""
        row, column = location
        return self._line_starts[min(row, len(self._line_starts) - 1)] + column

    def location_of(self, offset: int) -> tuple[int, int]:
        row = bisect.bisect_right(self._line_starts, offset) - 1
        return row, offset - self._line_starts[row]

    @property
    def selected_range(self) -> tuple[int, int]:
        """The selection as (start, end) offsets, start <= end."""
        a, b = (self.offset_of(loc) for loc in self.selection)
        return (a, b) if a <= b else (b, a)

    @property
    def cursor_offset(self) -> int:
        return self.offset_of(self.selection.end)

    def select_range(self, start: int, end: int) -> None:
        """Select ``text[start:end]`` and scroll it into view."""
        self.selection = Selection(self.location_of(start), self.location_of(end))
        self.scroll_cursor_visible(center=True, animate=False)

    # -- drawing -------------------------------------------------------------------

    def get_line(self, line_index: int) -> Text:
        line = super().get_line(line_index)
        if not self._paints:
            return line
        line_start = self._line_starts[line_index]
        line_end = line_start + len(line.plain)
        first = bisect.bisect_left(self._paint_starts, line_start - self._longest)
        last = bisect.bisect_right(self._paint_starts, line_end)
        for paint in self._paints[first:last]:
            if paint.end <= line_start or paint.start > line_end:
                continue
            start = max(paint.start, line_start) - line_start
            end = min(paint.end, line_end) - line_start
            if end > start:
                line.stylize(paint.style, start, end)
        return line
