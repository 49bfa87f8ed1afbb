"""The outlet registry in the database (schema 9): outlets, every change of them with who
made it, when and from where (the previous values kept), the merge of the shipped registry
that never overwrites what a user set, and an outlet's facts as of a date."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..models import STORED, Outlet, PartialDate, utc_now
from ..outlets.timeline import OutletChange, as_of, changed_fields
from .connection import Connection, StoreError

ALL_FIELDS = "*"  # in ``outlets.edited``: the whole outlet is the user's (added or loaded by them)
SHIPPED_SOURCE = "shipped registry"


@lru_cache(maxsize=4)
def _fingerprint(path: Path, size: int, mtime_ns: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@lru_cache(maxsize=4)
def _shipped(path: Path, size: int, mtime_ns: int) -> tuple[str, tuple[Outlet, ...]]:
    """The shipped registry's fingerprint and outlets, read once per process (per version of the file)."""
    from ..errors import InputError
    from ..outlets.registry import load_registry

    try:
        return _fingerprint(path, size, mtime_ns), tuple(load_registry(path))
    except InputError as exc:  # a damaged installation
        raise StoreError(f"the shipped outlet registry cannot be used: {exc}") from None


def _shipped_file() -> tuple[Path, int, int]:
    from ..outlets.registry import SHIPPED_REGISTRY

    info = SHIPPED_REGISTRY.stat()
    return SHIPPED_REGISTRY, info.st_size, info.st_mtime_ns


def shipped_registry() -> tuple[str, tuple[Outlet, ...]]:
    """(fingerprint, outlets) of the registry shipped in the package."""
    return _shipped(*_shipped_file())


def _dump(outlet: Outlet) -> str:
    return outlet.model_dump_json()


def _record(conn: sqlite3.Connection, outlet_id: str, change: str, before: str | None, after: str | None,
            who: str | None, source: str | None, effective: str | None = None) -> None:
    """Keep one change of an outlet in ``outlet_history``."""
    fields = changed_fields(json.loads(before) if before else None, json.loads(after) if after else None)
    conn.execute("INSERT INTO outlet_history (outlet_id, change, before, after, fields, effective, who, source, at) "
                 "VALUES (?,?,?,?,?,?,?,?,?)",
                 [outlet_id, change, before, after, json.dumps(fields), effective, who, source, utc_now()])


def _write(conn: sqlite3.Connection, outlet: Outlet, edited: list[str]) -> None:
    conn.execute(
        "INSERT INTO outlets (id, name, country, state_affiliation, data, updated, edited) VALUES (?,?,?,?,?,?,?) "
        "ON CONFLICT(id) DO UPDATE SET name=excluded.name, country=excluded.country, "
        "state_affiliation=excluded.state_affiliation, data=excluded.data, updated=excluded.updated, "
        "edited=excluded.edited",
        [outlet.id, outlet.name, outlet.country, outlet.state_affiliation.value, _dump(outlet), utc_now(),
         json.dumps(sorted(set(edited)))])


