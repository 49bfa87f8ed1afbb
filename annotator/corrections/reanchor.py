"""Carrying tags to a corrected text: each tag's quote is found again in the new text as a
W3C TextQuoteSelector is (quote, prefix, suffix), never by its old offsets alone:

1. *exact*: the quote occurs once in the new text (at whole characters: never inside an
   emoji sequence or before a combining mark that belongs to its last letter), and some of
   its context is still next to it (:data:`MIN_AGREEMENT` characters of prefix and suffix
   together; a word kept only in another sentence is not the tagged one);
2. *context*: it occurs several times, and its prefix and suffix fit one occurrence better
   than every other (the characters next to it that agree with them, counted);
3. *fuzzy*: it no longer occurs (words inside it were changed); the span between where
   its prefix ends and its suffix begins is taken when only one such place exists and
   what it holds is still like the quote (:data:`FUZZY_RATIO`).

A tag none of these places unambiguously is *stranded*: left on the old version and listed
(``annotator stranded``), never put on a guessed place. Offsets are Python code points."""

from __future__ import annotations

import difflib
import json
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..models import Annotation
    from ..store import Store

# Characters of its prefix and suffix (together) that must still be next to a quote found again.
MIN_AGREEMENT = 4
_REGIONAL = range(0x1F1E6, 0x1F200)  # regional indicator letters
# How like the quote (difflib's ratio, 0 to 1) the text between prefix and suffix must be.
FUZZY_RATIO = 0.7
# The shortest end of a prefix (start of a suffix) looked for when the whole one is not found.
MIN_CONTEXT = 8
# How much longer than the quote the fuzzy span may be (characters, besides twice its length).
FUZZY_SLACK = 32


@dataclass(frozen=True)
class Anchor:
    """Where a quote was found again, and how (``exact``, ``context``, ``fuzzy``)."""

    start: int
    end: int
    method: str


@dataclass(frozen=True)
class Stranded:
    """Why a quote could not be placed in the new text."""

    reason: str


def _joined(text: str, index: int) -> bool:
    """True when a boundary at ``index`` would split a character as the reader sees it: a
    combining mark, a zero-width joiner or a variation selector right after it, or a joiner before."""
    if 0 < index < len(text):
        after, before = text[index], text[index - 1]
        if unicodedata.combining(after) or unicodedata.category(after) in ("Mn", "Me"):
            return True
        if after in "\u200d\ufe0e\ufe0f" or before == "\u200d" or "\U0001f3fb" <= after <= "\U0001f3ff":
            return True
        if _REGIONAL.start <= ord(after) < _REGIONAL.stop:  # two regional indicators make one flag
            run = 0
            while index - run > 0 and ord(text[index - run - 1]) in _REGIONAL:
                run += 1
            return run % 2 == 1
    return False


def occurrences(text: str, quote: str) -> list[int]:
    """Every start of ``quote`` in ``text`` (overlapping ones too) whose ends fall between whole characters."""
    found: list[int] = []
    start = text.find(quote)
    while start != -1:
        if not _joined(text, start) and not _joined(text, start + len(quote)):
            found.append(start)
        start = text.find(quote, start + 1)
    return found


def _common_tail(a: str, b: str) -> int:
    """How many characters at the end of ``a`` and ``b`` agree."""
    count = 0
    for x, y in zip(reversed(a), reversed(b)):
        if x != y:
            break
        count += 1
    return count


def _common_head(a: str, b: str) -> int:
    """How many characters at the start of ``a`` and ``b`` agree."""
    count = 0
    for x, y in zip(a, b):
        if x != y:
            break
        count += 1
    return count


def context_score(text: str, start: int, end: int, prefix: str, suffix: str) -> int:
    """How many characters next to ``text[start:end]`` agree with the prefix before it and the suffix after it."""
    return (_common_tail(text[max(0, start - len(prefix)):start], prefix)
            + _common_head(text[end:end + len(suffix)], suffix))


def _ends_of(text: str, piece: str) -> list[int]:
    """Where each occurrence of ``piece`` ends (the whole text's start for an empty piece)."""
    return [0] if not piece else [i + len(piece) for i in occurrences(text, piece)]


def _sizes(piece: str) -> list[int]:
    """The lengths of context tried: the whole piece, then shorter ends of it (at least :data:`MIN_CONTEXT`)."""
    return list(dict.fromkeys(min(len(piece), size) for size in (len(piece), 16, MIN_CONTEXT)))


