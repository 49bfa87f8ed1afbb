"""Tags whose label a codebook no longer has.

A newer codebook version may rename or remove labels. Annotations made with the
older version are never dropped: they stay in the database, are shown as "not in
codebook" and are counted here so a lead can decide what to do with them.
"""

from __future__ import annotations

from dataclasses import dataclass

from .codebook import Codebook
from .models import ARTICLE_NOTE_CATEGORY


@dataclass(frozen=True)
class Orphan:
    """Live tags with a (category, label) the codebook does not define."""

    category: str
    label: str
    versions: tuple[str, ...]
    count: int


def find_orphans(book: Codebook, usage: list[tuple[str, str, str, int]]) -> list[Orphan]:
    """Group ``Store.label_usage`` rows whose label is not in ``book``."""
    known = book.label_ids()
    grouped: dict[tuple[str, str], tuple[set[str], int]] = {}
    for category, label, version, count in usage:
        if category == ARTICLE_NOTE_CATEGORY or (category, label) in known:
            continue
        versions, total = grouped.get((category, label), (set(), 0))
        grouped[(category, label)] = (versions | {version}, total + count)
    return [Orphan(c, l, tuple(sorted(v)), n) for (c, l), (v, n) in sorted(grouped.items())]


def orphan_summary(book: Codebook, orphans: list[Orphan]) -> str:
    """One line for the user, e.g. for the TUI on start."""
    total = sum(o.count for o in orphans)
    return (f"{total} tag(s) use {len(orphans)} label(s) not in codebook {book.id} {book.version}; "
            f"they are kept (see `annotator codebook orphans`)")
