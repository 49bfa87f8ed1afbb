"""Import of record files (JSON, JSON Lines, CSV), HTML and Markdown: the good records are kept,
the bad ones named; pages lose their chrome; titles come from the file."""

from __future__ import annotations

import json

from annotator.ingest.importer import import_paths
from annotator.store import Store

from .conftest import cli, rejections, rows, the_line, write


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



def test_csv_with_an_unterminated_quote_is_rejected_not_swallowed(tmp_path):
    (tmp_path / "bad.csv").write_text('title,text\nFirst,"The first text.\nSecond,The second text.\n', encoding="utf-8")
    store = Store(tmp_path / "a.db")
    report = import_paths(store, [tmp_path / "bad.csv"])
    assert [(where.split(": ")[-1], reason) for where, reason in report.rejected] == [
        ("row 2", "invalid CSV: unexpected end of data")]
    assert store.count_articles() == 0



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
