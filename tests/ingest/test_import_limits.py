"""Import size limits (--max-mb): a file or record over the limit is rejected, the others kept."""

from __future__ import annotations

import json

import pytest

from .conftest import GOOD, cli, rejections, rows, stored_files, the_line, write


# -- sizes ---------------------------------------------------------------------------------


@pytest.mark.slow  # a scale test: `pytest -m slow` (CI runs it)
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
