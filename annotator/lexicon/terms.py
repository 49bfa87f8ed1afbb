"""Lexicon terms: the short syntax a codebook writes them in, and the regular expression each stands for.

A term is words as written ("Kiev regime"), with three additions so that a codebook
need not list every form by hand:

* ``word~``: every English word form of ``word`` (``join~`` = join, joins, joined,
  joining; ``referendum~`` = referendum, referendums, referenda), from the lemminflect
  word lists (:mod:`.word_forms`), plus the word itself;
* ``[words]``: optional words (``join~ [the] Russian Federation``);
* ``{a|b c|d}``: one of several words or phrases (``{join~|reunite~ with} Russia``).

A term stands for every phrase it spells out (at most :data:`MAX_FORMS`); each phrase
matches with word boundaries, either apostrophe and hyphen/space variants (see
:func:`term_regex`).
"""

from __future__ import annotations

import itertools
import re

from .word_forms import FORMS_PER_WORD, word_forms

MAX_FORMS = 512  # phrases one term may spell out; more is an error in the codebook

APOSTROPHES = "'\u2019\u2018\u02bc"
HYPHEN_CHARS = "-\u2010\u2011\u2012\u2013"
_HYPHENS = "\\-\u2010\u2011\u2012\u2013"
_GAP = r"[^\S\n]*(?:\n[^\S\n]*)?"  # optional white space holding at most one line break
_BLANKS = r"(?:[^\S\n]+(?:\n[^\S\n]*)?|\n[^\S\n]*)"  # the same, but not empty
_SPACE = rf"(?:{_GAP}[{_HYPHENS}]{_GAP}|{_BLANKS})"  # a space in a term: spaces or a hyphen
_HYPHEN = rf"{_SPACE}?"  # a hyphen in a term: a hyphen, spaces or nothing
OPEN_QUOTES = "\"\u201c\u2018'\u00ab"
CLOSE_QUOTES = "\"\u201d\u2019'\u00bb"
# between two words a quote mark may close or open: 'Sham' referendums, the “reunification” with Russia
_WORD_SPACE = rf"[{re.escape(CLOSE_QUOTES)}]?{_SPACE}[{re.escape(OPEN_QUOTES)}]?"
_SYNTAX = set("~[]{}|")


class TermSyntaxError(ValueError):
    """A term whose brackets, braces or ``~`` cannot be read."""


def term_regex(term: str) -> str:
    """The regular expression one spelled-out lexicon phrase stands for: word boundaries at
    its ends, either apostrophe, a hyphen or spaces (at most one line break) for a hyphen or
    space, and a quote mark allowed where words meet ('Sham' referendums)."""
    term = term.strip()
    out: list[str] = []
    for run in re.findall(rf"[\s{_HYPHENS}]+|.", term, flags=re.S):
        if run[0].isspace() or run[0] in HYPHEN_CHARS:
            # a run of spaces needs a separator; any run holding a hyphen makes it optional
            out.append(_HYPHEN if any(ch in HYPHEN_CHARS for ch in run) else _WORD_SPACE)
        elif run in APOSTROPHES:
            out.append(f"[{APOSTROPHES}]")
        else:
            out.append(re.escape(run))
    body = "".join(out)
    first, last = term[0], term[-1]
    before = r"(?<!\w)" if (first.isalnum() or first == "_") else ""
    # U+02BC (a letter to Unicode, so \w) is an apostrophe here: "Kievʼs" holds "Kiev"
    after = r"(?!(?!\u02bc)\w)" if (last.isalnum() or last == "_") else ""
    return before + body + after


def uses_syntax(term: str) -> bool:
    """True if ``term`` uses ``~``, ``[...]`` or ``{...|...}``."""
    return any(ch in _SYNTAX for ch in term)


