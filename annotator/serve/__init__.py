"""``annotator serve``: the annotation TUI served to browsers (see :mod:`.server`), and who
may use it (:mod:`.access`). Imports aiohttp and textual-serve, never Textual itself."""

from __future__ import annotations

import os

NAME_VARIABLE = "ANNOTATOR_SERVED_NAME"  # a session's annotator, set by the server ("" when it is to be asked)


def session_name_from_environment() -> str | None:
    """In a browser session's process: the annotator's name the server gave it, or None (ask)."""
    return os.environ.get(NAME_VARIABLE) or None
