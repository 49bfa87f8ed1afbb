"""What ``annotator merge`` reads: another annotations database (read-only), a *bundle*
(``annotator export --format bundle``: JSON lines carrying everything a database holds) or a
JSON-lines export (``annotator export --format jsonl``: live tags only). Also writes bundles.

A bundle's first line is ``{"kind": "annotator-bundle", "version": 1, ...}``; every other
line is one record, ``{"kind": K, ...}`` with K one of ``outlet``, ``outlet-merged``,
``article``, ``annotation``, ``status``, ``rejection``, and the team's records
``assignment``, ``gold-source``, ``review-decision``, ``review-status``, ``active-time``,
``article-edit``, ``tag-move`` (see README "Merging laptops")."""

from __future__ import annotations

import dataclasses
import json
import tempfile
import uuid as uuid_module
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from pydantic import ValidationError

from ..exchange.annotation_import import check_file, file_sha256, parse_line, to_annotation
from ..errors import InputError
from .merge import IncomingArticle, IncomingTag, MergeReport, Refused, fingerprint, run_merge
from .team import TEAM_BUNDLE_KINDS
from ..models import Annotation, Article, Outlet, utc_now
from ..normalize import json_escape_hidden, printable
from ..paths import display_path
from ..store import OtherDatabase, Store, StoreError
from ..store.merging import SQLITE_HEADER, OutletState, Rejection, StatusMark
from ..store.merging_team import team_record

class MergeStopped(InputError):
    """The other database turned out damaged during the merge: what was merged before stays."""


BUNDLE_KIND = "annotator-bundle"
BUNDLE_VERSION = 1
BATCH = 500
RECORD_KINDS = {"outlet": "outlets", "outlet-merged": "outlets", "article": "articles", "annotation": "annotations",
                "status": "statuses", "rejection": "rejections", **TEAM_BUNDLE_KINDS}


def _history_source(path: Path) -> str:
    return f"merge {printable(path.name)} (sha256 {file_sha256(path)})"


def _batches(items: Iterator[Any], size: int = BATCH) -> Iterator[list[Any]]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class DatabaseSource:
    """Another annotations database, read through its own read-only connection."""

    def __init__(self, path: Path):
        self.db = OtherDatabase(path)
        self.name, self.source = display_path(path), _history_source(path)

    @property
    def refused(self) -> list[Refused]:
        return [Refused(kind, key, why) for kind, key, why in self.db.unreadable]

    def outlets(self) -> dict[str, OutletState]:
        return self.db.outlets()

    def outlet_removals(self) -> list[tuple[str, str, str]]:
        return self.db.outlet_removals()

    def articles(self) -> Iterator[list[IncomingArticle]]:
        for batch in self.db.articles():
            yield [IncomingArticle(article, current) for article, current in batch]

    def annotations(self) -> Iterator[list[IncomingTag]]:
        def earlier(uuid: str) -> Callable[[], frozenset[str]]:
            return lambda: frozenset(fingerprint(v) for v in self.db.versions(uuid))

        for batch in self.db.annotations():
            yield [IncomingTag(a, earlier(a.uuid)) for a in batch]

    def statuses(self) -> Iterator[list[StatusMark]]:
        return self.db.statuses()

    def rejections(self) -> Iterator[list[Rejection]]:
        return self.db.rejections()

    def team_records(self, kind: str) -> Iterator[list[Any]]:
        return self.db.team_rows(kind)

    def close(self) -> None:
        self.db.close()


