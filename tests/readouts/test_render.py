"""Terminal read-outs: guideline prose reflowed for the terminal's width."""

from annotator.readouts.render import reflow


def test_reflow_joins_hard_wrapped_lines_and_keeps_paragraphs_and_list_items():
    yaml_text = ("Read the article\n  beside its card:\n\n  1. Term variants: accept\n     or reject.\n"
                 "  2. Persuasion: tag\n     the span.\n  - a bullet\n\nJudge the text\nonly.\n")
    assert reflow(yaml_text) == ("Read the article beside its card:\n\n1. Term variants: accept or reject.\n"
                                 "2. Persuasion: tag the span.\n- a bullet\n\nJudge the text only.")
