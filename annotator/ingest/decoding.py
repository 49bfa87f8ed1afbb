"""Decoding article files: bytes to text (UTF-8, UTF-16 with a byte-order mark, or the one
single-byte news encoding that gives a plausible text), and the lines of a file one at a
time. Bad bytes are one :class:`InputError` line, never silent mojibake.
"""

from __future__ import annotations

import codecs
import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from ..errors import InputError


def decode(data: bytes, encoding: str | None = None, declared: str | None = None) -> tuple[str, str]:
    """Decode file bytes to text; returns ``(text, encoding)``.

    UTF-8 (with or without a byte-order mark) and UTF-16 with a byte-order mark are
    read as such; other bytes are decoded only when exactly one single-byte news
    encoding (Windows-1252/Latin-1, Windows-1250, Windows-1251, KOI8, ...) gives a
    plausible text (see :func:`guess_legacy_encoding`); bytes that are not UTF-8 are
    first read as ``declared`` (an HTML page's ``<meta charset>``) when they can be.
    Else :class:`InputError` is raised (never silent mojibake). Empty, whitespace-only and binary data (NUL
    bytes) are rejected even when ``encoding`` is forced.
    """
    if not data or data.isspace():  # (not data.strip(): that would copy a large file)
        raise InputError("is empty" if not data else "is empty (only whitespace)")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        if not data or data.isspace():
            raise InputError("is empty (only a byte-order mark)")
    if encoding:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise InputError(f"cannot be decoded as {encoding}: {exc}") from None
        return _checked_text(text.removeprefix("\ufeff")), encoding
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(f"has a UTF-16 byte-order mark but is not valid UTF-16 ({exc.reason})") from None
        return _checked_text(text), "utf-16"
    nul = data.find(b"\x00")
    if nul != -1:
        raise InputError(f"is binary, not text (NUL byte at offset {nul})")
    try:
        return _checked_text(data.decode("utf-8"), nul_checked=True), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    sample = data[:4096]
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32 or b == 127)
    if controls > len(sample) * 0.05:
        raise InputError("is binary, not text (many control bytes)")
    if declared:  # what an HTML page says it is, when it is not UTF-8
        try:
            return _checked_text(data.decode(declared)), declared
        except UnicodeDecodeError:
            pass  # it is not what it says: judged as any other file
    not_utf8 = f"is not UTF-8 (invalid byte 0x{data[utf8_error.start]:02x} at offset {utf8_error.start})"
    name = guess_legacy_encoding(data, not_utf8)
    try:
        return _checked_text(data.decode(name)), name
    except UnicodeDecodeError as exc:  # a byte past the sample that the encoding lacks
        raise InputError(f"{not_utf8} and is not {ENCODING_NAMES[name]} either (byte 0x{data[exc.start]:02x} "
                         f"at offset {exc.start}); convert it to UTF-8 or pass --encoding") from None


def _checked_text(text: str, nul_checked: bool = False) -> str:
    """``text`` unless it holds a NUL or nothing but white space. ``nul_checked``: its bytes
    had no NUL, and it is UTF-8, where only that byte gives a NUL character."""
    nul = -1 if nul_checked else text.find("\x00")
    if nul != -1:
        raise InputError(f"is binary, not text (NUL character at position {nul})")
    if not text or text.isspace():  # (not text.strip(): that would copy a large file)
        raise InputError("is empty (only whitespace)")
    return text


