"""How tags and suggestions are painted: a tag in its label's colour, the current one on top
and marked, a label the codebook no longer has still shown (in yellow), notes not painted."""

from __future__ import annotations

from rich.color import Color

from annotator.codebook import find_codebook
from annotator.models import Annotation
from annotator.tui.widgets.highlights import Highlights, readable_on

BOOK = find_codebook("ru-ua-framing")
TEXT = "Officials in Kiev said the special military operation goes on."


def span(label: str, start: int, end: int, category: str = "term") -> Annotation:
    return Annotation(article_id="a1", text_sha256="0" * 64, annotator="ann", codebook_id=BOOK.id,
                      codebook_version=str(BOOK.version), category=category, label=label,
                      start=start, end=end, quote=TEXT[start:end])


def test_each_tag_is_painted_in_its_labels_colour_with_readable_text():
    kremlin = span("kremlin-form", 13, 17)
    (paint,) = Highlights().tags([kremlin], BOOK)
    colour = BOOK.label("term", "kremlin-form").color
    assert (paint.start, paint.end) == (13, 17)
    assert paint.style.bgcolor == Color.parse(colour)
    assert paint.style.color == Color.parse(readable_on(colour))
    assert not paint.style.bold and not paint.style.underline


def test_the_current_tag_is_painted_last_and_marked():
    first, second = span("kremlin-form", 13, 17), span("neutral-form", 27, 53)
    paints = Highlights().tags([first, second], BOOK, current=first.uuid)
    assert [(p.start, p.end) for p in paints] == [(27, 53), (13, 17)]  # drawn on top of any overlap
    assert paints[-1].style.bold and paints[-1].style.underline
    assert not paints[0].style.bold


def test_a_label_the_codebook_no_longer_has_is_still_shown_and_notes_are_not_painted():
    gone = span("a-label-removed-since", 0, 9)
    note = Annotation(article_id="a1", text_sha256="0" * 64, annotator="ann", codebook_id=BOOK.id,
                      codebook_version=str(BOOK.version), category="term", label="kremlin-form", note="whole article")
    paints = Highlights().tags([gone, note], BOOK)
    assert [(p.start, p.end, p.style.bgcolor) for p in paints] == [(0, 9, Color.parse("yellow"))]


def test_styles_are_made_once_per_colour():
    highlights = Highlights()
    a, b = highlights.tags([span("kremlin-form", 0, 4), span("kremlin-form", 13, 17)], BOOK)
    assert a.style is b.style  # a long article has thousands of tags: one style object per colour
