"""Every command that writes to standard output ends quietly when its reader has gone
(`annotator stats | head -1`): no message, no traceback, exit status 141 (128 + SIGPIPE)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from annotator.models import Annotation
from tests.report_fixture import build

CLOSED_PIPE_STATUS = 141


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    store, ids = build(tmp_path_factory.mktemp("pipes") / "p")
    store.close()
    return store.path, ids


def annotator(*args: str, stdout) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "annotator.cli", *args], stdout=stdout, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, env={**os.environ, "COLUMNS": "80"})


def run_into_closed_pipe(*args: str) -> tuple[int, bytes]:
    """Run with a standard output whose reading end is already closed: the first write fails."""
    read, write = os.pipe()
    os.close(read)
    try:
        process = annotator(*args, stdout=write)
    finally:
        os.close(write)
    _, err = process.communicate(timeout=60)
    return process.returncode, err


COMMANDS = [
    ["stats"], ["stats", "--by", "all", "--format", "csv"], ["stats", "--format", "json"], ["stats", "--format", "md"],
    ["agreement"], ["agreement", "--format", "csv"],
    ["export"], ["export", "--format", "csv"], ["export", "--format", "w3c"],
    ["articles"], ["articles", "--json"], ["outlets"], ["outlets", "--json"],
    ["show", "{A1}"], ["show", "{A1}", "--json"], ["suggest", "{A1}"], ["suggest", "{A1}", "--json"], ["suggest", "--all"],
    ["codebook", "show"], ["codebook", "show", "--json"], ["codebook", "list"], ["codebook", "orphans"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_closed_pipe_ends_the_command_quietly(project, command):
    db, ids = project
    args = [part.format(**ids) for part in command]
    status, err = run_into_closed_pipe("--db", str(db), *args)
    assert err == b"", err.decode(errors="replace")
    assert status == CLOSED_PIPE_STATUS


def test_a_large_export_read_one_line_then_closed(project, tmp_path):
    """As `annotator export | head -1` on many tags: the reader goes after one line."""
    from annotator.store import Store

    db, ids = project
    copy = tmp_path / "many.db"
    source = Store(db)
    source.conn.execute("VACUUM INTO ?", [str(copy)])
    store = Store(copy)
    article = store.article(ids["B1"])
    store.upsert_annotations(Annotation(article_id=article.id, text_sha256=article.text_sha256, annotator=f"a{n}",
                                        codebook_id="ru-ua-framing", codebook_version="1", category="tone", label="pro")
                             for n in range(3000))
    store.close()
    for fmt in ("jsonl", "csv", "w3c"):
        process = annotator("--db", str(copy), "export", "--format", fmt, stdout=subprocess.PIPE)
        assert process.stdout.readline()
        process.stdout.close()
        _, err = process.communicate(timeout=60)
        assert err == b"" and process.returncode == CLOSED_PIPE_STATUS, (fmt, err)
