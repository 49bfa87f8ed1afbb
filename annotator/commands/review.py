"""``annotator review``: the review screen (settling disagreements into gold), and ``--summary``."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click
from rich.table import Table
from rich.text import Text

from .common import annotator_option, codebook_option, load_codebook_or_fail, make_console, store_command
from ..normalize import json_escape_hidden, printable

if TYPE_CHECKING:
    from ..store import Store


def article_reviews(store: Store, book, at_least: int = 2) -> list:
    """The review of every current article tagged by ``at_least`` annotators, in import order."""
    from ..team.review import GOLD, read_reviews

    return list(read_reviews(store, book, store.articles_to_review(GOLD, at_least)))


@click.command("review")
@click.option("--summary", is_flag=True, help="Print, per article two or more annotators tagged, the disagreements "
              "left to settle (no TUI).")
@click.option("--json", "as_json", is_flag=True, help="With --summary: JSON lines.")
@annotator_option(help="The reviewer's name (recorded with every decision).")
@codebook_option
@store_command
def review(store: Store, summary: bool, as_json: bool, annotator_name: str | None, codebook_ref: str | None) -> None:
    """Settle annotators' disagreements into the gold layer (the TUI's review screen), or --summary."""
    book = load_codebook_or_fail(codebook_ref)
    if not summary:
        if as_json:
            from .common import fail

            fail("--json goes with --summary", 2)
        from ..cli import _open_tui

        path = store.path
        store.close()
        _open_tui(path, annotator_name, codebook_ref, review=True)
        return
    reviews = article_reviews(store, book)
    statuses = store.review_statuses()
    names = store.outlet_names()
    if as_json:
        for r in reviews:
            click.echo(json_escape_hidden(json.dumps({
                "article": r.article_id, "annotators": list(r.annotators), "items": len(r.items),
                "disagreements": len(r.disagreements), "left": len(r.left), "status": r.status,
                "reviewer": statuses.get(r.article_id, (None, None, None))[1],
                "left_items": [{"key": i.key, "problem": i.problem} for i in r.left]}, ensure_ascii=False)))
        return
    console = make_console()
    if not reviews:
        console.print(Text("No article has tags of two or more annotators yet: nothing to review."))
        return
    table = Table(title=Text(f"Review: {sum(r.status == 'settled' for r in reviews)} of {len(reviews)} article(s) "
                             f"settled, {sum(len(r.left) for r in reviews)} disagreement(s) left"),
                  show_edge=False, pad_edge=False)
    for column, justify in (("article", "left"), ("outlet", "left"), ("annotators", "left"),
                            ("disagreements", "right"), ("left", "right"), ("status", "left")):
        table.add_column(column, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for r in reviews:
        article = store.article(r.article_id)
        outlet = names.get(article.publisher or "", "unknown outlet") if article else ""
        table.add_row(r.article_id, Text(printable(outlet)), Text(printable(", ".join(r.annotators))),
                      str(len(r.disagreements)), str(len(r.left)), r.status)
    console.print(table, soft_wrap=False)
