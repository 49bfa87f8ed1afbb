"""Whose words a span is: the outlet's own, a quoted or reported source's, or held at a distance.

English cues only; see the README's "Suggestions" section for what they catch and miss.
"""

from __future__ import annotations

import re

from .terms import CLOSE_QUOTES, OPEN_QUOTES

SENTENCE_REACH = 400  # characters looked at either side of a span for its sentence
_QUOTE_LOOKBACK = 2000  # characters looked back for an open quotation

_SENTENCE_START = re.compile(r"(?:[.!?][\"\u201d\u2019'\u00bb)]*\s+|\n)")
_SENTENCE_END = re.compile(r"[.!?](?=[\"\u201d\u2019'\u00bb)]*(?:\s|$))|\n")
_SO_CALLED = re.compile(r"so[\s\-\u2010\u2011]called\s+$", re.I)
_SO_CALLED_HEAD = re.compile(r"so[\s\-\u2010\u2011]called\s", re.I)  # a term that begins with it
SCARE_WORDS = 3  # a quotation of at most this many words around a term holds it at a distance
# Verbs that attribute the clause after them to a source, with or without "that" ("Peskov said
# the operation would continue"); only forms that are not also common nouns.
_CLAUSE_VERBS = frozenset("""say says said saying claims claimed claiming insists insisted insisting believes believed
    thinks thought argued argues arguing warned warns added adds adding stressed stressing noted noting asserted asserts
    contended contends admitted admits acknowledged wrote writes""".split())
# Verbs that attribute only what follows "that" or a colon ("announced that ...";
# "announced a mobilization" is not speech).
_THAT_VERBS = frozenset("""told tells telling stated stating announced announcing declared declaring alleged alleging
    explained explains emphasized emphasised emphasizes emphasises underlined underlines reiterated reiterates accused
    accuses vowed vows denied denies cited quoted reported reports confirmed confirms suggested suggests""".split())
_SPEECH_VERBS = _CLAUSE_VERBS | _THAT_VERBS
# Verbs that name a thing as a source sees it ("what Moscow calls a special military operation").
_NAMING_VERBS = frozenset("""call calls called calling describe describes described describing dub dubs dubbed dubbing
    brand brands branded branding termed terming denounce denounces denounced denouncing condemn condemns condemned
    condemning referred refers dismiss dismisses dismissed dismissing""".split())
_ATTRIBUTION_WORDS = frozenset({"according", "saying", "quoted"})
_CUES = _SPEECH_VERBS | _NAMING_VERBS | _ATTRIBUTION_WORDS
_LETTERS = re.compile(r"[A-Za-z]+")
_AS_SAYING = re.compile(r"\b(?:as\s+saying|according\s+to|quoted\s+\w+(?:\s+\w+)?\s+as)\b", re.I)
_THAT = re.compile(r"\bthat\b|:", re.I)
_WORD = r"[\w'\u2019.\-]+"
_TAG_AFTER = re.compile(r"^[^,;]{0,60}?\bthat\b", re.I)  # "said in Kyiv on Monday that": the span is in the tag
# ", the ministry said." / ", said Peskov on Monday." / ", according to TASS.": at the sentence's end only
_AFTER_VERB_SET = frozenset("""say says said added adds claimed claims insisted insists stated told wrote writes reported
    reports noted stressed warned announced declared explained alleged argued""".split())
_AFTER_VERBS = "|".join(sorted(_AFTER_VERB_SET))
_ATTRIBUTION_AFTER = re.compile(
    rf"(?:,|\u2014|\u2013|[\"\u201d\u2019'\u00bb],?)\s*(?:(?:(?!(?:which|who|whose|that|and|but)\b){_WORD}\s+){{0,6}}?(?:{_AFTER_VERBS})|(?:{_AFTER_VERBS})\s+{_WORD}"
    rf"|according\s+to)(?:\s+(?!that\b){_WORD}){{0,8}}\s*[.!?]?[\"\u201d\u2019'\u00bb)]*\s*$", re.I)
