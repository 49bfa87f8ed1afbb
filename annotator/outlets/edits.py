"""Changes to an outlet as written on the command line (``annotator outlets add|edit``):
``FIELD=VALUE`` sets a field (an empty value: unknown), ``FIELD+=VALUE`` adds an item to a
list, ``FIELD-=VALUE`` takes one out (for sanctions and ratings: its number, as ``outlets
show`` lists them). Sanctions and ratings are written as YAML mappings
(``ratings+={rater: X, scale: Y, value: Z, as_of: 2024}``). A fact set here is no longer
listed as unverified, unless the same command names it in ``unverified``."""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

from ..errors import InputError, pydantic_error_line
from ..models import Outlet, PartialDate
from ..yaml_files import parse_yaml

LIST_FIELDS = ("aliases", "domains", "languages", "sources", "unverified", "sanctions", "ratings")
RECORD_FIELDS = ("sanctions", "ratings")  # lists of mappings
EDITABLE = tuple(name for name in Outlet.model_fields if name != "id")
ASSIGNMENT_RE = re.compile(r"^([A-Za-z_]+)\s*([+-]?=)(.*)$", re.DOTALL)
EXAMPLES = {"sanctions": "{authority: ..., action: ..., date: 2022-03-01}",
            "ratings": "{rater: ..., scale: ..., value: ..., as_of: 2024}"}
MAX_VALUE = 20_000  # characters of one value given on the command line (an outlet's notes are at most 10,000)


def _parse_item(field: str, text: str, where: str) -> Any:
    """One list item: a mapping for sanctions and ratings, else the text."""
    if field not in RECORD_FIELDS:
        return text.strip()
    data = parse_yaml(text, where)
    if not isinstance(data, dict):
        raise InputError(f"{where}: {field} items are mappings, e.g. {EXAMPLES[field]}")
    return data


def _parse_list(field: str, text: str, where: str) -> list[Any]:
    """A whole list: ``[a, b]`` (YAML), one item, or nothing (empty)."""
    text = text.strip()
    if not text:
        return []
    if text.startswith("["):
        data = parse_yaml(text, where)
        if not isinstance(data, list):
            raise InputError(f"{where}: is not a list")
        return [item if field in RECORD_FIELDS else ("" if item is None else str(item)) for item in data]
    return [_parse_item(field, text, where)]


def _remove(field: str, items: list[Any], text: str, where: str) -> list[Any]:
    if field in RECORD_FIELDS:
        if not text.strip().isdigit() or not 1 <= int(text) <= len(items):
            raise InputError(f"{where}: give the number of the entry to take out (1 to {len(items)}, as "
                             "`annotator outlets show` lists them)" if items else f"{where}: the outlet has no {field}")
        return [item for number, item in enumerate(items, 1) if number != int(text)]
    wanted = text.strip().casefold()
    kept = [item for item in items if str(item).casefold() != wanted]
    if len(kept) == len(items):
        raise InputError(f"{where}: {text.strip()!r} is not in {field}")
    return kept


def apply_changes(outlet: Outlet, assignments: list[str]) -> Outlet:
    """``outlet`` with the command line's changes applied and checked; one :class:`InputError`
    line naming the change and what is wrong."""
    data = outlet.model_dump(mode="json")
    set_here: list[str] = []
    unverified_given = False
    for assignment in assignments:
        match = ASSIGNMENT_RE.match(assignment)
        shown = assignment if len(assignment) <= 60 else assignment[:60] + "…"
        if match is None:
            raise InputError(f"{shown!r}: write FIELD=VALUE, FIELD+=VALUE or FIELD-=VALUE "
                             f"(fields: {', '.join(EDITABLE)})")
        field, operator, value = match.group(1), match.group(2), match.group(3)
        where = f"{field}{operator}"
        if field == "id":
            raise InputError(f"{where}: an outlet's id cannot be changed (its articles are filed under it)")
        if field not in EDITABLE:
            raise InputError(f"{where}: unknown field {field!r} (fields: {', '.join(EDITABLE)})")
        if len(value) > MAX_VALUE:
            raise InputError(f"{where}: the value is {len(value):,} characters long; at most {MAX_VALUE:,} are accepted")
        if operator != "=" and field not in LIST_FIELDS:
            raise InputError(f"{where}: {field} is not a list; write {field}=VALUE")
        if operator != "=" and not value.strip():
            raise InputError(f"{where}: give the item to {'add' if operator == '+=' else 'take out'}")
        if operator == "=":
            if field in LIST_FIELDS:
                data[field] = _parse_list(field, value, where)
            elif field in ("founded",):
                try:
                    data[field] = PartialDate.parse(value).model_dump()
                except ValueError as exc:
                    raise InputError(f"{where}: {exc}") from None
            else:
                data[field] = value.strip() or (None if field != "state_affiliation" else "unknown")
        elif operator == "+=":
            data[field] = [*data[field], _parse_item(field, value, where)]
        else:
            data[field] = _remove(field, data[field], value, where)
        if field == "unverified":
            unverified_given = True
        elif operator != "-=":
            set_here.append(field)
    if not unverified_given:
        data["unverified"] = [name for name in data["unverified"] if name not in set_here]
    try:
        return Outlet.model_validate(data)
    except ValidationError as exc:
        raise InputError(pydantic_error_line(f"outlet {outlet.id}", exc)) from None


def new_outlet(outlet_id: str, assignments: list[str]) -> Outlet:
    """A new outlet from the command line (``name=`` is needed); one :class:`InputError` line when wrong."""
    named = [m.group(1) for m in map(ASSIGNMENT_RE.match, assignments) if m is not None]
    if "name" not in named:
        raise InputError(f"outlet {outlet_id[:60]!r}: give its name (name=...)")
    try:
        start = Outlet.model_validate({"id": outlet_id, "name": outlet_id[:300]})
    except ValidationError as exc:
        raise InputError(pydantic_error_line(f"outlet {outlet_id[:60]!r}", exc)) from None
    return apply_changes(start, assignments)
