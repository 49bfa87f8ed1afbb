"""Import of bad input (README "Importing").

Every bad file or record gets one ``rejected: file[: record]: what is wrong`` line
on stderr; the good ones in the same run still go in; the exit status is 1 when
anything was rejected (0 otherwise); and a rejected file leaves no rows behind.
"""

from __future__ import annotations

import json
import zlib

import pytest

from .conftest import GOOD, cli, png, random_bytes, rejections, stored_files, the_line, write


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



def test_rejection_lines_fit_one_line_at_the_default_width(workdir):
    write(workdir / "text-number-with-a-long-name.json", b'{"text": 5}')
    result = cli("import", "text-number-with-a-long-name.json", env={"COLUMNS": "80"})
    assert len(result.stderr.splitlines()) == 1 and len(result.stderr) > 80
