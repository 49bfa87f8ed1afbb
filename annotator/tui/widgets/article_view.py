"""The article text: a read-only, selectable TextArea that paints tags and suggestions.

Offsets in and out are code-point offsets into the canonical text (the text is
normalized at import, so Textual's Document keeps it as it is).

Large articles stay responsive (the figures: bench/notes.md, "Why the code is shaped so"):

* line starts are cached, so a (row, column) location becomes an offset in O(log rows);
* ``text`` and the wrapped height are cached (Textual recomputes both, in O(text),
  for every line it draws), and plain lines are wrapped with string searches
  instead of Textual's word-by-word loop; the same width is never wrapped twice;
* a line longer than :data:`LONG_LINE` characters is shown in rows broken at
  spaces (a space becomes a line break *in the shown document only*: the offsets
  stay the same, and copied or tagged text is always taken from the canonical text).
  Textual re-reads and re-divides a whole line for each screen row it draws, in
  O(line) per row;
* paints (thousands of suggestions) are found by bisection, and the suggestions'
  layer is prepared once per change of suggestions, not per key press.

Also: a mouse click maps to the character drawn under it even after emoji ZWJ
sequences (Textual measures those differently when drawing and when clicking),
and TextArea's editing keys are turned off so that keys such as ctrl+z or ctrl+d
reach the app (and the keys configured in annotator.toml).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual.strip import Strip
from textual.widgets.text_area import Selection

from ...normalize import mask_hidden
from .graphemes import cluster_edge, next_grapheme, previous_grapheme
from ..textual_private import (HookedTextArea, SteadyScrollBars, WrappedDocument, cell_len, compute_wrap_offsets,
                               get_tab_widths, set_wraps, sync_scroll_bars, wrap_tab_width, wrapped_rows)

LONG_LINE = 2000  # lines longer than this are shown broken at spaces ...
ROW = 1000  # ... into pieces of at most about this many characters
LONG_PAINT = 2000  # paints longer than this are checked on every line (few); the rest by bisection


_SPACE_RUN = re.compile(" *")


def simple_wrap_offsets(line: str, width: int) -> list[int]:
    """Textual's ``compute_wrap_offsets`` for a line of single-cell, printable characters
    without tabs (where the only white space is " "), in O(rows) string searches
    instead of O(words) Python steps. Same result (see the tests)."""
    length = len(line)
    breaks: list[int] = []
    row = 0
    while length - row > width:
        limit = row + width
        space = line.rfind(" ", row, limit)
        boundary = -1
        if space != -1:
            if line[space + 1] != " ":  # a word starts at space + 1 <= limit: the row ends there
                boundary = space + 1
            else:  # the spaces run on past the limit: the row ends before the word they follow
                run_start = space
                while run_start > row and line[run_start - 1] == " ":
                    run_start -= 1
                before = line.rfind(" ", row, run_start)
                if before != -1:
                    boundary = before + 1
        if boundary > row:
            breaks.append(boundary)
            row = boundary
            continue
        # the word (with its trailing spaces) at ``row`` is wider than a row: fold it
        space = line.find(" ", row)
        word_end = length if space == -1 else _SPACE_RUN.match(line, space).end()  # type: ignore[union-attr]
        while word_end - row > width:
            row += width
            breaks.append(row)
    return breaks


class _FastWrappedDocument(WrappedDocument):
    """Textual's wrapped document, with an O(1) height (Textual sums every line's wraps
    per call) and a fast wrap for plain lines (Textual steps word by word in Python).
    ``generation`` counts the wraps: whatever was drawn
    from an earlier wrap is stale."""

    generation = 0

    @property
    def height(self) -> int:
        return len(wrapped_rows(self))

    def wrap(self, width: int, tab_width: int | None = None) -> None:
        tab_width = wrap_tab_width(self, tab_width)
        done = getattr(self, "_wrapped_as", None)
        if done == (width, tab_width, id(self.document), self.document.line_count):
            return  # read-only text: the same width gives the same wraps (Textual asks again on resizes)
        wrap_offsets: list[list[int]] = []
        line_tab_widths: list[list[int]] = []
        for line in self.document.lines:
            if not line:
                offsets: list[int] = []
                line_tab_widths.append([])
            elif line.isprintable() and (line.isascii() or cell_len(line) == len(line)):  # no tabs, one cell each
                offsets = simple_wrap_offsets(line, width) if width else []
                line_tab_widths.append([0])
            else:
                tab_sections = get_tab_widths(line, tab_width)
                offsets = compute_wrap_offsets(line, width, tab_size=tab_width,
                                               precomputed_tab_sections=tab_sections) if width else []
                line_tab_widths.append([w for _, w in tab_sections])
            wrap_offsets.append(offsets)
        set_wraps(self, width, wrap_offsets, line_tab_widths)
        self._wrapped_as = (width, tab_width, id(self.document), self.document.line_count)
        self.generation += 1

    def get_target_document_column(self, line_index: int, x_offset: int, y_offset: int) -> int:
        """The column under a screen cell (mouse clicks, moving up and down).

        Textual adds up each character's width, but draws (and ``location_to_offset``
        measures) whole strings, where rich counts an emoji ZWJ sequence such as
        👩‍👩‍👧 as one 2-cell character: a click after one landed characters off.
        Measured here the way the text is drawn."""
        sections = self.get_sections(line_index)
        target = sections[y_offset]
        if "\t" in target:
            return super().get_target_document_column(line_index, x_offset, y_offset)
        start = sum(len(section) for section in sections[:y_offset])
        low, high = 0, len(target)  # the first character whose cells reach past x_offset
        while low < high:
            middle = (low + high) // 2
            if cell_len(target[:middle + 1]) > x_offset:
                high = middle
            else:
                low = middle + 1
        column = start + low
        if y_offset not in (len(sections) - 1, -1):
            column = min(column, start + len(target) - 1)
        return column

    def wrap_range(self, *args, **kwargs) -> None:  # an edit (never made here): forget the cached wrap
        self._wrapped_as = None
        super().wrap_range(*args, **kwargs)
        self.generation += 1


@dataclass(frozen=True)
class Paint:
    """A styled range of the text."""

    start: int
    end: int
    style: Style


class _Layer:
    """Paints found by position: short ones by bisection, the few long ones always checked."""

    def __init__(self, paints: list[Paint]):
        ranked = list(enumerate(paints))  # a later paint goes over an earlier one: keep the rank
        self.short = sorted((rp for rp in ranked if rp[1].end - rp[1].start <= LONG_PAINT), key=lambda rp: rp[1].start)
        self.starts = [p.start for _, p in self.short]
        self.longest = max((p.end - p.start for _, p in self.short), default=0)
        self.long = [rp for rp in ranked if rp[1].end - rp[1].start > LONG_PAINT]

    def within(self, start: int, end: int) -> list[Paint]:
        """The paints touching ``[start, end)``, in their original order."""
        first = bisect.bisect_left(self.starts, start - self.longest)
        last = bisect.bisect_right(self.starts, end)
        found = [rp for rp in self.short[first:last] if rp[1].end > start and rp[1].start <= end]
        found += [rp for rp in self.long if rp[1].end > start and rp[1].start <= end]
        found.sort(key=lambda rp: rp[0])
        return [p for _, p in found]


def shown_text(text: str) -> str:
    """``text`` with spaces in over-long lines turned into line breaks (same length, same offsets)."""
    if len(text) <= LONG_LINE:
        return text
    breaks: list[int] = []
    line_start = 0
    length = len(text)
    while line_start < length:
        line_end = text.find("\n", line_start)
        if line_end == -1:
            line_end = length
        position = line_start
        while line_end - position > LONG_LINE:
            cut = text.rfind(" ", position + ROW // 2, position + ROW)
            if cut == -1:
                cut = text.find(" ", position + ROW, line_end - 1)
                if cut == -1:
                    break  # no space left in this line: it stays long
            breaks.append(cut)
            position = cut + 1
        line_start = line_end + 1
    if not breaks:
        return text
    pieces: list[str] = []
    previous = 0
    for cut in breaks:
        pieces.append(text[previous:cut])
        pieces.append("\n")
        previous = cut + 1
    pieces.append(text[previous:])
    return "".join(pieces)


class ArticleView(SteadyScrollBars, HookedTextArea):
    """Shows one article; never edits it. Tags and suggestions are drawn as styles."""

    DEFAULT_CSS = """
    ArticleView { height: 1fr; border: none; padding: 0 1; overflow-y: scroll; }
    ArticleView:focus { border: none; }
    """

    # TextArea's editing keys would swallow keys (ctrl+z, ctrl+d, backspace, ...) that do
    # nothing on a read-only text: turned off, so they reach the app and its configured keys
    EDITING_ACTIONS = frozenset({
        "delete_left", "delete_word_left", "delete_right", "delete_word_right", "cut", "paste",
        "delete_to_start_of_line", "delete_to_end_of_line_or_delete_line", "delete_line", "undo", "redo",
    })

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.EDITING_ACTIONS:
            return False  # not run, not shown: the key goes on to the app
        return super().check_action(action, parameters)

    def __init__(self, **kwargs) -> None:
        super().__init__("", read_only=True, soft_wrap=True, show_line_numbers=False,
                         highlight_cursor_line=False, **kwargs)
        self._canonical = ""
        self._shown = ""
        self._line_starts: list[int] = [0]
        self._layers: list[_Layer] = []  # drawn in order: later layers over earlier ones
        self._base_source: object = None
        self._rows: dict[int, list[Strip]] = {}  # line index -> its screen rows, drawn (see render_row)
        self._rows_key: tuple | None = None

    def make_wrapped_document(self, document) -> WrappedDocument:
        """The fast wrapped document."""
        return _FastWrappedDocument(document, tab_width=self.indent_width)

    def wrap_key(self) -> object:
        """A new wrap (even of the same height) is drawn again at once."""
        wrapped = self.wrapped_document
        return wrapped, getattr(wrapped, "generation", None)

    @property
    def text(self) -> str:  # type: ignore[override]
        """The shown text (Textual asks for it on every line it draws: cached)."""
        return self._shown

    @text.setter
    def text(self, value: str) -> None:
        self.show_text(value)

    @property
    def selected_text(self) -> str:  # type: ignore[override]
        """The selected canonical text (what copying gives)."""
        start, end = self.selected_range
        return self._canonical[start:end]

    def show_text(self, text: str) -> None:
        """Replace the text (and clear the paints)."""
        self._layers, self._base_source = [], None
        self._rows.clear()
        self._canonical = text
        # bidi controls and invisible characters are shown as "\ufffd" (never raw: they would reorder or
        # hide what the terminal shows), one for one, so offsets stay the canonical text's
        self._shown = shown_text(mask_hidden(text))
        self.load_text(self._shown)
        starts = [0]
        shown = self._shown
        position = shown.find("\n")
        while position != -1:
            starts.append(position + 1)
            position = shown.find("\n", position + 1)
        self._line_starts = starts
        self.selection = Selection.cursor((0, 0))
        self.scroll_home(animate=False)
        sync_scroll_bars(self)  # drawn with the text, not in a frame after it

    def set_paints(self, paints: list[Paint], base: list[Paint] | None = None) -> None:
        """Draw these ranges from now on: ``base`` first (suggestions), then ``paints`` (tags,
        the current one last). ``base`` is prepared again only when it is a new list."""
        if base is not self._base_source or not self._layers:
            self._base_source = base
            base_layer = _Layer(base or [])
        else:
            base_layer = self._layers[0]
        self._layers = [base_layer, _Layer(paints)]
        self.clear_line_cache()
        self._rows.clear()
        self.refresh()

    # -- offsets -------------------------------------------------------------------

    def offset_of(self, location: tuple[int, int]) -> int:
        """Code-point offset of a (row, column) location (O(1) with cached line starts)."""
        row, column = location
        return self._line_starts[min(row, len(self._line_starts) - 1)] + column

    def location_of(self, offset: int) -> tuple[int, int]:
        row = bisect.bisect_right(self._line_starts, offset) - 1
        return row, offset - self._line_starts[row]

    # -- cursor moves by grapheme cluster (a selection never splits an emoji sequence) ---

    def get_cursor_left_location(self) -> tuple[int, int]:
        row, column = self.cursor_location
        if column == 0:
            return super().get_cursor_left_location()
        return row, previous_grapheme(self.document[row], column)

    def get_cursor_right_location(self) -> tuple[int, int]:
        row, column = self.cursor_location
        line = self.document[row]
        if column >= len(line):
            return super().get_cursor_right_location()
        return row, next_grapheme(line, column)

    def get_cursor_word_left_location(self) -> tuple[int, int]:
        row, column = super().get_cursor_word_left_location()
        return row, cluster_edge(self.document[row], column, forward=False)

    def get_cursor_word_right_location(self) -> tuple[int, int]:
        row, column = super().get_cursor_word_right_location()
        return row, cluster_edge(self.document[row], column, forward=True)

    @property
    def selected_range(self) -> tuple[int, int]:
        """The selection as (start, end) offsets, start <= end."""
        a, b = (self.offset_of(loc) for loc in self.selection)
        return (a, b) if a <= b else (b, a)

    def select_range(self, start: int, end: int) -> None:
        """Select ``text[start:end]`` and scroll it into view."""
        self.selection = Selection(self.location_of(start), self.location_of(end))
        self.scroll_cursor_visible(center=True, animate=False)

    # -- drawing -------------------------------------------------------------------

    def render_row(self, y: int) -> Strip:
        """One screen row. Textual's TextArea styles, divides into rows and renders a whole
        (wrapped) line again for each of its rows; a line that neither the selection nor the
        cursor touches is drawn here once for all its rows, the same way (a paragraph of six
        rows: one pass, not six). Other lines are Textual's."""
        wrapped = self.wrapped_document
        y_offset = y + self.scroll_offset[1]
        info = wrapped_rows(wrapped)
        if (y_offset >= len(info) or self.show_line_numbers or not self.soft_wrap or self.has_syntax_highlights
                or self.suggestion):
            return self.textual_row(y)
        line_index, section = info[y_offset]
        start, end = self.selection
        top, bottom = (start, end) if start <= end else (end, start)
        bracket = self.matching_bracket_location
        if (end[0] == line_index or (start != end and top[0] <= line_index <= bottom[0])
                or (bracket is not None and bracket[0] == line_index)):
            return self.textual_row(y)
        theme = self.theme_styles
        base_style = theme.base_style if theme and theme.base_style is not None else self.rich_style
        target_width = self.scrollable_content_region.size.width - self.gutter_width
        # the rows follow the wrap, not the width: on a resize Textual draws the new size
        # before it wraps again (on the Resize event), and the width alone would keep the
        # rows divided at the old wrap for good (lines lost or repeated after F2)
        key = (wrapped, wrapped.generation, target_width, theme, base_style, self.document,
               self.highlight_cursor_line)
        if key != self._rows_key:
            self._rows.clear()
            self._rows_key = key
        rows = self._rows.get(line_index)
        if rows is None:
            line = self.get_line(line_index)
            if "\t" in line.plain:
                return self.textual_row(y)
            line.tab_size = self.indent_width
            line.set_length(len(line) + 1)  # space at end for the cursor, as Textual draws it
            offsets = wrapped.get_offsets(line_index)
            if offsets:
                sections = list(line.divide(offsets))
                for part in sections:
                    part.end = ""
            else:
                sections = [line]
            console = self.app.console
            line_style = theme.base_style if theme else None
            rows = [Strip(part.render(console), cell_length=part.cell_len)
                    .extend_cell_length(target_width, line_style).apply_style(base_style)
                    for part in sections]
            self._rows[line_index] = rows
        return rows[section] if section < len(rows) else self.textual_row(y)

    def get_line(self, line_index: int) -> Text:
        line = super().get_line(line_index)
        if not self._layers:
            return line
        line_start = self._line_starts[line_index]
        line_end = line_start + len(line.plain)
        for layer in self._layers:
            for paint in layer.within(line_start, line_end):
                start = max(paint.start, line_start) - line_start
                end = min(paint.end, line_end) - line_start
                if end > start:
                    line.stylize(paint.style, start, end)
        return line
