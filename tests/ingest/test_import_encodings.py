"""Import of legacy encodings, byte-order marks, newlines and control characters: every reading is
exact or a clear refusal, and offsets are into the normalized text."""

from __future__ import annotations

import json

import pytest

from annotator.ingest.boilerplate import restore
from annotator.ingest.decoding import decode
from annotator.errors import InputError
from annotator.models import quote_selector
from annotator.normalize import normalize_text
from annotator.store import Store

from .conftest import RUSSIAN, cli, rejections, rows, the_line, write


# -- encodings, BOM, newlines, control characters ------------------------------------------

LATIN_1 = "Zürich café\n\nThe café in Zürich reopened, said the maître d'hôtel. Señor García agreed."


def test_windows_1251_russian_is_decoded_and_said_so(workdir):
    write(workdir / "ru.txt", RUSSIAN.encode("cp1251"))
    result = cli("import", "ru.txt")
    assert result.exit_code == 0, result.output
    assert "note: ru.txt: decoded from Windows-1251" in result.stdout
    [row] = rows(workdir)
    assert row["title"] == "Москва заявила о переговорах."
    assert "Представитель Кремля сообщил журналистам" in row["text"]


def test_latin_1_is_decoded_without_mojibake(workdir):
    write(workdir / "latin.txt", LATIN_1.encode("latin-1"))
    write(workdir / "spanish.txt", "El presidente español habló en Madrid sobre la situación económica del año."
          .encode("latin-1"))
    write(workdir / "french.txt", "Le président a rencontré M. Schröder à Genève, où il était en visite.".encode("latin-1"))
    result = cli("import", "latin.txt", "spanish.txt", "french.txt")
    assert result.exit_code == 0, result.output
    assert "note: latin.txt: decoded from Windows-1252 (Latin-1)" in result.stdout
    texts = {r["source_file"]: r for r in rows(workdir)}
    assert texts["latin.txt"]["title"] == "Zürich café"
    assert "maître d'hôtel. Señor García" in texts["latin.txt"]["text"]
    assert "español habló" in texts["spanish.txt"]["text"]
    assert "à Genève, où il était" in texts["french.txt"]["text"]


@pytest.mark.parametrize(("text", "encoding"), [
    (RUSSIAN, "cp1251"),
    ("МОСКВА ЗАЯВИЛА О ПЕРЕГОВОРАХ", "cp1251"),
    ("Київ, 24 лютого — Президент України заявив, що війська відійшли від столиці.", "cp1251"),
    ("Президент России Владимир Путин заявил, что переговоры зашли в тупик.", "koi8_r"),
    (LATIN_1, "latin-1"),
    ("Die Bürger in Zürich müssen größere Straßen überqueren. „Nein“, sagte er – ½ Stunde später.\n"
     "Die Regierung hat die Gespräche über die Öffnung der Grenzen für nächste Woche angekündigt.", "cp1252"),
    ("“Peace talks” – the minister said… it’s over. €5 million, 25°C, Brand™.", "cp1252"),
    ("Prezydent Polski powiedział, że rozmowy pokojowe są trudne. Żołnierze wrócili do koszar.\n"
     "Minister spraw zagranicznych podkreślił, że Polska będzie wspierać Ukrainę tak długo, jak będzie to konieczne.",
     "cp1250"),
    ("Předseda vlády řekl, že jednání o míru budou pokračovat ještě před volbami. Účastníci se sešli v Praze.\n"
     "Ministr zahraničí uvedl, že Česká republika podporuje Ukrajinu a bude pokračovat v dodávkách pomoci.", "cp1250"),
    ("Il presidente è andato a Roma perché la città è più bella; così ha detto però il ministro.\n"
     "Le trattative sono fallite dopo tre giorni di discussioni, secondo fonti vicine al governo.", "latin-1"),
])
def test_legacy_encodings_decode_exactly(text, encoding):
    decoded, _ = decode(text.encode(encoding))
    assert decoded == text


def test_legacy_encodings_we_cannot_tell_apart_are_rejected_never_guessed():
    """Every reading is either exact or a clear refusal, across encodings we do not support."""
    samples = ["Ο πρωθυπουργός δήλωσε ότι οι συνομιλίες θα συνεχιστούν.", RUSSIAN, LATIN_1,
               "Il presidente è andato a Roma perché la città è più bella.",
               "Den danske regering mødes i København på søndag."]
    for text in samples:
        for encoding in ("cp1253", "cp1251", "koi8_r", "cp866", "iso8859_5", "latin-1", "cp1250", "cp437", "mac_roman"):
            try:
                data = text.encode(encoding)
            except UnicodeEncodeError:
                continue
            try:
                decoded, _ = decode(data)
            except InputError as exc:
                assert "convert it to UTF-8 or pass --encoding" in str(exc)
                continue
            assert decoded == text, (encoding, decoded)


