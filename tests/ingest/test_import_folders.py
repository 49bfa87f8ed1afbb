"""Import of folders and paths that are not plain files: folders are walked, pipes and devices are not read."""

from __future__ import annotations

import os

import pytest

from annotator.ingest.importer import import_paths
from annotator.store import Store

from .conftest import GOOD, cli, rejections, stored_files, the_line, write


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
    from annotator.ingest.readers import read_file

    [error] = list(read_file(workdir / "in" / "x.json"))
    assert error.message == "is a folder, not a file"



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
