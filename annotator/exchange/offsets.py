"""Offsets from other tools' files, turned into Python code-point offsets into the
canonical text, and checked against the text the span quotes: a span is placed where its
quote is, or refused with the reason, never moved silently.

Two steps:

* :class:`OffsetReader`: the file's offsets into the file's own text. Tools count in
  code points (Python, spaCy and Prodigy, Label Studio) or in UTF-16 code units (doccano,
  JavaScript): the two differ once a character beyond U+FFFF (most emoji) comes before the
  offset. ``utf16`` and ``codepoints`` say which; ``auto`` takes the one under which the
  span's text is what it quotes (and, for a span without text, the format's own counting).
* :class:`CanonicalMap`: offsets into the file's text to offsets into the canonical text
  the importer made of it (Unicode NFC, ``\\r\\n`` and other line ends as ``\\n``, controls
  removed, and the ranges it left out: page chrome, the title line, blank-line runs).
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence

from ..models import RemovedRange
from ..normalize import normalize_text

OFFSET_UNITS = ("auto", "utf16", "codepoints")


class SpanError(ValueError):
    """A span that cannot be placed (the message says why)."""


def _astral(text: str) -> list[int]:
    """Code-point positions of the characters beyond U+FFFF (two UTF-16 code units each)."""
    return [] if text.isascii() else [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]


def utf16_length(text: str) -> int:
    """The length of ``text`` in UTF-16 code units (as JavaScript counts it)."""
    return len(text) + len(_astral(text))


class OffsetReader:
    """Reads one document's foreign offsets as code points (see the module docstring).
    ``units`` is one of :data:`OFFSET_UNITS`; ``default`` the units the format counts in,
    used by ``auto`` for a span that gives no text."""

    def __init__(self, text: str, units: str = "auto", default: str = "codepoints"):
        if units not in OFFSET_UNITS:
            raise ValueError(f"offsets must be one of {', '.join(OFFSET_UNITS)}, not {units!r}")
        self.text, self.units, self.default = text, units, default
        self._astral = _astral(text)
        # the UTF-16 offset where each astral character starts, and the one where it ends
        self._starts16 = [pos + k for k, pos in enumerate(self._astral)]
        self._ends16 = [pos + k + 2 for k, pos in enumerate(self._astral)]
        self.decided: str | None = None  # what ``auto`` found this document's spans counted in

    def from_utf16(self, offset: int) -> int:
        """A UTF-16 code-unit offset as a code-point offset (SpanError inside a character)."""
        if offset < 0 or offset > len(self.text) + len(self._astral):
            raise SpanError(f"UTF-16 offset {offset} is outside the text ({len(self.text) + len(self._astral)} units)")
        k = bisect_left(self._starts16, offset)
        if k > 0 and self._starts16[k - 1] + 1 == offset:
            raise SpanError(f"UTF-16 offset {offset} falls inside a character beyond U+FFFF (half a surrogate pair)")
        return offset - bisect_right(self._ends16, offset)

    def _as(self, units: str, start: int, end: int) -> tuple[int, int]:
        if units == "utf16":
            return self.from_utf16(start), self.from_utf16(end)
        if not 0 <= start <= end <= len(self.text):
            raise SpanError(f"span {start}..{end} is outside the text ({len(self.text)} characters)")
        return start, end

    def differ_before(self, end: int) -> bool:
        """Whether code points and UTF-16 units differ anywhere up to ``end`` (either reading)."""
        return bool(self._astral) and self._astral[0] < end

    def span(self, start: int, end: int, quote: str | None) -> tuple[int, int]:
        """``start..end`` as code-point offsets into the text; the text there must be
        ``quote`` when one is given. SpanError names what is wrong."""
        if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool) or isinstance(end, bool):
            raise SpanError(f"offsets {start!r}..{end!r} are not whole numbers")
        if start < 0 or end <= start:
            raise SpanError(f"span {start}..{end} is empty or reversed")
        if quote is not None and not isinstance(quote, str):
            raise SpanError(f"the span's text is {type(quote).__name__}, not text")
        units = self.units
        if units == "auto":
            units = self._guess(start, end, quote)
        found = self._as(units, start, end)
        if quote is not None and self.text[found[0]:found[1]] != quote:
            raise SpanError(f"the text at {start}..{end} ({units}) is {_short(self.text[found[0]:found[1]])}, "
                            f"not the quoted {_short(quote)}")
        return found

    def _guess(self, start: int, end: int, quote: str | None) -> str:
        if not self.differ_before(end):
            return "codepoints"  # both readings are the same here
        if quote is None:
            return self.decided or self.default
        fits = []
        for units in ("codepoints", "utf16"):
            try:
                a, b = self._as(units, start, end)
            except SpanError:
                continue
            if self.text[a:b] == quote:
                fits.append(units)
        if len(fits) == 1:
            self.decided = fits[0]
            return fits[0]
        if not fits:
            raise SpanError(f"neither code points nor UTF-16 units put the quoted {_short(quote)} at {start}..{end}")
        if self.decided:
            return self.decided
        raise SpanError(f"the quoted {_short(quote)} is at {start}..{end} counted in code points and in UTF-16 "
                        "units alike; say which with --offsets")


def _short(text: str, limit: int = 40) -> str:
    import json

    return json.dumps(text if len(text) <= limit else text[: limit - 1] + "…", ensure_ascii=False)


def _safe_cut(text: str, cut: int) -> int:
    """``cut`` moved back to where normalizing the text piecewise gives what normalizing it
    whole gives: not inside ``\\r\\n``, not before a combining mark."""
    while 0 < cut < len(text) and (
        (text[cut - 1] == "\r" and text[cut] == "\n") or unicodedata.combining(text[cut])
        or "\u1160" <= text[cut] <= "\u11ff"  # Hangul vowel and final jamo compose with what is before
    ):
        cut -= 1
    return cut


class CanonicalMap:
    """Code-point offsets into a file's text (``source``) to offsets into the canonical text
    made of it: normalized (:func:`annotator.normalize.normalize_text`), then without the
    ``removed`` ranges of the normalized text."""

    def __init__(self, source: str, canonical: str, removed: Sequence[RemovedRange] = ()):
        self.source, self.canonical = source, canonical
        self.identity = source == canonical
        self.normalizes = normalize_text(source) != source if not self.identity else False
        ranges = sorted((r.start, r.end, r.rule) for r in removed if r.end > r.start)
        self._removed = [(start, end) for start, end, _ in ranges]
        self._rules = [rule for _, _, rule in ranges]
        self._removed_ends = [e for _, e in self._removed]
        self._removed_before: list[int] = []
        total = 0
        for start, end in self._removed:
            total += end - start
            self._removed_before.append(total)
        self._cuts: dict[int, int] = {}  # source offset (a safe cut) -> offset into the normalized text
        self._known: list[int] = []  # the cuts mapped, in order

    def prepare(self, offsets: Iterable[int]) -> None:
        """Map these source offsets, each from the nearest offset already mapped before it
        (spans in text order cost one pass over the text)."""
        if self.identity or not self.normalizes:
            return
        for cut in sorted({_safe_cut(self.source, o) for o in offsets if 0 <= o <= len(self.source)}):
            if cut in self._cuts:
                continue
            k = bisect_right(self._known, cut)
            at = self._known[k - 1] if k else 0
            self._cuts[cut] = (self._cuts[at] if k else 0) + len(normalize_text(self.source[at:cut]))
            self._known.insert(k, cut)

    def _normalized_offset(self, offset: int) -> int:
        if not self.normalizes:
            return offset
        cut = _safe_cut(self.source, offset)
        if cut not in self._cuts:
            self.prepare([offset])
        return self._cuts[cut]

    def _canonical_offset(self, full: int) -> int | None:
        """``full`` (an offset into the normalized text) in the canonical text, None inside a removed range."""
        before = bisect_right(self._removed_ends, full)  # removed ranges wholly before ``full``
        if before < len(self._removed) and self._removed[before][0] < full:
            return None  # inside a removed range
        return full - (self._removed_before[before - 1] if before else 0)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """``start..end`` of the source as offsets into the canonical text, whose text there
        must be the source's, normalized (SpanError otherwise: the importer changed or left
        out text of the span)."""
        if self.identity:
            return start, end
        a = self._canonical_offset(self._normalized_offset(start))
        b = self._canonical_offset(self._normalized_offset(end))
        quote = self.source[start:end]
        if a is None or b is None or b <= a:
            rules = sorted({rule for rule, (s, e) in zip(self._rules, self._removed)
                            if s < self._normalized_offset(end) and e > self._normalized_offset(start)})
            raise SpanError(f"the span {_short(quote)} at {start}..{end} lies in text the import leaves out "
                            f"(by the rule {', '.join(rules) or 'whitespace'}; see README, Boilerplate rules)")
        expected = normalize_text(quote)
        if self.canonical[a:b] != expected:
            raise SpanError(f"the span {_short(quote)} at {start}..{end} is not in the canonical text as it is "
                            f"(it reads {_short(self.canonical[a:b])} there: normalization or a left-out range "
                            "changed it)")
        return a, b
