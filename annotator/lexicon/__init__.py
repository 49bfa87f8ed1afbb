"""Lexicon suggestions: a codebook's term variants found in an article, read in their context.

* :mod:`.terms`: the term syntax (``join~ [the] {Russia|Russian Federation}``) and its regular expressions;
* :mod:`.matcher`: :class:`Matcher` finds every variant, leftmost-longest, never overlapping;
* :mod:`.context`: proper names, the variants' context rules and dates;
* :mod:`.voice`: own, quoted (quotations and reported speech) or scare-quoted.
"""

from .matcher import Matcher, Suggestion
from .terms import term_regex
from .voice import guess_voice

__all__ = ["Matcher", "Suggestion", "guess_voice", "term_regex"]
