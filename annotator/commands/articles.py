"""``annotator article set``: correct an article's publisher, original source, date, story
and title (one article, several, or a CSV of them), each change recorded; the history
``show ARTICLE --history`` prints; ``annotator stranded``: the tags a corrected text could
not take over. Thin: the rules are in :mod:`annotator.corrections.article_edits` and :mod:`annotator.corrections.reanchor`."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich import box
from rich.table import Table
from rich.text import Text

from .common import fail, make_console, print_json, session_annotator, store_command, writing_store_command
from ..normalize import printable

if TYPE_CHECKING:
    from ..corrections.article_edits import BatchOutcome
    from ..models import Article
    from ..store import Store

ANNOTATOR_HELP = "Who makes the change (default: the configuration, $ANNOTATOR_NAME, else the login name)."
SET_HELP = """Correct the facts of ARTICLE (an id or a unique prefix of 4+ characters), or of
several ARTICLEs at once (e.g. `--story ID A B C` groups them in a story), or of the articles
a CSV names (`--from FILE.csv`: an `article` column and any of publisher, original_source,
published, story, title; an empty cell leaves that field as it is). The change is made on
every version of each article and recorded with who made it and when, the previous value
kept (`annotator show ARTICLE --history`). A publisher the registry does not know becomes a
new outlet, every fact unverified, as at import. An empty (or `unknown`) publisher, original
source or date, and an empty story, make it unknown."""


@click.group("article")
def article() -> None:
    """Correct an article's facts (`annotator article set --help`)."""


@article.command("set", help=SET_HELP, short_help="Correct an article's publisher, source, date, story or title.")
@click.argument("articles", nargs=-1, metavar="ARTICLE...")
@click.option("--publisher", metavar="OUTLET", help="Outlet id, name, alias or web domain (new outlet if unknown).")
@click.option("--original-source", "original_source", metavar="OUTLET", help="The outlet that wrote it (syndication).")
@click.option("--published", metavar="DATE", help="YYYY, YYYY-MM or YYYY-MM-DD; ~ before it when approximate.")
@click.option("--story", metavar="ID", help="The story (articles about the same event) it belongs to.")
@click.option("--title", metavar="TITLE", help="The article's title.")
@click.option("--from", "from_file", type=click.Path(path_type=Path), metavar="FILE.csv",
              help="Corrections from a CSV: article,story[,publisher,original_source,published,title].")
@click.option("--annotator", "annotator_name", help=ANNOTATOR_HELP)
@writing_store_command
def set_facts(store: Store, articles: tuple[str, ...], publisher: str | None, original_source: str | None,
              published: str | None, story: str | None, title: str | None, from_file: Path | None,
              annotator_name: str | None) -> None:
    from ..corrections.article_edits import check_facts, set_from_csv, set_many
    from ..errors import InputError

    given = {"publisher": publisher, "original_source": original_source, "published": published, "story": story,
             "title": title}
    if from_file is not None and articles:
        fail("give ARTICLEs or --from FILE.csv, not both", 2)
    if from_file is None and not articles:
        fail("give the ARTICLE(s) to correct, or --from FILE.csv", 2)
    who = session_annotator(annotator_name)
    if len(articles) == 1:  # one article: named wrongly, the error every command gives (status 2 for a bad prefix)
        from .common import find_article

        find_article(store, articles[0])
    try:
        if from_file is not None:
            if any(value is not None for value in given.values()):
                check_facts(given)  # the command line's values fill the CSV's empty cells
            batch = set_from_csv(store, from_file, who, given)
        else:
            batch = set_many(store, list(articles), given, who, "article set")
    except InputError as exc:
        fail(str(exc))
    _report(batch)
    sys.exit(0 if batch.ok else 1)


def _report(batch: BatchOutcome) -> None:
    out, err = make_console(), make_console(stderr=True)
    for outcome in batch.done:
        for note in outcome.notes:
            out.print(Text("note: ", style="cyan") + Text(printable(note)))
        if outcome.changed:
            out.print(Text.assemble("article ", (outcome.article_id, "bold"), ": changed ",
                                    (", ".join(outcome.changed), "bold")))
        else:
            out.print(Text.assemble("article ", (outcome.article_id, "bold"), ": already holds these values"))
    for problem in batch.problems:
        err.print(Text("error: ", style="bold red") + Text(printable(problem)))
    changed = sum(1 for outcome in batch.done if outcome.changed)
    summary = f"{changed} article(s) corrected"
    if batch.problems:
        summary += f"; {len(batch.problems)} refused"
    if changed:
        summary += " (the previous values are kept: `annotator show ARTICLE --history`)"
    out.print(Text(summary))


