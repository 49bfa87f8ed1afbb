"""Page-chrome removal: documented, line-based rules (README "Boilerplate rules").

``strip_boilerplate(text)`` takes *normalized* text and returns the canonical
text plus the ranges of the normalized text that were left out, each with the
rule that removed it. Joining the kept pieces of the normalized text gives the
canonical text exactly, so the original stays retrievable and every removal
can be audited. All rules are linear in the size of the text.
"""

from __future__ import annotations

import re

from ..models import RemovedRange

BULLET = "\u2022"
_SOCIAL_WORDS = {
    "live", "audio only", "video", "google plus", "google+", "facebook", "twitter", "x",
    "whatsapp", "telegram", "email", "e-mail", "print", "share", "linkedin", "reddit",
    "copy link", "pinterest", "vk", "flipboard",
}
_ERROR_WIDGET = {"oops!", "something went wrong.", "please try again later."}
_SHARE_BUTTONS = {"share this article", "share this", "share", "print", "print this article"}
_COMMENTS = re.compile(r"^(post with no comments\.?|no comments(?: yet)?\.?|\d+ comments?\.?)$", re.I)
_MIRROR_NOTICE = re.compile(r"can also be accessed at the following (alternate )?addresses", re.I)
_BREADCRUMB = re.compile(r"^[\w'’ .&-]{1,30}(\s+[/>»|›]\s+[\w'’ .&-]{1,30}){1,3}$")
_PHOTO_CREDIT = re.compile(r"\|\s*(photo|image|picture)s?\s*:", re.I)
_SEPARATOR = re.compile(r"^[-\u2013\u2014*_]{1,3}$")


class Line:
    """One line of the text (a plain class with slots: a text has many, made per import)."""

    __slots__ = ("index", "start", "end", "text", "bare")

    def __init__(self, index: int, start: int, end: int, text: str):
        self.index = index
        self.start = start  # offset of the first character
        self.end = end  # offset just past the last character (the newline is at ``end``)
        self.text = text
        self.bare = text.strip()  # stripped text, computed once: every rule reads it

    def __repr__(self) -> str:
        return f"Line({self.index}, {self.start}, {self.end}, {self.text!r})"

    @property
    def unbulleted(self) -> str:
        return self.bare.lstrip(BULLET + "*·").strip()


def split_lines(text: str) -> list[Line]:
    """Lines of ``text`` with their offsets (newlines excluded)."""
    lines: list[Line] = []
    start = 0
    for index, chunk in enumerate(text.split("\n")):
        lines.append(Line(index, start, start + len(chunk), chunk))
        start += len(chunk) + 1
    return lines


def _is_bullet(line: Line) -> bool:
    return line.bare.startswith(BULLET)


def _words(s: str) -> int:
    return len(s.split())


# Each rule takes the lines and returns {line index: rule name} for lines to drop.

def rule_error_widget(lines: list[Line]) -> dict[int, str]:
    """Yahoo's "• Oops! / Something went wrong. / Please try again later." widget."""
    return {l.index: "error-widget" for l in lines if l.unbulleted.lower() in _ERROR_WIDGET}


def rule_social_strip(lines: list[Line]) -> dict[int, str]:
    """Bulleted share/social/media buttons ("• Live", "• Audio Only", "• facebook")."""
    return {
        l.index: "social-strip"
        for l in lines
        if _is_bullet(l) and l.unbulleted.lower() in _SOCIAL_WORDS
    }


def rule_share_buttons(lines: list[Line]) -> dict[int, str]:
    """Stand-alone "SHARE THIS ARTICLE" / "Print" lines."""
    return {l.index: "share-buttons" for l in lines if l.bare.lower() in _SHARE_BUTTONS}


def rule_breadcrumb(lines: list[Line]) -> dict[int, str]:
    """A section path ("News / Russia", "News > Russia") among the first three non-blank lines."""
    found: dict[int, str] = {}
    non_blank = [l for l in lines if l.bare][:3]
    for l in non_blank:
        if _words(l.bare) <= 6 and _BREADCRUMB.match(l.bare.replace("\u00a0", " ")):
            found[l.index] = "breadcrumb"
    return found


