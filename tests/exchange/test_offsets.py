"""Foreign offsets as code points into the canonical text (annotator.exchange.offsets):
UTF-16 units and code points told apart by the quoted text, on emoji, combining marks and
CRLF; a span that does not fit is refused, never moved."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.exchange.offsets import CanonicalMap, OffsetReader, SpanError, utf16_length
from annotator.ingest.importer import build_article
from annotator.ingest.records import Record
from annotator.outlets.registry import OutletIndex

# the cat is one code point and two UTF-16 units; the family five code points and eight units
TEXT = "🐱 says Kiev, 👨\u200d👩\u200d👧 say Kyiv"


def utf16_span(text: str, word: str) -> tuple[int, int]:
    start = text.index(word)
    return utf16_length(text[:start]), utf16_length(text[:start + len(word)])


def cp_span(text: str, word: str) -> tuple[int, int]:
    start = text.index(word)
    return start, start + len(word)


@pytest.mark.parametrize("word", ["Kiev", "Kyiv", "👨\u200d👩\u200d👧", "🐱"])
def test_utf16_offsets_become_code_points(word):
    start, end = utf16_span(TEXT, word)
    assert OffsetReader(TEXT, "utf16").span(start, end, word) == cp_span(TEXT, word)
    assert OffsetReader(TEXT, "auto").span(start, end, word) == cp_span(TEXT, word)


@pytest.mark.parametrize("word", ["Kiev", "Kyiv", "👨\u200d👩\u200d👧"])
def test_code_points_are_kept_and_auto_tells_them_from_utf16(word):
    start, end = cp_span(TEXT, word)
    assert OffsetReader(TEXT, "codepoints").span(start, end, word) == (start, end)
    reader = OffsetReader(TEXT, "auto")
    assert reader.span(start, end, word) == (start, end)
    assert reader.decided == "codepoints"


def test_wrong_units_are_refused_not_shifted():
    start, end = utf16_span(TEXT, "Kiev")
    with pytest.raises(SpanError, match="not the quoted"):
        OffsetReader(TEXT, "codepoints").span(start, end, "Kiev")
    start, end = cp_span(TEXT, "Kyiv")
    with pytest.raises(SpanError, match="not the quoted"):
        OffsetReader(TEXT, "utf16").span(start, end, "Kyiv")
    with pytest.raises(SpanError, match="neither code points nor UTF-16"):
        OffsetReader(TEXT, "auto").span(start, end + 1, "Kyiv")


def test_half_a_surrogate_pair_is_refused():
    with pytest.raises(SpanError, match="half a surrogate pair"):
        OffsetReader(TEXT, "utf16").span(1, 6, None)


def test_outside_the_text_and_empty_spans_are_refused():
    reader = OffsetReader("short", "codepoints")
    with pytest.raises(SpanError, match="outside the text"):
        reader.span(2, 99, None)
    with pytest.raises(SpanError, match="empty or reversed"):
        reader.span(3, 3, None)
    with pytest.raises(SpanError, match="not whole numbers"):
        reader.span("1", 3, None)  # type: ignore[arg-type]


def test_a_span_without_text_uses_the_formats_counting_after_an_emoji():
    start, end = utf16_span(TEXT, "Kyiv")
    assert OffsetReader(TEXT, "auto", default="utf16").span(start, end, None) == cp_span(TEXT, "Kyiv")
    # before any emoji both readings agree
    assert OffsetReader("Kiev 🐱", "auto", default="utf16").span(0, 4, None) == (0, 4)


def test_a_quote_found_under_both_readings_follows_the_documents_other_spans():
    ambiguous = "🐱aaaa"  # "aa" at 2..4 in code points, and at UTF-16 units 2..4 (code points 1..3)
    with pytest.raises(SpanError, match="say which with --offsets"):
        OffsetReader(ambiguous, "auto").span(2, 4, "aa")
    reader = OffsetReader("🐱b 🐱aaaa", "auto")
    assert reader.span(2, 3, "b") == (1, 2)  # only UTF-16 puts "b" there: the document counts UTF-16
    assert reader.span(6, 8, "aa") == (4, 6)


def article_of(text: str):
    return build_article(Record(Path("x.jsonl"), "line 1", {"text": text}, "jsonl"), None, OutletIndex([]))


def test_crlf_combining_marks_and_emoji_map_onto_the_canonical_text():
    source = "Headline\r\n\r\nCafe\u0301 🐱 in Kiev\r\nthen q\u0303 and Kyiv 👨\u200d👩\u200d👧.\r\n"
    article = article_of(source)
    assert "\r" not in article.text and "Café" in article.text
    mapping = CanonicalMap(source, article.text, article.removed)
    for word in ("Kiev", "Kyiv", "q\u0303", "👨\u200d👩\u200d👧", "Cafe\u0301"):
        start, end = cp_span(source, word)
        a, b = mapping.span(start, end)
        assert article.text[a:b] == ("Café" if word.startswith("Cafe") else word)
    start, end = cp_span(source, "Kiev\r\nthen")
    a, b = mapping.span(start, end)
    assert article.text[a:b] == "Kiev\nthen"


def test_a_span_in_text_the_import_leaves_out_is_refused_with_the_rule():
    source = "Headline words\n\nBody text with Kiev."
    article = article_of(source)
    mapping = CanonicalMap(source, article.text, article.removed)
    with pytest.raises(SpanError, match="title"):
        mapping.span(0, 8)
    assert article.text[slice(*mapping.span(*cp_span(source, "Kiev")))] == "Kiev"


def test_a_span_that_normalization_changes_is_refused():
    source = "Title\n\nOne line with trailing   \nnext line here"
    article = article_of(source)
    mapping = CanonicalMap(source, article.text, article.removed)
    start = source.index("trailing")
    with pytest.raises(SpanError):
        mapping.span(start, start + len("trailing   "))


def test_the_canonical_text_itself_maps_to_itself():
    mapping = CanonicalMap(TEXT, TEXT)
    assert mapping.span(3, 7) == (3, 7)


def test_spans_map_the_same_in_any_order():
    words = [f"w{i}é🐱" for i in range(300)]
    source = "Title line\r\n\r\n" + "\r\n".join(" ".join(words[i:i + 7]) for i in range(0, 300, 7)) + "\r\n"
    article = article_of(source)
    spans = [cp_span(source, w + " ") for w in words[:-1] if w + " " in source]
    spans = [(a, b - 1) for a, b in spans]
    forward = CanonicalMap(source, article.text, article.removed)
    backward = CanonicalMap(source, article.text, article.removed)
    got = [forward.span(a, b) for a, b in spans]
    assert [backward.span(a, b) for a, b in reversed(spans)] == list(reversed(got))
    assert [article.text[a:b] for a, b in got] == [source[a:b] for a, b in spans]
