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
_CLAUSE_VERBS = (r"say|says|said|saying|claims|claimed|claiming|insists|insisted|insisting|believes|believed|thinks"
                 r"|thought|argued|argues|arguing|warned|warns|added|adds|adding|stressed|stressing|noted|noting"
                 r"|asserted|asserts|contended|contends|admitted|admits|acknowledged|wrote|writes")
# Verbs that attribute only what follows "that", a colon or a quotation ("announced that ...";
# "announced a mobilization" is not speech).
_THAT_VERBS = (r"told|tells|telling|stated|stating|announced|announcing|declared|declaring|alleged|alleging|explained"
               r"|explains|emphasi[sz]ed|emphasi[sz]es|underlined|underlines|reiterated|reiterates|accused|accuses"
               r"|vowed|vows|denied|denies|cited|quoted|reported|reports|confirmed|confirms|suggested|suggests")
_SPEECH = rf"(?:{_CLAUSE_VERBS}|{_THAT_VERBS})"
_CLAUSE_VERB = re.compile(rf"\b(?:{_CLAUSE_VERBS})\b", re.I)
_SPEECH_VERB = re.compile(rf"\b{_SPEECH}\b", re.I)
# Verbs that name a thing as a source sees it ("what Moscow calls a special military operation").
_NAMING_VERB = re.compile(r"\b(?:call|calls|called|calling|describ(?:e|es|ed|ing)|dub(?:s|bed|bing)?|brand(?:s|ed|ing)?"
                          r"|termed|terming|denounc(?:e|es|ed|ing)|condemn(?:s|ed|ing)?|referred\s+to|refers\s+to"
                          r"|dismiss(?:es|ed|ing)?)\b", re.I)
_AS_SAYING = re.compile(r"\b(?:as\s+saying|according\s+to|quoted\s+\w+(?:\s+\w+)?\s+as)\b", re.I)
_THAT = re.compile(r"\bthat\b|:", re.I)
_WORD = r"[\w'\u2019.\-]+"
_TAG_AFTER = re.compile(r"^[^,;]{0,60}?\bthat\b", re.I)  # "said in Kyiv on Monday that": the span is in the tag
# ", the ministry said." / ", said Peskov on Monday." / ", according to TASS.": at the sentence's end only
_AFTER_VERBS = (r"say|says|said|added|adds|claimed|claims|insisted|insists|stated|told|wrote|writes|reported|reports"
                r"|noted|stressed|warned|announced|declared|explained|alleged|argued")
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


def voice_and_cue(text: str, start: int, end: int) -> tuple[str, str]:
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
    cue = reported_speech(text, start, end)
    if cue:
        return "quoted", f"reported speech ({cue})"
    return "own", ""


def _short_quotation(text: str, start: int, end: int, head: str) -> bool:
    """True if the quotation holding ``text[start:end]`` is just the term and at most one more word,
    in all at most :data:`SCARE_WORDS` words (the UN's “attempted illegal annexation”)."""
    opening = max(head.rfind(ch) for ch in OPEN_QUOTES if ch != "'")
    if opening < 0:
        return False
    closing = next((i for i in range(end, min(len(text), end + 60)) if text[i] in CLOSE_QUOTES and text[i] != "'"
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


def reported_speech(text: str, start: int, end: int) -> str:
    """The attribution that makes ``text[start:end]`` a source's words, or "" if none in its sentence."""
    first, last = sentence_bounds(text, start, end)
    prefix, suffix = text[first:start], text[end:last]
    found = _AS_SAYING.search(prefix)
    if found:
        return f'"{found.group(0)}"'
    naming = None
    for naming in _NAMING_VERB.finditer(prefix):
        pass
    if naming and len(prefix) - naming.end() <= _NAMING_REACH:
        return f'"{naming.group(0)}"'
    for verb in _SPEECH_VERB.finditer(prefix):
        between = prefix[verb.end():]
        if "\u201d" in between or "\u00bb" in between or between.count('"') >= 2:
            continue  # the verb's words were the quotation that closed before the span
        if _THAT.search(between):
            return f'"{verb.group(0)} that"' if "that" in between.lower() else f'"{verb.group(0)}"'
        if _CLAUSE_VERB.fullmatch(verb.group(0)) and not _TAG_AFTER.search(suffix):
            return f'"{verb.group(0)}"'
    found = _ATTRIBUTION_AFTER.search(suffix)
    if found:
        return f'"{" ".join(found.group(0).strip(" ,.").split()[:6])}"'
    return ""
