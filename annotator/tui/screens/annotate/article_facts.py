"""The annotation screen's correction of the open article's facts (publisher, original
source, date, story, title): a dialog, then the library's rule (:mod:`annotator.corrections.article_edits`)
on the app's writer thread, then the article's head, card and list row drawn again."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work

from ..dialogs import ArticleFactsScreen

if TYPE_CHECKING:
    from ....models import Article, Outlet

TUI_SOURCE = "TUI"


def _facts_of(article: Article) -> dict[str, str]:
    """The article's facts as the dialog shows them (empty: unknown)."""
    return {"publisher": article.publisher or "", "original_source": article.original_source or "",
            "published": str(article.published) if article.published.value else "", "story": article.story or "",
            "title": article.title}


class ArticleFactsActions:
    """Mixin of :class:`~.screen.AnnotateScreen`: correcting the open article's facts."""

    # (the screen's: see .screen.AnnotateScreen)
    store: Any
    writer: Any
    annotator: str | None
    article: Any
    publisher: Any
    original: Any

    @work(group="dialog", exclusive=True)
    async def action_edit_article(self) -> None:
        if self.article is None:
            return
        opened = self.article
        changes = await self.app.push_screen_wait(ArticleFactsScreen(_facts_of(opened)))
        if not changes or not self._still_on(opened.id):
            return
        try:
            outcome, article, publisher, original = await self.writer.run(self._save_facts, opened, changes,
                                                                          self.annotator)
        except Exception as exc:  # a bad value (one line), a read-only or locked database: the session goes on
            self.notify(f"not saved: {exc}", severity="error", markup=False, timeout=8)
            return
        for note in outcome.notes:
            self.notify(note, markup=False, timeout=12)
        if self.article is None or self.article.id != opened.id:
            return
        self.article, self.publisher, self.original = article, publisher, original
        self.card.show_outlets(article, publisher, original)
        self._refresh_article(place=False)
        self.articles.update_row(article.id, title=article.title, outlet=self._outlet_label(article.publisher),
                                 published=str(article.published) if article.published.value else "")
        if outcome.changed:
            self.notify(f"Saved: {', '.join(outcome.changed)}.", markup=False, timeout=4)

    def _save_facts(self, article: Article, changes: dict[str, str], who: str | None
                    ) -> tuple[Any, Article, Outlet | None, Outlet | None]:
        """On the writer thread: correct the facts, then read the article and its outlets again."""
        from ....corrections.article_edits import set_article_facts

        outcome = set_article_facts(self.store, article, changes, who, TUI_SOURCE)
        stored = self.store.article(article.id) or article
        if outcome.notes:  # a new outlet: the list's names and the outlet filter know it from now on
            self.app.call_from_thread(self.load_outlets)
        day = stored.published
        return (outcome, stored, self.store.outlet_as_of(stored.publisher, day),
                self.store.outlet_as_of(stored.original_source, day))

    def _outlet_label(self, outlet_id: str | None) -> str:
        """The name the article list shows for an outlet."""
        if outlet_id is None:
            return "unknown outlet"
        if self.publisher is not None and self.publisher.id == outlet_id:
            return self.publisher.name
        return self._outlet_names.get(outlet_id, outlet_id)
