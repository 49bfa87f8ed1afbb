"""The import-linter contracts in pyproject.toml name every module they are about: a new core
module or TUI widget is checked from its first commit (`lint-imports` runs them in .ci/run)."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "annotator"
PACKAGE_MODULES = {f"annotator.{p.stem}" for p in PACKAGE.glob("*.py")} | {f"annotator.{p.parent.name}" for p in PACKAGE.glob("*/__init__.py")}
CLI = {"annotator.cli", "annotator.commands"}  # the command line: the group in cli.py, its commands in commands/


def contracts() -> dict[str, dict]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    return {c["id"]: c for c in config["contracts"]}


def modules(folder: Path, prefix: str) -> set[str]:
    """The modules and sub-packages of a package (a contract on a package covers its modules)."""
    files = {f"{prefix}.{p.stem}" for p in folder.glob("*.py") if p.stem != "__init__"}
    return files | {f"{prefix}.{p.parent.name}" for p in folder.glob("*/__init__.py")}


def test_every_core_module_is_kept_from_textual_and_from_sql():
    core = modules(PACKAGE, "annotator") - CLI - {"annotator.tui"}
    assert "annotator.store" in core  # the store is a package: its modules are checked with it
    assert set(contracts()["core-without-textual"]["source_modules"]) == core
    sql_free = set(contracts()["only-the-store-speaks-sql"]["source_modules"])
    assert sql_free == (core - {"annotator.store"}) | CLI | {"annotator.tui"}


def test_only_the_store_package_may_speak_sql_and_it_imports_none_of_its_users():
    store_modules = modules(PACKAGE / "store", "annotator.store")
    assert {"annotator.store.connection", "annotator.store.schema"} <= store_modules
    sql_free = contracts()["only-the-store-speaks-sql"]["source_modules"]
    assert not [m for m in sql_free if m == "annotator.store" or m.startswith("annotator.store.")]
    below = contracts()["store-below-its-users"]
    assert below["source_modules"] == ["annotator.store"]
    assert {"annotator.exchange", "annotator.readouts", "annotator.ingest", "annotator.cli", "annotator.commands", "annotator.tui"} <= set(below["forbidden_modules"])


def test_every_tui_module_has_a_layer():
    layered = {name.strip() for layer in contracts()["tui-layers"]["layers"] for name in layer.split(":")}
    assert layered == modules(PACKAGE / "tui", "annotator.tui")


def test_every_library_package_has_a_layer():
    """A new folder of the library is placed in the layers from its first commit (the modules at
    the top of annotator/, such as errors or normalize, are helpers below every layer)."""
    layered = {name.strip() for layer in contracts()["library-layers"]["layers"] for name in layer.replace("|", ":").split(":")}
    packages = {f"annotator.{p.parent.name}" for p in PACKAGE.glob("*/__init__.py")} - {"annotator.commands", "annotator.tui"}
    assert layered >= packages, packages - layered
