"""The tagging rules without a screen: selections, duplicates, lexicon attributes, voice,
answers to article questions, and the undo/redo history."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, strategies as st

from annotator.codebook import load_codebook
from annotator.lexicon import Matcher
from annotator.models import Annotation
from annotator.tagging import (Change, History, answer, initial_voice, lexicon_attributes, next_voice, same_tag,
                               trim_selection)

BOOK = load_codebook(Path(__file__).parent / "data" / "mini-codebook.yaml")
TEXT = "Talks between Moscow and Kiev stalled after the special military operation began."


def tag(category: str, label: str, start: int | None = None, end: int | None = None) -> Annotation:
    quote = {"quote": TEXT[start:end]} if start is not None else {}
    return Annotation(article_id="a" * 12, text_sha256="0" * 64, annotator="maria", codebook_id="mini",
                      codebook_version="1", category=category, label=label, start=start, end=end, **quote)


@given(st.text(alphabet=" \n\tab", max_size=30), st.data())
def test_a_trimmed_selection_never_starts_or_ends_in_white_space(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(0, len(text)))
    a, b = trim_selection(text, start, end)
    assert min(start, end) <= a <= b <= max(start, end)
    if a < b:
        assert not text[a].isspace() and not text[b - 1].isspace()
        assert text[min(start, end):max(start, end)].strip() == text[a:b]
    else:
        assert not text[min(start, end):max(start, end)].strip()


def test_the_same_span_and_label_is_a_duplicate_but_another_label_is_not():
    kiev = TEXT.index("Kiev")
    tags = [tag("term", "kremlin-form", kiev, kiev + 4)]
    assert same_tag(tags, kiev, kiev + 4, "term", "kremlin-form") is tags[0]
    assert same_tag(tags, kiev, kiev + 4, "term", "ukraine-west-form") is None
    assert same_tag(tags, kiev, kiev + 3, "term", "kremlin-form") is None


def test_a_hand_tagged_span_the_lexicon_recognises_gets_its_concept_and_variant():
    suggestions = Matcher(BOOK).find(TEXT)
    kiev = TEXT.index("Kiev")
    assert lexicon_attributes(suggestions, kiev, kiev + 4) == {"concept": "capital", "variant": "kiev"}
    smo = TEXT.index("special military operation")
    assert lexicon_attributes(suggestions, smo, smo + len("special military operation"))["variant"] == "smo"
    assert lexicon_attributes(suggestions, kiev, kiev + 3) == {}  # not exactly a match: no concept


def test_voice_starts_from_the_guess_or_the_default_and_cycles_in_the_codebooks_order():
    term, tone, voice = BOOK.category("term"), BOOK.category("tone"), BOOK.attribute("voice")
    assert initial_voice(term, voice, "quoted") == {"voice": "quoted"}
    assert initial_voice(term, voice, "no-such-voice") == {"voice": "own"}
    assert initial_voice(tone, voice, "quoted") == {}  # article questions have no voice
    assert [next_voice(voice, v) for v in ("own", "quoted", "scare-quoted", None)] == ["quoted", "scare-quoted", "own", "own"]


def test_single_choice_answers_replace_and_the_same_answer_takes_it_back():
    tone = BOOK.category("tone")
    assert answer(tone, [], "pro").kind == "add"
    given_pro = [tag("tone", "pro")]
    plan = answer(tone, given_pro, "anti")
    assert plan.kind == "replace" and plan.old == tuple(given_pro)
    back = answer(tone, given_pro, "pro")
    assert back.kind == "take back" and back.old == tuple(given_pro)


def test_multi_choice_answers_toggle():
    from annotator.codebook import Cardinality

    frames = BOOK.category("tone").model_copy(update={"id": "frames", "cardinality": Cardinality.multi})
    given_one = [tag("frames", "pro")]
    assert answer(frames, given_one, "neutral").kind == "add"  # kept beside the first
    assert answer(frames, given_one, "pro").kind == "take back"


def test_undo_redo_history_order_and_a_new_change_forgets_what_was_undone():
    done: list[str] = []

    def change(name: str) -> Change:
        return Change(name, lambda: done.append(f"+{name}"), lambda: done.append(f"-{name}"))

    history = History()
    for name in ("a", "b"):
        c = change(name)
        c.apply()
        history.record(c)
    undo = history.take_undo()
    undo.inverse().apply()
    history.undone(undo)
    assert done == ["+a", "+b", "-b"] and history.descriptions() == (["a"], ["b"])
    redo = history.take_redo()
    redo.apply()
    history.redone(redo)
    assert history.descriptions() == (["a", "b"], [])
    undo = history.take_undo()
    history.put_back(undo, undoing=True)  # committing its inverse failed: nothing moves
    assert history.descriptions() == (["a", "b"], [])
    undo = history.take_undo()
    history.undone(undo)
    history.record(change("c"))
    assert history.descriptions() == (["a", "c"], []) and not history.can_redo


def test_an_inverse_keeps_what_undo_needs_to_show_the_change_again():
    c = Change("tag", lambda: 1, lambda: 2, uuid="u", article_id="x", progress=True)
    back = c.inverse()
    assert (back.apply(), back.revert(), back.uuid, back.article_id, back.progress) == (2, 1, "u", "x", True)
