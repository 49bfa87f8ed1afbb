"""English word forms for lexicon terms written ``word~``, from the lemminflect word lists.

The forms of every ``~`` word in the shipped codebooks are kept in
``annotator/data/word_forms.json`` (made by ``python -m annotator.lexicon.word_forms``;
a test checks it is up to date), so opening the TUI or running ``suggest`` does not load
lemminflect's tables (bench/notes.md, "Measured choices"). A word not in the file, from a
codebook of your own, is looked up in lemminflect when it is first met.
"""

from __future__ import annotations

import json
import sys
from functools import lru_cache
from pathlib import Path

SHIPPED_FORMS = Path(__file__).resolve().parent.parent / "data" / "word_forms.json"
FORMS_PER_WORD = 12  # at most this many forms of a word are used: an upper bound for counting


def word_forms(word: str) -> tuple[str, ...]:
    """``word`` and its English inflections (nouns' plurals, verbs' -s, -ed, -ing forms), case kept."""
    lower = word.lower()
    forms = set(_shipped().get(lower) or _inflections(lower)) | {lower}
    if word[:1].isupper():
        forms = {form[:1].upper() + form[1:] for form in forms}
    forms.add(word)
    return tuple(sorted(forms, key=lambda f: (f != word, len(f), f)))[:FORMS_PER_WORD]


@lru_cache(maxsize=1)
def _shipped() -> dict[str, list[str]]:
    try:
        return json.loads(SHIPPED_FORMS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


@lru_cache(maxsize=4096)
def _inflections(lower: str) -> tuple[str, ...]:
    """The word's inflections as lemminflect knows them (nouns, verbs, adjectives)."""
    from lemminflect import getAllInflections, getAllInflectionsOOV  # only for words the shipped file lacks

    forms = {lower}
    for upos in ("NOUN", "VERB", "ADJ"):
        for inflected in getAllInflections(lower, upos=upos).values():
            forms.update(inflected)
    if forms == {lower}:  # a word its lists do not hold ("charade"): the regular plural
        for inflected in getAllInflectionsOOV(lower, upos="NOUN").values():
            forms.update(inflected)
    return tuple(sorted(forms))


def shipped_words() -> list[str]:
    """Every ``word~`` of the shipped codebooks, lower case."""
    from ..codebook import codebook_files, load_codebook
    from .terms import tilde_words

    words: set[str] = set()
    for path in codebook_files():
        book = load_codebook(path)
        terms = list(book.proper_names)
        for category in book.categories:
            for concept in category.lexicon:
                for variant in concept.variants:
                    terms.extend(variant.terms)
        for term in terms:
            words.update(word.lower() for word in tilde_words(term))
    return sorted(words)


def render_shipped_forms() -> str:
    """The content ``annotator/data/word_forms.json`` should have."""
    return json.dumps({word: list(_inflections(word)) for word in shipped_words()}, indent=1, sort_keys=True) + "\n"


if __name__ == "__main__":
    SHIPPED_FORMS.write_text(render_shipped_forms(), encoding="utf-8")
    print(f"{SHIPPED_FORMS}: {len(shipped_words())} words", file=sys.stderr)
