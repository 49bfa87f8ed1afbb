"""Corpus import: files and folders in, articles in the store, a report out.

Bad files and records are rejected one line each; the good ones still go in.
Each file's articles are staged in short transactions and made visible in one, so
nothing is half-written and other writers are never locked out for long.
Importing the same content again adds nothing; changed text for the same url
(or file) becomes a new version, and older versions (and the annotations made
on them) stay.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .boilerplate import MAX_TITLE, drop_title_line, find_title_line, same_title, strip_boilerplate
from .decoding import ENCODING_NAMES
from ..errors import InputError
from .manifest import MANIFEST_NAMES, Manifest, ManifestEntry, load_manifest
from ..models import ARTICLE_FIELDS, Article, Outlet, PartialDate, RemovedRange
from ..normalize import clean_line, normalize_text, printable
from ..paths import display_path, source_path
from .readers import DEFAULT_MAX_ARTICLE_BYTES, SUPPORTED, read_file
from ..corrections.reanchor import carry_tags
from .records import Record, RecordError
from ..outlets.registry import REGISTRY_NAMES, OutletIndex, load_registry
from .staging import write_file
from ..store import SQLiteError, Store, StoreError
from ..text_stats import word_count



@dataclass
class ImportReport:
    """What an import did. ``ok`` is False when anything was rejected."""

    imported: list[tuple[str, str]] = field(default_factory=list)  # (where, article id)
    new_versions: list[tuple[str, str, str]] = field(default_factory=list)  # (where, new id, old id)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (where, existing id)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (where, reason)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (where, reason): not article files
    notes: list[tuple[str, str]] = field(default_factory=list)  # (where, remark)
    outlets_updated: int = 0
    tags_moved: int = 0  # tags carried to the new versions (see annotator.corrections.reanchor)
    tags_stranded: int = 0  # tags left on an old version: their quote was not found again

    @property
    def ok(self) -> bool:
        return not self.rejected


def find_files(paths: Iterable[Path], report: ImportReport, exclude: set[Path]) -> list[Path]:
    """The article files named by ``paths``: files as given, folders walked recursively
    (hidden entries, registries, manifests and unsupported types skipped)."""
    found: list[Path] = []
    for path in paths:
        try:
            exists, is_dir = path.exists(), path.is_dir()
        except OSError as exc:  # a name too long
            report.rejected.append((display_path(path), f"cannot be read: {exc.strerror or exc}"))
            continue
        if not exists:
            report.rejected.append((display_path(path), "no such file or folder"))
        elif is_dir:
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    file = Path(root) / name
                    if name.startswith(".") or _resolved(file) in exclude or name in REGISTRY_NAMES + MANIFEST_NAMES:
                        continue
                    if file.suffix.lower() in SUPPORTED:
                        found.append(file)
                    else:
                        report.skipped.append((display_path(file), f"not an article file ({file.suffix or 'no extension'})"))
        else:
            found.append(path)
    return found


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return path.absolute()


def _auto_file(paths: Iterable[Path], names: tuple[str, ...]) -> Path | None:
    for path in paths:
        try:
            if not path.is_dir():
                continue
        except OSError:  # a name too long: rejected with the other paths
            continue
        for name in names:
            if (path / name).exists():  # a pipe or folder of that name is refused, not ignored
                return path / name
    return None


def import_paths(
    store: Store,
    paths: list[Path],
    manifest_path: Path | None = None,
    registry_path: Path | None = None,
    encoding: str | None = None,
    max_article_bytes: int = DEFAULT_MAX_ARTICLE_BYTES,
    on_file: Callable[[int, int], None] | None = None,
    strip_chrome: bool = True,
    parallel: bool | None = None,
) -> ImportReport:
    """Import ``paths`` into ``store``. ``on_file(done, total)`` reports progress.
    ``parallel`` reads the files in a second process while this one writes (default: when
    they hold at least :data:`PARALLEL_BYTES`).

    Without ``manifest_path``/``registry_path``, a ``manifest.yaml`` (or ``.csv``) and an
    ``outlets.yaml`` at the top of a given folder are used. The shipped registry is merged
    when the database is opened (see :class:`annotator.store.outlets.OutletQueries`). A
    publisher or original source the registry does not know gets a new outlet, noted.
    """
    report = ImportReport()
    registry_path = registry_path or _auto_file(paths, REGISTRY_NAMES)
    if registry_path is not None:
        try:
            report.outlets_updated = store.upsert_outlets(load_registry(registry_path), who=store.actor,
                                                          source=f"import --registry {display_path(registry_path)}")
        except InputError as exc:
            report.rejected.append((display_path(registry_path), str(exc).removeprefix(display_path(registry_path) + ": ")))
    index = OutletIndex(store.outlets())
    manifest_path = manifest_path or _auto_file(paths, MANIFEST_NAMES)
    manifest = Manifest(Path("-"))
    if manifest_path is not None:
        try:
            manifest = load_manifest(manifest_path)
        except InputError as exc:
            report.rejected.append((display_path(manifest_path), str(exc).removeprefix(display_path(manifest_path) + ": ")))
        report.rejected.extend(manifest.problems)
    exclude = {_resolved(p) for p in (manifest_path, registry_path) if p is not None}
    files = find_files(paths, report, exclude)
    reader = _reader(files, manifest, index, encoding, max_article_bytes, strip_chrome, parallel)
    try:
        with store.page_cache(IMPORT_CACHE_KIB):  # the indices' pages stay in memory
            for done, path in enumerate(files, 1):
                events = _FileEvents(reader, store, report)
                versions_before = len(report.new_versions)
                try:
                    write_file(store, path, events, report)
                except Exception as exc:  # one file must never stop the others; nothing of it was written
                    events.drain()
                    try:
                        events.store_new_outlets()
                    except (SQLiteError, StoreError):
                        pass
                    report.rejected.append((display_path(path), events.failed or
                                            f"could not be imported (internal error: {type(exc).__name__}: {exc})"))
                carry_tags(store, report, versions_before)  # of the new versions this file gave
                if on_file:
                    on_file(done, len(files))
    finally:
        reader.stop()
    try:
        store.clear_dead_imports()  # what killed imports staged and this one did not take over
    except (SQLiteError, StoreError):
        pass
    if report.imported or report.new_versions:
        store.optimize()
    _make_printable(report)
    return report


# What the reader hands the writer, file by file, in the order of the records:
# ("article", Article, where, legacy source key or None[, word count]), ("rejected", where, reason),
# ("note", where, remark), ("duplicate", where, article id), ("outlet", where, Outlet, remark) for an
# outlet made from an unknown name (before the article naming it); then ("end",), or ("error",
# "Type: message") when reading the file broke off.
Event = tuple

# Inputs at least this large are read in a process of their own (see _ProcessReader).
PARALLEL_BYTES = 4 * 1024 * 1024
# SQLite's page cache while importing (negative: KiB): 64 MB rather than 2 MB keeps the pages of
# the indices and the full-text index being written in memory (bench/notes.md).
IMPORT_CACHE_KIB = 65536


def _events(files: list[Path], manifest: Manifest, index: OutletIndex, encoding: str | None,
            max_article_bytes: int, strip_chrome: bool) -> Iterator[Event]:
    """Every file's events, one file after the other."""
    for path in files:
        try:
            yield from _read_events(path, manifest.entries.get(_resolved(path)), index, encoding, max_article_bytes,
                                    strip_chrome)
        except Exception as exc:  # one file must never stop the others; nothing of it is written
            yield ("error", f"{type(exc).__name__}: {exc}")
        else:
            yield ("end",)


