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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from .normalize import printable

FORMATS = ("table", "csv", "json", "md")

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """A CSV cell that a spreadsheet shows as text: strings starting with ``= + - @``,
    tab or carriage return get a leading apostrophe. Numbers pass unchanged (a
    negative number is a number, not a formula)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_writer(out: IO[str]) -> Any:
    """A ``csv.writer`` that writes UTF-8-safe rows with ``\\r\\n`` endings (RFC 4180)."""
    return csv.writer(out, lineterminator="\r\n")


def write_csv_row(writer: Any, values: Iterable[Any]) -> None:
    """One CSV row with every cell made spreadsheet-safe (None is an empty cell)."""
    writer.writerow(["" if v is None else spreadsheet_safe(v) for v in values])


@dataclass(frozen=True)
class Column:
    """A column: ``id`` is its name in CSV/JSON, ``title`` its heading in tables."""

    id: str
    title: str
    kind: str = "text"  # text | int | float | share (0..1, shown as a percentage)
    digits: int = 2


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

    def column(self, column_id: str) -> list[Any]:
        index = [c.id for c in self.columns].index(column_id)
        return [row[index] for row in self.rows]


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
            write_csv_row(writer, [_json_value(v) for v in row])
        return
    ids: list[str] = []
    for table in tables:
        ids.extend(c.id for c in table.columns if c.id not in ids)
    write_csv_row(writer, ["table", *ids])
    for table in tables:
        for record in table.records():
            write_csv_row(writer, [table.name, *(record.get(i) for i in ids)])


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


def rich_table(table: ResultTable) -> Any:
    """A rich ``Table`` of the results; every cell is a ``Text`` (never markup)."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    out = Table(title=Text(printable(table.title), style="bold"), box=box.SIMPLE_HEAD, title_justify="left",
                caption=Text("\n".join(printable(n) for n in table.notes), style="dim") if table.notes else None,
                caption_justify="left")
    for column in table.columns:
        out.add_column(Text(column.title), justify="left" if column.kind == "text" else "right",
                       overflow="fold")
    for row in table.rows:
        out.add_row(*(Text(format_cell(c, v)) for c, v in zip(table.columns, row)))
    return out
