"""Modal screens: help, a searchable picker, and a note editor.

Untrusted text (labels, notes, guidelines) only enters widgets as ``rich.text.Text``.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option


class HelpScreen(ModalScreen[None]):
    """Every key, and the guideline of the focused label."""

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def __init__(self, keys: Text, guideline: Text) -> None:
        super().__init__()
        self._keys, self._guideline = keys, guideline

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(Text("Keys  (escape closes)", style="bold"))
            yield Static(self._keys, id="help-keys")
            yield Static(Text("\nGuideline", style="bold"))
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
            yield Static(Text(self._title, style="bold"))
            yield Input(placeholder="type to filter, enter to choose", id="picker-filter")
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
        if event.key in ("down", "up") and self.focused is self.query_one(Input):
            options = self.query_one(OptionList)
            if options.option_count:
                current = options.highlighted if options.highlighted is not None else -1
                options.highlighted = max(0, min(options.option_count - 1, current + (1 if event.key == "down" else -1)))
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
            yield Static(Text(f"{self._title}  (ctrl+s saves, escape cancels)", style="bold"))
            yield TextArea(self._note, id="note-text", soft_wrap=True)

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)
