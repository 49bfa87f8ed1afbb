"""Paths as text a user can read on one line (no escape sequences, no undecodable bytes).

Kept apart from :mod:`annotator.ingest.readers` so the command line can name files in its
messages without importing the records' pydantic models (:mod:`annotator.ingest.records`)."""

from __future__ import annotations

import functools
import os
from pathlib import Path

from .normalize import printable


def display_path(path: Path) -> str:
    """A path as the user would type it (relative to the working folder when inside it),
    safe to print on one line: control characters and bytes that are not UTF-8 in the
    name are shown as escapes (``\\x1b``, ``\\n``, ``\\xe9``), never sent to the terminal."""
    return _display_path(path, os.getcwd())


@functools.lru_cache(maxsize=4096)  # called for every record of a file
def _display_path(path: Path, cwd: str) -> str:
    try:
        text = str(path.resolve().relative_to(Path(cwd).resolve()))
    except (ValueError, OSError, RuntimeError):
        text = str(path)
    return printable(text)


def source_path(path: Path) -> str:
    """The absolute path of a file as a key that tells every file apart (a source key that
    does not depend on the working folder the import was run from). A plain name is kept
    as it is; a name holding a backslash, a control or format character or a byte that is
    not UTF-8 has its backslashes doubled and those characters escaped (``\\x1b``,
    ``\\udce9``), so a real ESC and the four characters ``\\x1b`` give two keys."""
    try:
        text = str(path.resolve())
    except (OSError, RuntimeError):
        text = str(path.absolute())
    if text.isprintable() and "\\" not in text:
        return text
    return "".join(_key_character(ch) for ch in text)


def _key_character(ch: str) -> str:
    if ch == "\\":
        return "\\\\"
    if ch.isprintable() or ch == " ":
        return ch
    code = ord(ch)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
