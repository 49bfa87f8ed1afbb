"""The annotation screen's reads: thread workers that get what to read as values (an article
id, a frozen :class:`ListQuery`), read the store and post what
they found as messages; the screen's handlers own the state."""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Any

from dataclasses import dataclass

from rich.text import Text
from textual import work
from textual.worker import get_current_worker

from ...messages import ArticleGone, ListReset, Loaded, ProgressRead, SuggestionsFound, TagsReloaded
from ...widgets.article_list import PAGE_SIZE, ArticleList, ListRow
from ...widgets.untrusted import safe

if TYPE_CHECKING:
    from collections import OrderedDict

    from textual.widgets import Select

    from ...widgets.outlet_card import OutletCard
    from ....lexicon import Suggestion
    from ....models import Article, Outlet


def suggestions_key(article: Article) -> str:
    """What an article's suggestions depend on: its text and its date (the codebook's dated usage)."""
    return f"{article.text_sha256} {article.published or ''}"


@dataclass(frozen=True)
class ListQuery:
    """Whose list, with which filters: what a worker reads the article list with. Taken on the
    UI thread when the worker starts (the filters and the name may change while it runs)."""

    annotator: str
    search: str | None = None
    status: str | None = None
    publisher: str | None = None  # "": no outlet known
    assigned: str | None = None  # only the articles assigned to this annotator

    def filters(self) -> dict[str, str | None]:
        """The store's keyword arguments for this list."""
        return {"annotator": self.annotator, "search": self.search, "status": self.status, "publisher": self.publisher,
                "assigned": self.assigned}


# Texts up to this many characters get their suggestions before they are shown (one
# redraw); longer ones are shown first and underlined when the suggestions arrive.
SUGGEST_BEFORE_SHOWING = 100_000