def _fuzzy(text: str, quote: str, prefix: str, suffix: str) -> Anchor | Stranded:
    """The span between the prefix and the suffix, when one place holds them and it is like the quote."""
    limit = 2 * len(quote) + FUZZY_SLACK
    for prefix_size in _sizes(prefix):
        starts = _ends_of(text, prefix[len(prefix) - prefix_size:])
        for suffix_size in _sizes(suffix):
            head = suffix[:suffix_size]
            places = set()
            for start in starts:
                if head:
                    stop = text.find(head, start, start + limit + len(head))
                else:  # the tag ended the old text: the span runs to the new text's end
                    stop = len(text) if len(text) - start <= limit else -1
                if stop > start:
                    places.add((start, stop))
            good = sorted((s, e) for s, e in places
                          if difflib.SequenceMatcher(None, quote, text[s:e], autojunk=False).ratio() >= FUZZY_RATIO)
            if len(good) == 1:
                start, end = good[0]
                if _joined(text, start) or _joined(text, end):
                    return Stranded("its context was found, but not at whole characters")
                return Anchor(start, end, "fuzzy")
            if len(good) > 1:
                return Stranded(f"its quote is gone and {len(good)} places between its prefix and suffix "
                                "hold text like it")
    return Stranded("its quote is not in the new text, and no place between its prefix and suffix holds "
                    "text like it")


def reanchor(text: str, quote: str, prefix: str | None = None, suffix: str | None = None) -> Anchor | Stranded:
    """Where ``quote`` (with the ``prefix`` and ``suffix`` it had) is in the new ``text``, or why it is not placed."""
    prefix, suffix = prefix or "", suffix or ""
    if not quote:
        return Stranded("the tag quotes no text")
    found = occurrences(text, quote)
    if not found:
        return _fuzzy(text, quote, prefix, suffix)
    needed = min(MIN_AGREEMENT, len(prefix) + len(suffix))
    scores = sorted(((context_score(text, s, s + len(quote), prefix, suffix), s) for s in found), reverse=True)
    best, start = scores[0]
    if best < needed:
        return Stranded("its quote is in the new text only where its context is not" if len(found) == 1 else
                        f"its quote is in the new text {len(found)} times, none of them in its context")
    if len(found) == 1:
        return Anchor(start, start + len(quote), "exact")
    if best > scores[1][0]:
        return Anchor(start, start + len(quote), "context")
    return Stranded(f"its quote is in the new text {len(found)} times and its context does not tell which")


@dataclass
class Carried:
    """What carrying the tags of one article to its new version did."""

    moved: int = 0
    stranded: int = 0


def plan_moves(text: str, tags: list[Annotation]) -> list:
    """A :class:`annotator.store.PlannedMove` per tag: its new place in ``text``, or why it has none."""
    from ..store import PlannedMove

    plans = []
    for tag in tags:
        if tag.start is None or tag.end is None:  # answers and notes on the whole article go as they are
            plans.append(PlannedMove(tag.uuid, tag.updated, None, None, method="article"))
            continue
        found = reanchor(text, tag.quote or "", tag.prefix, tag.suffix)
        if isinstance(found, Anchor):
            plans.append(PlannedMove(tag.uuid, tag.updated, tag.start, tag.end, found.start, found.end, found.method))
        else:
            plans.append(PlannedMove(tag.uuid, tag.updated, tag.start, tag.end, reason=found.reason))
    return plans


def carry_to_new_version(store: Store, old_id: str, new_id: str, who: str | None, source: str) -> Carried:
    """Carry the live tags (and answers and notes) of article ``old_id`` to its new version
    ``new_id`` where their quotes are found again, and the corrections made to the old
    version's facts (a user's correction wins over the file's value). The work is read and
    decided outside the write transaction; the moves are written in one short transaction."""
    edited = store.edited_fields(old_id)
    if edited:
        values = {name: (json.loads(value) if name == "unverified" and value else value)
                  for name, value in edited.items()}
        store.edit_article(new_id, values, who, f"{source} (corrections of {old_id} kept)")
    tags = store.annotations(old_id)
    if not tags:
        return Carried()
    new = store.article(new_id)
    if new is None:
        return Carried()
    moved, stranded = store.apply_tag_moves(old_id, new_id, plan_moves(new.text, tags), who, source)
    return Carried(moved, stranded)


def carry_tags(store: Store, report, since: int = 0) -> None:
    """After an import wrote a file: carry the tags of each article it gave a new version
    (``report.new_versions[since:]``) to that version, counting them in ``report.tags_moved``
    and ``report.tags_stranded``; an article whose tags cannot be written (the database
    locked for a minute) keeps them on its old version, with a note in the report."""
    from ..store import SQLiteError, StoreError

    for where, new_id, old_id in report.new_versions[since:]:
        try:
            carried = carry_to_new_version(store, old_id, new_id, store.actor, f"import {where}")
        except (SQLiteError, StoreError) as exc:
            report.notes.append((where, f"the tags of {old_id} stay on it: they could not be carried to {new_id} "
                                        f"({exc})"))
            continue
        report.tags_moved += carried.moved
        report.tags_stranded += carried.stranded
