"""Text normalization: the one canonical form every offset refers to.

* Unicode NFC;
* ``\\r\\n``, ``\\r``, U+2028, U+2029, U+0085, ``\\v`` and ``\\f`` become ``\\n``;
* terminal escape sequences (CSI, OSC, DCS, and other ESC sequences) are removed;
* every other C0/C1 control character except tab and newline is removed, and so is
  U+FEFF (a byte-order mark, also left inside texts by joining files or JSON values).

The result can be shown in a terminal without changing it, and Textual's
``Document`` keeps it as it is, so code-point offsets agree everywhere.
"""

from __future__ import annotations

import json
import re
import unicodedata

_NEWLINES_RE = re.compile("\r\n|[\r\u2028\u2029\x85\x0b\x0c]")
# ESC [ ... final byte (CSI); ESC ] ... BEL or ST (OSC); ESC P/X/^/_ ... ST (DCS, SOS, PM, APC);
# the 8-bit forms (U+009B CSI, U+009D OSC, U+0090 DCS); then any other two-byte ESC sequence.
_ESCAPE_RE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|(?:\x1b[PX^_]|[\x90\x98\x9e\x9f])[^\x1b\x9c]*(?:\x1b\\|\x9c)?"
    r"|\x1b[ -/]*[0-~]?"
)
_CONTROLS_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ufeff]")


_ESCAPE_START_RE = re.compile("[\x1b\x90\x98\x9b\x9d\x9e\x9f]")
# Every character one of the passes below acts on: one scan tells whether any pass is needed.
_ANY_RE = re.compile("[\r\u2028\u2029\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff]")


def normalize_text(text: str) -> str:
    """Return the canonical form of ``text`` (see the module docstring)."""
    # Each pass runs only when there is something for it to do (fast on large clean texts).
    if not _ANY_RE.search(text):
        return unicodedata.normalize("NFC", text)
    if _NEWLINES_RE.search(text):
        text = _NEWLINES_RE.sub("\n", text)
    if _ESCAPE_START_RE.search(text):
        text = _ESCAPE_RE.sub("", text)
    if _CONTROLS_RE.search(text):
        text = _CONTROLS_RE.sub("", text)
    return unicodedata.normalize("NFC", text)


# Characters that a terminal acts on or that reorder or hide text: C1 controls, the soft
# hyphen, bidi marks, embeddings, overrides and isolates, zero-width and other invisible
# format characters, line and paragraph separators, tag characters.
HIDDEN_RE = re.compile(
    "[\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb"
    "\U000e0000-\U000e007f]"
)
# A zero-width joiner or non-joiner between two non-ASCII characters shapes emoji
# sequences and scripts (Persian, Indic) and is kept; anywhere else it is escaped.
_JOINER_IN_WORD_RE = re.compile("(?<=[^\x00-\x7f])[\u200c\u200d](?=[^\x00-\x7f])")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def neutralize(text: str) -> str:
    """``text`` with every :data:`HIDDEN_RE` character shown as a visible escape
    (``\\u202e``), so that it cannot reorder or hide what a terminal shows; joiners
    inside emoji sequences and words are kept. For terminal views, never for stored data."""
    if not HIDDEN_RE.search(text):
        return text
    out, last = [], 0
    for match in HIDDEN_RE.finditer(text):
        out.append(text[last:match.start()])
        kept = match.group() in "\u200c\u200d" and _JOINER_IN_WORD_RE.match(text, match.start()) is not None
        out.append(match.group() if kept and not HIDDEN_RE.match(text, match.start() - 1 if match.start() else 0)
                   else _visible(match))
        last = match.end()
    out.append(text[last:])
    return "".join(out)


def mask_hidden(text: str, mark: str = "\ufffd") -> str:
    """``text`` with every character :func:`neutralize` would escape replaced by ``mark`` (one
    character for one: the same length, so offsets into it stay offsets into ``text``). For a
    view of a whole text whose offsets matter (the TUI's article), never for stored data."""
    if not HIDDEN_RE.search(text):
        return text
    chars = list(text)
    for match in HIDDEN_RE.finditer(text):
        at = match.start()
        kept = match.group() in "\u200c\u200d" and _JOINER_IN_WORD_RE.match(text, at) is not None
        if not (kept and not HIDDEN_RE.match(text, at - 1 if at else 0)):
            chars[at] = mark
    return "".join(chars)


def json_escape_hidden(text: str) -> str:
    """JSON text (as ``json.dumps(..., ensure_ascii=False)`` writes it) with every
    :data:`HIDDEN_RE` character written as a ``\\u`` escape: it decodes to the same
    strings, and no C1 byte or bidi control reaches a terminal or pipe raw."""
    return HIDDEN_RE.sub(_json_escape, text) if HIDDEN_RE.search(text) else text


def _json_escape(match: re.Match[str]) -> str:
    return json.dumps(match.group())[1:-1]  # \uXXXX (a surrogate pair for astral characters)


def clean_line(text: str) -> str:
    """A single-line field (title, name, note header) for the terminal: normalized, no
    newlines or tabs, hidden characters shown as escapes (:func:`neutralize`)."""
    return " ".join(neutralize(normalize_text(text)).split())


_UNPRINTABLE = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def printable(text: str) -> str:
    """``text`` made safe for one terminal line, keeping it identifiable: control,
    format (bidi), line-separator and unassigned characters become visible escapes
    (``\\x1b``, ``\\n``, ``\\u202e``); a byte that was not UTF-8 in a file name
    (a lone surrogate from ``surrogateescape``) becomes ``\\xe9``. Idempotent on
    its own output. For file names and messages, not for article text."""
    if text.isprintable() and text.isascii():
        return text
    out = []
    for ch in text:
        code = ord(ch)
        if ch == " " or unicodedata.category(ch) not in _UNPRINTABLE:
            out.append(ch)
        elif 0xDC80 <= code <= 0xDCFF:  # an undecodable byte of a file name
            out.append(f"\\x{code - 0xDC00:02x}")
        elif ch in "\t\n\r":
            out.append({"\t": "\\t", "\n": "\\n", "\r": "\\r"}[ch])
        elif code <= 0xFF:
            out.append(f"\\x{code:02x}")
        else:
            out.append(f"\\u{code:04x}")
    return "".join(out)
