"""Import manifests: per-file facts (publisher, original source, date, ...) in YAML or CSV.

YAML::

    defaults: {language: en, story: kremlin-putin-zelensky-meeting}
    files:
      - file: 000_6f644dc4ece1bd5e.txt      # relative to the manifest's folder
        publisher: press-tv                 # outlet id, name, alias or domain
        published: "2022-08-08"
        unverified: [original_source]

CSV: a header with ``file`` and any of the other fields; ``unverified`` is
separated by semicolons.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ConfigDict, ValidationError, field_validator

from ..errors import InputError, pydantic_error_line
from ..models import ArticleFacts, NoteText, PartialDate
from ..files import read_regular_text
from ..paths import display_path
from ..yaml_files import load_yaml

MANIFEST_NAMES = ("manifest.yaml", "manifest.yml", "manifest.csv")


class ManifestEntry(ArticleFacts):
    """What a manifest says about one file: the article facts, and how they were established."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    file: str
    evidence: NoteText | None = None

    @field_validator("published", mode="before")
    @classmethod
    def _published(cls, value: object) -> str | None:
        if value is None:
            return None
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            raise ValueError("must be a date written YYYY, YYYY-MM or YYYY-MM-DD")
        text = str(value)
        PartialDate.parse(text)
        return text

    @field_validator("unverified", mode="before")
    @classmethod
    def _unverified(cls, value: object) -> object:
        if isinstance(value, str):
            return [v.strip() for v in value.split(";") if v.strip()]
        return value


@dataclass
class Manifest:
    """Entries by resolved file path, and one line per problem found while reading."""

    path: Path
    entries: dict[Path, ManifestEntry] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (where, what)


def load_manifest(path: Path) -> Manifest:
    """Read a manifest. Problems with single entries are collected, not raised;
    a manifest that cannot be read at all raises :class:`InputError`."""
    name = display_path(path)
    if path.suffix.lower() == ".csv":
        raws, defaults = _csv_entries(path), {}
    else:
        data = load_yaml(path)
        if not isinstance(data, dict) or not isinstance(data.get("files"), list):
            raise InputError(f"{name}: must be a mapping with a 'files' list")
        defaults = data.get("defaults") or {}
        if not isinstance(defaults, dict):
            raise InputError(f"{name}: defaults: must be a mapping")
        raws = list(enumerate(data["files"]))
    manifest = Manifest(path)
    base = path.parent
    for number, raw in raws:
        place = f"files[{number}]" if path.suffix.lower() != ".csv" else f"row {number}"
        if not isinstance(raw, dict):
            manifest.problems.append((f"{name}: {place}", "must be a mapping with a 'file' key"))
            continue
        try:
            entry = ManifestEntry.model_validate({**defaults, **raw})
        except ValidationError as exc:
            manifest.problems.append((name, pydantic_error_line(name, exc, place).removeprefix(f"{name}: ")))
            continue
        try:
            target = (base / entry.file).resolve()
            exists, is_dir = target.exists(), target.is_dir()
        except (OSError, ValueError, RuntimeError) as exc:  # a NUL byte, a symlink loop, a name too long
            manifest.problems.append((f"{name}: {place}.file", f"names {entry.file!r}, which is not a usable path ({exc})"))
            continue
        if not exists:
            manifest.problems.append((f"{name}: {place}.file", f"names {entry.file!r}, which does not exist"))
        elif is_dir:
            manifest.problems.append((f"{name}: {place}.file", f"names {entry.file!r}, which is a folder, not a file"))
        elif target in manifest.entries:
            manifest.problems.append((f"{name}: {place}.file", f"names {entry.file!r} a second time"))
        else:
            manifest.entries[target] = entry
    return manifest


def _csv_entries(path: Path) -> list[tuple[int, dict]]:
    text = read_regular_text(path)
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)  # an unterminated quote is an error
    try:
        if "file" not in (reader.fieldnames or []):
            raise InputError(f"{display_path(path)}: has no 'file' column")
        return [(n, {k: v for k, v in row.items() if k and v not in (None, "")}) for n, row in enumerate(reader, 2)]
    except csv.Error as exc:
        raise InputError(f"{display_path(path)}: invalid CSV at line {reader.line_num}: {exc}") from None