def rule_mirror_notice(lines: list[Line]) -> dict[int, str]:
    """Press TV's "website can also be accessed at the following alternate addresses"
    notice and the short lines after it (addresses, app links) to the end of the text."""
    for position, l in enumerate(lines):
        if _MIRROR_NOTICE.search(l.bare):
            tail = lines[position + 1 :]
            if all(_words(t.bare) <= 6 for t in tail):
                return {t.index: "mirror-notice" for t in [l, *tail]}
            return {l.index: "mirror-notice"}
    return {}


def rule_photo_caption(lines: list[Line]) -> dict[int, str]:
    """Photo captions with a credit ("... | Photo: Twitter/@x") and the bulleted
    image alt text that repeats them."""
    captions = [l for l in lines if _PHOTO_CREDIT.search(l.bare)]
    found = {l.index: "photo-caption" for l in captions}
    for l in lines:
        if _is_bullet(l) and l.unbulleted and any(c.bare.startswith(l.unbulleted) for c in captions):
            found[l.index] = "photo-caption"
    return found


def rule_comments_widget(lines: list[Line]) -> dict[int, str]:
    """A trailing comments counter ("Post with no comments.") and the short tag line before it."""
    content = [l for l in lines if l.bare]
    if not content or not _COMMENTS.match(content[-1].bare):
        return {}
    found = {content[-1].index: "comments-widget"}
    if len(content) >= 2:
        tag = content[-2].bare
        if _words(tag) <= 4 and not re.search(r"[.!?:;\"”]$", tag):
            found[content[-2].index] = "comments-widget"
    return found


def _is_headline(text: str) -> bool:
    return _words(text) <= 30 and not re.search(r"[.!?:;\"”’']$", text)


def rule_navigation_headlines(lines: list[Line]) -> dict[int, str]:
    """Site navigation: lists of headlines between separator lines ("-"), as around a
    Kyiv Independent article. When at least three separator lines split the text and
    most other blocks are a single headline (at most 30 words, not ending like a
    sentence), only the largest block (the article) is kept. A live blog whose updates
    are separated by "-" lines has sentences in its blocks, and is left whole."""
    separators = {l.index for l in lines if _SEPARATOR.match(l.bare)}
    if len(separators) < 3:
        return {}
    blocks: list[list[Line]] = []
    current: list[Line] = []
    for l in lines:
        if l.index in separators:
            blocks.append(current)
            current = []
        else:
            current.append(l)
    blocks.append(current)
    blocks = [[l for l in b if l.bare] for b in blocks]
    blocks = [b for b in blocks if b]
    if len(blocks) < 3:
        return {}
    article = max(blocks, key=lambda b: sum(len(l.text) for l in b))
    others = [b for b in blocks if b is not article]
    if sum(1 for b in others if len(b) == 1 and _is_headline(b[0].bare)) * 3 < len(others) * 2:
        return {}
    found = {i: "navigation-headlines" for i in separators}
    for b in others:
        for l in b:
            found[l.index] = "navigation-headlines"
    return found


RULES = [
    rule_navigation_headlines,
    rule_error_widget,
    rule_social_strip,
    rule_share_buttons,
    rule_photo_caption,
    rule_mirror_notice,
    rule_comments_widget,
    rule_breadcrumb,
]


