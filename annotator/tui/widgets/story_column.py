"""A column of the story screen: an article headed by its outlet's compact card (name,
country, state affiliation, the latest rating), a line that says where the followed concept
is in it, and the text (an :class:`ArticleView`, scrolled on its own)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from .article_view import ArticleView
from .cached import update_static
from .untrusted import safe

if TYPE_CHECKING:
    from ...models import Article, Outlet


def latest_rating(outlet: Outlet):
    """The outlet's most recent rating (by its date), or None."""
    dated = [r for r in outlet.ratings if r.as_of.value]
    return max(dated, key=lambda r: r.as_of.value) if dated else None


def outlet_summary(article: Article, outlet: Outlet | None) -> Text:
    """Three lines: the outlet and the article's date; country and state affiliation; the latest rating."""
    head = Text(no_wrap=True, overflow="ellipsis")
    head.append_text(safe(outlet.name if outlet else (article.publisher or "unknown outlet"), style="bold"))
    head.append(f"  {article.published if article.published.value else 'undated'}", style="dim")
    if outlet is None:
        return Text.assemble(head, "\n", ("no outlet record", "dim italic"), "\n", no_wrap=True, overflow="ellipsis")
    facts = Text(no_wrap=True, overflow="ellipsis")
    facts.append_text(safe(outlet.country or "country unknown"))
    facts.append(" · ")
    affiliation = outlet.state_affiliation.value
    facts.append_text(safe(affiliation, style="bold red" if affiliation.startswith("state") else ""))
    rating = latest_rating(outlet)
    rated = Text(no_wrap=True, overflow="ellipsis", style="dim")
    if rating is None:
        rated.append("no rating recorded")
    else:
        rated.append_text(safe(f"{rating.rater} ({rating.scale}): {rating.value}, {rating.as_of}"))
        if not rating.verified:
            rated.append(" (unverified)")
    return Text.assemble(head, "\n", facts, "\n", rated, no_wrap=True, overflow="ellipsis")


class StoryColumn(Vertical):
    """One article of a story, headed by its outlet."""

    DEFAULT_CSS = """
    StoryColumn { width: 1fr; border-right: solid $primary-darken-2; }
    StoryColumn > .story-card { height: 3; padding: 0 1; background: $boost; text-wrap: nowrap; text-overflow: ellipsis; }
    StoryColumn > .story-where { height: 1; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
    StoryColumn:focus-within > .story-card { background: $primary-darken-2; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.card = Static(classes="story-card")
        self.where = Static(classes="story-where")
        self.view = ArticleView()
        self.article_id: str | None = None

    def compose(self) -> ComposeResult:
        yield self.card
        yield self.where
        yield self.view

    def show(self, article: Article, outlet: Outlet | None) -> None:
        """Show this article (its text from the top) under its outlet's card."""
        self.article_id = article.id
        update_static(self.card, outlet_summary(article, outlet))
        self.view.show_text(article.text)

    def clear(self) -> None:
        """Show no article (a story with fewer articles than columns)."""
        self.article_id = None
        update_static(self.card, Text(""))
        self.view.show_text("")

    def say(self, line: Text) -> None:
        """The line under the card: where the followed concept is in this article."""
        update_static(self.where, line)
