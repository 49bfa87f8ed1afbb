"""What the help screen shows: every key grouped with what it does (and the action name
annotator.toml uses), and the guideline of the label in focus with the whole codebook."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from .keys import ACTION_HELP, ACTIONS, HELP_GROUPS
from .widgets.untrusted import safe

if TYPE_CHECKING:
    from ..codebook import Category, Codebook


def keys_help(keys: Mapping[str, str], label_keys: Mapping[str, tuple[Any, Any]]) -> RenderableType:
    """Every key, grouped. ``keys``: action id -> the key in effect, as shown; ``label_keys``:
    key -> (category, label) of the span labels bound to a key."""
    table = Table.grid(padding=(0, 1), expand=True)
    table.add_column(justify="right", no_wrap=True, style="bold", min_width=12)
    table.add_column(ratio=1)
    table.add_column(no_wrap=True, style="dim")
    for number, group in enumerate(HELP_GROUPS):
        if number:
            table.add_row("", "", "")
        table.add_row("", Text(group, style="bold underline"), "")
        if group == "Tagging":
            table.add_row("shift+arrows", "select text (ctrl+shift+arrows: word by word; or drag with the mouse), "
                                          "then press a label key", "")
            for key, (category, label) in label_keys.items():
                table.add_row(Text(key), safe(f"{category.name} › {label.name}", style=label.color), "")
        for binding_id, _, _, description, _ in ACTIONS:
            if ACTION_HELP.get(binding_id, ("Other", ""))[0] == group:
                table.add_row(Text(keys[binding_id]), Text(ACTION_HELP.get(binding_id, ("", description))[1]),
                              Text(binding_id))
        if group == "Moving":
            table.add_row("arrows", "move in the text; in the list: up/down, enter opens", "")
        if group == "Other":
            for key, what in (("ctrl+c", "copy the selected text"), ("ctrl+p", "command palette: every action by name"),
                              ("tab", "next pane (list, text, tags)"),
                              ("ctrl+q", "quit (tags and answers are saved as they are made; a note being written asks)")):
                table.add_row(key, what, "")
    parts: list[RenderableType] = [table, Text("")]
    parts.append(Text.assemble(
        ("Keys can be changed in annotator.toml (in the folder you start annotator in) "
         "or ~/.config/annotator/config.toml, with the action names in grey:\n", "dim"),
        ('  [keys]\n  next_article = "ctrl+n"\n  toggle_done = "ctrl+d"', "")))
    return Group(*parts)


def guideline_help(codebook: Codebook, focus: tuple[Category, Any, str] | None) -> Text:
    """The guideline of the label in focus ((category, label, why), e.g. the selected tag's), then
    the codebook's guidelines and every category's labels with their keys and descriptions."""
    from ..readouts.render import reflow

    out = Text()
    if focus is not None:
        category, label, why = focus
        out.append(f"{why}\n", style="dim")
        out.append_text(safe(f"{category.name} › {label.name}", style=f"bold {label.color}"))
        if label.key:
            out.append(f"  key {label.key}", style="dim")
        out.append("\n")
        out.append_text(safe(label.description))
        if label.example:
            out.append("\nExample: ", style="dim")
            out.append_text(safe(label.example, style="italic"))
        if category.guideline:
            out.append("\n\n")
            out.append_text(safe(reflow(category.guideline)))
        out.append("\n\n")
    else:
        out.append("Move into a tag (J/K) or a suggestion (S) to see its label's guideline here.\n\n", style="dim")
    out.append("Codebook: ", style="bold")
    out.append_text(safe(f"{codebook.title} ({codebook.id} {codebook.version})"))
    out.append("\n")
    if codebook.guidelines:
        out.append_text(safe(reflow(codebook.guidelines)))
        out.append("\n")
    for category in codebook.categories:
        out.append("\n")
        out.append_text(safe(category.name, style="bold underline"))
        out.append(" (span: select text, press a key)\n" if category.kind == "span" else " (article question: Q)\n",
                   style="dim")
        for label in category.labels:
            if label.key:
                out.append(f"{label.key} ", style="bold")
            out.append_text(safe(label.name, style=label.color))
            out.append(": ", style="dim")
            out.append_text(safe(label.description or "", style="dim"))
            out.append("\n")
    out.rstrip()
    return out