def check_term(term: str) -> None:
    """Raise :class:`TermSyntaxError` if ``term`` cannot be read or spells out too many phrases."""
    count = _count(_parse(term))
    if count > MAX_FORMS:
        raise TermSyntaxError(f"spells out up to {count} phrases (at most {MAX_FORMS}); split it into several terms")


def expand_term(term: str) -> list[str]:
    """Every phrase ``term`` spells out, each once, longest first."""
    if not uses_syntax(term):
        return [term.strip()]
    check_term(term)
    phrases = {" ".join(phrase.split()) for phrase in _spell(_parse(term))}
    phrases.discard("")
    return sorted(phrases, key=lambda p: (-len(p), p))


def tilde_words(term: str) -> list[str]:
    """The words of ``term`` written with ``~`` (whose forms it spells out)."""
    if "~" not in term:
        return []
    found: list[str] = []

    def walk(parts: list[tuple]) -> None:
        for part in parts:
            if part[0] == "word":
                if part[2]:
                    found.append(part[1])
            else:
                for option in part[1]:
                    walk(option)

    walk(_parse(term))
    return found


# A parsed term is a sequence of parts; a part is ("word", text, inflect, spaced) or
# ("choice", [sequence, ...], optional, spaced); ``spaced``: white space comes before it.

def _parse(term: str) -> list[tuple]:
    tokens = re.findall(r"(\s*)([\[\]{}|]|[^\s\[\]{}|]+)", term)
    parts, position = _sequence(tokens, 0, closing=None)
    if position != len(tokens):
        raise TermSyntaxError(f"unexpected {tokens[position][1]!r}")
    if not parts:
        raise TermSyntaxError("is empty")
    return parts


def _sequence(tokens: list[tuple[str, str]], position: int, closing: str | None) -> tuple[list[tuple], int]:
    parts: list[tuple] = []
    while position < len(tokens):
        space, token = tokens[position]
        if token in ("]", "}", "|"):
            if closing is None:
                raise TermSyntaxError(f"{token!r} without an opening bracket")
            return parts, position
        if token in ("[", "{"):
            close = "]" if token == "[" else "}"
            options: list[list[tuple]] = []
            position += 1
            while True:
                option, position = _sequence(tokens, position, closing=close)
                if position >= len(tokens):
                    raise TermSyntaxError(f"{token!r} is never closed")
                if not option:
                    raise TermSyntaxError(f"an empty choice inside {token}{close}")
                options.append(option)
                if tokens[position][1] == "|":
                    position += 1
                    continue
                if tokens[position][1] != close:
                    raise TermSyntaxError(f"{token!r} closed by {tokens[position][1]!r}")
                position += 1
                break
            parts.append(("choice", options, token == "[", bool(space)))
            continue
        inflect = token.endswith("~")
        word = token[:-1] if inflect else token
        if not word or "~" in word:
            raise TermSyntaxError(f"{token!r}: ~ goes once, after a word")
        parts.append(("word", word, inflect, bool(space)))
        position += 1
    if closing is not None:
        raise TermSyntaxError(f"a bracket is never closed ({closing!r} missing)")
    return parts, position


def _count(parts: list[tuple]) -> int:
    total = 1
    for part in parts:
        if part[0] == "word":
            total *= FORMS_PER_WORD if part[2] else 1
        else:
            total *= sum(_count(option) for option in part[1]) + (1 if part[2] else 0)
        if total > MAX_FORMS * FORMS_PER_WORD:
            break  # enough to refuse; the product of a bomb is never built
    return total


def _spell(parts: list[tuple]) -> list[str]:
    choices: list[list[str]] = []
    for part in parts:
        space = " " if part[3] else ""
        if part[0] == "word":
            choices.append([space + form for form in (word_forms(part[1]) if part[2] else (part[1],))])
        else:
            spelled = [space + phrase.lstrip(" ") for option in part[1] for phrase in _spell(option)]
            choices.append(spelled + ([""] if part[2] else []))
    return ["".join(combo) for combo in itertools.product(*choices)]
