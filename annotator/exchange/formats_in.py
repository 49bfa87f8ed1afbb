"""``annotator import-annotations FILE --format ...``: which reader reads a file, and the
import of its tags (and of the articles it holds that the database lacks).

Formats: ``jsonl`` (this tool's export and pre-annotations, :mod:`.minimal_in`),
``label-studio``, ``doccano``, ``prodigy``, ``brat`` (a folder or zip archive) and ``w3c``;
``auto`` tells them apart by the file's shape (:func:`detect_format`).
"""

from __future__ import annotations

import functools
import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .annotation_import import (Merger, MergeReport, _lines, check_file, file_sha256, merge_records, parse_line)
from ..codebook import Codebook
from ..errors import InputError
from ..normalize import printable
from ..paths import display_path
from .brat_in import read_brat
from .doccano_in import read_doccano
from .documents_in import DocumentImport, Refusal
from .label_studio_in import read_label_studio
from .minimal_in import MinimalRecords
from .prodigy_in import read_prodigy
from .tags_in import LabelResolver
from .w3c_in import read_w3c

FORMATS_IN = ("auto", "jsonl", "label-studio", "doccano", "prodigy", "brat", "w3c")
W3C_TYPES = ("Annotation", "AnnotationCollection", "AnnotationPage")
_HEAD = 16 << 20  # bytes read to tell a file's format: a first line holding a 5 MB article


@dataclass
class ImportOptions:
    """How a file is read: the codebook its labels are in, ``--offsets``, ``--label-map``
    (already read), ``--publisher`` for articles a file brings, and who merges."""

    load_book: Callable[[], Codebook]
    owner: str | None = None
    offsets: str = "auto"
    label_map: dict[str, str] = field(default_factory=dict)
    publisher: str | None = None
    codebook: Callable[[str], Any] | None = None  # the codebook tags of an id are checked against

    @functools.cached_property
    def book(self) -> Codebook:
        """The codebook tags are made with, read when first needed (an export merged as it is needs none)."""
        return self.load_book()


@dataclass
class ForeignReport:
    """What :func:`import_file` did: the merge, the format read, the articles it added, what was not read."""

    merge: MergeReport
    fmt: str
    articles_added: int = 0
    skipped: Counter[str] = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        return self.merge.ok


def _kind_of(data: Any) -> str | None:
    """The format of one parsed JSON value (an object or the first of a list), if it tells."""
    if isinstance(data, list):
        return "label-studio" if data and isinstance(data[0], dict) and "data" in data[0] else \
            "w3c" if data and isinstance(data[0], dict) and data[0].get("type") in W3C_TYPES else None
    if not isinstance(data, dict):
        return None
    if "@context" in data or data.get("type") in W3C_TYPES:
        return "w3c"
    if isinstance(data.get("data"), dict):
        return "label-studio"
    if "text" in data and ("spans" in data or "accept" in data or "_input_hash" in data):
        return "prodigy"
    if "text" in data and ("label" in data or "entities" in data or "cats" in data):
        return "doccano"
    if "id" in data or any(key in data for key in ("article", "article_id", "url", "title")):
        return "jsonl"
    return None


def detect_format(path: Path) -> str:
    """The format of ``path`` by its shape (InputError when it does not tell)."""
    where = display_path(path)
    if path.is_dir():
        if not any(path.rglob("*.ann")):
            raise InputError(f"{where}: is a folder, not a file (a brat folder holds .ann files)")
        return "brat"
    if path.suffix.lower() == ".zip":
        return "brat"
    check_file(path)
    lines: list[str] = []
    with path.open("rb") as fh:
        budget = _HEAD
        while len(lines) < 50 and budget > 0 and (raw := fh.readline(budget)):
            budget -= len(raw)
            line = raw.decode("utf-8", "ignore").lstrip("\ufeff")
            if line.strip():
                lines.append(line)
    if not lines:
        raise InputError(f"{where}: empty file")
    kind = None
    for line in lines:  # the first line that is a JSON object of a known shape tells (a broken one does not)
        try:
            kind = _kind_of(parse_line(line))
        except ValueError:
            continue
        if kind is not None:
            break
    if kind is None and lines[0].lstrip()[:1] in ("[", "{"):  # JSON over several lines: read it whole
        kind = _kind_of(_load_json(path))
    if kind is None:
        raise InputError(f"{where}: cannot tell its format; give --format "
                         f"({', '.join(f for f in FORMATS_IN if f != 'auto')})")
    return kind


