"""Text normalization: the one canonical form every offset refers to (BRIEF §7).

* Unicode NFC;
* ``\\r\\n``, ``\\r``, U+2028, U+2029, U+0085, ``\\v`` and ``\\f`` become ``\\n``;
* terminal escape sequences (CSI, OSC, DCS, and other ESC sequences) are removed;
* every other C0/C1 control character except tab and newline is removed.

The result can be shown in a terminal without changing it, and Textual's
``Document`` keeps it as it is, so code-point offsets agree everywhere.
"""

from __future__ import annotations

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
_CONTROLS_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def normalize_text(text: str) -> str:
    """Return the canonical form of ``text`` (see the module docstring)."""
    text = _NEWLINES_RE.sub("\n", text)
    text = _ESCAPE_RE.sub("", text)
    text = _CONTROLS_RE.sub("", text)
    return unicodedata.normalize("NFC", text)


def clean_line(text: str) -> str:
    """Normalize a single-line field (title, name, note header): no newlines or tabs."""
    return " ".join(normalize_text(text).split())