@pytest.mark.parametrize(("text", "encoding", "readings"), [
    ("Città del Vaticano", "latin-1", ("'Città'", "'Cittŕ'")),
    ("Česká televize", "cp1250", ("'Česká'", "'Èeská'")),
])
def test_too_little_text_to_tell_is_rejected_showing_both_readings(workdir, text, encoding, readings):
    write(workdir / "short.txt", text.encode(encoding))
    result = cli("import", "short.txt")
    assert result.exit_code == 1
    line = the_line(rejections(result), "short.txt")
    assert "its encoding is ambiguous" in line and "pass --encoding" in line
    assert all(reading in line for reading in readings)
    assert rows(workdir) == []
    forced = "cp1250" if encoding == "cp1250" else "latin-1"
    assert cli("import", "--encoding", forced, "short.txt").exit_code == 0
    assert rows(workdir)[0]["text"] == text


def test_forced_encoding_is_used_but_binary_still_rejected(workdir):
    write(workdir / "ru.txt", RUSSIAN.encode("koi8_r"))
    write(workdir / "bin.txt", b"\x00\x01\x02binary\x00")
    result = cli("import", "--encoding", "koi8-r", "ru.txt", "bin.txt")
    assert result.exit_code == 1
    assert "NUL" in the_line(rejections(result), "bin.txt")
    assert rows(workdir)[0]["title"] == "Москва заявила о переговорах."


def test_byte_order_mark_is_removed_from_text_and_title(workdir):
    write(workdir / "bom.txt", b"\xef\xbb\xbfBOM title\nBody text here.\n")
    write(workdir / "bom.json", b'\xef\xbb\xbf{"text": "\xef\xbb\xbfJSON body.", "title": "JSON title"}')
    write(workdir / "bom16.txt", "UTF-16 title\nUTF-16 body.".encode("utf-16"))
    write(workdir / "bom.csv", b"\xef\xbb\xbftext,title\nCSV body.,CSV title\n")
    result = cli("import", "bom.txt", "bom.json", "bom16.txt", "bom.csv")
    assert result.exit_code == 0, result.output
    got = {r["title"]: r["text"] for r in rows(workdir)}
    assert got == {"BOM title": "Body text here.", "JSON title": "JSON body.",
                   "UTF-16 title": "UTF-16 body.", "CSV title": "CSV body."}
    assert not any("\ufeff" in r["title"] + r["text"] for r in rows(workdir))


def test_crlf_becomes_lf_and_offsets_are_into_the_normalized_text(workdir):
    raw = "CRLF title\r\n\r\nFirst line.\r\nSecond line with Moscow.\rOld Mac line.\r\n"
    write(workdir / "crlf.txt", raw)
    assert cli("import", "crlf.txt").exit_code == 0
    store = Store(workdir / "t.db")
    [row] = rows(workdir)
    article = store.article(row["id"])
    assert article.text == "First line.\nSecond line with Moscow.\nOld Mac line."  # the title line is in the head
    assert "\r" not in article.text and article.raw_text == raw
    assert restore(normalize_text(article.raw_text), article.removed) == article.text
    start = article.text.index("Moscow")
    selector = quote_selector(article.text, start, start + len("Moscow"))
    assert selector["quote"] == "Moscow" and selector["prefix"].endswith("First line.\nSecond line with ")


def test_escape_sequences_and_control_characters_are_stripped(workdir):
    write(workdir / "esc.txt", "\x1b]0;pwned\x07\x1b[1;31mRed title\x1b[0m\x07\n"
                               "Body \x1b[5mblink\x1b[0m, C1 \x9b31mcsi\x9b0m, \x1bPdcs\x1b\\ bell\x07 back\x08space "
                               "del\x7f nul-free \x85next line.")
    write(workdir / "esc.json", json.dumps({"title": "\x1b[2JJSON\x1b]8;;http://x\x1b\\ title\x9c",
                                            "text": "Text \x1b[31mred\x1b[0m and \x01\x02\x03 controls."}))
    result = cli("import", "esc.txt", "esc.json")
    assert result.exit_code == 0, result.output
    for row in rows(workdir):
        for value in (row["title"], row["text"]):
            assert not any(ord(c) < 32 and c not in "\n\t" or 0x7F <= ord(c) <= 0x9F for c in value), repr(value)
    got = {r["source_file"]: r for r in rows(workdir)}
    assert got["esc.txt"]["title"] == "Red title"
    assert got["esc.txt"]["text"] == "Body blink, C1 csi,  bell backspace del nul-free\nnext line."
    assert got["esc.json"]["title"] == "JSON title"
    assert got["esc.json"]["text"] == "Text red and  controls."
