"""``annotator export --format parquet --out FILE.parquet``: one Parquet table of tags.

The columns are the CSV export's (:data:`annotator.store.CSV_COLUMNS`, cells by
:func:`annotator.exchange.export.csv_cells`), without the spreadsheet guard: text exactly as
stored; ``start`` and ``end`` are 64-bit integers (null for article-level tags), every
other column a UTF-8 string (``attributes`` a JSON object as text, ``published`` with its
``~`` when approximate). pandas (``read_parquet``), DuckDB and Spark read it as it is.

Rows stream from the store's cursor into row groups of :data:`BATCH_ROWS`: no more than
one batch is held at a time. Needs pyarrow (``pip install 'annotator[parquet]'``).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import IO, Any

from .export import csv_columns
from ..store import CSV_COLUMNS
from .documents_out import Written

BATCH_ROWS = 10_000  # rows per row group: the memory an export holds (bench/notes.md, "Measured choices")
INTEGER_COLUMNS = ("start", "end")
INSTALL_HINT = "--format parquet needs pyarrow: pip install 'annotator[parquet]' (or pip install pyarrow)"


def pyarrow_missing() -> str | None:
    """The one line to show when pyarrow cannot be imported (None when it can)."""
    try:
        import pyarrow  # noqa: F401
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        return INSTALL_HINT
    return None


def parquet_schema() -> Any:
    import pyarrow as pa

    return pa.schema([(name, pa.int64() if name in INTEGER_COLUMNS else pa.string()) for name in CSV_COLUMNS])


def iter_batches(rows: Iterable[tuple], size: int = BATCH_ROWS) -> Iterable[list[list[Any]]]:
    """The CSV cells of the export rows, ``size`` rows at a time, as columns."""
    rows = iter(rows)
    while batch := list(itertools.islice(rows, size)):
        yield csv_columns(batch)


def write_parquet(rows: Iterable[tuple], out: IO[bytes], written: Written, batch: int = BATCH_ROWS) -> Written:
    """The table of export rows (:meth:`Store.iter_annotation_export_rows_fast`), a row group per batch."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = parquet_schema()
    with pq.ParquetWriter(out, schema, compression="zstd") as writer:
        for columns in iter_batches(rows, batch):
            writer.write_batch(pa.record_batch(columns, schema=schema))
            written.count += len(columns[0])
    return written
