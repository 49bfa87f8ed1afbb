"""``annotator merge``, the team's records: assignments, the gold layer's sources, review
decisions and statuses, active time, corrections of articles' facts and moves of tags to
new versions (the README's table "Merging laptops" states each rule). Every rule is
symmetric (A merged into B and B into A give the same content) and idempotent; each batch is
one short write transaction; an incoming record that does not fit is refused with a reason."""

from __future__ import annotations

import uuid as uuid_module
from collections.abc import Callable, Iterator
from dataclasses import astuple
from datetime import datetime
from typing import Any

from .merge import LATER_WINS, TIE_RULE, Conflict, MergeReport, _name_problem, _plain_print, check_time, there_wins
from ..store.article_edits import EDITABLE_FIELDS
from ..store.merging_team import ActiveTimeRow, ArticleEditRow, AssignmentRow, ReviewDecisionRow, article_fact_values

# bundle record kind → the kind a merge report counts (and the store's table)
TEAM_BUNDLE_KINDS = {"assignment": "assignments", "gold-source": "gold_sources", "review-decision": "review_decisions",
                     "review-status": "review_status", "active-time": "active_time", "article-edit": "article_edits",
                     "tag-move": "tag_moves"}
BATCH = 500
FACT_RULE = "the side that corrected the field later wins (`article set`)"
FACT_TIE_RULE = "neither side corrected it: the larger fingerprint wins (so both directions agree)"


def _print(record: Any) -> str:
    return _plain_print(*astuple(record))


def _names(record: Any, *names: str, optional: tuple[str, ...] = ()) -> str | None:
    from ..models import FIELD_LIMITS

    for name in (*names, *optional):
        value = getattr(record, name)
        if value is not None and len(value) > FIELD_LIMITS["name"]:
            return f"{name} is {len(value):,} characters long; at most {FIELD_LIMITS['name']:,} are accepted"
    for name in names:
        problem = _name_problem(name, getattr(record, name))
        if problem:
            return problem
    for name in optional:
        value = getattr(record, name)
        if value is not None and _name_problem(name, value):
            return _name_problem(name, value)
    return None