# Single-byte encodings tried for files that are not UTF-8, in order of preference.
# Latin-1 files are read as Windows-1252 (the same letters; 0x80-0x9F are C1
# controls in Latin-1 and punctuation in Windows-1252).
ENCODING_NAMES = {
    "cp1252": "Windows-1252 (Latin-1)", "cp1250": "Windows-1250", "iso8859_2": "ISO-8859-2",
    "cp1251": "Windows-1251", "koi8_r": "KOI8-R", "koi8_u": "KOI8-U", "cp1254": "Windows-1254 (Turkish)",
}
# The non-ASCII letters of the languages those encodings are used for. A reading is
# plausible when one language accounts for (nearly) all the non-ASCII letters in it.
_CYRILLIC = "абвгдежзийклмнопрстуфхцчшщъыьэюя"
_LATIN_ALPHABETS = {
    "French": "àâæçéèêëîïôœùûüÿ", "German": "äöüß", "Spanish": "áéíñóúü", "Portuguese": "áâãàçéêíóôõú",
    "Italian": "àèéìíîòóùú", "Catalan": "àçèéíïòóúü", "Dutch": "áéèëïóöü", "Danish/Norwegian": "æøåéó",
    "Swedish/Finnish": "åäöé", "Icelandic": "áðéíóúýþæö", "Polish": "ąćęłńóśźż",
    "Czech": "áčďéěíňóřšťúůýž", "Slovak": "áäčďéíĺľňóôŕšťúýž", "Hungarian": "áéíóöőúüű",
    "Romanian": "ăâîșțşţ", "Croatian/Slovenian": "čćđšž", "Estonian": "äöõüšž", "Albanian": "çë",
    "Turkish": "çğıöşüâîû",
}
_CYRILLIC_ALPHABETS = {  # a Cyrillic text's letters must (nearly) all be of one of these
    "Russian/Ukrainian/Belarusian/Bulgarian": _CYRILLIC + "ёґєіїў",
    "Serbian/Macedonian": "абвгдђежзијклљмнњопрстћуфхцчџшѓѕќ",
}
_ALPHABETS = {**_LATIN_ALPHABETS, **_CYRILLIC_ALPHABETS}
_COMMON_CYRILLIC = set("оаеинтсрвл")  # about 60% of the letters of a Russian, Ukrainian, ... text
_COMMON_SYMBOLS = set("«»„“”‘’‚–—…•·§©®™°±×€£¥¢№¡¿½¼¾")
_IN_WORD_SYMBOLS = set("°²’'·.©®™")  # may touch a letter: 25°C, km², l·l, Brand™
_ONE_LETTER_WORDS = set("àèéáóòőøå" "авиоксуяізй")  # non-ASCII letters that are words on their own
_NOT_SPANISH_N = re.compile("[ñÑ](?![aeiouáéíóúAEIOUÁÉÍÓÚ])")  # ñ comes before a vowel
_NOT_POLISH_N = re.compile("[ńŃ](?=[aeiouyąęóAEIOUYĄĘÓ])")  # ń never does (that is "ni")
_ALPHABET_SETS = [set(a) for a in _ALPHABETS.values()]
_NON_ASCII_TOKEN = re.compile(rb"\S*[\x80-\xff]\S*")


@dataclass
class _Reading:
    encoding: str
    text: str
    bad: float  # share of non-ASCII words no language writes: mixed scripts, sym¹bols inside, cASE
    coverage: float  # share of the non-ASCII letters that belong to the best-fitting language
    alphabet: str  # that language's non-ASCII letters
    common: float  # for Cyrillic: share of the most frequent letters, relative to what languages have
    in_bad_word: bytearray  # 1 at each position of the text inside a word counted in ``bad``


