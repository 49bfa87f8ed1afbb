"""The annotation TUI: the article list, the article beside its outlet card, and the tag panel.

Handlers here own the state; widgets only show it. Reads run in thread workers
that post messages; every write goes through one writer thread, in order, and
the screen shows a change only after it is committed.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.color import Color
from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Select, Static
from textual.worker import get_current_worker

from ..normalize import clean_line, normalize_text
from ..tagging import Change, History, answer, initial_voice, lexicon_attributes, next_voice, same_tag, trim_selection
from .article_list import PAGE_SIZE, ArticleList, ListRow
from .article_view import ArticleView, Paint
from .cached import update_static
from .outlet_card import OutletCard
from .opening import OpenError, OpenRequest, Session, open_session
from .help_content import guideline_help, keys_help
from .keys import ACTION_HELP, ACTIONS, SESSION_ACTIONS, key_set, markup_key, plain
from .messages import ListQuery, ListReset, Loaded, Opened, OpenFailed, ProgressRead, SuggestionsFound, TagsReloaded
from .side_tabs import COMPACT_HEIGHT, COMPACT_WIDTH, PANES, SideTabs
from .tag_list import TagList
from .textual_private import OneLineErrors, normalize_key_list
from .panels import ArticleHead, LabelKeys, Questions
from .screens import Choice, ConfirmScreen, HelpScreen, NameScreen, NoteScreen, PickerScreen

if TYPE_CHECKING:  # imported at run time only once the session is open (see .opening): not before the first frame
    from ..codebook import Category, Codebook
    from ..lexicon import Matcher, Suggestion
    from ..models import Annotation, Article, Outlet
    from ..store import Store

# Texts up to this many characters get their suggestions before they are shown (one
# redraw); longer ones are shown first and underlined when the suggestions arrive.
SUGGEST_BEFORE_SHOWING = 100_000
# A write still waiting for the database after this long says so ("saving… (database busy)");
# the store gives up after WRITE_WAIT_S (60 s), and only then is it "not saved".
BUSY_NOTICE_S = 1.0

ALIGNMENT_COLOURS = {"kremlin": "red", "ukraine-west": "dodger_blue1", "neutral": "grey70"}

def safe(value: object, style: str = "") -> Text:
    """:func:`annotator.render.safe` (untrusted text as ``Text``), imported on first use:
    the render module imports the models and the store, which the first frame must not wait for."""
    from ..render import safe as render_safe

    return render_safe(value, style)


def _readable_on(colour: str) -> str:
    try:
        r, g, b = Color.parse(colour).get_truecolor()
    except Exception:
        return "black"
    return "black" if (0.299 * r + 0.587 * g + 0.114 * b) > 110 else "white"


class AnnotatorApp(OneLineErrors, App):
    """Tag articles beside their outlet cards."""

    CSS_PATH = Path(__file__).with_name("app.tcss")
    TITLE = "annotator"
    # -narrow/-short: the side pane shows one part at a time (see .side_tabs); -wide: the list shows
    # (-medium: the list, once shown, takes the side pane's place too: list, text and side pane need 120 columns)
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (COMPACT_WIDTH, "-medium"), (120, "-roomy"), (130, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (COMPACT_HEIGHT, "-tall")]
    BINDINGS = [
        Binding(key, action, description, show=show, id=binding_id)
        for binding_id, key, action, description, show in ACTIONS
    ]
    SUGGESTION_CACHE = 16  # articles whose suggestions are kept (moving back and forth is instant)
    PREFETCHED = 8  # articles read ahead and kept (text, outlets, suggestions)
    PROGRESS_EVERY = 10.0  # seconds between reads of the done count when moving (another program may change it)

    def __init__(self, store: Store | None = None, annotator: str | None = None, codebook: Codebook | None = None,
                 keymap: dict[str, str] | None = None, *, request: OpenRequest | None = None):
        """Either an open ``store``, the ``annotator`` and the ``codebook`` (tests, scripts), or a
        ``request`` from the command line, opened in a worker once the first frame is drawn
        (see :mod:`.opening`). Until the session is open (``ready``) the app shows its layout
        and "opening…", its keys are greyed out, and ``store``, ``annotator``, ``codebook`` are None."""
        super().__init__()
        if request is None:
            if store is None or annotator is None or codebook is None:
                raise TypeError("AnnotatorApp needs a store, an annotator and a codebook, or a request")
            self._given: Session | None = Session(store, annotator, codebook, dict(keymap or {}))
        else:
            self._given = None
        self.request = request
        self.store: Store | None = None
        self.annotator: str | None = None
        self.codebook: Codebook | None = None
        self.keymap: dict[str, str] = {}
        self.matcher: Matcher | None = None
        self.ready = False  # the session is open
        self.open_error: str | None = None  # why it could not be opened (the app exits; the command line says it)
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="annotator-writer")
        self.article: Article | None = None
        self.publisher: Outlet | None = None
        self.original: Outlet | None = None
        self.tags: list[Annotation] = []
        self.all_suggestions: list[Suggestion] = []
        self.suggestions_pending = False
        self.rejected: set[tuple[int, int, str]] = set()
        self.status = "new"
        self.progress = (0, 0)
        self.position: int | None = None
        self.in_list = True
        self.current_tag: str | None = None
        self.history = History()  # this session's undo and redo
        self.filters: dict[str, Any] = {"search": None, "status": None, "publisher": None}
        self.span_keys: dict[str, tuple[Category, Any]] = {}
        self.bound_label_keys: dict[str, tuple[Category, Any]] = {}
        self._suggestion_cache: OrderedDict[str, list[Suggestion]] = OrderedDict()
        self._outlet_names: dict[str, str] = {}  # outlet id -> name, filled by load_outlets
        self._visible: tuple[tuple, list[Suggestion]] = ((), [])
        self._styles: dict[tuple, Style] = {}
        self._suggestion_paints: tuple[object, list[Paint]] = (None, [])
        self._gc_frozen = False
        self._progress_read = float("-inf")
        self._prefetched: OrderedDict[str, tuple] = OrderedDict()  # article id -> _read_ahead (worker threads)
        self._prefetching: dict[str, threading.Event] = {}
        self._widgets: dict[Any, Any] = {}
        self._asking_name = False  # the first-start dialog is open
        self.pane = "card"  # the part of the side pane shown on a small terminal (see .side_tabs)
        self.has_tagged = False
        self.names: Any = None  # the codebook's names for ids (annotator.naming.Names), once open

    # -- layout ----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Static(id="topbar-info")
            yield Static(id="topbar-help")
        with Horizontal(id="main"):
            with Vertical(id="sidebar"):
                yield Input(placeholder="search titles and texts  (/)", id="search", compact=True)
                yield Select([], prompt="any status", id="status-filter", compact=True)  # filled once open
                yield Select([], prompt="any outlet", id="outlet-filter", compact=True)
                yield ArticleList(id="articles")
            with Vertical(id="reader"):
                yield ArticleHead(id="article-head")
                yield ArticleView(id="text")
                yield Static(id="hint")
            # on small terminals one part of the side pane at a time (see .side_tabs); else all three stacked
            with Vertical(id="side", classes="-pane-card"):
                yield SideTabs(id="side-tabs")
                with Vertical(id="card-scroll", classes="side-part part-card"):
                    yield OutletCard(id="outlet-card")
                with Vertical(id="tag-panel", classes="side-part part-tags"):
                    yield Static(id="tags-title")
                    yield TagList(id="tag-list")
                with VerticalScroll(id="question-panel", classes="side-part part-questions"):
                    yield Questions(id="questions")
                with VerticalScroll(id="keys-panel", classes="side-part part-tags"):
                    yield LabelKeys(id="tag-keys")
        yield Footer()

    def _main(self, selector: Any, expect_type: Any = None) -> Any:
        """A widget of the main screen, looked up once (its layout never changes; a CSS query
        per use was a tenth of the time of opening an article). Found on the main screen
        even while a dialog is open over it."""
        key = (selector, expect_type)
        widget = self._widgets.get(key)
        if widget is None:  # (kept while the app closes: a late message then changes a detached widget)
            if not self.screen_stack:
                raise NoMatches(f"no screen to find {selector!r} on")
            screen = self.screen_stack[0]
            widget = screen.query_one(selector) if expect_type is None else screen.query_one(selector, expect_type)
            self._widgets[key] = widget
        return widget

    def _on_main(self, selector: Any, update: Callable[[Any], None]) -> None:
        """Apply a worker's result to a widget of the main screen (UI thread; the widgets are
        looked up here, not in the worker: once the app is closing they are gone)."""
        try:
            widget = self._main(selector)
        except NoMatches:
            return
        update(widget)

    def key_for(self, binding_id: str) -> str:
        """The key string in effect for an action (the configured one, else the default)."""
        default = next(key for bid, key, *_ in ACTIONS if bid == binding_id)
        return self.keymap.get(binding_id, default)

    def on_mount(self) -> None:
        self.theme = "textual-dark"
        self._main(ArticleHead).set_content(
            Text("Opening the database, the codebook and the configuration…", style="dim italic"))
        self._main("#tags-title", Static).update(self._tags_title())
        self._update_topbar()
        self._main(ArticleView).focus()
        self.call_after_refresh(self._open_session)  # after the first frame: it must not wait for the imports

    @work(thread=True, exclusive=True, group="session")
    def _open_session(self) -> None:
        """Open the configuration, codebook and store (imports sqlite-utils, pydantic, the
        codebook's YAML: a few tenths of a second) and prepare the lexicon's matcher."""
        try:
            session = self._given or open_session(self.request)  # type: ignore[arg-type]
        except OpenError as exc:
            self.call_from_thread(self._open_failed, str(exc))
            return
        from ..lexicon import Matcher

        self.post_message(Opened(session, Matcher(session.codebook), session.store.has_annotations(session.annotator)))

    def _open_failed(self, message: str) -> None:
        self.open_error = message
        self.exit(return_code=1)

    def on_opened(self, message: Opened) -> None:
        from ..store import STATUSES

        session = message.session
        self.store, self.annotator, self.codebook = session.store, session.annotator, session.codebook
        self.keymap, self.matcher = dict(session.keymap), message.matcher
        from ..naming import Names  # (after the first frame: it imports the codebook)

        self.names = Names(self.codebook)
        self.has_tagged = message.has_tagged
        self.span_keys = self.codebook.span_keys()
        known = {binding_id for binding_id, *_ in ACTIONS}
        unknown = sorted(set(self.keymap) - known)
        if unknown:
            self.notify(f"[keys] in the configuration names unknown action(s): {', '.join(map(clean_line, unknown))}. "
                        f"Known: {', '.join(sorted(known))}", severity="warning", timeout=15, markup=False)
            for name in unknown:
                del self.keymap[name]
        if self.keymap:
            self.set_keymap(self.keymap)
        app_keys = set().union(*(key_set(self.key_for(binding_id)) for binding_id in known))
        for key, (category, label) in self.span_keys.items():
            if key_set(key) & app_keys:
                self.notify(f"label key {key!r} ({clean_line(label.name)}) is also an application key; "
                            "it is not bound (use T to tag with this label)", severity="warning", timeout=15, markup=False)
                continue
            # Textual names punctuation keys ("#" is "number_sign"): bound by the name, or they never fire
            self.bind(normalize_key_list(key), f"tag('{category.id}', '{label.id}')", description=plain(label.name),
                      show=False)
            self.bound_label_keys[key] = (category, label)
        self._main("#status-filter", Select).set_options([(Text(s), s) for s in STATUSES])
        self._main(LabelKeys).show(self.codebook, self.bound_label_keys)
        self._main(ArticleHead).set_content(Text(""))
        self.ready = True
        self.refresh_bindings()
        self._main("#tags-title", Static).update(self._tags_title())
        self._main(Questions).show(self.codebook, self.tags, self._key("answer_question"))
        self._update_topbar()
        self.load_outlets()
        self.reset_list(open_first=True, resume=True)
        self._update_side_tabs()
        self._update_hint()
        if session.name_from_login:
            self._ask_name_first()
        self.report_orphans()

    def error_line(self, error: BaseException) -> str | None:
        """A damaged or unusable database met while reading or writing ends the TUI with one line."""
        from ..store import DatabaseError, StoreError, database_error_line

        if isinstance(error, StoreError):
            return str(error)
        if isinstance(error, DatabaseError):
            where = self.store.path if self.store is not None else (self.request.db_path if self.request else "database")
            return database_error_line(where, error)
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.ready and action in SESSION_ACTIONS:
            return None  # greyed out in the footer until the session is open
        return super().check_action(action, parameters)

    # -- reading (workers) -------------------------------------------------------------

    @work(thread=True, group="outlets")
    def load_outlets(self) -> None:
        outlets = self.store.outlets()
        self._outlet_names = {o.id: o.name for o in outlets}  # for list pages; read once, not per page
        options = [(safe(o.name), o.id) for o in outlets] + [(Text("unknown outlet"), "")]
        self.call_from_thread(self._on_main, "#outlet-filter", lambda select: select.set_options(options))
        self.call_from_thread(self._on_main, OutletCard, lambda card: card.prepare_outlets(outlets))

    @work(thread=True, group="orphans")
    def report_orphans(self) -> None:
        """Say how many tags use labels this codebook version no longer has (they are kept)."""
        from ..orphans import find_orphans, orphan_summary

        orphans = find_orphans(self.codebook, self.store.label_usage(self.codebook.id))
        if orphans:
            self.call_from_thread(self.notify, orphan_summary(self.codebook, orphans), severity="warning",
                                  timeout=10, markup=False)

    def _query(self) -> ListQuery:
        """The list as it is asked for now (a value: workers get it, never the changing filters)."""
        return ListQuery(self.annotator or "", **self.filters)

    def reset_list(self, select_id: str | None = None, open_first: bool = False, resume: bool = False) -> None:
        """Count the articles that pass the filters; open the first (``open_first``), or the one this
        annotator opened last (``resume``: where they left off), or keep the open one."""
        self._reset_list(self._query(), select_id, open_first, resume)

    @work(thread=True, exclusive=True, group="list")
    def _reset_list(self, query: ListQuery, select_id: str | None, open_first: bool, resume: bool) -> None:
        total = self.store.count_articles(**query.filters())
        resume_id = self.store.last_opened(query.annotator) if resume and total else None
        self.post_message(ListReset(total, select_id, open_first, resume_id))

    @work(thread=True, group="pages")
    def load_page(self, generation: int, offset: int, query: ListQuery) -> None:
        names = self._outlet_names or self.store.outlet_names()
        rows = self.store.list_articles(offset=offset, limit=PAGE_SIZE, **query.filters())
        page = [ListRow(r.id, r.title, names.get(r.publisher or "", "unknown outlet"), r.status, r.annotations,
                        str(r.published_date) if r.published else "")
                for r in rows]
        self.call_from_thread(self._on_main, ArticleList, lambda articles: articles.set_page(generation, offset, page))

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
            self.post_message(OpenFailed(f"article {article_id} is gone"))
            return
        article, publisher, original, known = ahead
        known = known if known is not None else self._suggestion_cache.get(article.text_sha256)
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
        # The done count changes with this TUI's own writes (read again with them, see _reload_tags);
        # read here only to see another program's, at most every PROGRESS_EVERY seconds: at 1M tags
        # it is a 17 ms query, which on a busy machine took its time from the next article's frame
        if not worker.is_cancelled and time.monotonic() - self._progress_read >= self.PROGRESS_EVERY:
            self._progress_read = time.monotonic()
            progress = self.store.progress(query.annotator)
            if progress != self.progress:
                self.post_message(ProgressRead(progress))
        if known is None and not worker.is_cancelled:
            self.post_message(SuggestionsFound(article.id, article.text_sha256, self.matcher.find(article.text)))

    def _read_ahead(self, article_id: str) -> tuple[Article, Outlet | None, Outlet | None, list[Suggestion] | None] | None:
        """What of an article does not change while it is open elsewhere: the article (an id
        is one version), its outlets, its suggestions (worker threads only)."""
        article = self.store.article(article_id)
        if article is None:
            return None
        known = self._suggestion_cache.get(article.text_sha256)
        if known is None and len(article.text) <= SUGGEST_BEFORE_SHOWING:
            known = self.matcher.find(article.text)
        return article, self.store.outlet(article.publisher), self.store.outlet(article.original_source), known

    def _prefetch_next(self, position: int | None, generation: int) -> None:
        """After an article is drawn: read the next one ahead (most moves are "next article")."""
        try:
            articles = self._main(ArticleList)
        except NoMatches:  # closing
            return
        if position is not None and generation == articles.generation and self.is_running:
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

    def _reload_tags(self, article_id: str, annotator: str, with_progress: bool = False) -> TagsReloaded:
        """Read an article's tags again (writer thread, after a change)."""
        return TagsReloaded(
            article_id,
            self.store.annotations(article_id, annotator),
            self.store.rejected_suggestions(article_id, annotator),
            self.store.status(article_id, annotator),
            self.store.progress(annotator) if with_progress else None,
        )

    # -- messages --------------------------------------------------------------------

    def on_list_reset(self, message: ListReset) -> None:
        articles = self._main(ArticleList)
        articles.reset(message.total)
        if message.total == 0:
            self._show_nothing()
            return
        if message.resume_id is not None:
            self.open_article(message.resume_id)
        elif message.open_first or self.article is None:  # (None: the filters matched nothing before)
            articles.cursor = 0
            self.open_at(0)
        else:
            self._locate_current(self.article.id, self._query())

    def _show_nothing(self) -> None:
        """No article passes the filters: the screen says so, and shows no other article under it."""
        self.workers.cancel_group(self, "open")
        self.article = self.publisher = self.original = None
        self.tags, self.all_suggestions, self.rejected, self.position = [], [], set(), None
        self.current_tag = None
        self._main(ArticleView).show_text("")
        self._main(OutletCard).show_outlets(self.article, self.publisher, self.original)
        self._refresh_article()
        filters = self._filter_words()
        self._main(ArticleHead).set_content(
            Text(f"No article matches the filters ({filters})." if filters else "There are no articles here.",
                 style="italic"),
            Text.assemble(("Change the search, status or outlet in the list", "dim"),
                          ("" if self._main("#sidebar").display else f" ({self._key('toggle_list')} shows it)", "dim"),
                          (".", "dim")))

    @work(thread=True, exclusive=True, group="locate")
    def _locate_current(self, article_id: str, query: ListQuery) -> None:
        """Where the open article is in the (re)filtered list, if it is there."""
        position, in_list = self._place(article_id, query)
        self.call_from_thread(self._set_position, article_id, position, in_list)

    def _place(self, article_id: str, query: ListQuery) -> tuple[int | None, bool]:
        """(position, in the list): where an article is in the filtered list, or would be
        when it does not pass the filters (worker threads only)."""
        position = self.store.article_position(article_id, **query.filters())
        if position is None:
            return None, False
        there = self.store.list_articles(offset=position, limit=1, **query.filters())
        return position, bool(there) and there[0].id == article_id

    def _set_position(self, article_id: str, position: int | None, in_list: bool) -> None:
        if self.article is None or self.article.id != article_id:
            return
        self.position, self.in_list = position, in_list
        articles = self._main(ArticleList)
        if position is not None and articles.total:
            articles.cursor = min(position, articles.total - 1)
        self._update_topbar()

    def on_article_list_need_page(self, message: ArticleList.NeedPage) -> None:
        self.load_page(self._main(ArticleList).generation, message.offset, self._query())

    def on_article_list_chosen(self, message: ArticleList.Chosen) -> None:
        self.open_article(message.article_id, message.index)
        self._main(ArticleView).focus()

    def on_open_failed(self, message: OpenFailed) -> None:
        self.notify(message.message, severity="error", markup=False)

    def on_loaded(self, message: Loaded) -> None:
        if message.in_list and not self._main(ArticleList).total:
            return  # read for the list, whose filters then changed to match nothing
        self.article, self.publisher, self.original = message.article, message.publisher, message.original
        if not self._asking_name:  # (under the login name, before the person says who they are: not kept)
            self._writer.submit(self._note_opened, self.annotator, message.article.id)
        self.tags, self.rejected = message.tags, message.rejected
        self.all_suggestions = message.suggestions or []
        self.suggestions_pending = message.suggestions is None
        if message.suggestions is not None:
            self._remember_suggestions(message.article.text_sha256, message.suggestions)
        self.status, self.position, self.in_list = message.status, message.position, message.in_list
        self.current_tag = None
        view = self._main(ArticleView)
        view.show_text(message.article.text)
        self._main(OutletCard).show_outlets(self.article, self.publisher, self.original)
        self._refresh_article(place=False)
        # the article first: its place (the list's cursor and row, "article N/M" in the bar) in the
        # frame after it, which then redraws those few lines only, not the whole screen with them
        self.call_after_refresh(self._show_place, message.article.id, message.status, len(message.tags),
                                message.position)
        # the next article is read ahead once this one is on the screen (not while it is drawn)
        self.call_after_refresh(self._prefetch_next, message.position if message.in_list else None,
                                self._main(ArticleList).generation)
        if not self._gc_frozen:  # once the first article is shown: see _freeze_heap
            self._gc_frozen = True
            self.call_after_refresh(self._freeze_heap)

    def _note_opened(self, annotator: str, article_id: str) -> None:
        """Remember where this annotator is (writer thread): the next start opens it again."""
        try:
            self.store.note_opened(annotator, article_id)
        except Exception:  # a locked or read-only database: only the place to reopen is not kept
            pass

    @staticmethod
    def _freeze_heap() -> None:
        """Leave what the open session holds (modules, codebook, widgets, drawn cards) out of
        Python's garbage collection from now on: a full collection walked all of it every ten
        articles or so, a pause of 60-100 ms in "next article" (p95 130 -> 60 ms at 1M tags)."""
        import gc

        gc.freeze()

    def _show_place(self, article_id: str, status: str, tags: int, position: int | None) -> None:
        if self.article is None or self.article.id != article_id:
            return  # another article opened meanwhile: it shows its own place
        articles = self._main(ArticleList)
        articles.current_id = article_id
        articles.update_row(article_id, status=status, tags=tags)
        if position is not None and articles.total:
            articles.cursor = min(position, articles.total - 1)
        self._update_topbar()

    def on_progress_read(self, message: ProgressRead) -> None:
        self.progress = message.progress
        self._update_topbar()

    def _remember_suggestions(self, text_sha256: str, suggestions: list[Suggestion]) -> None:
        self._suggestion_cache[text_sha256] = suggestions
        self._suggestion_cache.move_to_end(text_sha256)
        while len(self._suggestion_cache) > self.SUGGESTION_CACHE:
            self._suggestion_cache.popitem(last=False)

    def on_suggestions_found(self, message: SuggestionsFound) -> None:
        self._remember_suggestions(message.text_sha256, message.suggestions)
        if self.article is None or self.article.id != message.article_id:
            return
        self.all_suggestions, self.suggestions_pending = message.suggestions, False
        self._refresh_article()

    def on_tags_reloaded(self, message: TagsReloaded) -> None:
        if message.progress is not None:
            self.progress = message.progress
        if self.article is None or message.article_id != self.article.id:
            self._update_topbar()
            return
        status_changed = message.status != self.status
        self.tags, self.rejected, self.status = message.tags, message.rejected, message.status
        if status_changed and self.filters["status"] is not None:
            self.reset_list()  # it moved into or out of the filtered list
        if self.current_tag and not any(t.uuid == self.current_tag for t in self.tags):
            self.current_tag = None
        self._main(ArticleList).update_row(message.article_id, status=message.status, tags=len(message.tags))
        self.has_tagged = self.has_tagged or bool(message.tags)
        self._refresh_article()

    @on(ArticleView.SelectionChanged)
    def _selection_moved(self, event: ArticleView.SelectionChanged) -> None:
        view = self._main(ArticleView)
        start, end = view.selected_range
        if start == end:
            inside = [t for t in self.span_tags if t.start <= start < t.end]  # type: ignore[operator]
            new = inside[-1].uuid if inside else None
            if new != self.current_tag:
                self.current_tag = new
                self._refresh_article()
                return
        self._update_hint()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.filters["search"] = event.value.strip() or None
        if self.ready:  # (before: the list is read with the filters once the session is open)
            self.reset_list()

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        """Enter in the search box opens the first match (the list keeps the others)."""
        self.reset_list(open_first=True)
        self._main(ArticleList).focus()

    @on(Select.Changed, "#status-filter")
    def _status_changed(self, event: Select.Changed) -> None:
        self.filters["status"] = event.value if isinstance(event.value, str) else None  # not the blank sentinel
        if self.ready:
            self.reset_list()

    @on(Select.Changed, "#outlet-filter")
    def _outlet_changed(self, event: Select.Changed) -> None:
        self.filters["publisher"] = event.value if isinstance(event.value, str) else None  # "": unknown outlet
        if self.ready:
            self.reset_list()

    @on(TagList.Chosen)
    def _tag_chosen(self, event: TagList.Chosen) -> None:
        tag = next((t for t in self.tags if t.uuid == event.tag_id), None)
        if tag is None:
            return
        view = self._main(ArticleView)
        if tag.start is not None:
            self.current_tag = tag.uuid
            view.select_range(tag.start, tag.end)  # type: ignore[arg-type]
            self._refresh_article()
        view.focus()

    # -- derived state ----------------------------------------------------------------

    @property
    def span_tags(self) -> list[Annotation]:
        return sorted((t for t in self.tags if t.start is not None), key=lambda t: (t.start, t.end))

    @property
    def suggestions(self) -> list[Suggestion]:
        """Suggestions not rejected and not already tagged with their label at the same place."""
        sources = (self.tags, self.all_suggestions, self.rejected)
        cached_sources, cached = self._visible
        if len(cached_sources) == 3 and all(a is b for a, b in zip(cached_sources, sources)):
            return cached
        taken = {(t.start, t.end, t.label) for t in self.tags}
        visible = [s for s in self.all_suggestions
                   if (s.start, s.end, s.variant) not in self.rejected and (s.start, s.end, s.label) not in taken]
        self._visible = (sources, visible)
        return visible

    def _still_on(self, article_id: str) -> bool:
        """Is ``article_id`` still the open article (a dialog's answer must not land on another)?"""
        if self.article is not None and self.article.id == article_id:
            return True
        self.notify("Another article opened while the dialog was open: nothing was saved.", severity="warning")
        return False

    def _current_or_say(self) -> Annotation | None:
        """The selected tag, or None after telling the user how to select one."""
        tag = self._current()
        if tag is None:
            self.notify("No tag here: move into a tag or jump to one (J/K).")
        return tag

    def _current(self) -> Annotation | None:
        return next((t for t in self.tags if t.uuid == self.current_tag), None)

    # -- drawing ---------------------------------------------------------------------

    def _style(self, *key: Any) -> Style:
        style = self._styles.get(key)
        if style is None:
            if key[0] == "suggestion":
                style = Style(underline=True, italic=True, color=ALIGNMENT_COLOURS.get(key[1], "yellow"))
            else:
                colour = key[1]
                style = Style(bgcolor=colour, color=_readable_on(colour))
                if key[2]:
                    style += Style(bold=True, underline=True)
            self._styles[key] = style
        return style

    def _refresh_article(self, place: bool = True) -> None:
        visible = self.suggestions
        if self._suggestion_paints[0] is not visible:  # thousands in a long article: made once
            self._suggestion_paints = (visible, [Paint(s.start, s.end, self._style("suggestion", s.alignment))
                                                 for s in visible])
        paints: list[Paint] = []
        current: list[Paint] = []
        for t in self.span_tags:
            label = self.codebook.label(t.category, t.label)
            paint = Paint(t.start, t.end, self._style("tag", label.color if label else "yellow",  # type: ignore[arg-type]
                                                      t.uuid == self.current_tag))
            (current if t.uuid == self.current_tag else paints).append(paint)
        # suggestions under tags, the current tag on top
        self._main(ArticleView).set_paints(paints + current, base=self._suggestion_paints[1])
        self._main(ArticleHead).show(self.article, self.publisher, self.original, self.status,
                                     None if self.suggestions_pending else len(self.suggestions),
                                     self._key("next_suggestion"))
        self._main(Questions).show(self.codebook, self.tags, self._key("answer_question"))
        update_static(self._main("#tags-title", Static), self._tags_title())
        self._main(TagList).show(self.tags, self.codebook, self.current_tag)
        self._update_side_tabs()
        self._update_hint()
        if place:
            self._update_topbar()

    def _update_topbar(self) -> None:
        help_key = Text(f"{self.get_key_display(Binding(self.key_for('help'), ''))} help", style="bold")
        update_static(self._main("#topbar-help", Static), help_key)  # its own cell: a long bar never hides it
        if not self.ready:
            where = self.request.db_path if self.request is not None else "the database"
            bar = Text.assemble(("annotator", "bold"), (" · opening ", "dim"), Text(clean_line(str(where))),
                                ("…", "dim"), no_wrap=True, overflow="ellipsis")
            update_static(self._main("#topbar-info", Static), bar)  # one line (CSS): never a layout
            return
        done, total = self.progress
        bar = Text(no_wrap=True, overflow="ellipsis")
        bar.append_text(safe(self.annotator, style="bold cyan"))
        bar.append(f" · done {done}/{total}", style="green" if total and done == total else "")
        if self.position is not None and self.article is not None:
            if self._in_filtered_list():
                bar.append(f" · article {self.position + 1}/{self._main(ArticleList).total}", style="dim")
            else:
                key = self.get_key_display(Binding(self.key_for("next_article"), ""))
                bar.append(f" · this article is not in the filtered list: {key} opens the next", style="yellow")
        elif self.ready and not self._main(ArticleList).total:
            bar.append(" · no article matches the filters", style="yellow")
        bar.append(" · codebook ", style="dim")
        bar.append_text(safe(f"{self.codebook.id} {self.codebook.version}"))
        update_static(self._main("#topbar-info", Static), bar)  # one line (CSS): never a layout

    def _tags_title(self) -> Text:
        spans = sum(1 for t in self.tags if t.start is not None)
        title = Text(f"Your tags here ({spans})", style="bold")
        title.append("  enter jumps to one", style="dim")
        return title

    # -- the side pane's parts (small terminals) and the hint line --------------------

    def _key(self, binding_id: str) -> str:
        """The key of an action as shown (the configured one)."""
        return self.get_key_display(Binding(self.key_for(binding_id), ""))

    def _compact(self) -> bool:
        """Is the side pane showing one part at a time (a small terminal)?"""
        screen = self.screen_stack[0] if self.screen_stack else None
        return screen is not None and (screen.has_class("-narrow") or screen.has_class("-short"))

    def action_side_pane(self) -> None:
        """Show the next part of the side pane (outlet card, tags, questions) on a small terminal."""
        if not self._compact():
            self.notify("The outlet card, your tags and the article questions are all shown: "
                        "this key switches between them on smaller terminals.", timeout=3)
            return
        self._show_pane(PANES[(PANES.index(self.pane) + 1) % len(PANES)])

    def _show_pane(self, pane: str) -> None:
        self.pane = pane
        side = self._main("#side")
        for name in PANES:
            side.set_class(name == pane, f"-pane-{name}")
        self._update_side_tabs()

    def on_side_tabs_switch(self, message: SideTabs.Switch) -> None:
        self._show_pane(message.pane)

    def _update_side_tabs(self) -> None:
        counts = {}
        if self.ready and self.article is not None:
            counts["tags"] = str(len(self.span_tags))
            questions = [c for c in self.codebook.categories if c.kind == "article"]
            answered = {t.category for t in self.tags}
            counts["questions"] = f"{sum(c.id in answered for c in questions)}/{len(questions)}"
        self._main(SideTabs).show(self.pane, counts, self._key("side_pane"))

    def _hint_text(self) -> Text:
        """What the keys do here and now: for a selection, a suggestion, the tag under the
        cursor; until this annotator's first tag, how to select text."""
        if not self.ready:
            return Text("")
        if self.article is None:
            if not self._main(ArticleList).total:
                return Text.assemble(("No article matches the filters: ", "yellow"),
                                     f"{self._key('search')} search, {self._key('toggle_list')} the list and its filters")
            return Text("")
        hint = Text(no_wrap=True, overflow="ellipsis")
        start, end = self._main(ArticleView).selected_range
        suggestion = self._suggestion_at_selection() if start != end else None
        tag = self._current() if start == end or suggestion is None else None
        if suggestion is not None:
            hint.append_text(self._suggestion_text(suggestion))
            hint.append(f" · {self._key('accept_suggestion')} accepts · {self._key('reject_suggestion')} rejects · "
                        f"{self._key('next_suggestion')} next", style="dim")
        elif start != end and (tag is None or (tag.start, tag.end) != (start, end)):
            hint.append(f"{end - start} characters selected: ", style="bold")
            hint.append("a label key tags them", style="dim")
            keys = [(key, label) for key, (_, label) in self.bound_label_keys.items()]
            if keys:
                hint.append(" (", style="dim")
                for number, (key, label) in enumerate(keys[:6]):
                    if number:
                        hint.append(" · ", style="dim")
                    hint.append(f"{key} ", style="bold")
                    hint.append_text(safe(label.name, style=label.color))
                hint.append(" …)" if len(keys) > 6 else ")", style="dim")
            hint.append(f" · {self._key('pick_label')} any label", style="dim")
        elif tag is not None:
            hint.append_text(self._tag_name(tag))
            hint.append(" ")
            hint.append_text(safe(clean_line(tag.quote or "")[:30], style="italic"))
            voice = self._voice_name(tag)
            if voice:
                hint.append(f" ({voice})", style="dim")
            hint.append(f" · {self._key('relabel_tag')} label · {self._key('cycle_voice')} voice · "
                        f"{self._key('delete_tag')} delete · {self._key('note_tag')} note", style="dim")
        elif not self.has_tagged:
            hint.append("To tag: ", style="bold")
            hint.append("select words with shift+arrows or the mouse, then press a label key · "
                        f"{self._key('next_suggestion')}: next suggestion · {self._key('help')}: help")
        else:
            count = len(self.suggestions)
            hint.append(f"shift+arrows select · {self._key('next_suggestion')} next suggestion ({count}) · "
                        f"{self._key('answer_question')} questions · {self._key('toggle_done')} done · "
                        f"{self._key('next_article')} next article", style="dim")
        return hint

    def _update_hint(self) -> None:
        update_static(self._main("#hint", Static), self._hint_text())  # one line (CSS): never a layout

    def _label_words(self, category_id: str, label_id: str, with_category: bool = False) -> str:
        """A label as the codebook names it, as plain one-line text (for messages): "Tone › Pro"."""
        return clean_line(self.names.full_label(category_id, label_id) if with_category
                          else self.names.label(category_id, label_id))

    def _variant_words(self, suggestion: Suggestion) -> str:
        return clean_line(self.names.variant(suggestion.category, suggestion.concept, suggestion.variant))

    def _tag_name(self, tag: Annotation) -> Text:
        """A tag's label as the codebook names it (its id, marked, when the codebook has no such label)."""
        label = self.codebook.label(tag.category, tag.label)
        return safe(self.names.label(tag.category, tag.label), style=label.color if label else "red")

    def _voice_name(self, tag: Annotation) -> str:
        voice = tag.attributes.get("voice")
        return clean_line(self.names.attribute_value("voice", voice)) if voice else ""

    def _suggestion_text(self, suggestion: Suggestion) -> Text:
        """A suggestion in the codebook's words: the variant's name, the label it would tag, its concept."""
        text = safe(self.names.variant(suggestion.category, suggestion.concept, suggestion.variant),
                    style=f"bold {ALIGNMENT_COLOURS.get(suggestion.alignment, 'yellow')}")
        text.append(" → ", style="dim")
        text.append_text(safe(self.names.label(suggestion.category, suggestion.label)))
        text.append_text(safe(f" ({self.names.concept(suggestion.concept)})", style="dim"))
        return text

    # -- writing ---------------------------------------------------------------------

    async def _in_writer(self, fn: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self._writer, partial(fn, *args))

    async def flush(self) -> None:
        """Wait until every queued write is committed (for tests and quitting)."""
        await self._in_writer(lambda: None)

    async def _do(self, change: Change, record: bool = True) -> bool:
        """Commit a change, then show it. Returns False (and says why) when it failed."""
        shown, who = (self.article.id if self.article else None), self.annotator or ""

        def run() -> TagsReloaded | None:
            change.apply()
            return self._reload_tags(shown, who, change.progress) if shown else None

        try:
            writing = asyncio.ensure_future(self._in_writer(run))
            done, _ = await asyncio.wait({writing}, timeout=BUSY_NOTICE_S)
            if not done:  # the store waits (up to WRITE_WAIT_S) for another writer: an import, say
                self.notify("saving… (database busy)", markup=False, timeout=3)
            reloaded = await writing
        except Exception as exc:  # a read-only database, or one busy beyond WRITE_WAIT_S, must not lose the session
            self.notify(f"not saved: {exc}", severity="error", markup=False)
            return False
        if record:
            self.history.record(change)
        if reloaded is not None:
            if change.uuid and any(t.uuid == change.uuid and t.start is not None for t in reloaded.tags):
                self.current_tag = change.uuid
            self.on_tags_reloaded(reloaded)
        return True

    def _new_tag(self, category_id: str, label_id: str, start: int | None = None, end: int | None = None,
                 origin: str = "human", attributes: dict[str, str] | None = None, note: str | None = None) -> Annotation:
        from ..models import Annotation, quote_selector

        assert self.article is not None
        quote = quote_selector(self.article.text, start, end) if start is not None else {}
        return Annotation(
            article_id=self.article.id, text_sha256=self.article.text_sha256, annotator=self.annotator,
            codebook_id=self.codebook.id, codebook_version=self.codebook.version, category=category_id,
            label=label_id, start=start, end=end, origin=origin, attributes=attributes or {}, note=note, **quote,
        )

    def _create(self, annotation: Annotation, description: str) -> Change:
        return self._replace([], annotation, description)

    def _replace(self, old: list[Annotation], new: Annotation, description: str) -> Change:
        """Soft-delete ``old`` and add ``new`` in one transaction (and back, for undo)."""
        store, old_ids = self.store, [t.uuid for t in old]
        created = {"done": False}

        def apply() -> None:
            store.swap_annotations(old_ids, [new.uuid] if created["done"] else [], None if created["done"] else new)
            created["done"] = True

        return Change(description, apply, lambda: store.swap_annotations([new.uuid], old_ids), new.uuid,
                      article_id=new.article_id)

    def _update(self, tag: Annotation, description: str, **after: Any) -> Change:
        before = {k: getattr(tag, k) for k in after}
        return Change(description, lambda: self.store.update_annotation(tag.uuid, **after),
                      lambda: self.store.update_annotation(tag.uuid, **before), tag.uuid, tag.article_id)

    def _voice_for(self, category: Category, start: int, end: int) -> dict[str, str]:
        if "voice" not in category.attributes or self.article is None:
            return {}
        from ..lexicon import guess_voice

        return initial_voice(category, self.codebook.attribute("voice"), guess_voice(self.article.text, start, end))

    # -- actions: tagging ------------------------------------------------------------

    async def action_tag(self, category_id: str, label_id: str) -> None:
        """Tag the selected text with a label."""
        if self.article is None or isinstance(self.focused, Input):
            return
        category = self.codebook.category(category_id)
        assert category is not None
        view = self._main(ArticleView)
        start, end = trim_selection(self.article.text, *view.selected_range)
        if start == end:
            self.notify("Select some text first (shift+arrows or the mouse), then press the label's key.")
            return
        existing = same_tag(self.tags, start, end, category_id, label_id)
        if existing is not None:
            self.current_tag = existing.uuid
            self._refresh_article()
            self.notify("This text already has that tag.", timeout=2)
            return
        attributes = self._voice_for(category, start, end)
        attributes.update(lexicon_attributes(self.all_suggestions, start, end))
        tag = self._new_tag(category.id, label_id, start, end, attributes=attributes)
        # (shown once it is committed, as the current tag: _do; the span stays selected, so another key adds a second label)
        await self._do(self._create(tag, f"tag {self._label_words(category_id, label_id)}"))

    @work(group="dialog", exclusive=True)
    async def action_pick_label(self) -> None:
        """Choose a span label from a searchable list and tag the selection."""
        if self.article is None:
            return
        start, end = self._main(ArticleView).selected_range
        if not self.article.text[start:end].strip():
            self.notify("Select some text first (shift+arrows or the mouse), then choose its label.")
            return
        choices = [Choice(Text.assemble(safe(c.name, style="dim"), " › ", safe(l.name, style=l.color),
                                        (f"  [{l.key}]" if l.key else "", "dim")),
                          (c.id, l.id), f"{c.name} {l.name} {l.id} {l.description}")
                   for c in self.codebook.categories if c.kind == "span" for l in c.labels]
        result = await self.push_screen_wait(PickerScreen("Tag the selection as…", choices))
        if result is not None:
            await self.action_tag(*result)

    @work(group="dialog", exclusive=True)
    async def action_relabel_tag(self) -> None:
        tag = self._current_or_say()
        if tag is None:
            return
        category = self.codebook.category(tag.category)
        if category is None:
            self.notify("This tag's category is not in the codebook.", severity="warning")
            return
        choices = [Choice(safe(l.name, style=l.color), l.id, f"{l.name} {l.id} {l.description}") for l in category.labels]
        result = await self.push_screen_wait(PickerScreen("Change the label to…", choices))
        if result is not None and result != tag.label:
            await self._do(self._update(tag, f"relabel to {self._label_words(tag.category, result)}", label=result))

    async def action_delete_tag(self) -> None:
        tag = self._current_or_say()
        if tag is None:
            return
        await self._do(self._update(tag, "delete tag", deleted=True))

    async def action_cycle_voice(self) -> None:
        tag = self._current()
        attribute = self.codebook.attribute("voice")
        if tag is None or attribute is None:
            self.notify("No tag here: move into a tag or jump to one (J/K).")
            return
        category = self.codebook.category(tag.category)
        if category is None or "voice" not in category.attributes:
            self.notify("Tags of this category have no voice.")
            return
        following = next_voice(attribute, tag.attributes.get("voice"))
        name = clean_line(next((v.name for v in attribute.values if v.id == following), following))
        if await self._do(self._update(tag, f"voice {name}", attributes={**tag.attributes, "voice": following})):
            self.notify(f"Voice: {name}", markup=False, timeout=2)

    def _note_fits(self, note: str) -> bool:
        """False (and says so, nothing saved) when ``note`` is longer than a note may be."""
        from ..models import FIELD_LIMITS

        limit = FIELD_LIMITS["notes"]
        if len(note) > limit:
            self.notify(f"Not saved: the note is {len(note):,} characters long; at most {limit:,} are accepted.",
                        severity="error", markup=False)
        return len(note) <= limit

    @work(group="dialog", exclusive=True)
    async def action_note_tag(self) -> None:
        tag = self._current()
        if tag is None:
            self.notify("No tag here: move into a tag (or use M for a note on the article).")
            return
        note = await self.push_screen_wait(NoteScreen("Note on this tag", tag.note or ""))
        if note is not None:
            note = normalize_text(note).strip()
            if not self._note_fits(note):
                return
            if note != (tag.note or ""):
                await self._do(self._update(tag, "note", note=note or None))

    @work(group="dialog", exclusive=True)
    async def action_note_article(self) -> None:
        from ..models import ARTICLE_NOTE_CATEGORY as NOTE_CATEGORY, ARTICLE_NOTE_LABEL as NOTE_LABEL

        if self.article is None:
            return
        existing = next((t for t in self.tags if t.category == NOTE_CATEGORY), None)
        opened_on = self.article.id
        note = await self.push_screen_wait(NoteScreen("Note on this article", existing.note or "" if existing else ""))
        if note is None or not self._still_on(opened_on):
            return
        note = normalize_text(note).strip()
        if not self._note_fits(note):
            return
        if existing is not None:
            if note != (existing.note or ""):
                await self._do(self._update(existing, "article note", note=note or None, deleted=not note))
        elif note:  # the reserved category "_article" cannot clash with a codebook id
            await self._do(self._create(self._new_tag(NOTE_CATEGORY, NOTE_LABEL, note=note), "article note"))

    @work(group="dialog", exclusive=True)
    async def action_answer_question(self) -> None:
        """Answer an article-level question (single choice replaces, multi toggles)."""
        if self.article is None:
            return
        choices = []
        for c in self.codebook.categories:
            if c.kind != "article":
                continue
            chosen = {t.label for t in self.tags if t.category == c.id}
            for l in c.labels:
                mark = "● " if l.id in chosen else "○ "
                line = Text.assemble(mark, safe(c.name, style="dim"), " › ", safe(l.name, style=l.color))
                if l.description:  # "Pro" alone does not say pro what
                    line.append("\n    ")
                    line.append_text(safe(clean_line(l.description), style="dim"))
                choices.append(Choice(line, (c.id, l.id), f"{c.name} {l.name} {l.id} {l.description or ''}"))
        if not choices:
            self.notify("This codebook has no article-level questions.")
            return
        opened_on = self.article.id
        result = await self.push_screen_wait(PickerScreen("Article question: choose an answer", choices))
        if result is None or not self._still_on(opened_on):
            return
        category = self.codebook.category(result[0])
        assert category is not None
        plan = answer(category, self.tags, result[1])
        words = self._label_words(category.id, result[1], with_category=True)
        if plan.kind == "take back":  # choosing an answer again takes it back
            done = await self._do(self._update(plan.old[0], f"clear answer {words}", deleted=True))
        else:
            new = self._new_tag(category.id, result[1])
            done = await self._do(self._replace(list(plan.old), new, f"answer {words}"))
        if done:  # shown where it can be seen: the questions' part of the side pane, and said
            if self._compact():
                self._show_pane("questions")
            self.notify(("Took back: " if plan.kind == "take back" else "Answered: ") + words, markup=False, timeout=3)

    # -- actions: suggestions ----------------------------------------------------------

    def _suggestion_at_selection(self) -> Suggestion | None:
        start, end = self._main(ArticleView).selected_range
        return next((s for s in self.suggestions if s.start == start and s.end == end), None)

    def action_next_suggestion(self) -> None:
        if self.suggestions_pending:
            self.notify("Still looking for suggestions in this article…", timeout=2)
            return
        suggestions = self.suggestions
        if not suggestions:
            self.notify("No suggestions left in this article.")
            return
        view = self._main(ArticleView)
        start, _ = view.selected_range
        following = next((s for s in suggestions if s.start > start), suggestions[0])
        view.select_range(following.start, following.end)
        self._update_hint()  # the hint line names it and its keys (a toast would cover the label keys)

    async def action_accept_suggestion(self) -> None:
        suggestion = self._suggestion_at_selection()
        if suggestion is None:
            self.notify("Jump to a suggestion first (S).")
            return
        category = self.codebook.category(suggestion.category)
        assert category is not None
        attributes = {"concept": suggestion.concept, "variant": suggestion.variant}
        if "voice" in category.attributes:
            attributes["voice"] = suggestion.voice
        tag = self._new_tag(category.id, suggestion.label, suggestion.start, suggestion.end,
                            origin="suggestion", attributes=attributes)
        if await self._do(self._create(tag, f"accept {self._variant_words(suggestion)}")) and self.suggestions:
            self.action_next_suggestion()  # (the accepted tag is already drawn as the current one: _do)

    async def action_reject_suggestion(self) -> None:
        suggestion = self._suggestion_at_selection()
        if suggestion is None or self.article is None:
            self.notify("Jump to a suggestion first (S).")
            return
        a, s = self.article.id, suggestion
        store, who = self.store, self.annotator  # (values: undo acts for whoever rejected it)
        change = Change(f"reject {self._variant_words(s)}",
                        lambda: store.reject_suggestion(a, who, s.start, s.end, s.concept, s.variant),
                        lambda: store.unreject_suggestion(a, who, s.start, s.end, s.variant),
                        article_id=a)
        if await self._do(change) and self.suggestions:
            self.action_next_suggestion()

    # -- actions: moving ---------------------------------------------------------------

    def _jump_tag(self, step: int) -> None:
        tags = self.span_tags
        if not tags:
            self.notify("No tags in this article yet.")
            return
        view = self._main(ArticleView)
        cursor = view.selected_range[0]
        if step > 0:
            tag = next((t for t in tags if t.start > cursor), tags[0])  # type: ignore[operator]
        else:
            tag = next((t for t in reversed(tags) if t.start < cursor), tags[-1])  # type: ignore[operator]
        self.current_tag = tag.uuid
        view.select_range(tag.start, tag.end)  # type: ignore[arg-type]
        self._refresh_article()

    def action_next_tag(self) -> None:
        self._jump_tag(1)

    def action_prev_tag(self) -> None:
        self._jump_tag(-1)

    def _filter_words(self) -> str:
        """The filters in effect, as a user set them ("" when none)."""
        parts = []
        if self.filters["search"]:
            parts.append(f"search “{clean_line(self.filters['search'])[:40]}”")
        if self.filters["status"]:
            parts.append(f"status {self.filters['status']}")
        if self.filters["publisher"] is not None:
            name = self._outlet_names.get(self.filters["publisher"], self.filters["publisher"]) or "unknown outlet"
            parts.append(f"outlet {clean_line(name)}")
        return ", ".join(parts)

    def _move_article(self, step: int) -> None:
        articles = self._main(ArticleList)
        filters = self._filter_words()
        if not articles.total:
            self.notify(f"No article matches the filters ({filters}): change them in the list "
                        f"({self._key('toggle_list')})." if filters else "There are no articles in this database.",
                        markup=False)
            return
        if self.position is None:
            index = articles.cursor + step
        elif step > 0 and not self._in_filtered_list():
            index = self.position  # it left the list (e.g. tagged under "new"): the next one took its place
        else:
            index = self.position + step
        if not 0 <= index < articles.total:
            where = f" of the {articles.total} matching the filters ({filters})" if filters else ""
            self.notify((f"That was the last article{where}." if step > 0 else f"This is the first article{where}."),
                        markup=False)
            return
        self.open_at(index)  # the list's cursor moves with the article, in the same frame (on_loaded)

    def _in_filtered_list(self) -> bool:
        """Does the open article pass the filters (tagging or "done" may move it out of a status filter)?"""
        return self.in_list and self.filters["status"] in (None, self.status)

    def action_next_article(self) -> None:
        self._move_article(1)

    def action_prev_article(self) -> None:
        self._move_article(-1)

    def action_next_undone(self) -> None:
        self._open_next_undone(self.article.id if self.article else None, self._query())

    @work(thread=True, exclusive=True, group="open")
    def _open_next_undone(self, after: str | None, query: ListQuery) -> None:
        filters = query.filters()
        found = self.store.next_not_done(after, filters.pop("annotator"), **filters)
        if found is None:
            matching = self.store.count_articles(**query.filters())
            self.call_from_thread(self.notify, "Every article here is done." if matching else
                                  "No article matches the filters.")
        else:
            self._read_article(found, query)

    async def action_toggle_done(self) -> None:
        if self.article is None:
            return
        article_id, was_done = self.article.id, self.status == "done"
        store, who = self.store, self.annotator
        change = Change("done" if not was_done else "not done",
                        lambda: store.set_status(article_id, who, not was_done),
                        lambda: store.set_status(article_id, who, was_done),
                        article_id=article_id, progress=True)
        if await self._do(change):
            self.notify("Marked done." if not was_done else "Marked not done.", timeout=2)

    async def _replay(self, change: Change, description: str) -> bool:
        """Run an undo or redo; when it was made on another article, open that one to show it."""
        if not await self._do(change, record=False):
            return False
        elsewhere = change.article_id and (self.article is None or change.article_id != self.article.id)
        self.notify(f"{description}: {change.description}" + (" (in another article: opening it)" if elsewhere else ""),
                    markup=False, timeout=3)
        if elsewhere:
            self.open_article(change.article_id)  # type: ignore[arg-type]
        return True

    async def action_undo(self) -> None:
        if not self.history.can_undo:
            self.notify("Nothing to undo.")
            return
        change = self.history.take_undo()
        if await self._replay(change.inverse(), "Undid"):
            self.history.undone(change)
        else:
            self.history.put_back(change, undoing=True)

    async def action_redo(self) -> None:
        if not self.history.can_redo:
            self.notify("Nothing to redo.")
            return
        change = self.history.take_redo()
        if await self._replay(change, "Redid"):
            self.history.redone(change)
        else:
            self.history.put_back(change, undoing=False)

    def action_search(self) -> None:
        self._main("#sidebar").display = True
        self._main("#main").set_class(True, "-list-open")  # (as F2: on a narrow terminal it takes the side pane's place)
        self._main("#search", Input).focus()

    def action_focus_text(self) -> None:
        self._main(ArticleView).focus()

    def action_focus_card(self) -> None:
        self._main(OutletCard).focus()

    def action_toggle_list(self) -> None:
        sidebar = self._main("#sidebar")
        sidebar.display = not sidebar.display
        self._main("#main").set_class(sidebar.display, "-list-open")  # (narrow: the list takes the side pane's place)
        if sidebar.display:
            self._main(ArticleList).focus()
        else:
            self._main(ArticleView).focus()

    def action_statistics(self) -> None:
        from .stats_screen import StatsScreen

        if not isinstance(self.screen, StatsScreen):
            self.push_screen(StatsScreen(self.store, self.codebook, self.annotator))

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
            return
        focus = self._focused_label()
        self.push_screen(HelpScreen(
            keys_help({binding_id: self._key(binding_id) for binding_id, *_ in ACTIONS}, self.bound_label_keys),
            guideline_help(self.codebook, focus)))

    def _focused_label(self) -> tuple[Category, Any, str] | None:
        """The label the help is about: the selected tag's, else the selected suggestion's."""
        tag = self._current()
        if tag is not None:
            category, label = self.codebook.category(tag.category), self.codebook.label(tag.category, tag.label)
            if category is not None and label is not None:
                return category, label, "The selected tag's label"
        suggestion = self._suggestion_at_selection() if self.article is not None else None
        if suggestion is not None:
            category = self.codebook.category(suggestion.category)
            label = self.codebook.label(suggestion.category, suggestion.label)
            if category is not None and label is not None:
                return category, label, "The selected suggestion's label"
        return None

    # -- who is annotating ----------------------------------------------------------------

    @work(group="name", exclusive=True)
    async def _ask_name_first(self) -> None:
        """Nobody said who is annotating (no --annotator, configuration or $ANNOTATOR_NAME): ask
        once, instead of signing every tag with the login name, and remember the answer."""
        from ..config import name_file

        self._asking_name = True
        name = await self.push_screen_wait(NameScreen(
            "Who is annotating?",
            f"Your name is signed on every tag you make. It is remembered in {clean_line(str(name_file()))} "
            "(change it later with ctrl+p › Switch annotator).", self.annotator or ""))
        self._asking_name = False
        if name is None:
            return
        self._remember_name(name)
        self._switch_annotator(name)

    @work(thread=True, group="name-file")
    def _remember_name(self, name: str) -> None:
        from ..config import remember_annotator
        from ..readers import InputError

        try:
            remember_annotator(name)
        except InputError as exc:
            self.call_from_thread(self.notify, f"{exc} (this session still signs as {name})", severity="warning",
                                  markup=False, timeout=10)

    @work(group="name", exclusive=True)
    async def action_switch_annotator(self) -> None:
        """Sign tags with another name from now on (the reviewer's "gold", a colleague at this desk)."""
        if not self.ready:
            return
        name = await self.push_screen_wait(NameScreen(
            "Switch annotator", "The tags, answers, done marks and place shown from now on are this name's.",
            self.annotator or ""))
        if name is not None and name != self.annotator:
            self._switch_annotator(name)

    def _switch_annotator(self, name: str) -> None:
        """Show this annotator's tags, status and place from now on (their undo history starts empty)."""
        if name == self.annotator:
            return
        self.annotator = name
        self.history.clear()
        self._progress_read = float("-inf")
        self._prefetched.clear()
        self._refresh_who(name)
        self.reset_list(open_first=True, resume=True)
        self._update_topbar()
        self.notify(f"Signing tags as {name}.", markup=False, timeout=3)

    @work(thread=True, group="who")
    def _refresh_who(self, name: str) -> None:
        has_tagged, progress = self.store.has_annotations(name), self.store.progress(name)

        def show() -> None:
            self.has_tagged = has_tagged
            self.on_progress_read(ProgressRead(progress))
            self._update_hint()

        self.call_from_thread(show)

    @work(group="quit", exclusive=True)
    async def _confirm_quit(self, note: NoteScreen) -> None:
        """Quitting while a note is being written: save it, drop it, or go back to it."""
        answer = await self.push_screen_wait(ConfirmScreen(
            "The note you are writing is not saved.",
            [("s", "save it, then quit", "save"), ("d", "drop it and quit", "drop")]))
        if answer is None:
            return
        dialogs = [w for w in self.workers if w.group == "dialog"]
        if answer == "save":
            note.action_save()  # its dialog's worker commits it ...
        else:
            note.action_cancel()
        await self.workers.wait_for_complete(dialogs)  # ... before the app closes
        await self.flush()
        self._writer.shutdown(wait=True)
        self.exit()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if not self.ready:
            return
        for binding_id, _, action, description, _ in ACTIONS:
            if binding_id in ("focus_text",):
                continue
            what = ACTION_HELP.get(binding_id, ("", description))[1]
            key = markup_key(self.get_key_display(Binding(self.key_for(binding_id), "")))
            yield SystemCommand(description.rstrip("…"), f"{plain(what)} (key {key})",
                                partial(self.run_action, action))
        yield SystemCommand("Switch annotator", "sign tags with another name from now on (no restart)",
                            self.action_switch_annotator)
        for key, (category, label) in self.bound_label_keys.items():
            yield SystemCommand(f"Tag selection: {plain(category.name)} › {plain(label.name)}",
                                f"key {markup_key(key)}", partial(self.run_action, f"tag('{category.id}', '{label.id}')"))

    async def action_quit(self) -> None:
        note = next((s for s in self.screen_stack if isinstance(s, NoteScreen) and s.modified), None)
        if note is not None:
            if not isinstance(self.screen, ConfirmScreen):  # (already asking: the answer decides)
                self._confirm_quit(note)
            return
        await self.flush()
        self._writer.shutdown(wait=True)
        self.exit()
