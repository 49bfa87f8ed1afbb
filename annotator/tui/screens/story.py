"""The story screen: two to four articles of one story side by side, each under its outlet's
card, with tags and lexicon suggestions drawn as on the annotation screen (a variant inside
a quotation dimmed: a source's word, not the outlet's). Following a concept ("the capital")
puts every column on its use of it and steps through the uses in all columns at once.
The label keys tag a selection in the focused column, as on the annotation screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static

from ...normalize import clean_line
from ...tagging import Change, History, add_tag, edit_tag, initial_voice, lexicon_attributes, new_tag, same_tag, \
    trim_selection
from ..keys import key_set, plain
from ..textual_private import bind_key
from ..widgets.article_view import Paint
from ..widgets.cached import update_static
from ..widgets.highlights import Highlights
from ..widgets.story_column import StoryColumn
from ..widgets.untrusted import safe
from .dialogs import Choice, PickerScreen
from .undoing import UndoRedo

if TYPE_CHECKING:
    from ...codebook import Codebook
    from ...compare import StoryArticle
    from ...lexicon import Matcher
    from ...models import Annotation
    from ...store import Store
    from ..writer import Writer

COLUMNS = 4  # at most; narrower terminals show fewer (see HORIZONTAL_BREAKPOINTS)


@dataclass
class StoryRead(Message):
    """The story's articles, read by a worker."""

    articles: list[StoryArticle]


@dataclass
class TagsRead(Message):
    """One article's tags by this annotator, read again after a change."""

    article_id: str
    tags: list[Annotation]


