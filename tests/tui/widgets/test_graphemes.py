"""Keyboard selections in the article view move by grapheme cluster: flags, ZWJ families,
combining marks and skin tones are selected whole, and word selections never end inside one."""

from __future__ import annotations

from annotator.ingest.importer import import_paths
from annotator.store import Store
from annotator.tui.widgets.article_view import ArticleView

from ..conftest import SIZE, make_app, settle

CLUSTERS = "Flags 🇺🇦🇷🇺, a family 👩\u200d👩\u200d👧, q\u0307 and 👍🏽 end."


def clusters_store(folder) -> Store:
    """A store holding one article of grapheme clusters (flags, ZWJ families, combining marks, skin tones)."""
    (folder / "c.txt").write_text(f"Title\n\n{CLUSTERS}\n", encoding="utf-8")
    store = Store(folder / "annotations.db")
    assert import_paths(store, [folder / "c.txt"]).ok
    return store


async def test_shift_arrows_select_whole_grapheme_clusters(workdir):
    app = make_app(clusters_store(workdir))
    async with app.run_test(size=SIZE) as pilot:  # one app for every kind of cluster
        await settle(app, pilot)
        view = app.query_one(ArticleView)
        for cluster in ["🇺🇦", "👩\u200d👩\u200d👧", "q\u0307", "👍🏽"]:
            start = app.annotate.article.text.index(cluster)
            end = start + len(cluster)
            view.select_range(start, start)
            await pilot.press("shift+right")
            await pilot.pause()
            assert view.selected_range == (start, end), cluster  # one key press, the whole cluster
            view.select_range(end, end)
            await pilot.press("shift+left")
            await pilot.pause()
            assert view.selected_range == (start, end), cluster
            view.select_range(start, start)
            await pilot.press("right")
            await pilot.pause()
            assert view.selected_range == (end, end), cluster


async def test_word_selection_never_ends_inside_a_cluster(workdir):
    app = make_app(clusters_store(workdir))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        view = app.query_one(ArticleView)
        text = app.annotate.article.text
        family = text.index("👩")
        inside = {family + i for i in range(1, 5)} | {text.index("🇺🇦") + 1, text.index("🇷🇺") + 1,
                                                      text.index("q\u0307") + 1, text.index("👍🏽") + 1}
        line_start = text.index("Flags")
        view.select_range(line_start, line_start)
        seen = []
        for _ in range(14):
            await pilot.press("ctrl+shift+right")
            await pilot.pause()
            seen.append(view.selected_range[1])
        assert not inside & set(seen), seen
        for _ in range(14):
            await pilot.press("ctrl+shift+left")
            await pilot.pause()
            assert view.selected_range[0] not in inside
