"""Voice beyond quote marks: reported speech is the source's words; a speech verb's object,
the attribution itself and a closed quotation are not."""

from __future__ import annotations

import pytest

from annotator.lexicon import guess_voice
from annotator.lexicon.voice import voice_and_cue


def voice(text: str, words: str, occurrence: int = 1) -> str:
    start = -1
    for _ in range(occurrence):
        start = text.index(words, start + 1)
    return guess_voice(text, start, start + len(words))


@pytest.mark.parametrize(("text", "words"), [
    ("Peskov said that the operation would continue in Kiev.", "Kiev"),
    ("Peskov said the special military operation would continue.", "special military operation"),
    ("According to the Defence Ministry, forces liberated Artemovsk.", "Artemovsk"),
    ("TASS cited Putin as saying denazification remained a goal.", "denazification"),
    ("The invasion has killed thousands, the UN said.", "invasion"),
    ("The invasion has killed thousands, said Volker Turk on Monday.", "invasion"),
    ("Moscow calls it a special military operation.", "special military operation"),
    ("Kyiv called the referendums a sham.", "referendums"),
    ("The command announced on Monday that Kiev had received the systems.", "Kiev"),
])
def test_reported_speech_is_the_sources_voice(text, words):
    assert voice(text, words) == "quoted"


@pytest.mark.parametrize(("text", "words"), [
    ("Putin announced a partial mobilization after the invasion stalled.", "invasion"),  # an object, not speech
    ("Zelensky told reporters in Kyiv that talks would resume.", "Kyiv"),               # in the attribution
    ("Zelensky said in Kyiv on Monday that talks would resume.", "Kyiv"),
    ('Peskov said "Kyiv must choose" while Kiev waited.', "Kiev"),                      # after a closed quotation
    ("Russia launched the invasion, which Kyiv says has killed thousands.", "invasion"),
    ("Russian state media called up reservists; Kiev was quiet.", "Kiev"),             # another clause
    ("Regions which announced their plans joined Russia in the Donbass.", "Donbass"),   # a relative clause, not an attribution
    ("The invasion continued, insisting that talks take place without a ceasefire.", "invasion"),
])
def test_what_is_not_reported_speech_stays_own(text, words):
    assert voice(text, words) == "own"


@pytest.mark.parametrize(("text", "words", "expected"), [
    ("the so-called referendums", "so-called referendums", "scare-quoted"),  # a term that begins with it
    ("the UN's \u201cattempted illegal annexation\u201d of four regions", "illegal annexation", "scare-quoted"),
    ('He said: "talks with Kiev", and left', "Kiev", "quoted"),            # a quotation, not scare quotes
    ("\u201cKiev\u2019s claims are false,\u201d he said", "Kiev", "quoted"),   # an apostrophe is not a closing quote
])
def test_scare_quotes_and_short_quotations(text, words, expected):
    assert voice(text, words) == expected


def test_the_cue_is_named():
    text = "According to Umerov, Kyiv is ready."
    start = text.index("Kyiv")
    assert voice_and_cue(text, start, start + 4) == ("quoted", 'reported speech ("According to")')
    assert voice_and_cue("Kyiv is ready.", 0, 4) == ("own", "")
