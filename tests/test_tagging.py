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


def test_accepting_a_suggestion_keeps_its_concept_variant_and_guessed_voice():
    from annotator.tagging import accepted_attributes

    text = 'Peskov said "Kiev must choose" while Kiev waited.'
    quoted, own = Matcher(BOOK).find(text)
    term = BOOK.category("term")
    assert accepted_attributes(term, quoted) == {"concept": "capital", "variant": "kiev", "voice": "quoted"}
    assert accepted_attributes(term, own)["voice"] == "own"
    no_voice = term.model_copy(update={"attributes": []})  # a category without voice keeps none
    assert accepted_attributes(no_voice, own) == {"concept": "capital", "variant": "kiev"}


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


# -- changes made by the library on a real store: done, undone, done again ------------------


def live_tags(store, article_id: str) -> list[tuple]:
    return sorted((t.category, t.label, t.start, t.end, t.note) for t in store.annotations(article_id, "maria"))


def test_a_new_span_tag_keeps_its_quote_and_context_and_is_signed_under_the_codebook(demo_store):
    from annotator.tagging import new_tag

    article = demo_store.article(demo_store.list_articles(limit=1)[0].id)
    start = article.text.index("Kremlin")
    made = new_tag(article, "maria", BOOK, "term", "kremlin-form", start, start + 7)
    assert (made.quote, made.prefix, made.suffix[:3]) == ("Kremlin", article.text[max(0, start - len(made.prefix)):start],
                                                          article.text[start + 7:start + 10])
    assert (made.annotator, made.codebook_id, made.codebook_version, made.text_sha256) == \
        ("maria", BOOK.id, BOOK.version, article.text_sha256)
    answer_tag = new_tag(article, "maria", BOOK, "tone", "pro")
    assert (answer_tag.start, answer_tag.quote) == (None, None)


def test_adding_a_tag_is_undone_and_redone_and_an_answer_replaces_the_one_given(demo_store):
    from annotator.tagging import add_tag, new_tag

    article = demo_store.article(demo_store.list_articles(limit=1)[0].id)
    first = new_tag(article, "maria", BOOK, "tone", "pro")
    change = add_tag(demo_store, first, "answer")
    change.apply()
    assert live_tags(demo_store, article.id) == [("tone", "pro", None, None, None)]
    replacing = add_tag(demo_store, new_tag(article, "maria", BOOK, "tone", "anti"), "answer", replacing=[first])
    replacing.apply()  # one transaction: never both answers, never none
    assert live_tags(demo_store, article.id) == [("tone", "anti", None, None, None)]
    replacing.inverse().apply()  # undo brings the replaced answer back
    assert live_tags(demo_store, article.id) == [("tone", "pro", None, None, None)]
    replacing.apply()  # redo: the same tag again, not a second copy
    assert live_tags(demo_store, article.id) == [("tone", "anti", None, None, None)]
    assert len([t for t in demo_store.annotations(article.id, "maria", include_deleted=True)
                if t.label == "anti"]) == 1


def test_editing_deleting_rejecting_and_marking_done_are_each_undone(demo_store):
    from annotator.tagging import add_tag, edit_tag, mark_done, new_tag, reject

    article = demo_store.article(demo_store.list_articles(limit=1)[0].id)
    start = article.text.index("Kremlin")
    tag = new_tag(article, "maria", BOOK, "term", "kremlin-form", start, start + 7)
    add_tag(demo_store, tag, "tag").apply()
    note = edit_tag(demo_store, tag, "note", note="check the quote")
    note.apply()
    assert live_tags(demo_store, article.id)[0][-1] == "check the quote"
    note.inverse().apply()
    assert live_tags(demo_store, article.id)[0][-1] is None
    delete = edit_tag(demo_store, tag, "delete", deleted=True)
    delete.apply()
    assert live_tags(demo_store, article.id) == []
    delete.inverse().apply()
    assert len(live_tags(demo_store, article.id)) == 1

    suggestion = Matcher(BOOK).find(article.text)[0]
    rejecting = reject(demo_store, article.id, "maria", suggestion, "reject")
    rejecting.apply()
    assert (suggestion.start, suggestion.end, suggestion.variant) in demo_store.rejected_suggestions(article.id, "maria")
    rejecting.inverse().apply()
    assert not demo_store.rejected_suggestions(article.id, "maria")

    done = mark_done(demo_store, article.id, "maria", True)
    assert done.progress  # the done count is read again after it
    done.apply()
    assert demo_store.status(article.id, "maria") == "done"
    done.inverse().apply()
    assert demo_store.status(article.id, "maria") != "done"
