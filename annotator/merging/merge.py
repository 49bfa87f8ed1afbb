"""``annotator merge``: bring everything another database of the same corpus holds (or a
bundle, or a JSON-lines export) into this one. The rules, written once for every source:

* Kinds are merged in order (outlets, articles, annotations, statuses, rejected
  suggestions, then the team's records of :mod:`annotator.merging.team`), each in short
  batches, one write transaction each: an interrupted merge leaves whole records only,
  and running it again completes it (merging is idempotent).
* A record present on one side only is added. A record on both sides: the version changed
  later wins (its ``updated`` time); equal times are broken by the larger fingerprint (a
  SHA-256 of the version), so A merged into B and B into A give the same content.
  A deletion (a tag's ``deleted`` flag, a status set back to ``not done``, a rejection
  withdrawn) is a change like any other.
* A tag changed on both sides (neither version is an earlier one of the other, as the
  histories tell) is a *conflict*: decided by the rule above and listed; the version that
  lost stays in the tag's history (``annotator history TAG``).
* Nothing inconsistent goes in (see :func:`check_annotation`, :func:`check_article`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Protocol

from .report import KINDS, Conflict, MergeReport, Refused
from ..exchange.annotation_import import article_lookup
from ..models import Annotation, Article, Outlet
from ..store.merging import OutletState, Rejection, StatusMark

__all__ = ["KINDS", "Conflict", "MergeReport", "OutletState", "Refused", "Rejection", "StatusMark", "run_merge"]

STATUS_VALUES = ("done", "not done")
CLOCK_SKEW = timedelta(minutes=5)  # how far ahead of this computer's clock a record's time may be
LATER_WINS = "the version changed later wins"
TIE_RULE = "same time: the larger fingerprint wins (so both directions agree)"


# -- the records of a merge ------------------------------------------------------------------


@dataclass(frozen=True)
class IncomingArticle:
    """An article of the other side, and whether it is current there."""

    article: Article
    current: bool


@dataclass(frozen=True)
class IncomingTag:
    """An annotation of the other side, with the fingerprints of the versions its history
    there holds (None when the source keeps no history, as a JSON-lines export), or a
    function reading them when they are needed (a database: only for a tag both sides hold
    differently)."""

    annotation: Annotation
    earlier: frozenset[str] | Callable[[], frozenset[str]] | None = None

    def earlier_versions(self) -> frozenset[str] | None:
        return self.earlier() if callable(self.earlier) else self.earlier


class MergeSource(Protocol):
    """What a merge reads from the other side, kind by kind, in batches. ``refused``
    collects the records a file source could not read (with their line numbers)."""

    name: str  # shown in reports
    source: str  # kept in the history of what the merge changes (the file and its SHA-256)
    refused: list[Refused]

    def outlets(self) -> dict[str, OutletState]: ...
    def outlet_removals(self) -> list[tuple[str, str, str]]: ...
    def articles(self) -> Iterator[list[IncomingArticle]]: ...
    def annotations(self) -> Iterator[list[IncomingTag]]: ...
    def statuses(self) -> Iterator[list[StatusMark]]: ...
    def rejections(self) -> Iterator[list[Rejection]]: ...
    def close(self) -> None: ...


# -- the rules ---------------------------------------------------------------------------------


def _time(value: str | None) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value or "")
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def there_wins(here_time: str | None, here_print: str, there_time: str | None, there_print: str) -> bool:
    """Whether the other side's version wins: changed later, or at the same time with the
    larger fingerprint (an unreadable time is never later). Symmetric: exactly one side wins."""
    here, there = _time(here_time), _time(there_time)
    if here != there:
        return there is not None and (here is None or there > here)
    return there_print > here_print


def fingerprint(version: Mapping[str, Any] | Annotation) -> str:
    """The SHA-256 of one version of a tag (its fields; attributes as an object, deleted as
    true/false), the same whether read from the model, a row or a history entry."""
    data = version.model_dump(mode="json") if isinstance(version, Annotation) else dict(version)
    attributes = data.get("attributes")
    if isinstance(attributes, str):
        attributes = json.loads(attributes or "{}")
    data["attributes"] = attributes or {}
    data["deleted"] = bool(data.get("deleted"))
    data["origin"] = getattr(data.get("origin"), "value", data.get("origin"))
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8", "surrogatepass")
                          ).hexdigest()


def _plain_print(*values: Any) -> str:
    return hashlib.sha256(json.dumps(values, ensure_ascii=False, default=str).encode()).hexdigest()


def check_time(name: str, value: str, now: datetime) -> None:
    """ValueError for a time that cannot be read or lies ahead of ``now`` by more than :data:`CLOCK_SKEW`
    (a forged future time would win every later merge)."""
    moment = _time(value)
    if moment is None:
        raise ValueError(f"{name} {value!r} is not an ISO 8601 time")
    if moment > now + CLOCK_SKEW:
        raise ValueError(f"{name} {value} is in the future (more than {CLOCK_SKEW.seconds // 60} minutes ahead "
                         "of this computer's clock)")


def check_article(article: Article) -> None:
    """ValueError unless the article's id and ``text_sha256`` are those of its text (a
    record naming one article while holding another text is refused)."""
    digest = hashlib.sha256(article.text.encode("utf-8", "surrogatepass")).hexdigest()
    if article.text_sha256 != digest:
        raise ValueError("text_sha256 is not the SHA-256 of its text")
    if article.id != digest[:12]:
        raise ValueError(f"id {article.id!r} is not the start of its text's SHA-256 ({digest[:12]})")


def check_annotation(annotation: Annotation, article: Article | None, now: datetime,
                     codebook: Callable[[str], Any] | None = None) -> None:
    """ValueError unless an incoming tag fits: the record checks of ``import-annotations``
    (names in normal form, no future time, a known label when the codebook is at hand), its
    article here with the same text, its quote, prefix and suffix at its offsets, and not
    changed before it was made."""
    from ..exchange.annotation_import import check_against, check_record
    from ..models import FIELD_LIMITS

    for name, value, kind in (("note", annotation.note, "notes"), ("annotator", annotation.annotator, "name"),
                              ("category", annotation.category, "name"), ("label", annotation.label, "name"),
                              ("codebook", annotation.codebook_id, "name"),
                              ("codebook_version", annotation.codebook_version, "name")):
        if value is not None and len(value) > FIELD_LIMITS[kind]:
            raise ValueError(f"{name} is {len(value):,} characters long; at most {FIELD_LIMITS[kind]:,} are accepted")
    check_record(annotation, codebook, now)
    check_against(annotation, article)
    if there_wins(annotation.updated, "", annotation.created, "") and annotation.updated != annotation.created:
        raise ValueError(f"updated_at {annotation.updated} is before created_at {annotation.created}")


IDENTITY = ("annotator", "article_id", "text_sha256", "created")


@dataclass(frozen=True)
class TagDecision:
    """What to do with one incoming tag: ``added``, ``present``, ``updated`` (theirs
    replaces ours), ``kept`` (ours stays) or ``refused``; ``conflict`` when both sides
    changed it; ``record_loser``: keep the incoming version in our history (it lost)."""

    outcome: str
    conflict: Conflict | None = None
    reason: str = ""
    record_loser: bool = False


def _tag_text(a: Annotation) -> str:
    span = f"{a.start}..{a.end} {a.quote!r}" if a.start is not None else "whole article"
    state = "deleted" if a.deleted else f"{a.category}/{a.label}"
    extra = "".join(f" {k}={v}" for k, v in sorted(a.attributes.items()))
    note = f" note={a.note!r}" if a.note else ""
    return f"{state} {span}{extra}{note} (updated {a.updated})"


def decide_tag(stored: Annotation | None, incoming: IncomingTag,
               known_here: set[str] | Callable[[], set[str]]) -> TagDecision:
    """The rule for one tag: ``known_here`` are the fingerprints of the versions our history
    holds of it (earlier versions, and versions a merge already decided against), or a
    function reading them."""
    theirs = incoming.annotation
    if stored is None:
        return TagDecision("added")
    for name in IDENTITY:
        if getattr(stored, name) != getattr(theirs, name):
            return TagDecision("refused", reason=f"id {stored.uuid} is a tag of {stored.annotator!r} on article "
                                                 f"{stored.article_id} made {stored.created}; this record gives it "
                                                 f"another {name} (a tag's author, article, text and creation "
                                                 "never change)")
    if stored == theirs:
        return TagDecision("present")
    ours_print, theirs_print = fingerprint(stored), fingerprint(theirs)
    wins = there_wins(stored.updated, ours_print, theirs.updated, theirs_print)
    if not wins and theirs_print in (known_here() if callable(known_here) else known_here):
        return TagDecision("kept")  # an earlier version of ours, or one a merge decided against before
    earlier = incoming.earlier_versions()
    conflict = None
    if earlier is None or ours_print not in earlier:  # both changed it since they agreed (or no history to tell)
        rule = LATER_WINS if stored.updated != theirs.updated else TIE_RULE
        conflict = Conflict("annotations", stored.uuid, "there" if wins else "here", rule,
                            _tag_text(stored), _tag_text(theirs))
    if wins:
        return TagDecision("updated", conflict)
    return TagDecision("kept", conflict, record_loser=True)


def decide_status(stored: StatusMark | None, incoming: StatusMark) -> str:
    """``added``, ``present``, ``updated`` or ``kept`` for an annotator's mark on an article."""
    if stored is None:
        return "added"
    if (stored.status, stored.updated) == (incoming.status, incoming.updated):
        return "present"
    return "updated" if there_wins(stored.updated, _plain_print(stored.status), incoming.updated,
                                   _plain_print(incoming.status)) else "kept"


