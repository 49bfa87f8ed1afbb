"""What a merge did: counts per kind and outcome, the conflicts with the rule that decided
each, and the records refused (:mod:`annotator.merging.merge`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

KINDS = ("outlets", "articles", "annotations", "statuses", "rejections", "assignments", "gold_sources",
         "review_decisions", "review_status", "active_time", "article_facts", "article_edits", "tag_moves")


@dataclass(frozen=True)
class Refused:
    """A record that was not merged, and why."""

    kind: str
    where: str
    reason: str


@dataclass(frozen=True)
class Conflict:
    """Something changed differently on both sides, the rule that decided it and which side's version is kept."""

    kind: str
    key: str
    kept: str  # "here" or "there"
    rule: str
    here: str
    there: str

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "key": self.key, "kept": self.kept, "rule": self.rule, "here": self.here,
                "there": self.there}


@dataclass
class MergeReport:
    """What a merge did (or, in a dry run, would do): counts per kind and outcome, the
    conflicts with their rule, the records refused."""

    source: str
    dry_run: bool = False
    counts: dict[str, Counter[str]] = field(default_factory=lambda: {kind: Counter() for kind in KINDS})
    conflicts: list[Conflict] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)

    def count(self, kind: str, outcome: str, n: int = 1) -> None:
        self.counts[kind][outcome] += n

    def refuse(self, kind: str, where: str, reason: str) -> None:
        self.refused.append(Refused(kind, where, reason))
        self.counts.setdefault(kind, Counter())["refused"] += 1

    def outcomes(self, kind: str, keys: list[str], outcomes: list[str]) -> None:
        """Counts what the store did with each record (``keys`` name them in order); an outcome
        ``"refused: why"`` is a refusal of that record."""
        for key, outcome in zip(keys, outcomes):
            if outcome.startswith("refused: "):
                self.refuse(kind, key, outcome.removeprefix("refused: "))
            else:
                self.count(kind, outcome)

    @property
    def ok(self) -> bool:
        return not self.refused

    @property
    def changed(self) -> int:
        return sum(c["added"] + c["updated"] for c in self.counts.values())

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, "dry_run": self.dry_run,
                "counts": {kind: dict(sorted(c.items())) for kind, c in self.counts.items()},
                "conflicts": [c.as_dict() for c in self.conflicts],
                "refused": [{"kind": r.kind, "where": r.where, "reason": r.reason} for r in self.refused]}

    def summary_lines(self) -> list[str]:
        """One line per kind that had records, then the totals."""
        lines = []
        for kind, c in self.counts.items():
            if not c:
                continue
            parts = [f"{c[o]} {o.replace('_', ' ')}" for o in ("added", "updated", "present", "kept", "refused") if c[o]]
            lines.append(f"{kind}: " + ", ".join(parts))
        verb = "would change" if self.dry_run else "changed"
        lines.append(f"{self.source}: {verb} {self.changed} record(s); {len(self.conflicts)} conflict(s) decided by "
                     f"rule; {len(self.refused)} refused" + (" (dry run: nothing was written)" if self.dry_run else ""))
        return lines