class StoryScreen(UndoRedo, Screen[Any]):
    """One story across outlets, term by term. Dismissed with the id of an article to
    annotate in full (``E``), or ``None``."""

    HORIZONTAL_BREAKPOINTS = [(0, "-two"), (130, "-three"), (176, "-four")]
    DEFAULT_CSS = """
    StoryScreen { layout: vertical; }
    StoryScreen #story-title { height: 1; background: $boost; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
    StoryScreen #story-columns { height: 1fr; }
    StoryScreen #story-hint { height: 1; padding: 0 1; background: $boost; text-wrap: nowrap; text-overflow: ellipsis; }
    StoryScreen.-two #column-2, StoryScreen.-two #column-3, StoryScreen.-three #column-3 { display: none; }
    """
    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("C", "choose_concept", "Concept…"),
        Binding("right_square_bracket", "step(1)", "Next use"),
        Binding("left_square_bracket", "step(-1)", "Previous use"),
        Binding("W", "choose_article", "Article…"),
        Binding("E", "annotate", "Annotate"),
        Binding("X", "delete_tag", "Delete tag", show=False),
        Binding("ctrl+z", "undo", "Undo"),
        Binding("ctrl+y", "redo", "Redo", show=False),
        Binding("tab", "focus_column(1)", "Next column", show=False),
        Binding("shift+tab", "focus_column(-1)", "Previous column", show=False),
    ]

    def __init__(self, store: Store, codebook: Codebook, matcher: Matcher, annotator: str, writer: Writer,
                 story: str, first: str | None = None) -> None:
        """``first``: the article shown in the first column (the one the annotator came from)."""
        super().__init__()
        self.store, self.codebook, self.matcher, self.annotator, self.writer = store, codebook, matcher, annotator, writer
        self.story, self.first = story, first
        from ...naming import Names

        self.names = Names(codebook)
        self.articles: list[StoryArticle] = []
        self.shown: list[int] = []  # indices into articles, one per column
        self.concept: str | None = None
        self.use = 0  # which use of the concept every column is on
        self.history = History()
        self.changed = False  # a tag was made or changed here (the annotation screen reads its tags again)
        self.highlights = Highlights()
        self.label_keys: dict[str, tuple[Any, Any]] = {}

    def compose(self) -> ComposeResult:
        self.title_line = Static(id="story-title")
        self.columns = [StoryColumn(id=f"column-{i}") for i in range(COLUMNS)]
        self.hint = Static(id="story-hint")
        yield self.title_line
        with Horizontal(id="story-columns"):
            yield from self.columns
        yield self.hint
        yield Footer()

    def on_mount(self) -> None:
        update_static(self.title_line, Text.assemble(("Story ", "bold"), safe(self.story), (" · reading…", "dim")))
        self._bind_label_keys()
        self._read_story(self.store, self.story, self.matcher, self.annotator)

    def _bind_label_keys(self) -> None:
        taken = set().union(*(key_set(b.key) for b in self.BINDINGS if isinstance(b, Binding)))
        for key, (category, label) in self.codebook.span_keys().items():
            if not key_set(key) & taken:
                bind_key(self, key, f"tag('{category.id}', '{label.id}')", plain(label.name))
                self.label_keys[key] = (category, label)

    # -- reading ----------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="story")
    def _read_story(self, store: Store, story: str, matcher: Matcher, annotator: str) -> None:
        from ...compare import read_story

        articles = read_story(store, story, matcher)
        for a in articles:  # the tags drawn are this annotator's (as on the annotation screen)
            a.tags = [t for t in a.tags if t.annotator == annotator]
        self.post_message(StoryRead(articles))

    def on_story_read(self, message: StoryRead) -> None:
        self.articles = message.articles
        order = list(range(len(self.articles)))
        first = next((i for i, a in enumerate(self.articles) if a.article.id == self.first), None)
        if first is not None:
            order.remove(first)
            order.insert(0, first)
        self.shown = order[:COLUMNS]
        outlets = len({a.article.publisher for a in self.articles})
        update_static(self.title_line, Text.assemble(
            ("Story ", "bold"), safe(self.story), f" · {len(self.articles)} article(s), {outlets} outlet(s) · ",
            ("underlined: the outlet's words; dim italic: inside quotations", "dim")))
        for column, index in zip(self.columns, self.shown):
            a = self.articles[index]
            column.show(a.article, a.outlet)
        for column in self.columns[len(self.shown):]:
            column.say(Text("(the story has no more articles)", style="dim"))
        self._draw()
        if self.shown:
            self.columns[0].view.focus()

    def on_tags_read(self, message: TagsRead) -> None:
        for a in self.articles:
            if a.article.id == message.article_id:
                a.tags = message.tags
        self._draw()

    # -- drawing ----------------------------------------------------------------------

    def _draw(self) -> None:
        """Draw every column's highlights and the line that says where the followed concept is."""
        for column, index in zip(self.columns, self.shown):
            a = self.articles[index]
            base = [Paint(s.start, s.end, self.highlights.suggestion(s.alignment, s.voice != "own",
                                                                     s.concept == self.concept))
                    for s in a.suggestions]
            tags = []
            for t in a.tags:
                if t.start is not None and t.end is not None:
                    label = self.codebook.label(t.category, t.label)
                    tags.append(Paint(t.start, t.end, self.highlights.tag(label.color if label else "yellow")))
            column.view.set_paints(tags, base=base)
            column.say(self._where(a))
        self._hint()

    def _where(self, a: StoryArticle) -> Text:
        if self.concept is None:
            uses = len(a.suggestions)
            return Text(f"{uses} lexicon match(es) · C follows a concept", style="dim")
        name = self.names.concept(self.concept)
        uses = a.uses(self.concept)
        if not uses:
            return Text.assemble(("no ", "yellow"), safe(f"“{name}”"), (" in this article", "yellow"))
        s = uses[self.use % len(uses)]
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append_text(safe(self.names.variant(s.category, s.concept, s.variant), style="bold"))
        line.append(f"  {'own words' if s.voice == 'own' else s.voice}", style="dim" if s.voice == "own" else "italic")
        line.append(f"  use {self.use % len(uses) + 1} of {len(uses)}", style="dim")
        return line

    def _hint(self) -> None:
        if self.concept is None:
            hint = "C: follow a concept (the capital, the war…) in every column · W: which articles · E: annotate one"
        else:
            hint = f"following “{clean_line(self.names.concept(self.concept))}”: ] next use · [ previous · C another"
        update_static(self.hint, Text(hint + " · a label key tags the selection", style="dim"))

    # -- following a concept ------------------------------------------------------------

    @work(group="dialog", exclusive=True)
    async def action_choose_concept(self) -> None:
        """Choose the concept every column follows."""
        from ...compare import concepts_used

        shown = [self.articles[i] for i in self.shown]
        concepts = concepts_used(shown)
        if not concepts:
            self.notify("The lexicon finds none of its concepts in these articles.")
            return
        choices = []
        for concept in concepts:
            counts = " · ".join(str(len(a.uses(concept))) for a in shown)
            choices.append(Choice(Text.assemble(safe(self.names.concept(concept), style="bold"), ("  uses per column: ", "dim"),
                                                (counts, "dim")), concept, f"{concept} {self.names.concept(concept)}"))
        chosen = await self.app.push_screen_wait(PickerScreen("Follow a concept in every column", choices))
        if chosen is not None:
            self.concept, self.use = chosen, 0
            self._draw()
            self._jump()

    def action_step(self, step: int) -> None:
        """Every column to its next (or previous) use of the followed concept."""
        if self.concept is None:
            self.notify("Choose a concept to follow first (C).")
            return
        self.use += step
        self._draw()
        self._jump()

    def _jump(self) -> None:
        for column, index in zip(self.columns, self.shown):
            uses = self.articles[index].uses(self.concept or "")
            if uses:
                s = uses[self.use % len(uses)]
                column.view.select_range(s.start, s.end)

    # -- choosing the articles -------------------------------------------------------------

    def _focused_column(self) -> int | None:
        focused = self.focused
        for number, column in enumerate(self.columns[:len(self.shown)]):
            if focused is not None and (focused is column or column in focused.ancestors):
                return number
        return None

    def action_focus_column(self, step: int) -> None:
        visible = [c for c in self.columns[:len(self.shown)] if c.display]
        if not visible:
            return
        now = self._focused_column()
        number = (visible.index(self.columns[now]) + step) % len(visible) if now is not None and \
            self.columns[now] in visible else 0
        visible[number].view.focus()

    @work(group="dialog", exclusive=True)
    async def action_choose_article(self) -> None:
        """Show another article of the story in the focused column."""
        number = self._focused_column()
        if number is None or not self.articles:
            return
        choices = [Choice(Text.assemble(safe(a.heading, style="bold"), "  ", safe(a.article.title)), i,
                          f"{a.heading} {a.article.title}") for i, a in enumerate(self.articles)]
        chosen = await self.app.push_screen_wait(PickerScreen("Show in this column…", choices))
        if chosen is not None:
            self.shown[number] = chosen
            a = self.articles[chosen]
            self.columns[number].show(a.article, a.outlet)
            self._draw()
            self._jump()

    def action_annotate(self) -> None:
        """Open the focused column's article on the annotation screen."""
        number = self._focused_column()
        if number is not None:
            self.dismiss(self.articles[self.shown[number]].article.id)

    def action_close(self) -> None:
        self.dismiss(None)

    # -- tagging from a column -------------------------------------------------------------

    def _column_article(self) -> tuple[StoryColumn, StoryArticle] | None:
        number = self._focused_column()
        if number is None:
            self.notify("Move into a column first (tab).")
            return None
        return self.columns[number], self.articles[self.shown[number]]

    async def action_tag(self, category_id: str, label_id: str) -> None:
        """Tag the selection of the focused column with a label (as on the annotation screen)."""
        found = self._column_article()
        category = self.codebook.category(category_id)
        if found is None or category is None:
            return
        column, a = found
        start, end = trim_selection(a.article.text, *column.view.selected_range)
        if start == end:
            self.notify("Select some text first (shift+arrows or the mouse), then press the label's key.")
            return
        if same_tag(a.tags, start, end, category_id, label_id) is not None:
            self.notify("This text already has that tag.", timeout=2)
            return
        attributes: dict[str, str] = {}
        if "voice" in category.attributes:
            from ...lexicon import guess_voice

            attributes = initial_voice(category, self.codebook.attribute("voice"), guess_voice(a.article.text, start, end))
        attributes.update(lexicon_attributes(a.suggestions, start, end))
        tag = new_tag(a.article, self.annotator, self.codebook, category_id, label_id, start, end, attributes=attributes)
        await self._do(add_tag(self.store, tag, f"tag {clean_line(self.names.label(category_id, label_id))}"))

    async def action_delete_tag(self) -> None:
        found = self._column_article()
        if found is None:
            return
        column, a = found
        cursor = column.view.selected_range[0]
        inside = [t for t in a.tags if t.start is not None and t.start <= cursor < t.end]  # type: ignore[operator]
        if not inside:
            self.notify("No tag here: move into one of your tags.")
            return
        await self._do(edit_tag(self.store, inside[-1], "delete tag", deleted=True))

    async def _replay(self, change: Change, description: str) -> bool:
        """An undo or redo (see :class:`~.undoing.UndoRedo`)."""
        if not await self._do(change, record=False):
            return False
        self.notify(f"{description}: {change.description}", markup=False, timeout=3)
        return True

    async def _do(self, change: Change, record: bool = True) -> bool:
        """Commit a change on the app's writer thread, then draw the article's tags as stored."""
        store, who, article_id = self.store, self.annotator, change.article_id

        def run() -> list[Annotation]:
            change.apply()
            return store.annotations(article_id, who)

        try:
            tags = await self.writer.run(run)
        except Exception as exc:  # a read-only or busy database must not lose the session
            self.notify(f"not saved: {exc}", severity="error", markup=False)
            return False
        if record:
            self.history.record(change)
        self.changed = True
        self.on_tags_read(TagsRead(article_id or "", tags))
        return True