def decide_rejection(stored: Rejection | None, incoming: Rejection) -> str:
    """``added``, ``present``, ``updated`` or ``kept`` for a rejected suggestion."""
    if stored is None:
        return "added"
    if (stored.withdrawn, stored.updated) == (incoming.withdrawn, incoming.updated):
        return "present"
    return "updated" if there_wins(stored.updated, _plain_print(stored.withdrawn), incoming.updated,
                                   _plain_print(incoming.withdrawn)) else "kept"


def _fields(edited: Iterable[str]) -> set[str]:
    edited = set(edited)
    return set(Outlet.model_fields) - {"id"} if "*" in edited else edited


def merge_outlet(here: OutletState, there: OutletState) -> tuple[Outlet, list[str], list[Conflict]]:
    """The outlet both sides hold, merged field by field: a field only one side set is that
    side's; one both set is the later set's (same time: the larger fingerprint); fields
    nobody set stay ours (the shipped registry's). Returns the outlet, the fields a user
    set, and a conflict per field both set to different values."""
    mine, theirs = here.outlet.model_dump(mode="json"), there.outlet.model_dump(mode="json")
    ours_set, theirs_set = _fields(here.edited), _fields(there.edited)
    conflicts = []
    for name in sorted(theirs_set):
        if mine.get(name) == theirs.get(name):
            continue
        if name not in ours_set:
            mine[name] = theirs[name]
            continue
        here_time, there_time = here.field_times.get(name), there.field_times.get(name)
        wins = there_wins(here_time, _plain_print(mine.get(name)), there_time, _plain_print(theirs.get(name)))
        conflicts.append(Conflict("outlets", f"{here.outlet.id}.{name}", "there" if wins else "here",
                                  LATER_WINS if here_time != there_time else TIE_RULE,
                                  f"{json.dumps(mine.get(name), ensure_ascii=False)} (set {here_time})",
                                  f"{json.dumps(theirs.get(name), ensure_ascii=False)} (set {there_time})"))
        if wins:
            mine[name] = theirs[name]
    edited = sorted(set(here.edited) | set(there.edited))
    return Outlet.model_validate(mine, context={"stored": True}), (["*"] if "*" in edited else edited), conflicts


