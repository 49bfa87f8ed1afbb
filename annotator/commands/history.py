"""``annotator history``: the recorded changes of a tag or of an article's tags, the open
merge conflicts, and settling them. Thin: the store keeps the history; the table is
drawn by :func:`annotator.readouts.render.history_table`."""

from __future__ import annotations

import dataclasses
import sys
from typing import TYPE_CHECKING

import click
from rich.text import Text

from .common import (MIN_PREFIX, annotator_option, fail, find_article, make_console, print_json, session_annotator,
                         writing_store_command)
from ..normalize import printable

if TYPE_CHECKING:
    from ..store import Store


def _resolve(store: Store, ref: str) -> tuple[str | None, str | None]:
    """``(tag id, article id)`` that ``ref`` names: a tag id or a unique prefix of one (4+
    characters), else an article id or prefix."""
    ref = ref.strip()
    if printable(ref) != ref or not ref:
        fail(f"{printable(ref)!r}: not a tag or article id (`annotator articles` lists articles)", 2)
    exact = store.article(ref)
    if exact is not None and exact.id == ref:
        return None, ref
    tags = store.tag_ids_starting(ref, limit=3) if len(ref) >= MIN_PREFIX else []
    if len(tags) == 1:
        return tags[0], None
    if len(tags) > 1:
        fail(f"{printable(ref)!r}: ambiguous, the start of several tag ids ({', '.join(tags[:2])}, …); "
             "give more characters", 2)
    if len(ref) >= MIN_PREFIX and store.article(ref) is None and not store.article_ids_starting(ref, limit=1):
        fail(f"no tag or article {printable(ref)!r} (`annotator articles` lists articles; `annotator history "
             "ARTICLE` shows the ids of its tags)")
    return None, find_article(store, ref).id


@click.command()
@click.argument("ref", required=False)
@click.option("--conflicts", is_flag=True, help="Only the open merge conflicts (of REF, or of every tag).")
@click.option("--accept", type=int, metavar="N", help="Settle conflict N: its incoming version replaces the stored tag.")
@click.option("--dismiss", type=int, metavar="N", help="Settle conflict N: the stored tag stays as it is.")
@click.option("--restore", type=int, metavar="N", help="Bring the tag of change N back to how it was before that change.")
@annotator_option(help="Who settles or restores (default: configuration, $ANNOTATOR_NAME, login name).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@writing_store_command  # (--accept, --dismiss and --restore write)
def history(store: Store, ref: str | None, conflicts: bool, accept: int | None, dismiss: int | None,
            restore: int | None, annotator_name: str | None, as_json: bool) -> None:
    """Show every recorded change of a tag or of an ARTICLE's tags (REF: a tag id or article
    id, or a unique prefix of one): who, when, from which file or session, before and after.
    Merge conflicts are settled here with --accept N or --dismiss N; --restore N undoes a change."""
    actions = [n for n in (accept, dismiss, restore) if n is not None]
    if len(actions) > 1:
        fail("give one of --accept, --dismiss and --restore", 2)
    if actions:
        _settle(store, accept, dismiss, restore, session_annotator(annotator_name))
        return
    if ref is None and not conflicts:
        fail("give a tag or article (REF), or --conflicts", 2)
    uuid, article_id = _resolve(store, ref) if ref is not None else (None, None)
    entries = store.history(uuid=uuid, article_id=article_id, open_conflicts=conflicts)
    if as_json:
        print_json([dataclasses.asdict(e) for e in entries])
        return
    from ..readouts.render import history_table

    console = make_console()
    console.print(history_table(entries, ref or "open conflicts"), soft_wrap=False)


def _settle(store: Store, accept: int | None, dismiss: int | None, restore: int | None, who: str) -> None:
    number = next(n for n in (accept, dismiss, restore) if n is not None)
    entry = store.history_entry(number)
    if entry is None:
        fail(f"no history entry {number} (see `annotator history TAG`)")
    open_conflict = entry.change == "conflict" and entry.settled is None
    out = make_console()
    if (accept is not None or dismiss is not None) and not open_conflict:
        fail(f"history entry {number} is not an open merge conflict"
             + (f" (already {printable(entry.settled)})" if entry.settled else ""))
    if restore is not None and open_conflict:
        fail(f"history entry {number} is an open merge conflict: settle it with --accept {number} or --dismiss {number}")
    if dismiss is not None:
        store.dismiss_conflict(number, who)
        out.print(Text(f"Conflict {number} dismissed: tag {entry.uuid} stays as stored (both versions stay in its history)."))
        return
    try:
        tag = store.restore_version(number, who)
    except ValueError as exc:
        fail(str(exc))
    done = "accepted: the incoming version" if accept is not None else "restored: the version before that change"
    out.print(Text(printable(f"History entry {number} {done} is now tag {tag.uuid} ({tag.category}/{tag.label}); "
                             "the version it replaced stays in the history.")))
    sys.exit(0)
