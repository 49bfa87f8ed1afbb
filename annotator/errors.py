"""User-input errors: the error every reader of user input raises, and the one line that
names the file or field and what is wrong."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydantic import ValidationError


class InputError(Exception):
    """Bad input: the message is one line naming what is wrong."""


def pydantic_error_line(source: str, exc: ValidationError, prefix: str = "") -> str:
    """One line per pydantic error, naming the file and the place inside it (``outlets[2].founded``)."""
    parts = []
    for err in exc.errors():
        place = prefix
        for part in err["loc"]:
            place += f"[{part}]" if isinstance(part, int) else (f".{part}" if place else str(part))
        context = err.get("ctx") or {}
        if err["type"] == "missing":
            message = "is missing"
        elif err["type"] == "too_long" and "max_length" in context and "actual_length" in context:
            message = f"has {context['actual_length']:,} items; at most {context['max_length']:,} are accepted"
        else:
            message = err["msg"].removeprefix("Value error, ")
        parts.append(f"{source}: {place or 'top level'}: {message}")
    return "; ".join(parts)
