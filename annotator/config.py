"""Configuration: ``annotator.toml`` in the working folder, else the user's
``~/.config/annotator/config.toml`` (or the file named by ``$ANNOTATOR_CONFIG``).

::

    annotator = "maria"            # your name on your tags (else $ANNOTATOR_NAME, else the login name)
    codebook = "ru-ua-framing"     # default codebook: a shipped id or a .yaml path

    [keys]                         # TUI key bindings: action = "key" (see README)
    next_article = "]"
"""

from __future__ import annotations

import getpass
import json
import os
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .codebook import DEFAULT_CODEBOOK_ID
from .errors import InputError
from .files import file_problem, read_regular_text
from .normalize import clean_line
from .paths import display_path

PROJECT_CONFIG = "annotator.toml"


def user_config_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "annotator" / "config.toml"


@dataclass
class Config:
    path: Path | None = None
    annotator: str | None = None
    codebook: str = DEFAULT_CODEBOOK_ID
    keys: dict[str, str] = field(default_factory=dict)


def config_path() -> Path | None:
    """The configuration file in effect, if any."""
    explicit = os.environ.get("ANNOTATOR_CONFIG")
    if explicit:
        return Path(explicit)
    for candidate in (Path(PROJECT_CONFIG), user_config_path()):
        if candidate.exists():  # a pipe or folder of that name is refused when read, not skipped
            return candidate
    return None


def load_config(path: Path | None = None) -> Config:
    """Read the configuration; :class:`InputError` names the file and the bad field."""
    path = path or config_path()
    if path is None or str(path) == os.devnull:  # ANNOTATOR_CONFIG=/dev/null: no configuration
        return Config()
    name = display_path(path)
    if file_problem(path) == "no such file":
        raise InputError(f"{name}: no such configuration file")
    try:
        data = tomllib.loads(read_regular_text(path, "utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{name}: invalid TOML: {exc}") from None
    except RecursionError:
        raise InputError(f"{name}: invalid TOML: nested too deeply") from None
    unknown = sorted(set(data) - {"annotator", "codebook", "keys"})
    if unknown:
        raise InputError(f"{name}: unknown setting(s) {', '.join(unknown)} (known: annotator, codebook, keys)")
    for key in ("annotator", "codebook"):
        if key in data and (not isinstance(data[key], str) or not data[key].strip()):
            raise InputError(f"{name}: {key}: must be a non-empty string")
    keys = data.get("keys", {})
    if not isinstance(keys, dict) or not all(isinstance(v, str) and v for v in keys.values()):
        raise InputError(f"{name}: keys: must be a table of action = \"key\" strings")
    return Config(path=path, annotator=data.get("annotator"), codebook=data.get("codebook", DEFAULT_CODEBOOK_ID), keys=dict(keys))


MAX_NAME = 64


def resolve_annotator(explicit: str | None, config: Config) -> str:
    """The annotator's name: ``--annotator``, else configuration, else ``$ANNOTATOR_NAME``,
    else the name remembered in the user's configuration, else the login name."""
    return annotator_and_source(explicit, config)[0]


def annotator_and_source(explicit: str | None, config: Config) -> tuple[str, bool]:
    """(name, taken from the login name): the TUI asks for a name only in the second case."""
    for candidate in _names(explicit, config):
        if candidate and clean_line(candidate).strip():
            return clean_line(candidate).strip()[:MAX_NAME], False
    try:
        return clean_line(getpass.getuser()).strip() or "annotator", True
    except (OSError, KeyError):
        return "annotator", True


def _names(explicit: str | None, config: Config) -> Iterator[str | None]:
    """The places of a name, in order, each looked at only when the ones before give none
    (a second configuration file is read only when it is needed)."""
    yield explicit
    yield config.annotator
    yield os.environ.get("ANNOTATOR_NAME")
    yield _remembered_name(config)


def _remembered_name(config: Config) -> str | None:
    """The name in the file :func:`remember_annotator` writes, when another file is in effect
    (a project's annotator.toml without a name must not make the TUI ask again)."""
    path = name_file()
    if config.path is not None and Path(config.path).resolve() == path.resolve():
        return None
    try:
        return load_config(path).annotator if path.is_file() else None
    except InputError:
        return None


def name_file() -> Path:
    """Where the TUI remembers who is annotating: ``$ANNOTATOR_CONFIG`` when set, else the user's configuration."""
    explicit = os.environ.get("ANNOTATOR_CONFIG")
    return Path(explicit) if explicit else user_config_path()


def remember_annotator(name: str) -> Path:
    """Write ``annotator = "name"`` into :func:`name_file` (kept: every other line of it). Raises
    :class:`InputError` (one line naming the file) when it cannot be written."""
    name = clean_line(name).strip()[:MAX_NAME]
    if not name:
        raise InputError("the annotator's name cannot be blank")
    path = name_file()
    where = display_path(path)
    line = f"annotator = {json.dumps(name, ensure_ascii=False)}"  # a TOML basic string: JSON's escapes are TOML's
    try:
        old = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
        for number, text in enumerate(old):
            if text.lstrip().startswith("["):
                old.insert(0, line)  # top-level keys come before the first table
                break
            if re.match(r"\s*annotator\s*=", text):
                old[number] = line
                break
        else:
            old.insert(0, line)
        text = "\n".join(old) + "\n"
        tomllib.loads(text)  # never write a file the next start cannot read
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{where}: cannot remember the name here ({exc.strerror if isinstance(exc, OSError) else exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{where}: invalid TOML, the name was not written: {exc}") from None
    return path
