"""``annotator outlets``: list the outlet registry; ``add``, ``edit``, ``load`` and ``merge``
change it (each change recorded with who made it); ``show`` one outlet, as of a date, with
its history."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.text import Text

from .common import db_option, fail, make_console, print_json, session_annotator, store_command, writing_store_command
from ..normalize import printable
from ..paths import display_path

if TYPE_CHECKING:
    from ..models import Outlet
    from ..store import Store

ANNOTATOR_HELP = "Who makes the change (default: the configuration, $ANNOTATOR_NAME, else the login name)."
CHANGES_HELP = "FIELD=VALUE sets a field (empty: unknown), FIELD+=VALUE adds to a list, FIELD-=VALUE takes out of one."


@click.group("outlets", invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@db_option(use="reads")
@click.pass_context
def outlets(ctx: click.Context, as_json: bool, db_path: Path | None) -> None:
    """List the outlet registry stored in the database; its commands add, edit, show, load and merge outlets."""
    if ctx.invoked_subcommand is None:
        _list(db_path=db_path, as_json=as_json)


@store_command
def _list(store: Store, as_json: bool) -> None:
    items = store.outlets()
    if as_json:
        print_json([o.model_dump(mode="json") for o in items])
        return
    from ..readouts.render import outlets_table

    console = make_console()
    console.print(outlets_table(items, console.width), soft_wrap=False)


def _stored(store: Store, outlet_id: str) -> Outlet:
    """The outlet ``outlet_id``, else an error line (naming a known outlet like it)."""
    outlet = store.outlet(outlet_id)
    if outlet is not None:
        return outlet
    from ..outlets.registry import OutletIndex

    index = OutletIndex(store.outlets())
    known = index.find(outlet_id)
    likely = known or index.similar(outlet_id)
    hint = f"; did you mean {likely!r} ({printable(index.name(likely))})?" if likely else ""
    fail(f"no outlet with the id {printable(outlet_id)!r}{hint} (`annotator outlets` lists them)")
    raise AssertionError  # unreachable


def _changes(apply, *args):  # type: ignore[no-untyped-def]
    """``apply(*args)`` from :mod:`annotator.outlets.edits`, its InputError as an error line."""
    from ..errors import InputError

    try:
        return apply(*args)
    except InputError as exc:
        fail(str(exc))


def _effective(since: str | None) -> str | None:
    """``--since DATE`` checked: the date from which the new values hold."""
    if since is None:
        return None
    from ..models import PartialDate

    try:
        date = PartialDate.parse(since)
    except ValueError as exc:
        fail(f"--since {since[:40]!r}: {exc}")
    if date.value is None:
        fail(f"--since {since[:40]!r}: give the date the new values hold from (YYYY, YYYY-MM or YYYY-MM-DD)")
    return str(date)


ADD_HELP = ("Add an outlet: ID (a slug) and name=... at least, e.g. `annotator outlets add meduza name=Meduza "
            "domains=meduza.io country=Latvia`. " + CHANGES_HELP)
EDIT_HELP = ("Change an outlet's facts, e.g. `annotator outlets edit tass country=Russia aliases+=TASS.com`. "
             + CHANGES_HELP)


@outlets.command("add", short_help="Add an outlet of your corpus.", help=ADD_HELP)
@click.argument("outlet_id", metavar="ID")
@click.argument("changes", nargs=-1, metavar="FIELD=VALUE...")
@click.option("--annotator", "annotator_name", help=ANNOTATOR_HELP)
@writing_store_command
def add(store: Store, outlet_id: str, changes: tuple[str, ...], annotator_name: str | None) -> None:
    """Add an outlet (see the command's help)."""
    from ..outlets.edits import new_outlet

    outlet = _changes(new_outlet, outlet_id, list(changes))
    if not store.add_outlet(outlet, session_annotator(annotator_name), "outlets add"):
        fail(f"outlet {outlet.id!r} exists already; change it with `annotator outlets edit {outlet.id} FIELD=VALUE`")
    make_console().print(Text.assemble("added outlet ", (outlet.id, "bold"), f" ({printable(outlet.name)})"))


@outlets.command("edit", short_help="Correct or complete an outlet's facts (each change recorded).", help=EDIT_HELP)
@click.argument("outlet_id", metavar="ID")
@click.argument("changes", nargs=-1, required=True, metavar="FIELD=VALUE...")
@click.option("--since", help="The date the new values hold from (YYYY[-MM[-DD]]): an outlet's card for an "
                              "older article shows the values before. Without it the change corrects the facts.")
@click.option("--annotator", "annotator_name", help=ANNOTATOR_HELP)
@writing_store_command
def edit(store: Store, outlet_id: str, changes: tuple[str, ...], since: str | None, annotator_name: str | None) -> None:
    """Change an outlet's facts (see the command's help)."""
    effective = _effective(since)
    from ..outlets.edits import apply_changes

    outlet = _changes(apply_changes, _stored(store, outlet_id), list(changes))
    fields = store.edit_outlet(outlet, session_annotator(annotator_name), "outlets edit", effective)
    if not fields:
        make_console().print(Text.assemble("outlet ", (outlet.id, "bold"), " already holds these values: nothing changed"))
        return
    make_console().print(Text.assemble("changed ", (", ".join(fields), "bold"), " of outlet ", (outlet.id, "bold"),
                                       f" (the previous values are kept: `annotator outlets show {outlet.id} --history`)"))


@outlets.command("show")
@click.argument("outlet_id", metavar="ID")
@click.option("--as-of", "as_of", metavar="DATE", help="The card as its dated facts stood on DATE (YYYY[-MM[-DD]]).")
@click.option("--history", "with_history", is_flag=True, help="Also every recorded change: who, when, from where, "
                                                               "before and after.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@store_command
def show(store: Store, outlet_id: str, as_of: str | None, with_history: bool, as_json: bool) -> None:
    """Show one outlet's card (its id, as `annotator outlets` lists them)."""
    from ..models import PartialDate

    day = None
    if as_of is not None:
        try:
            day = PartialDate.parse(as_of)
        except ValueError as exc:
            fail(f"--as-of {as_of[:40]!r}: {exc}")
        if day.value is None:
            fail(f"--as-of {as_of[:40]!r}: give a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    _stored(store, outlet_id)
    outlet = store.outlet_as_of(outlet_id, day)
    assert outlet is not None
    changes = store.outlet_history(outlet_id) if with_history else []
    edited = store.outlet_edited_fields(outlet_id)
    if as_json:
        data = {"outlet": outlet.model_dump(mode="json"), "as_of": str(day) if day else None, "edited_fields": edited}
        if with_history:
            data["history"] = [dataclasses.asdict(c) for c in changes]
        print_json(data)
        return
    from ..readouts.render import outlet_history_table, outlet_view

    console = make_console()
    console.print(outlet_view(outlet, str(day) if day else None, edited), soft_wrap=False)
    if with_history:
        console.print(outlet_history_table(changes, outlet_id), soft_wrap=False)


@outlets.command("load")
@click.argument("file", required=False, type=click.Path(path_type=Path))
@click.option("--shipped", is_flag=True, help="Merge the registry shipped with annotator again (never over what a "
                                              "user set) instead of a FILE.")
@click.option("--annotator", "annotator_name", help=ANNOTATOR_HELP)
@writing_store_command
def load(store: Store, file: Path | None, shipped: bool, annotator_name: str | None) -> None:
    """Merge a registry YAML (`outlets:` list, as `import --registry` reads) into the database:
    its outlets are added, or replace the stored ones of the same id (each change recorded)."""
    if (file is None) == (not shipped):
        fail("give a registry FILE or --shipped (not both)", 2)
    if shipped:
        from ..store.outlets import shipped_registry

        fingerprint, items = shipped_registry()
        changed = store.merge_shipped_outlets(items, fingerprint)
        make_console().print(f"shipped registry merged: {changed} outlet(s) added or updated")
        return
    from ..errors import InputError
    from ..files import file_problem
    from ..outlets.registry import load_registry

    assert file is not None
    if problem := file_problem(file):
        fail(f"{display_path(file)}: {problem}")
    try:
        items = load_registry(file)
    except InputError as exc:
        fail(str(exc))
    changed = store.upsert_outlets(items, who=session_annotator(annotator_name),
                                   source=f"outlets load {display_path(file)}")
    make_console().print(Text(f"{display_path(file)}: {len(items)} outlet(s) read, {changed} added or updated"))


@outlets.command("merge")
@click.argument("outlet_id", metavar="ID")
@click.option("--into", "into_id", metavar="ID", help="The outlet that takes ID's articles (needed).")
@click.option("--annotator", "annotator_name", help=ANNOTATOR_HELP)
@writing_store_command
def merge(store: Store, outlet_id: str, into_id: str | None, annotator_name: str | None) -> None:
    """Use another outlet instead of ID (an import that made ID from a misspelt name): ID's
    articles move to it, ID's names become its aliases, and ID is removed (both recorded)."""
    if into_id is None:
        fail("give the outlet to use instead: --into ID", 2)
    _stored(store, outlet_id)
    _stored(store, into_id)
    if outlet_id == into_id:
        fail(f"outlet {outlet_id!r} cannot be merged into itself")
    moved = store.merge_outlet(outlet_id, into_id, session_annotator(annotator_name), "outlets merge")
    make_console().print(Text(f"outlet {outlet_id} merged into {into_id}: {moved} article reference(s) moved; "
                              f"{outlet_id}'s names are now aliases of {into_id}"))
