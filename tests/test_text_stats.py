"""Word counts (kept per article by the store, counted by the importer's reading process)."""

from annotator.text_stats import word_count


def test_word_count_counts_tokens_with_a_letter_or_digit():
    assert word_count("Don't stop: Kiev’s full-scale war — 24 Feb...\n\n- so-called") == 8
    assert word_count(" — ... - ") == 0 and word_count("") == 0
