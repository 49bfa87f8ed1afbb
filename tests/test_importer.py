"""Import of bad and hostile input (README "Importing").

Every bad file or record gets one ``rejected: file[: record]: what is wrong`` line
on stderr; the good ones in the same run still go in; the exit status is 1 when
anything was rejected (0 otherwise); a rejected file leaves no rows behind; and
untrusted text (file contents *and* file names) never reaches the terminal as an
escape sequence or as Rich markup.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.boilerplate import restore
from annotator.cli import main
from annotator.importer import import_paths
from annotator.models import Annotation, quote_selector
from annotator.normalize import normalize_text
from annotator.errors import InputError
from annotator.decoding import decode
from annotator.registry import SHIPPED_REGISTRY
from annotator.store import Store


GOOD = "A good headline\n\nThe talks in Istanbul ended without agreement, officials said on Monday.\n"
WIDE = {"COLUMNS": "400"}  # tables fit the width; messages never wrap (test_rejection_lines_fit_one_line...)


# -- helpers -------------------------------------------------------------------------


def cli(*args: str, env: dict | None = None):
    """Run ``annotator --db t.db ARGS`` in the working folder; never a traceback."""
    result = CliRunner().invoke(main, ["--db", "t.db", *args], env=WIDE if env is None else env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


def rejections(result) -> list[str]:
    lines = result.stderr.splitlines()
    assert all(line.startswith("rejected: ") for line in lines if line.strip()), result.stderr
    return [line.removeprefix("rejected: ") for line in lines if line.strip()]


def the_line(lines: list[str], name: str) -> str:
    """The one rejection line about ``name``."""
    found = [line for line in lines if line.startswith(f"{name}: ") or line == name]
    assert len(found) == 1, f"expected one line about {name!r} in {lines!r}"
    return found[0]


def rows(workdir: Path) -> list[dict]:
    db = workdir / "t.db"
    if not db.exists():
        return []
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute("SELECT * FROM articles ORDER BY rowid")]
    finally:
        conn.close()


def stored_files(workdir: Path) -> list[str]:
    return [r["source_file"] for r in rows(workdir)]


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def png() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 4 for _ in range(4))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def random_bytes(seed: int, size: int, low: int = 0) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.randrange(low, 256) for _ in range(size))


# -- one bad file beside a good one: a line each, the good one in, exit 1, no rows ----------

BAD_FILES = [
    pytest.param("empty.txt", b"", "is empty", id="empty"),
    pytest.param("blank.txt", b" \n\t  \r\n   ", "is empty", id="whitespace-only"),
    pytest.param("bom-only.md", b"\xef\xbb\xbf \r\n", "only a byte-order mark", id="bom-only"),
    pytest.param("utf16-blank.txt", "  \n ".encode("utf-16"), "is empty", id="utf16-whitespace-only"),
    pytest.param("random.txt", random_bytes(0, 10_000), "is binary", id="binary-random"),
    pytest.param("picture.txt", png(), "is binary, not text (NUL byte at offset", id="png-named-txt"),
    pytest.param("nul.txt", b"Title\nBody text\x00 more text", "NUL byte at offset 15", id="nul-byte"),
    pytest.param("highbytes.txt", random_bytes(1, 4000, low=0x80), "is not UTF-8", id="binary-high-bytes"),
    pytest.param("greek.txt", "Ο πρωθυπουργός δήλωσε ότι οι συνομιλίες θα συνεχιστούν.".encode("cp1253"),
                 "is not UTF-8 (invalid byte 0xcf at offset 0)", id="undecidable-encoding"),
    pytest.param("gzip.txt", zlib.compress(b"hello world" * 50), "is", id="compressed"),
    pytest.param("broken.json", b'{"text": "A body", "title": "x",', "invalid JSON at line 1 column", id="invalid-json"),
    pytest.param("text-number.json", b'{"text": 5}', "field 'text' input should be a valid string, got a number",
                 id="json-text-number"),
    pytest.param("title-list.json", b'{"text": "A body of text.", "title": ["a", "b"]}',
                 "field 'title' input should be a valid string, got a list", id="json-title-list"),
    pytest.param("no-text.json", b'{"title": "Only a title"}', "field 'text' is missing", id="json-no-text"),
    pytest.param("blank-text.json", b'{"text": "   "}', "field 'text'", id="json-blank-text"),
    pytest.param("scalar.json", b'"just a string"', "must hold a JSON object or a list of objects, got a string",
                 id="json-scalar"),
    pytest.param("empty-list.json", b"[]", "is an empty JSON list", id="json-empty-list"),
    pytest.param("deep.json", b"[" * 100_000, "invalid JSON: nested too deeply", id="json-deep"),
    pytest.param("huge-int.json", b'{"text": "x", "title": ' + b"9" * 5000 + b"}", "invalid JSON", id="json-huge-int"),
    pytest.param("surrogate.json", b'{"text": "broken \\ud800 escape"}', "field 'text' holds an invalid character",
                 id="json-lone-surrogate"),
    pytest.param("bad-date.json", b'{"text": "Body text.", "published": "2022-02-30"}', "field 'published'",
                 id="json-bad-date"),
    pytest.param("no-lines.jsonl", b"\n\n  \n", "is empty", id="jsonl-blank"),
    pytest.param("no-text-column.csv", b"title,body\nA title,Some body\n", "has no 'text' column (columns: 'title', 'body')",
                 id="csv-without-text"),
    pytest.param("chrome-only.txt", b"\x1b[2J\x1b]0;title\x07\n\x1b[31m\x1b[0m\n\n", "no text is left", id="escapes-only"),
    pytest.param("script-only.html", b"<html><body><script>alert('x')</script></body></html>", "no main text found",
                 id="html-without-text"),
    pytest.param("picture.png", png(), "unsupported file type '.png'", id="unsupported-type"),
]


@pytest.mark.parametrize(("name", "data", "why"), BAD_FILES)
def test_a_bad_file_is_one_line_and_the_good_file_still_goes_in(workdir, name, data, why):
    write(workdir / name, data)
    write(workdir / "good.txt", GOOD)
    result = cli("import", name, "good.txt")
    assert result.exit_code == 1
    lines = rejections(result)
    assert len(lines) == 1
    assert why in the_line(lines, name)
    assert stored_files(workdir) == ["good.txt"]
    assert "Imported 1 new article(s), 0 new version(s); 0 duplicate(s) skipped; 1 rejected" in result.stdout


def test_a_clean_run_exits_0_and_prints_no_rejection(workdir):
    write(workdir / "good.txt", GOOD)
    result = cli("import", "good.txt")
    assert result.exit_code == 0 and result.stderr == ""
    assert "Imported 1 new article(s)" in result.stdout


def test_a_path_that_does_not_exist(workdir):
    write(workdir / "good.txt", GOOD)
    result = cli("import", "missing.txt", "good.txt")
    assert result.exit_code == 1
    assert the_line(rejections(result), "missing.txt") == "missing.txt: no such file or folder"
    assert stored_files(workdir) == ["good.txt"]


def test_a_folder_is_walked_and_a_folder_named_like_a_file_is_not_an_article(workdir):
    write(workdir / "in" / "good.txt", GOOD)
    write(workdir / "in" / "x.json" / "inner.txt", "Inner title\nInner body text.")
    (workdir / "in" / "notes.docx").write_bytes(b"PK\x03\x04")
    result = cli("import", "in")
    assert result.exit_code == 0, result.output
    assert sorted(stored_files(workdir)) == ["in/good.txt", "in/x.json/inner.txt"]
    assert "1 non-article file(s) ignored" in result.stdout
    report = import_paths(Store(workdir / "api.db"), [workdir / "in" / "x.json"])  # a folder given as a path
    assert report.ok and len(report.imported) == 1
    # called with a folder as if it were a file (library use): one clear rejection
    from annotator.readers import read_file

    [error] = list(read_file(workdir / "in" / "x.json"))
    assert error.message == "is a folder, not a file"


# -- record files: the good records are kept ----------------------------------------------


def test_json_list_keeps_the_good_records_and_names_the_bad_ones(workdir):
    write(workdir / "list.json", json.dumps([
        {"text": "First body text.", "title": "First"},
        {"text": 5},
        "not an object",
        {"text": "Fourth body text.", "title": ["a"]},
        {"text": "Fifth body text.", "title": "Fifth", "unverified": "publisher"},
        {"text": "Sixth body text.", "title": "Sixth", "unverified": ["publisher"]},
    ]))
    result = cli("import", "list.json")
    assert result.exit_code == 1
    lines = rejections(result)
    assert len(lines) == 4
    assert "field 'text' input should be a valid string, got a number" in the_line(lines, "list.json: record 2")
    assert "must be a JSON object with a 'text' field, got a string" in the_line(lines, "list.json: record 3")
    assert "field 'title'" in the_line(lines, "list.json: record 4")
    assert "field 'unverified'" in the_line(lines, "list.json: record 5")
    assert [r["title"] for r in rows(workdir)] == ["First", "Sixth"]


def test_jsonl_keeps_the_good_lines(workdir):
    write(workdir / "feed.jsonl", "\r\n".join([
        json.dumps({"text": "Line one body.", "title": "One"}),
        '{"text": "unterminated',
        "[1, 2]",
        "",
        json.dumps({"text": "Line five body.", "title": 5}),
        json.dumps({"text": "Line six body.", "title": "Six"}),
    ]))
    result = cli("import", "feed.jsonl")
    assert result.exit_code == 1
    lines = rejections(result)
    assert len(lines) == 3
    assert "invalid JSON at column" in the_line(lines, "feed.jsonl: line 2")
    assert "got a list" in the_line(lines, "feed.jsonl: line 3")
    assert "field 'title'" in the_line(lines, "feed.jsonl: line 5")
    assert [r["title"] for r in rows(workdir)] == ["One", "Six"]


def test_csv_rows(workdir):
    write(workdir / "rows.csv", "title,text,unverified\r\nFirst,First body.,publisher;url\r\nEmpty,,\r\n"
                                 "Third,Third body.,\r\nExtra,Body,x,surplus\r\n")
    result = cli("import", "rows.csv")
    assert result.exit_code == 1
    lines = rejections(result)
    assert "field 'text' is empty" in the_line(lines, "rows.csv: row 3")
    assert "more cells than the header" in the_line(lines, "rows.csv: row 5")
    got = rows(workdir)
    assert [r["title"] for r in got] == ["First", "Third"]
    assert json.loads(got[0]["unverified"]) == ["publisher", "url"]


# -- encodings, BOM, newlines, control characters ------------------------------------------

RUSSIAN = "Москва заявила о переговорах.\nПредставитель Кремля сообщил журналистам, что встреча состоится в Стамбуле."
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


# -- formats -------------------------------------------------------------------------------

PAGE = """<!doctype html><html lang="en"><head><title>Talks end without a deal</title>
<link rel="canonical" href="https://example.org/news/talks"></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">NAVLINK World menu</a></li></ul></nav>
<script>var secret = "SCRIPTCONTENT"; document.write("SCRIPTCONTENT");</script>
<style>.x { color: red } STYLECONTENT</style>
<article><h1>Talks end without a deal</h1>
<p>Negotiators left Istanbul on Monday without an agreement, officials from both delegations said in statements.</p>
<p>The next round has not been scheduled, and both sides blamed each other for the lack of progress on prisoners.</p>
</article>
<footer><p>FOOTERCONTENT Copyright 2024 Example News. All rights reserved.</p></footer>
</body></html>"""


def test_html_main_text_is_kept_and_page_chrome_dropped(workdir):
    write(workdir / "page.html", PAGE)
    assert cli("import", "page.html").exit_code == 0
    [row] = rows(workdir)
    assert "Negotiators left Istanbul on Monday" in row["text"]
    assert "The next round has not been scheduled" in row["text"]
    for chrome in ("SCRIPTCONTENT", "STYLECONTENT", "NAVLINK", "FOOTERCONTENT"):
        assert chrome not in row["text"] and chrome not in row["raw_text"]
    assert row["title"] == "Talks end without a deal"
    assert row["url"] == "https://example.org/news/talks"


def test_markdown_title_and_text_title(workdir):
    write(workdir / "a.md", "\n---\n# **Markdown [bold]title[/]**\n\nBody of the markdown article.\n")
    write(workdir / "b.txt", "\n  123 \n\n  Plain title line  \nBody.\n")
    assert cli("import", "a.md", "b.txt").exit_code == 0
    assert {r["title"] for r in rows(workdir)} == {"Markdown [bold]title[/]", "Plain title line"}


# -- sizes ---------------------------------------------------------------------------------


def test_a_20_mb_file_is_rejected_by_default_and_accepted_with_a_larger_max(workdir):
    line = ("The talks in Istanbul ended without agreement, officials said on Monday. " * 40).strip() + "\n"
    write(workdir / "big.txt", "Big title\n" + line * (20 * 1024 * 1024 // len(line)))
    write(workdir / "good.txt", GOOD)
    result = cli("import", "big.txt", "good.txt")
    assert result.exit_code == 1
    assert the_line(rejections(result), "big.txt") == "big.txt: is 20 MB; one article may be at most 5 MB (--max-mb)"
    assert stored_files(workdir) == ["good.txt"]
    result = cli("import", "--max-mb", "25", "big.txt")
    assert result.exit_code == 0, result.output
    assert "big.txt" in stored_files(workdir)


def test_a_json_record_over_the_limit_is_rejected_and_the_others_kept(workdir):
    write(workdir / "two.jsonl", json.dumps({"text": "x" * 600_000}) + "\n" + json.dumps({"text": "Small body."}) + "\n")
    result = cli("import", "--max-mb", "0.5", "two.jsonl")
    assert result.exit_code == 1
    assert "over 0.5 MB" in the_line(rejections(result), "two.jsonl: line 1")
    assert [r["text"] for r in rows(workdir)] == ["Small body."]


def test_a_2_mb_single_line(workdir):
    write(workdir / "line.txt", "word " * (400 * 1024) + "end")
    write(workdir / "solid.txt", b"y" * (2 * 1024 * 1024))
    result = cli("import", "line.txt", "solid.txt")
    assert result.exit_code == 0, result.output
    got = {r["source_file"]: r for r in rows(workdir)}
    assert got["line.txt"]["word_count"] == 400 * 1024 + 1
    assert len(got["solid.txt"]["text"]) == 2 * 1024 * 1024
    assert all(len(r["title"]) <= 300 for r in got.values())
    listing = cli("articles", env={"COLUMNS": "100"})
    assert listing.exit_code == 0 and len(listing.output) < 20_000


# -- duplicates, idempotence, versions ----------------------------------------------------


def test_the_same_text_under_two_names_is_stored_once(workdir):
    write(workdir / "a.txt", GOOD)
    write(workdir / "b.txt", GOOD.replace("\n", "\r\n"))  # the same canonical text
    result = cli("import", "a.txt", "b.txt")
    assert result.exit_code == 0
    [row] = rows(workdir)
    assert row["source_file"] == "a.txt"
    assert f"duplicate: b.txt: same text as article {row['id']}, skipped" in result.stdout


def test_reimport_is_idempotent(workdir):
    write(workdir / "a.txt", GOOD)
    write(workdir / "feed.jsonl", json.dumps({"text": "Feed body one."}) + "\n" + json.dumps({"text": "Feed body two."}))
    assert cli("import", "a.txt", "feed.jsonl").exit_code == 0
    before = rows(workdir)
    again = cli("import", "a.txt", "feed.jsonl")
    assert again.exit_code == 0
    assert "Imported 0 new article(s), 0 new version(s); 3 duplicate(s) skipped; 0 rejected" in again.stdout
    assert again.stdout.count("duplicate: ") == 3
    assert rows(workdir) == before


def test_changed_text_becomes_a_new_version_and_annotations_stay_on_the_old_one(workdir, monkeypatch):
    write(workdir / "story.txt", "Story title\nThe minister said the talks failed.\n")
    assert cli("import", "story.txt").exit_code == 0
    store = Store(workdir / "t.db")
    [v1] = rows(workdir)
    start = v1["text"].index("talks failed")
    tag = store.add_annotation(Annotation(
        article_id=v1["id"], text_sha256=v1["text_sha256"], annotator="ann", codebook_id="cb",
        codebook_version="1", category="frame", label="conflict", start=start, end=start + 12,
        **quote_selector(v1["text"], start, start + 12)))

    write(workdir / "story.txt", "Story title\nThe minister said the talks collapsed on Monday.\n")
    monkeypatch.chdir(workdir / "..")  # another working folder: still the same file
    result = CliRunner().invoke(main, ["--db", str(workdir / "t.db"), "import", str(workdir / "story.txt")], env=WIDE)
    monkeypatch.chdir(workdir)
    assert result.exit_code == 0, result.output
    assert "Imported 0 new article(s), 1 new version(s)" in result.stdout
    old, new = rows(workdir)
    assert new["version"] == 2 and new["supersedes"] == v1["id"] and new["current"] == 1
    assert old["id"] == v1["id"] and old["current"] == 0 and old["text"] == v1["text"]
    [kept] = store.annotations(v1["id"])
    assert kept.uuid == tag.uuid and kept.article_id == v1["id"] and kept.text_sha256 == v1["text_sha256"]
    assert old["text"][kept.start:kept.end] == kept.quote == "talks failed"
    assert store.annotations(new["id"]) == []
    listing = json.loads(cli("articles", "--json").output)
    assert [a["id"] for a in listing] == [new["id"]]
    assert len(json.loads(cli("articles", "--json", "--all-versions").output)) == 2
    # the old text again is a duplicate of version 1, not a third version
    write(workdir / "story.txt", "Story title\nThe minister said the talks failed.\n")
    assert "duplicate: story.txt" in cli("import", "story.txt").stdout
    assert len(rows(workdir)) == 2


def test_changed_record_of_a_url_becomes_a_new_version(workdir):
    write(workdir / "feed.jsonl", json.dumps({"text": "First wording.", "url": "https://example.org/a"}))
    cli("import", "feed.jsonl")
    write(workdir / "other.json", json.dumps({"text": "Second wording.", "url": "https://example.org/a"}))
    assert "1 new version(s)" in cli("import", "other.json").stdout
    assert [(r["version"], r["current"]) for r in rows(workdir)] == [(1, 0), (2, 1)]


# -- nothing half-written -----------------------------------------------------------------


def test_a_file_whose_write_fails_leaves_no_rows_and_the_others_go_in(workdir, monkeypatch):
    import annotator.store.articles as store_module

    real = store_module.word_count

    def failing(text: str) -> int:
        if "second record" in text:
            raise ValueError("disk on fire")
        return real(text)

    monkeypatch.setattr(store_module, "word_count", failing)
    write(workdir / "three.jsonl", "\n".join(json.dumps({"text": t}) for t in ("first record", "second record", "third")))
    write(workdir / "good.txt", GOOD)
    result = cli("import", "three.jsonl", "good.txt")
    assert result.exit_code == 1
    line = the_line(rejections(result), "three.jsonl")
    assert "could not be stored, nothing from it was written" in line and "disk on fire" in line
    assert stored_files(workdir) == ["good.txt"]
    assert "Imported 1 new article(s)" in result.stdout


# -- manifests ----------------------------------------------------------------------------


def manifest_setup(workdir: Path, entries: str) -> None:
    write(workdir / "corpus" / "a.txt", "Article A\nBody of article A.")
    write(workdir / "corpus" / "b.txt", "Article B\nBody of article B.")
    (workdir / "corpus" / "sub").mkdir()
    write(workdir / "corpus" / "manifest.yaml", "files:\n" + entries)


def test_manifest_with_an_unknown_outlet_makes_it(workdir):
    manifest_setup(workdir, "  - {file: a.txt, publisher: nowhere-news}\n  - {file: b.txt, publisher: press-tv}\n")
    result = cli("import", "--registry", str(SHIPPED_REGISTRY), "corpus")
    assert result.exit_code == 0, result.output
    assert "new outlet 'nowhere-news' made from the unknown publisher 'nowhere-news'" in result.output
    assert sorted((r["source_file"], r["publisher"]) for r in rows(workdir)) == [
        ("corpus/a.txt", "nowhere-news"), ("corpus/b.txt", "press-tv")]


def test_manifest_naming_a_missing_file_or_a_folder(workdir):
    manifest_setup(workdir, "  - {file: a.txt}\n  - {file: gone.txt}\n  - {file: sub}\n  - {file: b.txt, published: 2022-13}\n")
    result = cli("import", "corpus")
    assert result.exit_code == 1
    lines = rejections(result)
    assert len(lines) == 3
    assert the_line(lines, "corpus/manifest.yaml: files[1].file").endswith("names 'gone.txt', which does not exist")
    assert "which is a folder, not a file" in the_line(lines, "corpus/manifest.yaml: files[2].file")
    assert "'2022-13' has no month 13" in the_line(lines, "corpus/manifest.yaml: files[3].published")  # the field, not pydantic's inner ".value"
    assert sorted(stored_files(workdir)) == ["corpus/a.txt", "corpus/b.txt"]


def test_manifest_option_naming_a_folder_or_nothing(workdir):
    manifest_setup(workdir, "  - {file: a.txt}\n")
    (workdir / "somefolder").mkdir()
    result = cli("import", "--manifest", "somefolder", "corpus/a.txt")
    assert result.exit_code == 2
    assert "--manifest somefolder: is a folder, not a file" in result.stderr
    assert rows(workdir) == []  # a bad option stops the run before anything is read
    result = cli("import", "--manifest", "nothing.yaml", "corpus/a.txt")
    assert result.exit_code == 2 and "--manifest nothing.yaml: no such file" in result.stderr
    # the library, given a folder as the manifest: one line, the files still go in
    report = import_paths(Store(workdir / "api.db"), [workdir / "corpus" / "a.txt"], manifest_path=workdir / "somefolder")
    assert report.rejected == [("somefolder", "is a folder, not a file")]
    assert len(report.imported) == 1


@pytest.mark.parametrize(("content", "why"), [
    (b"files:\n  - {file: caf\xe9.txt}\n", "is not UTF-8 text"),
    (b"\x00\x01binary", "invalid YAML"),
    (b"files: [unclosed", "invalid YAML"),
    (b"- just a list", "must be a mapping with a 'files' list"),
])
def test_an_unreadable_manifest_is_one_line(workdir, content, why):
    write(workdir / "m.yaml", content)
    write(workdir / "good.txt", GOOD)
    result = cli("import", "--manifest", "m.yaml", "good.txt")
    assert result.exit_code == 1
    assert why in the_line(rejections(result), "m.yaml")
    assert stored_files(workdir) == ["good.txt"]


def test_csv_manifest_problems(workdir):
    write(workdir / "m.csv", "file,publisher\ngood.txt,press-tv\n".encode("utf-16"))
    write(workdir / "good.txt", GOOD)
    result = cli("import", "--manifest", "m.csv", "good.txt")
    assert result.exit_code == 1 and "is not UTF-8 text (invalid byte at offset" in the_line(rejections(result), "m.csv")
    write(workdir / "m.csv", "name,publisher\ngood.txt,press-tv\n")
    result = cli("import", "--manifest", "m.csv", "good.txt")
    assert result.exit_code == 1 and "has no 'file' column" in the_line(rejections(result), "m.csv")
    assert stored_files(workdir) == ["good.txt"]


# -- untrusted names and titles on the terminal ------------------------------------------

HOSTILE_TITLE = "[bold red]Fake[/] [/x] [@click=app.quit]quit[/] \x1b]0;pwned\x07\x1b[2JEnd"


def test_markup_like_titles_are_stored_and_printed_verbatim(workdir):
    write(workdir / "evil.json", json.dumps({"title": HOSTILE_TITLE, "text": "Body with [/x] and [link=http://x]y[/link]."}))
    result = cli("import", "evil.json")
    assert result.exit_code == 0 and "\x1b" not in result.output
    [row] = rows(workdir)
    assert row["title"] == "[bold red]Fake[/] [/x] [@click=app.quit]quit[/] End"
    listing = cli("articles", env={"COLUMNS": "200"})
    assert listing.exit_code == 0
    assert "[bold red]Fake[/] [/x] [@click=app.quit]quit[/] End" in listing.output
    assert "\x1b" not in listing.output and "pwned" not in listing.output
    shown = cli("show", row["id"], env={"COLUMNS": "200"})
    assert "[/x] and [link=http://x]y[/link]" in shown.output and "\x1b" not in shown.output


@pytest.mark.skipif(sys.platform == "win32", reason="file names with control characters")
def test_hostile_file_names_are_printed_escaped(workdir):
    names = ["esc\x1b]0;pwned\x07\x1b[31mred.json", "new\nline [bold]x[/bold].txt", "bidi\u202etxt.json"]
    for name in names:
        write(workdir / "in" / name, b"{broken" if name.endswith(".json") else b"\x00binary")
    write(workdir / "in" / "[red]ok[@click=app.quit].txt", GOOD)
    result = cli("import", "in")
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "\u202e" not in result.output and "\x07" not in result.output
    lines = rejections(result)
    assert len(lines) == 3  # the newline in a name does not split its line
    the_line(lines, "in/esc\\x1b]0;pwned\\x07\\x1b[31mred.json")
    the_line(lines, "in/new\\nline [bold]x[/bold].txt")
    the_line(lines, "in/bidi\\u202etxt.json")
    assert stored_files(workdir) == ["in/[red]ok[@click=app.quit].txt"]
    result = cli("import", "in")  # duplicates name the file verbatim, markup and all
    assert "duplicate: in/[red]ok[@click=app.quit].txt: same text" in result.stdout


@pytest.mark.skipif(sys.platform != "linux", reason="file names that are not UTF-8")
def test_a_file_name_that_is_not_utf8(workdir):
    os.makedirs(workdir / "in")
    with open(os.path.join(os.fsencode(workdir / "in"), b"caf\xe9.txt"), "wb") as handle:
        handle.write(GOOD.encode())
    result = cli("import", "in")
    assert result.exit_code == 0, result.output
    assert stored_files(workdir) == ["in/caf\\xe9.txt"]


def test_hostile_csv_header_is_printed_escaped(workdir):
    write(workdir / "h.csv", "ti\x1b]0;pwned\x07tle,body\nx,y\n")
    result = cli("import", "h.csv")
    assert "\x1b" not in result.output
    assert "columns: 'ti\\x1b]0;pwned\\x07tle', 'body'" in the_line(rejections(result), "h.csv")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_pipes_and_devices_are_not_read(workdir):
    os.mkfifo(workdir / "pipe.txt")
    os.symlink("/dev/zero", workdir / "zero.txt")
    write(workdir / "good.txt", GOOD)
    result = cli("import", "pipe.txt", "zero.txt", "good.txt")
    assert result.exit_code == 1
    lines = rejections(result)
    assert "is not a regular file" in the_line(lines, "pipe.txt")
    assert "is not a regular file" in the_line(lines, "zero.txt")
    assert stored_files(workdir) == ["good.txt"]


def test_rejection_lines_fit_one_line_at_the_default_width(workdir):
    write(workdir / "text-number-with-a-long-name.json", b'{"text": 5}')
    result = cli("import", "text-number-with-a-long-name.json", env={"COLUMNS": "80"})
    assert len(result.stderr.splitlines()) == 1 and len(result.stderr) > 80


# -- the whole hostile folder in one run --------------------------------------------------


def test_a_hostile_folder_in_one_run(workdir):
    hostile = workdir / "hostile"
    write(hostile / "random.bin.txt", random_bytes(7, 10_000))
    write(hostile / "image.png", png())
    write(hostile / "escapes.txt", "\x1b]0;pwned\x07\x1b[2J[bold]Title[/]\nBody \x1b[5mtext\x1b[0m.")
    write(hostile / "weird\x1bname.txt", b"")
    write(hostile / "ru.txt", RUSSIAN.encode("cp1251"))
    write(hostile / "good.md", GOOD)
    result = cli("import", "hostile")
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "\x07" not in result.output
    lines = rejections(result)
    assert len(lines) == 2
    the_line(lines, "hostile/random.bin.txt")
    assert the_line(lines, "hostile/weird\\x1bname.txt") == "hostile/weird\\x1bname.txt: is empty"
    assert "Imported 3 new article(s), 0 new version(s); 0 duplicate(s) skipped; 2 rejected; " \
           "1 non-article file(s) ignored" in result.stdout
    listing = cli("articles", env={"COLUMNS": "200"})
    assert "[bold]Title[/]" in listing.output and "Москва заявила о переговорах." in listing.output
    assert "\x1b" not in listing.output


def _import_in_subprocess(db: Path, path: Path) -> subprocess.Popen:
    code = ("import sys; from pathlib import Path; from annotator.importer import import_paths; "
            "from annotator.store import Store; r = import_paths(Store(Path(sys.argv[1])), [Path(sys.argv[2])]); "
            "print(r.rejected); sys.exit(0 if r.ok else 1)")
    return subprocess.Popen([sys.executable, "-c", code, str(db), str(path)], stdout=subprocess.PIPE, text=True)


def test_imports_running_at_once_never_store_a_text_twice_or_two_current_versions(tmp_path):
    """Two processes import changed texts for the same urls, and the same texts, at the same time."""
    import json as json_module

    db = tmp_path / "shared.db"
    Store(db)  # created before the race
    for name, version in (("a", "first"), ("b", "second"), ("c", "second")):  # c is the same content as b
        with (tmp_path / f"{name}.jsonl").open("w", encoding="utf-8") as fh:
            for i in range(300):
                fh.write(json_module.dumps({"url": f"https://example.org/{i}", "title": f"Story {i}",
                                            "text": f"The {version} text of story {i}."}) + "\n")
    runs = [_import_in_subprocess(db, tmp_path / f"{name}.jsonl") for name in ("a", "b", "c")]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0], outputs
    store = Store(db)
    current = store.list_articles()
    assert len(current) == 300  # one current version per url
    every = store.list_articles(current_only=False)
    assert len(every) == 600  # 'first' and 'second' of each url, in either order; 'c' added nothing
    texts = [store.article(row.id).text for row in every]
    assert len(texts) == len(set(texts))


def test_csv_with_an_unterminated_quote_is_rejected_not_swallowed(tmp_path):
    (tmp_path / "bad.csv").write_text('title,text\nFirst,"The first text.\nSecond,The second text.\n', encoding="utf-8")
    store = Store(tmp_path / "a.db")
    report = import_paths(store, [tmp_path / "bad.csv"])
    assert [(where.split(": ")[-1], reason) for where, reason in report.rejected] == [
        ("row 2", "invalid CSV: unexpected end of data")]
    assert store.count_articles() == 0
