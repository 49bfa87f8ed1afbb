"""The article list pages in what it shows: a 100,000-article database never loads the whole list."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.store import Store
from annotator.tui.widgets.article_list import ArticleList

from ..conftest import SIZE, live, make_app, press, tag_span


def _hundred_thousand_articles(path: Path) -> Store:
    store = Store(path)
    conn = store.db.conn
    conn.execute("BEGIN")
    conn.execute(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000) "
        "INSERT INTO articles (id, title, published, published_approximate, text, text_sha256, raw_text, removed, "
        "source_key, version, current, imported_at, unverified, word_count) "
        "SELECT printf('%012x', i), 'Report ' || i, '2022-01-01', 0, "
        "'Report ' || i || char(10) || char(10) || 'Talks in Kiev stalled while the war went on. Row ' || i || '.', "
        "printf('%064x', i), 'x', '[]', 'gen#' || i, 1, 1, '2026-01-01', '[]', 12 FROM n")
    conn.execute("COMMIT")
    return store


@pytest.mark.slow  # a scale test: `pytest -m slow` (CI runs it)
async def test_a_100000_article_database_pages_the_list(workdir):
    """The list holds only the pages it shows (speed is measured in bench/bench_tui.py)."""
    store = _hundred_thousand_articles(workdir / "annotations.db")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        while app.annotate.article is None:
            await pilot.pause(0.01)
        articles = app.query_one(ArticleList)
        assert articles.total == 100_000
        assert len(articles._rows) <= 200  # paged in, never the whole list
        for _ in range(5):
            before = app.annotate.article.id
            await pilot.press("]")
            while app.annotate.article.id == before:
                await pilot.pause(0.005)
        assert app.annotate.position == 5 and app.annotate.article.title == "Report 6"
        articles.focus()
        await press(pilot, "end")
        assert articles.cursor == 99_999 and articles.row_at(99_999).title == "Report 100000"
        await press(pilot, "enter")
        assert app.annotate.article.title == "Report 100000" and app.annotate.position == 99_999
        assert len(articles._rows) <= 400
        await tag_span(pilot, "Kiev", "1")
        assert articles.row_at(99_999).tags == 1 and articles.row_at(99_999).status == "in progress"
    assert [t.quote for t in live(store)] == ["Kiev"]
