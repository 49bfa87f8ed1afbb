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
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from ..codebook import Case, Codebook, Kind
from ..pattern_safety import sre, sre_parse
from .context import DATED_NOTE, ProperNames, Rule, compile_rules, dated_why, first_rule
from .terms import APOSTROPHES, HYPHEN_CHARS, expand_term, term_regex
from .voice import sentence_bounds, voice_and_cue

_JOINERS = "\u200c\u200d"  # zero-width (non-)joiners belong to the characters around them


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
    source: str = ""  # the variant and the term or pattern that matched
    cues: tuple[str, ...] = ()  # what in the context decided it: the rule, the voice cue, the date
    notes: tuple[str, ...] = ()  # e.g. "dated-usage": ordinary usage at the article's date

    @property
    def why(self) -> str:
        """What made it, in one line: the term or pattern, then the cues."""
        return "; ".join(part for part in (self.source, *self.cues) if part)

    def as_dict(self) -> dict:
        out = asdict(self)
        del out["source"], out["cues"], out["notes"]
        out["why"], out["notes"] = self.why, list(self.notes)  # (in this order, as suggest --json has written them)
        return out


@dataclass(frozen=True)
class _Entry:
    category: str
    concept: str
    variant: str
    alignment: str
    label: str
    source: str  # the variant's name and the term or pattern that matched
    rules: tuple[Rule, ...] = ()
    dated: tuple[tuple[str, str], ...] = ()

    @property
    def key(self) -> tuple[str, str, str]:
        """The variant: what a proper name is indexed by."""
        return (self.category, self.concept, self.variant)


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

    Terms are grouped by their first two letters (case-folded; the first alone when the
    second is not a letter), and each group is tried only where a word starting with
    them begins, so the cost grows with the words in the text, not with words times terms."""

    def __init__(self, codebook: Codebook, outlets: Iterable = ()):
        """``outlets``: the registry's outlets; a match inside one's name or alias is not usage."""
        self.codebook = codebook
        alternatives: list[tuple[int, str, str, _Entry]] = []  # (length, term, regex, entry)
        patterns: list[tuple[str, _Entry]] = []
        for category in codebook.categories:
            if category.kind is not Kind.span:
                continue
            for concept in category.lexicon:
                for variant in concept.variants:
                    rules = compile_rules(variant.context)
                    dated = tuple((d.before, d.why) for d in variant.dated)
                    name = variant.name or variant.id

                    def entry(source: str) -> _Entry:
                        return _Entry(category.id, concept.concept, variant.id, variant.alignment, variant.label,
                                      f"{name}: {source}", rules, dated)

                    scope = "(?:" if variant.case is Case.sensitive else "(?i:"
                    for term in variant.terms:
                        found_by = entry(f"term \u201c{term.strip()}\u201d")
                        for phrase in expand_term(term):
                            alternatives.append((len(phrase), phrase, f"{scope}{term_regex(phrase)})", found_by))
                    for pattern in variant.patterns:
                        patterns.append((f"{scope}{pattern})", entry("pattern")))
        alternatives.sort(key=lambda a: -a[0])  # longest terms first: longest wins at one start
        grouped: dict[str, list[tuple[int, str, _Entry]]] = {}
        anywhere: list[tuple[int, str, _Entry]] = []  # terms starting with an apostrophe or hyphen
        for rank, (_, term, regex, entry) in enumerate(alternatives, start=1):
            first = term[0]
            if first in APOSTROPHES or first in HYPHEN_CHARS or len(first.lower()) != 1:
                anywhere.append((rank, regex, entry))
            else:
                two = term[:2].lower()
                key = two if len(two) == 2 and term[1].isalpha() and len(term[1].lower()) == 1 else first.lower()
                grouped.setdefault(key, []).append((rank, regex, entry))
        self._groups = {key: _Group(items) for key, items in grouped.items()}
        self._short_keys = any(len(key) == 1 for key in self._groups)
        # where a group may match: a word whose first letters may start a key (the regex engine
        # skips the other words, so Python sees only the places worth trying)
        firsts = "".join(re.escape(k) for k in sorted({key[0] for key in self._groups}) if k.isalnum() or k == "_")
        seconds = "".join(re.escape(k) for k in sorted({key[1] for key in self._groups if len(key) == 2}))
        other_keys = "".join(re.escape(k) for k in sorted({key[0] for key in self._groups}) if not (k.isalnum() or k == "_"))
        second = f"(?=[{seconds}])" if seconds and not self._short_keys else ""
        starts = [f"(?<!\\w)[{firsts}]{second}" if firsts else "", f"[{other_keys}]" if other_keys else ""]
        self._starts = re.compile("|".join(p for p in starts if p), re.IGNORECASE) if self._groups else None
        # Tried at every position (a look-ahead), so none hides a later match.
        self._anywhere = _Group(anywhere) if anywhere else None
        self._anywhere_regex = re.compile(f"(?=(?:{self._anywhere.regex.pattern}))") if anywhere else None
        self._rank_after_terms = len(alternatives) + 1
        # each with a word it cannot match without ("" if none), to skip texts without it
        self._patterns = [(re.compile(p), e, required_word(p)) for p, e in patterns]
        names = list(codebook.proper_names)
        for outlet in outlets:  # only names holding a lexicon match matter
            names.extend(n for n in (outlet.name, *outlet.aliases) if n and self._candidates(n))
        self._names = ProperNames(names, lambda phrase: [entry.key for *_, entry in self._candidates(phrase)])

    def find(self, text: str, published: object = None) -> list[Suggestion]:
        """All suggestions in ``text``, in order, never overlapping. ``published``: the article's
        date as written (YYYY[-MM[-DD]]...), for the variants' ``dated`` rules."""
        chosen: list[Suggestion] = []
        last_end = -1
        for start, negative_length, _, entry in self._candidates(text):
            end = start - negative_length
            if start < last_end or _splits_a_word(text, start, end) or self._names.holds(text, start, end, entry.key):
                continue
            suggestion = _suggest(text, start, end, entry, published)
            if suggestion is not None:
                chosen.append(suggestion)
                last_end = end
        return chosen

    def _candidates(self, text: str) -> list[tuple[int, int, int, _Entry]]:
        """Every match of every term and pattern: (start, -length, rank, entry), leftmost and longest first."""
        candidates: list[tuple[int, int, int, _Entry]] = []  # (start, -length, rank, entry)
        if self._starts is not None:
            groups, short_keys = self._groups, self._short_keys
            for found in self._starts.finditer(text):
                position = found.start()
                for group in (groups.get(text[position:position + 2].lower()),
                              groups.get(text[position].lower()) if short_keys else None):
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
        lowered = text.lower() if self._patterns else ""
        for rank, (regex, entry, required) in enumerate(self._patterns, start=self._rank_after_terms):
            if required and required not in lowered:
                continue
            spanned = "span" in regex.groupindex  # a group named "span" is the suggestion; the rest is context
            for match in regex.finditer(text):
                start, end = match.span("span") if spanned else match.span()
                if end > start:
                    candidates.append((start, start - end, rank, entry))
        candidates.sort(key=lambda c: c[:3])  # leftmost, then longest, then codebook order
        return candidates


