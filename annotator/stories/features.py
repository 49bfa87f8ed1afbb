"""What suggested stories compare: an article's named entities and its quotations.

No statistical model: the named-entity recognisers that work offline (spaCy's pipelines,
GLiNER, NLTK's chunker) need model files or data downloaded apart from their packages, and
running them over 100,000 articles would take far longer than reading the text. What reports
of one event share is mostly their proper names (people, places, institutions) and the words
they quote, and English marks both in the text, so a careful heuristic does:

* **Entities** are capitalised words (``Putin``, ``Kremlin``, ``RIA``) that are not common
  words capitalised by position. A word counts when it is capitalised somewhere inside a
  sentence; at the start of a sentence, a line or a quotation, or in a headline written in
  title case, it counts only when it is also capitalised elsewhere, or when the next word is
  capitalised too (``Dmitry Peskov said``). Words the text also writes in lower case as
  often or more (``Talks``/``talks``), function words, titles (``President``), months and weekdays
  are never entities. Hyphenated names are split (``Putin-Zelensky``). Entities are compared
  by their words, so "Vladimir Putin", "President Putin" and "Putin" share ``putin``; words are
  folded (case, accents, the possessive ``'s``, doubled letters), so "Zelenskyy" and
  "Zelensky" are one.
* **Salient entities** are the ones an article is about: those named at least twice (up to
  :data:`MAX_ENTITIES`, most named first), filled up to :data:`MIN_ENTITIES` with the first
  ones named once (short texts).
* **Quotations** are runs of text in double quotes (straight, curly, low-9, guillemets) or
  curly single quotes; two articles share one when both quote the same
  :data:`QUOTE_WORDS` consecutive words (folded as entities are). They are kept as 64-bit
  hashes of each run of that many words (*shingles*), so 100,000 articles fit in memory.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from array import array
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

MAX_ENTITIES = 25  # salient entities kept per article
MIN_ENTITIES = 8  # filled up to this many with entities named once
QUOTE_WORDS = 6  # consecutive quoted words that make a shared quotation

_TOKEN_RE = re.compile(r"[^\W\d_][\w'’]*(?:-[\w'’]+)*")
# A sentence or line starts after these (with spaces between): a token after them is "initial".
_OPENERS = set(".!?:;\"“”‘'«»„([{—–-•|*#>")
_QUOTE_RES = (
    re.compile(r"\"([^\"\n]{1,3000})\""),
    re.compile(r"“([^”\n]{1,3000})”"),
    re.compile(r"„([^“”\n]{1,3000})[“”]"),
    re.compile(r"«([^»\n]{1,3000})»"),
    re.compile(r"‘([^’\n]{1,3000})’(?!\w)"),
)
_WORD_RE = re.compile(r"\w+")
_DOUBLED_RE = re.compile(r"([^\W\d_])\1+")
_POSSESSIVE_RE = re.compile(r"['’]s?$")

# Capitalised by position or by office, never entities (folded forms).
_STOPWORDS_WRITTEN = """
a about above according across after afterwards again against ago all almost along already also although always
among an and another any anyone anything are as at back be because been before being below beside besides
between beyond both but by can cannot could despite did do does doing done down during each either else
even ever every except few first for from further had has have having he her here hers herself him himself his
how however i if in including instead into is it its itself just last later least less like many may me meanwhile
might more most much must my myself neither never nevertheless next no nobody none nor not nothing now of off
often on once one only onto or other others otherwise our ours out over own per perhaps please rather same
second several she should since so some someone something sometimes still such than that the their theirs them
themselves then there therefore these they third this those though through throughout thus to today together
tomorrow too toward towards under unless until up upon us very via was we well were what whatever when whenever
where whereas whether which while who whoever whom whose why will with within without would yes yesterday yet you
your yours yourself oops
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec
monday tuesday wednesday thursday friday saturday sunday
mr mrs ms dr prof sir madam gen general col lt capt sen senator rep president presidents vice prime minister
ministers ministry secretary chancellor chairman chairwoman chair spokesman spokeswoman spokesperson
spokespeople king queen prince princess pope mayor governor ambassador envoy deputy head chief leader
leaders commander officials official press photo video live audio image file read more news update updated
published related share comments comment subscribe follow advertisement sign login log menu home watch listen
"""


@dataclass(frozen=True, slots=True)
class Features:
    """What the comparison keeps of one article: its salient entity keys (folded) and the
    hashes of its quoted word runs, sorted."""

    entities: tuple[str, ...]
    quotes: array  # array('Q') of shingle hashes, sorted, unique


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """A word as entities and quotations are compared: lower case, no accents, no
    possessive, doubled letters single (``Zelenskyy's`` → ``zelensky``)."""
    word = _POSSESSIVE_RE.sub("", word.lower())
    if not word.isascii():
        word = "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))
    return _DOUBLED_RE.sub(r"\1", word)


_STOPWORDS = frozenset(fold(w) for w in _STOPWORDS_WRITTEN.split())


def _mentions(text: str, lower_counts: Counter[str]) -> Iterator[tuple[str, bool, bool]]:
    """Every capitalised word part of ``text`` as (word, initial: it stands where any word would
    be capitalised (the start of a line, a sentence or a quotation, or a title-case line),
    followed: the next word is capitalised too (a full name)). Counts the words written in
    lower case into ``lower_counts`` (as written)."""
    for line in text.split("\n"):
        tokens = list(_TOKEN_RE.finditer(line))
        if not tokens:
            continue
        words = [t.group() for t in tokens]
        capitals = [i for i, w in enumerate(words) if w[0].isupper()]
        if len(capitals) < len(words):
            lower_counts.update(w for w in words if not w[0].isupper())
        if not capitals:
            continue
        headline = len(words) >= 4 and len(capitals) >= 0.7 * len(words)
        for index in capitals:
            match, word = tokens[index], words[index]
            before = line[tokens[index - 1].end():match.start()].strip() if index else ""
            initial = headline or index == 0 or (bool(before) and before[-1] in _OPENERS)
            followed = (not headline and index + 1 < len(words) and words[index + 1][0].isupper()
                        and not line[match.end():tokens[index + 1].start()].strip())
            if "-" not in word:
                yield word, initial, followed
                continue
            for position, part in enumerate(word.split("-")):
                if len(part) > 1 and part[0].isupper():
                    yield part, initial and position == 0, followed


def entity_counts(text: str) -> tuple[Counter[str], dict[str, str]]:
    """The entities ``text`` names (folded keys, see the module docstring) with how often,
    and each key's surface form as first written, in order of first mention."""
    written_lower: Counter[str] = Counter()
    mentions = list(_mentions(text, written_lower))
    lower: Counter[str] = Counter()
    for word, n in written_lower.items():
        lower[fold(word)] += n
    inside: set[str] = set()  # keys capitalised inside a sentence, or in a run of capitals
    keyed = []
    for surface, initial, followed in mentions:
        key = fold(surface)
        if len(key) < 2 or key in _STOPWORDS:
            continue
        keyed.append((key, surface))
        if not initial or followed:
            inside.add(key)
    capitalised = Counter(key for key, _ in keyed)
    counts: Counter[str] = Counter()
    surfaces: dict[str, str] = {}
    for key, surface in keyed:
        if key in inside and (surface.isupper() or lower[key] < capitalised[key]):
            counts[key] += 1
            if key not in surfaces:
                surfaces[key] = _POSSESSIVE_RE.sub("", surface)
    return counts, surfaces


def salient(counts: Counter[str]) -> tuple[str, ...]:
    """The entities an article is about: named at least twice, most named first (at most
    :data:`MAX_ENTITIES`), filled up to :data:`MIN_ENTITIES` with the first named once."""
    order = {key: rank for rank, key in enumerate(counts)}  # first mention
    ranked = sorted(counts, key=lambda k: (-counts[k], order[k]))
    chosen = [k for k in ranked if counts[k] >= 2][:MAX_ENTITIES]
    if len(chosen) < MIN_ENTITIES:
        chosen += [k for k in counts if counts[k] < 2][:MIN_ENTITIES - len(chosen)]
    return tuple(sys.intern(k) for k in chosen)


def quotations(text: str) -> list[str]:
    """The quoted passages of ``text`` (see the module docstring), in order."""
    found = []
    for pattern in _QUOTE_RES:
        found.extend((m.start(), m.group(1)) for m in pattern.finditer(text))
    return [q for _, q in sorted(found)]


def quote_words(quote: str) -> list[str]:
    """A quotation's words, folded."""
    return [fold(w) for w in _WORD_RE.findall(quote)]


def _shingle_hash(words: list[str]) -> int:
    return hash(" ".join(words)) & 0xFFFFFFFFFFFFFFFF


def quote_shingles(text: str, size: int = QUOTE_WORDS) -> array:
    """The sorted unique hashes of every run of ``size`` words inside a quotation."""
    hashes = set()
    for quote in quotations(text):
        words = quote_words(quote)
        hashes.update(_shingle_hash(words[i:i + size]) for i in range(len(words) - size + 1))
    return array("Q", sorted(hashes))


def article_source(title: str | None, text: str) -> str:
    """The text entities are read from: the text, with the title before it when the text does
    not hold it (records give a title apart; a plain-text file's first line is its title)."""
    return text if not title or title in text[: len(title) + 2000] else f"{title}\n{text}"


def features(title: str | None, text: str, quote_size: int = QUOTE_WORDS) -> Features:
    """What the comparison keeps of an article (see :class:`Features`)."""
    source = article_source(title, text)
    counts, _ = entity_counts(source)
    return Features(salient(counts), quote_shingles(source, quote_size))


def shared_quotations(texts: list[str], size: int = QUOTE_WORDS) -> list[tuple[str, int]]:
    """The quotations that at least two of ``texts`` share (``size`` or more consecutive
    words in common), as the first text quoting them wrote the shared words, with how many
    of the texts quote them; longest first."""
    per_text = [quote_shingles(t, size) for t in texts]
    seen: Counter[int] = Counter()
    for hashes in per_text:
        seen.update(hashes)
    shared_hashes = {h for h, n in seen.items() if n >= 2}
    results: dict[str, tuple[str, int]] = {}  # folded words: (as first written, texts quoting them)
    for text, hashes in zip(texts, per_text):
        if not shared_hashes.intersection(hashes):
            continue
        for quote in quotations(text):
            for run in _shared_runs(quote, shared_hashes, size):
                words = quote_words(run)
                key = " ".join(words)
                if key not in results:
                    first = _shingle_hash(words[:size])
                    results[key] = (run, sum(1 for hs in per_text if first in hs))
    longest = [value for key, value in results.items() if not any(key in other for other in results if other != key)]
    return sorted(longest, key=lambda item: (-len(item[0]), item[0]))


def _shared_runs(quote: str, shared: set[int], size: int) -> Iterator[str]:
    """The longest stretches of ``quote`` whose every ``size``-word run is in ``shared``, as written."""
    matches = list(_WORD_RE.finditer(quote))
    words = [fold(m.group()) for m in matches]
    hits = [_shingle_hash(words[i:i + size]) in shared for i in range(len(words) - size + 1)]
    i = 0
    while i < len(hits):
        if not hits[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(hits) and hits[j + 1]:
            j += 1
        yield quote[matches[i].start():matches[j + size - 1].end()]
        i = j + 1
