"""Keeping what is slow to draw: a rich renderable drawn once per width, and Static
updates that lay the screen out again only when the widget's height changes.

Moving to the next article changes a few widgets' content but rarely their size.
Textual lays the whole screen out again for every ``Static.update`` (and every
height-``auto`` widget measures its content for that), then redraws what moved;
the outlet card's rich ``Table`` grid was the costliest of those redraws.
"""

from __future__ import annotations

from rich.console import RenderableType
from rich.text import Text
from textual.content import Content
from textual.binding import Binding
from textual.scroll_view import ScrollView
from textual.visual import RenderOptions, RichVisual, Style, Visual, visualize
from textual.widgets import Static

from ..textual_private import SteadyScrollBars, render_options


class CachedRichVisual(RichVisual):
    """A rich renderable whose lines are kept per (width, style): shown again (the same
    outlet's card on another article) it costs nothing to draw or to measure."""

    def __init__(self, widget, renderable: RenderableType) -> None:
        super().__init__(widget, renderable)
        self.owner = widget
        self._heights: dict[int, int] = {}
        self._strips: dict[tuple, list] = {}

    def get_height(self, rules, width: int) -> int:
        height = self._heights.get(width)
        if height is None:  # drawn once to be measured: the drawing is kept for render_strips
            strips = self.render_strips(width, None, self.owner.visual_style, render_options(self.owner))
            height = self._heights[width] = len(strips)
        return height

    def render_strips(self, width: int, height: int | None, style: Style, options: RenderOptions) -> list:
        if options.selection is not None:  # a selection in the card: drawn as it is now
            return super().render_strips(width, height, style, options)
        key = (width, height, style)
        strips = self._strips.get(key)
        if strips is None:
            if height is not None and (width, None, style) in self._strips:
                strips = self._strips[(width, None, style)][:height]
            else:
                strips = super().render_strips(width, height, style, options)
            if len(self._strips) > 8:  # a few widths (with and without a scroll bar) and themes
                self._strips.clear()
            self._strips[key] = strips
            if height is None:
                self._heights.setdefault(width, len(strips))
        return strips


def update_static(widget: Static, content: RenderableType | Content | Visual) -> None:
    """``widget.update(content)``, laying the screen out again only when the widget's height
    changes (a height-``auto`` Static otherwise asks for a layout of the whole screen)."""
    if isinstance(content, Text) and getattr(widget, "_annotator_text", None) == content:
        return  # the same text (the title of the tags, the bar at the top, on most moves)
    widget._annotator_text = content.copy() if isinstance(content, Text) else None  # type: ignore[attr-defined]
    visual = visualize(widget, content, markup=False)
    width = widget.content_size.width
    shape = (width, visual.get_height(widget.styles, width)) if width and widget.is_mounted else None
    before = getattr(widget, "_annotator_shape", None)
    widget._annotator_shape = shape  # type: ignore[attr-defined]
    widget.update(visual, layout=shape is None or shape != before)


class SteadyScrollView(SteadyScrollBars, ScrollView):
    """A Line-API scroll view whose scroll bars are redrawn only when its size or its content's changes."""


# The keys of a list with a cursor (the article list, the tag list): up/down move it, home/end go
# to the first/last row, enter chooses the row (what it does is the list's own "choose").
CURSOR_BINDINGS = [
    Binding("up", "move(-1)", "Up", show=False),
    Binding("down", "move(1)", "Down", show=False),
    Binding("home", "move(-1000000000)", "First", show=False),
    Binding("end", "move(1000000000)", "Last", show=False),
]