def guess_legacy_encoding(data: bytes, problem: str) -> str:
    """The single-byte encoding that gives the one plausible text for ``data``, or
    :class:`InputError` naming the problem (no plausible reading, or two that read
    differently and cannot be told apart: both readings of the first such word)."""
    # Only words with non-ASCII bytes tell encodings apart: read the first 2000 of them.
    sample = b" ".join(m.group() for m in itertools.islice(_NON_ASCII_TOKEN.finditer(data), 2000))
    texts: dict[str, _Reading] = {}
    for name in ENCODING_NAMES:
        reading = _read_as(sample, name)
        if reading is not None and reading.bad <= 0.1:
            texts.setdefault(reading.text, reading)  # one reading per text, the preferred encoding first
    candidates = list(texts.values())
    if len(candidates) == 1 and candidates[0].coverage >= 0.75:
        return candidates[0].encoding
    if len(candidates) <= 1:
        raise InputError(f"{problem} and its encoding could not be told (no known encoding gives readable "
                         "text); convert it to UTF-8 or pass --encoding")
    differ = [i for i, byte in enumerate(sample) if byte > 127 and len({r.text[i] for r in candidates}) > 1]
    # Where the readings disagree, a reading that makes no word there loses: "Seńor" (ń before a
    # vowel) against "Señor", "˝ Stunde" against "½ Stunde", "powiedzia³" against "powiedział".
    candidates = [r for r in candidates if not any(r.in_bad_word[i] for i in differ)] or candidates
    if len(candidates) == 1:
        if candidates[0].coverage >= 0.75:
            return candidates[0].encoding
        raise InputError(f"{problem} and its encoding could not be told (its letters fit no one language); "
                         "convert it to UTF-8 or pass --encoding")

    def score(r: _Reading) -> float:  # how well the characters the readings disagree on fit this one
        chars = [r.text[i].lower() for i in differ]
        fits = sum(1 for c in chars if c in r.alphabet or c in _COMMON_SYMBOLS) / len(chars)
        return r.coverage * fits * r.common - r.bad

    # No preference between encodings: "Città" and "Cittŕ", "Èeská" and "Česká" are each one
    # letter apart; when the text holds too little to tell, it is rejected, never guessed.
    scores = {r.encoding: score(r) for r in candidates}
    best, second = sorted(candidates, key=lambda r: scores[r.encoding], reverse=True)[:2]
    disputed_words = {_word_at(best.text, i) for i in differ}
    if len(differ) >= 8 and len(disputed_words) >= 5 and best.coverage >= 0.95 \
            and scores[best.encoding] - scores[second.encoding] >= 0.15:
        return best.encoding  # enough words in dispute, their letters one language's, fitting this reading better
    word = _word_at(best.text, differ[0]), _word_at(second.text, differ[0])
    raise InputError(
        f"{problem} and its encoding is ambiguous: {ENCODING_NAMES[best.encoding]} reads {word[0]!r}, "
        f"{ENCODING_NAMES[second.encoding]} reads {word[1]!r}; convert it to UTF-8 or pass --encoding"
    )


def _read_as(sample: bytes, encoding: str) -> _Reading | None:
    try:
        text = sample.decode(encoding)
    except UnicodeDecodeError:
        return None
    letters: Counter[str] = Counter()
    words = bad = 0
    in_bad_word = bytearray(len(text))
    start = 0
    for token in text.split(" "):
        if any(not ch.isascii() and unicodedata.category(ch)[0] == "C" for ch in token):
            return None  # a control character or an unassigned byte: not this encoding
        for part in re.split(r"['’\-]", token.strip(_EDGE_PUNCTUATION)):
            if part.isascii():
                continue
            words += 1
            if not _word_like(part):
                bad += 1
                in_bad_word[start : start + len(token)] = b"\x01" * len(token)
            letters.update(_fold(ch) for ch in part if ch.isalpha() and not _fold(ch).isascii())
        start += len(token) + 1
    total = sum(letters.values())
    if not total:  # no non-ASCII letters: nothing to tell languages by
        return _Reading(encoding, text, bad / words if words else 0.0, 1.0, "", 1.0, in_bad_word)
    language, covered = max(
        ((name, sum(n for ch, n in letters.items() if ch in alphabet)) for name, alphabet in _ALPHABETS.items()),
        key=lambda pair: pair[1],
    )
    coverage, common = covered / total, 1.0
    if language in _CYRILLIC_ALPHABETS:
        if coverage < 0.97:
            coverage = 0.0  # a Cyrillic text has next to no letters of other alphabets: "Џрезидент" is Mac Cyrillic
        common = min(1.0, sum(n for ch, n in letters.items() if ch in _COMMON_CYRILLIC) / total / 0.45)
    return _Reading(encoding, text, bad / words, coverage, _ALPHABETS[language], common, in_bad_word)


_EDGE_PUNCTUATION = "\"'’‘“”«»„‚‹›()[]{}<>.,;:!?¡¿…–—-*/\\|#%&_+=~^`@$€£¥§°№•·"