class _InlineReader:
    """Reads the files in this process, as the writer asks for the next event."""

    def __init__(self, events: Iterator[Event]):
        self._events = events

    def next(self) -> Event:
        return next(self._events)

    def ready(self) -> bool:
        """Whether :meth:`next` returns without waiting for another process (reading here is the work itself)."""
        return True

    def stop(self) -> None:
        self._events.close()


class _ProcessReader:
    """Reads, decodes, normalizes and checks the records in a process of its own, while this
    one writes the articles already read: on two cores a large import takes about as long
    as the slower of the two instead of both. (A thread would not do: each time the writer
    comes back from SQLite it waits for the reader's hold on the interpreter lock.) Events
    come in batches through a pipe, whose buffer keeps the reader at most a few batches
    ahead. The process is forked, so it starts at once with everything already loaded; it
    never touches the database."""

    BATCH = 64

    def __init__(self, *args: Any):
        context = multiprocessing.get_context("fork")
        self._conn, sender = context.Pipe(duplex=False)
        self._process = context.Process(target=self._send, args=(sender, *args), name="annotator-import-reader",
                                        daemon=True)
        self._process.start()
        sender.close()
        self._batch: list[Event] = []
        self._position = 0

    @classmethod
    def _send(cls, conn: Any, *args: Any) -> None:
        batch: list[Event] = []
        try:
            for event in _events(*args):
                if event[0] == "article":  # words counted here too, not by the writer
                    event = (*event, word_count(event[1].text))
                batch.append(event)
                if len(batch) >= cls.BATCH or event[0] in ("end", "error"):  # a file's end goes at once
                    conn.send(batch)
                    batch = []
            if batch:
                conn.send(batch)
        except (BrokenPipeError, OSError):  # the writer gave up
            pass
        finally:
            conn.close()

    def next(self) -> Event:
        if self._position == len(self._batch):
            try:
                self._batch, self._position = self._conn.recv(), 0
            except (EOFError, OSError):
                return ("error", "the reading process ended unexpectedly")
        event = self._batch[self._position]
        self._position += 1
        return event

    def ready(self) -> bool:
        """Whether :meth:`next` returns without waiting for the reading process."""
        try:
            return self._position < len(self._batch) or self._conn.poll()
        except (EOFError, OSError):
            return True  # next() says what went wrong

    def stop(self) -> None:
        self._conn.close()
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()


