"""Counting the words of a text (the store keeps each article's count; the importer's
reading process counts them before the articles reach the store)."""

from __future__ import annotations

import re
from itertools import filterfalse

_HAS_WORD_CHAR = re.compile(r"\w")


def word_count(text: str) -> int:
    """Words in a text, as ``wc -w`` counts them but leaving out tokens with no letter or
    digit ("—", "..."): "don't", "Kiev’s" and "full-scale" are one word each."""
    tokens = text.split()
    # all-letter tokens are words; of the others, those without a letter or digit are not
    return len(tokens) - list(map(_HAS_WORD_CHAR.search, filterfalse(str.isalpha, tokens))).count(None)
