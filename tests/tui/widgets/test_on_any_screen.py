"""The widgets draw from the data they are given, on any screen: a screen of another app
shows an article with its outlet card, highlights, questions and tag list by composing the
widgets and calling their ``show`` methods (what the review and story screens will do),
without the annotation app or a database connection in the widgets."""

from __future__ import annotations

from rich.style import Style
from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical

from annotator.codebook import load_codebook
from annotator.tagging import new_tag
from annotator.tui.widgets.article_view import ArticleView, Paint
from annotator.tui.widgets.outlet_card import OutletCard
from annotator.tui.widgets.panels import ArticleHead, Questions
from annotator.tui.widgets.tag_list import TagList

from ...conftest import screen_rows
from ..conftest import MINI, card_text, widget_text


class Side(App):
    """Not the annotation app: a bare app composing the widgets."""

    CSS = "Horizontal { height: 1fr; } Vertical { width: 1fr; }"  # (the layout: the widgets size themselves)

    def compose(self) -> ComposeResult:
        with Horizontal():
            with Vertical():
                yield ArticleHead()
                yield ArticleView()
            with Vertical():
                yield OutletCard(id="outlet-card")  # (the id the test helper card_text reads)
                yield Questions()
                yield TagList()


async def test_an_article_its_outlet_card_and_its_tags_shown_by_another_app(demo_store):
    book = load_codebook(MINI)
    row = next(r for r in demo_store.list_articles(limit=10) if r.publisher)
    article = demo_store.article(row.id)
    publisher = demo_store.outlet(article.publisher)
    start = article.text.index(" ") + 1
    end = article.text.index(" ", start)
    span = new_tag(article, "alice", book, "term", "kremlin-form", start, end)
    answer = new_tag(article, "alice", book, "tone", "pro")
    app = Side()
    async with app.run_test(size=(160, 45)) as pilot:
        app.query_one(ArticleHead).show(article, publisher, None, "new", 0, "S")
        view = app.query_one(ArticleView)
        view.show_text(article.text)
        view.set_paints([Paint(start, end, Style(bgcolor="red"))])
        card = app.query_one(OutletCard)
        card.show_outlets(article, publisher, None)
        app.query_one(Questions).show(book, [span, answer], "Q")
        app.query_one(TagList).show([span, answer], book, span.uuid)
        await pilot.pause()
        assert article.title.split()[0] in widget_text(app.query_one(ArticleHead))
        assert article.text.split()[1] in " ".join(screen_rows(app, view))
        assert publisher.name in card_text(app)
        assert "Pro" in widget_text(app.query_one(Questions))
        tags = widget_text(app.query_one(TagList))
        assert "Kremlin form" in tags and span.quote in tags
