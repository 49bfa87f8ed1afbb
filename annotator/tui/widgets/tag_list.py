"""The open article's tags beside it: one line each, up/down to move, enter (or a click) to
jump to a tag in the text.

A Line-API scroll view with its lines drawn once: Textual's ``OptionList`` builds a Visual,
measures and pads every option again for every article opened (bench/notes.md, "Why the code is shaped so").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip

from ...normalize import clean_line
from .cached import CURSOR_BINDINGS, SteadyScrollView
from .untrusted import safe

if TYPE_CHECKING:
    from ...codebook import Codebook
    from ...models import Annotation


class TagList(SteadyScrollView, can_focus=True):
    """Rows of (tag id, line); ``Chosen`` when one is picked."""

    BINDINGS = [
        *CURSOR_BINDINGS,
        Binding("enter", "choose", "Jump to tag", show=False),
    ]
    DEFAULT_CSS = """
    TagList { height: 10; scrollbar-gutter: stable; }
    """

    highlighted: reactive[int | None] = reactive(None, repaint=False)

    @dataclass
    class Chosen(Message):
        tag_id: str

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._rows: list[tuple[str, Text]] = []
        self._strips: dict[tuple, Strip] = {}

    def show(self, tags: Iterable[Annotation], codebook: Codebook, current: str | None = None) -> None:
        """One line per span tag, in text order: its label's name (in its colour; a label the
        codebook no longer has says so), quote, voice, whether it came from a suggestion, its
        note; ``current`` (a tag's uuid) is marked."""
        names = self._names_of(codebook)
        rows = []
        for t in sorted((t for t in tags if t.start is not None), key=lambda t: (t.start, t.end)):
            label = codebook.label(t.category, t.label)
            line = Text(no_wrap=True, overflow="ellipsis")
            line.append_text(safe(names.label(t.category, t.label), style=(label.color if label else "red")))
            line.append(" ")
            line.append_text(safe(clean_line(t.quote or "")[:40], style="italic"))
            voice = t.attributes.get("voice")
            if voice:
                line.append(" (")
                line.append_text(safe(names.attribute_value("voice", voice), style="dim"))
                line.append(")")
            if t.origin == "suggestion":
                line.append(" ★", style="dim")
            if t.note:
                line.append(" ✎ ", style="dim")
                line.append_text(safe(clean_line(t.note)[:40], style="dim"))
            if t.uuid == current:
                line.stylize("bold")
                line = Text("▶ ", style="bold") + line
            else:
                line = Text("  ") + line
            rows.append((t.uuid, line))
        self.set_rows(rows)

    _names: tuple[object, object] = (None, None)

    def _names_of(self, codebook: Codebook):  # type: ignore[no-untyped-def]
        """The codebook's names for ids (kept while the codebook is the same)."""
        if self._names[0] is not codebook:
            from ...readouts.naming import Names  # (once tags are shown: it imports the codebook)

            self._names = (codebook, Names(codebook))
        return self._names[1]

    def set_rows(self, rows: list[tuple[str, Text]]) -> None:
        """The tags to show: (id, line), in order."""
        self._rows = rows
        self._strips.clear()
        self.set_reactive(TagList.highlighted, 0 if rows and self.has_focus else None)
        self.set_scroll(None, 0)
        width = self.scrollable_content_region.width or self.size.width
        if Size(width, len(rows)) != self.virtual_size:
            self.virtual_size = Size(width, len(rows))
            self.sync_scroll_bars()
        self.refresh()

    @property
    def row_count(self) -> int:
        return len(self._rows)

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        base = self.visual_style.rich_style
        if not 0 <= index < len(self._rows):
            return Strip.blank(width, base)
        highlighted = index == self.highlighted and self.has_focus
        key = (index, width, highlighted)
        strip = self._strips.get(key)
        if strip is None:
            _, line = self._rows[index]
            text = line.copy()
            text.no_wrap, text.overflow, text.end = True, "ellipsis", ""
            text.truncate(width, overflow="ellipsis", pad=True)
            extra = Style(reverse=True) if highlighted else Style()
            segments = [Segment(s.text, base + (s.style or Style()) + extra) for s in text.render(self.app.console)]
            strip = self._strips[key] = Strip(segments).crop(0, width)
        return strip

    def watch_highlighted(self, old: int | None, new: int | None) -> None:
        for index in (old, new):
            if index is not None:
                self.refresh_lines(index)
        if new is not None:
            top, height = self.scroll_offset.y, self.scrollable_content_region.height
            if new < top:
                self.scroll_to(y=new, animate=False)
            elif new >= top + height:
                self.scroll_to(y=new - height + 1, animate=False)

    def action_move(self, step: int) -> None:
        if self._rows:
            current = self.highlighted if self.highlighted is not None else -1 if step > 0 else len(self._rows)
            self.highlighted = max(0, min(len(self._rows) - 1, current + step))

    def action_choose(self) -> None:
        if self.highlighted is not None and 0 <= self.highlighted < len(self._rows):
            self.post_message(self.Chosen(self._rows[self.highlighted][0]))

    def on_click(self, event) -> None:
        index = self.scroll_offset.y + event.y
        if 0 <= index < len(self._rows):
            self.highlighted = index
            self.action_choose()

    def on_focus(self) -> None:
        if self.highlighted is None and self._rows:
            self.highlighted = 0
        self._strips.clear()
        self.refresh()

    def on_blur(self) -> None:
        self._strips.clear()
        self.refresh()

    def notify_style_update(self) -> None:
        self._strips.clear()
        super().notify_style_update()
