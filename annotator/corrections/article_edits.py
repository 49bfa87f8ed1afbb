"""Correcting an article's facts after import (``annotator article set``, the TUI's article
dialog): publisher, original source, publication date, story and title, checked as the
import checks them. A publisher the registry does not know is filed under a new outlet
made from the name, every fact unverified, as the import does. Each change is stored on
every version of the article and recorded with who made it, when and the value before."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from ..errors import InputError
from ..models import ArticleFacts, Outlet, PartialDate
from ..normalize import clean_line, printable

if TYPE_CHECKING:
    from ..models import Article
    from ..outlets.registry import OutletIndex
    from ..store import Store

# The facts a correction sets, in the order they are shown; the CSV columns of ``--from``.
FACTS = ("publisher", "original_source", "published", "story", "title")
CSV_COLUMNS = ("article", *FACTS)
MIN_PREFIX = 4  # characters of an article id that find it
UNKNOWN = ("", "unknown")  # a publisher, original source or date set to one of these becomes unknown


@dataclass
class Outcome:
    """What a correction did to one article: the fields that changed (empty: it held these
    values already) and a note per outlet made from an unknown name."""

    article_id: str
    changed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class BatchOutcome:
    """A correction of many articles: what each did, and one ``where: reason`` line per refused one."""

    done: list[Outcome] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_facts(given: Mapping[str, str | None]) -> dict[str, str | PartialDate | None]:
    """The facts a user gave (field: text; None or absent: leave as it is) checked as the
    import checks them: lengths, one line, a date YYYY[-MM[-DD]] (``~`` approximate). An empty
    or ``unknown`` publisher, original source or date, and an empty story, mean unknown; a
    title cannot be empty. One :class:`InputError` line naming the field."""
    asked = {name: value for name, value in given.items() if value is not None}
    unknown = set(asked) - set(FACTS)
    if unknown:
        raise InputError(f"field {sorted(unknown)[0]!r} cannot be set (fields: {', '.join(FACTS)})")
    if not asked:
        raise InputError(f"nothing to change: give at least one of {', '.join(FACTS)}")
    try:
        ArticleFacts.model_validate({k: v for k, v in asked.items() if k != "published"}, strict=True)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise InputError(f"field {'.'.join(map(str, err['loc']))!r} "
                         f"{err['msg'].removeprefix('Value error, ')}") from None
    checked: dict[str, str | PartialDate | None] = {}
    for name, value in asked.items():
        text = clean_line(value)
        if name == "published":
            try:
                checked[name] = PartialDate.parse(text)
            except ValueError as exc:
                raise InputError(f"field 'published': {exc}") from None
        elif name == "title":
            if not text:
                raise InputError("field 'title' is empty; an article keeps a title")
            checked[name] = text
        elif name == "story":
            checked[name] = text or None
        else:
            checked[name] = None if text.casefold() in UNKNOWN else text
    return checked


def find_article(store: Store, ref: str) -> Article:
    """The article ``ref`` names (an id or a unique prefix of at least 4 characters), else an
    :class:`InputError` saying why."""
    found = store.article(ref)
    if found is not None:
        return found
    shown = printable(ref.strip())[:40]
    if len(ref.strip()) < MIN_PREFIX:
        raise InputError(f"article {shown!r}: an id prefix needs at least {MIN_PREFIX} characters")
    if len(store.article_ids_starting(ref, limit=2)) > 1:
        raise InputError(f"article {shown!r}: ambiguous, the start of several article ids; give more characters")
    raise InputError(f"no article {shown!r} (see `annotator articles` for ids)")


def _outlet_id(store: Store, index: OutletIndex, name: str, role: str, url: str | None,
               who: str | None, source: str, notes: list[str]) -> str:
    """The id of the outlet ``name`` names; a new outlet (every fact unverified) for a name the
    registry does not know, stored and noted as the import does."""
    found = index.find(name)
    if found is not None:
        return found
    from ..ingest.importer import new_outlet_note

    outlet: Outlet = index.make_outlet(name, url if role == "publisher" else None)
    index.take_made()
    if store.add_outlet(outlet, who, source, made_at_import=True):
        notes.append(new_outlet_note(outlet, role, index))
    return outlet.id


def set_article_facts(store: Store, article: Article, given: Mapping[str, str | None], who: str | None,
                      source: str, index: OutletIndex | None = None) -> Outcome:
    """Correct the facts of ``article`` (and of its other versions): ``given`` as
    :func:`check_facts` reads it. A fact set here is no longer listed as unverified. Recorded
    with ``who`` and ``source``; committed at once. :class:`InputError` for a bad value."""
    checked = check_facts(given)
    outcome = Outcome(article.id)
    if index is None:
        from ..outlets.registry import OutletIndex

        index = OutletIndex(store.outlets())
    values: dict[str, object] = {}
    for name, value in checked.items():
        if name in ("publisher", "original_source") and value is not None:
            value = _outlet_id(store, index, str(value), name, article.url, who, source, outcome.notes)
        values[name] = value
    if any(name in article.unverified for name in values):
        values["unverified"] = [name for name in article.unverified if name not in values]
    try:
        outcome.changed = store.edit_article(article.id, values, who, source)
    except KeyError:
        raise InputError(f"article {article.id} is no longer in the database") from None
    return outcome


def set_many(store: Store, refs: list[str], given: Mapping[str, str | None], who: str | None,
             source: str) -> BatchOutcome:
    """The same correction on several articles (e.g. ``--story ID A B C``): each article named
    wrongly is one problem line, the others are corrected."""
    check_facts(given)  # a bad value is refused before anything is written
    from ..outlets.registry import OutletIndex

    index = OutletIndex(store.outlets())
    batch = BatchOutcome()
    for ref in refs:
        try:
            batch.done.append(set_article_facts(store, find_article(store, ref), given, who, source, index))
        except InputError as exc:
            batch.problems.append(str(exc))
    return batch


def set_from_csv(store: Store, path: Path, who: str | None, defaults: Mapping[str, str | None] | None = None
                 ) -> BatchOutcome:
    """Corrections from a CSV file with a header row: an ``article`` column (id or unique
    prefix) and any of :data:`FACTS`; an empty cell leaves that field as it is (``defaults``,
    the command line's values, fill it). A bad row is one ``FILE:LINE: reason`` line and the
    other rows are applied. :class:`InputError` for a file that cannot be read at all."""
    from ..files import read_regular_text
    from ..paths import display_path
    from ..outlets.registry import OutletIndex

    name = display_path(path)
    text = read_regular_text(path)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [clean_line(cell).casefold().replace("-", "_").replace(" ", "_") for cell in next(reader)]
    except StopIteration:
        raise InputError(f"{name}: is empty; give a header row with an 'article' column") from None
    except csv.Error as exc:
        raise InputError(f"{name}:1: not CSV ({exc})") from None
    if "article" not in header:
        raise InputError(f"{name}:1: no 'article' column (columns: {', '.join(CSV_COLUMNS)})")
    unknown = [column for column in header if column not in CSV_COLUMNS]
    if unknown:
        raise InputError(f"{name}:1: unknown column {printable(unknown[0])[:40]!r} (columns: {', '.join(CSV_COLUMNS)})")
    index = OutletIndex(store.outlets())
    batch = BatchOutcome()
    line = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            batch.problems.append(f"{name}:{line}: not CSV ({exc})")
            break
        where, line = f"{name}:{line}", reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            batch.problems.append(f"{where}: has {len(row)} cells; the header has {len(header)}")
            continue
        cells = dict(zip(header, row))
        given = {k: v for k, v in (defaults or {}).items() if v is not None}
        given.update({k: v for k, v in cells.items() if k != "article" and v.strip()})
        try:
            article = find_article(store, cells["article"])
            batch.done.append(set_article_facts(store, article, given, who, f"article set --from {name}", index))
        except InputError as exc:
            batch.problems.append(f"{where}: {exc}")
    return batch
