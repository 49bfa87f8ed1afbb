"""The lexicon on the evaluation set written for it (tests/data/lexicon-eval): at least 95%
recall and 95% precision, and no wrong side, on every part of it; and the set is what its
README promises (hand-tagged sentences from a dozen outlets on every side)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

_PATH = Path(__file__).resolve().parents[2] / "bench" / "lexicon_eval.py"
_SPEC = importlib.util.spec_from_file_location("lexicon_eval", _PATH)
lexicon_eval = importlib.util.module_from_spec(_SPEC)
sys.modules.setdefault("lexicon_eval", lexicon_eval)
_SPEC.loader.exec_module(lexicon_eval)

SETS = [name for name in lexicon_eval.SETS if (lexicon_eval.EVAL_DIR / name).is_dir()]


def test_the_set_is_valid_large_and_from_every_side():
    sentences, problems = lexicon_eval.load(SETS)
    assert problems == []
    assert len(sentences) >= 300
    assert {s.group for s in sentences} == set(lexicon_eval.GROUPS)
    assert len({s.outlet for s in sentences}) >= 12
    voices = {tag.voice for s in sentences for tag in s.tags}
    assert voices == set(lexicon_eval.VOICES)
    assert sum(not s.tags for s in sentences) >= len(sentences) // 20  # sentences with nothing to tag


@pytest.mark.parametrize("name", SETS)
def test_recall_and_precision_are_at_least_95_percent_with_no_wrong_side(name):
    sentences, _ = lexicon_eval.load([name])
    _, by_group, total, misses = lexicon_eval.score(sentences, lexicon_eval._finder("ru-ua-framing"))
    row = total.row()
    assert row["recall"] >= 0.95, "\n".join(m for m in misses if m.startswith("MISS"))
    assert row["precision"] >= 0.95, "\n".join(m for m in misses if not m.startswith(("MISS", "VOICE")))
    assert row["wrong_side"] == 0, "\n".join(m for m in misses if m.startswith("WRONG"))
    dated = total.dated_noted, total.dated
    assert dated[0] == dated[1], "every dated use carries the dated-usage note"


def test_a_wrong_side_is_counted():
    """The scorer itself: a suggestion of the other side over a gold span is a wrong side, not a hit."""
    from annotator.lexicon import Suggestion

    sentence = lexicon_eval.Sentence("s", "wire", "X", __import__("datetime").date(2022, 1, 1), "Kyiv is calm.",
                                     [lexicon_eval.GoldTag(0, 4, "capital", "ukraine-west-form", "own")])
    wrong = Suggestion(0, 4, "Kyiv", "term", "capital", "kiev", "kremlin", "kremlin-form", "own")
    _, _, total, _ = lexicon_eval.score([sentence], lambda s: [wrong])
    assert (total.found, total.right, total.wrong_side) == (0, 0, 1)
    right = Suggestion(0, 4, "Kyiv", "term", "capital", "kyiv", "ukraine-west", "ukraine-west-form", "quoted")
    _, _, total, _ = lexicon_eval.score([sentence], lambda s: [right])
    assert (total.found, total.right, total.wrong_side, total.voice_right) == (1, 1, 0, 0)
