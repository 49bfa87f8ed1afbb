"""How tags and lexicon suggestions are drawn in an article, the same on every screen: a tag
on its label's colour, a suggestion underlined in the colour of the side its variant
signals, a quoted one (a source's words, not the outlet's) in italics and dim."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich.color import Color
from rich.style import Style

from .article_view import Paint

if TYPE_CHECKING:
    from ...codebook import Codebook
    from ...models import Annotation

ALIGNMENT_COLOURS = {"kremlin": "red", "ukraine-west": "dodger_blue1", "neutral": "grey70"}


def readable_on(colour: str) -> str:
    """Black or white, whichever reads better on a background of ``colour``."""
    try:
        r, g, b = Color.parse(colour).get_truecolor()
    except Exception:
        return "black"
    return "black" if (0.299 * r + 0.587 * g + 0.114 * b) > 110 else "white"


def alignment_colour(alignment: str) -> str:
    """The colour of a variant's side (kremlin, ukraine-west, neutral); yellow for another."""
    return ALIGNMENT_COLOURS.get(alignment, "yellow")


class Highlights:
    """The styles of tags and suggestions, each made once (a long article has thousands)."""

    def __init__(self) -> None:
        self._styles: dict[tuple, Style] = {}

    def _made(self, key: tuple, make) -> Style:
        style = self._styles.get(key)
        if style is None:
            style = self._styles[key] = make()
        return style

    def suggestion(self, alignment: str, quoted: bool = False, chosen: bool = False) -> Style:
        """A lexicon suggestion; ``quoted``: inside a quotation; ``chosen``: of the concept being followed."""
        def make() -> Style:
            colour = alignment_colour(alignment)
            if chosen:
                return Style(bgcolor=colour, color=readable_on(colour), bold=True if not quoted else None,
                             italic=True if quoted else None)
            return Style(underline=True, italic=True, color=colour, dim=True if quoted else None)

        return self._made(("suggestion", alignment, quoted, chosen), make)

    def tag(self, colour: str, current: bool = False) -> Style:
        """A tag on its label's colour; the current one bold and underlined."""
        def make() -> Style:
            style = Style(bgcolor=colour, color=readable_on(colour))
            return style + Style(bold=True, underline=True) if current else style

        return self._made(("tag", colour, current), make)

    def tags(self, tags: Iterable[Annotation], codebook: Codebook, current: str | None = None) -> list[Paint]:
        """Each span tag in its label's colour (yellow for a label the codebook no longer has),
        the ``current`` one (a tag's uuid) last, so it is drawn on top."""
        paints: list[Paint] = []
        on_top: list[Paint] = []
        for t in tags:
            if t.start is None or t.end is None:
                continue
            label = codebook.label(t.category, t.label)
            is_current = current is not None and t.uuid == current
            (on_top if is_current else paints).append(
                Paint(t.start, t.end, self.tag(label.color if label else "yellow", is_current)))  # type: ignore[arg-type]
        return paints + on_top