class OutletQueries(Connection):
    """Outlets: reading them, changing them with their history, merging the shipped registry."""

    def _after_open(self) -> None:
        """Merge the shipped registry when it changed since it was last merged (new databases too)."""
        if not self._up_to_date():
            fingerprint, outlets = shipped_registry()
            self.merge_shipped_outlets(outlets, fingerprint)

    def _up_to_date(self) -> bool:
        """Whether the shipped registry merged last is the one installed (the file's SHA-256;
        it is parsed only when it differs)."""
        return self.shipped_fingerprint() == _fingerprint(*_shipped_file())

    def shipped_fingerprint(self) -> str | None:
        """The SHA-256 of the shipped registry last merged into this database."""
        row = self.conn.execute("SELECT shipped_sha256 FROM outlet_registry_state WHERE id = 1").fetchone()
        return row[0] if row else None

    def merge_shipped_outlets(self, outlets: Iterable[Outlet], fingerprint: str | None = None) -> int:
        """Merge the shipped registry: its new outlets are added; an outlet nobody edited takes
        the shipped values; the fields a user set keep the user's values; an outlet a user added
        or loaded is left as it is. Returns how many outlets changed."""
        changed = 0
        with self._write() as conn:
            for outlet in outlets:
                row = conn.execute("SELECT data, edited FROM outlets WHERE id = ?", [outlet.id]).fetchone()
                if row is None:
                    _write(conn, outlet, [])
                    _record(conn, outlet.id, "created", None, _dump(outlet), None, SHIPPED_SOURCE)
                    changed += 1
                    continue
                edited = json.loads(row[1] or "[]")
                shipped = _dump(outlet)
                if row[0] == shipped:
                    if edited:  # the same as shipped: nothing of the user's is lost if later versions update it
                        conn.execute("UPDATE outlets SET edited = '[]' WHERE id = ?", [outlet.id])
                    continue
                if ALL_FIELDS in edited:
                    continue
                data = outlet.model_dump(mode="json")
                mine = json.loads(row[0])
                for name in edited:
                    if name in mine:
                        data[name] = mine[name]
                merged = Outlet.model_validate(data, context=STORED)
                if _dump(merged) != row[0]:
                    _write(conn, merged, edited)
                    _record(conn, outlet.id, "changed", row[0], _dump(merged), None, SHIPPED_SOURCE)
                    changed += 1
            if fingerprint is not None:
                conn.execute("INSERT OR REPLACE INTO outlet_registry_state (id, shipped_sha256) VALUES (1, ?)",
                             [fingerprint])
        return changed

    def upsert_outlets(self, outlets: Iterable[Outlet], replace: bool = True, who: str | None = None,
                       source: str | None = None) -> int:
        """Add a registry's outlets (``import --registry``, ``outlets load``) as the user's: new
        ones are added, stored ones replaced by the registry's values (``replace=False``: only
        new ones added). Each change is recorded. Returns how many outlets changed."""
        changed = 0
        with self._write() as conn:
            for outlet in outlets:
                old = conn.execute("SELECT data FROM outlets WHERE id = ?", [outlet.id]).fetchone()
                data = _dump(outlet)
                if old and (old[0] == data or not replace):
                    continue
                _write(conn, outlet, [ALL_FIELDS])
                _record(conn, outlet.id, "changed" if old else "created", old[0] if old else None, data,
                        who or self.actor, source)
                changed += 1
        return changed

    def add_outlet(self, outlet: Outlet, who: str | None, source: str | None, made_at_import: bool = False) -> bool:
        """Add a new outlet; False when its id is taken (then nothing changes). One made at
        import from an unknown name is not marked as the user's (the shipped registry may
        complete it later)."""
        with self._write() as conn:
            if conn.execute("SELECT 1 FROM outlets WHERE id = ?", [outlet.id]).fetchone():
                return False
            _write(conn, outlet, [] if made_at_import else [ALL_FIELDS])
            _record(conn, outlet.id, "created", None, _dump(outlet), who, source)
        return True

    def edit_outlet(self, outlet: Outlet, who: str | None, source: str | None,
                    effective: str | None = None) -> list[str]:
        """Replace a stored outlet by ``outlet`` (the same id); the fields that differ are
        marked as the user's and returned (none: nothing was written). ``effective``: the
        date from which the new values hold (None: a correction). KeyError for an unknown id."""
        with self._write() as conn:
            row = conn.execute("SELECT data, edited FROM outlets WHERE id = ?", [outlet.id]).fetchone()
            if row is None:
                raise KeyError(outlet.id)
            data = _dump(outlet)
            fields = changed_fields(json.loads(row[0]), json.loads(data))
            if not fields:
                return []
            _write(conn, outlet, json.loads(row[1] or "[]") + fields)
            _record(conn, outlet.id, "changed", row[0], data, who, source, effective)
        return fields

    def merge_outlet(self, from_id: str, into_id: str, who: str | None, source: str | None) -> int:
        """Move every article of outlet ``from_id`` (publisher or original source) to ``into_id``,
        keep ``from_id``'s name as an alias of ``into_id`` and remove ``from_id`` (both recorded).
        Returns how many articles moved. KeyError naming an unknown id."""
        with self._write() as conn:
            rows = {r[0]: r[1] for r in conn.execute("SELECT id, data FROM outlets WHERE id IN (?, ?)",
                                                     [from_id, into_id])}
            for wanted in (from_id, into_id):
                if wanted not in rows:
                    raise KeyError(wanted)
            moved = conn.execute("UPDATE articles SET publisher = ? WHERE publisher = ?", [into_id, from_id]).rowcount
            moved += conn.execute("UPDATE articles SET original_source = ? WHERE original_source = ?",
                                  [into_id, from_id]).rowcount
            gone = Outlet.model_validate_json(rows[from_id], context=STORED)
            into = Outlet.model_validate_json(rows[into_id], context=STORED)
            known = {name.casefold() for name in (into.name, *into.aliases)}
            new_aliases = [n for n in dict.fromkeys((gone.name, *gone.aliases)) if n.casefold() not in known]
            if new_aliases:
                kept = into.model_copy(update={"aliases": [*into.aliases, *new_aliases]})
                edited = json.loads(conn.execute("SELECT edited FROM outlets WHERE id = ?", [into_id]).fetchone()[0]
                                    or "[]")
                _write(conn, kept, [*edited, "aliases"])
                _record(conn, into_id, "changed", rows[into_id], _dump(kept), who, source)
            conn.execute("DELETE FROM outlets WHERE id = ?", [from_id])
            _record(conn, from_id, "merged", rows[from_id], None, who, f"{source} (into {into_id})")
        return moved

    def outlets(self) -> list[Outlet]:
        """Every outlet, by name."""
        rows = self.conn.execute("SELECT data FROM outlets ORDER BY name COLLATE NOCASE").fetchall()
        return [Outlet.model_validate_json(r[0], context=STORED) for r in rows]

    def outlet_names(self) -> dict[str, str]:
        """Outlet id -> name, for tables and lists (no outlet record is read for it)."""
        return dict(self.conn.execute("SELECT id, name FROM outlets").fetchall())

    def outlet(self, outlet_id: str | None) -> Outlet | None:
        """One outlet by id, or None."""
        if outlet_id is None:
            return None
        row = self.conn.execute("SELECT data FROM outlets WHERE id = ?", [outlet_id]).fetchone()
        return Outlet.model_validate_json(row[0], context=STORED) if row else None

    def outlet_edited_fields(self, outlet_id: str) -> list[str]:
        """The fields of an outlet a user set (``*``: all of it)."""
        row = self.conn.execute("SELECT edited FROM outlets WHERE id = ?", [outlet_id]).fetchone()
        return json.loads(row[0] or "[]") if row else []

    def outlet_history(self, outlet_id: str) -> list[OutletChange]:
        """Every recorded change of an outlet, oldest first."""
        rows = self.conn.execute("SELECT id, outlet_id, change, before, after, fields, effective, who, source, at "
                                 "FROM outlet_history WHERE outlet_id = ? ORDER BY id", [outlet_id]).fetchall()
        return [OutletChange(r[0], r[1], r[2], _loads(r[3]), _loads(r[4]), json.loads(r[5]), *r[6:]) for r in rows]

    def outlet_as_of(self, outlet_id: str | None, day: PartialDate | str | None) -> Outlet | None:
        """The outlet as its dated facts stood on ``day`` (an article's published date; the
        current facts when the date is unknown), or None."""
        outlet = self.outlet(outlet_id)
        if outlet is None or outlet_id is None:
            return outlet
        if (day.value if isinstance(day, PartialDate) else day) is None:
            return outlet
        return as_of(outlet, self.outlet_history(outlet_id), day)


def _loads(text: str | None) -> dict[str, Any] | None:
    return json.loads(text) if text else None
