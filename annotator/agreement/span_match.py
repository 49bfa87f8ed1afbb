"""Pairwise span matching between two annotators: span F1 with exact and with overlap
match (the measures named-entity recognition and SemEval-2023 Task 3 report), the counts
behind it, and the voice pairs of matched spans.

Within one article and one span category, two annotators' tags are paired one to one:

1. the same label: *exact* match needs the same start and end, *overlap* match one shared
   character (the pairs sharing the most characters are taken first);
2. among the tags left, the same place (exact) or shared characters (overlap) with another
   label: **label differs**;
3. the rest are **only A** and **only B**.

F1 is ``2 · matched / (A's tags + B's tags)``: 1 when every tag has its twin.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

MODES = ("exact", "overlap")


@dataclass(frozen=True)
class SpanTag:
    start: int
    end: int
    label: str
    voice: str | None = None


@dataclass
class PairMatch:
    """Indices into A's and B's tags of one article: matched and label-differs pairs, the rest."""

    matched: list[tuple[int, int]] = field(default_factory=list)
    label_differs: list[tuple[int, int]] = field(default_factory=list)
    only_a: list[int] = field(default_factory=list)
    only_b: list[int] = field(default_factory=list)


def _shared(a: SpanTag, b: SpanTag) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def _pair_up(a: Sequence[SpanTag], b: Sequence[SpanTag], free_a: set[int], free_b: set[int], mode: str,
             same_label: bool) -> list[tuple[int, int]]:
    """Greedy one-to-one pairs among the free tags (most shared characters first, then
    nearest start, then order)."""
    candidates = []
    for i in free_a:
        for j in free_b:
            if (a[i].label == b[j].label) != same_label:
                continue
            if mode == "exact":
                if (a[i].start, a[i].end) == (b[j].start, b[j].end):
                    candidates.append((-(a[i].end - a[i].start), 0, i, j))
            elif (shared := _shared(a[i], b[j])) > 0:
                candidates.append((-shared, abs(a[i].start - b[j].start) + abs(a[i].end - b[j].end), i, j))
    pairs = []
    for _, _, i, j in sorted(candidates):
        if i in free_a and j in free_b:
            free_a.discard(i)
            free_b.discard(j)
            pairs.append((i, j))
    return sorted(pairs)


def match(a: Sequence[SpanTag], b: Sequence[SpanTag], mode: str) -> PairMatch:
    """Pair two annotators' tags of one category on one article (``mode``: exact or overlap)."""
    if mode not in MODES:
        raise ValueError(f"unknown match mode {mode!r} (use {' or '.join(MODES)})")
    free_a, free_b = set(range(len(a))), set(range(len(b)))
    matched = _pair_up(a, b, free_a, free_b, mode, same_label=True)
    differs = _pair_up(a, b, free_a, free_b, mode, same_label=False)
    return PairMatch(matched, differs, sorted(free_a), sorted(free_b))


@dataclass
class MatchCounts:
    """Counts of one (pair of annotators, category, mode), overall and per label."""

    tags_a: Counter = field(default_factory=Counter)  # label -> A's tags ("" = all labels)
    tags_b: Counter = field(default_factory=Counter)
    matched: Counter = field(default_factory=Counter)
    label_differs: Counter = field(default_factory=Counter)  # per label: pairs where either side has it
    only_a: Counter = field(default_factory=Counter)
    only_b: Counter = field(default_factory=Counter)

    def add(self, a: Sequence[SpanTag], b: Sequence[SpanTag], found: PairMatch) -> None:
        """Count one article's match."""
        for tags, counter in ((a, self.tags_a), (b, self.tags_b)):
            counter[""] += len(tags)
            counter.update(t.label for t in tags)
        for i, _ in found.matched:
            self.matched[""] += 1
            self.matched[a[i].label] += 1
        for i, j in found.label_differs:
            self.label_differs[""] += 1
            self.label_differs.update({a[i].label, b[j].label})
        for indices, tags, counter in ((found.only_a, a, self.only_a), (found.only_b, b, self.only_b)):
            counter[""] += len(indices)
            counter.update(tags[i].label for i in indices)

    def f1(self, label: str = "") -> float | None:
        """``2 · matched / (A's tags + B's tags)`` of a label (default: all); None without tags."""
        total = self.tags_a[label] + self.tags_b[label]
        return 2 * self.matched[label] / total if total else None

    def labels(self) -> list[str]:
        """Every label either annotator used, sorted."""
        return sorted(l for l in set(self.tags_a) | set(self.tags_b) if l)


def voice_pairs(a: Sequence[SpanTag], b: Sequence[SpanTag], found: PairMatch) -> list[tuple[str, str]]:
    """(A's voice, B's voice) of every matched pair where both tags carry a voice."""
    return [(a[i].voice, b[j].voice) for i, j in found.matched
            if a[i].voice is not None and b[j].voice is not None]