def _reader(files: list[Path], manifest: Manifest, index: OutletIndex, encoding: str | None, max_article_bytes: int,
            strip_chrome: bool, parallel: bool | None) -> _InlineReader | _ProcessReader:
    args = (files, manifest, index, encoding, max_article_bytes, strip_chrome)
    if parallel is None:
        parallel = sum(_size(path) for path in files) >= PARALLEL_BYTES
    if parallel and "fork" in multiprocessing.get_all_start_methods():
        return _ProcessReader(*args)
    return _InlineReader(_events(*args))


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _read_events(
    path: Path, entry: ManifestEntry | None, index: OutletIndex, encoding: str | None,
    max_article_bytes: int, strip_chrome: bool,
) -> Iterator[Event]:
    """The events of one file: its articles, and what was rejected or noted on the way. Only
    records of this same file are compared here; whether an article is new, a new version
    or a duplicate of a stored one is decided by the store inside its write transaction."""
    keys_in_file: set[str] = set()
    ids_in_file: set[str] = set()
    for item in read_file(path, encoding, max_article_bytes):
        if isinstance(item, RecordError):
            yield ("rejected", item.where, item.message)
            continue
        if item.encoding not in ("utf-8", "utf-16"):
            how = "--encoding" if encoding else "detected; pass --encoding if this is wrong"
            yield ("note", item.where, f"decoded from {ENCODING_NAMES.get(item.encoding, item.encoding)} ({how})")
        try:
            article = build_article(item, entry, index, strip_chrome)
        except InputError as exc:
            index.forget_made()  # an outlet is made only for an article that goes in
            yield ("rejected", item.where, str(exc))
            continue
        for outlet in index.take_made():
            role = "publisher" if outlet.id == article.publisher else "original_source"
            yield ("outlet", item.where, outlet, new_outlet_note(outlet, role, index))
        if article.id in ids_in_file:  # the id is the text's hash: the same text earlier in this file
            yield ("duplicate", item.where, article.id)
            continue
        if article.source_key in keys_in_file:
            yield ("rejected", item.where, f"has the same url as another record of this file ({article.source_key})")
            continue
        keys_in_file.add(article.source_key)
        ids_in_file.add(article.id)
        # without a url, it may have been imported before source keys were absolute paths: its old key
        yield ("article", article, item.where, _legacy_source_key(item) if article.url is None else None)