class ReadingWorkers:
    """Mixin of :class:`~.screen.AnnotateScreen`: the workers that read what it shows."""

    SUGGESTION_CACHE = 16  # articles whose suggestions are kept (moving back and forth is instant)
    PREFETCHED = 8  # articles read ahead and kept (text, outlets, suggestions)
    PROGRESS_EVERY = 10.0  # seconds between reads of the done count when moving (another program may change it)

    # (the screen's: see .screen.AnnotateScreen)
    store: Any
    annotator: str | None
    matcher: Any
    filters: dict[str, Any]
    progress: tuple[int, int]
    articles: ArticleList
    card: OutletCard
    outlet_filter: Select
    _outlet_names: dict[str, str]
    _suggestion_cache: OrderedDict[str, list[Suggestion]]
    _prefetched: OrderedDict[str, tuple]
    _prefetching: dict[str, threading.Event]
    _progress_read: float

    def _query(self) -> ListQuery:
        """The list as it is asked for now (a value: workers get it, never the changing filters)."""
        return ListQuery(self.annotator or "", **self.filters)

    @work(thread=True, group="outlets")
    def load_outlets(self) -> None:
        outlets = self.store.outlets()
        names = {o.id: o.name for o in outlets}  # for list pages; read once, not per page
        options = [(safe(o.name), o.id) for o in outlets] + [(Text("unknown outlet"), "")]
        self.app.call_from_thread(self._outlets_read, names, options, outlets)

    def _outlets_read(self, names: dict[str, str], options: list, outlets: list) -> None:
        self._outlet_names = names
        self.outlet_filter.set_options(options)
        self.card.prepare_outlets(outlets)

    @work(thread=True, group="orphans")
    def report_orphans(self, store: Any, codebook: Any) -> None:
        """Say how many tags use labels this codebook version no longer has (they are kept)."""
        from ....orphans import find_orphans, orphan_summary

        orphans = find_orphans(codebook, store.label_usage(codebook.id))
        if orphans:
            self.app.call_from_thread(self.notify, orphan_summary(codebook, orphans),
                                      severity="warning", timeout=10, markup=False)

    def reset_list(self, open_first: bool = False, resume: bool = False) -> None:
        """Count the articles that pass the filters; open the first (``open_first``), or the one this
        annotator opened last (``resume``: where they left off), or keep the open one."""
        self._reset_list(self._query(), open_first, resume)

    @work(thread=True, exclusive=True, group="list")
    def _reset_list(self, query: ListQuery, open_first: bool, resume: bool) -> None:
        total = self.store.count_articles(**query.filters())
        resume_id = self.store.last_opened(query.annotator) if resume and total else None
        self.post_message(ListReset(total, open_first, resume_id))

    @work(thread=True, group="pages")
    def load_page(self, generation: int, offset: int, query: ListQuery, names: dict[str, str]) -> None:
        names = names or self.store.outlet_names()  # (not read yet: read here)
        rows = self.store.list_articles(offset=offset, limit=PAGE_SIZE, **query.filters())
        page = [ListRow(r.id, r.title, names.get(r.publisher or "", "unknown outlet"), r.status, r.annotations,
                        str(r.published_date) if r.published else "")
                for r in rows]
        articles = self.articles
        self.app.call_from_thread(articles.set_page, generation, offset, page)

    def _read_article(self, article_id: str, query: ListQuery, position: int | None = None) -> None:
        """Read an article and all that is shown beside it, and post it; then the done count
        and its suggestions, which take longer (worker threads only). ``position`` is its
        place in the filtered list when the caller knows it."""
        pending = self._prefetching.get(article_id)
        if pending is not None:  # being read ahead (the next article): wait for it rather than read it twice
            pending.wait(1.0)
        ahead = self._prefetched.get(article_id)
        if ahead is None:
            ahead = self._read_ahead(article_id)
        if ahead is None:
            self.post_message(ArticleGone(f"article {article_id} is gone"))
            return
        article, publisher, original, known = ahead
        known = known if known is not None else self._suggestion_cache.get(suggestions_key(article))
        in_list = True
        if position is None:
            position, in_list = self._place(article.id, query)
        if get_current_worker().is_cancelled:  # another article was asked for meanwhile (e.g. "]" pressed twice)
            return
        self.post_message(Loaded(
            article=article,
            publisher=publisher,
            original=original,
            tags=self.store.annotations(article.id, query.annotator),
            suggestions=known,
            rejected=self.store.rejected_suggestions(article.id, query.annotator),
            status=self.store.status(article.id, query.annotator),
            position=position,
            in_list=in_list,
        ))
        worker = get_current_worker()
        # The done count changes with this TUI's own writes (read again with them, see reload_tags);
        # read here only to see another program's, at most every PROGRESS_EVERY seconds (bench/notes.md)
        if not worker.is_cancelled and time.monotonic() - self._progress_read >= self.PROGRESS_EVERY:
            self._progress_read = time.monotonic()
            self.post_message(ProgressRead(self.store.progress(query.annotator)))  # (drawn only if it changed)
        if known is None and not worker.is_cancelled:
            self.post_message(SuggestionsFound(
                article.id, suggestions_key(article), self.matcher.find(article.text, published=article.published)))

    def _read_ahead(self, article_id: str) -> tuple[Article, Outlet | None, Outlet | None, list[Suggestion] | None] | None:
        """What of an article does not change while it is open elsewhere: the article (an id
        is one version), its outlets (their facts as of its published date), its suggestions
        (worker threads only)."""
        article = self.store.article(article_id)
        if article is None:
            return None
        known = self._suggestion_cache.get(suggestions_key(article))
        if known is None and len(article.text) <= SUGGEST_BEFORE_SHOWING:
            known = self.matcher.find(article.text, published=article.published)
        day = article.published
        return (article, self.store.outlet_as_of(article.publisher, day),
                self.store.outlet_as_of(article.original_source, day), known)

    def _remember_suggestions(self, key: str, suggestions: list[Suggestion]) -> None:
        self._suggestion_cache[key] = suggestions
        self._suggestion_cache.move_to_end(key)
        while len(self._suggestion_cache) > self.SUGGESTION_CACHE:
            self._suggestion_cache.popitem(last=False)

    def _prefetch_next(self, position: int | None, generation: int) -> None:
        """After an article is drawn: read the next one ahead (most moves are "next article")."""
        if position is not None and generation == self.articles.generation and self.app.is_running:
            self._prefetch(position + 1, self._query())

    @work(thread=True, exclusive=True, group="prefetch")
    def _prefetch(self, index: int, query: ListQuery) -> None:
        rows = self.store.list_articles(offset=index, limit=1, **query.filters())
        if not rows or rows[0].id in self._prefetched or rows[0].id in self._prefetching:
            return
        article_id = rows[0].id
        done = self._prefetching[article_id] = threading.Event()
        try:
            ahead = self._read_ahead(article_id)
            if ahead is not None:
                self._prefetched[article_id] = ahead
                while len(self._prefetched) > self.PREFETCHED:
                    self._prefetched.popitem(last=False)
        finally:
            self._prefetching.pop(article_id, None)
            done.set()

    def open_article(self, article_id: str, position: int | None = None) -> None:
        """Open an article (``position``: its place in the list, when known)."""
        self._open_article(article_id, position, self._query())

    @work(thread=True, exclusive=True, group="open")
    def _open_article(self, article_id: str, position: int | None, query: ListQuery) -> None:
        self._read_article(article_id, query, position)

    def open_at(self, index: int) -> None:
        """Open the article at this place of the filtered list."""
        self._open_at(index, self._query())

    @work(thread=True, exclusive=True, group="open")
    def _open_at(self, index: int, query: ListQuery) -> None:
        rows = self.store.list_articles(offset=index, limit=1, **query.filters())
        if rows:
            self._read_article(rows[0].id, query, index)

    @work(thread=True, exclusive=True, group="open")
    def _open_next_undone(self, after: str | None, query: ListQuery) -> None:
        filters = query.filters()
        found = self.store.next_not_done(after, filters.pop("annotator"), **filters)
        if found is None:
            matching = self.store.count_articles(**query.filters())
            self.app.call_from_thread(self.notify, "Every article here is done." if matching else
                                      "No article matches the filters.")
        else:
            self._read_article(found, query)

    def reload_tags(self, article_id: str, annotator: str, with_progress: bool = False) -> TagsReloaded:
        """Read an article's tags again (writer thread, after a change)."""
        return TagsReloaded(
            article_id,
            self.store.annotations(article_id, annotator),
            self.store.rejected_suggestions(article_id, annotator),
            self.store.status(article_id, annotator),
            self.store.progress(annotator) if with_progress else None,
        )

    @work(thread=True, exclusive=True, group="locate")
    def _locate_current(self, article_id: str, query: ListQuery) -> None:
        """Where the open article is in the (re)filtered list, if it is there."""
        position, in_list = self._place(article_id, query)
        self.app.call_from_thread(self._set_position, article_id, position, in_list)

    def _place(self, article_id: str, query: ListQuery) -> tuple[int | None, bool]:
        """(position, in the list): where an article is in the filtered list, or would be
        when it does not pass the filters (worker threads only)."""
        position = self.store.article_position(article_id, **query.filters())
        if position is None:
            return None, False
        there = self.store.list_articles(offset=position, limit=1, **query.filters())
        return position, bool(there) and there[0].id == article_id

    def _note_opened(self, annotator: str, article_id: str) -> None:
        """Remember where this annotator is (writer thread): the next start opens it again."""
        try:
            self.store.note_opened(annotator, article_id)
        except Exception:  # a locked or read-only database: only the place to reopen is not kept
            pass

    @work(thread=True, group="who")
    def _refresh_who(self, name: str) -> None:
        has_tagged, progress = self.store.has_annotations(name), self.store.progress(name)
        self.app.call_from_thread(self._show_who, has_tagged, progress)
