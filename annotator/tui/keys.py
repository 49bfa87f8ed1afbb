"""The TUI's keys: every action with its default key, what it does (for the footer, the help
screen and the command palette), and key strings made safe for places that read markup.

The binding id is what the ``[keys]`` table of annotator.toml names.
"""

from __future__ import annotations

from ..normalize import clean_line
from .textual_private import normalize_key_list

# (binding id, default key, action, description, shown in the footer).
# The binding id is what annotator.toml's [keys] table names (e.g. next_article = "ctrl+n").
ACTIONS: list[tuple[str, str, str, str, bool]] = [
    ("help", "question_mark", "help", "Help", True),  # first: a narrow footer is cut from the right
    ("next_article", "]", "next_article", "Next article", True),
    ("prev_article", "[", "prev_article", "Previous article", False),
    ("next_undone", "}", "next_undone", "Next not done", False),
    ("toggle_done", "D", "toggle_done", "Done", True),
    ("edit_article", "E", "edit_article", "Article facts…", False),
    ("next_suggestion", "S", "next_suggestion", "Suggestion", True),
    ("accept_suggestion", "A", "accept_suggestion", "Accept", True),
    ("reject_suggestion", "R", "reject_suggestion", "Reject", True),
    ("next_tag", "J", "next_tag", "Next tag", False),
    ("prev_tag", "K", "prev_tag", "Previous tag", False),
    ("delete_tag", "X", "delete_tag", "Delete tag", False),
    ("relabel_tag", "L", "relabel_tag", "Change label", False),
    ("pick_label", "T", "pick_label", "Tag…", True),
    ("cycle_voice", "V", "cycle_voice", "Voice", False),
    ("note_tag", "N", "note_tag", "Note on tag", False),
    ("note_article", "M", "note_article", "Note on article", False),
    ("answer_question", "Q", "answer_question", "Question", True),
    ("undo", "ctrl+z", "undo", "Undo", True),
    ("redo", "ctrl+y", "redo", "Redo", False),
    ("search", "slash", "search", "Search", False),
    ("focus_text", "escape", "focus_text", "Back to text", False),
    ("toggle_list", "f2", "toggle_list", "List", False),
    ("focus_card", "O", "focus_card", "Outlet card", False),
    ("statistics", "G", "statistics", "Stats", False),
    ("side_pane", "f3", "side_pane", "Side pane", False),
    ("story", "C", "story", "Story", False),
    ("review", "W", "review", "Review", False),
]

# Actions that need the open session (the label keys' "tag" too): not run before it is.
SESSION_ACTIONS = frozenset({action for _, _, action, _, _ in ACTIONS} | {"tag"})

# What each action does, grouped as the help screen shows them.
ACTION_HELP: dict[str, tuple[str, str]] = {
    "next_article": ("Moving", "open the next article of the list"),
    "prev_article": ("Moving", "open the previous article"),
    "next_undone": ("Moving", "open the next article you have not marked done"),
    "next_tag": ("Moving", "select your next tag in this article"),
    "prev_tag": ("Moving", "select your previous tag"),
    "search": ("Moving", "search titles and texts (the list on the left)"),
    "toggle_list": ("Moving", "show or hide the article list"),
    "side_pane": ("Moving", "on a small terminal: show the outlet card, your tags or the article questions"),
    "focus_text": ("Moving", "back to the article text"),
    "focus_card": ("Moving", "into the outlet card, to scroll it with the arrows (escape: back)"),
    "story": ("Moving", "this article's story: its outlets' articles side by side, term by term"),
    "review": ("Moving", "review: every annotator's tags, settle their disagreements into gold"),
    "pick_label": ("Tagging", "tag the selection with a label picked from a searchable list"),
    "relabel_tag": ("Tagging", "change the selected tag's label"),
    "cycle_voice": ("Tagging", "change the selected tag's voice (own / quoted / scare-quoted)"),
    "delete_tag": ("Tagging", "delete the selected tag (undo brings it back)"),
    "note_tag": ("Tagging", "write a note on the selected tag"),
    "next_suggestion": ("Suggestions", "select the next lexicon suggestion"),
    "accept_suggestion": ("Suggestions", "accept the selected suggestion as your tag"),
    "reject_suggestion": ("Suggestions", "reject it: it is not offered to you again"),
    "answer_question": ("Article", "answer an article-level question (again: take it back)"),
    "note_article": ("Article", "write a note on the whole article"),
    "toggle_done": ("Article", "mark the article done (again: not done)"),
    "edit_article": ("Article", "correct the article's publisher, original source, date, story or title"),
    "undo": ("Other", "undo your last change (it is saved at once)"),
    "redo": ("Other", "redo what you undid"),
    "statistics": ("Other", "statistics of every tag in the database, as tables and bar charts"),
    "help": ("Other", "this help"),
}
HELP_GROUPS = ("Moving", "Tagging", "Suggestions", "Article", "Other")


def key_for(keymap: dict[str, str], binding_id: str) -> str:
    """The key string in effect for an action: the configured one (``[keys]``), else the default."""
    default = next(key for bid, key, *_ in ACTIONS if bid == binding_id)
    return keymap.get(binding_id, default)


def plain(text: str) -> str:
    """A codebook or configuration string fit for places that read markup
    (command palette, key panel): one line, no square brackets."""
    return clean_line(text).replace("[", "(").replace("]", ")")


def markup_key(key_display: str) -> str:
    """A key as shown, fit for markup: "[" escaped (not turned into "("), anything else made plain."""
    if key_display in ("[", "]"):
        return "\\[" if key_display == "[" else "]"  # a lone "]" is plain text in markup
    return plain(key_display)


def key_set(keys: str) -> set[str]:
    """A binding's key string as Textual's key names ("?" -> "question_mark")."""
    return set(normalize_key_list(keys).split(","))
