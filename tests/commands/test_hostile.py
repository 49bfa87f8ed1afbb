"""No input ends a command in a traceback or a hang: one ``error:`` line and the right
exit status (README "Bad input"). A walk over every command `annotator --help` lists,
with damaged, empty and unusable databases and hostile files, ends the module."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import click
import pytest

from annotator.cli import main
from annotator.exchange.export import export
from annotator.ingest.importer import import_paths
from annotator.models import Annotation
from annotator.store import Store

from tests.conftest import CORPUS
from tests.conftest import BOMB, GOOD, one_error, run

LONG = "y" * 300  # longer than a file name may be (255 bytes)
ARTICLE = "bbf1e220"  # an article id (prefix) of the demo corpus


def damage(path: Path) -> None:
    """Overwrite every other page past the schema with garbage: the header still opens."""
    data = bytearray(path.read_bytes())
    size = 4096
    for page in range(3, len(data) // size, 2):
        data[page * size:(page + 1) * size] = b"\xff" * size
    path.write_bytes(bytes(data))


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    store = Store(folder / "demo.db")
    assert import_paths(store, [CORPUS]).ok
    store.close()
    return folder / "demo.db"


@pytest.fixture
def damaged(workdir, demo_db) -> Path:
    shutil.copy(demo_db, workdir / "damaged.db")
    damage(workdir / "damaged.db")
    return workdir / "damaged.db"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- numbers and names -------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e308", "0", "-1"])
def test_max_mb_must_be_a_finite_size(workdir, value):
    (workdir / "a.txt").write_text(GOOD)
    line = one_error(run("--db", "t.db", "import", "--max-mb", value, "a.txt"), code=2)
    assert line.startswith(f"error: --max-mb {float(value)}: must be a number of MB from 0.001 to 1024")
    assert not (workdir / "t.db").exists()


def test_a_file_name_too_long_to_import_is_rejected(workdir):
    (workdir / "a.txt").write_text(GOOD)
    result = run("--db", "t.db", "import", LONG + ".txt", "a.txt")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"rejected: {LONG}.txt: cannot be read: File name too long"]
    assert "Imported 1 new article(s)" in result.stdout


@pytest.mark.parametrize("args, expected", [
    (["--db", "demo.db", "export", "--out", LONG + ".csv"], f"error: --out {LONG}.csv: cannot be written: File name too long"),
    (["--db", "demo.db", "import-annotations", LONG + ".jsonl"], f"error: {LONG}.jsonl: File name too long"),
    (["--db", LONG + ".db", "articles"], f"error: {LONG}.db: cannot be used as a database: File name too long"),
    (["--db", LONG + ".db", "import", "a.txt"], f"error: {LONG}.db: cannot be used as a database: File name too long"),
    (["--db", LONG + ".db"], f"error: {LONG}.db: cannot be used as a database: File name too long"),
])
def test_a_name_too_long_is_one_line(workdir, demo_db, args, expected):
    shutil.copy(demo_db, workdir / "demo.db")
    (workdir / "a.txt").write_text(GOOD)
    line = one_error(run(*args), code=2 if "--out" in args else 1)
    assert line.startswith(expected)


# -- damaged, empty and foreign databases -----------------------------------------------------------------


@pytest.mark.parametrize("command", [["articles"], ["stats"], ["show", ARTICLE], ["outlets"], ["export"],
                                     ["suggest", "--all"], ["agreement"], ["codebook", "orphans"], []])
def test_a_damaged_database_is_one_line_saying_how_to_check_it(damaged, command):
    line = one_error(run("--db", "damaged.db", *command))
    assert line.startswith("error: damaged.db: the database is damaged (database disk image is malformed); "
                           "check it with `sqlite3 damaged.db \"PRAGMA integrity_check\"` and restore a backup")


@pytest.mark.parametrize("command", [["articles"], ["stats"], ["show", ARTICLE], ["export"], ["import-annotations", "x.jsonl"]])
def test_an_empty_file_is_not_turned_into_a_database(workdir, command):
    (workdir / "notes.db").write_bytes(b"")
    (workdir / "x.jsonl").write_text("{}\n")
    line = one_error(run("--db", "notes.db", *command))
    assert line.startswith("error: notes.db: is not an annotator database")
    assert (workdir / "notes.db").read_bytes() == b""
    assert sorted(p.name for p in workdir.iterdir()) == ["notes.db", "x.jsonl"]  # no journal left either


def test_another_programs_database_is_left_as_it_was(workdir):
    with sqlite3.connect(workdir / "other.db") as conn:
        conn.execute("CREATE TABLE t (x)")
    before = digest(workdir / "other.db")
    assert "is not an annotator database" in one_error(run("--db", "other.db", "articles"))
    assert digest(workdir / "other.db") == before


def test_read_outs_never_write_to_the_database(workdir, demo_db):
    shutil.copy(demo_db, workdir / "demo.db")
    with sqlite3.connect(f"{demo_db.as_uri()}?mode=ro", uri=True) as conn:
        assert conn.execute("SELECT count(*) FROM articles WHERE id LIKE ?", [ARTICLE + "%"]).fetchone()[0] == 1
    before = digest(workdir / "demo.db")
    for command in (["articles"], ["stats"], ["show", ARTICLE], ["outlets"], ["export"], ["suggest", ARTICLE]):
        assert run("--db", "demo.db", *command).exit_code == 0, command
    assert digest(workdir / "demo.db") == before


def test_a_pipe_as_database_is_refused_at_once(workdir):
    os.mkfifo(workdir / "p.db")
    for command in (["articles"], ["import", "a.txt"]):
        line = one_error(run("--db", "p.db", *command))
        assert line == "error: p.db: is not a regular file (a pipe, socket or device), not a database file"


# -- every command over hostile input ---------------------------------------------------------------------


def commands_listed_by_help() -> list[list[str]]:
    """Every command and subcommand `annotator --help` (and `annotator GROUP --help`) lists."""
    def listed(args: list[str]) -> list[str]:
        text = run(*args, "--help").stdout
        return re.findall(r"^  ([a-z][a-z-]*)  ", text.split("Commands:")[1], re.M) if "Commands:" in text else []

    found = []
    for name in listed([]):
        found.extend([[name, sub] for sub in listed([name])] or [[name]])
    return found


def command_object(path: list[str]) -> click.Command:
    command: click.Command = main
    for name in path:
        command = command.commands[name]  # type: ignore[attr-defined]
    return command


def arguments_for(path: list[str], hostile_file: str) -> list[str]:
    """Values for a command's required arguments: a file where it reads files, else an article id."""
    values = []
    for param in command_object(path).params:
        if isinstance(param, click.Argument) and (param.required or param.name == "article"
                                                  or (param.name == "ref" and path == ["history"])):
            file_like = param.name in ("paths", "file", "files") or isinstance(param.type, click.Path)
            values.append(hostile_file if file_like else ARTICLE)
    return values


