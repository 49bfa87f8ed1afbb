"""Import with a manifest (YAML or CSV) naming each file's publisher, date and so on."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.ingest.importer import import_paths
from annotator.outlets.registry import SHIPPED_REGISTRY
from annotator.store import Store

from .conftest import GOOD, cli, rejections, rows, stored_files, the_line, write


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