def article_history(store: Store, article: Article) -> list[dict]:
    """The recorded corrections of an article and the moves of its tags, as JSON objects."""
    edits = [dataclasses.asdict(edit) for edit in store.article_edits(article.id)]
    moves = [dataclasses.asdict(move) for move in store.tag_moves(article.id)]
    return [*edits, *({"tag_move": move} for move in moves)]


def print_article_history(store: Store, article: Article) -> None:
    """The corrections of an article's facts, then where its tags were carried, as tables."""
    from ..readouts.render import safe

    console = make_console()
    edits = store.article_edits(article.id)
    if not edits:
        console.print(Text(f"No recorded corrections of article {article.id}."))
    else:
        table = Table(title=f"{len(edits)} correction(s) of article {article.id}", box=box.SIMPLE_HEAD, expand=True)
        for name, ratio in (("#", None), ("when", None), ("who, from", 2), ("field", None), ("before → after", 4)):
            table.add_column(name, overflow="fold", no_wrap=ratio is None, ratio=ratio)
        for edit in edits:
            who = safe(edit.who, style="bold") if edit.who else Text("not recorded", style="dim")
            if edit.source:
                who.append("\n")
                who.append_text(safe(edit.source, style="dim"))
            change = Text.assemble(_value(edit.before), " → ", _value(edit.after, "bold"))
            table.add_row(Text(str(edit.id), style="cyan"), safe(edit.at.replace("+00:00", "Z").replace("T", " ")),
                          who, Text(edit.field), change)
        console.print(table, soft_wrap=False)
    moves = store.tag_moves(article.id)
    if moves:
        console.print(moves_table(moves, f"tags carried to or from article {article.id}"), soft_wrap=False)


def _value(value: str | None, style: str = "") -> Text:
    from ..readouts.render import safe

    if value is None:
        return Text("unknown", style="dim")
    return safe(value if len(value) <= 80 else value[:79] + "…", style=style)


def moves_table(moves: list, title: str) -> Table:
    """Tag moves (:class:`annotator.store.TagMove`) as a table."""
    from ..readouts.render import safe

    table = Table(title=f"{len(moves)} {title}", box=box.SIMPLE_HEAD, expand=True)
    for name, ratio in (("tag", None), ("annotator, label", 2), ("article", None), ("outcome", None), ("span", None),
                        ("quote, why", 4)):
        table.add_column(name, overflow="fold", no_wrap=ratio is None, ratio=ratio)
    for move in moves:
        span = (f"{move.old_start}-{move.old_end}" if move.old_start is not None else "article") + (
            f" → {move.new_start}-{move.new_end}" if move.new_start is not None else "")
        what = safe(move.quote or "", style="italic") if move.quote else Text("")
        if move.reason:
            what.append("\n" if move.quote else "")
            what.append_text(safe(move.reason, style="dim"))
        outcome = Text(move.outcome + (f" ({move.method})" if move.method else ""),
                       style="bold red" if move.outcome == "stranded" else "green")
        who = safe(move.annotator or "", style="bold") + Text("\n") + safe(move.label or "")
        table.add_row(Text(move.uuid[:8], style="cyan"), who, Text(f"{move.from_article}\n→ {move.to_article}"),
                      outcome, Text(span.replace(" → ", "\n→ ")), what)
    return table


@click.command("stranded")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@store_command
def stranded(store: Store, as_json: bool) -> None:
    """List the tags a corrected text of their article could not take over (their quote was
    not found again, or not in one place): they stay on the older version, to be tagged again."""
    moves = store.stranded_tags()
    if as_json:
        print_json([dataclasses.asdict(move) for move in moves])
        return
    console = make_console()
    if not moves:
        console.print(Text("No stranded tags: every tag was carried to the newest version of its article."))
        return
    console.print(moves_table(moves, "stranded tag(s): still on the older version of their article"),
                  soft_wrap=False)
