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
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .codebook import DEFAULT_CODEBOOK_ID
from .files import file_problem, read_regular_text
from .normalize import clean_line
from .paths import display_path
from .readers import InputError

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


def resolve_annotator(explicit: str | None, config: Config) -> str:
    """The annotator's name: ``--annotator``, else configuration, else ``$ANNOTATOR_NAME``, else the login name."""
    for candidate in (explicit, config.annotator, os.environ.get("ANNOTATOR_NAME")):
        if candidate and clean_line(candidate):
            return clean_line(candidate)[:64]
    try:
        return clean_line(getpass.getuser()) or "annotator"
    except (OSError, KeyError):
        return "annotator"
