"""Lexicon patterns that could take exponential time are refused before they run.

A regular expression backtracks catastrophically when a part it repeats many times can
match the same text in more than one way: ``(a|aa)+b`` or ``(a+)+b`` on a long run of
``a`` tries every way of splitting it (seconds at 30 letters, doubling with each one).
:func:`backtracking_risk` finds such parts in the parsed pattern: a repetition of more
than :data:`FEW` rounds that holds another variable repetition, or alternatives that
can start with the same character (or match nothing). It errs on the side of refusing;
a refused pattern can be written without the ambiguity (``a+b``) or as lexicon terms.
"""

from __future__ import annotations

try:  # Python 3.11+
    from re import _constants as sre
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover
    import sre_constants as sre  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

# \\s, \\w and \\d in a first-character set, as markers: \\s meets neither \\w nor \\d, \\d is part of \\w
_CATEGORIES = {sre.CATEGORY_SPACE: "<space>", sre.CATEGORY_WORD: "<word>", sre.CATEGORY_DIGIT: "<digit>"}
FEW = 4  # a repetition of at most this many rounds ({0,3}) cannot grow exponentially with the text
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT)
_ANY = None  # a first-character set that may hold any character (or nothing)


def backtracking_risk(pattern: str) -> str | None:
    """What makes ``pattern`` (a valid regular expression) risk exponential time, or None."""
    return _walk(sre_parse.parse(pattern), repeated=False)


# Unbounded repetitions side by side that can take the same characters: with this many, a run of
# such characters costs time as its length to this power (two, as in \\d+\\w+, stay quadratic)
MEETING = 3


def _adjacent(items) -> str | None:  # type: ignore[no-untyped-def]
    """Two unbounded repetitions side by side (nothing but optional parts between them) that
    can match the same characters: ``\\s*\\s*x`` tries every split of a run of spaces, time
    growing as a power of its length with each more repetition."""
    run: list = []  # the first-character sets of the unbounded repetitions that meet so far
    for op, av in items:
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            continue
        if op in _REPEATS:
            low, high, body = av
            if high == sre.MAXREPEAT or high > FEW:
                first = _first_characters(body)
                if run and (run[-1] is _ANY or first is _ANY or _meet(first, run[-1])):
                    run.append(first)
                    if len(run) >= MEETING:
                        return "repetitions side by side that can match the same text, as in \\s*\\s*\\s*"
                else:
                    run = [first]
                continue
            if low == 0:
                continue  # optional: the repetitions around it still meet
        run = []
    return None


def _walk(items, repeated: bool) -> str | None:  # type: ignore[no-untyped-def]
    if problem := _adjacent(items):
        return problem
    for op, av in items:
        if op in _REPEATS:
            low, high, body = av
            if repeated and high != low:
                return "a repetition inside a repetition, as in (a+)+"
            many = high == sre.MAXREPEAT or high > FEW
            problem = _walk(body, repeated or many)
            if problem:
                return problem
        elif op is sre.BRANCH:
            alternatives = av[1]
            if repeated and _overlapping(alternatives):
                return "repeated alternatives that can match the same text, as in (a|aa)+"
            for alternative in alternatives:
                if problem := _walk(alternative, repeated):
                    return problem
        elif op is sre.SUBPATTERN:
            if problem := _walk(av[-1], repeated):
                return problem
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            if problem := _walk(av[1], repeated):
                return problem
        elif op is sre.GROUPREF_EXISTS:
            for branch in av[1:]:
                if branch is not None and (problem := _walk(branch, repeated)):
                    return problem
    return None


def _overlapping(alternatives) -> bool:  # type: ignore[no-untyped-def]
    seen: set[str] = set()
    for alternative in alternatives:
        first = _first_characters(alternative)
        if first is _ANY or _meet(first, seen):
            return True
        seen |= first
    return False


def _meet(a: set[str], b: set[str]) -> bool:
    """Can a character be in both first-character sets (markers of \\s, \\w, \\d included)?"""
    if a & b:
        return True
    for one, other in ((a, b), (b, a)):
        for marker in one & set(_CATEGORIES.values()):
            for item in other:
                if marker == "<space>" and (item.isspace()):
                    return True
                if marker == "<word>" and (item == "<digit>" or item == "_" or (len(item) == 1 and item.isalnum())):
                    return True
                if marker == "<digit>" and len(item) == 1 and item.isdigit():
                    return True
    return False


def _first_characters(items) -> set[str] | None:  # type: ignore[no-untyped-def]
    """The characters a match of ``items`` can start with (case-folded), or None when that
    is not simply known or the match may be empty."""
    for op, av in items:
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            continue  # anchors and look-arounds take no character
        if op is sre.LITERAL:
            return {chr(av).casefold()}
        if op is sre.SUBPATTERN:
            return _first_characters(av[-1])
        if op is sre.IN:
            chars: set[str] = set()
            for kind, value in av:
                if kind is sre.LITERAL:
                    chars.add(chr(value).casefold())
                elif kind is sre.RANGE and value[1] - value[0] < 256:
                    chars.update(chr(c).casefold() for c in range(value[0], value[1] + 1))
                elif kind is sre.CATEGORY and value in _CATEGORIES:
                    chars.add(_CATEGORIES[value])
                else:
                    return _ANY
            return chars
        if op in _REPEATS and av[0] > 0:
            return _first_characters(av[2])
        return _ANY
    return _ANY  # it may match nothing
