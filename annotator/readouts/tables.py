"""Result tables (statistics, agreement) and the formats they are written in:
a rich table for the terminal, CSV (safe to open in a spreadsheet), JSON and
Markdown. No Textual here; the TUI renders the same :class:`ResultTable`.

Cells hold plain values (str, int, float, None). Untrusted strings (outlet
names, labels, annotator names) are never parsed as markup and never carry
escape sequences out of this module.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from ..normalize import json_escape_hidden, printable

FORMATS = ("table", "csv", "json", "md")
NUMBER_KINDS = ("int", "float", "share")  # right-aligned; like times, never broken

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_writer(out: IO[str]) -> Any:
    """A ``csv.writer`` that writes UTF-8-safe rows with ``\\r\\n`` endings (RFC 4180)."""
    return csv.writer(out, lineterminator="\r\n")


def write_csv_row(writer: Any, values: Iterable[Any]) -> None:
    """One CSV row that a spreadsheet shows as text: a string starting with ``= + - @``, tab
    or carriage return gets a leading apostrophe (numbers pass: a negative number is not a
    formula); None is an empty cell. One comprehension: exports write millions of cells."""
    writer.writerow(["" if v is None else "'" + v if v.__class__ is str and v.startswith(FORMULA_STARTS) else v
                     for v in values])


@dataclass(frozen=True)
class Column:
    """A column: ``id`` is its name in CSV/JSON, ``title`` its heading in tables and Markdown."""

    id: str
    title: str
    kind: str = "text"  # text | int | float | share (0..1, shown as a percentage) | time (ISO 8601, shown to the minute)
    digits: int = 2
    on_screen: bool = True  # False: only in CSV/JSON (ids for scripts), not in terminal tables or Markdown
    screen_prefix: str | None = None  # in tables and Markdown, "<that column's value> › <this value>"
    optional: int = 0  # > 0: left off the screen when the terminal is too narrow (the highest first)


SEPARATOR = " › "  # between a name and the one it belongs to: "Tone › Anti" (annotator.readouts.naming's full labels too)


@dataclass
class ResultTable:
    """One table of results with the notes that say what it counts."""

    name: str
    title: str
    columns: list[Column]
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def records(self) -> list[dict[str, Any]]:
        """Rows as dicts keyed by column id (JSON-ready; NaN becomes None)."""
        ids = [c.id for c in self.columns]
        return [{k: _json_value(v) for k, v in zip(ids, row)} for row in self.rows]



def _json_value(value: Any) -> Any:
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    return value


def format_cell(column: Column, value: Any) -> str:
    """A cell as text for a table or Markdown (blank for missing)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if column.kind == "share":
        return f"{value * 100:.{max(column.digits - 1, 0)}f}%"
    if column.kind == "float":
        return f"{value:.{column.digits}f}"
    if column.kind == "time" and isinstance(value, str) and len(value) >= 16 and value[10] == "T":
        return printable(value[:10] + " " + value[11:16])  # 2026-12-06T03:16:22+00:00 -> 2026-12-06 03:16
    return printable(str(value))


def write_tables(tables: Sequence[ResultTable], fmt: str, out: IO[str], header: dict[str, Any] | None = None) -> None:
    """Write tables as ``csv``, ``json`` or ``md`` (``table`` is printed by :func:`print_tables`)."""
    if fmt == "csv":
        _write_csv(tables, out)
    elif fmt == "json":
        data = {**(header or {}), "tables": {t.name: {"title": t.title, "notes": t.notes, "rows": t.records()}
                                             for t in tables}}
        out.write(json_escape_hidden(json.dumps(data, ensure_ascii=False, indent=2)))
        out.write("\n")
    elif fmt == "md":
        out.write(markdown(tables, header))
    else:
        raise ValueError(f"unknown format {fmt!r} (use one of {', '.join(FORMATS)})")


