"""The product cites public sources only: no internal planning document, no issue number
as a source, no path of a development machine, in anything a user installs or reads
(package, shipped registry and codebooks, README, schemas, demo corpus, examples,
benchmark reports)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import _DOC, _HOME, _SHARED, INTERNAL, REPO

SHIPPED = [
    "annotator/**/*.py", "annotator/**/*.yaml", "annotator/**/*.tcss", "schemas/*", "corpus/*.yaml",
    "README.md", "pyproject.toml", "examples/*", "bench/*.md", "bench/*.py", "bench/*.json", ".ci/*",
]
def shipped_files() -> list[Path]:
    files = {path for pattern in SHIPPED for path in REPO.glob(pattern) if path.is_file()}
    return sorted(path for path in files if "__pycache__" not in path.parts)


def test_the_scan_covers_the_shipped_files():
    names = {path.relative_to(REPO).as_posix() for path in shipped_files()}
    assert {"README.md", "annotator/data/outlets.yaml", "annotator/data/codebooks/ru-ua-framing.yaml",
            "annotator/normalize.py", "schemas/outlet.schema.json", "corpus/manifest.yaml"} <= names


@pytest.mark.parametrize("pattern_hit", [f"see {_DOC} §5", f"as the {_DOC.lower()} says", f"{_HOME}{_SHARED}x.md",
                                         "DEVELOPERS.md", "(issue 6)"])
def test_the_pattern_catches_internal_references(pattern_hit):
    assert INTERNAL.search(pattern_hit)


def test_ordinary_words_are_not_internal_references():
    assert not INTERNAL.search(f"a {_DOC.lower()} note; {_DOC.lower()}ly; the network and its work")


def test_no_shipped_file_cites_an_internal_reference():
    found = []
    for path in shipped_files():
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if INTERNAL.search(line):
                found.append(f"{path.relative_to(REPO)}:{number}: {line.strip()[:120]}")
    assert not found, "\n".join(found)
