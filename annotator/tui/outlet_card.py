"""The outlet card beside the article: what is known about its publisher (and original source).

A Line-API scroll view: its size comes from the layout, never from the card, so showing
another outlet's card redraws the card and its scroll bar and lays nothing out again
(a height-``auto`` widget in a scrolling container made every new card a second layout
of the whole screen). Cards are drawn once per width (:class:`.cached.CachedRichVisual`)
and the app keeps the last ones, so the same outlet's card costs nothing to show again.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import RenderOptions

from .cached import CachedRichVisual, SteadyScrollView


class OutletCard(SteadyScrollView, can_focus=True):
    """Shows one card (a :class:`CachedRichVisual`); arrows and page keys scroll it when focused."""

    DEFAULT_CSS = """
    OutletCard { height: 1fr; scrollbar-gutter: stable; }
    """
    BINDINGS = [
        Binding("up", "scroll_up", "Scroll up", show=False),
        Binding("down", "scroll_down", "Scroll down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home", "scroll_home", "Top", show=False),
        Binding("end", "scroll_end", "Bottom", show=False),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._parts: tuple[CachedRichVisual, ...] = ()
        self._joined: tuple[object, list[Strip]] = (None, [])

    def show(self, parts: tuple[CachedRichVisual, ...]) -> None:
        """Show the card made of these parts (one under the other), from its top."""
        if parts == self._parts:
            return
        self._parts = parts
        self.set_scroll(None, 0)
        self._size_to_card()
        self.refresh()

    def prepare(self, part: CachedRichVisual) -> None:
        """Draw a part now at the present width, to be shown later at no cost."""
        width = self.scrollable_content_region.width
        if width > 0:
            part.render_strips(width, None, self.visual_style, RenderOptions(self._get_style, self.styles))

    def _strips(self) -> list[Strip]:
        width = self.scrollable_content_region.width
        if not self._parts or width <= 0:
            return []
        style = self.visual_style
        key = (self._parts, width, style)
        if self._joined[0] != key:
            options = RenderOptions(self._get_style, self.styles)
            self._joined = (key, [strip for part in self._parts for strip in part.render_strips(width, None, style, options)])
        return self._joined[1]

    def _size_to_card(self) -> None:
        width = self.scrollable_content_region.width
        if width > 0:
            virtual_size = Size(width, len(self._strips()))
            if virtual_size != self.virtual_size:
                self.virtual_size = virtual_size
                self.sync_scroll_bars()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        strips = self._strips()
        index = self.scroll_offset.y + y
        style = self.visual_style.rich_style
        if 0 <= index < len(strips):
            return strips[index].extend_cell_length(width, style).crop(0, width)
        return Strip.blank(width, style)

    def on_resize(self) -> None:
        self._size_to_card()
