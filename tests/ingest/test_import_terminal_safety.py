"""Untrusted text on the terminal: titles, file names and CSV headers are never read as Rich
markup nor printed as escape sequences."""

from __future__ import annotations

import json
import os
import sys

import pytest

from .conftest import GOOD, RUSSIAN, cli, png, random_bytes, rejections, rows, stored_files, the_line, write


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
