"""``annotator assign``: give articles to annotators with overlap, and show the plan."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click
from rich.table import Table
from rich.text import Text

from .common import annotator_option, fail, make_console, session_annotator, writing_store_command
from ..normalize import json_escape_hidden, printable

if TYPE_CHECKING:
    from ..store import Store


@click.command("assign")
@click.option("--annotators", "names", metavar="A,B,C", help="Who is to read the articles, separated by commas.")
@click.option("--overlap", type=click.IntRange(min=1), default=2, show_default=True,
              help="How many annotators read each article (2 or more lets agreement be measured on it).")
@click.option("--story", metavar="ID", help="Only the articles of this story.")
@click.option("--outlet", "outlet_id", metavar="ID", help="Only the articles this outlet published.")
@click.option("--all", "all_articles", is_flag=True, help="Every current article.")
@click.option("--seed", type=int, default=0, show_default=True, help="The same seed gives the same plan.")
@click.option("--replace", is_flag=True, help="Plan again the articles in scope that are assigned already "
              "(without it they keep their annotators and only unassigned ones are given out).")
@click.option("--dry-run", is_flag=True, help="Print the plan without storing it.")
@click.option("--show", is_flag=True, help="Print the stored assignments (per annotator and outlet) and stop.")
@click.option("--json", "as_json", is_flag=True, help="With --show or --dry-run: JSON, article id → annotators.")
@annotator_option(help="Who makes the plan (recorded with it).")
@writing_store_command
def assign(store: Store, names: str | None, overlap: int, story: str | None, outlet_id: str | None,
           all_articles: bool, seed: int, replace: bool, dry_run: bool, show: bool, as_json: bool,
           annotator_name: str | None) -> None:
    """Give the articles of a story, an outlet or all to annotators, OVERLAP per article, balanced
    across annotators and outlets; --show prints the plan stored."""
    if show:
        _print_plan(store, store.assignments(), as_json, "Assignments stored")
        return
    scope = _scope(store, story, outlet_id, all_articles)
    if not names:
        fail("--annotators: name who is to read the articles (e.g. --annotators alice,bob,carol)", 2)
    from ..team.assignment import ArticleToAssign, parse_annotators, plan_assignments
    from ..errors import InputError

    in_scope = store.assignable_articles(story=story, publisher=outlet_id)
    stored = store.assignments()
    todo = [ArticleToAssign(a, o) for a, o in in_scope if replace or a not in stored]
    try:
        annotators = parse_annotators(names)
        plan = plan_assignments(todo, annotators, overlap, seed, store.held_outlets(exclude=[a.id for a in todo]))
    except InputError as exc:
        fail(str(exc), 2)
    kept = len(in_scope) - len(todo)
    if dry_run:
        _print_plan(store, plan, as_json, f"Plan (not stored) for {len(plan)} article(s) of {scope}")
        return
    if plan:
        store.save_assignments(plan, session_annotator(annotator_name),
                               json.dumps({"overlap": overlap, "seed": seed, "scope": scope}))
    console = make_console()
    console.print(Text(f"Assigned {len(plan)} article(s) of {scope} to {len(annotators)} annotator(s), "
                       f"{overlap} each" + (f"; {kept} already assigned kept (--replace plans them again)" if kept else "")
                       + "."))
    _print_plan(store, store.assignments(), False, "Assignments stored")


def _scope(store: Store, story: str | None, outlet_id: str | None, all_articles: bool) -> str:
    """The scope asked for, in words (exit 2 unless exactly one of --story, --outlet, --all)."""
    if sum(x is not None and x is not False for x in (story, outlet_id, all_articles)) != 1:
        fail("say which articles: one of --story ID, --outlet ID or --all", 2)
    if story is not None:
        from .stories import _story_or_fail

        return f"story {printable(_story_or_fail(store, story, store.stories()))!r}"
    if outlet_id is not None:
        from .outlets import _stored

        return f"outlet {printable(_stored(store, outlet_id).id)!r}"
    return "all articles"


def _print_plan(store: Store, plan: dict, as_json: bool, heading: str) -> None:
    """Per annotator: how many articles in all and per outlet (or the whole plan as JSON)."""
    if as_json:
        click.echo(json_escape_hidden(json.dumps({a: list(n) for a, n in sorted(plan.items())}, ensure_ascii=False)))
        return
    from ..team.assignment import plan_summary

    console = make_console()
    if not plan:
        console.print(Text("No article is assigned (`annotator assign --annotators A,B --overlap 2 --all`)."))
        return
    outlets = dict(store.assignable_articles())
    summary = plan_summary(plan, outlets)
    names = store.outlet_names()
    columns = sorted({o for counts in summary.values() for o in counts}, key=lambda o: (o is None, o or ""))
    table = Table(title=Text(f"{heading}: {len(plan)} article(s)"), show_edge=False,
                  pad_edge=False)
    table.add_column("annotator", overflow="fold", min_width=9)
    table.add_column("articles", justify="right")
    for outlet in columns:
        table.add_column(Text(printable(names.get(outlet, outlet) if outlet else "unknown")), justify="right")
    for name in sorted(summary):
        counts = summary[name]
        table.add_row(Text(printable(name)), str(sum(counts.values())), *(str(counts.get(o, 0)) for o in columns))
    console.print(table, soft_wrap=False)
