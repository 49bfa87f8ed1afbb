"""Corpus import: files and folders in, articles in the store, a report out.

Bad files and records are rejected one line each; the good ones still go in.
Each file's articles are written in one transaction, so nothing is half-written.
Importing the same content again adds nothing; changed text for the same url
(or file) becomes a new version, and older versions (and the annotations made
on them) stay.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from .boilerplate import strip_boilerplate
from .manifest import MANIFEST_NAMES, Manifest, ManifestEntry, load_manifest
from .models import Article, PartialDate
from .normalize import clean_line, normalize_text, printable
from .readers import (
    DEFAULT_MAX_ARTICLE_BYTES, ENCODING_NAMES, SUPPORTED, InputError, Record, RecordError, display_path, read_file,
    source_path,
)
from .registry import REGISTRY_NAMES, OutletIndex, load_registry
from .store import Store, StoreError

ARTICLE_FIELDS = ("title", "url", "publisher", "original_source", "published", "language", "story")


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

    @property
    def ok(self) -> bool:
        return not self.rejected


def find_files(paths: Iterable[Path], report: ImportReport, exclude: set[Path]) -> list[Path]:
    """The article files named by ``paths``: files as given, folders walked recursively
    (hidden entries, registries, manifests and unsupported types skipped)."""
    found: list[Path] = []
    for path in paths:
        if not path.exists():
            report.rejected.append((display_path(path), "no such file or folder"))
        elif path.is_dir():
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
        if path.is_dir():
            for name in names:
                if (path / name).is_file():
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
) -> ImportReport:
    """Import ``paths`` into ``store``. ``on_file(done, total)`` reports progress.

    Without ``manifest_path``/``registry_path``, a ``manifest.yaml`` (or ``.csv``) and an
    ``outlets.yaml`` at the top of a given folder are used.
    """
    report = ImportReport()
    registry_path = registry_path or _auto_file(paths, REGISTRY_NAMES)
    if registry_path is not None:
        try:
            report.outlets_updated = store.upsert_outlets(load_registry(registry_path))
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
    for done, path in enumerate(files, 1):
        try:
            _import_file(store, path, manifest.entries.get(_resolved(path)), index, encoding, max_article_bytes,
                         strip_chrome, report)
        except Exception as exc:  # one file must never stop the others; nothing of it was written
            report.rejected.append((display_path(path), f"could not be imported (internal error: {type(exc).__name__}: {exc})"))
        if on_file:
            on_file(done, len(files))
    if report.imported or report.new_versions:
        store.optimize()
    _make_printable(report)
    return report


def _import_file(
    store: Store, path: Path, entry: ManifestEntry | None, index: OutletIndex, encoding: str | None,
    max_article_bytes: int, strip_chrome: bool, report: ImportReport,
) -> None:
    """Read one file and write its good articles in one transaction (all or none). Whether
    an article is new, a new version or a duplicate of a stored one is decided by the store
    inside that transaction; here only records of this same file are compared."""
    articles: list[Article] = []
    keys_in_file: set[str] = set()
    where: dict[str, str] = {}  # article id -> file (and record) it came from
    for item in read_file(path, encoding, max_article_bytes):
        if isinstance(item, RecordError):
            report.rejected.append((item.where, item.message))
            continue
        if item.encoding not in ("utf-8", "utf-16"):
            how = "--encoding" if encoding else "detected; pass --encoding if this is wrong"
            report.notes.append((item.where, f"decoded from {ENCODING_NAMES.get(item.encoding, item.encoding)} ({how})"))
        try:
            article = build_article(item, entry, index, strip_chrome)
        except InputError as exc:
            report.rejected.append((item.where, str(exc)))
            continue
        if article.id in where:  # the id is the text's hash: the same text earlier in this file
            report.duplicates.append((item.where, article.id))
            continue
        if article.source_key in keys_in_file:
            report.rejected.append((item.where, f"has the same url as another record of this file ({article.source_key})"))
            continue
        if article.url is None:  # imported before source keys were absolute paths: its old key
            legacy = store.current_version(_legacy_source_key(item))
            if legacy is not None:
                article.supersedes = legacy[0]  # the store confirms it inside its write transaction
        keys_in_file.add(article.source_key)
        articles.append(article)
        where[article.id] = item.where
    if not articles:
        return
    try:
        outcomes = store.add_articles(articles)
    except (sqlite3.Error, StoreError, UnicodeError, ValueError) as exc:
        report.rejected.append((display_path(path), f"could not be stored, nothing from it was written ({exc})"))
        return
    for added in outcomes:  # decided in the store's transaction: another import may have run meanwhile
        place = where[added.article.id]
        if added.outcome == "duplicate":
            report.duplicates.append((place, added.other))
        elif added.outcome == "version":
            report.new_versions.append((place, added.article.id, added.other))
        else:
            report.imported.append((place, added.article.id))


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
    full = normalize_text(fields["text"])
    text, removed = strip_boilerplate(full, enabled=strip_chrome)
    if not text.strip():
        raise InputError("no text is left after removing page chrome and whitespace")
    title = clean_line(fields.get("title") or "") or first_meaningful_line(text, markdown=record.fmt == "md")
    url = clean_line(fields["url"]) if fields.get("url") else None
    publisher = _resolve_outlet(index, fields.get("publisher"), "publisher", entry)
    if publisher is None and url:
        publisher = index.find_by_url(url)
    original = _resolve_outlet(index, fields.get("original_source"), "original_source", entry)
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


def _resolve_outlet(index: OutletIndex, value: str | None, field_name: str, entry: ManifestEntry | None) -> str | None:
    if value is None or not str(value).strip() or str(value).strip().lower() == "unknown":
        return None
    found = index.find(str(value))
    if found is None:
        origin = "manifest" if entry is not None and getattr(entry, field_name) == value else "record"
        raise InputError(
            f"{origin} field '{field_name}': unknown outlet {clean_line(str(value))!r} "
            "(not an id, name, alias or domain in the outlet registry)"
        )
    return found


def first_meaningful_line(text: str, markdown: bool = False) -> str:
    """The first line with a letter in it, as a title (markdown heading marks removed)."""
    for line in _lines(text):
        candidate = line.strip()
        if markdown:
            candidate = candidate.lstrip("#").strip().strip("*_").strip()
        if any(ch.isalpha() for ch in candidate):
            return clean_line(candidate)[:300]
    return "(untitled)"


def _lines(text: str) -> Iterator[str]:
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        if end == -1:
            end = len(text)
        yield text[start:end]
        start = end + 1
