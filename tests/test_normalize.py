from hypothesis import given, strategies as st

from annotator.normalize import clean_line, normalize_text


def test_newline_variants_become_one_newline():
    assert normalize_text("a\r\nb\rc\u2028d\u2029e\x85f\x0bg\x0ch") == "a\nb\nc\nd\ne\nf\ng\nh"


def test_terminal_escape_sequences_are_removed():
    text = "red \x1b[31mALERT\x1b[0m title \x1b]0;pwned\x07 osc \x1bP1$r\x1b\\ dcs \x9b2J c1"
    out = normalize_text(text)
    assert "\x1b" not in out and "\x9b" not in out and "\x07" not in out
    assert out == "red ALERT title  osc  dcs  c1"


def test_controls_removed_but_tab_and_newline_kept():
    assert normalize_text("a\x00b\x01\tc\nd\x7fe\x85") == "ab\tc\nde\n"


def test_nfc():
    assert normalize_text("e\u0301") == "\u00e9"


def test_clean_line_collapses_whitespace():
    assert clean_line("  A\n title\twith  gaps \x1b[2J") == "A title with gaps"


@given(st.text())
def test_normalization_is_idempotent_and_terminal_safe(text):
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert not any(ord(c) < 32 and c not in "\t\n" for c in once)
    assert not any(0x7F <= ord(c) <= 0x9F for c in once)
