"""An outlet's recorded changes and its facts as of a date (README "Outlet registry").

A change recorded with an ``effective`` date says the new values hold in the world from
that date on (an owner that changed); a change without one corrects a fact (it was always
so). The card as of a day undoes the dated changes made effective after that day, and
leaves out the sanctions and ratings dated after it (of several ratings by one rater on
one scale, the latest one up to the day is kept). A rating dated approximately (``~2025``:
the year it was read, the date it was given not known) is kept at every date.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..models import STORED, Outlet, PartialDate


@dataclass(frozen=True)
class OutletChange:
    """One recorded change of an outlet: ``created``, ``changed``, ``merged`` (into another
    outlet, then removed) or ``recorded`` (how it was when history began). ``before`` and
    ``after`` are the whole outlet (JSON objects); ``fields`` the fields that differ."""

    id: int
    outlet_id: str
    change: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    fields: list[str]
    effective: str | None
    who: str | None
    source: str | None
    at: str


def changed_fields(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[str]:
    """The fields whose values differ between two outlets' JSON objects (all of one when the other is None)."""
    names = list((after or before or {}).keys())
    if before is None or after is None:
        return names
    return [name for name in names if before.get(name) != after.get(name)]


def _date_text(value: object) -> str | None:
    """``2022-03``, from a stored PartialDate (``{"value": ...}``) or text; None when unknown."""
    if isinstance(value, dict):
        value = value.get("value")
    if value in (None, ""):
        return None
    return str(value).lstrip("~")


def is_after(fact_date: object, day: str) -> bool:
    """Whether a fact dated ``fact_date`` is known to come after ``day``: both are compared
    to the precision they share (``2022`` is not after ``2022-03-01``; an unknown date never is)."""
    text = _date_text(fact_date)
    if text is None:
        return False
    common = min(len(text), len(day))
    return text[:common] > day[:common]


def as_of(outlet: Outlet, changes: list[OutletChange], day: PartialDate | str | None) -> Outlet:
    """``outlet`` as its dated facts stood on ``day`` (unchanged when ``day`` is unknown)."""
    text = _date_text(day.value if isinstance(day, PartialDate) else day)
    if text is None:
        return outlet
    data = outlet.model_dump(mode="json")
    for change in sorted(changes, key=lambda c: c.id, reverse=True):  # newest first: undo back in time
        if change.effective and change.before is not None and is_after(change.effective, text):
            for name in change.fields:
                if name in change.before and name != "id":
                    data[name] = change.before[name]
    data["sanctions"] = [s for s in data.get("sanctions") or [] if not is_after(s.get("date"), text)]
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    for rating in data.get("ratings") or []:
        dated = rating.get("as_of")
        if is_after(dated, text) and not (isinstance(dated, dict) and dated.get("approximate")):
            continue
        key = (rating.get("rater", ""), rating.get("scale", ""))
        kept = latest.get(key)
        if kept is None or (_date_text(rating.get("as_of")) or "") >= (_date_text(kept.get("as_of")) or ""):
            latest[key] = rating
    data["ratings"] = list(latest.values())
    return Outlet.model_validate(data, context=STORED)
