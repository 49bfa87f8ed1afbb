"""``annotator export --format doccano``: JSON lines for a doccano Sequence Labeling project.

One line per article and annotator (doccano gives every imported label to the user who
uploads the file, so each annotator's work is a line of its own; upload one annotator's
lines with ``--annotator NAME`` per doccano project or user)::

    {"text": "...", "label": [[870, 874, "term:kremlin-form"]], "cats": ["tone:negative"],
     "article_id": "bbf1e220cedb", "annotator": "maria", "title": "...", "url": null, "publisher": "press-tv"}

``label`` holds the spans as ``[start, end, "category:label"]`` (doccano's default label
column); ``cats`` the answers about the whole article (the name doccano's Intent Detection
import gives document categories; a Sequence Labeling import keeps it, like every other
key, as the example's metadata). Notes and span attributes have no place and are left out.

Offsets count **UTF-16 code units**: doccano's annotator (the v-annotator package,
src/domain/models/Label/Text.ts in github.com/doccano/v-annotator) measures the text with
JavaScript string lengths, so a character beyond U+FFFF (most emoji) counts two (also
reported at https://github.com/doccano/doccano/issues/2484). Leave the project's "Count
grapheme clusters as one character" unticked.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any

from .json_out import dumps
from .documents_out import ArticleTags, Written, flat_label, is_note, is_span, utf16_offsets

NOTES_LEFT_OUT = "notes (doccano has no place for them)"


def doccano_lines(article: ArticleTags, written: Written) -> Iterable[dict[str, Any]]:
    """One doccano example per annotator of ``article``."""
    to_utf16 = utf16_offsets(article.text)
    for name, tags in article.by_annotator():
        spans = [[to_utf16(t["start"]), to_utf16(t["end"]), flat_label(t["category"], t["label"])]
                 for t in tags if is_span(t)]
        cats = [flat_label(t["category"], t["label"]) for t in tags if not is_span(t) and not is_note(t)]
        notes = sum(1 for t in tags if is_note(t))
        if notes:
            written.leave_out(NOTES_LEFT_OUT, notes)
        written.count += len(spans) + len(cats)
        yield {"text": article.text, "label": spans, "cats": cats, "annotator": name, **article.metadata()}


def write_doccano(articles: Iterable[ArticleTags], out: IO[str], written: Written) -> Written:
    for article in articles:
        for line in doccano_lines(article, written):
            out.write(dumps(line) + "\n")
    return written
