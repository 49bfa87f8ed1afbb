"""The story screen: two to four articles of one story side by side, each under its outlet's
card, with tags and lexicon suggestions drawn as on the annotation screen (a variant inside
a quotation dimmed: a source's word, not the outlet's). Following a concept ("the capital")
puts every column on its use of it and steps through the uses in all columns at once.
The label keys tag a selection in the focused column, as on the annotation screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Static

from ....normalize import clean_line
from ....tagging import History
from ...keys import key_set, plain
from ...textual_private import bind_key
from ...widgets.article_view import Paint
from ...widgets.cached import update_static
from ...widgets.highlights import Highlights
from ...widgets.story_column import StoryColumn
from ...widgets.untrusted import safe
from ..dialogs import Choice, PickerScreen
from .tagging import StoryTagging
from ..undoing import UndoRedo
from ...messages import StoryRead, TagsRead

if TYPE_CHECKING:
    from ....codebook import Codebook
    from ....stories.compare import StoryArticle
    from ....lexicon import Matcher
    from ....models import Annotation
    from ....store import Store
    from ...writer import Writer

COLUMNS = 4  # at most; narrower terminals show fewer (see HORIZONTAL_BREAKPOINTS)


def read_story_for(store: Store, story: str, matcher: Matcher, annotator: str) -> list[StoryArticle]:
    """The story's articles with their outlets and suggestions, and ``annotator``'s tags only
    (as on the annotation screen). Called on a worker thread."""
    from ....stories.compare import read_story

    articles = read_story(store, story, matcher)
    for a in articles:
        a.tags = [t for t in a.tags if t.annotator == annotator]
    return articles


class StoryScreen(StoryTagging, UndoRedo, Screen[Any]):
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
                 story: str, first: str | None = None, articles: list[StoryArticle] | None = None) -> None:
        """``first``: the article shown in the first column (the one the annotator came from);
        ``articles``: the story as :func:`read_story_for` read it (else the screen reads it)."""
        super().__init__()
        self._given = articles
        self.store, self.codebook, self.matcher, self.annotator, self.writer = store, codebook, matcher, annotator, writer
        self.story, self.first = story, first
        from ....readouts.naming import Names

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
        if self._given is not None:  # read before the screen was pushed: its first frame shows them
            self._show_story(self._given)
            self._given = None
        else:
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
        self.post_message(StoryRead(story, read_story_for(store, story, matcher, annotator)))

    def on_story_read(self, message: StoryRead) -> None:
        if message.story == self.story:  # (not a visit before's, read late)
            self._show_story(message.articles)

    def reopen(self, annotator: str, story: str, first: str | None, articles: list[StoryArticle] | None) -> None:
        """Show a story again on this screen, kept between visits (a new screen of four text
        columns is slow to build: bench/notes.md, "Measured choices"): as a new screen would, with
        no concept followed and an undo history of its own (``articles`` None: read here)."""
        self.annotator, self.story, self.first = annotator, story, first
        self.concept, self.use, self.changed = None, 0, False
        self.history = History()
        if articles is not None:
            self._show_story(articles)
            return
        self.articles, self.shown = [], []
        for column in self.columns:
            column.clear()
            column.say(Text(""))
        update_static(self.title_line, Text.assemble(("Story ", "bold"), safe(story), (" · reading…", "dim")))
        self._read_story(self.store, story, self.matcher, annotator)

    def _show_story(self, articles: list[StoryArticle]) -> None:
        self.articles = articles
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
            column.clear()
            column.say(Text("(the story has no more articles)", style="dim"))
        self._draw()
        if self.shown:
            self.columns[0].view.focus()

    def on_tags_read(self, message: TagsRead) -> None:
        self._tags_changed(message.article_id, message.tags)

    def _tags_changed(self, article_id: str, tags: list[Annotation]) -> None:
        for a in self.articles:
            if a.article.id == article_id:
                a.tags = tags
        self._draw()

    # -- drawing ----------------------------------------------------------------------

    def _draw(self) -> None:
        """Draw every column's highlights and the line that says where the followed concept is."""
        for column, index in zip(self.columns, self.shown):
            a = self.articles[index]
            base = [Paint(s.start, s.end, self.highlights.suggestion(s.alignment, s.voice != "own",
                                                                     s.concept == self.concept))
                    for s in a.suggestions]
            column.view.set_paints(self.highlights.tags(a.tags, self.codebook), base=base)
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
        from ....stories.compare import concepts_used

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
