"""``annotator stories``, ``compare`` and ``story``: one event as each outlet reported it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.table import Table
from rich.text import Text

from .common import annotator_option, codebook_option, fail, load_codebook_or_fail, make_console, store_command
from .stats_export import _write_report as write_report
from .story_suggest import suggest_if_asked, suggest_options
from ..normalize import json_escape_hidden, printable

if TYPE_CHECKING:
    from ..store import Store, StoryRow


def _story_or_fail(store: Store, story: str | None, rows: list[StoryRow]) -> str:
    """The story asked for (exit 1 with the stories there are when it is not one); with none
    asked for, the only story there is."""
    ids = [r.id for r in rows]
    if not ids:
        fail("no article has a story yet (give stories in the import's manifest or records: `story: ID`)")
    if story is None:
        if len(ids) == 1:
            return ids[0]
        fail(f"name a story: {', '.join(map(printable, ids[:20]))}{' …' if len(ids) > 20 else ''}", 2)
    if story not in ids:
        close = [i for i in ids if story.lower() in i.lower()]
        hint = f" (did you mean {', '.join(map(printable, close[:5]))}?)" if close else \
            f" (stories: {', '.join(map(printable, ids[:10]))}{' …' if len(ids) > 10 else ''})"
        fail(f"no story {printable(story)!r}{hint}")
    return story  # type: ignore[return-value]


@click.command("stories")
@click.option("--json", "as_json", is_flag=True, help="JSON lines: id, articles, outlets, first, last (with --suggest: "
              "one line per suggested group).")
@suggest_options
@store_command
def stories(store: Store, as_json: bool, **suggesting: Any) -> None:
    """The stories (articles about the same event): id, articles, outlets, date range; with
    --suggest, groups of articles without a story that seem to report one event, to confirm."""
    if suggest_if_asked(store, as_json, **suggesting):
        return
    rows = store.stories()
    names = store.outlet_names()
    if as_json:
        for r in rows:
            click.echo(json_escape_hidden(json.dumps({"id": r.id, "articles": r.articles, "outlets": list(r.outlets),
                                                      "first": r.first, "last": r.last}, ensure_ascii=False)))
        return
    console = make_console()
    if not rows:
        console.print(Text("No article has a story yet: give stories in the import's manifest or records (story: ID)."))
        return
    table = Table("story", "articles", "outlets", "dates", show_edge=False, pad_edge=False)
    for r in rows:
        dates = r.first if r.first == r.last else f"{r.first or '?'} – {r.last or '?'}"
        table.add_row(Text(printable(r.id)), str(r.articles),
                      Text(printable(", ".join(names.get(o, o) for o in r.outlets))), Text(printable(dates or "undated")))
    console.print(table, soft_wrap=False)


@click.command("compare")
@click.argument("story", required=False)
@click.option("--format", "fmt", type=click.Choice(["table", "md", "csv", "json"]), default="table", show_default=True,
              help="table (terminal), md (Markdown, for a report), csv or json (with one row per term use).")
@click.option("--out", "out_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Write to FILE (whole or not at all) instead of standard output.")
@codebook_option
@store_command
def compare(store: Store, story: str | None, fmt: str, out_path: Path | None, codebook_ref: str | None) -> None:
    """One story across outlets: each concept's variants per outlet (own voice and quoted), and the answers."""
    from ..stories.compare import compare_tables, read_story
    from ..lexicon import Matcher

    story = _story_or_fail(store, story, store.stories())
    book = load_codebook_or_fail(codebook_ref)
    articles = read_story(store, story, Matcher(book, outlets=store.outlets()))
    tables = compare_tables(book, articles, tidy=fmt in ("csv", "json"))
    write_report(tables, fmt, out_path, {"story": story, "articles": len(articles),
                                         "codebook": f"{book.id} {book.version}"})


@click.command("story")
@click.argument("story", required=False)
@annotator_option
@codebook_option
@store_command
def story(store: Store, story: str | None, annotator_name: str | None, codebook_ref: str | None) -> None:
    """Open the story screen: the story's articles side by side, term by term (the TUI)."""
    from ..cli import _open_tui

    chosen = _story_or_fail(store, story, store.stories())
    path = store.path
    store.close()
    _open_tui(path, annotator_name, codebook_ref, story=chosen)
