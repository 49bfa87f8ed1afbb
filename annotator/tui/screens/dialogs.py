"""Modal screens: help, a searchable picker, a note editor, the annotator's name, a question with one-key answers,
the open article's facts.

Untrusted text (labels, notes, guidelines) only enters widgets as ``rich.text.Text``.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option


class HelpScreen(ModalScreen[None]):
    """Every key, and the guideline of the focused label."""

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def __init__(self, keys: RenderableType, guideline: RenderableType) -> None:
        super().__init__()
        self._keys, self._guideline = keys, guideline

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static(Text.assemble(("Help", "bold"), ("   escape closes · the panes scroll (mouse wheel, "
                                                          "tab then arrows)", "dim")), id="help-title")
            with Horizontal(id="help-columns"):
                with VerticalScroll(id="help-keys-pane"):
                    yield Static(Text("Keys", style="bold reverse"))
                    yield Static(self._keys, id="help-keys")
                with VerticalScroll(id="help-guideline-pane"):
                    yield Static(Text("Guideline", style="bold reverse"))
                    yield Static(self._guideline, id="help-guideline")

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)


@dataclass(frozen=True)
class Choice:
    """One pickable item: what it shows and what it returns."""

    label: Text
    value: object
    search: str


class PickerScreen(ModalScreen[object]):
    """A searchable list; returns the chosen value, or None on escape."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, choices: list[Choice]) -> None:
        super().__init__()
        self._title, self._choices = title, choices

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box"):
            yield Static(Text.assemble((self._title, "bold"), ("   type to filter · up/down · enter chooses · "
                                                                "escape cancels", "dim")))
            yield Input(placeholder="type to filter", id="picker-filter")
            yield OptionList(*self._options(""), id="picker-options")

    def _options(self, query: str) -> list[Option]:
        words = query.casefold().split()
        return [
            Option(choice.label, id=str(number))
            for number, choice in enumerate(self._choices)
            if all(w in choice.search.casefold() for w in words)
        ]

    def on_input_changed(self, event: Input.Changed) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(self._options(event.value))
        if options.option_count:
            options.highlighted = 0

    def on_input_submitted(self, event: Input.Submitted) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            self._choose(options.get_option_at_index(options.highlighted).id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option.id)

    def on_key(self, event) -> None:
        if event.key in ("down", "up", "pagedown", "pageup") and self.focused is self.query_one(Input):
            options = self.query_one(OptionList)
            if options.option_count:
                step = {"down": 1, "up": -1, "pagedown": 10, "pageup": -10}[event.key]
                current = options.highlighted if options.highlighted is not None else -1
                options.highlighted = max(0, min(options.option_count - 1, current + step))
            event.stop()

    def _choose(self, option_id: str | None) -> None:
        if option_id is not None:
            self.dismiss(self._choices[int(option_id)].value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class NoteScreen(ModalScreen[str | None]):
    """Edit a note. ctrl+s saves, escape cancels."""

    BINDINGS = [Binding("ctrl+s", "save", "Save note", priority=True), Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, note: str) -> None:
        super().__init__()
        self._title, self._note = title, note

    def compose(self) -> ComposeResult:
        with Vertical(id="note-box"):
            yield Static(Text.assemble((self._title, "bold"), ("   ctrl+s saves · escape cancels · "
                                                               "an empty note removes it", "dim")))
            yield TextArea(self._note, id="note-text", soft_wrap=True)

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    @property
    def modified(self) -> bool:
        """Does the editor hold text that is not saved?"""
        return self.query_one(TextArea).text != self._note

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)


class NameScreen(ModalScreen[str | None]):
    """Ask who is annotating: the name signed on every tag. Enter keeps it, escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    MAX = 64

    def __init__(self, title: str, explanation: str, name: str) -> None:
        super().__init__()
        self._title, self._explanation, self._given_name = title, explanation, name

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box"):
            yield Static(Text(self._title, style="bold"))
            yield Static(Text(self._explanation, style="dim"))
            yield Input(self._given_name, placeholder="your name", id="name-input", max_length=self.MAX)
            yield Static(Text("enter: this is me · escape: cancel", style="dim"))

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        from ...normalize import clean_line

        name = clean_line(event.value).strip()
        if not name:
            self.notify("A name cannot be blank.", severity="warning")
            return
        self.dismiss(name)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmScreen(ModalScreen[str | None]):
    """A question with a few one-key answers: returns the chosen answer's value, None on escape."""

    BINDINGS = [Binding("escape", "cancel", "Back")]

    def __init__(self, question: str, answers: list[tuple[str, str, str]]) -> None:
        """``answers``: (key, what it does, value)."""
        super().__init__()
        self._question, self._answers = question, answers

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box"):
            yield Static(Text(self._question, style="bold"))
            lines = Text()
            for key, what, _ in self._answers:
                lines.append(f"\n {key} ", style="bold reverse")
                lines.append(f" {what}")
            lines.append("\n escape ", style="bold reverse")
            lines.append(" back")
            yield Static(lines)

    def on_key(self, event) -> None:
        for key, _, value in self._answers:
            if event.key == key:
                event.stop()
                self.dismiss(value)
                return

    def action_cancel(self) -> None:
        self.dismiss(None)


class ArticleFactsScreen(ModalScreen[dict[str, str] | None]):
    """Correct the open article's facts: publisher, original source, date, story, title.
    Returns the fields whose text was changed (as typed), None on escape. Enter in the last
    field or ctrl+s saves; up/down (or tab) move between fields."""

    BINDINGS = [Binding("ctrl+s", "save", "Save", priority=True), Binding("escape", "cancel", "Cancel")]
    FIELDS = (("publisher", "Publisher", "outlet id, name, alias or web domain (new outlet if unknown)"),
              ("original_source", "Original source", "the outlet that wrote it, when syndicated"),
              ("published", "Published", "YYYY, YYYY-MM or YYYY-MM-DD; ~ before it when approximate"),
              ("story", "Story", "the id of the event's story (empty: none)"),
              ("title", "Title", ""))

    def __init__(self, values: dict[str, str]) -> None:
        """``values``: each field's text as it stands (empty: unknown)."""
        super().__init__()
        self._values = values

    def compose(self) -> ComposeResult:
        with Vertical(id="facts-box"):
            yield Static(Text.assemble(("Correct this article's facts", "bold"),
                                       ("   ctrl+s or enter saves · escape cancels", "dim")))
            yield Static(Text("Saved on every version of the article, each change kept with your name "
                              "(annotator show ARTICLE --history).", style="dim"))
            for name, label, placeholder in self.FIELDS:
                yield Static(Text(label, style="bold"), classes="facts-label")
                yield Input(self._values.get(name, ""), placeholder=placeholder, id=f"facts-{name}",
                            compact=True)

    def on_mount(self) -> None:
        self.query_one(f"#facts-{self.FIELDS[0][0]}", Input).focus()

    def on_key(self, event) -> None:
        if event.key in ("down", "up"):
            (self.focus_next if event.key == "down" else self.focus_previous)()
            event.stop()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def changed(self) -> dict[str, str]:
        """The fields whose text differs from what they held."""
        typed = {name: self.query_one(f"#facts-{name}", Input).value for name, _, _ in self.FIELDS}
        return {name: value for name, value in typed.items() if value.strip() != self._values.get(name, "").strip()}

    def action_save(self) -> None:
        self.dismiss(self.changed())

    def action_cancel(self) -> None:
        self.dismiss(None)
