"""The article list: a Line-API scroll view that holds only the pages it shows.

It never touches the database: when a row it must draw is missing it posts
:class:`ArticleList.NeedPage`, and the app's worker answers with
:meth:`ArticleList.set_page` (Toolong's pattern, with Harlequin's split of I/O
and widgets).
"""

from __future__ import annotations

from dataclasses import dataclass

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

PAGE_SIZE = 100
ROW_HEIGHT = 2  # title; outlet, date and tags
STATUS_MARKS = {"new": "·", "in progress": "◐", "done": "✓"}


@dataclass(frozen=True)
class ListRow:
    """What the list shows of one article."""

    id: str
    title: str
    outlet: str
    status: str
    tags: int
    published: str = ""


class ArticleList(SteadyScrollView, can_focus=True):
    """All articles that pass the filters, paged in on demand."""

    BINDINGS = [
        *CURSOR_BINDINGS,
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("enter", "choose", "Open", show=True),
    ]
    DEFAULT_CSS = """
    ArticleList { height: 1fr; }
    """

    cursor: reactive[int] = reactive(0, always_update=True, repaint=False)  # watch_cursor draws the two rows

    @dataclass
    class NeedPage(Message):
        """Rows from ``offset`` (a page) are needed."""

        offset: int

    @dataclass
    class Chosen(Message):
        """The user opened an article."""

        article_id: str
        index: int | None = None  # its place in the list

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.total = 0
        self.generation = 0  # bumps when the filters change; stale pages are ignored
        self._rows: dict[int, ListRow] = {}
        self._requested: set[int] = set()
        self._current_id: str | None = None
        self._strips: dict[tuple[int, int], tuple[tuple, Strip]] = {}  # (row, part) -> (what it shows, strip)
        self._drawn_cursor = 0

    @property
    def current_id(self) -> str | None:
        """The open article (its title is drawn in bold)."""
        return self._current_id

    @current_id.setter
    def current_id(self, article_id: str | None) -> None:
        if article_id != self._current_id:
            for index, row in self._rows.items():
                if row.id in (article_id, self._current_id):
                    self._refresh_row(index)
            self._current_id = article_id

    def _refresh_row(self, index: int) -> None:
        """Draw one row again (not the whole list: moving to the next article changes two rows)."""
        self.refresh_lines(index * ROW_HEIGHT, ROW_HEIGHT)

    def reset(self, total: int) -> None:
        """Forget all rows: the filters changed and there are now ``total`` articles."""
        self.generation += 1
        self.total = total
        self._rows.clear()
        self._strips.clear()
        self._requested.clear()
        self.virtual_size = Size(self.size.width, total * ROW_HEIGHT)
        self.cursor = min(self.cursor, max(total - 1, 0))
        self.refresh()

    def set_page(self, generation: int, offset: int, rows: list[ListRow]) -> None:
        """Rows answered by the app for a :class:`NeedPage` request."""
        if generation != self.generation:
            return
        for number, row in enumerate(rows):
            self._rows[offset + number] = row
        if len(self._rows) > PAGE_SIZE * 20:  # keep memory flat on huge lists
            keep = range(max(0, self.cursor - PAGE_SIZE * 5), self.cursor + PAGE_SIZE * 5)
            self._rows = {k: v for k, v in self._rows.items() if k in keep}
            self._strips = {k: v for k, v in self._strips.items() if k[0] in keep}
            self._requested = {p for p in self._requested if p in keep}
        self.refresh_lines(offset * ROW_HEIGHT, len(rows) * ROW_HEIGHT)

    def update_row(self, article_id: str, **changes) -> None:
        """Change a shown row in place (e.g. its status after "done")."""
        for index, row in self._rows.items():
            if row.id == article_id:
                new = ListRow(**{**row.__dict__, **changes})
                if new != row:
                    self._rows[index] = new
                    self._refresh_row(index)

    def row_at(self, index: int) -> ListRow | None:
        return self._rows.get(index)

    def render_line(self, y: int) -> Strip:
        line = self.scroll_offset.y + y
        index, part = divmod(line, ROW_HEIGHT)
        width = self.size.width
        if index >= self.total:
            return Strip.blank(width)
        row = self._rows.get(index)
        if row is not None:
            shows = (row, width, index == self.cursor, self.has_focus and index == self.cursor, row.id == self._current_id)
            kept = self._strips.get((index, part))
            if kept is not None and kept[0] == shows:
                return kept[1]
        if row is None:
            page = index - index % PAGE_SIZE
            if page not in self._requested:
                self._requested.add(page)
                # posted from this widget's own context: during rendering the screen is the
                # active pump, and a message "sent" by the screen would stop bubbling there
                self.call_later(lambda: self.post_message(self.NeedPage(page)))
            return Strip([Segment(("…" if part == 0 else "").ljust(width), Style(dim=True))])
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        if part == 0:  # the status mark and the title
            text.append(f"{STATUS_MARKS.get(row.status, '?')} ", style="bold green" if row.status == "done" else "")
            text.append(clean_line(row.title))
            if row.id == self.current_id:
                text.stylize("bold")
        else:  # the outlet, the date, this annotator's tags
            text.append("  ")
            text.append(clean_line(row.outlet), style="cyan")
            details = [clean_line(row.published)] if row.published else []
            if row.tags:
                details.append(f"{row.tags} tag{'' if row.tags == 1 else 's'}")
            if details:
                text.append(" · " + " · ".join(details), style="dim")
        style = Style(reverse=True) if index == self.cursor and self.has_focus else (
            Style(bgcolor="grey23") if index == self.cursor else Style())
        text.truncate(width, pad=True)
        segments = [Segment(s.text, (s.style or Style()) + style) for s in text.render(self.app.console)]
        strip = Strip(segments).crop(0, width)
        self._strips[(index, part)] = (shows, strip)
        return strip

    def watch_cursor(self, cursor: int) -> None:
        top, height = cursor * ROW_HEIGHT, self.size.height
        if top < self.scroll_offset.y:
            self.scroll_to(y=top, animate=False)
        elif top + ROW_HEIGHT > self.scroll_offset.y + height:
            # a third of a page at once: moving article by article scrolls every few articles, not at each
            self.scroll_to(y=top + ROW_HEIGHT - height + (height // 3) // ROW_HEIGHT * ROW_HEIGHT, animate=False)
        if cursor != self._drawn_cursor:
            self._refresh_row(self._drawn_cursor)
            self._refresh_row(cursor)
            self._drawn_cursor = cursor

    def action_move(self, delta: int) -> None:
        if self.total:
            self.cursor = max(0, min(self.total - 1, self.cursor + delta))

    def action_page(self, direction: int) -> None:
        self.action_move(direction * max(1, self.size.height // ROW_HEIGHT - 1))

    def action_choose(self) -> None:
        row = self._rows.get(self.cursor)
        if row is not None:
            self.post_message(self.Chosen(row.id, self.cursor))

    def on_click(self, event) -> None:
        index = (self.scroll_offset.y + event.y) // ROW_HEIGHT
        if 0 <= index < self.total:
            self.cursor = index
            self.action_choose()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def notify_style_update(self) -> None:
        self._strips.clear()  # the theme or the styles changed: rows are drawn again
        super().notify_style_update()

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, self.total * ROW_HEIGHT)
