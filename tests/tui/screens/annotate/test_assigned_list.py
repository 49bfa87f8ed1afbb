"""With assignments (``annotator assign``), the list opens on the annotator's own articles and
the progress counts those; the filter widens it to every article."""

from __future__ import annotations

from ...conftest import SIZE, make_app, settle, widget_text


async def test_the_list_shows_what_is_assigned_to_me_until_widened(demo_store):
    ids = [r.id for r in demo_store.list_articles()]
    demo_store.save_assignments({ids[1]: ["maria", "olek"], ids[3]: ["maria"], ids[4]: ["olek"]}, "lead", "{}")
    app = make_app(demo_store, "maria")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.annotate
        assert screen.assigned_filter.display
        assert screen.articles.total == 2 and screen.article.id in (ids[1], ids[3])
        assert screen.progress == (0, 2)
        assert "0/2" in widget_text(app.query_one("#topbar-info"))
        screen.assigned_filter.value = "all"
        await settle(app, pilot)
        assert screen.articles.total == 5
        screen.assigned_filter.value = "mine"
        await settle(app, pilot)
        assert screen.articles.total == 2


async def test_without_assignments_the_filter_is_hidden_and_the_list_is_whole(demo_store):
    app = make_app(demo_store, "maria")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert not app.annotate.assigned_filter.display
        assert app.annotate.articles.total == 5 and app.annotate.progress == (0, 5)