def _word_like(word: str) -> bool:
    """A word as languages write it: letters of one script and of one language's
    alphabet, no odd symbol touching a letter, no box drawing, and lower case,
    Capitalized or UPPER CASE."""
    scripts = set()
    for i, ch in enumerate(word):
        if ch.isalpha():
            scripts.add(unicodedata.name(ch, "?").split(" ", 1)[0])
        elif "\u2500" <= ch <= "\u25ff" or unicodedata.category(ch) == "Sk":
            return False  # box drawing, a lone accent (˝ ˇ ¨): a misread code page
        elif ((i and word[i - 1].isalpha()) or word[i + 1 : i + 2].isalpha()) and ch not in _IN_WORD_SYMBOLS \
                and not unicodedata.category(ch).startswith("M"):
            return False  # a symbol touching a letter: "powiedzia³" (Polish read as Windows-1252)
    if len(scripts) > 1:
        return False  # "Zьrich" (Latin-1 read as Windows-1251)
    special = {_fold(ch) for ch in word if ch.isalpha() and not _fold(ch).isascii()}
    if special and not any(special <= alphabet for alphabet in _ALPHABET_SETS):
        return False  # "Œîñêâà": no language writes these letters together
    if _NOT_SPANISH_N.search(word) or _NOT_POLISH_N.search(word):
        return False  # "zakoñczone" is Polish read as Windows-1252, "espańol" Spanish read as Windows-1250
    letters = "".join(ch for ch in word if ch.isalpha())
    if len(letters) == 1 and not letters.isascii() and letters.lower() not in _ONE_LETTER_WORDS:
        return False  # "č" alone is no word (the Italian "è" read as Windows-1250), nor "Ђ5" ("€5")
    if len(letters) >= 2 and special and scripts == {"LATIN"} \
            and sum(1 for ch in letters if not ch.isascii()) * 3 > len(letters) * 2:
        return False  # "çàÿâèâ": Latin words are mostly plain letters (Ukrainian read as Windows-1252)
    return not letters or letters.islower() or letters.isupper() or (letters[0].isupper() and letters[1:].islower())


def _fold(letter: str) -> str:
    """A letter in lower case, as one character (the Turkish "İ" lowers to "i" and a dot)."""
    return letter.lower()[:1]


def _word_at(text: str, position: int) -> str:
    start = position
    while start > 0 and not text[start - 1].isspace() and position - start < 20:
        start -= 1
    end = position
    while end < len(text) and not text[end].isspace() and end - position < 20:
        end += 1
    return text[start:end]



def utf8_lines(data: bytes) -> Iterator[str] | None:
    """The lines of a UTF-8 file (a UTF-8 byte-order mark dropped), each decoded when it is
    read, or None when :func:`decode` must judge the bytes (empty, UTF-16, NUL bytes, not
    UTF-8). Gives the same lines as ``decode(data)[0].split("\\n")`` without building the
    whole text first: a 470 MB file's first record goes out in a fraction of a second, not
    after seconds of decoding, and the file is not held in memory twice."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if (data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data
            or not _ASCII_NOT_SPACE.search(data)):  # empty, or maybe only (Unicode) white space
        return None
    if not data.isascii():  # every line must decode before the first one is handed out
        validate = codecs.getincrementaldecoder("utf-8")().decode
        view = memoryview(data)
        try:
            for start in range(0, len(data), _VALIDATE_CHUNK):
                validate(view[start:start + _VALIDATE_CHUNK])
            validate(b"", final=True)
        except UnicodeDecodeError:
            return None
    return _decoded_lines(data)


_VALIDATE_CHUNK = 1 << 20
_ASCII_NOT_SPACE = re.compile(rb"[^\s\x1c-\x1f\x80-\xff]")  # what str.isspace() never accepts


def _decoded_lines(data: bytes) -> Iterator[str]:
    start = 0
    while True:
        end = data.find(b"\n", start)
        if end == -1:
            yield data[start:].decode("utf-8")
            return
        yield data[start:end].decode("utf-8")
        start = end + 1


def split_lines(text: str) -> Iterator[str]:
    """``text.split("\\n")`` one line at a time: the first record of a large file goes out at
    once, and the file is not held twice in memory."""
    start = 0
    while True:
        end = text.find("\n", start)
        if end == -1:
            yield text[start:]
            return
        yield text[start:end]
        start = end + 1

