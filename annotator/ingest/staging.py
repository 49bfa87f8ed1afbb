"""Writing one imported file: its articles staged in short transactions, then shown all
at once (README "Storage"), so other writers never wait long and nothing is half-seen."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ..models import Article
from ..paths import display_path
from ..store import Added, SQLiteError, Store, StoreError

if TYPE_CHECKING:
    from .importer import ImportReport, _FileEvents


def write_file(store: Store, path: Path, events: _FileEvents, report: ImportReport) -> None:
    """Write one file's good articles, as the reader hands them over, all or none: staged in
    short transactions (other writers wait for one batch at most), then made current in
    one. Whether an article is new, a new version or a duplicate of a stored one is decided
    by the store inside its transactions."""
    try:
        _write_file(store, path, events, report)
    finally:  # the reader's index knows the outlets it made: they are stored even when the file is not
        try:
            events.store_new_outlets()
        except (SQLiteError, StoreError):
            pass


def _write_file(store: Store, path: Path, events: _FileEvents, report: ImportReport) -> None:
    first = events.take()
    if first is None:
        if events.failed:
            report.rejected.append((display_path(path), events.failed))
        return
    import_id = store.begin_import(display_path(path))
    try:
        order, duplicates = _stage_file(store, import_id, first, events)
        if events.failed:  # reading broke off: nothing of the file may be written
            _abandon(store, import_id)
            report.rejected.append((display_path(path), events.failed))
            return
        outcomes = store.commit_import(import_id)
    except Exception as exc:  # (interrupted with Ctrl-C, the next import deletes what was staged)
        _abandon(store, import_id)
        if not isinstance(exc, (SQLiteError, StoreError, UnicodeError, ValueError)):
            raise
        events.drain()
        report.rejected.append((display_path(path), events.failed or
                                f"could not be stored, nothing from it was written ({exc})"))
        return
    _forget(store, import_id)
    for article_id in order:  # decided in the store's transactions: another import may have run meanwhile
        place = events.where[article_id]
        added = outcomes.get(article_id) or duplicates.get(article_id)
        if added is None or added.outcome == "duplicate":  # another import committed the same text first
            report.duplicates.append((place, added.other if added else article_id))
        elif added.outcome == "version":
            report.new_versions.append((place, added.article_id, added.other))
        else:
            report.imported.append((place, added.article_id))


# How long one transaction that stages articles may hold the write lock, and the pause after
# it that lets other writers (annotators tagging) take the lock in between.
IMPORT_BATCH_S = 0.15
IMPORT_PAUSE_S = 0.004


def _stage_file(store: Store, import_id: int, first: Article,
                events: _FileEvents) -> tuple[list[str], dict[str, Added]]:
    """Stage a file's articles in transactions of at most about :data:`IMPORT_BATCH_S` each,
    taking them from the reader as it hands them over (so a reading process keeps working
    meanwhile; when it falls behind, the transaction ends rather than wait for it with the
    lock held); returns the staged ids in the file's order and the duplicates of stored
    articles."""
    order: list[str] = []
    duplicates: dict[str, Added] = {}
    following: list[Article] = [first]

    def batch() -> Iterator[Article]:
        deadline = time.monotonic() + IMPORT_BATCH_S
        while following:
            article = following.pop()
            order.append(article.id)
            yield article
            if not events.reader.ready():  # the reading process is behind: wait for it without the lock
                return
            after = events.take()
            if after is not None:
                following.append(after)
            if events.new_outlets or time.monotonic() >= deadline:  # new outlets are stored before their articles
                return

    while following or not events.ended:
        if not following:  # the next article, taken outside the write lock
            after = events.take()
            if after is None:
                break
            following.append(after)
        events.store_new_outlets()
        for added in store.stage_articles(import_id, batch(), events.word_counts):
            duplicates[added.article_id] = added
        if following:
            time.sleep(IMPORT_PAUSE_S)
    return order, duplicates


def _forget(store: Store, import_id: int) -> None:
    """Drop a committed file's list of staged articles; if that fails, the next import does it."""
    try:
        store.forget_import(import_id)
    except (SQLiteError, StoreError):
        pass


def _abandon(store: Store, import_id: int) -> None:
    """Delete a failed file's staged articles; if even that fails, the next import does it."""
    try:
        store.abandon_import(import_id)
    except (SQLiteError, StoreError):
        pass
