"""The store's export queries: rows streamed in batches from a cursor (never all held at
once), in the articles' order without sorting the whole result."""

from __future__ import annotations

import inspect
import tracemalloc

import pytest

from annotator.models import Annotation
from annotator.store.export_queries import _export_query


def test_the_store_streams_rows_instead_of_building_a_list(demo_store):
    article = next(demo_store.article(r.id) for r in demo_store.list_articles() if r.publisher == "press-tv")
    note = "n" * 2000
    demo_store.upsert_annotations(
        Annotation(article_id=article.id, text_sha256=article.text_sha256, annotator=f"a{i}", codebook_id="c",
                   codebook_version="1", category="tone", label="x", note=note + str(i))
        for i in range(3000))
    rows = demo_store.iter_annotation_exports(batch=100)
    assert inspect.isgenerator(rows)

    tracemalloc.start()
    try:
        first = next(rows)  # the query runs now, and only its first batch is read
        _, peak_first = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        everything = [first, *rows]
        _, peak_all = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(everything) == 3000 and first["note"].startswith(note)
    assert peak_all > 6_000_000  # 3000 notes of 2 KB held at once ...
    assert peak_first < peak_all / 10  # ... but the first row came without them

    streamed = 0
    tracemalloc.start()
    try:
        for record in demo_store.iter_annotation_exports(batch=100):
            streamed += len(record["note"])
        _, peak_streamed = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert streamed > 6_000_000 and peak_streamed < peak_all / 10  # flat while streaming


@pytest.mark.parametrize("filters", [{}, {"annotators": ["a", "b"]}, {"codebook": "c"}])
def test_export_order_needs_no_sort_of_the_whole_result(demo_store, filters):
    sql, params = _export_query(filters.get("annotators"), filters.get("codebook"))
    plan = " | ".join(r[3] for r in demo_store.db.conn.execute("EXPLAIN QUERY PLAN " + sql, params))
    assert "SCAN a" in plan, plan  # driven by the articles, in rowid order
    assert "TEMP B-TREE FOR ORDER BY" not in plan, plan  # only each article's tags are sorted ("RIGHT PART")