class FileSource:
    """A bundle or a JSON-lines export: checked as a whole first (UTF-8, no NUL bytes), read
    once per kind; a line that cannot be read is refused with its number, once."""

    def __init__(self, path: Path, first: dict[str, Any]):
        self.path = path
        self.name, self.source, self.refused = display_path(path), _history_source(path), []
        self.bundle = first.get("kind") == BUNDLE_KIND
        if self.bundle and first.get("version") != BUNDLE_VERSION:
            raise InputError(f"{self.name}: a bundle of version {first.get('version')!r}; this annotator reads "
                             f"version {BUNDLE_VERSION}")
        self._bad: set[int] = set()
        for number, line in self._lines(skip_bad=False):
            try:
                data = parse_line(line)
                kind = data.get("kind")
                if self.bundle and not (isinstance(kind, str) and kind in RECORD_KINDS):  # a forged kind may be a list
                    raise ValueError(f"kind {str(kind)[:40]!r} is not one of {', '.join(RECORD_KINDS)}")
            except ValueError as exc:
                self._refuse("bundle" if self.bundle else "annotations", number, str(exc))

    def _refuse(self, kind: str, number: int, reason: str) -> None:
        self._bad.add(number)
        self.refused.append(Refused(kind, f"{self.name}:{number}", reason))

    def _lines(self, skip_bad: bool = True) -> Iterator[tuple[int, str]]:
        with self.path.open("rb") as fh:
            for number, raw in enumerate(fh, 1):
                line = raw.decode("utf-8").removeprefix("\ufeff") if number == 1 else raw.decode("utf-8")
                if line.strip() and not (self.bundle and number == 1) and not (skip_bad and number in self._bad):
                    yield number, line

    def _records(self, kind: str, read: Callable[[dict[str, Any]], Any]) -> Iterator[Any]:
        """The records of one kind (bundle ``kind``), each read by ``read`` (ValueError: refused)."""
        for number, line in self._lines():
            data = parse_line(line)
            if self.bundle and data.get("kind") != kind:
                continue
            try:
                yield read(data)
            except (ValidationError, ValueError, TypeError, KeyError, AttributeError) as exc:
                why = (exc.errors(include_url=False)[0]["msg"] if isinstance(exc, ValidationError)
                       else f"missing field {exc}" if isinstance(exc, KeyError) else str(exc))
                self._refuse(RECORD_KINDS.get(kind, kind), number, why)

    def outlets(self) -> dict[str, OutletState]:
        if not self.bundle:
            return {}

        def read(d: dict[str, Any]) -> OutletState:
            return OutletState(Outlet.model_validate(d["outlet"]), tuple(_strings(d, "edited")),
                               {str(k): str(v) for k, v in dict(d.get("field_times") or {}).items()})

        return {state.outlet.id: state for state in self._records("outlet", read)}

    def outlet_removals(self) -> list[tuple[str, str, str]]:
        if not self.bundle:
            return []
        return list(self._records("outlet-merged", lambda d: (str(d["id"]), str(d["into"]), str(d["at"]))))

    def articles(self) -> Iterator[list[IncomingArticle]]:
        if self.bundle:
            def read(d: dict[str, Any]) -> IncomingArticle:
                if not isinstance(d["article"].get("imported_at"), str):
                    raise ValueError("article.imported_at is missing or not text")
                return IncomingArticle(Article.model_validate(d["article"]), d.get("current") is not False)
            yield from _batches(self._records("article", read), 200)

    def annotations(self) -> Iterator[list[IncomingTag]]:
        if self.bundle:
            def read(d: dict[str, Any]) -> IncomingTag:
                fields = d["annotation"]
                for name in ("uuid", "created", "updated"):  # never made up here: a new uuid would be a new tag
                    if not isinstance(fields.get(name), str):
                        raise ValueError(f"annotation.{name} is missing or not text")
                uuid_module.UUID(fields["uuid"])
                return IncomingTag(Annotation.model_validate(fields), frozenset(_strings(d, "earlier")))
            yield from _batches(self._records("annotation", read))
        else:
            yield from _batches(self._records("annotation", lambda d: IncomingTag(to_annotation(d), None)))

    def statuses(self) -> Iterator[list[StatusMark]]:
        if self.bundle:
            yield from _batches(self._records("status", lambda d: StatusMark(
                *(_string(d, n) for n in ("article_id", "annotator", "status", "updated")))))

    def rejections(self) -> Iterator[list[Rejection]]:
        if self.bundle:
            def read(d: dict[str, Any]) -> Rejection:
                start, end = d["start"], d["end"]
                if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool):
                    raise ValueError("start and end must be integers")
                concept = d.get("concept")
                return Rejection(_string(d, "article_id"), _string(d, "annotator"), start, end,
                                 None if concept is None else str(concept), _string(d, "variant"),
                                 _string(d, "created"), _string(d, "updated"), d.get("withdrawn") is True)
            yield from _batches(self._records("rejection", read))

    def team_records(self, kind: str) -> Iterator[list[Any]]:
        """The team's records of ``kind`` (a merge report's kind) a bundle holds."""
        if self.bundle:
            bundle_kind = next(k for k, v in TEAM_BUNDLE_KINDS.items() if v == kind)
            yield from _batches(self._records(bundle_kind, lambda d: team_record(kind, d)))

    def close(self) -> None:
        pass


def _string(data: dict[str, Any], name: str) -> str:
    value = data[name]
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a string")
    return value