def _write_csv(tables: Sequence[ResultTable], out: IO[str]) -> None:
    """One table: its columns. Several: a leading ``table`` column names each row's table
    and the header is the union of the columns (tidy data for pandas)."""
    writer = csv_writer(out)
    if len(tables) == 1:
        table = tables[0]
        write_csv_row(writer, [c.id for c in table.columns])
        for row in table.rows:
            write_csv_row(writer, [_csv_value(v) for v in row])
        return
    ids: list[str] = []
    for table in tables:
        ids.extend(c.id for c in table.columns if c.id not in ids)
    write_csv_row(writer, ["table", *ids])
    for table in tables:
        for record in table.records():
            write_csv_row(writer, [table.name, *(_csv_value(record.get(i)) for i in ids)])


def _csv_value(value: Any) -> Any:
    """A result cell for CSV: names from the data never carry control characters."""
    value = _json_value(value)
    return printable(value) if isinstance(value, str) else value


def shown_columns(table: ResultTable) -> list[int]:
    """The indices of the columns terminal tables and Markdown show (names, not ids)."""
    return [i for i, c in enumerate(table.columns) if c.on_screen]


def display_cells(table: ResultTable, shown: Sequence[int]) -> list[list[str]]:
    """The rows as the text of the ``shown`` columns (a prefixed column joined to its prefix)."""
    ids = [c.id for c in table.columns]
    prefixes = {i: ids.index(c.screen_prefix) for i, c in enumerate(table.columns) if c.screen_prefix}
    out = []
    for row in table.rows:
        cells = []
        for i in shown:
            text = format_cell(table.columns[i], row[i])
            if i in prefixes:
                text = format_cell(table.columns[prefixes[i]], row[prefixes[i]]) + SEPARATOR + text
            cells.append(text)
        out.append(cells)
    return out


def _md_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def markdown(tables: Sequence[ResultTable], header: dict[str, Any] | None = None) -> str:
    """Tables as GitHub-flavoured Markdown, with the header facts and notes as text."""
    buffer = io.StringIO()
    for key, value in (header or {}).items():
        buffer.write(f"- **{_md_cell(key)}**: {_md_cell(printable(str(value)))}\n")
    for table in tables:
        buffer.write(f"\n## {_md_cell(printable(table.title))}\n\n")
        for note in table.notes:
            buffer.write(f"{_md_cell(printable(note))}\n\n")
        if not table.rows:
            buffer.write("(no rows)\n")
            continue
        shown = shown_columns(table)
        columns = [table.columns[i] for i in shown]
        buffer.write("| " + " | ".join(_md_cell(c.title) for c in columns) + " |\n")
        buffer.write("|" + "|".join("---:" if c.kind in NUMBER_KINDS else "---" for c in columns) + "|\n")
        for cells in display_cells(table, shown):
            buffer.write("| " + " | ".join(_md_cell(cell) for cell in cells) + " |\n")
    return buffer.getvalue()


def rich_table(table: ResultTable, width: int | None = None) -> Any:
    """The results as rich renderables (a table, then its notes); every cell is a ``Text``
    (never markup). Sized to ``width`` (see :func:`screen_layout`): numbers are never broken,
    text wraps between words, and optional columns are left off (named under the table) when
    the others would not fit otherwise."""
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    shown, widths, dropped = screen_layout(table, width)
    cells = display_cells(table, shown)
    caption = None
    if dropped:
        caption = Text("left out at this width: " + ", ".join(table.columns[i].title for i in dropped)
                       + " (see --format md or csv)", style="dim")
    out = Table(title=Text(printable(table.title), style="bold"), box=box.SIMPLE_HEAD, title_justify="left",
                pad_edge=False, show_edge=False, collapse_padding=True, caption=caption, caption_justify="left")
    for n, i in enumerate(shown):
        numeric = table.columns[i].kind in NUMBER_KINDS
        out.add_column(Text(table.columns[i].title), justify="right" if numeric else "left",
                       width=widths[n] if widths else None, no_wrap=numeric and not widths)
    for row in cells:
        out.add_row(*(Text(break_long_words(text, widths[n]) if widths else text, overflow="fold")
                      for n, text in enumerate(row)))
    notes = [Text(printable(note), style="dim") for note in table.notes]
    return Group(out, *notes)


