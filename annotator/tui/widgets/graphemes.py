"""Grapheme clusters (what a reader sees as one character: an emoji ZWJ sequence, a flag,
a letter with its combining marks) for moving the cursor in the article text, so that a
keyboard selection never splits one. Clusters are found as rich draws them
(:func:`rich.cells.split_graphemes`), with flags paired and format characters apart."""

from __future__ import annotations

import unicodedata

from rich.cells import split_graphemes

GRAPHEME_WINDOW = 128  # code points on each side of the cursor looked at to find grapheme clusters
_REGIONAL_INDICATORS = range(0x1F1E6, 0x1F200)  # two of them make one flag


def grapheme_boundaries(line: str, column: int) -> list[int]:
    """The grapheme cluster boundaries of ``line`` near ``column`` (as rich draws clusters:
    a ZWJ emoji sequence, a letter and its combining marks, a flag are one each), sorted.
    Only :data:`GRAPHEME_WINDOW` code points on each side are read, so a key press costs
    the same in a one-line 2 MB article."""
    start, end = max(0, column - GRAPHEME_WINDOW), min(len(line), column + GRAPHEME_WINDOW)
    spans, _ = split_graphemes(line[start:end])
    bounds: list[int] = []
    open_flag = False  # the last cluster is a lone regional indicator
    for first, last, _ in spans:
        lone = last - first == 1 and ord(line[start + first]) in _REGIONAL_INDICATORS
        if lone and open_flag:
            open_flag = False  # the second half of a flag: no boundary before it
            continue
        open_flag = lone
        bounds.append(start + first)
        # a format character (a bidi mark, a zero-width space; not a joiner) is a cluster of
        # its own (Unicode's grapheme rules), though rich draws it with the one before
        bounds.extend(start + i + d for i in range(first + 1, last) for d in (0, 1)
                      if line[start + i] not in "\u200c\u200d" and unicodedata.category(line[start + i]) == "Cf")
    bounds.append(end)
    bounds = sorted(set(bounds))
    return bounds[1:] if start > 0 else bounds  # a window may begin inside a cluster


def next_grapheme(line: str, column: int) -> int:
    """The column after the grapheme cluster at ``column`` (the end of the line at most)."""
    return next((b for b in grapheme_boundaries(line, column) if b > column), len(line))


def previous_grapheme(line: str, column: int) -> int:
    """The column where the grapheme cluster before ``column`` starts (0 at least)."""
    return next((b for b in reversed(grapheme_boundaries(line, column)) if b < column), 0)


def cluster_edge(line: str, column: int, forward: bool) -> int:
    """``column`` if it is between two grapheme clusters, else the edge of the cluster it is
    inside: its end (``forward``) or its start."""
    bounds = grapheme_boundaries(line, column)
    if column in bounds or column >= len(line):
        return column
    return next_grapheme(line, column) if forward else previous_grapheme(line, column)
