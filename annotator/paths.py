"""Paths as text a user can read on one line (no escape sequences, no undecodable bytes).

Kept apart from :mod:`annotator.readers` so the command line can name files in its
messages without importing the readers' pydantic models."""

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
    """The absolute path of a file, as printable text (a source key that does not
    depend on the working folder the import was run from)."""
    try:
        return printable(str(path.resolve()))
    except (OSError, RuntimeError):
        return printable(str(path.absolute()))
