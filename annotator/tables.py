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
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from .normalize import printable

FORMATS = ("table", "csv", "json", "md")

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
    """A column: ``id`` is its name in CSV/JSON, ``title`` its heading in tables."""

    id: str
    title: str
    kind: str = "text"  # text | int | float | share (0..1, shown as a percentage)
    digits: int = 2
    on_screen: bool = True  # False: only in CSV/JSON/Markdown (ids that repeat a name shown beside them)
    screen_prefix: str | None = None  # on screen, show "<that column's value>/<this value>" (saves a column)
    optional: bool = False  # left off the screen when the terminal is too narrow for every column


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
    return printable(str(value))


def write_tables(tables: Sequence[ResultTable], fmt: str, out: IO[str], header: dict[str, Any] | None = None) -> None:
    """Write tables as ``csv``, ``json`` or ``md`` (``table`` is printed by :func:`print_tables`)."""
    if fmt == "csv":
        _write_csv(tables, out)
    elif fmt == "json":
        data = {**(header or {}), "tables": {t.name: {"title": t.title, "notes": t.notes, "rows": t.records()}
                                             for t in tables}}
        json.dump(data, out, ensure_ascii=False, indent=2)
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
        buffer.write("| " + " | ".join(_md_cell(c.title) for c in table.columns) + " |\n")
        buffer.write("|" + "|".join("---:" if c.kind != "text" else "---" for c in table.columns) + "|\n")
        for row in table.rows:
            buffer.write("| " + " | ".join(_md_cell(format_cell(c, v)) for c, v in zip(table.columns, row)) + " |\n")
    return buffer.getvalue()


def rich_table(table: ResultTable, width: int | None = None) -> Any:
    """The results as rich renderables (a table, then its notes); every cell is a ``Text``
    (never markup). Numbers never break; text columns share what is left of ``width``
    and wrap; optional columns are left off when even that does not fit."""
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    ids = [c.id for c in table.columns]

    def cell(row: tuple, i: int) -> str:
        column, text = table.columns[i], format_cell(table.columns[i], row[i])
        if column.screen_prefix is None:
            return text
        return format_cell(column, row[ids.index(column.screen_prefix)]) + "/" + text

    shown = [i for i, c in enumerate(table.columns) if c.on_screen]
    widths = _screen_widths(table, shown, [[cell(row, i) for i in shown] for row in table.rows], width)
    caption = None
    if widths is None:
        dropped = [i for i in shown if table.columns[i].optional]
        shown = [i for i in shown if i not in dropped]
        widths = _screen_widths(table, shown, [[cell(row, i) for i in shown] for row in table.rows], width)
        caption = Text("left out at this width: " + ", ".join(table.columns[i].title for i in dropped)
                       + " (see --format md or csv)", style="dim")
    out = Table(title=Text(printable(table.title), style="bold"), box=box.SIMPLE_HEAD, title_justify="left",
                pad_edge=False, show_edge=False, caption=caption, caption_justify="left")
    for n, i in enumerate(shown):
        numeric = table.columns[i].kind != "text"
        out.add_column(Text(table.columns[i].title, overflow="fold"), justify="right" if numeric else "left",
                       width=widths[n] if widths else None, overflow="fold")
    for row in table.rows:
        out.add_row(*(Text(cell(row, i), overflow="fold") for i in shown))
    notes = [Text(printable(note), style="dim") for note in table.notes]
    return Group(out, *notes)


def _screen_widths(table: ResultTable, shown: list[int], cells: list[list[str]], width: int | None) -> list[int] | None:
    """Column widths that fit ``width`` (numbers whole, text columns sharing the rest), an
    empty list when every column fits as it is, or None when they cannot fit."""
    if width is None:
        return []
    natural, least = [], []
    for n, i in enumerate(shown):
        column = table.columns[i]
        widest = max([len(row[n]) for row in cells] + [len(column.title)])
        longest_word = max(len(w) for w in column.title.split() or [""])
        natural.append(widest)
        if column.kind != "text":
            least.append(max([len(row[n]) for row in cells] + [longest_word]))
        else:
            least.append(min(widest, 12 if n == 0 else 6))
    room = width - 3 * (len(shown) - 1)  # a separator and a space either side between columns
    if sum(natural) <= room:
        return []
    if sum(least) > room:
        return None
    widths = list(least)
    spare = room - sum(least)
    wants = [natural[n] - least[n] if table.columns[i].kind == "text" else 0 for n, i in enumerate(shown)]
    total = sum(wants)
    for n, want in enumerate(wants):
        if total:
            widths[n] += min(want, spare * want // total)
    return widths


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
