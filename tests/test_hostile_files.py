"""Hostile files never hang the tool nor end it in a traceback (README "Bad input"):
YAML alias bombs, impossible unquoted dates, duplicate keys, pipes given as files."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from .conftest import BOMB, GOOD, one_error, run


def imported_titles(db: str = "t.db") -> list[str]:
    result = run("--db", db, "articles", "--json")
    import json

    return sorted(a["title"] for a in json.loads(result.stdout))


# -- YAML: alias bombs -----------------------------------------------------------------


def test_alias_bomb_in_a_folders_manifest_is_refused_quickly(workdir):
    (workdir / "in").mkdir()
    (workdir / "in" / "a.txt").write_text(GOOD)
    (workdir / "in" / "manifest.yaml").write_text(BOMB + "files:\n  - file: a.txt\n    published: *i\n")
    result = run("--db", "t.db", "import", "in")
    assert result.exit_code == 1
    found = re.search(r"rejected: in/manifest.yaml: invalid YAML at line (\d+) column \d+: aliases \(\*name\) would "
                      r"repeat values", result.stderr)
    assert found and int(found.group(1)) >= 9, result.stderr  # where the bomb is, not the file's first line


def test_alias_bomb_in_a_folders_registry_is_refused_quickly(workdir):
    (workdir / "in").mkdir()
    (workdir / "in" / "a.txt").write_text(GOOD)
    (workdir / "in" / "outlets.yaml").write_text(BOMB + "outlets:\n  - {id: x, name: X, founded: *i}\n")
    result = run("--db", "t.db", "import", "in")
    assert result.exit_code == 1
    assert "rejected: in/outlets.yaml: invalid YAML" in result.stderr and "would repeat values" in result.stderr


def test_alias_bomb_in_a_codebook_is_refused_quickly(workdir):
    (workdir / "book.yaml").write_text(BOMB + "id: x\nversion: *i\ntitle: T\ncategories: []\n")
    line = one_error(run("codebook", "check", "book.yaml"))
    assert line.startswith("error: book.yaml: invalid YAML at line 9 column 4: aliases (*name) would repeat values")


def test_an_alias_inside_the_value_it_names_is_refused(workdir):
    (workdir / "book.yaml").write_text("id: &x [1, *x]\n")
    assert "refers to a value that holds it" in one_error(run("codebook", "check", "book.yaml"))


def test_a_few_aliases_are_still_read(workdir):
    """The shipped policy-frames codebook reuses its labels through an alias."""
    result = run("codebook", "check", str(Path(__file__).parent.parent / "annotator/data/codebooks/policy-frames.yaml"))
    assert result.exit_code == 0 and result.stdout.startswith("ok: ")


def test_a_list_where_a_date_belongs_is_refused_by_type_not_converted(workdir):
    (workdir / "a.txt").write_text(GOOD)
    (workdir / "m.yaml").write_text("files:\n  - file: a.txt\n    published: [2022, 8]\n")
    result = run("--db", "t.db", "import", "--manifest", "m.yaml", "a.txt")
    assert result.exit_code == 1
    assert "m.yaml: files[0].published: must be a date written YYYY, YYYY-MM or YYYY-MM-DD" in result.stderr


# -- YAML: impossible unquoted dates -------------------------------------------------------


def test_impossible_unquoted_date_in_a_manifest_rejects_that_entry_only(workdir):
    (workdir / "in").mkdir()
    (workdir / "in" / "a.txt").write_text(GOOD)
    (workdir / "in" / "b.txt").write_text(GOOD.replace("Monday", "Tuesday"))
    (workdir / "in" / "manifest.yaml").write_text(
        "files:\n  - {file: a.txt, published: 2022-02-30}\n  - {file: b.txt, published: 2022-08-08}\n")
    result = run("--db", "t.db", "import", "in")
    assert result.exit_code == 1
    assert "in/manifest.yaml: files[0].published" in result.stderr and "day is out of range" in result.stderr
    assert "Imported 2 new article(s)" in result.stdout  # the import goes on (a.txt without the entry's facts)


def test_impossible_unquoted_date_in_a_registry_is_one_line(workdir):
    (workdir / "a.txt").write_text(GOOD)
    (workdir / "o.yaml").write_text("outlets:\n  - {id: x, name: X, founded: 2022-02-30}\n")
    result = run("--db", "t.db", "import", "--registry", "o.yaml", "a.txt")
    assert result.exit_code == 1
    assert "rejected: o.yaml: outlets[0].founded" in result.stderr and "day is out of range" in result.stderr


def test_a_date_like_codebook_version_is_text(workdir):
    book = (Path(__file__).parent.parent / "annotator/data/codebooks/policy-frames.yaml").read_text()
    (workdir / "book.yaml").write_text(book.replace('version: "1"', "version: 2022-13-01", 1))
    assert "version: 2022-13-01" in (workdir / "book.yaml").read_text()
    result = run("codebook", "check", "book.yaml")
    assert result.exit_code == 0 and "policy-frames 2022-13-01" in result.stdout


# -- YAML: duplicate keys ------------------------------------------------------------------


def test_duplicate_keys_in_a_codebook_are_reported(workdir):
    book = (Path(__file__).parent.parent / "annotator/data/codebooks/policy-frames.yaml").read_text()
    (workdir / "book.yaml").write_text(book.replace("id: policy-frames\n", "id: policy-frames\nid: other\n", 1))
    line = one_error(run("codebook", "check", "book.yaml"))
    assert line.startswith("error: book.yaml: invalid YAML at line ") and "duplicate key 'id' (first at line" in line


def test_duplicate_keys_in_a_manifest_and_a_registry_are_refused(workdir):
    (workdir / "a.txt").write_text(GOOD)
    (workdir / "m.yaml").write_text("files:\n  - {file: a.txt, title: One, title: Two}\n")
    (workdir / "o.yaml").write_text("outlets:\n  - {id: x, name: X, name: Y}\n")
    result = run("--db", "t.db", "import", "--manifest", "m.yaml", "a.txt")
    assert result.exit_code == 1 and "m.yaml: invalid YAML at line 2" in result.stderr
    assert "duplicate key 'title'" in result.stderr
    result = run("--db", "t.db", "import", "--registry", "o.yaml", "a.txt")
    assert result.exit_code == 1 and "duplicate key 'name'" in result.stderr


# -- pipes and other files that are not regular files ------------------------------------------------------


@pytest.fixture
def fifo(workdir) -> Path:
    path = workdir / "pipe.yaml"
    os.mkfifo(path)
    return path


def test_a_pipe_as_codebook_is_refused_at_once(fifo):
    line = one_error(run("codebook", "check", fifo.name))
    assert line == "error: pipe.yaml: is not a regular file (a pipe, socket or device)"
    line = one_error(run("codebook", "show", fifo.name))
    assert line == "error: pipe.yaml: is not a regular file (a pipe, socket or device)"


def test_a_pipe_as_configuration_is_refused_at_once(fifo, workdir):
    line = one_error(run("codebook", "show", env={"ANNOTATOR_CONFIG": str(fifo)}))
    assert line.endswith("pipe.yaml: is not a regular file (a pipe, socket or device)")


@pytest.mark.parametrize("option", ["--manifest", "--registry"])
def test_a_pipe_as_manifest_or_registry_says_what_it_is(fifo, workdir, option):
    (workdir / "a.txt").write_text(GOOD)
    line = one_error(run("--db", "t.db", "import", option, fifo.name, "a.txt"), code=2)
    assert line == f"error: {option} pipe.yaml: is not a regular file (a pipe, socket or device)"


def test_a_pipe_named_manifest_at_the_top_of_a_folder_is_refused(workdir):
    (workdir / "in").mkdir()
    (workdir / "in" / "a.txt").write_text(GOOD)
    os.mkfifo(workdir / "in" / "manifest.yaml")
    result = run("--db", "t.db", "import", "in")
    assert result.exit_code == 1
    assert "rejected: in/manifest.yaml: is not a regular file (a pipe, socket or device)" in result.stderr


# -- an HTML page's declared encoding ----------------------------------------------------------------------

RUSSIAN = ("Переговоры в Стамбуле завершились без соглашения, сообщили официальные лица в понедельник. "
           "Стороны договорились продолжить консультации на следующей неделе, но не назвали даты встречи.")


@pytest.mark.parametrize("meta", ['<meta charset="windows-1251">',
                                  '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'])
def test_a_windows_1251_page_is_read_as_its_meta_charset_says(workdir, meta):
    page = (f"<html lang=\"ru\"><head>{meta}<title>Переговоры в Стамбуле</title></head><body><article>"
            f"<h1>Переговоры в Стамбуле</h1><p>{RUSSIAN}</p><p>{RUSSIAN}</p></article></body></html>")
    (workdir / "page.html").write_bytes(page.encode("cp1251"))
    result = run("--db", "t.db", "import", "page.html")
    assert result.exit_code == 0, result.output
    import json

    (article,) = json.loads(run("--db", "t.db", "articles", "--json").stdout)
    shown = json.loads(run("--db", "t.db", "show", article["id"], "--json").stdout)
    assert RUSSIAN in shown["text"] and shown["title"] == "Переговоры в Стамбуле"


def test_a_page_that_is_not_what_its_meta_charset_says_is_judged_as_any_file(workdir):
    page = "<html><head><meta charset=\"windows-1251\"></head><body><p>" + "Zürich café. " * 30 + "</p></body></html>"
    (workdir / "page.html").write_text(page, encoding="utf-8")  # valid UTF-8 wins over the label
    assert run("--db", "t.db", "import", "page.html").exit_code == 0
    import json

    (article,) = json.loads(run("--db", "t.db", "articles", "--json").stdout)
    assert "Zürich café." in json.loads(run("--db", "t.db", "show", article["id"], "--json").stdout)["text"]


# -- file names that print the same ---------------------------------------------------------------------------


def test_two_files_whose_names_print_the_same_stay_two_articles(workdir):
    (workdir / "in").mkdir()
    (workdir / "in" / "a\x1bb.txt").write_text(GOOD)
    (workdir / "in" / "a\\x1bb.txt").write_text(GOOD.replace("Monday", "Friday"))
    result = run("--db", "t.db", "import", "in")
    assert result.exit_code == 0, result.output
    assert "Imported 2 new article(s), 0 new version(s)" in result.stdout
    import json

    assert len(json.loads(run("--db", "t.db", "articles", "--json").stdout)) == 2


def test_a_file_changed_in_place_is_still_a_new_version(workdir):
    (workdir / "a\x1bb.txt").write_text(GOOD)
    run("--db", "t.db", "import", "a\x1bb.txt")
    (workdir / "a\x1bb.txt").write_text(GOOD.replace("Monday", "Friday"))
    result = run("--db", "t.db", "import", "a\x1bb.txt")
    assert "0 new article(s), 1 new version(s)" in result.stdout


def test_a_pipe_named_annotator_toml_in_the_working_folder_is_refused(workdir):
    os.mkfifo(workdir / "annotator.toml")
    line = one_error(run("codebook", "show", env={"ANNOTATOR_CONFIG": ""}))
    assert line == "error: annotator.toml: is not a regular file (a pipe, socket or device)"
