"""Lexicon suggestions: find a codebook's term variants in an article's canonical text.

Terms are matched with Unicode word boundaries, the codebook's case rule,
straight and curly apostrophes (so possessives like "Kiev’s" match "Kiev"),
and hyphen/space variants ("full-scale", "full scale", "full‑scale"). Among
overlapping matches the leftmost wins, and at the same start the longest
("Kiev regime" over "Kiev"); no text is counted twice. Offsets are code-point
offsets, so ``text[start:end] == suggestion.text`` always.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from .codebook import Case, Codebook, Kind

_APOSTROPHES = "'\u2019\u2018\u02bc"
_HYPHENS = "\\-\u2010\u2011\u2012\u2013"
_SPACE = rf"(?:\s+|\s*[{_HYPHENS}]\s*)"  # a space in a term: spaces or a hyphen
_HYPHEN = rf"(?:\s*[{_HYPHENS}]\s*|\s+)?"  # a hyphen in a term: a hyphen, spaces or nothing
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
    out: list[str] = []
    for ch in term.strip():
        if ch.isspace():
            if not out or out[-1] != _SPACE:
                out.append(_SPACE)
        elif ch in _APOSTROPHES:
            out.append(f"[{_APOSTROPHES}]")
        elif ch in "-\u2010\u2011\u2012\u2013":
            out.append(_HYPHEN)
        else:
            out.append(re.escape(ch))
    body = "".join(out)
    first, last = term.strip()[0], term.strip()[-1]
    before = r"(?<!\w)" if (first.isalnum() or first == "_") else ""
    after = r"(?!\w)" if (last.isalnum() or last == "_") else ""
    return before + body + after


class Matcher:
    """Compiled lexicon of one codebook. Build once, call :meth:`find` per article."""

    def __init__(self, codebook: Codebook):
        self.codebook = codebook
        alternatives: list[tuple[int, str, _Entry]] = []  # (sort length, regex, entry)
        patterns: list[tuple[str, _Entry]] = []
        for category in codebook.categories:
            if category.kind is not Kind.span:
                continue
            for concept in category.lexicon:
                for variant in concept.variants:
                    entry = _Entry(category.id, concept.concept, variant.id, variant.alignment, variant.label)
                    scope = "(?:" if variant.case is Case.sensitive else "(?i:"
                    for term in variant.terms:
                        alternatives.append((len(term), f"{scope}{term_regex(term)})", entry))
                    for pattern in variant.patterns:
                        patterns.append((f"{scope}{pattern})", entry))
        alternatives.sort(key=lambda a: -a[0])  # longest terms first: longest wins at one start
        self._entries: list[_Entry] = [entry for _, _, entry in alternatives]
        self._terms = re.compile("|".join(f"({regex})" for _, regex, _ in alternatives)) if alternatives else None
        self._patterns = [(re.compile(p), e) for p, e in patterns]

    def find(self, text: str) -> list[Suggestion]:
        """All suggestions in ``text``, in order, never overlapping."""
        candidates: list[tuple[int, int, _Entry]] = []
        if self._terms is not None:
            for match in self._terms.finditer(text):
                if match.end() > match.start():
                    candidates.append((match.start(), match.end(), self._entries[match.lastindex - 1]))
        for regex, entry in self._patterns:
            for match in regex.finditer(text):
                if match.end() > match.start():
                    candidates.append((match.start(), match.end(), entry))
        if self._patterns:
            candidates.sort(key=lambda c: (c[0], c[0] - c[1]))
        chosen: list[Suggestion] = []
        last_end = -1
        for start, end, entry in candidates:
            if start < last_end:
                continue
            chosen.append(Suggestion(start, end, text[start:end], entry.category, entry.concept, entry.variant,
                                     entry.alignment, entry.label, guess_voice(text, start, end)))
            last_end = end
        return chosen


def guess_voice(text: str, start: int, end: int) -> str:
    """``scare-quoted`` when quote marks wrap just the term or "so-called" precedes it,
    ``quoted`` when the term sits inside a longer quotation, else ``own``."""
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    if before in _OPEN_QUOTES and after in _CLOSE_QUOTES:
        return "scare-quoted"
    if re.search(r"so[\s-]called\s+$", text[max(0, start - 12) : start], re.I):
        return "scare-quoted"
    paragraph_start = text.rfind("\n", 0, start) + 1
    head = text[paragraph_start:start]
    opened = head.count("\u201c") - head.count("\u201d") + head.count("\u00ab") - head.count("\u00bb")
    if opened > 0 or head.count('"') % 2 == 1:
        return "quoted"
    return "own"
