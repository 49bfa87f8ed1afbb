"""The error every reader of user input raises: one line naming the file or field and what is wrong."""

from __future__ import annotations


class InputError(Exception):
    """Bad input: the message is one line naming what is wrong."""
