"""The annotation screen: the article list, the article beside its outlet card, the tag panel.

This screen holds the annotation state (the open article, its tags and suggestions, the
list's filters, the undo history) and the actions on it; its widgets only draw what they
are given. Reads run in thread workers that get their inputs as values and post messages
(:mod:`.reading`); every write goes through the app's one writer thread, and the screen
shows a change only after it is committed (:mod:`.tag_actions`).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Select, Static

from ....team.active_time import ActiveTime
from ....normalize import clean_line
from ....tagging import History
from ...keys import ACTION_HELP, ACTIONS, SESSION_ACTIONS, key_for, key_set, markup_key, plain
from ...messages import ArticleGone, ListReset, Loaded, ProgressRead, SuggestionsFound, TagsReloaded
from ...textual_private import bind_key
from ...widgets.article_list import ArticleList
from ...widgets.article_view import ArticleView
from ...widgets.outlet_card import OutletCard
from ...widgets.panels import ArticleHead, LabelKeys, Questions
from ...widgets.side_tabs import SideTabs
from ...widgets.tag_list import TagList
from ...writer import Writer
from .article_facts import ArticleFactsActions
from .drawing import Drawing
from .moving import MovingActions
from .reading import ReadingWorkers, suggestions_key
from .tag_actions import TagActions
from .who import WhoAndTime

if TYPE_CHECKING:  # imported at run time only once the session is open (see ..opening): not before the first frame
    from ....codebook import Category, Codebook
    from ....lexicon import Matcher, Suggestion
    from ....models import Annotation, Article, Outlet
    from ....readouts.naming import Names
    from ....store import Store


class AnnotateScreen(TagActions, ArticleFactsActions, MovingActions, ReadingWorkers, WhoAndTime, Drawing, Screen):
    """Tag articles beside their outlet cards (the app's main screen)."""

    BINDINGS = [
        Binding(key, action, description, show=show, id=binding_id)
        for binding_id, key, action, description, show in ACTIONS
    ]

    def __init__(self, writer: Writer, where: str) -> None:
        """``writer``: the app's writer thread; ``where``: the database, named until the session is open."""
        super().__init__()
        self.writer = writer
        self.where = where
        self.store: Store | None = None
        self.annotator: str | None = None
        self.codebook: Codebook | None = None
        self.matcher: Matcher | None = None
        self.names: Names | None = None  # the codebook's names for ids, once open
        self.ready = False  # the session is open
        self.asking_name = False  # the first-start dialog is open: the login name signs nothing yet
        self.keymap: dict[str, str] = {}  # binding id -> key, as the configuration's [keys] sets them
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
        self.clock = ActiveTime()  # time on task of the open article
        self.now = time.monotonic  # its clock (tests give their own)
        self.filters: dict[str, Any] = {"search": None, "status": None, "publisher": None, "assigned": None}
        self.bound_label_keys: dict[str, tuple[Category, Any]] = {}
        self.pane = "card"  # the part of the side pane shown on a small terminal (see ...widgets.side_tabs)
        self.has_tagged = False
        # Read-ahead caches shared with the reading workers: values never change once stored (an
        # article id or text key is one version), and each access is one dict operation, atomic
        # under the GIL; a miss only means reading again. Everything else a worker needs, it is given.
        self._suggestion_cache: OrderedDict[str, list[Suggestion]] = OrderedDict()
        self._outlet_names: dict[str, str] = {}  # outlet id -> name, filled by load_outlets
        self._visible: tuple[tuple, list[Suggestion]] = ((), [])
        self._span_tags: tuple[object, list[Annotation]] = (None, [])
        self._gc_frozen = False
        self._progress_read = float("-inf")
        self._prefetched: OrderedDict[str, tuple] = OrderedDict()  # article id -> _read_ahead (worker threads)
        self._prefetching: dict = {}
        self._story_screen: Any = None  # the story screen, kept between visits (see open_story)

    # -- layout ----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        self.topbar_info, self.topbar_help = Static(id="topbar-info"), Static(id="topbar-help")
        self.search = Input(placeholder="search titles and texts  (/)", id="search", compact=True)
        self.status_filter: Select = Select([], prompt="any status", id="status-filter", compact=True)
        self.outlet_filter: Select = Select([], prompt="any outlet", id="outlet-filter", compact=True)
        self.assigned_filter: Select = Select([(Text("assigned to me"), "mine"), (Text("all articles"), "all")],
                                              allow_blank=False, id="assigned-filter", compact=True)
        self.assigned_filter.display = False  # shown when articles are assigned (annotator assign)
        self.articles = ArticleList(id="articles")
        self.head, self.view, self.hint = ArticleHead(id="article-head"), ArticleView(id="text"), Static(id="hint")
        self.side_tabs, self.card = SideTabs(id="side-tabs"), OutletCard(id="outlet-card")
        self.tags_title, self.tag_list = Static(id="tags-title"), TagList(id="tag-list")
        self.questions, self.label_keys = Questions(id="questions"), LabelKeys(id="tag-keys")
        with Horizontal(id="topbar"):
            yield self.topbar_info
            yield self.topbar_help
        self.main = Horizontal(id="main")
        with self.main:
            self.sidebar = Vertical(id="sidebar")
            with self.sidebar:
                yield self.search
                yield self.status_filter  # filled once open
                yield self.outlet_filter
                yield self.assigned_filter
                yield self.articles
            with Vertical(id="reader"):
                yield self.head
                yield self.view
                yield self.hint
            # on small terminals one part of the side pane at a time (see ...widgets.side_tabs); else all three stacked
            self.side = Vertical(id="side", classes="-pane-card")
            with self.side:
                yield self.side_tabs
                with Vertical(id="card-scroll", classes="side-part part-card"):
                    yield self.card
                with Vertical(id="tag-panel", classes="side-part part-tags"):
                    yield self.tags_title
                    yield self.tag_list
                with VerticalScroll(id="question-panel", classes="side-part part-questions"):
                    yield self.questions
                with VerticalScroll(id="keys-panel", classes="side-part part-tags"):
                    yield self.label_keys
        yield Footer()

    def on_mount(self) -> None:
        self.head.set_content(Text("Opening the database, the codebook and the configuration…", style="dim italic"))
        self.tags_title.update(self._tags_title())
        self._update_topbar()
        self.view.focus()

    def start(self, store: Store, annotator: str, codebook: Codebook, matcher: Matcher, has_tagged: bool,
              keymap: dict[str, str], asking_name: bool = False, has_assignments: bool = False) -> None:
        """The session is open: bind the codebook's label keys (beside the actions' keys as
        ``keymap`` sets them) and open where this annotator left off. ``asking_name``: the
        first-start dialog is asking who annotates (what opens meanwhile is not noted as theirs).
        ``has_assignments``: articles are assigned to this annotator; the list shows those (the
        filter beside the outlet's widens it)."""
        from ....readouts.naming import Names  # (after the first frame: it imports the codebook)
        from ....store import STATUSES

        self.store, self.annotator, self.codebook, self.matcher = store, annotator, codebook, matcher
        self.keymap, self.asking_name = dict(keymap), asking_name
        self.names = Names(codebook)
        self.has_tagged = has_tagged
        app_keys = set().union(*(key_set(key_for(self.keymap, binding_id)) for binding_id, *_ in ACTIONS))
        for key, (category, label) in codebook.span_keys().items():
            if key_set(key) & app_keys:
                self.notify(f"label key {key!r} ({clean_line(label.name)}) is also an application key; "
                            "it is not bound (use T to tag with this label)", severity="warning", timeout=15, markup=False)
                continue
            bind_key(self, key, f"tag('{category.id}', '{label.id}')", plain(label.name))
            self.bound_label_keys[key] = (category, label)
        self.status_filter.set_options([(Text(s), s) for s in STATUSES])
        if has_assignments:
            self.filters["assigned"] = annotator
            self.assigned_filter.display = True
        self.label_keys.show(codebook, self.bound_label_keys)
        self.head.set_content(Text(""))
        self.ready = True
        self.app.refresh_bindings()
        self.tags_title.update(self._tags_title())
        self.questions.show(codebook, self.tags, self._key("answer_question"))
        self._update_topbar()
        self.load_outlets()
        self.reset_list(open_first=True, resume=True)
        self._update_side_tabs()
        self._update_hint()
        self.report_orphans(store, codebook)

    def palette_commands(self) -> Iterable[SystemCommand]:
        """The command palette's entries for this screen: every action and label key by name."""
        run = partial(self.app.run_action, default_namespace=self)
        for binding_id, _, action, description, _ in ACTIONS:
            if binding_id == "focus_text":
                continue
            what = ACTION_HELP.get(binding_id, ("", description))[1]
            yield SystemCommand(description.rstrip("…"), f"{plain(what)} (key {markup_key(self._key(binding_id))})",
                                partial(run, action))
        for key, (category, label) in self.bound_label_keys.items():
            yield SystemCommand(f"Tag selection: {plain(category.name)} › {plain(label.name)}",
                                f"key {markup_key(key)}", partial(run, f"tag('{category.id}', '{label.id}')"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.ready and action in SESSION_ACTIONS:
            return None  # greyed out in the footer until the session is open
        return super().check_action(action, parameters)

    # -- messages from the workers ------------------------------------------------------

    def on_list_reset(self, message: ListReset) -> None:
        self.articles.reset(message.total)
        if message.total == 0:
            self._show_nothing()
            return
        if message.resume_id is not None:
            self.open_article(message.resume_id)
        elif message.open_first or self.article is None:  # (None: the filters matched nothing before)
            self.articles.cursor = 0
            self.open_at(0)
        else:
            self._locate_current(self.article.id, self._query())

    def on_article_list_need_page(self, message: ArticleList.NeedPage) -> None:
        self.load_page(self.articles.generation, message.offset, self._query(), self._outlet_names)

    def on_article_list_chosen(self, message: ArticleList.Chosen) -> None:
        self.open_article(message.article_id, message.index)
        self.view.focus()

    def on_article_gone(self, message: ArticleGone) -> None:
        self.notify(message.message, severity="error", markup=False)

    def on_loaded(self, message: Loaded) -> None:
        if message.in_list and not self.articles.total:
            return  # read for the list, whose filters then changed to match nothing
        self.article, self.publisher, self.original = message.article, message.publisher, message.original
        if not self.asking_name:  # (under the login name, before the person says who they are: not kept)
            self.writer.submit(self._note_opened, self.annotator, message.article.id)
        self._keep_time(self.clock.open(None if self.asking_name else message.article.id, self.now()))
        self.tags, self.rejected = message.tags, message.rejected
        self.all_suggestions = message.suggestions or []
        self.suggestions_pending = message.suggestions is None
        if message.suggestions is not None:
            self._remember_suggestions(suggestions_key(message.article), message.suggestions)
        self.status, self.position, self.in_list = message.status, message.position, message.in_list
        self.current_tag = None
        self.view.show_text(message.article.text)
        self.card.show_outlets(self.article, self.publisher, self.original)
        self._refresh_article(place=False)
        # the article first: its place (the list's cursor and row, "article N/M" in the bar) in the
        # frame after it, which then redraws those few lines only, not the whole screen with them
        self.call_after_refresh(self._show_place, message.article.id, message.status, len(message.tags),
                                message.position)
        # the next article is read ahead once this one is on the screen (not while it is drawn)
        self.call_after_refresh(self._prefetch_next, message.position if message.in_list else None,
                                self.articles.generation)
        if not self._gc_frozen:  # once the first article is shown: see _freeze_heap
            self._gc_frozen = True
            self.call_after_refresh(self._freeze_heap)

    @staticmethod
    def _freeze_heap() -> None:
        """Leave what the open session holds (modules, codebook, widgets, drawn cards) out of
        Python's garbage collection from now on: a full collection walked all of it every ten
        articles or so, a pause in "next article" (bench/notes.md, "Why the code is shaped so")."""
        import gc

        gc.freeze()

    def on_progress_read(self, message: ProgressRead) -> None:
        if message.progress != self.progress:
            self.progress = message.progress
            self._update_topbar()

    def on_suggestions_found(self, message: SuggestionsFound) -> None:
        self._remember_suggestions(message.key, message.suggestions)
        if self.article is None or self.article.id != message.article_id:
            return
        self.all_suggestions, self.suggestions_pending = message.suggestions, False
        self._refresh_article()

    def on_tags_reloaded(self, message: TagsReloaded) -> None:
        """A change was committed (or undone): show the article's tags as they are now."""
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
        self.articles.update_row(message.article_id, status=message.status, tags=len(message.tags))
        self.has_tagged = self.has_tagged or bool(message.tags)
        self._refresh_article()

    # -- derived state ----------------------------------------------------------------

    @property
    def span_tags(self) -> list[Annotation]:
        """The open article's span tags in reading order (sorted once per change of the tags)."""
        cached_tags, spans = self._span_tags
        if cached_tags is not self.tags:
            spans = sorted((t for t in self.tags if t.start is not None), key=lambda t: (t.start, t.end))
            self._span_tags = (self.tags, spans)
        return spans

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

    def _suggestion_at_selection(self) -> Suggestion | None:
        start, end = self.view.selected_range
        return next((s for s in self.suggestions if s.start == start and s.end == end), None)