_NAMING_REACH = 80  # characters between a naming verb and the span it names


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Start and end of the sentence holding ``text[start:end]``, looked for within :data:`SENTENCE_REACH`."""
    window = max(0, start - SENTENCE_REACH)
    head = text[window:start]
    last = None
    for last in _SENTENCE_START.finditer(head):
        pass
    first = window + last.end() if last else window
    tail = _SENTENCE_END.search(text, end, min(len(text), end + SENTENCE_REACH))
    return first, tail.end() if tail else min(len(text), end + SENTENCE_REACH)


def guess_voice(text: str, start: int, end: int) -> str:
    """``scare-quoted`` when quote marks wrap just the term or "so-called" precedes it,
    ``quoted`` when the term sits inside a longer quotation or in reported speech
    ("Peskov said that ...", "according to the ministry", "..., the ministry said"),
    else ``own``."""
    return voice_and_cue(text, start, end)[0]


def voice_and_cue(text: str, start: int, end: int, bounds: tuple[int, int] | None = None) -> tuple[str, str]:
    """The voice of ``text[start:end]`` and the cue that decided it ("" for own voice)."""
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    possessive = end + 1 < len(text) and text[end + 1].isalnum()  # Kiev’s: an apostrophe, not a closing quote
    if before and after and before in OPEN_QUOTES and after in CLOSE_QUOTES and not possessive:
        return "scare-quoted", "quote marks around the words"
    if _quotes_a_word(text, start, end, before, after):
        return "scare-quoted", "quote marks around a word of it"
    if _SO_CALLED.search(text[max(0, start - 12):start]) or _SO_CALLED_HEAD.match(text, start, end):
        return "scare-quoted", '"so-called" before the words'
    window = max(0, start - _QUOTE_LOOKBACK)  # bounded: a 2 MB one-paragraph text stays linear
    newline = text.rfind("\n", window, start)
    head = text[newline + 1 if newline >= 0 else window : start]
    opened = head.count("\u201c") - head.count("\u201d") + head.count("\u00ab") - head.count("\u00bb")
    if opened > 0 or head.count('"') % 2 == 1:
        if _short_quotation(text, start, end, head):
            return "scare-quoted", "quote marks around a few words"
        return "quoted", "inside a quotation"
    cue = reported_speech(text, start, end, bounds)
    if cue:
        return "quoted", f"reported speech ({cue})"
    return "own", ""


def _short_quotation(text: str, start: int, end: int, head: str) -> bool:
    """True if the quotation holding ``text[start:end]`` is just the term and at most one more word,
    in all at most :data:`SCARE_WORDS` words (the UN's “attempted illegal annexation”)."""
    opening = max(head.rfind(ch) for ch in OPEN_QUOTES if ch != "'")
    if opening < 0:
        return False
    reach = min(len(text), end + 60)
    paragraph_end = text.find("\n", end, reach)  # a quotation closes in its own paragraph
    closing = next((i for i in range(end, reach if paragraph_end < 0 else paragraph_end)
                    if text[i] in CLOSE_QUOTES and text[i] != "'"
                    and not (i + 1 < len(text) and text[i + 1].isalnum())), -1)  # Kiev’s: an apostrophe
    if closing < 0:
        return False
    extra = len(head[opening + 1:].split()) + len(text[end:closing].split())
    return extra <= 1 and len(text[start:end].split()) + extra <= SCARE_WORDS


def _quotes_a_word(text: str, start: int, end: int, before: str, after: str) -> bool:
    """'Sham' referendums, the “reunification” with Russia: a quotation opens before the span
    and closes after one of its words, or opens before one of its words and closes after it."""
    inside = text[start:end]
    if before and before in OPEN_QUOTES:
        return any(ch in CLOSE_QUOTES and nxt.isspace() for ch, nxt in zip(inside, inside[1:]))
    if after and after in CLOSE_QUOTES:
        return any(ch in OPEN_QUOTES and prev.isspace() for prev, ch in zip(inside, inside[1:]))
    return False


def reported_speech(text: str, start: int, end: int, bounds: tuple[int, int] | None = None) -> str:
    """The attribution that makes ``text[start:end]`` a source's words, or "" if none in its
    sentence (``bounds``: the sentence's, when the caller has them)."""
    first, last = bounds or sentence_bounds(text, start, end)
    cues = [(m.start(), m.end(), word) for m in _LETTERS.finditer(text, first, last)
            if (word := m.group().lower()) in _CUES]
    if not cues:
        return ""  # most sentences: no attribution at all
    before = [cue for cue in cues if cue[1] <= start]
    if any(word in _ATTRIBUTION_WORDS for *_, word in before):
        found = _AS_SAYING.search(text, first, start)
        if found:
            return f'"{found.group(0)}"'
    for cue in reversed(before):  # the last naming verb before the span
        if cue[2] in _NAMING_VERBS and (phrase_end := _naming_end(text, cue, start)) is not None:
            if start - phrase_end <= _NAMING_REACH:
                return f'"{text[cue[0]:phrase_end]}"'
            break
    suffix = text[end:last]
    for verb_start, verb_end, word in before:
        if word not in _SPEECH_VERBS:
            continue
        between = text[verb_end:start]
        if "\u201d" in between or "\u00bb" in between or between.count('"') >= 2:
            continue  # the verb's words were the quotation that closed before the span
        verb = text[verb_start:verb_end]
        if _THAT.search(between):
            return f'"{verb} that"' if "that" in between.lower() else f'"{verb}"'
        if word in _CLAUSE_VERBS and not _TAG_AFTER.search(suffix):
            return f'"{verb}"'
    if any(cue[0] >= end and (cue[2] in _AFTER_VERB_SET or cue[2] == "according") for cue in cues):
        found = _ATTRIBUTION_AFTER.search(suffix)
        if found:
            return f'"{" ".join(found.group(0).strip(" ,.").split()[:6])}"'
    return ""


def _naming_end(text: str, cue: tuple[int, int, str], start: int) -> int | None:
    """Where a naming verb's phrase ends, or None if it names nothing here: not "called up"
    (reservists) or "called off"; "referred"/"refers" only with "to" ("referred to ... as")."""
    word = cue[2]
    following = _LETTERS.search(text, cue[1], start)
    nxt = following.group().lower() if following else ""
    if word in ("referred", "refers"):
        return following.end() if nxt == "to" else None
    if word in ("call", "calls", "called", "calling") and nxt in ("up", "off"):
        return None
    return cue[1]