# -- running a merge ---------------------------------------------------------------------------


def _name_problem(name: str, value: str) -> str | None:
    from ..normalize import clean_line, printable

    if not value.strip() or printable(value) != value or clean_line(value) != value:
        return f"{name} {json.dumps(value, ensure_ascii=False)[:60]} is blank or not in normal form"
    return None


def run_merge(store: Any, source: MergeSource, who: str | None, codebook: Callable[[str], Any] | None = None,
              now: datetime | None = None) -> MergeReport:
    """Merge everything ``source`` holds into ``store``, kind by kind, each in short
    transactions; changes are recorded as made by ``who`` from ``source.source``."""
    import functools

    from ..exchange.annotation_import import shipped_codebook
    from .team import merge_team_records

    report = MergeReport(source.name)
    now = now or datetime.now(timezone.utc)
    codebook = codebook or functools.lru_cache(maxsize=None)(shipped_codebook)
    renamed = _merge_outlets(store, source, report, who, now)
    facts: dict[str, dict[str, tuple[str | None, str | None]]] = {}
    _merge_articles(store, source, report, renamed, now, facts)
    _merge_annotations(store, source, report, who, codebook, now)
    _merge_marks(store, source, report, now)
    merge_team_records(store, source, report, now, facts)
    for refused in source.refused:
        report.refuse(refused.kind, refused.where, refused.reason)
    return report