GAP = 2  # between two columns: a space and the (blank) separator
BREAK_AFTER = re.compile(r"(?<=[-/_.,;:›])")  # where a word too long for its column may be broken


def _words(text: str) -> list[str]:
    return text.split() or [""]


def screen_layout(table: ResultTable, width: int | None) -> tuple[list[int], list[int], list[int]]:
    """``(shown columns, their widths, dropped columns)`` for a terminal ``width`` cells wide.

    Every column gets at least its longest word (numbers whole); the room left goes where it
    saves the most wrapped lines. Optional columns are dropped (named under the table), the
    most optional first, when the others cannot fit beside them or would wrap into many
    more lines. When even that cannot fit, words are broken after a hyphen or slash
    (``kremlin-`` / ``putin-meeting``, :func:`break_long_words`), and only a word wider than
    its column can ever be is folded. Widths ``[]``: every column fits as it is."""
    shown = shown_columns(table)
    if width is None:
        return shown, [], []
    cells = display_cells(table, shown)
    optional = sorted((n for n, i in enumerate(shown) if table.columns[i].optional),
                      key=lambda n: (-table.columns[shown[n]].optional, -n))
    choices = []  # (dropped positions, the columns left, their cells)
    for k in range(len(optional) + 1):
        kept = [n for n in range(len(shown)) if n not in optional[:k]]
        choices.append(([shown[n] for n in sorted(optional[:k])], [shown[n] for n in kept],
                        [[row[n] for n in kept] for row in cells]))
    per_column = max(2, len(cells) // 2)  # a dropped column is worth half a wrapped line a row
    for pieces in (False, True):  # whole words; then words broken after hyphens and slashes
        best = None
        for k, (dropped, columns, kept_cells) in enumerate(choices):
            fit = _fit(table, columns, kept_cells, width, pieces)
            if fit is not None and (best is None or fit[1] + k * per_column < best[0]):
                best = (fit[1] + k * per_column, columns, fit[0], dropped)
        if best is not None:
            return best[1], best[2], best[3]
    # narrower than the longest pieces: the widest text columns give way (numbers stay whole)
    dropped, shown, cells = choices[-1]
    least, natural = _least(table, shown, cells, True), _natural(table, shown, cells)
    room = width - GAP * (len(shown) - 1)
    texts = [n for n, i in enumerate(shown) if table.columns[i].kind == "text"]
    while texts and sum(least) > room and max(least[n] for n in texts) > 6:
        widest = max(texts, key=lambda n: least[n])
        least[widest] -= 1
    if sum(least) > room:
        return shown, [], dropped  # not even six cells a text column: rich does what it can
    return shown, _allocate(table, shown, cells, least, natural, room), dropped


def _natural(table: ResultTable, shown: list[int], cells: list[list[str]]) -> list[int]:
    from rich.cells import cell_len

    return [max([cell_len(row[n]) for row in cells] + [cell_len(table.columns[i].title)]) for n, i in enumerate(shown)]


def _least(table: ResultTable, shown: list[int], cells: list[list[str]], pieces: bool = False) -> list[int]:
    """The narrowest width of each column that breaks no word (``pieces``: no piece of a
    word between hyphens and slashes) and no number."""
    from rich.cells import cell_len

    least = []
    for n, i in enumerate(shown):
        column = table.columns[i]
        title = max(cell_len(w) for w in _words(column.title))
        if column.kind != "text":
            least.append(max([cell_len(row[n]) for row in cells] + [title]))
            continue
        words = {w for row in cells for w in _words(row[n])}
        if pieces:
            words = {p for w in words for p in BREAK_AFTER.split(w)}
        least.append(max([cell_len(w) for w in words] + [title]))
    return least


def _fit(table: ResultTable, shown: list[int], cells: list[list[str]], width: int,
         pieces: bool = False) -> tuple[list[int], int] | None:
    """Widths for ``shown`` in ``width`` breaking no word (``pieces``: breaking words only
    after hyphens and slashes), and how many lines the rows wrap into beyond one each;
    None when they cannot fit."""
    natural, least = _natural(table, shown, cells), _least(table, shown, cells, pieces)
    room = width - GAP * (len(shown) - 1)
    if sum(natural) <= room:
        return [], 0
    if sum(least) > room:
        return None
    widths = _allocate(table, shown, cells, least, natural, room)
    extra = sum(max(_lines(text, w) for text, w in zip(row, widths)) - 1 for row in cells)
    return widths, extra


def _allocate(table: ResultTable, shown: list[int], cells: list[list[str]], least: list[int], natural: list[int],
              room: int) -> list[int]:
    """Widths from ``least`` up to ``natural`` within ``room``: each step widens the column
    whose wrapped lines (the heading's too) drop the most per cell it takes."""
    from collections import Counter

    counts = [Counter(row[n] for row in cells) for n in range(len(shown))]
    titles = [table.columns[i].title for i in shown]
    cache: dict[tuple[int, int], int] = {}

    def wrapped(n: int, w: int) -> int:  # lines beyond one, over the column's cells and heading
        if (n, w) not in cache:
            cache[(n, w)] = sum(k * (_lines(v, w) - 1) for v, k in counts[n].items()) + _lines(titles[n], w) - 1
        return cache[(n, w)]

    widths = list(least)
    spare = room - sum(widths)
    while spare > 0:
        best = None  # (lines saved per cell, column, width)
        for n in range(len(widths)):
            now = wrapped(n, widths[n])
            for w in range(widths[n] + 1, min(natural[n], widths[n] + spare) + 1):
                saved = now - wrapped(n, w)
                if saved > 0 and (best is None or saved / (w - widths[n]) > best[0]):
                    best = (saved / (w - widths[n]), n, w)
        if best is None:
            break
        spare -= best[2] - widths[best[1]]
        widths[best[1]] = best[2]
    return widths


def _lines(text: str, width: int) -> int:
    """How many lines ``text`` wraps into at ``width`` (between words; longer words folded)."""
    from rich.cells import cell_len

    if len(text) <= width and cell_len(text) <= width:
        return 1
    lines, used = 1, 0
    for word in text.split():
        size = cell_len(word)
        if used and used + 1 + size <= width:
            used += 1 + size
            continue
        if used:
            lines += 1
        lines += (size - 1) // max(width, 1)
        used = size % width or width if size > width else size
    return lines


def break_long_words(text: str, width: int) -> str:
    """``text`` with each word wider than ``width`` broken onto lines after hyphens, slashes
    and the like (only where it must be: the column cannot hold the word whole)."""
    from rich.cells import cell_len

    if cell_len(text) <= width or all(cell_len(w) <= width for w in text.split()):
        return text
    out = []
    for word in text.split(" "):
        if cell_len(word) <= width:
            out.append(word)
            continue
        lines, line = [], ""
        for piece in BREAK_AFTER.split(word):
            if line and cell_len(line + piece) > width:
                lines.append(line)
                line = ""
            line += piece
        out.append("\n".join([*lines, line]))
    return " ".join(out)


@contextmanager
def output_file(path: Path | None) -> Iterator[IO[str]]:
    """Standard output (``path`` None or ``-``), or a UTF-8 file that appears whole or not
    at all: written beside ``path`` under a temporary name and renamed when complete."""
    if path is None or str(path) == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    if path.exists() and not path.is_file() and not path.is_dir():  # /dev/null, a pipe: no rename
        with path.open("w", encoding="utf-8", newline="") as out:
            yield out
        return
    directory = path.parent if str(path.parent) else Path(".")
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=directory)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)  # as an ordinary new file would be, not mkstemp's 0600
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())  # on disk before it takes the name
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
