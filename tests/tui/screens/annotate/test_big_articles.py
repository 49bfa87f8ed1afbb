"""Big texts: a 2 MB article (and one on a single line) opens, scrolls and is tagged (how fast is measured in bench/)."""

from __future__ import annotations

import pytest

from annotator.ingest.importer import import_paths
from annotator.store import Store
from annotator.tui.widgets.article_view import ArticleView

from ...conftest import SIZE, live, make_app, press, settle


@pytest.mark.slow  # a scale test: `pytest -m slow` (CI runs it)
async def test_a_2_mb_article_opens_scrolls_and_tags(workdir):
    """Behaviour on big texts (how fast is measured in bench/, not here)."""
    paragraph = ("The Kremlin said talks with Kiev had stalled, while the invasion went on and officials in Kyiv "
                 "spoke of the special military operation. ") * 5
    big = "A big report\n\n" + "\n\n".join(f"{n} {paragraph}" for n in range(2_000_000 // len(paragraph)))
    one_line = "One line report\n\n" + " ".join(f"w{n}" for n in range(260_000)) + " Kiev end"
    (workdir / "big.txt").write_text(big, encoding="utf-8")
    (workdir / "line.txt").write_text(one_line, encoding="utf-8")
    store = Store(workdir / "annotations.db")
    assert import_paths(store, [workdir / "big.txt", workdir / "line.txt"], max_article_bytes=5_000_000).ok
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        while app.annotate.article is None:
            await pilot.pause(0.01)
        assert len(app.annotate.article.text) > 1_900_000
        view = app.query_one(ArticleView)
        await pilot.press(*["pagedown"] * 5, "end", *["shift+left"] * 3, "home")
        await pilot.pause()
        await settle(app, pilot)
        assert not app.annotate.suggestions_pending and len(app.annotate.suggestions) > 1000
        await pilot.press("]")  # the one-line article: shown broken at spaces, offsets unchanged
        await settle(app, pilot)
        assert app.annotate.article.title == "One line report"
        assert view.document.line_count > 100 and view.text != app.annotate.article.text
        start = app.annotate.article.text.index("Kiev end")
        view.select_range(start, start)
        await press(pilot, *["shift+right"] * 4, "1")
    [tag] = live(store)
    assert (tag.start, tag.quote) == (start, "Kiev") and store.article(tag.article_id).text[tag.start:tag.end] == "Kiev"