# Quick tests on the whole text, each a necessary condition for one rule to drop a line, so
# that a text none of them fits skips the line-by-line rules (most articles). The patterns
# start with a literal newline, which the regular expression engine finds fast; the first
# line is tested on its own.
_LINE_END = r"[^\S\n]*(?:\n|\Z)"
_SEPARATOR_LINE = r"[^\S\n]*[-\u2013\u2014*_]{1,3}" + _LINE_END  # navigation-headlines
_SHARE_LINE = r"[^\S\n]*(?:share this article|share this|share|print this article|print)" + _LINE_END
_COMMENTS_LINE = r"[^\S\n]*(?:post with no comments\.?|no comments(?: yet)?\.?|\d+ comments?\.?)" + _LINE_END
_MAYBE_LINE = re.compile(rf"(?i)\n(?:{_SEPARATOR_LINE}|{_SHARE_LINE}|{_COMMENTS_LINE})")
_MAYBE_FIRST_LINE = re.compile(rf"(?i){_SEPARATOR_LINE}|{_SHARE_LINE}|{_COMMENTS_LINE}")
_MAYBE_BREADCRUMB = re.compile(r"[/>»|›](?<=\s[/>»|›])(?=\s)")
# trailing white space on a line, or two blank lines in a row (the whitespace rule's work)
_UNTIDY = re.compile(r"\n(?:(?<=[^\S\n]\n)|\n\n)")


def _may_have_chrome(text: str) -> bool:
    """False when no rule can drop a line of ``text``. Each test is implied by a rule firing
    (``str.lower`` maps letter by letter, as the rules' own ``lower()`` on a line does)."""
    if BULLET in text or "|" in text:  # social-strip needs a bullet; photo-caption a credit "| Photo:"
        return True
    low = text.lower()
    if "oops!" in low or "something went wrong." in low or "please try again later." in low:  # error-widget
        return True
    if _MIRROR_NOTICE.search(text):  # mirror-notice (its own pattern: re's case folding is not lower())
        return True
    if _MAYBE_LINE.search(text) or _MAYBE_FIRST_LINE.match(text):  # navigation, share buttons, comments
        return True
    return any(c in text for c in "/>»›") and _MAYBE_BREADCRUMB.search(text) is not None  # breadcrumb


def strip_boilerplate(text: str, enabled: bool = True) -> tuple[str, list[RemovedRange]]:
    """Remove page chrome and surplus blank lines from normalized ``text``.

    Returns ``(canonical_text, removed_ranges)``; ranges index into ``text``.
    Paragraphs keep one blank line between them; lines lose trailing spaces;
    the text loses leading and trailing blank lines.
    """
    if not (enabled and _may_have_chrome(text)) and not (
        text.startswith("\n") or text[-1:].isspace() or _UNTIDY.search(text)
    ):
        return text, []  # nothing to drop and already tidy: the canonical text is the text
    lines = split_lines(text)
    dropped: dict[int, str] = {}
    if enabled:
        for rule in RULES:  # each rule sees the lines earlier rules left
            remaining = [l for l in lines if l.index not in dropped]
            for index, name in rule(remaining).items():
                dropped.setdefault(index, name)
    content = [l for l in lines if l.bare and l.index not in dropped]
    kept: list[tuple[int, int]] = []
    for prev, nxt in zip(content, content[1:] + [None]):
        end = prev.start + len(prev.text.rstrip())
        kept.append((prev.start, end))
        if nxt is None:
            break
        between = lines[prev.index + 1 : nxt.index]
        kept.append((prev.end, prev.end + 1))  # the line's own newline
        if between:  # a paragraph break (blank or removed lines): keep one blank line
            kept.append((nxt.start - 1, nxt.start))
    canonical = "".join(text[s:e] for s, e in kept)
    return canonical, _removed_ranges(text, lines, kept, dropped)


def _removed_ranges(
    text: str, lines: list[Line], kept: list[tuple[int, int]], dropped: dict[int, str]
) -> list[RemovedRange]:
    gaps: list[tuple[int, int]] = []
    cursor = 0
    for s, e in kept:
        if s > cursor:
            gaps.append((cursor, s))
        cursor = max(cursor, e)
    if cursor < len(text):
        gaps.append((cursor, len(text)))
    starts = [l.start for l in lines]
    ranges: list[RemovedRange] = []
    for s, e in gaps:
        pos = s
        while pos < e:
            line = lines[_line_at(starts, pos)]
            line_stop = min(e, line.end + 1)
            rule = dropped.get(line.index, "whitespace")
            if ranges and ranges[-1].rule == rule and ranges[-1].end == pos:
                ranges[-1] = RemovedRange(start=ranges[-1].start, end=line_stop, rule=rule)
            else:
                ranges.append(RemovedRange(start=pos, end=line_stop, rule=rule))
            pos = line_stop
    return ranges


