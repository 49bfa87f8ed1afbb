"""The outlet card beside the article: what is known about its publisher (and original source).

A Line-API scroll view: its size comes from the layout, never from the card, so showing
another outlet's card redraws the card and its scroll bar and lays nothing out again
(a height-``auto`` widget in a scrolling container made every new card a second layout
of the whole screen). Cards are drawn once per width (:class:`.cached.CachedRichVisual`)
and the app keeps the last ones, so the same outlet's card costs nothing to show again.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING

from rich.console import RenderableType
from rich.text import Text
from textual.geometry import Size
from textual.strip import Strip

from ..textual_private import render_options
from .cached import CachedRichVisual, SteadyScrollView
from .untrusted import safe

if TYPE_CHECKING:
    from ...models import Article, Outlet

Part = tuple[object, Callable[[], RenderableType]]  # (key, make): a part of the card, made once per key


class OutletCard(SteadyScrollView, can_focus=True):
    """Shows one card (a :class:`CachedRichVisual`); arrows and page keys scroll it when focused."""

    DEFAULT_CSS = """
    OutletCard { height: 1fr; scrollbar-gutter: stable; }
    """
    # its keys (up/down, pageup/pagedown, home/end scroll it) are Textual's scroll view's own

    KEPT = 64  # parts kept drawn (each outlet's grid, the headings)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._parts: tuple[CachedRichVisual, ...] = ()
        self._joined: tuple[object, list[Strip]] = (None, [])
        self._kept: OrderedDict[object, CachedRichVisual] = OrderedDict()
        self._shown_key: object = None

    def show_outlets(self, article: Article | None, publisher: Outlet | None, original: Outlet | None) -> None:
        """The card of an article's publisher and, where it differs, of its original source (an outlet
        not in the registry, or none given, says so). Drawn again only when the outlets change; each
        part is kept drawn, so an outlet seen before costs nothing to show again."""
        key = None if article is None else (
            article.publisher, article.original_source, "original_source" in article.unverified,
            publisher.model_dump_json() if publisher is not None else None,
            original.model_dump_json() if original is not None else None)
        if key == self._shown_key:
            return
        self._shown_key = key
        self._show_parts(tuple(self._part(k, make) for k, make in _card_parts(article, publisher, original)))

    def prepare_outlets(self, outlets: Iterable[Outlet]) -> None:
        """Draw these outlets' grids now (once the session is open), so that no "next article" waits
        for a card's table layout."""
        for number, outlet in enumerate(outlets):
            if number >= self.KEPT // 2:
                break
            self._prepare(self._part(*_grid(outlet)))

    def _part(self, key: object, make: Callable[[], RenderableType]) -> CachedRichVisual:
        """One part of the card, drawn once and kept (the last :data:`KEPT`)."""
        part = self._kept.pop(key, None)
        if part is None:
            part = CachedRichVisual(self, make())
        self._kept[key] = part
        while len(self._kept) > self.KEPT:
            self._kept.popitem(last=False)
        return part

    def _show_parts(self, parts: tuple[CachedRichVisual, ...]) -> None:
        """Show the card made of these parts (one under the other), from its top."""
        if parts == self._parts:
            return
        self._parts = parts
        self.set_scroll(None, 0)
        self._size_to_card()
        self.refresh()

    def _prepare(self, part: CachedRichVisual) -> None:
        """Draw a part now at the present width, to be shown later at no cost."""
        width = self.scrollable_content_region.width
        if width > 0:
            part.render_strips(width, None, self.visual_style, render_options(self))

    def _strips(self) -> list[Strip]:
        width = self.scrollable_content_region.width
        if not self._parts or width <= 0:
            return []
        style = self.visual_style
        key = (self._parts, width, style)
        if self._joined[0] != key:
            options = render_options(self)
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


def _grid(outlet: Outlet) -> Part:
    from ...readouts.render import outlet_card_grid

    return ("grid", outlet.model_dump_json()), partial(outlet_card_grid, outlet)


def _unknown(outlet_id: str) -> Part:
    return ("unknown", outlet_id), lambda: Text.assemble(
        safe(outlet_id, style="bold"), ("\nNot in the outlet registry: nothing is known about it yet.", "dim"))


def _card_parts(article: Article | None, publisher: Outlet | None, original: Outlet | None) -> list[Part]:
    """The publisher's card and, where it differs, the original source's: (key, make) per part."""
    if article is None:
        return [(("text", ""), Text)]
    parts: list[Part] = [(("head", "publisher"), lambda: Text(" Publisher ", style="bold reverse"))]
    if publisher is not None:
        parts.append(_grid(publisher))
    elif article.publisher:
        parts.append(_unknown(article.publisher))
    else:
        parts.append((("no publisher",), lambda: Text.assemble(
            ("unknown", "bold italic"), ("\nThe import did not say where this article was published.", "dim"))))
    if article.original_source and article.original_source != article.publisher:
        unverified = "original_source" in article.unverified

        def head() -> Text:
            text = Text("\n")
            text.append(" Original source ", style="bold reverse")
            if unverified:
                text.append(" (unverified)", style="yellow")
            return text

        parts.append((("head", "original", unverified), head))
        parts.append(_grid(original) if original is not None else _unknown(article.original_source))
    return parts
