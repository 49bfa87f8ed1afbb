"""brat standoff read back (https://brat.nlplab.org/standoff.html): a folder, or a zip
archive such as ``export --format brat`` writes, of ``NAME.txt`` (the text, UTF-8) and
``NAME.ann`` beside it.

* ``T1<TAB>TYPE START END<TAB>TEXT``: a span tag; TYPE a codebook label, ``category__label``
  or a name in ``--label-map``. A discontinuous one (``0 5;6 10``) is read as one span only
  when nothing but line ends lies between its pieces (how this tool writes a span across a
  line end); otherwise it is refused: spans here are continuous;
* ``A1<TAB>NAME T1 VALUE``: an attribute of T1; ``#1<TAB>AnnotatorNotes T1<TAB>NOTE``: its note;
* relations, events, normalizations (``R``, ``E``, ``N``, ``*`` lines) are counted, not read.

Offsets are code points into the ``.txt`` as it is. The annotator of a file is the name
``annotators.json`` at the top gives its folder, else ``--annotator``.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from ..errors import InputError
from ..files import read_regular_bytes
from ..paths import display_path
from .documents_in import ForeignDocument, ForeignTag, Refusal

MAX_MEMBERS = 100_000
MAX_MEMBER_BYTES = 64 * 1024 * 1024
_FRAGMENT = re.compile(r"(\d+) (\d+)")
_T_LINE = re.compile(r"T\d+")


class _Source:
    """The files of a brat folder or zip archive, by relative path."""

    def __init__(self, path: Path):
        self.path, self.archive = path, None
        self.names: list[str] = []
        if path.is_dir():
            self.names = sorted(p.relative_to(path).as_posix() for p in path.rglob("*")
                                if p.suffix in (".ann", ".txt", ".json") and not p.name.startswith("."))
        else:
            try:
                self.archive = zipfile.ZipFile(path)
            except (zipfile.BadZipFile, OSError) as exc:
                raise InputError(f"{display_path(path)}: neither a brat folder nor a zip archive ({exc})") from None
            infos = self.archive.infolist()
            if len(infos) > MAX_MEMBERS:
                raise InputError(f"{display_path(path)}: more than {MAX_MEMBERS:,} files in the archive")
            self.sizes = {i.filename: i.file_size for i in infos if not i.is_dir()}
            self.names = sorted(self.sizes)

    def read(self, name: str) -> bytes:
        if self.archive is None:
            return read_regular_bytes(self.path / name)
        if self.sizes[name] > MAX_MEMBER_BYTES:
            raise InputError(f"{name}: over {MAX_MEMBER_BYTES // 1048576} MB")
        with self.archive.open(name) as member:
            data = member.read(MAX_MEMBER_BYTES + 1)
        if len(data) > MAX_MEMBER_BYTES:
            raise InputError(f"{name}: over {MAX_MEMBER_BYTES // 1048576} MB")
        return data

    def text(self, name: str) -> str:
        data = self.read(name)
        if b"\0" in data:
            raise InputError(f"{name}: a binary file (NUL bytes)")
        try:
            return data.decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError as exc:
            raise InputError(f"{name}: not UTF-8 text (byte {exc.start})") from None


def continuous(text: str, fragments: list[tuple[int, int]], quote: str) -> tuple[int, int]:
    """One span for brat's fragments, when only line ends lie between them and their text
    joined by spaces is ``quote`` (ValueError otherwise)."""
    for (_, end), (start, _) in zip(fragments, fragments[1:]):
        if start < end or text[end:start].strip("\n"):
            where = ";".join(f"{a} {b}" for a, b in fragments)
            raise ValueError(f"a discontinuous span ({where}) with text between its pieces: spans here are "
                             "continuous (tag each piece)")
    if any(not 0 <= a < b <= len(text) for a, b in fragments):
        raise ValueError(f"span outside the text ({len(text)} characters)")
    if " ".join(text[a:b] for a, b in fragments) != quote:
        raise ValueError(f"the text at its fragments is not the quoted {json.dumps(quote[:40], ensure_ascii=False)}")
    return fragments[0][0], fragments[-1][1]


def ann_tags(name: str, ann: str, text: str, skipped: Counter[str]) -> list[ForeignTag]:
    """The tags of one ``.ann`` file (``name`` its path, for places)."""
    tags: dict[str, ForeignTag] = {}
    later: list[tuple[str, list[str]]] = []
    problems: list[ForeignTag] = []
    for number, line in enumerate(ann.split("\n"), 1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        place, parts = f"{name}:{number}", line.split("\t")
        kind = parts[0][:1]
        if kind == "T" and _T_LINE.fullmatch(parts[0]) and len(parts) >= 3 and " " in parts[1]:
            label, _, where = parts[1].partition(" ")
            quote = "\t".join(parts[2:])
            pieces = [_FRAGMENT.fullmatch(p.strip()) for p in where.split(";")]
            if not all(pieces):
                problems.append(ForeignTag(place, label, problem=f"offsets {where[:40]!r} are not 'START END'"))
                continue
            fragments = [(int(m.group(1)), int(m.group(2))) for m in pieces if m]
            if len(fragments) == 1:
                tag = ForeignTag(place, label, fragments[0][0], fragments[0][1], quote)
            else:
                try:
                    start, end = continuous(text, fragments, quote)
                    tag = ForeignTag(place, label, start, end, text[start:end])
                except ValueError as exc:
                    tag = ForeignTag(place, label, problem=str(exc))
            tags[parts[0]] = tag
        elif kind in ("A", "M", "#"):
            later.append((place, parts))
        elif kind in ("R", "E", "N", "*"):
            skipped[{"R": "relations", "E": "events", "N": "normalizations", "*": "equivalences"}[kind]] += 1
        else:
            problems.append(ForeignTag(place, "", problem="not a brat standoff line"))
    for place, parts in later:
        fields = parts[1].split(" ") if len(parts) > 1 else []
        target = tags.get(fields[1]) if len(fields) > 1 else None
        if target is None:
            skipped["attributes and notes of no text span"] += 1
        elif parts[0].startswith("#") and fields[0] == "AnnotatorNotes":
            target.note = "\t".join(parts[2:]) if len(parts) > 2 else ""
        elif not parts[0].startswith("#"):
            target.attributes[fields[0]] = fields[2] if len(fields) > 2 else "true"
    return [*tags.values(), *problems]


def read_brat(path: Path, fallback_annotator: str | None, skipped: Counter[str]) -> Iterator[ForeignDocument | Refusal]:
    """The documents of a brat folder or zip archive."""
    source = _Source(path)
    try:
        if not any(name.endswith(".ann") for name in source.names):
            raise InputError(f"{display_path(path)}: no .ann files (brat standoff is NAME.txt with NAME.ann beside it)")
        yield from _documents(path, source, fallback_annotator, skipped)
    finally:
        if source.archive is not None:
            source.archive.close()


def _documents(path: Path, source: _Source, fallback_annotator: str | None,
               skipped: Counter[str]) -> Iterator[ForeignDocument | Refusal]:
    annotators: dict[str, str] = {}
    if "annotators.json" in source.names:
        try:
            data = json.loads(source.text("annotators.json"))
            annotators = {k: v for k, v in data.items() if isinstance(v, str)} if isinstance(data, dict) else {}
        except (ValueError, InputError, RecursionError) as exc:
            yield Refusal("annotators.json", f"cannot be read ({str(exc)[:80]}); --annotator names the annotator", 0)
    names = set(source.names)
    for name in source.names:
        if not name.endswith(".ann"):
            continue
        txt = name[: -len(".ann")] + ".txt"
        if txt not in names:
            yield Refusal(name, f"no {PurePosixPath(txt).name} beside it")
            continue
        try:
            text, ann = source.text(txt), source.text(name)
        except (InputError, OSError) as exc:
            yield Refusal(name, str(exc).removeprefix(display_path(path / name) + ": "))
            continue
        folder = PurePosixPath(name).parts[0] if len(PurePosixPath(name).parts) > 1 else ""
        annotator = annotators.get(folder) or fallback_annotator
        yield ForeignDocument(txt, text, ann_tags(name, ann, text, skipped), {}, units="codepoints",
                              annotator=annotator)
