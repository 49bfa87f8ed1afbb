"""``annotator report``: the statistics, agreement and story comparisons as charts in one
self-contained HTML page (:mod:`.data` gathers the numbers with the same functions as
``stats``/``agreement``/``compare``, :mod:`.charts` draws them with Vega-Altair and
vl-convert, :mod:`.html` writes the page)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .data import Options, ReportData, ReportError, gather

if TYPE_CHECKING:
    from .charts import Chart

__all__ = ["Options", "ReportData", "ReportError", "gather", "drawn_charts"]


def drawn_charts(data: ReportData, fmt: str = "svg") -> list[tuple[Chart, str | bytes]]:
    """Every chart of the report drawn as ``svg`` (text) or ``png`` (bytes)."""
    from .charts import charts, to_png, to_svg

    from concurrent.futures import ThreadPoolExecutor

    draw = to_svg if fmt == "svg" else to_png
    found = charts(data)
    # two at a time: vl-convert lets go of Python's lock for part of each drawing (bench/notes.md,
    # "Measured choices"; processes did no better)
    with ThreadPoolExecutor(2, thread_name_prefix="report-charts") as pool:
        return list(zip(found, pool.map(draw, found)))
