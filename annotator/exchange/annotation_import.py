"""``annotator import-annotations``: merge a JSON-lines export into a database of the
same corpus (another annotator's laptop, a backup). Records without an ``id`` are
pre-annotations, made into tags by :mod:`annotator.exchange.minimal_in`; other tools'
files are read by :mod:`annotator.exchange.formats_in` and merged by :class:`Merger` too.

* Idempotent by annotation id: an id not in the database is added; one stored exactly
  so is "already present"; one whose ``updated_at`` is not later than the stored copy's
  is "kept as stored".
* A later version of a tag of the one merging (``--annotator``) replaces it (the merge
  of your two laptops keeps your newer edit). A later version of someone else's tag is
  never applied: it is a *conflict*, kept in the history beside the stored tag, which
  stays as it is, until someone settles it (``annotator history --accept N`` or
  ``--dismiss N``).
* A record is refused, with its line number, when it is not JSON, misses or mistypes a
  field (:class:`annotator.exchange.export.AnnotationFields`), names an article the database
  does not have, was made on another text (``text_sha256``), quotes text that is not
  at its offsets (``text[start:end] != quote``, or prefix/suffix not beside it), has an
  empty span, a time more than :data:`CLOCK_SKEW` in the future, an annotator, codebook,
  category or label that is blank or holds control, format (bidi, zero-width) or
  line-break characters, a category or label its codebook does not have (when this
  installation has that codebook in the same version), or gives a stored id another
  annotator or article. The other records still go in.
* The file is checked as a whole first (a regular file, UTF-8, no NUL bytes): a bad
  file is one error and nothing is written. Accepted records are written in batches,
  one transaction each; every change is in the history with the file's name and SHA-256.
"""

from __future__ import annotations

import codecs
import functools
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import InputError
from .export import AnnotationFields
from ..models import ARTICLE_NOTE_CATEGORY, ARTICLE_NOTE_LABEL, Annotation, Article
from ..normalize import clean_line, printable
from ..paths import display_path

BATCH = 1000
_CHUNK = 1 << 20
CLOCK_SKEW = timedelta(minutes=5)  # how far ahead of this computer's clock a record's time may be
NAMED_CONFLICTS = 5  # conflicts named in the summary line