def _load_json(path: Path) -> Any:
    """A whole JSON file (InputError naming what is wrong)."""
    check_file(path)
    text = path.read_text(encoding="utf-8-sig")
    try:
        return json.loads(text, parse_constant=lambda name: _not_a_number(name))
    except json.JSONDecodeError as exc:
        raise InputError(f"{display_path(path)}: not JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None
    except RecursionError:
        raise InputError(f"{display_path(path)}: not JSON (nested too deeply)") from None
    except ValueError as exc:
        raise InputError(f"{display_path(path)}: not JSON ({exc})") from None


def _not_a_number(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _json_lines(path: Path) -> Iterator[tuple[int, dict[str, Any] | Refusal]]:
    for number, line in _lines(path):
        if not line.strip():
            continue
        try:
            yield number, parse_line(line)
        except ValueError as exc:
            yield number, Refusal(str(number), str(exc))


def import_file(store: Any, path: Path, fmt: str, options: ImportOptions,
                on_refused: Callable[[Any, str], None] | None = None,
                on_note: Callable[[str, str], None] | None = None) -> ForeignReport:
    """Merge the tags of ``path`` (in ``fmt``, or ``auto``) into ``store``. Raises
    :class:`InputError` when the file cannot be read at all (then nothing is written);
    ``on_refused(place, reason)`` hears of each refused tag or record (``place``: a line
    number, a place in the file, or None for the file), ``on_note(place, note)`` of each
    article imported and outlet made."""
    if fmt not in FORMATS_IN:
        raise InputError(f"unknown format {fmt!r} (use one of {', '.join(FORMATS_IN)})")
    if fmt == "auto":
        fmt = detect_format(path)
    if fmt != "brat":
        check_file(path)
    digest = file_sha256(path) if path.is_file() else "folder"
    source = f"import-annotations {printable(path.name)} (sha256 {digest})"
    if fmt in ("jsonl", "w3c"):
        made: list[MinimalRecords] = []

        def minimal(data: dict[str, Any]) -> Any:
            if not made:  # the codebook is read for the first pre-annotation
                try:
                    book = options.book
                except InputError as exc:
                    raise ValueError(f"no codebook to make tags with ({exc})") from None
                made.append(MinimalRecords(store, book, options.owner, LabelResolver(book, options.label_map),
                                           options.offsets))
            return made[0](data)

        records: Any = _lines(path) if fmt == "jsonl" else read_w3c(_load_json(path))
        merge = merge_records(store, records, source, on_refused, owner=options.owner, codebook=options.codebook,
                              minimal=minimal)
        for line in made[0].resolver.unknown_lines() if made else []:
            if on_refused is not None:
                on_refused(None, line)
        return ForeignReport(merge, fmt)
    resolver = LabelResolver(options.book, options.label_map)
    merger = Merger(store, source, options.owner, on_refused)
    skipped: Counter[str] = Counter()
    importer = DocumentImport(store, path, options.book, resolver, merger, options.offsets, options.owner,
                              options.publisher, options.codebook, on_note)
    if fmt == "label-studio":
        documents: Any = read_label_studio(_load_json(path), options.owner, skipped)
    elif fmt == "doccano":
        documents = read_doccano(_json_lines(path))
    elif fmt == "prodigy":
        documents = read_prodigy(_json_lines(path), skipped)
    else:
        documents = read_brat(path, options.owner, skipped)
    importer.merge(documents)
    return ForeignReport(merger.report, fmt, importer.articles_added, skipped)
