"""What the annotation screen draws from its state: the highlights in the article, the top
bar, the side pane's parts and the hint line that says what the keys do here and now.
The widgets draw their own content from the values they are given (``show(...)``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.binding import Binding

from ....normalize import clean_line
from ...keys import key_for
from ...widgets.article_view import ArticleView, Paint
from ...widgets.cached import update_static
from ...widgets.highlights import Highlights, alignment_colour
from ...widgets.side_tabs import PANES
from ...widgets.untrusted import safe

if TYPE_CHECKING:
    from textual.widgets import Static

    from ....lexicon import Suggestion
    from ....models import Annotation
    from ...widgets.panels import ArticleHead, Questions
    from ...widgets.side_tabs import SideTabs
    from ...widgets.tag_list import TagList

class Drawing:
    """Mixin of :class:`~.screen.AnnotateScreen`: its drawing from state (UI thread)."""

    _highlights: Highlights | None = None
    _suggestion_paints: tuple[object, list[Paint]] = (None, [])
    # (the screen's state and widgets, set in its __init__ and compose: see .screen.AnnotateScreen)
    article: Any
    codebook: Any
    names: Any
    tags: list[Annotation]
    current_tag: str | None
    ready: bool
    keymap: dict[str, str]
    view: ArticleView
    head: ArticleHead
    questions: Questions
    tag_list: TagList
    tags_title: Static
    side_tabs: SideTabs
    hint: Static
    topbar_info: Static
    topbar_help: Static

    @property
    def highlights(self) -> Highlights:
        if self._highlights is None:
            self._highlights = Highlights()
        return self._highlights

    def _refresh_article(self, place: bool = True) -> None:
        """Draw the open article's tags, suggestions and answers everywhere they are shown."""
        visible = self.suggestions
        if self._suggestion_paints[0] is not visible:  # thousands in a long article: made once
            self._suggestion_paints = (visible, [Paint(s.start, s.end, self.highlights.suggestion(s.alignment))
                                                 for s in visible])
        spans = self.span_tags
        # suggestions under tags, the current tag on top
        self.view.set_paints(self.highlights.tags(spans, self.codebook, self.current_tag),
                             base=self._suggestion_paints[1])
        self.head.show(self.article, self.publisher, self.original, self.status,
                       None if self.suggestions_pending else len(visible), self._key("next_suggestion"))
        self.questions.show(self.codebook, self.tags, self._key("answer_question"))
        update_static(self.tags_title, self._tags_title(len(spans)))
        self.tag_list.show(self.tags, self.codebook, self.current_tag)
        self._update_side_tabs()
        self._update_hint()
        if place:
            self._update_topbar()

    def _update_topbar(self) -> None:
        help_key = Text(f"{self._key('help')} help", style="bold")
        update_static(self.topbar_help, help_key)  # its own cell: a long bar never hides it
        if not self.ready:
            bar = Text.assemble(("annotator", "bold"), (" · opening ", "dim"), Text(clean_line(self.where)),
                                ("…", "dim"), no_wrap=True, overflow="ellipsis")
            update_static(self.topbar_info, bar)  # one line (CSS): never a layout
            return
        done, total = self.progress
        bar = Text(no_wrap=True, overflow="ellipsis")
        bar.append_text(safe(self.annotator, style="bold cyan"))
        bar.append(f" · done {done}/{total}", style="green" if total and done == total else "")
        if self.position is not None and self.article is not None:
            if self._in_filtered_list():
                bar.append(f" · article {self.position + 1}/{self.articles.total}", style="dim")
            else:
                bar.append(f" · this article is not in the filtered list: {self._key('next_article')} opens the next",
                           style="yellow")
        elif not self.articles.total:
            bar.append(" · no article matches the filters", style="yellow")
        bar.append(" · codebook ", style="dim")
        bar.append_text(safe(f"{self.codebook.id} {self.codebook.version}"))
        update_static(self.topbar_info, bar)  # one line (CSS): never a layout

    def _tags_title(self, spans: int = 0) -> Text:
        title = Text(f"Your tags here ({spans})", style="bold")
        title.append("  enter jumps to one", style="dim")
        return title

    def _key(self, binding_id: str) -> str:
        """The key of an action as shown (the configured one)."""
        return self.app.get_key_display(Binding(key_for(self.keymap, binding_id), ""))

    # -- the side pane's parts (small terminals) and the hint line --------------------

    def _compact(self) -> bool:
        """Is the side pane showing one part at a time (a small terminal)?"""
        return self.has_class("-narrow") or self.has_class("-short")

    def _show_pane(self, pane: str) -> None:
        self.pane = pane
        for name in PANES:
            self.side.set_class(name == pane, f"-pane-{name}")
        self._update_side_tabs()

    def _update_side_tabs(self) -> None:
        counts = {}
        if self.ready and self.article is not None:
            counts["tags"] = str(len(self.span_tags))
            questions = [c for c in self.codebook.categories if c.kind == "article"]
            answered = {t.category for t in self.tags}
            counts["questions"] = f"{sum(c.id in answered for c in questions)}/{len(questions)}"
        self.side_tabs.show(self.pane, counts, self._key("side_pane"))

    def _update_hint(self) -> None:
        update_static(self.hint, self._hint_text())  # one line (CSS): never a layout

    def on_resize(self) -> None:
        """The hint chooses its words by its width (label names, or the keys alone), once laid out anew."""
        self.call_after_refresh(self._update_hint)

    def _hint_text(self) -> Text:
        """What the keys do here and now: for a selection, a suggestion, the tag under the
        cursor; until this annotator's first tag, how to select text."""
        if not self.ready:
            return Text("")
        if self.article is None:
            if not self.articles.total:
                return Text.assemble(("No article matches the filters: ", "yellow"),
                                     f"{self._key('search')} search, {self._key('toggle_list')} the list and its filters")
            return Text("")
        hint = Text(no_wrap=True, overflow="ellipsis")
        start, end = self.view.selected_range
        suggestion = self._suggestion_at_selection() if start != end else None
        tag = self._current() if start == end or suggestion is None else None
        if suggestion is not None:
            # what in the context decided it (the rule, the voice cue, the date) comes before the
            # keys, which the footer shows too; without such cues, the concept
            cues = "; ".join(suggestion.cues)
            hint.append_text(self._suggestion_text(suggestion, with_concept=not cues))
            if cues:
                hint.append(" · ", style="dim")
                hint.append_text(safe(clean_line(cues), style="italic"))
            hint.append(f" · {self._key('accept_suggestion')} accepts · {self._key('reject_suggestion')} rejects · "
                        f"{self._key('next_suggestion')} next", style="dim")
        elif start != end and (tag is None or (tag.start, tag.end) != (start, end)):
            # the keys first, with their labels' names where the line has room, else the keys alone
            keys = [(key, label) for key, (_, label) in self.bound_label_keys.items()]
            for named, any_label in ((True, True), (True, False), (False, True)):
                hint = Text(no_wrap=True, overflow="ellipsis")
                hint.append(f"{end - start} selected · tag: ", style="bold")
                for number, (key, label) in enumerate(keys[:6]):
                    if number:
                        hint.append(" · " if named else " ", style="dim")
                    hint.append(key, style="bold reverse")
                    if named:
                        hint.append(" ")
                        hint.append_text(safe(label.name, style=label.color))
                if len(keys) > 6:
                    hint.append(" …", style="dim")
                if any_label:
                    hint.append(f" · {self._key('pick_label')} any label", style="dim")
                if hint.cell_len <= (self.hint.size.width or 1000):
                    break
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
            keys = list(self.bound_label_keys)
            hint.append("To tag: ", style="bold")  # (short: the keys must show on an 80-column screen)
            hint.append("shift+arrows, then ")
            hint.append(" ".join(keys[:6]) + (" …" if len(keys) > 6 else "") if keys else "a label key", style="bold")
            hint.append(f" · or select with the mouse · {self._key('next_suggestion')}: next suggestion · "
                        f"{self._key('help')}: help")
        else:
            hint.append(f"shift+arrows select · {self._key('next_suggestion')} next suggestion "
                        f"({len(self.suggestions)}) · {self._key('answer_question')} questions · "
                        f"{self._key('toggle_done')} done · {self._key('next_article')} next article", style="dim")
        return hint

    # -- the codebook's words for ids -------------------------------------------------------

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

    def _suggestion_text(self, suggestion: Suggestion, with_concept: bool = True) -> Text:
        """A suggestion in the codebook's words: the variant's name, the label it would tag, its concept."""
        text = safe(self.names.variant(suggestion.category, suggestion.concept, suggestion.variant),
                    style=f"bold {alignment_colour(suggestion.alignment)}")
        text.append(" → ", style="dim")
        text.append_text(safe(self.names.label(suggestion.category, suggestion.label)))
        if with_concept:
            text.append_text(safe(f" ({self.names.concept(suggestion.concept)})", style="dim"))
        return text