def _line_at(starts: list[int], pos: int) -> int:
    import bisect

    return bisect.bisect_right(starts, pos) - 1


def restore(canonical_source: str, removed: list[RemovedRange]) -> str:
    """The canonical text rebuilt from the normalized full text and its removed ranges."""
    out: list[str] = []
    cursor = 0
    for r in sorted(removed, key=lambda r: r.start):
        out.append(canonical_source[cursor : r.start])
        cursor = r.end
    out.append(canonical_source[cursor:])
    return "".join(out)


# -- the title line -------------------------------------------------------------------

MAX_TITLE = 300  # characters of a title taken from the text


def find_title_line(text: str, markdown: bool = False) -> tuple[int, int, str] | None:
    """The first line of ``text`` with a letter in it: ``(start, end, title)``, the title
    being the line on one line (Markdown heading marks removed), or None."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        if end == -1:
            end = len(text)
        candidate = text[start:end].strip()
        if markdown:
            candidate = candidate.lstrip("#").strip().strip("*_").strip()
        if any(ch.isalpha() for ch in candidate):
            return start, end, " ".join(candidate.split())
        start = end + 1
    return None


def same_title(a: str, b: str) -> bool:
    """Two titles read the same: the same words, whatever the case and spacing."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def drop_title_line(
    full: str, canonical: str, removed: list[RemovedRange], line: tuple[int, int]
) -> tuple[str, list[RemovedRange]]:
    """Leave the line ``[start, end)`` of ``canonical`` out of it, with the newlines that
    separate it from the next line (or, after other lines, from the previous one), and record
    it as removed (rule ``title``; the blank line after it as ``whitespace``). ``removed``
    holds the ranges of ``full`` that ``canonical`` already leaves out; the result's ranges
    still index ``full``, so :func:`restore` gives the new canonical text."""
    start, end = line
    if start == 0:  # the canonical text's lines are apart by one newline, or two (a paragraph)
        spans = [(start, end + 1, "title")]
        if canonical.startswith("\n\n", end):
            spans.append((end + 1, end + 2, "whitespace"))
    else:  # after other lines: the newlines before it go, the break after it stays
        before = len(canonical[:start]) - len(canonical[:start].rstrip("\n"))
        spans = [(start - before, start, "whitespace"), (start, end, "title")]
    new_ranges = [r for s, e, rule in spans if s < e for r in _full_ranges(full, removed, s, e, rule)]
    cut = sorted((s, e) for s, e, _ in spans if s < e)
    text = canonical[: cut[0][0]] + canonical[cut[-1][1] :]
    return text, _merged(sorted([*removed, *new_ranges], key=lambda r: r.start))


def _full_ranges(full: str, removed: list[RemovedRange], start: int, end: int, rule: str) -> list[RemovedRange]:
    """The ranges of ``full`` that the canonical range ``[start, end)`` comes from."""
    ranges: list[RemovedRange] = []
    position = 0  # in the canonical text
    cursor = 0  # in the full text
    for gap in [*sorted(removed, key=lambda r: r.start), RemovedRange(start=len(full), end=len(full), rule="")]:
        piece_start, piece_end = cursor, gap.start  # a kept piece of the full text
        length = piece_end - piece_start
        lo, hi = max(start, position), min(end, position + length)
        if lo < hi:
            ranges.append(RemovedRange(start=piece_start + lo - position, end=piece_start + hi - position, rule=rule))
        position += length
        cursor = max(cursor, gap.end)
        if position >= end:
            break
    return ranges


def _merged(ranges: list[RemovedRange]) -> list[RemovedRange]:
    out: list[RemovedRange] = []
    for r in ranges:
        if out and out[-1].end == r.start and out[-1].rule == r.rule:
            out[-1] = RemovedRange(start=out[-1].start, end=r.end, rule=r.rule)
        else:
            out.append(r)
    return out
