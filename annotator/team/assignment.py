"""Assigning articles to annotators with overlap: the rules, without SQL.

Each article gets ``overlap`` distinct annotators (so agreement can be measured on it); the
work is balanced across annotators (their totals differ by at most one, counting what they
already hold) and across outlets (each annotator sees every side: per outlet, their counts
differ by at most two). The plan is reproducible: the same articles,
annotators, overlap and seed give the same plan.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..config import MAX_NAME
from ..errors import InputError
from ..normalize import clean_line, printable


@dataclass(frozen=True)
class ArticleToAssign:
    """An article a plan may give out: its id and its outlet (None when unknown)."""

    id: str
    outlet: str | None


def parse_annotators(value: str) -> list[str]:
    """The names of ``--annotators alice,bob,carol``: trimmed, in order, each once; an error
    line for an empty or over-long name or a repeated one."""
    names: list[str] = []
    for raw in value.split(","):
        name = clean_line(raw).strip()
        if not name:
            raise InputError("--annotators: an empty name (give names separated by commas: alice,bob,carol)")
        if len(name) > MAX_NAME:
            raise InputError(f"--annotators: name {printable(name[:20])!r}… is longer than {MAX_NAME} characters")
        if name in names:
            raise InputError(f"--annotators: {printable(name)!r} is named twice")
        names.append(name)
    return names


def plan_assignments(
    articles: Sequence[ArticleToAssign],
    annotators: Sequence[str],
    overlap: int,
    seed: int = 0,
    held: Mapping[str, Iterable[str | None]] | None = None,
) -> dict[str, tuple[str, ...]]:
    """article id → the annotators it is given to (``overlap`` of them, sorted).

    ``held``: annotator → the outlets of the articles they already hold (from an earlier plan),
    counted so a later plan evens out the totals. Raises :class:`InputError` when the overlap
    cannot be met."""
    if not annotators:
        raise InputError("--annotators: name at least one annotator")
    if overlap < 1:
        raise InputError(f"--overlap: must be at least 1 (got {overlap})")
    if overlap > len(annotators):
        raise InputError(f"--overlap: {overlap} annotators per article, but only {len(annotators)} named")
    rng = random.Random(seed)
    load: Counter[str] = Counter({name: 0 for name in annotators})
    per_outlet: dict[str | None, Counter[str]] = defaultdict(Counter)
    for name, outlets in (held or {}).items():
        if name in load:
            for outlet in outlets:
                load[name] += 1
                per_outlet[outlet][name] += 1
    tie_break = {name: rng.random() for name in annotators}  # a seeded order among equals
    plan: dict[str, tuple[str, ...]] = {}
    for article in _interleaved_by_outlet(articles, rng):
        counts = per_outlet[article.outlet]
        ranked = sorted(annotators, key=lambda n: (load[n], counts[n], tie_break[n]))
        chosen = ranked[:overlap]
        for name in chosen:
            load[name] += 1
            counts[name] += 1
            tie_break[name] = rng.random()  # equals take turns instead of one always coming first
        plan[article.id] = tuple(sorted(chosen))
    return plan


def _interleaved_by_outlet(articles: Sequence[ArticleToAssign], rng: random.Random) -> list[ArticleToAssign]:
    """The articles shuffled within each outlet, then taken one outlet at a time in turn, so
    each stretch of the plan holds every outlet (the balance per outlet follows)."""
    by_outlet: dict[str | None, list[ArticleToAssign]] = defaultdict(list)
    for article in sorted(articles, key=lambda a: a.id):
        by_outlet[article.outlet].append(article)
    queues = []
    for outlet in sorted(by_outlet, key=lambda o: (o is None, o or "")):
        queue = by_outlet[outlet]
        rng.shuffle(queue)
        queues.append(queue)
    result: list[ArticleToAssign] = []
    while any(queues):
        for queue in queues:
            if queue:
                result.append(queue.pop())
    return result


def plan_summary(plan: Mapping[str, Sequence[str]], outlets: Mapping[str, str | None]) -> dict[str, Counter]:
    """annotator → Counter of outlet → how many of the plan's articles from that outlet they hold."""
    summary: dict[str, Counter] = defaultdict(Counter)
    for article_id, names in plan.items():
        for name in names:
            summary[name][outlets.get(article_id)] += 1
    return dict(summary)