def _merge_outlets(store: Any, source: MergeSource, report: MergeReport, who: str | None,
                   now: datetime) -> dict[str, str]:
    """Outlets: new ones added, shared ones merged field by field (:func:`merge_outlet`), and
    an outlet merged into another on either side is merged here too when that was its last
    change. Returns the outlets merged away here (id: the outlet that took their articles)."""
    from pydantic import ValidationError

    here, theirs = store.outlet_states(), source.outlets()
    removed_here = {r[0]: r for r in store.outlet_removals()}
    changes: list[tuple[Outlet, list[str]]] = []
    for outlet_id, state in sorted(theirs.items()):
        try:
            Outlet.model_validate(state.outlet.model_dump(mode="json"))  # the field limits hold for what comes in
            for name, at in state.field_times.items():
                check_time(f"change of {name}", at, now)
        except (ValidationError, ValueError) as exc:
            report.refuse("outlets", outlet_id, str(exc).splitlines()[0])
            continue
        edited = [n for n in state.edited if n == "*" or n in Outlet.model_fields]
        mine = here.get(outlet_id)
        if mine is None:
            removal = removed_here.get(outlet_id)
            if removal is not None and not there_wins(removal[2], "", max(state.field_times.values(), default=None), ""):
                report.count("outlets", "kept")  # merged away here after its last change there
                continue
            changes.append((state.outlet, edited))
            report.count("outlets", "added")
            continue
        merged, merged_edited, conflicts = merge_outlet(mine, OutletState(state.outlet, tuple(edited), state.field_times))
        report.conflicts.extend(conflicts)
        if merged == mine.outlet and sorted(merged_edited) == sorted(mine.edited):
            report.count("outlets", "present" if merged == state.outlet else "kept")
            continue
        changes.append((merged, merged_edited))
        report.count("outlets", "updated")
    if changes:
        store.write_merged_outlets(changes, who, source.source)
    renamed = {r[0]: r[1] for r in removed_here.values()}
    here = store.outlet_states()
    for outlet_id, into, at in source.outlet_removals():
        state = here.get(outlet_id)
        if state is None or into not in here:
            continue
        if there_wins(max(state.field_times.values(), default=None), "", at, ""):
            store.merge_outlet(outlet_id, into, who, source.source)
            report.count("outlets", "updated")
            renamed[outlet_id] = into
    return renamed