class _FileEvents:
    """One file's events from the reader, taken by the importing thread: report lines are
    added as they come, so they keep the order of the file's records."""

    def __init__(self, reader: _InlineReader | _ProcessReader, store: Store, report: ImportReport):
        self.reader, self.store, self.report = reader, store, report
        self.where: dict[str, str] = {}  # article id -> file (and record) it came from
        self.word_counts: dict[str, int] = {}  # article id -> words, when the reader counted them
        self.failed: str | None = None  # why the file could not be read to its end
        self.new_outlets: list[tuple[str, Outlet, str]] = []  # (where, outlet, remark): to store before the next batch
        self.ended = False

    def take(self, lookup: bool = True) -> Article | None:
        """The file's next article (reporting the events before it), or None at its end."""
        while not self.ended:
            event = self.reader.next()
            kind = event[0]
            if kind == "article":
                article, self.where[event[1].id], legacy_key = event[1], event[2], event[3]
                if len(event) > 4:
                    self.word_counts[article.id] = event[4]
                if legacy_key is not None and lookup:
                    legacy = self.store.current_version(legacy_key)
                    if legacy is not None:
                        article.supersedes = legacy[0]  # the store confirms it inside its write transaction
                return article
            if kind == "rejected":
                self.report.rejected.append((event[1], event[2]))
            elif kind == "note":
                self.report.notes.append((event[1], event[2]))
            elif kind == "duplicate":
                self.report.duplicates.append((event[1], event[2]))
            elif kind == "outlet":
                self.new_outlets.append((event[1], event[2], event[3]))
            else:  # "end", or "error" when reading broke off
                self.ended = True
                if kind == "error":
                    self.failed = f"could not be imported (internal error: {event[1]})"
        return None

    def drain(self) -> None:
        """The rest of the file, unwritten: its rejections are still reported."""
        while not self.ended:
            self.take(lookup=False)

    def store_new_outlets(self) -> None:
        """Store the outlets the reader made from unknown names (before the articles naming
        them), each noted once. One another import stored meanwhile is used as it is."""
        while self.new_outlets:
            where, outlet, remark = self.new_outlets[0]
            if self.store.add_outlet(outlet, self.store.actor, f"import {where}", made_at_import=True):
                self.report.notes.append((where, remark))
            self.new_outlets.pop(0)


def _make_printable(report: ImportReport) -> None:
    """Every line of the report is safe to print: file names and messages come from
    untrusted input (a name may hold an escape sequence or a newline)."""
    for name in ("imported", "new_versions", "duplicates", "rejected", "skipped", "notes"):
        setattr(report, name, [tuple(printable(str(part)) for part in row) for row in getattr(report, name)])


def _legacy_source_key(record: Record) -> str:
    return display_path(record.path) + (f"#{record.locator}" if record.locator else "")


