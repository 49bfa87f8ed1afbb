"""Tags carried to a corrected text: each quote found again by its text and context (W3C
TextQuoteSelector), never guessed; what cannot be placed is stranded and listed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.models import quote_selector
from annotator.corrections.reanchor import Anchor, Stranded, reanchor
from annotator.store import Store
from tests.conftest import tag
from tests.conftest import run_as_team as run


pytestmark = pytest.mark.usefixtures("as_alice")  # the command-line tests below

OLD = ("Russia launched a full-scale invasion of Ukraine on 24 February. "
       "Officials in Kiev said the talks in Istanbul had failed, and the invasion went on.")


def selector(text: str, quote: str, nth: int = 0) -> dict[str, str]:
    """The quote, prefix and suffix of the ``nth`` occurrence of ``quote`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(quote, start + 1)
    return quote_selector(text, start, start + len(quote))


def placed(new: str, old: str, quote: str, nth: int = 0) -> Anchor | Stranded:
    return reanchor(new, **selector(old, quote, nth))


def test_an_edit_before_the_span_moves_it():
    new = "UPDATED: " + OLD.replace("full-scale", "large-scale")
    found = placed(new, OLD, "Kiev")
    assert isinstance(found, Anchor) and found.method == "exact" and new[found.start:found.end] == "Kiev"
    assert found.start == OLD.index("Kiev") + len("UPDATED: ") + len("large-scale") - len("full-scale")


def test_an_edit_after_the_span_leaves_it():
    new = OLD.replace("had failed", "failed again") + " More to follow."
    assert placed(new, OLD, "talks in Istanbul") == Anchor(OLD.index("talks"), OLD.index("talks") + 17, "exact")


def test_an_edit_inside_the_span_is_followed_by_its_context():
    new = OLD.replace("talks in Istanbul had", "talks held in Istanbul had")
    found = placed(new, OLD, "the talks in Istanbul")
    assert isinstance(found, Anchor) and found.method == "fuzzy"
    assert new[found.start:found.end] == "the talks held in Istanbul"


def test_a_rewritten_span_is_stranded_not_guessed():
    new = OLD.replace("Officials in Kiev said", "Moscow denied that")
    found = placed(new, OLD, "Officials in Kiev")
    assert isinstance(found, Stranded) and "not in the new text" in found.reason


def test_a_quote_now_twice_is_placed_by_its_context():
    new = OLD.replace("on 24 February.", "on 24 February; Kiev was shelled.")
    found = placed(new, OLD, "Kiev")
    assert isinstance(found, Anchor) and found.method == "context"
    assert found.start == new.index("Officials in Kiev") + len("Officials in ")


def test_the_second_of_two_occurrences_keeps_its_place():
    found = placed("Today: " + OLD, OLD, "invasion", nth=1)
    assert isinstance(found, Anchor) and found.method == "context"
    assert found.start == len("Today: ") + OLD.rindex("invasion")


def test_a_quote_twice_in_the_same_context_is_stranded():
    old = "Talks in Kiev."
    new = "Talks in Kiev. Talks in Kiev."  # the same 9 characters before and 1 after each
    found = placed(new, old, "Kiev")
    assert isinstance(found, Stranded) and "2 times" in found.reason


def test_emoji_sequences_and_combining_marks_are_never_split():
    family = "\U0001F468\u200D\U0001F469\u200D\U0001F467"  # man ZWJ woman ZWJ girl: one emoji
    old = "We met \U0001F468 at the border."
    new = f"We met {family} at the border."
    assert isinstance(placed(new, old, "\U0001F468"), Stranded)  # the man alone is not in the new text
    old = "Cafe\u0301 Ukraina said q\u0307 (a dotted q)."  # é stays decomposed only where no precomposed form exists
    new = "New: " + old
    found = placed(new, old, "q\u0307")
    assert isinstance(found, Anchor) and new[found.start:found.end] == "q\u0307"
    assert isinstance(placed("Say q\u0307 now", "Say q now", "q"), Stranded)  # the q now carries a mark


def test_a_flag_is_never_split_and_two_flags_are_two():
    ua, ru = "\U0001F1FA\U0001F1E6", "\U0001F1F7\U0001F1FA"
    old = f"Flags {ru} here."
    assert isinstance(placed(f"Flags \U0001F1E6{ru}x here.", old, ru), Stranded)  # now "🇦🇷" + "🇺": no 🇷🇺 flag
    found = placed(f"Flags {ua}{ru} here.", old, ru)
    assert isinstance(found, Anchor) and found.start == len("Flags ") + 2


def test_offsets_are_code_points_after_astral_characters():
    old = "Flags \U0001F1FA\U0001F1E6 fly in Kyiv."
    new = "\U0001F4E2\U0001F4E2 " + old
    found = placed(new, old, "Kyiv")
    assert isinstance(found, Anchor) and found.start == old.index("Kyiv") + 3 and new[found.start:found.end] == "Kyiv"


# -- carried on import ------------------------------------------------------------------


def write(path: Path, text: str) -> None:
    record = {"title": "Talks", "text": text, "url": "https://example.org/talks", "publisher": "TASS"}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")


def test_a_quote_left_only_in_another_sentence_is_stranded():
    new = OLD.replace("Officials in Kiev said", "Moscow claimed") + " Kiev replied."
    found = placed(new, OLD, "Kiev")
    assert isinstance(found, Stranded) and "only where its context is not" in found.reason


def test_a_corrected_text_takes_the_tags_answers_and_notes_along(workdir: Path):
    write(workdir / "a.jsonl", OLD)
    assert run("import", "a.jsonl").exit_code == 0
    store = Store("team.db")
    old = next(store.iter_current_articles())
    kiev = tag(store, old, "Kiev", label="kyiv-form", note="check the spelling")
    talks = tag(store, old, "the talks in Istanbul", label="event", annotator="bob")
    gone = tag(store, old, "launched a full-scale invasion", label="invasion", annotator="bob")
    answer = tag(store, old, None, label="neutral", note="calm tone")
    store.close()
    new_text = "Corrected. " + OLD.replace("launched a full-scale invasion", "began what it calls an operation") \
        .replace("talks in Istanbul", "talks held in Istanbul")
    write(workdir / "a.jsonl", new_text)
    result = run("import", "a.jsonl")
    assert result.exit_code == 0, result.output
    assert "3 tag(s) carried to the new versions, 1 stranded on the old ones (`annotator stranded` lists them)" \
        in " ".join(result.output.split())
    store = Store("team.db")
    new = next(store.iter_current_articles())
    assert new.id != old.id and new.text == new_text
    moved = {a.uuid: a for a in store.annotations(new.id)}
    assert set(moved) == {kiev.uuid, talks.uuid, answer.uuid}
    assert new.text[moved[kiev.uuid].start:moved[kiev.uuid].end] == moved[kiev.uuid].quote == "Kiev"
    assert moved[talks.uuid].quote == "the talks held in Istanbul"
    assert moved[kiev.uuid].prefix == new.text[moved[kiev.uuid].start - 32:moved[kiev.uuid].start]
    assert moved[kiev.uuid].note == "check the spelling" and moved[kiev.uuid].text_sha256 == new.text_sha256
    assert (moved[answer.uuid].start, moved[answer.uuid].label, moved[answer.uuid].note) == (None, "neutral", "calm tone")
    assert [a.uuid for a in store.annotations(old.id)] == [gone.uuid]  # the stranded one stays where it was
    last = store.history(uuid=kiev.uuid)[-1]
    assert (last.change, last.before["article_id"], last.after["article_id"], last.who) == \
        ("changed", old.id, new.id, "alice")
    store.close()
    stranded = json.loads(run("stranded", "--json").output)
    assert [(s["uuid"], s["from_article"], s["to_article"], s["quote"]) for s in stranded] == \
        [(gone.uuid, old.id, new.id, "launched a full-scale invasion")]
    listing = run("stranded").output
    assert "1 stranded tag(s)" in listing and gone.uuid[:8] in listing
    history = json.loads(run("show", new.id, "--json", "--history").output)["history"]
    assert sorted((h["tag_move"]["outcome"], h["tag_move"]["method"]) for h in history) == \
        [("moved", "article"), ("moved", "exact"), ("moved", "fuzzy"), ("stranded", None)]


def test_a_stranded_tag_deleted_is_no_longer_listed(workdir: Path):
    write(workdir / "a.jsonl", OLD)
    run("import", "a.jsonl")
    store = Store("team.db")
    old = next(store.iter_current_articles())
    gone = tag(store, old, "launched a full-scale invasion", label="invasion")
    store.close()
    write(workdir / "a.jsonl", OLD.replace("launched a full-scale invasion", "started a war"))
    run("import", "a.jsonl")
    assert len(json.loads(run("stranded", "--json").output)) == 1
    Store("team.db").update_annotation(gone.uuid, deleted=True)
    assert json.loads(run("stranded", "--json").output) == []
    assert "No stranded tags" in run("stranded").output


# -- properties ------------------------------------------------------------------------

from hypothesis import given, settings, strategies as st  # noqa: E402

WORDS = st.lists(st.sampled_from(["Kyiv", "Kiev", "talks", "the", "war", "invasion", "said", "🇺🇦", "café", "q\u0307"]),
                 min_size=3, max_size=40)


@settings(max_examples=200, deadline=None)
@given(words=WORDS, data=st.data())
def test_an_edit_away_from_the_span_never_misplaces_it(words: list[str], data):
    """Text added before the prefix or after the suffix: the quote is placed on the same words
    (shifted by what was added), or stranded when the added text makes it ambiguous; never elsewhere."""
    old = " ".join(words)
    first = data.draw(st.integers(0, len(words) - 1))
    last = data.draw(st.integers(first, min(len(words) - 1, first + 3)))
    start = len(" ".join(words[:first])) + (1 if first else 0)
    end = len(" ".join(words[:last + 1]))
    before = data.draw(st.text(alphabet="abc 🇺🇦", max_size=10))
    after = data.draw(st.text(alphabet="abc 🇺🇦", max_size=10))
    new = before + "\n" + old + "\n" + after
    found = reanchor(new, **quote_selector(old, start, end))
    if isinstance(found, Anchor):
        assert (found.start, found.end) == (start + len(before) + 1, end + len(before) + 1), found
    else:
        assert old.count(old[start:end]) > 1  # only an ambiguous quote may be left stranded