def uses_database(path: list[str]) -> bool:
    return any(param.name == "db_path" for param in command_object(path).params)


def test_help_lists_the_commands_walked():
    walked = {" ".join(path) for path in commands_listed_by_help()}
    assert {"import", "articles", "show", "stats", "export", "codebook check", "codebook show"} <= walked


DATABASES = {
    "damaged": "the database is damaged",
    "empty file": "is not an annotator database",
    "pipe": "is not a regular file",
    "name too long": "File name too long",
}


def test_every_command_over_hostile_input_is_one_error_line(workdir, demo_db):
    shutil.copy(demo_db, workdir / "damaged.db")
    damage(workdir / "damaged.db")
    (workdir / "empty.db").write_bytes(b"")
    os.mkfifo(workdir / "pipe.db")
    os.mkfifo(workdir / "pipe.yaml")
    (workdir / "bomb.yaml").write_text(BOMB + "id: x\n")
    (workdir / "a.txt").write_text(GOOD)
    shutil.copy(demo_db, workdir / "tagged.db")
    tagged = Store(workdir / "tagged.db")
    article = tagged.article(tagged.list_articles()[0].id)
    tagged.add_annotation(Annotation(article_id=article.id, text_sha256=article.text_sha256, annotator="maria",
                                     codebook_id="ru-ua-framing", codebook_version="1", category="tone", label="anti"))
    with (workdir / "tags.jsonl").open("w", encoding="utf-8", newline="") as out:
        export(tagged, "jsonl", out)
    tagged.close()
    paths = {"damaged": "damaged.db", "empty file": "empty.db", "pipe": "pipe.db", "name too long": LONG + ".db"}
    checked = 0
    for path in [[], *commands_listed_by_help()]:
        if path == ["tui"]:
            continue  # a full-screen app: its opening errors are tested with the TUI
        if not path or uses_database(path):
            for case, expected in DATABASES.items():
                if path == ["import"] and case == "empty file":
                    continue  # the one command that makes a database may make it in an empty file
                given = "tags.jsonl" if path == ["import-annotations"] else "a.txt"
                result = run("--db", paths[case], *path, *arguments_for(path, given))
                line = one_error(result)
                assert expected in line, (path, case, line)
                checked += 1
        else:  # codebook check / show / list
            for hostile, expected in (("pipe.yaml", "is not a regular file"), ("bomb.yaml", "would repeat values"),
                                      (LONG + ".yaml", "File name too long")):
                args = arguments_for(path, hostile) or ([hostile] if path == ["codebook", "show"] else [])
                if not args:
                    continue
                line = one_error(run(*path, *args))
                assert expected in line, (path, hostile, line)
                checked += 1
    assert checked >= 40


@pytest.mark.parametrize("args, expected", [
    (["--db", "damaged.db", "articles"], "the database is damaged"),
    (["codebook", "check", "bomb.yaml"], "would repeat values"),
    (["--db", "t.db", "import", "--max-mb", "nan", "a.txt"], "--max-mb nan"),
])
def test_as_a_real_process_one_line_and_no_traceback(damaged, workdir, args, expected):
    (workdir / "bomb.yaml").write_text(BOMB + "id: x\n")
    (workdir / "a.txt").write_text(GOOD)
    done = subprocess.run([sys.executable, "-m", "annotator.cli", *args], capture_output=True, text=True, timeout=60,
                          cwd=workdir, env={**os.environ, "COLUMNS": "400"})
    assert done.returncode in (1, 2) and "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and expected in lines[0]
