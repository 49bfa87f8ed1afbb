"""Lexicon suggestions: find a codebook's term variants in an article's canonical text.

Terms are matched with Unicode word boundaries, the codebook's case rule,
straight and curly apostrophes (so possessives like "Kiev’s" match "Kiev"),
and hyphen/space variants ("full-scale", "full scale", "fullscale",
"full‑scale"; a space in a term also matches a line break, but never a blank
line). A match never starts or ends inside a word or a grapheme cluster: not
in "Kievan", and not before a combining mark or a zero-width joiner.

Every term and pattern is tried at every position; among overlapping matches
the leftmost wins, and at the same start the longest ("Kiev regime" over
"Kiev", "full-scale invasion" over "invasion"); no text is counted twice.
Offsets are code-point offsets, so ``text[start:end] == suggestion.text``
always.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass

from .codebook import Case, Codebook, Kind

_APOSTROPHES = "'\u2019\u2018\u02bc"
_HYPHEN_CHARS = "-\u2010\u2011\u2012\u2013"
_HYPHENS = "\\-\u2010\u2011\u2012\u2013"
_GAP = r"[^\S\n]*(?:\n[^\S\n]*)?"  # optional white space holding at most one line break
_BLANKS = r"(?:[^\S\n]+(?:\n[^\S\n]*)?|\n[^\S\n]*)"  # the same, but not empty
_SPACE = rf"(?:{_GAP}[{_HYPHENS}]{_GAP}|{_BLANKS})"  # a space in a term: spaces or a hyphen
_HYPHEN = rf"{_SPACE}?"  # a hyphen in a term: a hyphen, spaces or nothing
_JOINERS = "\u200c\u200d"  # zero-width (non-)joiners belong to the characters around them
_OPEN_QUOTES = "\"\u201c\u2018'\u00ab"
_CLOSE_QUOTES = "\"\u201d\u2019'\u00bb"


@dataclass(frozen=True)
class Suggestion:
    """A lexicon match: where it is, what it is, and the tag accepting it would make."""

    start: int
    end: int
    text: str
    category: str
    concept: str
    variant: str
    alignment: str
    label: str
    voice: str

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class _Entry:
    category: str
    concept: str
    variant: str
    alignment: str
    label: str


def term_regex(term: str) -> str:
    """The regular expression a lexicon term stands for (see the module docstring)."""
    term = term.strip()
    out: list[str] = []
    for run in re.findall(rf"[\s{_HYPHENS}]+|.", term, flags=re.S):
        if run[0].isspace() or run[0] in _HYPHEN_CHARS:
            # a run of spaces needs a separator; any run holding a hyphen makes it optional
            out.append(_HYPHEN if any(ch in _HYPHEN_CHARS for ch in run) else _SPACE)
        elif run in _APOSTROPHES:
            out.append(f"[{_APOSTROPHES}]")
        else:
            out.append(re.escape(run))
    body = "".join(out)
    first, last = term[0], term[-1]
    before = r"(?<!\w)" if (first.isalnum() or first == "_") else ""
    # U+02BC (a letter to Unicode, so \w) is an apostrophe here: "Kievʼs" holds "Kiev"
    after = r"(?!(?!\u02bc)\w)" if (last.isalnum() or last == "_") else ""
    return before + body + after


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch).startswith("M") or ch in _JOINERS


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _splits_a_word(text: str, start: int, end: int) -> bool:
    """True if ``text[start:end]`` cuts a grapheme cluster or starts/ends inside a word
    that combining marks or joiners hold together (what ``\\w`` boundaries miss)."""
    if _is_mark(text[start]) or (end < len(text) and _is_mark(text[end])):
        return True
    if start > 0 and text[start - 1] in _JOINERS:
        return True
    if _is_word(text[start]) and start > 0 and _is_mark(text[start - 1]):
        i = start - 1
        while i > 0 and _is_mark(text[i]):
            i -= 1
        if _is_word(text[i]):
            return True
    return False


class _Group:
    """Terms tried at one position: an alternation, longest term first."""

    def __init__(self, items: list[tuple[int, str, _Entry]]):
        self.ranks = [rank for rank, _, _ in items]
        self.entries = [entry for _, _, entry in items]
        self.regex = re.compile("|".join(f"({regex})" for _, regex, _ in items))


class Matcher:
    """Compiled lexicon of one codebook. Build once, call :meth:`find` per article.

    Terms are grouped by their first letter (case-folded), and each group is tried
    only where a word starting with that letter begins, so the cost grows with the
    words in the text, not with words times terms."""

    def __init__(self, codebook: Codebook):
        self.codebook = codebook
        alternatives: list[tuple[int, str, str, _Entry]] = []  # (length, term, regex, entry)
        patterns: list[tuple[str, _Entry]] = []
        for category in codebook.categories:
            if category.kind is not Kind.span:
                continue
            for concept in category.lexicon:
                for variant in concept.variants:
                    entry = _Entry(category.id, concept.concept, variant.id, variant.alignment, variant.label)
                    scope = "(?:" if variant.case is Case.sensitive else "(?i:"
                    for term in variant.terms:
                        alternatives.append((len(term), term.strip(), f"{scope}{term_regex(term)})", entry))
                    for pattern in variant.patterns:
                        patterns.append((f"{scope}{pattern})", entry))
        alternatives.sort(key=lambda a: -a[0])  # longest terms first: longest wins at one start
        grouped: dict[str, list[tuple[int, str, _Entry]]] = {}
        anywhere: list[tuple[int, str, _Entry]] = []  # terms starting with an apostrophe or hyphen
        for rank, (_, term, regex, entry) in enumerate(alternatives, start=1):
            first = term[0]
            if first in _APOSTROPHES or first in _HYPHEN_CHARS or len(first.lower()) != 1:
                anywhere.append((rank, regex, entry))
            else:
                grouped.setdefault(first.lower(), []).append((rank, regex, entry))
        self._groups = {key: _Group(items) for key, items in grouped.items()}
        word_keys = "".join(re.escape(k) for k in self._groups if k.isalnum() or k == "_")
        other_keys = "".join(re.escape(k) for k in self._groups if not (k.isalnum() or k == "_"))
        starts = [f"(?<!\\w)[{word_keys}]" if word_keys else "", f"[{other_keys}]" if other_keys else ""]
        self._starts = re.compile("|".join(p for p in starts if p), re.IGNORECASE) if self._groups else None
        # Tried at every position (a look-ahead), so none hides a later match.
        self._anywhere = _Group(anywhere) if anywhere else None
        self._anywhere_regex = re.compile(f"(?=(?:{self._anywhere.regex.pattern}))") if anywhere else None
        self._rank_after_terms = len(alternatives) + 1
        self._patterns = [(re.compile(p), e) for p, e in patterns]

    def find(self, text: str) -> list[Suggestion]:
        """All suggestions in ``text``, in order, never overlapping."""
        candidates: list[tuple[int, int, int, _Entry]] = []  # (start, -length, rank, entry)
        if self._starts is not None:
            groups = self._groups
            for found in self._starts.finditer(text):
                position = found.start()
                group = groups.get(text[position].lower())
                match = group.regex.match(text, position) if group else None
                if match and match.end() > position:
                    index = match.lastindex - 1
                    candidates.append((position, position - match.end(), group.ranks[index], group.entries[index]))
        if self._anywhere_regex is not None:
            group = self._anywhere
            for match in self._anywhere_regex.finditer(text):
                start, end = match.span(match.lastindex)
                if end > start:
                    index = match.lastindex - 1
                    candidates.append((start, start - end, group.ranks[index], group.entries[index]))
        for rank, (regex, entry) in enumerate(self._patterns, start=self._rank_after_terms):
            for match in regex.finditer(text):
                if match.end() > match.start():
                    candidates.append((match.start(), match.start() - match.end(), rank, entry))
        candidates.sort(key=lambda c: c[:3])  # leftmost, then longest, then codebook order
        chosen: list[Suggestion] = []
        last_end = -1
        for start, negative_length, _, entry in candidates:
            end = start - negative_length
            if start < last_end or _splits_a_word(text, start, end):
                continue
            chosen.append(Suggestion(start, end, text[start:end], entry.category, entry.concept, entry.variant,
                                     entry.alignment, entry.label, guess_voice(text, start, end)))
            last_end = end
        return chosen


_QUOTE_LOOKBACK = 2000  # characters looked back for an open quotation


def guess_voice(text: str, start: int, end: int) -> str:
    """``scare-quoted`` when quote marks wrap just the term or "so-called" precedes it,
    ``quoted`` when the term sits inside a longer quotation, else ``own``."""
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    possessive = end + 1 < len(text) and text[end + 1].isalnum()  # Kiev’s: an apostrophe, not a closing quote
    if before and after and before in _OPEN_QUOTES and after in _CLOSE_QUOTES and not possessive:
        return "scare-quoted"
    if re.search(r"so[\s-]called\s+$", text[max(0, start - 12) : start], re.I):
        return "scare-quoted"
    window = max(0, start - _QUOTE_LOOKBACK)  # bounded: a 2 MB one-paragraph text stays linear
    newline = text.rfind("\n", window, start)
    head = text[newline + 1 if newline >= 0 else window : start]
    opened = head.count("\u201c") - head.count("\u201d") + head.count("\u00ab") - head.count("\u00bb")
    if opened > 0 or head.count('"') % 2 == 1:
        return "quoted"
    return "own"
