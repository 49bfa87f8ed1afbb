"""How the review screen draws an article's review: every annotator's tags in their colour
(agreed places grey, gold underlined, the disagreement in hand reversed), the legend, and
the list of disagreements with each annotator's version."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.style import Style
from rich.text import Text
from textual.containers import VerticalScroll

from ...widgets.article_view import Paint
from ...widgets.cached import update_static
from ...widgets.untrusted import safe

if TYPE_CHECKING:
    from ....team.review import Item, Review

# one background per annotator (in the order of the legend); gold tags are underlined
AGREED_COLOUR = "grey30"  # a place every annotator tagged alike
ANNOTATOR_COLOURS = ("#1f5f8b", "#7b3f8c", "#8a6d0b", "#2e7d4f", "#9c3d2e", "#3f5f9c", "#6b6b2e", "#8c3f5f", "#2e6b6b")


class ReviewDrawing:
    """Mixin of :class:`~.review.ReviewScreen`: drawing from its state."""

    # (the screen's: see .review.ReviewScreen)
    review: Review | None
    article: Any
    order: list[str]
    ordered: bool
    current: int
    showing: str
    reviewer: str
    names: Any
    column: Any
    title_line: Any
    legend: Any
    items: Any
    hint: Any

    def colour(self, annotator: str) -> str:
        names = self.review.annotators if self.review else ()
        return ANNOTATOR_COLOURS[names.index(annotator) % len(ANNOTATOR_COLOURS)] if annotator in names else "grey37"

    def _draw(self, jump: bool = False) -> None:
        review, article = self.review, self.article
        if review is None or article is None:
            return
        place = self.order.index(article.id) + 1 if article.id in self.order else 0
        update_static(self.title_line, Text.assemble(
            ("Review ", "bold"), f"article {place} of {len(self.order)}{'' if self.ordered else '+ (counting the rest…)'} · ", (review.status, "bold"),
            f" · {len(review.left)} of {len(review.disagreements)} disagreement(s) left · reviewer ",
            safe(self.reviewer), "" if self.showing == "all" else f" · ] and [ go through the {self.showing}",
            no_wrap=True, overflow="ellipsis"))
        paints = []
        current = self._item()
        for item in review.items:  # agreed places in grey, so the disagreements stand out in their colours
            for version in item.versions:
                for t in version.tags:
                    if t.start is not None and t.end is not None:
                        colour = AGREED_COLOUR if item.agreed else self.colour(t.annotator)
                        paints.append(Paint(t.start, t.end, Style(bgcolor=colour, color="white")))
        gold = [Paint(t.start, t.end, Style(underline=True, bold=True))  # type: ignore[arg-type]
                for item in review.items for t in item.gold if t.start is not None]
        if current is not None and current.start is not None:
            gold.append(Paint(current.start, current.end, Style(reverse=True)))  # type: ignore[arg-type]
        self.column.view.set_paints(paints + gold)
        self.column.say(self._item_line(current))
        self._draw_side()
        self._hint()
        if jump and current is not None and current.start is not None:
            self.column.view.select_range(current.start, current.start)
            self.column.view.scroll_cursor_visible(center=True)

    def _item_line(self, item: Item | None) -> Text:
        if item is None:
            return Text("no disagreement here" if self.review and self.review.items else "no tags", style="dim")
        number = self.review.disagreements.index(item) + 1 if self.review else 0
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(f"{number}/{len(self.review.disagreements) if self.review else 0} ", style="bold")
        line.append_text(safe(item.problem or "", style="yellow"))
        if item.settled:
            line.append(f"  settled: {item.decision}", style="green")
        return line

    def _draw_side(self) -> None:
        review = self.review
        assert review is not None
        legend = Text(no_wrap=True, overflow="ellipsis")
        for number, name in enumerate(review.annotators, 1):
            legend.append(f" {number} ", style=Style(bgcolor=self.colour(name), color="white", bold=True))
            legend.append(" ")
            legend.append_text(safe(name))
            legend.append("  ")
        legend.append("\n")
        legend.append("gold", style=Style(underline=True, bold=True))
        legend.append(": the reviewer's decisions · ", style="dim")
        legend.append("grey", style=Style(bgcolor=AGREED_COLOUR, color="white"))
        legend.append(": agreed · reversed: the disagreement in hand", style="dim")
        update_static(self.legend, legend)
        lines = Text(no_wrap=True, overflow="ellipsis")
        agreed = [i for i in review.items if i.agreed]
        waiting = sum(1 for i in agreed if not i.settled)
        lines.append(f"{len(agreed)} agreed item(s), {waiting} not in gold yet (a: accept them)\n\n", style="dim")
        current = self._item()
        current_line = 0
        for number, item in enumerate(review.disagreements, 1):
            if item is current:
                current_line = lines.plain.count("\n")
            mark = "▶ " if item is current else "  "
            lines.append(mark, style="bold")
            lines.append(f"{number}. ", style="bold")
            lines.append_text(self._where(item))
            lines.append("\n     ")  # (on a line of its own: read on narrow terminals too)
            lines.append_text(safe(item.problem or "", style="yellow"))
            if item.settled:
                lines.append(f"  ✓ {item.decision}", style="green")
                if item.reason:
                    lines.append_text(safe(f" ({item.reason})", style="dim"))
            lines.append("\n")
            for k, version in enumerate(item.versions, 1):
                lines.append(f"     {k} ", style=Style(bgcolor=self.colour(version.annotator), color="white"))
                lines.append(" ")
                lines.append_text(self._version_text(version.tags))
                lines.append("\n")
            if item.gold:
                lines.append("     gold ", style=Style(underline=True, bold=True))
                lines.append_text(self._version_text(item.gold))
                lines.append("\n")
        if not review.disagreements:
            lines.append("The annotators agree on everything here.", style="green")
        update_static(self.items, lines)
        side = self.query_one("#review-side", VerticalScroll)
        side.scroll_to(y=max(current_line + 3 - side.size.height // 3, 0), animate=False)  # (legend: 3 lines)

    def _where(self, item: Item) -> Text:
        if item.kind == "question" and item.category is not None:
            return safe(self.names.category(item.category), style="bold")
        assert self.article is not None and item.start is not None and item.end is not None
        quote = self.article.text[item.start:item.end]
        return safe(f"“{quote[:40]}{'…' if len(quote) > 40 else ''}”", style="bold")

    def _version_text(self, tags) -> Text:
        if not tags:
            return Text("— nothing", style="dim")
        parts = []
        for t in tags:
            label = self.names.label(t.category, t.label)
            voice = t.attributes.get("voice")
            span = f"“{t.quote[:30]}{'…' if len(t.quote) > 30 else ''}” " if t.quote else ""
            parts.append(f"{span}{label}" + (f" ({voice})" if voice else ""))
        return safe("; ".join(parts))

    def _hint(self) -> None:
        hint = ("n/p: disagreements · 1-9: accept that annotator's version · x: reject · t: own tag · "
                "l: relabel gold · a: accept agreed · r: reason · f: filter · ctrl+z: undo · ]: next article")
        update_static(self.hint, Text(hint, style="dim"))

    def _item(self) -> Item | None:
        if self.review is None or not self.review.disagreements:
            return None
        return self.review.disagreements[min(self.current, len(self.review.disagreements) - 1)]