def build_article(record: Record, entry: ManifestEntry | None, index: OutletIndex, strip_chrome: bool = True) -> Article:
    """Turn a record (plus its manifest entry) into a normalized :class:`Article`."""
    fields = dict(record.fields)
    manifest_fields = entry.model_dump(exclude_none=True) if entry else {}
    for key in (*ARTICLE_FIELDS, "unverified"):
        if key not in fields and manifest_fields.get(key) not in (None, []):
            fields[key] = manifest_fields[key]
    for key, value in record.inferred.items():  # what a page's metadata says comes last
        fields.setdefault(key, value)
    full = normalize_text(fields["text"])
    text, removed = strip_boilerplate(full, enabled=strip_chrome)
    if not text.strip():
        raise InputError("no text is left after removing page chrome and whitespace")
    title, text, removed = take_title(full, text, removed, clean_line(fields.get("title") or ""), record.fmt == "md")
    url = clean_line(fields["url"]) if fields.get("url") else None
    publisher = _resolve_outlet(index, fields.get("publisher"), "publisher", url)
    if publisher is None and url:
        publisher = index.find_by_url(url)
    original = _resolve_outlet(index, fields.get("original_source"), "original_source")
    try:
        published = PartialDate.parse(fields.get("published"))
    except (ValidationError, ValueError) as exc:
        raise InputError(f"field 'published': {_first_error(exc)}") from None
    sha = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    source_file = display_path(record.path)
    # without a url, versions are told by the file (absolute path, whatever the working folder) and record
    key = url or (source_path(record.path) + (f"#{record.locator}" if record.locator else ""))
    try:
        return Article(
            id=sha[:12],
            publisher=publisher,
            original_source=original,
            title=title,
            url=url,
            published=published,
            language=clean_line(fields["language"]) if fields.get("language") else None,
            story=clean_line(fields["story"]) if fields.get("story") else None,
            text=text,
            text_sha256=sha,
            raw_text=fields["text"],
            removed=removed,
            source_file=source_file,
            source_key=key,
            unverified=list(fields.get("unverified") or []),
        )
    except ValidationError as exc:
        raise InputError(_first_error(exc)) from None


def _first_error(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        err = exc.errors()[0]
        return f"{'.'.join(map(str, err['loc']))}: {err['msg'].removeprefix('Value error, ')}".lstrip(": ")
    return str(exc)


def _resolve_outlet(index: OutletIndex, value: str | None, field_name: str, url: str | None = None) -> str | None:
    """The id of the outlet ``value`` names; a name the registry does not know gets a new
    outlet (see :meth:`OutletIndex.make_outlet`), which the importer stores and reports."""
    if value is None or not str(value).strip() or str(value).strip().lower() == "unknown":
        return None
    found = index.find(str(value))
    if found is None:
        found = index.make_outlet(clean_line(str(value)), url if field_name == "publisher" else None).id
    return found


def new_outlet_note(outlet: Outlet, field_name: str, index: OutletIndex) -> str:
    """What the import says about an outlet it made from an unknown name: how to complete it,
    and, when the name is like a known outlet's, that outlet and how to use it instead."""
    note = (f"new outlet {outlet.id!r} made from the unknown {field_name} {outlet.name!r}, every fact unverified; "
            f"complete it with `annotator outlets edit {outlet.id} country=... owner=...`")
    likely = index.similar(outlet.name, leave_out=outlet.id)
    if likely is not None:
        note += (f"; did you mean {likely!r} ({index.name(likely)})? to use it instead: "
                 f"`annotator outlets merge {outlet.id} --into {likely}`")
    return note


def take_title(full: str, text: str, removed: list[RemovedRange], given: str,
               markdown: bool = False) -> tuple[str, str, list[RemovedRange]]:
    """The article's title, and its canonical text without the title line (README "Boilerplate
    rules", title): without a ``given`` title, the first line with a letter is the title; with
    one, that line goes only when it reads the same. The line stays when it is all the text,
    or longer than a title may be (nothing shown to annotators is lost)."""
    found = find_title_line(text, markdown)
    if found is None:
        return given or "(untitled)", text, removed
    start, end, line_title = found
    title = given or line_title[:MAX_TITLE]
    if same_title(line_title, title) and (text[:start].strip() or text[end:].strip()):
        text, removed = drop_title_line(full, text, removed, (start, end))
    return title, text, removed
