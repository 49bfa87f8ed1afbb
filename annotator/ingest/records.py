"""One article's raw fields as a reader gives them, and the checks every record's fields
pass (:class:`RecordFields`: the text and the article facts, sizes, lone surrogates).

A reader yields :class:`Record` or :class:`RecordError` (one clear line about what is
wrong), never raises for bad input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ConfigDict, ValidationError, field_validator

from ..models import ArticleFacts
from ..paths import display_path


class _Located:
    path: Path
    locator: str  # "" for single-article files, "line 3" / "record 2" / "row 4" otherwise

    @property
    def where(self) -> str:
        """The file (and record) as shown to the user."""
        return f"{display_path(self.path)}{': ' + self.locator if self.locator else ''}"


@dataclass
class Record(_Located):
    """One article's fields as read from a file (before normalization)."""

    path: Path
    locator: str
    fields: dict[str, Any]
    fmt: str
    encoding: str = "utf-8"
    inferred: dict[str, Any] = field(default_factory=dict)  # from an HTML page's metadata: the manifest wins


@dataclass
class RecordError(_Located):
    """A file or record that cannot be an article, and why."""

    path: Path
    locator: str
    message: str


class RecordFields(ArticleFacts):
    """The fields a JSON, JSONL or CSV record may carry: its text and the article facts (others are ignored)."""

    model_config = ConfigDict(extra="ignore", strict=True)

    text: str

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("is empty")
        return value


def megabytes(size: float) -> str:
    """``5242880`` -> ``"5 MB"``, ``524288`` -> ``"0.5 MB"``."""
    return f"{size / 1048576:.3g} MB"


def check_record(path: Path, locator: str, raw: Any, fmt: str, encoding: str, max_bytes: int) -> Record | RecordError:
    """``raw`` (a JSON object or CSV row) as a :class:`Record` when its fields are an article's,
    else a :class:`RecordError` naming the field and what is wrong with it."""
    if not isinstance(raw, dict):
        return RecordError(path, locator, f"must be a JSON object with a 'text' field, got {json_type(raw)}")
    try:
        fields = RecordFields.model_validate(raw)
    except ValidationError as exc:
        return RecordError(path, locator, _validation_line(exc))
    values = fields.model_dump(exclude_none=True)
    text_bytes = 0
    for name, value in values.items():
        for item in value if isinstance(value, list) else [value]:
            try:
                size = len(item.encode("utf-8"))  # fails exactly on a lone surrogate (cheaper than searching)
            except UnicodeEncodeError:
                surrogate = _SURROGATE.search(item)
                return RecordError(path, locator, f"field '{name}' holds an invalid character: a lone UTF-16 "
                                   f"surrogate \\u{ord(surrogate.group()):04x} (a broken \\u escape)")
            if name == "text":
                text_bytes = size
    if text_bytes > max_bytes:
        return RecordError(path, locator, f"field 'text' is over {megabytes(max_bytes)}; one article may be at most that (--max-mb)")
    return Record(path, locator, values, fmt, encoding)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _validation_line(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "record"
        message = err["msg"].removeprefix("Value error, ")
        if err["type"] == "missing":
            message = "is missing"
        elif "input" in err and err["type"].endswith("_type"):
            message = f"{err['msg'].lower()}, got {json_type(err['input'])}"
        parts.append(f"field '{loc}' {message}")
    return "; ".join(parts)


def json_type(value: Any) -> str:
    """What a JSON value is, in words ("an object", "a list", "null", ...)."""
    return {dict: "an object", list: "a list", str: "a string", bool: "true/false", type(None): "null"}.get(
        type(value), "a number" if isinstance(value, (int, float)) else type(value).__name__
    )

