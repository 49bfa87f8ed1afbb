"""Modal screens (help, a searchable picker, a note editor) and the label-key legend.

Untrusted text (labels, notes, guidelines) only enters widgets as ``rich.text.Text``.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.geometry import Size
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option


class _LinesWidget(Widget):
    """A widget drawn as lines that depend on its width (``_lines``), as tall as they are."""

    def _lines(self, width: int) -> list[Text]:
        raise NotImplementedError

    _laid_out: tuple[int, int] | None = None  # (width, height) the last layout gave it
    _version = 0  # bumped by every change of content
    _drawn: tuple[tuple[int, int], list[Text]] | None = None  # ((version, width), lines)

    def _lines_at(self, width: int) -> list[Text]:
        """``_lines(width)``, made once per content and width (measured, then drawn)."""
        key = (self._version, width)
        if self._drawn is None or self._drawn[0] != key:
            self._drawn = (key, self._lines(width))
        return self._drawn[1]

    def render(self) -> Text:
        return Text("\n").join(self._lines_at(self.content_size.width or 40))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        height = len(self._lines_at(width or 40))
        self._laid_out = (width, height)
        return height

    def _changed(self) -> None:
        """Draw again; lay the screen out again only when the number of lines changed."""
        self._version += 1
        width = self.content_size.width
        same = width and self._laid_out == (width, len(self._lines_at(width)))
        self.refresh(layout=not same)


class LabelKeys(_LinesWidget):
    """The span labels and their keys, in as many columns as fit."""

    DEFAULT_CSS = """
    LabelKeys { height: auto; }
    """
    COLUMN = 26  # cells per column (longer names are cut with an ellipsis)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._groups: list[tuple[Text, list[tuple[str, Text]]]] = []

    def set_groups(self, groups: list[tuple[Text, list[tuple[str, Text]]]]) -> None:
        """(category name, [(key or "", label name)]) for every span category."""
        self._groups = groups
        self._changed()

    def _lines(self, width: int) -> list[Text]:
        columns = max(1, width // self.COLUMN)
        column_width = width // columns if columns > 1 else width
        lines: list[Text] = []
        for title, entries in self._groups:
            lines.append(title.copy())
            for row in range(0, len(entries), columns):
                line = Text(no_wrap=True, overflow="ellipsis", end="")
                for key, name in entries[row:row + columns]:
                    cell = Text.assemble((f" {key or ' '} ", "reverse" if key else "dim"), " ", name,
                                         no_wrap=True, overflow="ellipsis", end="")
                    cell.truncate(column_width - 1, overflow="ellipsis", pad=True)
                    line.append_text(cell)
                    line.append(" ")
                lines.append(line)
        return lines



class ArticleHead(_LinesWidget):
    """The article's title and its facts (date, outlets, status, suggestions) in a fixed
    height of :data:`LINES` lines: opening another article never moves the text below it
    (which would lay the whole screen out again). The facts come first (at most two lines);
    the title takes the lines left, cut with an ellipsis when it needs more."""

    LINES = 3

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._title = Text()
        self._facts = Text()

    def set_content(self, title: Text, facts: Text | None = None) -> None:
        self._title, self._facts = title, facts if facts is not None else Text()
        self._version += 1
        self.refresh()  # the height is fixed (CSS): nothing to lay out

    def _wrapped(self, text: Text, width: int, most: int) -> list[Text]:
        lines = list(text.wrap(self.app.console, width)) if text.plain else []
        if len(lines) > most:
            lines = lines[:most]
            last = lines[-1]
            last.rstrip()
            last.truncate(max(width - 1, 0))
            last.append("…")
        return lines

    def _lines(self, width: int) -> list[Text]:
        facts = self._wrapped(self._facts, width, 2 if self._title.plain else self.LINES)
        return self._wrapped(self._title, width, max(1, self.LINES - len(facts))) + facts


class Questions(_LinesWidget):
    """The article-level questions: each on one line, with its choices when they fit
    (the chosen ones marked), else the answer and how many choices there are."""

    DEFAULT_CSS = """
    Questions { height: auto; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._title = Text()
        self._rows: list[tuple[Text, list[tuple[Text, bool]]]] = []
        self._note: Text | None = None

    KEPT = 256  # rows kept drawn (see set_rows)

    def set_rows(self, title: Text, rows: list[tuple[Text, list[tuple[Text, bool]]]], note: Text | None,
                 row_keys: list[object] | None = None) -> None:
        """(question, [(choice, chosen)]) for every article-level category; a note on the article.
        Rows given the same key (``row_keys``, one per row) are the same: a row's line, once made
        for a width, is kept (the last :data:`KEPT`) and shown again without being made again."""
        self._title, self._rows, self._note, self._row_keys = title, rows, note, row_keys
        self._changed()

    _row_keys: list[object] | None = None

    def _lines(self, width: int) -> list[Text]:
        lines = [self._title.copy()] if self._rows or self._note else []
        kept: dict = self.__dict__.setdefault("_kept", {})
        for index, (name, choices) in enumerate(self._rows):
            key = (self._row_keys[index], width) if self._row_keys is not None else None
            row_lines = kept.get(key) if key is not None else None
            if row_lines is None:
                row_lines = self._row_lines(name, choices, width)
                if key is not None:
                    if len(kept) >= self.KEPT:
                        del kept[next(iter(kept))]
                    kept[key] = row_lines
            lines.extend(row_lines)
        if self._note is not None:
            note = self._note.copy()
            note.no_wrap, note.overflow = True, "ellipsis"
            note.truncate(width, overflow="ellipsis")
            lines.append(note)
        return lines

    @staticmethod
    def _row_lines(name: Text, choices: list[tuple[Text, bool]], width: int) -> list[Text]:
        """One line ("Tone: Pro · Neutral · Anti", the chosen ones marked) when it fits; else the
        question on one line and its choices (or the answer and how many choices) on the next."""
        chosen = [label for label, on in choices if on]
        head = Text(no_wrap=True, overflow="ellipsis", end="")
        head.append_text(Text.assemble(name.copy(), style="bold" if chosen else ""))
        head.append(": ")
        all_choices = Text(" · ", style="dim").join(
            Text.assemble(label.copy(), style="bold reverse" if on else "dim") for label, on in choices)
        if head.cell_len + all_choices.cell_len <= width:
            head.append_text(all_choices)
            return [head]
        head.truncate(width, overflow="ellipsis")
        second = Text("  ", no_wrap=True, overflow="ellipsis", end="")
        if all_choices.cell_len + 2 <= width:
            second.append_text(all_choices)
        else:
            if chosen:
                second.append_text(Text(", ").join(Text.assemble(label.copy(), style="bold reverse") for label in chosen))
            else:
                second.append("not answered", style="dim italic")
            second.append(f" ({len(choices)} choices)", style="dim")
        second.truncate(width, overflow="ellipsis")
        return [head, second]


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
        self._title, self._explanation, self._name = title, explanation, name

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box"):
            yield Static(Text(self._title, style="bold"))
            yield Static(Text(self._explanation, style="dim"))
            yield Input(self._name, placeholder="your name", id="name-input", max_length=self.MAX)
            yield Static(Text("enter: this is me · escape: cancel", style="dim"))

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        from ..normalize import clean_line

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