def _uuid(name: str, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        uuid_module.UUID(value)
    except ValueError:
        return f"{name} {value[:40]!r} is not a tag id"
    return None


# the free text of each kind: no control, format or line-break characters, at most NOTE_LIMIT characters
FREE_TEXT = {"assignments": ("plan",), "review_decisions": ("reason",), "article_edits": ("before", "after", "source"),
             "tag_moves": ("method", "reason")}


def _text_problem(kind: str, r: Any) -> str | None:
    from ..models import FIELD_LIMITS
    from ..normalize import printable

    for name in FREE_TEXT.get(kind, ()):
        value = getattr(r, name)
        if value is None:
            continue
        if len(value) > FIELD_LIMITS["notes"]:
            return f"{name} is {len(value):,} characters long; at most {FIELD_LIMITS['notes']:,} are accepted"
        if printable(value) != value:
            return f"{name} holds control, format or line-break characters"
    return None


def record_problem(kind: str, r: Any, now: datetime) -> str | None:
    """Why an incoming record of ``kind`` cannot go in (None: it may): names not in normal
    form or with control characters, free text with them, a time that cannot be read or lies
    ahead, a value out of range."""
    from ..models import FIELD_LIMITS

    for value in astuple(r):
        if isinstance(value, str) and len(value) > FIELD_LIMITS["notes"]:
            return f"a value is {len(value):,} characters long; at most {FIELD_LIMITS['notes']:,} are accepted"
    problem = _text_problem(kind, r)
    if problem:
        return problem
    time_field = "updated" if kind in ("review_status", "active_time") else "at"
    try:
        check_time(time_field, getattr(r, time_field), now)
    except ValueError as exc:
        return str(exc)
    if kind == "assignments":
        return _names(r, "annotator", optional=("assigned_by",))
    if kind == "gold_sources":
        return (_uuid("gold_uuid", r.gold_uuid) or _uuid("source_uuid", r.source_uuid)
                or _names(r, "reviewer", optional=("source_annotator",)))
    if kind == "review_decisions":
        return _names(r, "reviewer", "decision", "item_key")
    if kind == "review_status":
        return _names(r, "reviewer", "status")
    if kind == "active_time":
        if r.seconds < 0 or r.visits < 1:
            return f"seconds {r.seconds} or visits {r.visits} out of range (at least 0 seconds, 1 visit)"
        return _names(r, "annotator")
    if kind == "article_edits":
        if r.field not in EDITABLE_FIELDS:
            return f"field {r.field[:40]!r} is not one of {', '.join(EDITABLE_FIELDS)}"
        return _names(r, optional=("who",))
    if r.outcome not in ("moved", "stranded"):
        return f"outcome {r.outcome[:40]!r} is not moved or stranded"
    return _uuid("uuid", r.uuid) or _names(r, optional=("who",))


def _key(kind: str, r: Any) -> str:
    if kind == "gold_sources":
        return f"{r.gold_uuid}/{r.source_uuid or 'reviewer'}"
    if kind == "article_edits":
        return f"{r.article_id}/{r.field}/{r.at}"
    if kind == "tag_moves":
        return f"{r.uuid}/{r.at}"
    second = {"assignments": "annotator", "review_decisions": "item_key", "active_time": "annotator"}.get(kind)
    return r.article_id + (f"/{getattr(r, second)}" if second else "")


# -- the rules ---------------------------------------------------------------------------------


def decide_plan(here: list[AssignmentRow], there: list[AssignmentRow]) -> str:
    """An article's assignments: the plan made later (its latest ``at``) wins as a whole, same
    time: the larger fingerprint. ``added``, ``present``, ``updated`` or ``kept``."""
    if not here:
        return "added"
    ours, theirs = sorted(here, key=astuple), sorted(there, key=astuple)
    if ours == theirs:
        return "present"
    wins = there_wins(max(r.at for r in ours), _plain_print(*map(astuple, ours)),
                      max(r.at for r in theirs), _plain_print(*map(astuple, theirs)))
    return "updated" if wins else "kept"


def decide_later(time_field: str) -> Callable[[Any | None, Any], str]:
    """The record changed later wins (same time: the larger fingerprint)."""
    def decide(stored: Any | None, incoming: Any) -> str:
        if stored is None:
            return "added"
        if stored == incoming:
            return "present"
        return "updated" if there_wins(getattr(stored, time_field), _print(stored), getattr(incoming, time_field),
                                       _print(incoming)) else "kept"
    return decide


def decide_active_time(stored: ActiveTimeRow | None, incoming: ActiveTimeRow) -> str:
    """An annotator's time on an article: the row of more visits wins (then the later, then the
    larger fingerprint); time on one article on both laptops is not summed (a sum would count
    the visits both share twice)."""
    if stored is None:
        return "added"
    if stored == incoming:
        return "present"
    if stored.visits != incoming.visits:
        return "updated" if incoming.visits > stored.visits else "kept"
    return decide_later("updated")(stored, incoming)


def _decision_text(r: ReviewDecisionRow) -> str:
    return f"{r.decision}" + (f" ({r.reason})" if r.reason else "") + f" by {r.reviewer} at {r.at}"


# -- running -----------------------------------------------------------------------------------


def team_records(source: Any, kind: str) -> Iterator[list[Any]]:
    """The records of ``kind`` a merge source holds (none when it cannot carry them)."""
    read = getattr(source, "team_records", None)
    return read(kind) if read is not None else iter(())


def differing_facts(store: Any, articles: list[Any]) -> dict[str, dict[str, tuple[str | None, str | None]]]:
    """article id → field → (ours, theirs) for the facts of present articles that differ."""
    stored = store.article_facts([a.id for a in articles])
    result: dict[str, dict[str, tuple[str | None, str | None]]] = {}
    for article in articles:
        ours = stored.get(article.id)
        if ours is None:
            continue
        theirs = article_fact_values(article)
        differ = {f: (ours[f], theirs[f]) for f in EDITABLE_FIELDS if ours[f] != theirs[f]}
        if differ:
            result[article.id] = differ
    return result


def _checked(source: Any, kind: str, report: MergeReport, now: datetime) -> Iterator[list[Any]]:
    for batch in team_records(source, kind):
        ready = []
        for r in batch:
            problem = record_problem(kind, r, now)
            if problem:
                report.refuse(kind, _key(kind, r), problem)
            else:
                ready.append(r)
        yield ready


def merge_team_records(store: Any, source: Any, report: MergeReport, now: datetime,
                       facts: dict[str, dict[str, tuple[str | None, str | None]]]) -> None:
    """Merge the team's records of ``source`` into ``store`` (after articles and tags), and the
    corrected facts of articles both sides hold (``facts``: see :func:`differing_facts`)."""
    _merge_plans(store, source, report, now)
    for batch in _checked(source, "gold_sources", report, now):
        report.outcomes("gold_sources", [_key("gold_sources", r) for r in batch],
               store.merge_gold_sources(batch, decide_later("at")))
    _merge_decisions(store, source, report, now)
    for kind, key, decide in (("review_status", ("article_id",), decide_later("updated")),
                              ("active_time", ("article_id", "annotator"), decide_active_time)):
        for batch in _checked(source, kind, report, now):
            report.outcomes(kind, [_key(kind, r) for r in batch], store.merge_keyed_rows(kind, batch, key, decide))
    edits = [r for batch in _checked(source, "article_edits", report, now) for r in batch]
    _merge_facts(store, report, facts, edits)
    for start in range(0, len(edits), BATCH):
        part = edits[start:start + BATCH]
        report.outcomes("article_edits", [_key("article_edits", r) for r in part], store.merge_log_rows("article_edits", part))
    for batch in _checked(source, "tag_moves", report, now):
        report.outcomes("tag_moves", [_key("tag_moves", r) for r in batch], store.merge_log_rows("tag_moves", batch))


def _merge_plans(store: Any, source: Any, report: MergeReport, now: datetime) -> None:
    plans: dict[str, list[AssignmentRow]] = {}
    for batch in _checked(source, "assignments", report, now):
        for r in batch:
            plans.setdefault(r.article_id, []).append(r)
    items = sorted(plans.items())
    for start in range(0, len(items), 200):
        part = items[start:start + 200]
        report.outcomes("assignments", [a for a, _ in part], store.merge_assignment_plans(part, decide_plan))


def _merge_decisions(store: Any, source: Any, report: MergeReport, now: datetime) -> None:
    later = decide_later("at")

    def decide(stored: ReviewDecisionRow | None, incoming: ReviewDecisionRow) -> str:
        outcome = later(stored, incoming)
        if stored is not None and (stored.decision, stored.reason) != (incoming.decision, incoming.reason):
            conflicts.append(Conflict("review_decisions", f"{incoming.article_id}/{incoming.item_key}",
                                      "there" if outcome == "updated" else "here",
                                      LATER_WINS if stored.at != incoming.at else TIE_RULE,
                                      _decision_text(stored), _decision_text(incoming)))
        return outcome

    for batch in _checked(source, "review_decisions", report, now):
        conflicts: list[Conflict] = []
        report.outcomes("review_decisions", [_key("review_decisions", r) for r in batch],
               store.merge_keyed_rows("review_decisions", batch, ("article_id", "item_key"), decide))
        report.conflicts.extend(conflicts)  # decided inside the transaction; listed once it committed


def _merge_facts(store: Any, report: MergeReport, facts: dict[str, dict[str, tuple[str | None, str | None]]],
                 edits: list[ArticleEditRow]) -> None:
    """Facts of an article both sides hold that differ: the side whose last correction of the
    field is later wins; a conflict when both corrected it since they last agreed (or neither did)."""
    theirs_by_field: dict[tuple[str, str], set[ArticleEditRow]] = {}
    for r in edits:
        theirs_by_field.setdefault((r.article_id, r.field), set()).add(r)
    changes: list[tuple[str, str, str | None]] = []
    for article_id, fields in sorted(facts.items()):
        for field, (ours, theirs) in sorted(fields.items()):
            here_rows = set(store.stored_team_rows("article_edits", "article_id = ? AND field = ?", [article_id, field]))
            there_rows = theirs_by_field.get((article_id, field), set())
            here_at = max((r.at for r in here_rows), default=None)
            there_at = max((r.at for r in there_rows), default=None)
            wins = there_wins(here_at, _plain_print(ours), there_at, _plain_print(theirs))
            if (here_rows - there_rows and there_rows - here_rows) or not (here_rows or there_rows):
                rule = FACT_TIE_RULE if not (here_rows or there_rows) else (
                    FACT_RULE if here_at != there_at else TIE_RULE)
                report.conflicts.append(Conflict("article_facts", f"{article_id}.{field}", "there" if wins else "here",
                                                 rule, f"{ours!r} (corrected {here_at or 'never'})",
                                                 f"{theirs!r} (corrected {there_at or 'never'})"))
            if wins:
                changes.append((article_id, field, theirs))
            else:
                report.count("article_facts", "kept")
    for start in range(0, len(changes), BATCH):
        part = changes[start:start + BATCH]
        report.outcomes("article_facts", [f"{a}.{f}" for a, f, _ in part], store.set_article_facts(part))
