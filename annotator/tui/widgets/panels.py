"""The panels beside and above the article text: its head (title and facts), the article
questions with their answers, and the label keys. Each is given domain objects (the article,
its outlets, the codebook, the tags) and draws them itself, so any screen can use them.

Untrusted text (titles, labels, notes) only enters them as ``rich.text.Text``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING

from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

from ...normalize import clean_line
from .untrusted import safe

if TYPE_CHECKING:
    from ...codebook import Codebook
    from ...models import Annotation, Article, Outlet


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

    def show(self, codebook: Codebook, bound_keys: Collection[str]) -> None:
        """Every span category's labels with their keys (a key not bound, e.g. one the app uses, is left out)."""
        groups = []
        for category in codebook.categories:
            if category.kind != "span":
                continue
            entries = [(label.key if label.key in bound_keys else "", safe(label.name, style=label.color))
                       for label in category.labels]
            groups.append((safe(category.name, style="bold"), entries))
        self.set_groups(groups)

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
    DEFAULT_CSS = """
    ArticleHead { height: 4; padding: 0 1; border-bottom: solid $primary-darken-2; }
    """  # fixed: the text below never moves

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._title = Text()
        self._facts = Text()

    MARKS = {"new": ("new", "dim"), "in progress": ("in progress", "yellow"), "done": ("✓ done", "bold green")}

    def show(self, article: Article | None, publisher: Outlet | None, original: Outlet | None, status: str,
             suggestions: int | None, suggestion_key: str) -> None:
        """The article's title, then its date, outlets (unverified ones said so), the annotator's status
        and how many suggestions it has (``None``: still being looked for)."""
        if article is None:
            self.set_content(Text(""), Text(""))
            return
        head = Text()
        head.append_text(safe(f"{article.published}", style="dim"))
        if "published" in article.unverified:
            head.append(" (unverified)", style="yellow")
        head.append(" · ", style="dim")
        head.append_text(safe(publisher.name if publisher else (article.publisher or "unknown outlet")))
        if article.original_source and article.original_source != article.publisher:
            head.append(" · original: ", style="dim")
            head.append_text(safe(original.name if original else article.original_source))
            if "original_source" in article.unverified:
                head.append(" (unverified)", style="yellow")
        word, style = self.MARKS[status]
        head.append(f"  [{word}]", style=style)
        if suggestions is None:
            head.append("  finding suggestions…", style="dim italic")
        else:
            head.append(f"  {suggestions} suggestion{'' if suggestions == 1 else 's'}", style="dim")
            if suggestions:
                head.append(f" ({suggestion_key})", style="dim")
        self.set_content(safe(article.title, style="bold"), head)

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
        self._shown: object = None
        self._row_texts: dict[object, tuple] = {}

    KEPT = 256  # rows kept drawn (see set_rows)

    def show(self, codebook: Codebook, tags: Iterable[Annotation], answer_key: str) -> None:
        """Every article question of the codebook with its choices, the chosen ones marked, and the
        note on the article. Drawn again only when the answers (or the note) change."""
        from ...models import ARTICLE_NOTE_CATEGORY

        tags = list(tags)
        questions = [c for c in codebook.categories if c.kind == "article"]
        chosen = {(t.category, t.label) for t in tags}
        notes = [t for t in tags if t.category == ARTICLE_NOTE_CATEGORY and t.note]
        shown = (id(codebook), answer_key, tuple((c.id, l.id) in chosen for c in questions for l in c.labels),
                 notes[0].note if notes else None)
        if shown == self._shown:
            return  # the same answers (and note) as the article before: nothing to draw
        self._shown = shown
        title = Text.assemble(("Article questions", "bold"), (f"  {answer_key} answers", "dim"))
        # each question comes back with the same answers article after article: its row (and its
        # line at a width) is made once per (question, answers)
        rows, row_keys = [], []
        for category in questions:
            flags = tuple((category.id, label.id) in chosen for label in category.labels)
            row_key = (id(codebook), category.id, flags)
            row = self._row_texts.get(row_key)
            if row is None:
                if len(self._row_texts) >= self.KEPT:
                    del self._row_texts[next(iter(self._row_texts))]
                row = self._row_texts[row_key] = (
                    safe(category.name), [(safe(label.name, style=label.color), on)
                                          for label, on in zip(category.labels, flags)])
            rows.append(row)
            row_keys.append(row_key)
        note = None
        if notes:
            note = Text("Note: ", style="bold")
            note.append_text(safe(clean_line(notes[0].note or ""), style="italic"))
        self.set_rows(title, rows, note, row_keys=row_keys)

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
