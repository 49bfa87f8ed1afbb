"""``annotator export`` in other annotation tools' formats: which there are, and writing one.

Text formats (label-studio, doccano, prodigy) are UTF-8 text written to standard output
or ``--out``; brat (a zip) and parquet are binary and need ``--out FILE``. Every format is
written as the store's cursor gives the tags (a generator over articles: see
:func:`annotator.exchange.documents_out.iter_article_tags`), never as one list in memory.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any

from .brat_out import write_brat
from .doccano_out import write_doccano
from .documents_out import ExportRefused, Written, iter_article_tags
from .label_studio_out import write_label_studio
from .parquet_out import pyarrow_missing, write_parquet
from .prodigy_out import write_prodigy

TEXT_FORMATS = ("label-studio", "doccano", "prodigy")
BINARY_FORMATS = ("brat", "parquet")
FORMATS_OUT = TEXT_FORMATS + BINARY_FORMATS
_TEXT_WRITERS = {"label-studio": write_label_studio, "doccano": write_doccano, "prodigy": write_prodigy}

__all__ = ["BINARY_FORMATS", "FORMATS_OUT", "TEXT_FORMATS", "ExportRefused", "Written", "cannot_export",
           "export_foreign"]


def cannot_export(fmt: str) -> str | None:
    """Why ``fmt`` cannot be written here (a missing library), or None."""
    return pyarrow_missing() if fmt == "parquet" else None


def export_foreign(store: Any, fmt: str, out: IO[str], annotators: Iterable[str] | None = None,
                   codebook: str | None = None) -> Written:
    """Write the live tags (optionally only some annotators' or one codebook's) in another
    tool's format ``fmt`` to ``out`` (a text file; binary formats write to its ``buffer``).
    Returns what was written and left out. Raises :class:`ExportRefused` when a tag cannot
    be written in ``fmt`` (the caller discards the partial output)."""
    written = Written()
    if fmt not in FORMATS_OUT:
        raise ValueError(f"unknown format {fmt!r} (use one of {', '.join(FORMATS_OUT)})")
    if fmt == "parquet":
        out.flush()
        return write_parquet(store.iter_annotation_export_rows_fast(annotators=annotators, codebook=codebook),
                             out.buffer, written)
    articles = iter_article_tags(store, annotators, codebook, written)
    if fmt == "brat":
        out.flush()
        return write_brat(articles, out.buffer, written)
    return _TEXT_WRITERS[fmt](articles, out, written)