def _strings(data: dict[str, Any], name: str) -> list[str]:
    value = data.get(name) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{name} must be a list of strings")
    return value


def open_source(path: Path) -> DatabaseSource | FileSource:
    """The merge source at ``path``, by its content: an SQLite file, else a bundle or a
    JSON-lines export. :class:`InputError` (one line) for anything else."""
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except IsADirectoryError:
        raise InputError(f"{display_path(path)}: is a folder, not a file") from None
    except FileNotFoundError:
        raise InputError(f"{display_path(path)}: no such file") from None
    except OSError as exc:
        raise InputError(f"{display_path(path)}: cannot be read ({exc.strerror or exc})") from None
    if head == SQLITE_HEADER:
        try:
            return DatabaseSource(path)
        except StoreError as exc:
            raise InputError(str(exc)) from None
    try:
        check_file(path)
    except InputError as exc:
        raise InputError(f"{exc}; not an annotator database, bundle or JSON-lines export") from None
    with path.open("rb") as fh:
        first = next((raw for raw in fh if raw.strip()), None)
    if first is None:
        raise InputError(f"{display_path(path)}: is empty; not an annotator database, bundle or JSON-lines export")
    try:
        data = parse_line(first.decode("utf-8").removeprefix("\ufeff"))
    except ValueError as exc:
        raise InputError(f"{display_path(path)}: not an annotator database, bundle or JSON-lines export (its first "
                         f"line is {exc})") from None
    return FileSource(path, data)


def merge_path(store: Store, path: Path, who: str | None, dry_run: bool = False,
               codebook: Callable[[str], Any] | None = None) -> MergeReport:
    """Merge the database, bundle or export at ``path`` into ``store`` (``dry_run``: into a
    copy of it, which is then thrown away). :class:`InputError` for a file that cannot be
    merged (then nothing is written)."""
    try:
        if path.exists() and store.path.exists() and path.samefile(store.path):
            raise InputError(f"{display_path(path)}: is this database itself")
    except OSError:
        pass
    source = open_source(path)
    try:
        return _merge(store, source, who, dry_run, codebook)
    except StoreError as exc:
        raise MergeStopped(str(exc)) from None
    finally:
        source.close()


def _merge(store: Store, source: DatabaseSource | FileSource, who: str | None, dry_run: bool,
           codebook: Callable[[str], Any] | None) -> MergeReport:
    if not dry_run:
        return run_merge(store, source, who, codebook)
    with tempfile.TemporaryDirectory(prefix="annotator-merge-") as folder:
        copy_path = Path(folder) / "copy.db"
        store.copy_to(copy_path)
        copy = Store(copy_path, "write")
        try:
            report = run_merge(copy, source, who, codebook)
        finally:
            copy.close()
    report.dry_run = True
    return report


def write_bundle(db_path: Path, out: IO[str]) -> int:
    """Write everything the database at ``db_path`` holds as a bundle; returns the records written."""
    db = OtherDatabase(db_path)
    count = 0

    def line(data: dict[str, Any]) -> None:
        nonlocal count
        out.write(json_escape_hidden(json.dumps(data, ensure_ascii=False, sort_keys=True)) + "\n")
        count += 1

    try:
        out.write(json.dumps({"kind": BUNDLE_KIND, "version": BUNDLE_VERSION, "exported_at": utc_now()}) + "\n")
        for state in db.outlets().values():
            line({"kind": "outlet", "outlet": state.outlet.model_dump(mode="json"), "edited": list(state.edited),
                  "field_times": state.field_times})
        for outlet_id, into, at in db.outlet_removals():
            line({"kind": "outlet-merged", "id": outlet_id, "into": into, "at": at})
        for batch in db.articles():
            for article, current in batch:
                line({"kind": "article", "article": article.model_dump(mode="json"), "current": current})
        for tags in db.annotations():
            for annotation in tags:
                line({"kind": "annotation", "annotation": annotation.model_dump(mode="json"),
                      "earlier": sorted({fingerprint(v) for v in db.versions(annotation.uuid)})})
        for marks in db.statuses():
            for mark in marks:
                line({"kind": "status", **dataclasses.asdict(mark)})
        for rejections in db.rejections():
            for rejection in rejections:
                line({"kind": "rejection", **dataclasses.asdict(rejection)})
        for bundle_kind, kind in TEAM_BUNDLE_KINDS.items():
            for records in db.team_rows(kind):
                for record in records:
                    line({"kind": bundle_kind, **dataclasses.asdict(record)})
    finally:
        db.close()
    return count