@dataclass
class MergeReport:
    """What one import did."""

    added: int = 0
    updated: int = 0
    present: int = 0
    kept: int = 0
    refused: int = 0
    conflicts: list[str] = field(default_factory=list)

    def count(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    @property
    def ok(self) -> bool:
        return self.refused == 0 and not self.conflicts

    def summary(self) -> str:
        parts = [f"{self.added} added", f"{self.updated} updated", f"{self.present} already present"]
        if self.kept:
            parts.append(f"{self.kept} kept as stored (the stored copy is as new or newer)")
        if self.conflicts:
            named = ", ".join(self.conflicts[:NAMED_CONFLICTS]) + (", …" if len(self.conflicts) > NAMED_CONFLICTS else "")
            parts.append(f"{len(self.conflicts)} conflict(s) (someone else's tag changed: kept as stored, the "
                         f"incoming version is in `annotator history TAG`: {named})")
        parts.append(f"{self.refused} refused")
        return "Imported annotations: " + ", ".join(parts)


def article_lookup(store: Any, keep: int) -> Callable[[str], Article | None]:
    """``lookup(article_id)``: that exact version of an article (None if the id is unknown or
    names another version), the last ``keep`` looked up held, since records come grouped by article."""
    held: dict[str, Article | None] = {}

    def lookup(article_id: str) -> Article | None:
        if article_id not in held:
            if len(held) >= keep:
                held.pop(next(iter(held)))
            found = store.article(article_id)
            held[article_id] = found if found is not None and found.id == article_id else None
        return held[article_id]

    return lookup

def check_file(path: Path) -> None:
    """Raise :class:`InputError` unless ``path`` is a regular file of UTF-8 text."""
    where = display_path(path)
    if not path.exists():
        raise InputError(f"{where}: no such file")
    if path.is_dir():
        raise InputError(f"{where}: is a folder, not a file")
    if not path.is_file():
        raise InputError(f"{where}: not a regular file (a pipe or device)")
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(_CHUNK):
                if offset == 0 and chunk[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
                    raise InputError(f"{where}: UTF-16 text; save it as UTF-8")
                if b"\0" in chunk:
                    raise InputError(f"{where}: a binary file (NUL bytes), not JSON lines")
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as exc:
                    raise InputError(f"{where}: not UTF-8 text (byte {offset + exc.start})") from None
                offset += len(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise InputError(f"{where}: not UTF-8 text (it ends inside a character)") from None
    except OSError as exc:
        raise InputError(f"{where}: cannot be read ({exc.strerror or exc})") from None


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def parse_line(line: str) -> dict[str, Any]:
    """One JSONL line as an object (ValueError naming what is wrong)."""
    try:
        data = json.loads(line, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON ({exc.msg} at column {exc.colno})") from None
    except RecursionError:
        raise ValueError("not JSON (nested too deeply)") from None
    if not isinstance(data, dict):
        raise ValueError(f"not a JSON object (a {type(data).__name__})")
    if _SURROGATE_ESCAPE.search(line):  # a pair is one character; half a pair is none
        try:
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError("a \\u escape is half a surrogate pair (not a character)") from None
    return data


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


_PATTERN_MEANING = {"id": "not a UUID", "text_sha256": "not a SHA-256 (64 lower-case hex digits)"}


def _validation_message(exc: ValidationError) -> str:
    missing, problems = [], []
    for error in exc.errors(include_url=False):
        place = ".".join(str(p) for p in error["loc"])
        if error["type"] == "missing":
            missing.append(place)
            continue
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "string_pattern_mismatch":
            message = f"{_short(str(error['input']))} is {_PATTERN_MEANING.get(place, 'not of the right form')}"
        problems.append(f"{place}: {message}" if place else message)
    if missing:
        problems.insert(0, f"missing field(s): {', '.join(missing)}")
    return "; ".join(problems)


def to_annotation(data: dict[str, Any]) -> Annotation:
    """An export record as an :class:`Annotation` (ValueError naming what is wrong)."""
    try:
        fields = AnnotationFields.model_validate(data)
        return Annotation(
            uuid=fields.id, article_id=fields.article_id, text_sha256=fields.text_sha256,
            annotator=fields.annotator, codebook_id=fields.codebook, codebook_version=fields.codebook_version,
            category=fields.category, label=fields.label, start=fields.start, end=fields.end, quote=fields.quote,
            prefix=fields.prefix, suffix=fields.suffix, attributes=fields.attributes, note=fields.note,
            origin=fields.origin, created=fields.created_at, updated=fields.updated_at,
        )
    except ValidationError as exc:
        raise ValueError(_validation_message(exc)) from None


def check_against(annotation: Annotation, article: Article | None) -> None:
    """ValueError unless ``annotation`` fits ``article``'s text exactly."""
    if article is None:
        raise ValueError(f"article {annotation.article_id} is not in this database")
    if annotation.text_sha256 != article.text_sha256:
        raise ValueError(f"text_sha256 differs from article {article.id}'s text (made on another text)")
    if annotation.start is None:
        if annotation.quote is not None:
            raise ValueError("quote without start and end")
        return
    text, start, end = article.text, annotation.start, annotation.end
    assert end is not None
    if end > len(text):
        raise ValueError(f"span {start}..{end} is outside the article's {len(text)} characters")
    if text[start:end] != annotation.quote:
        raise ValueError(f"quote {_short(annotation.quote)} is not the text at {start}..{end} ({_short(text[start:end])})")
    if annotation.prefix is not None and not text[:start].endswith(annotation.prefix):
        raise ValueError(f"prefix {_short(annotation.prefix)} is not the text before {start}")
    if annotation.suffix is not None and not text[end:].startswith(annotation.suffix):
        raise ValueError(f"suffix {_short(annotation.suffix)} is not the text after {end}")


def shipped_codebook(codebook_id: str) -> Any:
    """The codebook of that id shipped with annotator, or None (an id is never read as a path)."""
    from ..codebook import ID_RE, find_codebook

    if not ID_RE.fullmatch(codebook_id):
        return None
    try:
        return find_codebook(codebook_id)
    except InputError:
        return None


def check_record(annotation: Annotation, codebook: Callable[[str], Any] | None = None,
                 now: datetime | None = None) -> None:
    """ValueError unless ``annotation``'s own fields are acceptable: an annotator, codebook,
    category and label that are not blank and in normal form (no control, format or
    line-break characters, no spaces at the ends), no time in the future beyond
    :data:`CLOCK_SKEW`, no empty span, and a category and label that ``codebook(id)``
    (a :class:`annotator.codebook.Codebook` or None; default :func:`shipped_codebook`) has
    when its version is the record's."""
    for name, value in (("annotator", annotation.annotator), ("codebook", annotation.codebook_id),
                        ("category", annotation.category), ("label", annotation.label)):
        if not value.strip():
            raise ValueError(f"{name} is blank")
        if printable(value) != value:
            raise ValueError(f"{name} {_short(value)} holds control, format (bidi, zero-width) or line-break "
                             "characters")
        if clean_line(value) != value:
            raise ValueError(f"{name} {_short(value)} is not in normal form (spaces at its ends or in a run, "
                             "or not Unicode NFC)")
    limit = (now or datetime.now(timezone.utc)) + CLOCK_SKEW
    for name, value in (("created_at", annotation.created), ("updated_at", annotation.updated)):
        moment = datetime.fromisoformat(value)
        if (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)) > limit:
            raise ValueError(f"{name} {value} is in the future (more than {CLOCK_SKEW.seconds // 60} minutes "
                             "ahead of this computer's clock)")
    if annotation.start is not None and annotation.start == annotation.end:
        raise ValueError(f"span {annotation.start}..{annotation.end} is empty")
    if (annotation.category, annotation.label) == (ARTICLE_NOTE_CATEGORY, ARTICLE_NOTE_LABEL):
        return
    book = (codebook or shipped_codebook)(annotation.codebook_id)
    if book is None or book.id != annotation.codebook_id or book.version != annotation.codebook_version:
        return  # a codebook this installation does not have in that version: an orphan, kept
    if book.category(annotation.category) is None:
        raise ValueError(f"codebook {book.id} {book.version} has no category {_short(annotation.category)}")
    if book.label(annotation.category, annotation.label) is None:
        raise ValueError(f"codebook {book.id} {book.version} has no label {_short(annotation.label)} "
                         f"in category {annotation.category}")


def _short(text: str | None, limit: int = 40) -> str:
    text = text or ""
    return json.dumps(text if len(text) <= limit else text[: limit - 1] + "…", ensure_ascii=False)


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    """(number, text) of each line, split at ``\n`` only (as editors number them)."""
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, 1):
            line = raw.decode("utf-8")  # checked by check_file
            yield number, line.removeprefix("\ufeff") if number == 1 else line


def file_sha256(path: Path) -> str:
    """The SHA-256 (hex) of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class Merger:
    """Merges annotations into ``store`` in batches of ``batch``, one transaction each, as
    ``owner`` from ``source`` (see :meth:`annotator.store.Store.upsert_annotations`), and
    counts the outcomes in :attr:`report`. ``on_refused(place, reason)`` hears of every
    refused one (``place``: a line number of the file, or a place of its own)."""

    def __init__(self, store: Any, source: str, owner: str | None = None,
                 on_refused: Callable[[Any, str], None] | None = None, batch: int = BATCH):
        self.store, self.source, self.owner, self.on_refused, self.batch = store, source, owner, on_refused, batch
        self.report = MergeReport()
        self.pending: list[tuple[Any, Annotation, bool]] = []

    def refuse(self, place: Any, reason: str) -> None:
        self.report.refused += 1
        if self.on_refused is not None:
            self.on_refused(place, reason)

    def add(self, place: Any, annotation: Annotation, derived: bool = False) -> None:
        """Queue one annotation. A ``derived`` one (made here from a pre-annotation or another
        tool's file, its id made from what it is) whose id is stored already is "already
        present", whatever happened to the stored tag since: never rewritten, never undeleted."""
        self.pending.append((place, annotation, derived))
        if len(self.pending) >= self.batch:
            self.flush()

    def flush(self) -> None:
        derived = [a.uuid for _, a, d in self.pending if d]
        stored = set(self.store.annotations_by_uuid(derived)) if derived else set()
        merging = [(place, a) for place, a, d in self.pending if not (d and a.uuid in stored)]
        self.report.present += len(self.pending) - len(merging)
        outcomes = self.store.upsert_annotations([a for _, a in merging], owner=self.owner, source=self.source)
        for (place, annotation), outcome in zip(merging, outcomes):
            if outcome.startswith("refused: "):
                self.refuse(place, outcome.removeprefix("refused: "))
            elif outcome == "conflict":
                self.report.conflicts.append(annotation.uuid)
            else:
                self.report.count(outcome)
        self.pending.clear()


def import_annotations(store: Any, path: Path, on_refused: Callable[[int, str], None] | None = None,
                       batch: int = BATCH, owner: str | None = None,
                       codebook: Callable[[str], Any] | None = None,
                       minimal: Callable[[dict[str, Any]], Annotation] | None = None) -> MergeReport:
    """Merge the JSONL export at ``path`` into ``store`` as ``owner`` (whose tags a later
    version may update; changes to others' tags are conflicts). ``codebook(id)`` gives the
    codebook labels are checked against (see :func:`check_record`). A record without an
    ``id`` is a pre-annotation that ``minimal(record)`` makes a tag of (refused without it).
    Raises :class:`InputError` for a file that cannot be read as UTF-8 text (then nothing is
    written); calls ``on_refused(line, reason)`` for every refused record."""
    check_file(path)
    source = f"import-annotations {printable(path.name)} (sha256 {file_sha256(path)})"
    return merge_records(store, _lines(path), source, on_refused, batch, owner, codebook, minimal)


def merge_records(store: Any, lines: Iterable[tuple[Any, str | dict[str, Any] | ValueError]], source: str,
                  on_refused: Callable[[Any, str], None] | None = None, batch: int = BATCH,
                  owner: str | None = None, codebook: Callable[[str], Any] | None = None,
                  minimal: Callable[[dict[str, Any]], Annotation] | None = None) -> MergeReport:
    """Merge records (``(place, JSON line or object)``): export records as they are,
    pre-annotations (no ``id``) through ``minimal``; see :func:`import_annotations`."""
    if codebook is None:
        codebook = functools.lru_cache(maxsize=None)(shipped_codebook)
    merger = Merger(store, source, owner, on_refused, batch)
    article = article_lookup(store, 16)  # exports come grouped by article: keep the last few
    now = datetime.now(timezone.utc)

    for number, line in lines:
        if isinstance(line, str) and not line.strip():
            continue
        try:
            if isinstance(line, ValueError):  # a reader could not make a record of it
                raise line
            data = parse_line(line) if isinstance(line, str) else line
            if "id" not in data:
                if minimal is None:
                    raise ValueError("missing field(s): id (a pre-annotation is read by import-annotations)")
                annotation = minimal(data)
                check_record(annotation, codebook, now)
                merger.add(number, annotation, derived=True)
                continue
            annotation = to_annotation(data)
            check_record(annotation, codebook, now)
            check_against(annotation, article(annotation.article_id))
        except ValueError as exc:
            merger.refuse(number, str(exc))
            continue
        merger.add(number, annotation)
    if merger.pending:
        merger.flush()
    return merger.report
