"""The side pane's tab line on small terminals: which of the outlet card, the tags and the
article questions is shown, and the key that switches (a click on a name switches too).

Below :data:`COMPACT_WIDTH` columns or :data:`COMPACT_HEIGHT` rows the side pane shows one
of its three parts at a time (the CSS classes ``-pane-card``, ``-pane-tags`` and
``-pane-questions`` on the pane say which); on larger terminals all three are stacked and
this line is hidden.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.message import Message
from textual.widgets import Static

COMPACT_WIDTH = 100
COMPACT_HEIGHT = 45
PANES = ("card", "tags", "questions")
PANE_NAMES = {"card": "Outlet", "tags": "Tags", "questions": "Questions"}
SHORT_NAMES = {"card": "Outlet", "tags": "Tags", "questions": "Qs"}


class SideTabs(Static):
    """One line: the three parts' names (the shown one highlighted, each with a count)."""

    DEFAULT_CSS = """
    SideTabs { height: 1; }
    """

    @dataclass
    class Switch(Message):
        pane: str

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._spans: list[tuple[int, int, str]] = []
        self._shown: tuple | None = None

    def show(self, current: str, counts: dict[str, str], key: str) -> None:
        """Highlight ``current``; ``counts`` adds a short count after a name ("3", "2/12")."""
        state = (current, tuple(sorted(counts.items())), key, self.size.width)
        if state == self._shown:
            return
        self._shown = state
        for names, with_key in ((PANE_NAMES, True), (PANE_NAMES, False), (SHORT_NAMES, False)):
            line, spans = self._line(current, counts, names, key if with_key else "")
            if line.cell_len <= (self.size.width or 1000):
                break
        self._spans = spans
        self.update(line)

    @staticmethod
    def _line(current: str, counts: dict[str, str], names: dict[str, str], key: str) -> tuple[Text, list]:
        line = Text(no_wrap=True, overflow="ellipsis")
        spans = []
        for pane in PANES:
            if line:
                line.append("│", style="dim")
            start = line.cell_len
            name = names[pane] + (f" {counts[pane]}" if counts.get(pane) else "")
            line.append(f" {name} ", style="bold reverse" if pane == current else "")
            spans.append((start, line.cell_len, pane))
        if key:
            line.append(f" {key}: next", style="dim")
        return line, spans

    def on_resize(self) -> None:
        if self._shown is not None:
            current, counts, key, _ = self._shown
            self.show(current, dict(counts), key)

    def on_click(self, event) -> None:
        for start, end, pane in self._spans:
            if start <= event.x < end:
                self.post_message(self.Switch(pane))
                return