def _merge_articles(store: Any, source: MergeSource, report: MergeReport, renamed: dict[str, str],
                    now: datetime, facts: dict[str, dict[str, tuple[str | None, str | None]]]) -> None:
    """Articles this database lacks added; ``facts`` collects the facts of the others that differ."""
    from .team import differing_facts

    for batch in source.articles():
        ready: list[tuple[Article, bool]] = []
        for item in batch:
            article = item.article
            try:
                check_article(article)
                check_time("imported_at", article.imported_at, now)
            except ValueError as exc:
                report.refuse("articles", article.id, str(exc))
                continue
            moved = {f: renamed[getattr(article, f)] for f in ("publisher", "original_source")
                     if getattr(article, f) in renamed}
            ready.append((article.model_copy(update=moved) if moved else article, item.current))
        if not ready:
            continue
        outcomes, diverged = store.merge_articles(ready)
        facts.update(differing_facts(store, [a for (a, _), o in zip(ready, outcomes) if o == "present"]))
        added = set()
        for (article, _), outcome in zip(ready, outcomes):
            if outcome.startswith("refused: "):
                report.refuse("articles", article.id, outcome.removeprefix("refused: "))
            else:
                report.count("articles", outcome)
                if outcome == "added":
                    added.add(article.id)
        for kept, others in diverged:
            ids = [kept, *others]
            report.conflicts.append(Conflict(
                "articles", kept, "there" if kept in added else "here",
                "two versions of one article (another text from the same source): both kept, the one imported last "
                "is current", ", ".join(i for i in ids if i not in added), ", ".join(i for i in ids if i in added)))


def _merge_annotations(store: Any, source: MergeSource, report: MergeReport, who: str | None,
                       codebook: Callable[[str], Any], now: datetime) -> None:
    article = article_lookup(store, 64)

    def decide(stored: Annotation | None, item: IncomingTag,
               versions: Callable[[], list[dict[str, Any]]]) -> TagDecision:
        return decide_tag(stored, item, lambda: {fingerprint(v) for v in versions()})

    for batch in source.annotations():
        ready = []
        same = store.stored_unchanged([item.annotation for item in batch])
        if same:
            report.count("annotations", "present", len(same))
        for item in batch:
            if item.annotation.uuid in same:
                continue
            try:
                check_annotation(item.annotation, article(item.annotation.article_id), now, codebook)
            except ValueError as exc:
                report.refuse("annotations", item.annotation.uuid, str(exc))
                continue
            ready.append(item)
        if not ready:
            continue
        for item, decision in zip(ready, store.merge_tags(ready, decide, who, source.source)):
            if decision.outcome == "refused":
                report.refuse("annotations", item.annotation.uuid, decision.reason)
            else:
                report.count("annotations", decision.outcome)
            if decision.conflict is not None:
                report.conflicts.append(decision.conflict)


def _merge_marks(store: Any, source: MergeSource, report: MergeReport, now: datetime) -> None:
    """Done marks and rejected suggestions."""
    for batch in source.statuses():
        ready = []
        for mark in batch:
            problem = _name_problem("annotator", mark.annotator) or (
                None if mark.status in STATUS_VALUES else f"status {mark.status!r} is not one of {STATUS_VALUES}")
            try:
                check_time("updated", mark.updated, now)
            except ValueError as exc:
                problem = problem or str(exc)
            if problem:
                report.refuse("statuses", f"{mark.article_id}/{mark.annotator}", problem)
            else:
                ready.append(mark)
        report.outcomes("statuses", [f"{m.article_id}/{m.annotator}" for m in ready],
               store.merge_statuses(ready, decide_status) if ready else [])
    for batch in source.rejections():
        ready = []
        for r in batch:
            problem = _name_problem("annotator", r.annotator) or _name_problem("variant", r.variant)
            if not problem and not 0 <= r.start < r.end:
                problem = f"span {r.start}..{r.end} is empty or negative"
            found = None if problem else store.article(r.article_id)
            if not problem and found is not None and found.id == r.article_id and r.end > len(found.text):
                problem = f"span {r.start}..{r.end} is outside the article's {len(found.text)} characters"
            try:
                check_time("created", r.created, now)
                check_time("updated", r.updated, now)
            except ValueError as exc:
                problem = problem or str(exc)
            if problem:
                report.refuse("rejections", f"{r.article_id}/{r.annotator}/{r.start}..{r.end}", problem)
            else:
                ready.append(r)
        report.outcomes("rejections", [f"{r.article_id}/{r.annotator}/{r.start}..{r.end}" for r in ready],
               store.merge_rejections(ready, decide_rejection) if ready else [])


