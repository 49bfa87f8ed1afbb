"""What ships with the package: the codebooks and the outlet registry live inside
``annotator/`` (a wheel holds them), and a database knows the shipped outlets without a
registry file in the imported folder. (`.ci/check-wheel` installs a real wheel.)"""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

from click.testing import CliRunner

import annotator
from annotator.cli import main
from annotator.codebook import codebook_files
from annotator.ingest.importer import import_paths
from annotator.models import Outlet
from annotator.outlets.registry import SHIPPED_REGISTRY, load_registry
from annotator.store import Store

from .conftest import CORPUS, REPO, SEED_FILES

PACKAGE = Path(annotator.__file__).resolve().parent


def _package_data_globs() -> list[str]:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    return config["tool"]["setuptools"]["package-data"]["annotator"]


def _shipped(path: Path) -> bool:
    """Inside the package and named by its package-data, so a wheel holds it."""
    try:
        inside = path.resolve().relative_to(PACKAGE).as_posix()
    except ValueError:
        return False
    return any(fnmatch.fnmatch(inside, glob) for glob in _package_data_globs())


def test_the_codebooks_and_the_registry_are_package_data():
    files = codebook_files()
    assert {f.stem for f in files} >= {"ru-ua-framing", "policy-frames"}
    assert all(_shipped(f) for f in files), files
    assert _shipped(SHIPPED_REGISTRY)
    assert load_registry(SHIPPED_REGISTRY)  # loads and holds outlets (tests/outlets/test_registry_data.py checks them)


def test_the_demo_corpus_holds_no_second_copy_of_the_registry():
    assert not list(CORPUS.glob("outlets.y*ml"))


def test_an_import_without_a_registry_knows_the_shipped_outlets(workdir):
    article = workdir / "article.txt"
    article.write_text((CORPUS / SEED_FILES["press_tv"]).read_text(encoding="utf-8"), encoding="utf-8")
    result = CliRunner().invoke(main, ["import", "article.txt"])
    assert result.exit_code == 0, result.output
    outlets = {o.id: o for o in Store(workdir / "annotations.db").outlets()}
    assert {"press-tv", "ap", "reuters", "rt"} <= set(outlets)
    assert outlets["press-tv"].name == "Press TV"


def test_the_shipped_registry_never_replaces_an_outlet_already_stored(workdir):
    store = Store(workdir / "annotations.db")
    mine = Outlet(id="press-tv", name="Press TV (our own notes)", country="Iran")
    store.upsert_outlets([mine])
    (workdir / "a.txt").write_text("A title\n\nSome text about the talks.", encoding="utf-8")
    assert import_paths(store, [workdir / "a.txt"]).ok
    assert store.outlet("press-tv").name == "Press TV (our own notes)"
    assert store.outlet("reuters") is not None  # the ones it lacked were added


def test_a_given_registry_is_merged_beside_the_shipped_one(workdir):
    (workdir / "news").mkdir()
    (workdir / "news" / "outlets.yaml").write_text(
        "outlets:\n  - {id: local-paper, name: Local Paper, domains: [local.example]}\n", encoding="utf-8")
    (workdir / "news" / "a.txt").write_text("A title\n\nSome text.", encoding="utf-8")
    store = Store(workdir / "annotations.db")
    assert import_paths(store, [workdir / "news"]).ok
    assert {"local-paper", "press-tv", "reuters"} <= {o.id for o in store.outlets()}
    assert store.article(store.list_articles()[0].id).publisher is None  # no url, no publisher: unknown
