"""Reading the small files the tool is given (YAML, TOML, CSV manifests): only regular
files, never a pipe or device that would block forever, each failure one line. The
check that a path is a regular file (:func:`kind_problem`) also serves the article
readers and the store's database file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import InputError
from .paths import display_path


def file_problem(path: Path) -> str | None:
    """Why ``path`` cannot be read as a file (``"no such file"``, ``"is a folder, not a file"``,
    ``"is not a regular file ..."``), or None when it is a regular file."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return "no such file"
    except (OSError, ValueError) as exc:  # a name too long, a NUL byte, a symlink loop
        return f"cannot be read: {getattr(exc, 'strerror', None) or exc}"
    return kind_problem(info.st_mode)


def kind_problem(mode: int, wanted: str = "file") -> str | None:
    """Why a file of stat ``mode`` is not a regular file (``wanted``: what it should be, as
    in ``"is a folder, not a database file"``), or None when it is one."""
    if stat.S_ISDIR(mode):
        return f"is a folder, not a {wanted}"
    if not stat.S_ISREG(mode):  # a pipe, socket or device would block or never end
        return "is not a regular file (a pipe, socket or device)" + ("" if wanted == "file" else f", not a {wanted}")
    return None


def read_regular_bytes(path: Path) -> bytes:
    """The bytes of the regular file ``path``; :class:`InputError` (``file: what``) otherwise.
    Opened without blocking, so a pipe with no writer is refused at once, never waited on."""
    name = display_path(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a folder, not a file") from None
    except (OSError, ValueError) as exc:
        raise InputError(f"{name}: cannot be read: {getattr(exc, 'strerror', None) or exc}") from None
    problem = kind_problem(os.fstat(fd).st_mode)
    if problem:
        os.close(fd)
        raise InputError(f"{name}: {problem}")
    with os.fdopen(fd, "rb") as handle:
        try:
            return handle.read()
        except OSError as exc:
            raise InputError(f"{name}: cannot be read: {exc.strerror or exc}") from None


def read_regular_text(path: Path, encoding: str = "utf-8-sig") -> str:
    """:func:`read_regular_bytes` decoded; a file that is not ``encoding`` is one line too."""
    data = read_regular_bytes(path)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(f"{display_path(path)}: is not UTF-8 text (invalid byte at offset {exc.start})") from None
