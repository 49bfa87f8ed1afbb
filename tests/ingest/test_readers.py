"""Readers under arbitrary input: one clear error or a record, never an exception."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from annotator.normalize import printable
from annotator.paths import display_path
from annotator.errors import InputError
from annotator.ingest.decoding import decode
from annotator.ingest.readers import read_file
from annotator.ingest.records import Record, RecordError


@given(st.binary(max_size=3000))
@settings(max_examples=300, deadline=None)
def test_decode_gives_text_or_one_clear_line(data):
    try:
        text, encoding = decode(data)
    except InputError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert "\x00" not in text and text.strip() and encoding


ENGLISH = "the talks ended on Monday said officials in and NATO Kyiv 2022 "
VOCABULARIES = {  # (encoding, words): news words of one language, with English words and names mixed in
    "Russian": ("cp1251", "Москва заявила о переговорах Кремль в и с США НАТО Путин сказал встреча Стамбуле «Мир» — № 5"),
    "Russian KOI8": ("koi8_r", "Москва заявила о переговорах Кремль в и с США НАТО Путин сказал встреча Стамбуле"),
    "Ukrainian": ("cp1251", "Київ України війська заявив що їхні є Президент переговори з Росією відійшли"),
    "English": ("cp1252", ENGLISH + "café Zürich São Paulo Genève København naïve “quote” – €5 ½ 25°C Señor García"),
    "French": ("cp1252", "le président a rencontré à Genève où il était très côté ça déjà Schröder"),
    "German": ("cp1252", "die Bürger in Zürich müssen größere Straßen überqueren „Nein“ sagte er"),
    "Spanish": ("cp1252", "el presidente español habló en Madrid sobre la situación económica año señor"),
    "Italian": ("cp1252", "il presidente è andato a Roma perché la città più bella così però"),
    "Danish": ("cp1252", "den danske regering mødes i København på søndag for at drøfte økonomien"),
    "Polish": ("cp1250", "prezydent powiedział że rozmowy pokojowe są trudne Żołnierze wrócili zakończone Gdańsk się"),
    "Czech": ("cp1250", "předseda vlády řekl že jednání o míru budou pokračovat ještě před volbami Česká"),
    "Croatian": ("cp1250", "Hrvatska će pregovarati noć u Zagrebu čovjek kuća đak"),
    "Romanian": ("cp1250", "Ministerul a anunţat că România şi Moldova vor semna acordul Bucureşti"),
}


@given(st.sampled_from(sorted(VOCABULARIES)).flatmap(lambda language: st.tuples(
    st.just(VOCABULARIES[language][0]),
    st.lists(st.sampled_from((ENGLISH + VOCABULARIES[language][1]).split()), min_size=1, max_size=40))))
@settings(max_examples=500, deadline=None)
def test_a_legacy_file_is_read_exactly_or_rejected(case):
    encoding, words = case
    text = " ".join(words)
    try:
        decoded, used = decode(text.encode(encoding))
    except InputError as exc:
        assert "pass --encoding" in str(exc)
        return
    assert decoded == text, (used, decoded)


@given(st.binary(max_size=2000), st.sampled_from([".txt", ".md", ".json", ".jsonl", ".csv", ".html"]))
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_file_gives_records_or_errors(data, suffix):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzz{suffix}"
        path.write_bytes(data)
        for item in read_file(path):
            assert isinstance(item, (Record, RecordError))
            if isinstance(item, RecordError):
                assert item.message and "\n" not in item.message


@given(st.text())
def test_printable_is_one_safe_line_and_idempotent(text):
    out = printable(text)
    assert printable(out) == out
    assert "\n" not in out and "\x1b" not in out and "\r" not in out
    assert all(ch == " " or ch.isprintable() or ch.isspace() for ch in out)
    out.encode("utf-8")  # no lone surrogates


def test_display_path_escapes_what_a_terminal_would_act_on(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert display_path(tmp_path / "a\x1b[2Jb\n.txt") == "a\\x1b[2Jb\\n.txt"
    assert display_path(Path("caf\udce9.txt")) == "caf\\xe9.txt"
    assert display_path(tmp_path / "[bold]x[/].txt") == "[bold]x[/].txt"  # markup is text, shown as such


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.binary(max_size=300),
                 st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
                 st.text(max_size=200).map(lambda t: b"\xef\xbb\xbf" + t.encode("utf-8", "surrogatepass"))))
def test_utf8_lines_are_the_lines_of_the_decoded_text(data):
    # JSON Lines files are decoded line by line; where that path is taken it must give
    # exactly the lines decode() would, and it must leave every other file to decode()
    from annotator.ingest.decoding import utf8_lines

    lines = utf8_lines(data)
    try:
        text, used = decode(data)
    except InputError:
        text, used = None, None
    if lines is not None:
        assert used == "utf-8" and list(lines) == text.split("\n")
    # the usual file takes the line-by-line path
    usual = '{"title": "Kyiv’s “offensive” 🇺🇦"}\r\n{"text": "é"}\n'.encode() + data
    if used == "utf-8":
        assert list(utf8_lines(b"\xef\xbb\xbf" + usual) or ["not taken"]) == decode(usual)[0].split("\n")


def test_a_large_jsonl_file_not_in_utf8_is_still_read_in_its_encoding(tmp_path):
    path = tmp_path / "legacy.jsonl"
    lines = ['{"title": "Caf\u00e9 r\u00e9sum\u00e9", "text": "D\u00e9j\u00e0 vu \u00e0 Kiev, na\u00efve fa\u00e7ade"}'] * 3000
    path.write_bytes("\n".join(lines).encode("cp1252"))
    records = list(read_file(path))
    assert len(records) == 3000 and all(isinstance(r, Record) for r in records)
    assert records[-1].fields["text"] == "D\u00e9j\u00e0 vu \u00e0 Kiev, na\u00efve fa\u00e7ade" and records[0].encoding == "cp1252"