REQUIRED_WORD = 4  # the shortest literal worth looking for before running a pattern


def required_word(pattern: str) -> str:
    """The longest run of literal characters (lower case, at least :data:`REQUIRED_WORD`) that
    every match of ``pattern`` holds, or "" when it has none (alternatives, optional parts and
    look-arounds are not looked into)."""
    best, run = "", []

    def walk(items) -> None:  # type: ignore[no-untyped-def]
        nonlocal run
        for op, av in items:
            if op is sre.LITERAL:
                run.append(chr(av))
                continue
            if op is sre.SUBPATTERN:
                walk(av[-1])
                continue
            if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
                continue  # zero-width: the run goes on
            if op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and av[0] >= 1 and av[0] == av[1]:
                walk(av[2])  # an exact repetition, as in x{1}
                continue
            keep()
            run = []

    def keep() -> None:
        nonlocal best
        word = "".join(run).lower()
        if len(word) > len(best) and len(word) >= REQUIRED_WORD and len(word) == len("".join(run)):
            best = word

    walk(sre_parse.parse(pattern))
    keep()
    return best


def _suggest(text: str, start: int, end: int, entry: _Entry, published: object) -> Suggestion | None:
    """The suggestion a match makes once its context is read, or None if a rule skips it."""
    label, alignment, cues = entry.label, entry.alignment, []
    bounds = sentence_bounds(text, start, end)  # read once, by the rules and the voice
    rule = first_rule(entry.rules, text, start, end, published, bounds)
    if rule is not None:
        if rule.then == "skip":
            return None
        if rule.then == "relabel":
            label, alignment = rule.label or label, rule.alignment or alignment
        cues.append(rule.why)
    voice, cue = voice_and_cue(text, start, end, bounds)
    if cue:
        cues.append(f"{voice}, {cue}")  # quoted, reported speech ("said")
    notes: tuple[str, ...] = ()
    dated = dated_why(entry.dated, published) if entry.dated else None
    if dated:
        cues.append(dated)
        notes = (DATED_NOTE,)
    return Suggestion(start, end, text[start:end], entry.category, entry.concept, entry.variant, alignment, label,
                      voice, entry.source, tuple(cues), notes)
