"""The term syntax: word forms (~), optional words ([...]) and choices ({a|b}), and the
codebook's one-line refusal of a term it cannot read."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from annotator.cli import main
from annotator.lexicon.terms import MAX_FORMS, TermSyntaxError, check_term, expand_term

from .conftest import make_matcher, texts


def test_a_plain_term_is_itself():
    assert expand_term("  Kiev regime ") == ["Kiev regime"]


def test_word_forms_optional_words_and_choices_spell_out_every_phrase():
    phrases = expand_term("{join~|reunite~ with} [the] Russian Federation")
    for phrase in ("join Russian Federation", "joins the Russian Federation", "joined the Russian Federation",
                   "joining Russian Federation", "reunited with the Russian Federation", "reuniting with Russian Federation"):
        assert phrase in phrases
    assert len(phrases) == len(set(phrases)) == 16  # 4 forms of each verb, with and without "the"
    assert phrases == sorted(phrases, key=lambda p: (-len(p), p))  # longest first


def test_nouns_get_their_plurals_and_capitals_are_kept():
    assert set(expand_term("referendum~")) == {"referendum", "referendums", "referenda"}
    assert "Annexes" in expand_term("Annex~")


def test_a_choice_glued_to_a_word_stays_glued():
    assert expand_term("Kremlin-{installed|aligned}") == ["Kremlin-installed", "Kremlin-aligned"]


@pytest.mark.parametrize(("term", "problem"), [
    ("[the Russian", "never closed"),
    ("the] Russian", "without an opening bracket"),
    ("{join|} Russia", "empty choice"),
    ("join~~ Russia", "~ goes once"),
    ("{a|b|c|d|e|f|g|h} " * 4, f"at most {MAX_FORMS}"),
])
def test_unreadable_terms_are_refused(term, problem):
    with pytest.raises(TermSyntaxError, match=problem):
        check_term(term)


def test_the_matcher_finds_every_form_and_the_why_names_the_term():
    m = make_matcher({"id": "joining", "terms": ["join~ [the] {Russia|Russian Federation}"]})
    text = "They joined Russia; it joins the Russian Federation; joining Russian Federation."
    assert texts(m.find(text)) == ["joined Russia", "joins the Russian Federation", "joining Russian Federation"]
    assert m.find(text)[0].why == "joining: term \u201cjoin~ [the] {Russia|Russian Federation}\u201d"


def test_a_quote_mark_where_words_meet_is_matched_and_held_at_a_distance():
    m = make_matcher({"id": "sham", "terms": ["sham referendums"], "label": "u", "alignment": "ukraine-west"},
                     {"id": "reunification", "terms": ["reunification with Russia"]})
    found = m.find("'Sham' referendums and the \u201creunification\u201d with Russia.")
    assert texts(found) == ["Sham' referendums", "reunification\u201d with Russia"]
    assert [s.voice for s in found] == ["scare-quoted", "scare-quoted"]


def test_a_codebook_with_a_bad_term_is_one_line_naming_it(tmp_path):
    book = tmp_path / "book.yaml"
    book.write_text("""id: bad
version: "1"
title: Bad
alignments: [kremlin]
categories:
  - id: term
    name: Terms
    kind: span
    labels: [{id: k, name: K, description: k, key: "1"}]
    lexicon:
      - concept: c
        variants:
          - {id: v, alignment: kremlin, label: k, terms: ['join~ [the Russia']}
""", encoding="utf-8")
    result = CliRunner().invoke(main, ["codebook", "show", str(book)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    line = result.output.strip()
    assert "terms[0]" in line and "never closed" in line and "Traceback" not in line


def test_the_shipped_word_forms_are_up_to_date():
    """The forms of the shipped codebooks' ``~`` words are read from a file, not from
    lemminflect's tables at start-up; it must match what lemminflect gives."""
    from annotator.lexicon.word_forms import SHIPPED_FORMS, render_shipped_forms

    assert SHIPPED_FORMS.read_text(encoding="utf-8") == render_shipped_forms(), \
        "annotator/data/word_forms.json is stale: run python -m annotator.lexicon.word_forms"


def test_opening_the_default_lexicon_does_not_load_lemminflect():
    import subprocess
    import sys

    code = ("import sys; from annotator.codebook import find_codebook; from annotator.lexicon import Matcher; "
            "Matcher(find_codebook('ru-ua-framing')); print('lemminflect' in sys.modules, 'numpy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_a_word_the_shipped_file_lacks_is_inflected_when_met():
    assert set(expand_term("fortress~")) == {"fortress", "fortresses"}
