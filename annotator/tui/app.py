"""The annotation TUI: the article list, the article beside its outlet card, and the tag panel.

Handlers here own the state; widgets only show it. Reads run in thread workers
that post messages; every write goes through one writer thread, in order, and
the screen shows a change only after it is committed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from rich.color import Color
from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from ..codebook import Category, Codebook, Kind
from ..lexicon import Matcher, Suggestion, guess_voice
from ..models import ARTICLE_NOTE_CATEGORY as NOTE_CATEGORY, ARTICLE_NOTE_LABEL as NOTE_LABEL, Annotation, Article, Origin, Outlet, quote_selector
from ..normalize import clean_line
from ..orphans import find_orphans, orphan_summary
from ..render import outlet_card_text, safe
from ..store import STATUSES, Store
from .article_list import PAGE_SIZE, ArticleList, ListRow
from .article_view import ArticleView, Paint
from .screens import Choice, HelpScreen, NoteScreen, PickerScreen

ALIGNMENT_COLOURS = {"kremlin": "red", "ukraine-west": "dodger_blue1", "neutral": "grey70"}

# (binding id, default key, action, description, shown in the footer)
ACTIONS: list[tuple[str, str, str, str, bool]] = [
    ("next_article", "]", "next_article", "Next article", True),
    ("prev_article", "[", "prev_article", "Previous article", False),
    ("next_undone", "}", "next_undone", "Next not done", False),
    ("toggle_done", "D", "toggle_done", "Done", True),
    ("next_suggestion", "S", "next_suggestion", "Next suggestion", True),
    ("accept_suggestion", "A", "accept_suggestion", "Accept", True),
    ("reject_suggestion", "R", "reject_suggestion", "Reject", True),
    ("next_tag", "J", "next_tag", "Next tag", False),
    ("prev_tag", "K", "prev_tag", "Previous tag", False),
    ("delete_tag", "X", "delete_tag", "Delete tag", False),
    ("relabel_tag", "L", "relabel_tag", "Change label", False),
    ("pick_label", "T", "pick_label", "Tag from list", False),
    ("cycle_voice", "V", "cycle_voice", "Voice", False),
    ("note_tag", "N", "note_tag", "Note on tag", False),
    ("note_article", "M", "note_article", "Note on article", False),
    ("answer_question", "Q", "answer_question", "Article question", True),
    ("undo", "ctrl+z", "undo", "Undo", True),
    ("redo", "ctrl+y", "redo", "Redo", False),
    ("search", "slash", "search", "Search", False),
    ("focus_text", "escape", "focus_text", "Back to text", False),
    ("toggle_list", "f2", "toggle_list", "List", False),
    ("help", "question_mark", "help", "Help", True),
]


@dataclass
class Change:
    """One undoable change: ``apply`` and ``revert`` run in the writer thread."""

    description: str
    apply: Callable[[], Any]
    revert: Callable[[], Any]
    uuid: str | None = None  # the tag it is about: made current again after undo/redo


@dataclass
class Loaded(Message):
    """An article and everything shown beside it, read by a worker."""

    article: Article
    publisher: Outlet | None
    original: Outlet | None
    tags: list[Annotation]
    suggestions: list[Suggestion]
    rejected: set[tuple[int, int, str]]
    status: str
    progress: tuple[int, int]
    position: int | None


@dataclass
class TagsReloaded(Message):
    article_id: str
    tags: list[Annotation]
    rejected: set[tuple[int, int, str]]
    status: str
    progress: tuple[int, int]


@dataclass
class ListReset(Message):
    total: int
    select_id: str | None = None
    open_first: bool = False


@dataclass
class OpenFailed(Message):
    message: str


def _readable_on(colour: str) -> str:
    try:
        r, g, b = Color.parse(colour).get_truecolor()
    except Exception:
        return "black"
    return "black" if (0.299 * r + 0.587 * g + 0.114 * b) > 110 else "white"


def _palette_safe(text: str) -> str:
    """A codebook string fit for the command palette, which reads markup."""
    return clean_line(text).replace("[", "(").replace("]", ")")


class AnnotatorApp(App):
    """Tag articles beside their outlet cards."""

    CSS_PATH = "app.tcss"
    TITLE = "annotator"
    BINDINGS = [
        Binding(key, action, description, show=show, id=binding_id,
                priority=binding_id in ("undo", "redo", "help", "toggle_list"))
        for binding_id, key, action, description, show in ACTIONS
    ]

    def __init__(self, store: Store, annotator: str, codebook: Codebook, keymap: dict[str, str] | None = None):
        super().__init__()
        self.store = store
        self.annotator = annotator
        self.codebook = codebook
        self.keymap = keymap or {}
        self.matcher = Matcher(codebook)
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="annotator-writer")
        self.article: Article | None = None
        self.publisher: Outlet | None = None
        self.original: Outlet | None = None
        self.tags: list[Annotation] = []
        self.all_suggestions: list[Suggestion] = []
        self.rejected: set[tuple[int, int, str]] = set()
        self.status = "new"
        self.progress = (0, 0)
        self.position: int | None = None
        self.current_tag: str | None = None
        self.undo_stack: list[Change] = []
        self.redo_stack: list[Change] = []
        self.filters: dict[str, Any] = {"search": None, "status": None, "publisher": None}
        self.span_keys = codebook.span_keys()

    # -- layout ----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="topbar")
        with Horizontal(id="main"):
            with Vertical(id="sidebar"):
                yield Input(placeholder="search titles and texts  (/)", id="search", compact=True)
                yield Select([(Text(s), s) for s in STATUSES], prompt="any status", id="status-filter", compact=True)
                yield Select([], prompt="any outlet", id="outlet-filter", compact=True)
                yield ArticleList(id="articles")
            with Vertical(id="reader"):
                yield Static(id="article-head")
                yield ArticleView(id="text")
            with Vertical(id="side"):
                with VerticalScroll(id="card-scroll"):
                    yield Static(id="outlet-card")
                with VerticalScroll(id="tag-panel"):
                    yield Static(id="tag-keys")
                    yield Static(id="questions")
                    yield Static(Text("Tags (enter jumps)", style="bold"), id="tags-title")
                    yield OptionList(id="tag-list")
        yield Footer()

    def on_mount(self) -> None:
        self.theme = "textual-dark"
        if self.keymap:
            self.set_keymap(self.keymap)
        app_keys = {b.key for b in self.BINDINGS}
        for key, (category, label) in self.span_keys.items():
            if key in app_keys:
                self.notify(f"label key {key!r} is also an application key; it is not bound", severity="warning")
                continue
            self.bind(key, f"tag('{category.id}', '{label.id}')", description=label.name, show=False)
        self.query_one("#tag-keys", Static).update(self._tag_keys_text())
        self._update_topbar()
        self.query_one(ArticleView).focus()
        self.load_outlets()
        self.reset_list(open_first=True)
        self.report_orphans()

    # -- reading (workers) -------------------------------------------------------------

    @work(thread=True, group="outlets")
    def load_outlets(self) -> None:
        outlets = self.store.outlets()
        options = [(safe(o.name), o.id) for o in outlets] + [(Text("unknown outlet"), "")]
        self.call_from_thread(self.query_one("#outlet-filter", Select).set_options, options)

    @work(thread=True, group="orphans")
    def report_orphans(self) -> None:
        """Say how many tags use labels this codebook version no longer has (they are kept)."""
        orphans = find_orphans(self.codebook, self.store.label_usage(self.codebook.id))
        if orphans:
            self.call_from_thread(self.notify, orphan_summary(self.codebook, orphans), severity="warning",
                                  timeout=10, markup=False)

    @work(thread=True, exclusive=True, group="list")
    def reset_list(self, select_id: str | None = None, open_first: bool = False) -> None:
        total = self.store.count_articles(annotator=self.annotator, **self.filters)
        self.post_message(ListReset(total, select_id, open_first))

    @work(thread=True, group="pages")
    def load_page(self, generation: int, offset: int) -> None:
        names = {o.id: o.name for o in self.store.outlets()}
        rows = self.store.list_articles(offset=offset, limit=PAGE_SIZE, annotator=self.annotator, **self.filters)
        page = [ListRow(r.id, r.title, names.get(r.publisher or "", "unknown"), r.status, r.annotations) for r in rows]
        self.call_from_thread(self.query_one(ArticleList).set_page, generation, offset, page)

    def _read_article(self, article_id: str) -> None:
        """Read an article and all that is shown beside it, and post it (worker threads only)."""
        article = self.store.article(article_id)
        if article is None:
            self.post_message(OpenFailed(f"article {article_id} is gone"))
            return
        self.post_message(Loaded(
            article=article,
            publisher=self.store.outlet(article.publisher),
            original=self.store.outlet(article.original_source),
            tags=self.store.annotations(article.id, self.annotator),
            suggestions=self.matcher.find(article.text),
            rejected=self.store.rejected_suggestions(article.id, self.annotator),
            status=self.store.status(article.id, self.annotator),
            progress=self.store.progress(self.annotator),
            position=self.store.article_position(article.id, annotator=self.annotator, **self.filters),
        ))

    @work(thread=True, exclusive=True, group="open")
    def open_article(self, article_id: str) -> None:
        self._read_article(article_id)

    @work(thread=True, exclusive=True, group="open")
    def open_at(self, index: int) -> None:
        rows = self.store.list_articles(offset=index, limit=1, annotator=self.annotator, **self.filters)
        if rows:
            self._read_article(rows[0].id)

    def _reload_tags(self) -> TagsReloaded | None:
        """Read this article's tags again (writer thread, after a change)."""
        if self.article is None:
            return None
        article_id = self.article.id
        return TagsReloaded(
            article_id,
            self.store.annotations(article_id, self.annotator),
            self.store.rejected_suggestions(article_id, self.annotator),
            self.store.status(article_id, self.annotator),
            self.store.progress(self.annotator),
        )

    # -- messages --------------------------------------------------------------------

    def on_list_reset(self, message: ListReset) -> None:
        articles = self.query_one(ArticleList)
        articles.reset(message.total)
        if message.total == 0:
            self.query_one("#article-head", Static).update(Text("No articles match the filters.", style="italic"))
            return
        if message.open_first:
            articles.cursor = 0
            self.open_at(0)

    def on_article_list_need_page(self, message: ArticleList.NeedPage) -> None:
        self.load_page(self.query_one(ArticleList).generation, message.offset)

    def on_article_list_chosen(self, message: ArticleList.Chosen) -> None:
        self.open_article(message.article_id)
        self.query_one(ArticleView).focus()

    def on_open_failed(self, message: OpenFailed) -> None:
        self.notify(message.message, severity="error")

    def on_loaded(self, message: Loaded) -> None:
        self.article, self.publisher, self.original = message.article, message.publisher, message.original
        self.tags, self.all_suggestions, self.rejected = message.tags, message.suggestions, message.rejected
        self.status, self.progress, self.position = message.status, message.progress, message.position
        self.current_tag = None
        view = self.query_one(ArticleView)
        view.show_text(message.article.text)
        articles = self.query_one(ArticleList)
        articles.current_id = message.article.id
        if message.position is not None:
            articles.cursor = message.position
        self.query_one("#outlet-card", Static).update(self._outlet_text())
        self._refresh_article()

    def on_tags_reloaded(self, message: TagsReloaded) -> None:
        if self.article is None or message.article_id != self.article.id:
            return
        self.tags, self.rejected, self.status, self.progress = message.tags, message.rejected, message.status, message.progress
        if self.current_tag and not any(t.uuid == self.current_tag for t in self.tags):
            self.current_tag = None
        self.query_one(ArticleList).update_row(message.article_id, status=message.status, tags=len(message.tags))
        self._refresh_article()

    @on(ArticleView.SelectionChanged)
    def _selection_moved(self, event: ArticleView.SelectionChanged) -> None:
        view = self.query_one(ArticleView)
        start, end = view.selected_range
        if start == end:
            inside = [t for t in self.span_tags if t.start <= start < t.end]  # type: ignore[operator]
            new = inside[-1].uuid if inside else None
            if new != self.current_tag:
                self.current_tag = new
                self._refresh_article()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.filters["search"] = event.value.strip() or None
        self.reset_list()

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        self.query_one(ArticleList).focus()

    @on(Select.Changed, "#status-filter")
    def _status_changed(self, event: Select.Changed) -> None:
        self.filters["status"] = None if event.value is Select.BLANK else event.value
        self.reset_list()

    @on(Select.Changed, "#outlet-filter")
    def _outlet_changed(self, event: Select.Changed) -> None:
        self.filters["publisher"] = None if event.value is Select.BLANK else event.value
        self.reset_list()

    @on(OptionList.OptionSelected, "#tag-list")
    def _tag_chosen(self, event: OptionList.OptionSelected) -> None:
        tag = next((t for t in self.tags if t.uuid == event.option.id), None)
        if tag is not None and tag.start is not None:
            self.current_tag = tag.uuid
            self.query_one(ArticleView).select_range(tag.start, tag.end)  # type: ignore[arg-type]
            self.query_one(ArticleView).focus()
            self._refresh_article()

    # -- derived state ----------------------------------------------------------------

    @property
    def span_tags(self) -> list[Annotation]:
        return sorted((t for t in self.tags if t.start is not None), key=lambda t: (t.start, t.end))

    @property
    def suggestions(self) -> list[Suggestion]:
        """Suggestions not rejected and not already tagged with their label at the same place."""
        taken = {(t.start, t.end, t.label) for t in self.tags}
        return [s for s in self.all_suggestions
                if (s.start, s.end, s.variant) not in self.rejected and (s.start, s.end, s.label) not in taken]

    def _current(self) -> Annotation | None:
        return next((t for t in self.tags if t.uuid == self.current_tag), None)

    # -- drawing ---------------------------------------------------------------------

    def _refresh_article(self) -> None:
        paints: list[Paint] = []
        for s in self.suggestions:
            paints.append(Paint(s.start, s.end, Style(underline=True, italic=True,
                                                      color=ALIGNMENT_COLOURS.get(s.alignment, "yellow"))))
        for t in self.span_tags:
            label = self.codebook.label(t.category, t.label)
            colour = label.color if label else "yellow"
            style = Style(bgcolor=colour, color=_readable_on(colour))
            if t.uuid == self.current_tag:
                style += Style(bold=True, underline=True)
            paints.append(Paint(t.start, t.end, style))  # type: ignore[arg-type]
        self.query_one(ArticleView).set_paints(paints)
        self.query_one("#article-head", Static).update(self._head_text())
        self.query_one("#questions", Static).update(self._questions_text())
        self._fill_tag_list()
        self._update_topbar()

    def _update_topbar(self) -> None:
        done, total = self.progress
        bar = Text.assemble(("annotator", "bold"), " · ", ("annotator: ", "dim"))
        bar.append_text(safe(self.annotator, style="bold cyan"))
        bar.append(" · codebook ", style="dim")
        bar.append_text(safe(f"{self.codebook.id} {self.codebook.version}"))
        bar.append(f" · done {done}/{total}", style="green" if total and done == total else "")
        if self.position is not None:
            bar.append(f" · article {self.position + 1}/{self.query_one(ArticleList).total}", style="dim")
        self.query_one("#topbar", Static).update(bar)

    def _head_text(self) -> Text:
        a = self.article
        if a is None:
            return Text("")
        head = Text()
        head.append_text(safe(a.title, style="bold"))
        head.append("\n")
        head.append_text(safe(f"{a.published}", style="dim"))
        if "published" in a.unverified:
            head.append(" (unverified)", style="yellow")
        head.append(" · ", style="dim")
        head.append_text(safe(self.publisher.name if self.publisher else (a.publisher or "unknown outlet")))
        if a.original_source and a.original_source != a.publisher:
            head.append(" · original: ", style="dim")
            head.append_text(safe(self.original.name if self.original else a.original_source))
            if "original_source" in a.unverified:
                head.append(" (unverified)", style="yellow")
        marks = {"new": ("new", "dim"), "in progress": ("in progress", "yellow"), "done": ("✓ done", "bold green")}
        word, style = marks[self.status]
        head.append(f"  [{word}]", style=style)
        head.append(f"  {len(self.suggestions)} suggestion(s)", style="dim")
        return head

    def _outlet_text(self) -> Text:
        a = self.article
        if a is None:
            return Text("")
        out = Text("Publisher\n", style="bold reverse")
        out.append_text(outlet_card_text(self.publisher) if self.publisher else
                        Text.assemble(safe(a.publisher), ("\nNot in the registry: nothing is known yet.", "dim")))
        if a.original_source and a.original_source != a.publisher:
            out.append("\n\n")
            out.append("Original source", style="bold reverse")
            if "original_source" in a.unverified:
                out.append(" (unverified)", style="yellow")
            out.append("\n")
            out.append_text(outlet_card_text(self.original) if self.original else safe(a.original_source))
        return out

    def _tag_keys_text(self) -> Text:
        out = Text()
        for category in self.codebook.categories:
            if category.kind is not Kind.span:
                continue
            out.append_text(safe(category.name, style="bold"))
            out.append("\n")
            for label in category.labels:
                out.append(f" {label.key or ' '} ", style="reverse")
                out.append(" ")
                out.append_text(safe(label.name, style=label.color))
                out.append("\n")
        return out

    def _questions_text(self) -> Text:
        out = Text("Article questions (Q)\n", style="bold")
        for category in self.codebook.categories:
            if category.kind is not Kind.article:
                continue
            answers = [self.codebook.label(category.id, t.label) for t in self.tags if t.category == category.id]
            out.append_text(safe(category.name, style="dim"))
            out.append(": ")
            if answers:
                out.append_text(safe(", ".join(l.name for l in answers if l), style="bold"))
            else:
                out.append("—", style="dim")
            out.append("\n")
        return out

    def _fill_tag_list(self) -> None:
        options = []
        for t in self.span_tags + [t for t in self.tags if t.start is None and t.category == NOTE_CATEGORY]:
            label = self.codebook.label(t.category, t.label)
            line = Text()
            if t.start is None:
                line.append("article note: ", style="bold")
            else:
                line.append_text(safe(label.name if label else f"{t.label} (not in codebook)",
                                      style=(label.color if label else "red")))
                line.append(" ")
                line.append_text(safe(clean_line(t.quote or "")[:40], style="italic"))
                voice = t.attributes.get("voice")
                if voice:
                    line.append(f" ({voice})", style="dim")
                if t.origin is Origin.suggestion:
                    line.append(" ★", style="dim")
            if t.note:
                line.append(" ✎ ", style="dim")
                line.append_text(safe(clean_line(t.note)[:40], style="dim"))
            if t.uuid == self.current_tag:
                line.stylize("bold")
            options.append(Option(line, id=t.uuid))
        tag_list = self.query_one("#tag-list", OptionList)
        tag_list.clear_options()
        tag_list.add_options(options)

    # -- writing ---------------------------------------------------------------------

    async def _in_writer(self, fn: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self._writer, partial(fn, *args))

    async def flush(self) -> None:
        """Wait until every queued write is committed (for tests and quitting)."""
        await self._in_writer(lambda: None)

    async def _do(self, change: Change, record: bool = True) -> bool:
        """Commit a change, then show it. Returns False (and says why) when it failed."""
        def run() -> TagsReloaded | None:
            change.apply()
            return self._reload_tags()

        try:
            reloaded = await self._in_writer(run)
        except Exception as exc:  # a locked or read-only database must not lose the session
            self.notify(f"not saved: {exc}", severity="error", markup=False)
            return False
        if record:
            self.undo_stack.append(change)
            self.redo_stack.clear()
        if reloaded is not None:
            if change.uuid and any(t.uuid == change.uuid for t in reloaded.tags):
                self.current_tag = change.uuid
            self.on_tags_reloaded(reloaded)
        return True

    def _new_tag(self, category_id: str, label_id: str, start: int | None = None, end: int | None = None,
                 origin: Origin = Origin.human, attributes: dict[str, str] | None = None, note: str | None = None) -> Annotation:
        assert self.article is not None
        quote = quote_selector(self.article.text, start, end) if start is not None else {}
        return Annotation(
            article_id=self.article.id, text_sha256=self.article.text_sha256, annotator=self.annotator,
            codebook_id=self.codebook.id, codebook_version=self.codebook.version, category=category_id,
            label=label_id, start=start, end=end, origin=origin, attributes=attributes or {}, note=note, **quote,
        )

    def _create(self, annotation: Annotation, description: str) -> Change:
        store = self.store
        created = {"done": False}

        def apply() -> None:
            if created["done"]:
                store.update_annotation(annotation.uuid, deleted=False)
            else:
                store.add_annotation(annotation)
                created["done"] = True

        return Change(description, apply, lambda: store.update_annotation(annotation.uuid, deleted=True), annotation.uuid)

    def _update(self, tag: Annotation, description: str, **after: Any) -> Change:
        before = {k: getattr(tag, k) for k in after}
        return Change(description, lambda: self.store.update_annotation(tag.uuid, **after),
                      lambda: self.store.update_annotation(tag.uuid, **before), tag.uuid)

    def _voice_for(self, category: Category, start: int, end: int) -> dict[str, str]:
        if "voice" not in category.attributes or self.article is None:
            return {}
        attribute = self.codebook.attribute("voice")
        guess = guess_voice(self.article.text, start, end)
        if attribute and guess in {v.id for v in attribute.values}:
            return {"voice": guess}
        return {"voice": attribute.default} if attribute and attribute.default else {}

    # -- actions: tagging ------------------------------------------------------------

    async def action_tag(self, category_id: str, label_id: str) -> None:
        """Tag the selected text with a label."""
        if self.article is None or isinstance(self.focused, Input):
            return
        category = self.codebook.category(category_id)
        assert category is not None
        view = self.query_one(ArticleView)
        start, end = view.selected_range
        while start < end and self.article.text[start].isspace():
            start += 1
        while end > start and self.article.text[end - 1].isspace():
            end -= 1
        if start == end:
            self.notify("Select some text first (shift+arrows or the mouse), then press the label's key.")
            return
        attributes = self._voice_for(category, start, end)
        match = next((s for s in self.all_suggestions if s.start == start and s.end == end), None)
        if match is not None:
            attributes.update(concept=match.concept, variant=match.variant)
        tag = self._new_tag(category.id, label_id, start, end, attributes=attributes)
        if await self._do(self._create(tag, f"tag {label_id}")):
            self.current_tag = tag.uuid  # the span stays selected: another key adds a second label
            self._refresh_article()

    @work(group="dialog", exclusive=True)
    async def action_pick_label(self) -> None:
        """Choose a span label from a searchable list and tag the selection."""
        choices = [Choice(Text.assemble(safe(c.name, style="dim"), " › ", safe(l.name, style=l.color),
                                        (f"  [{l.key}]" if l.key else "", "dim")),
                          (c.id, l.id), f"{c.name} {l.name} {l.id} {l.description}")
                   for c in self.codebook.categories if c.kind is Kind.span for l in c.labels]
        result = await self.push_screen_wait(PickerScreen("Tag the selection as…", choices))
        if result is not None:
            await self.action_tag(*result)

    @work(group="dialog", exclusive=True)
    async def action_relabel_tag(self) -> None:
        tag = self._current()
        if tag is None:
            self.notify("No tag here: move into a tag or jump to one (J/K).")
            return
        category = self.codebook.category(tag.category)
        if category is None:
            self.notify("This tag's category is not in the codebook.", severity="warning")
            return
        choices = [Choice(safe(l.name, style=l.color), l.id, f"{l.name} {l.id} {l.description}") for l in category.labels]
        result = await self.push_screen_wait(PickerScreen("Change the label to…", choices))
        if result is not None and result != tag.label:
            await self._do(self._update(tag, f"relabel to {result}", label=result))

    async def action_delete_tag(self) -> None:
        tag = self._current()
        if tag is None:
            self.notify("No tag here: move into a tag or jump to one (J/K).")
            return
        await self._do(self._update(tag, "delete tag", deleted=True))

    async def action_cycle_voice(self) -> None:
        tag = self._current()
        attribute = self.codebook.attribute("voice")
        if tag is None or attribute is None:
            self.notify("No tag here: move into a tag or jump to one (J/K).")
            return
        values = [v.id for v in attribute.values]
        now = tag.attributes.get("voice")
        following = values[(values.index(now) + 1) % len(values)] if now in values else values[0]
        await self._do(self._update(tag, f"voice {following}", attributes={**tag.attributes, "voice": following}))

    @work(group="dialog", exclusive=True)
    async def action_note_tag(self) -> None:
        tag = self._current()
        if tag is None:
            self.notify("No tag here: move into a tag (or use M for a note on the article).")
            return
        note = await self.push_screen_wait(NoteScreen("Note on this tag", tag.note or ""))
        if note is not None and note != (tag.note or ""):
            await self._do(self._update(tag, "note", note=note or None))

    @work(group="dialog", exclusive=True)
    async def action_note_article(self) -> None:
        if self.article is None:
            return
        existing = next((t for t in self.tags if t.category == NOTE_CATEGORY), None)
        note = await self.push_screen_wait(NoteScreen("Note on this article", existing.note or "" if existing else ""))
        if note is None:
            return
        if existing is not None:
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
            if c.kind is not Kind.article:
                continue
            chosen = {t.label for t in self.tags if t.category == c.id}
            for l in c.labels:
                mark = "● " if l.id in chosen else "○ "
                choices.append(Choice(Text.assemble(mark, safe(c.name, style="dim"), " › ", safe(l.name, style=l.color)),
                                      (c.id, l.id), f"{c.name} {l.name} {l.id}"))
        result = await self.push_screen_wait(PickerScreen("Article question: choose an answer", choices))
        if result is None:
            return
        category = self.codebook.category(result[0])
        assert category is not None
        existing = [t for t in self.tags if t.category == category.id]
        same = next((t for t in existing if t.label == result[1]), None)
        if same is not None:  # choosing an answer again takes it back
            await self._do(self._update(same, "clear answer", deleted=True))
            return
        new = self._create(self._new_tag(category.id, result[1]), f"answer {result[1]}")
        if category.cardinality.value == "single" and existing:
            removals = [self._update(t, "replace answer", deleted=True) for t in existing]
            await self._do(Change(f"answer {result[1]}",
                                  lambda: ([r.apply() for r in removals], new.apply()),
                                  lambda: (new.revert(), [r.revert() for r in removals])))
        else:
            await self._do(new)

    # -- actions: suggestions ----------------------------------------------------------

    def _suggestion_at_selection(self) -> Suggestion | None:
        start, end = self.query_one(ArticleView).selected_range
        return next((s for s in self.suggestions if s.start == start and s.end == end), None)

    def action_next_suggestion(self) -> None:
        suggestions = self.suggestions
        if not suggestions:
            self.notify("No suggestions left in this article.")
            return
        view = self.query_one(ArticleView)
        start, _ = view.selected_range
        following = next((s for s in suggestions if s.start > start), suggestions[0])
        view.select_range(following.start, following.end)
        self.notify(f"{following.concept}: {following.variant} ({following.alignment}) — A accepts, R rejects",
                    markup=False, timeout=3)

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
                            origin=Origin.suggestion, attributes=attributes)
        if await self._do(self._create(tag, f"accept {suggestion.variant}")):
            self.current_tag = tag.uuid
            self.action_next_suggestion() if self.suggestions else self._refresh_article()

    async def action_reject_suggestion(self) -> None:
        suggestion = self._suggestion_at_selection()
        if suggestion is None or self.article is None:
            self.notify("Jump to a suggestion first (S).")
            return
        a, s = self.article.id, suggestion
        change = Change(f"reject {s.variant}",
                        lambda: self.store.reject_suggestion(a, self.annotator, s.start, s.end, s.concept, s.variant),
                        lambda: self.store.unreject_suggestion(a, self.annotator, s.start, s.end, s.variant))
        if await self._do(change) and self.suggestions:
            self.action_next_suggestion()

    # -- actions: moving ---------------------------------------------------------------

    def _jump_tag(self, step: int) -> None:
        tags = self.span_tags
        if not tags:
            self.notify("No tags in this article yet.")
            return
        view = self.query_one(ArticleView)
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

    def _move_article(self, step: int) -> None:
        articles = self.query_one(ArticleList)
        if not articles.total:
            return
        index = (self.position if self.position is not None else articles.cursor) + step
        if not 0 <= index < articles.total:
            self.notify("That was the last article." if step > 0 else "This is the first article.")
            return
        articles.cursor = index
        self.open_at(index)

    def action_next_article(self) -> None:
        self._move_article(1)

    def action_prev_article(self) -> None:
        self._move_article(-1)

    def action_next_undone(self) -> None:
        self._open_next_undone(self.article.id if self.article else None)

    @work(thread=True, exclusive=True, group="open")
    def _open_next_undone(self, after: str | None) -> None:
        found = self.store.next_not_done(after, self.annotator, **self.filters)
        if found is None:
            self.call_from_thread(self.notify, "Every article here is done.")
        else:
            self._read_article(found)

    async def action_toggle_done(self) -> None:
        if self.article is None:
            return
        article_id, was_done = self.article.id, self.status == "done"
        change = Change("done", lambda: self.store.set_status(article_id, self.annotator, not was_done),
                        lambda: self.store.set_status(article_id, self.annotator, was_done))
        if await self._do(change):
            self.notify("Marked done." if not was_done else "Marked not done.", timeout=2)

    async def action_undo(self) -> None:
        if not self.undo_stack:
            self.notify("Nothing to undo.")
            return
        change = self.undo_stack.pop()
        if await self._do(Change(change.description, change.revert, change.apply, change.uuid), record=False):
            self.redo_stack.append(change)
            self.notify(f"Undid: {change.description}", markup=False, timeout=2)
        else:
            self.undo_stack.append(change)

    async def action_redo(self) -> None:
        if not self.redo_stack:
            self.notify("Nothing to redo.")
            return
        change = self.redo_stack.pop()
        if await self._do(change, record=False):
            self.undo_stack.append(change)
            self.notify(f"Redid: {change.description}", markup=False, timeout=2)
        else:
            self.redo_stack.append(change)

    def action_search(self) -> None:
        self.query_one("#sidebar").display = True
        self.query_one("#search", Input).focus()

    def action_focus_text(self) -> None:
        self.query_one(ArticleView).focus()

    def action_toggle_list(self) -> None:
        sidebar = self.query_one("#sidebar")
        sidebar.display = not sidebar.display
        if not sidebar.display:
            self.query_one(ArticleView).focus()

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self._keys_help(), self._guideline_help()))

    def _keys_help(self) -> Text:
        out = Text()
        for binding_id, key, _, description, _ in ACTIONS:
            shown = self.keymap.get(binding_id, key)
            out.append(f"{self.get_key_display(Binding(shown, '')):>10}  ", style="bold")
            out.append(f"{description}\n")
        out.append("\n")
        out.append(f"{'shift+arrows':>10}  select text (or drag with the mouse)\n", style="")
        for key, (category, label) in self.span_keys.items():
            out.append(f"{key:>10}  ", style="bold")
            out.append_text(safe(f"{category.name} › {label.name}", style=label.color))
            out.append("\n")
        out.append(f"{'ctrl+p':>10}  command palette (every action)\n{'ctrl+q':>10}  quit\n")
        return out

    def _guideline_help(self) -> Text:
        tag = self._current()
        if tag is not None:
            category = self.codebook.category(tag.category)
            label = self.codebook.label(tag.category, tag.label)
            if category is not None and label is not None:
                out = Text.assemble(safe(f"{category.name} › {label.name}", style=f"bold {label.color}"), "\n")
                out.append_text(safe(label.description))
                if label.example:
                    out.append("\nExample: ", style="dim")
                    out.append_text(safe(label.example, style="italic"))
                if category.guideline:
                    out.append("\n\n")
                    out.append_text(safe(category.guideline))
                return out
        return safe(self.codebook.guidelines or "(this codebook has no guidelines)")

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for binding_id, key, action, description, _ in ACTIONS:
            if binding_id in ("focus_text",):
                continue
            yield SystemCommand(description, f"key {self.keymap.get(binding_id, key)}", partial(self.run_action, action))
        for key, (category, label) in self.span_keys.items():
            yield SystemCommand(f"Tag selection: {_palette_safe(category.name)} › {_palette_safe(label.name)}",
                                f"key {_palette_safe(key)}", partial(self.run_action, f"tag('{category.id}', '{label.id}')"))

    async def action_quit(self) -> None:
        await self.flush()
        self._writer.shutdown(wait=True)
        self.exit()
