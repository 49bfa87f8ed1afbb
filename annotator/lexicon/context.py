"""What the words around a match decide: a proper name it is part of, a rule of its variant, its date.

Nothing here looks at who published the article: a suggestion's side depends on the
words and the date only (the outlet card beside the article shows the rest).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .terms import expand_term, term_regex
from .voice import sentence_bounds

NAME_REACH = 10  # characters of slack either side of a match when looking for a name holding it
DATED_NOTE = "dated-usage"
_DATE_PREFIX = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


@dataclass(frozen=True)
class Rule:
    """A compiled context rule of a variant (see ``codebook.ContextRule``)."""

    before: re.Pattern | None
    after: re.Pattern | None
    then: str
    label: str | None
    alignment: str | None
    why: str
    published_before: str | None = None

    def applies(self, sentence_before: str, sentence_after: str, published: str | None) -> bool:
        return ((self.published_before is None or (published is not None and published < self.published_before))
                and (self.before is None or self.before.search(sentence_before) is not None)
                and (self.after is None or self.after.search(sentence_after) is not None))


def compile_rules(rules: Iterable) -> tuple[Rule, ...]:
    """Rules of a codebook variant, compiled (patterns match any case)."""
    return tuple(Rule(re.compile(r.before, re.I) if r.before else None, re.compile(r.after, re.I) if r.after else None,
                      r.then, r.label, r.alignment, r.why, r.published_before) for r in rules)


def first_rule(rules: tuple[Rule, ...], text: str, start: int, end: int, published: object = None,
               bounds: tuple[int, int] | None = None) -> Rule | None:
    """The first of ``rules`` that applies to ``text[start:end]`` in its sentence (and the
    article's date), or None."""
    if not rules:
        return None
    first, last = bounds or sentence_bounds(text, start, end)
    before, after, day = text[first:start], text[end:last], date_key(published)
    return next((rule for rule in rules if rule.applies(before, after, day)), None)


class ProperNames:
    """Names a match inside of is not usage ("The Kyiv Independent", "Dynamo Kiev", "Odessa, Texas").

    Each name is indexed by the lexicon variants it holds, so a match is checked only
    against the few names that could hold it."""

    def __init__(self, names: Iterable[str], variants_in: Callable[[str], Iterable[object]]):
        """``variants_in(phrase)``: the keys of the lexicon variants matched inside ``phrase``."""
        by_variant: dict[object, list[str]] = {}
        for name in names:
            for phrase in (expand_term(name) if name.strip() else ()):
                for key in set(variants_in(phrase)):
                    by_variant.setdefault(key, []).append(phrase)
        self._names = {key: (re.compile("|".join(f"(?:{term_regex(p)})" for p in sorted(set(phrases), key=len, reverse=True)), re.I),
                             max(len(p) for p in phrases) + NAME_REACH)
                       for key, phrases in by_variant.items()}

    def holds(self, text: str, start: int, end: int, key: object) -> bool:
        """True if a name holding variant ``key`` covers ``text[start:end]``."""
        found = self._names.get(key)
        if found is None:
            return False
        regex, reach = found
        for match in regex.finditer(text, max(0, start - reach), min(len(text), end + reach)):
            if match.start() <= start and match.end() >= end:
                return True
            if match.start() > start:
                break
        return False


def date_key(published: object) -> str | None:
    """The leading YYYY[-MM[-DD]] of an article's date (as written, or a date object), or None."""
    if not published:
        return None
    found = _DATE_PREFIX.search(str(getattr(published, "value", published) or ""))
    return found.group(0) if found else None


def dated_why(dated: tuple[tuple[str, str], ...], published: object) -> str | None:
    """The reason a match counts as usage of its time (the first date the article is before), or None."""
    key = date_key(published)
    if key is None:
        return None
    return next((why for before, why in dated if key < before), None)
