"""``annotator stories --suggest``: groups of articles without a story that seem to report
the same event, with the reasons, for a lead to confirm; ``--accept GROUP`` gives one group
its story. Printing never assigns anything."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING

import click
from rich.table import Table
from rich.text import Text

from .common import MIN_PREFIX, fail, make_console, open_store
from ..normalize import HIDDEN_RE, json_escape_hidden, printable
from ..stories.suggest import DEFAULT_MIN_SCORE, DEFAULT_WINDOW

if TYPE_CHECKING:
    from ..store import Store
    from ..stories.suggest import Group, Suggestions

MIN_GROUP_PREFIX = 4  # characters of a group id that find it
TITLE_WIDTH = 70


SUGGEST_OPTIONS = [
    click.option("--suggest", is_flag=True, help="Suggest groups of articles without a story that report the same "
                 "event (assigns nothing)."),
    click.option("--window", type=click.IntRange(min=0), default=None, metavar="DAYS",
                 help=f"--suggest: compare articles dated at most DAYS apart (default {DEFAULT_WINDOW}; undated: "
                 "with any date)."),
    click.option("--min-score", type=click.FloatRange(min=0), default=None, metavar="X",
                 help=f"--suggest: the score that links two articles (default {DEFAULT_MIN_SCORE})."),
    click.option("--accept", metavar="GROUP", help="--suggest: give the group GROUP its story (with the same "
                 "--window and --min-score as when it was printed)."),
    click.option("--story", "story_id", metavar="ID", help="--accept: this story id instead of the suggested one."),
    click.option("--without", multiple=True, metavar="ARTICLE", help="--accept: leave this article of the group out "
                 "(repeatable)."),
]


def suggest_options(func: Callable) -> Callable:
    """Add the options of ``--suggest`` to a command (``annotator stories``)."""
    for option in reversed(SUGGEST_OPTIONS):
        func = option(func)
    return func


def suggest_if_asked(store: Store, as_json: bool, suggest: bool, window: int | None, min_score: float | None,
                     accept: str | None, story_id: str | None, without: tuple[str, ...]) -> bool:
    """Print the suggestions, or accept a group, when ``--suggest`` is given (True then). Its
    other options only go with it; ``--story`` and ``--without`` only with ``--accept``."""
    if not (suggest or accept or window is not None or min_score is not None or story_id is not None or without):
        return False
    if not suggest:
        fail("--window, --min-score, --accept, --story and --without go with --suggest "
             "(annotator stories --suggest ...)", 2)
    if not accept and (story_id is not None or without):
        fail("--story and --without go with --accept GROUP (annotator stories --suggest --accept GROUP ...)", 2)
    days = DEFAULT_WINDOW if window is None else window
    score = DEFAULT_MIN_SCORE if min_score is None else min_score
    if accept:
        accept_group(store, accept, days, score, story_id, without)
    else:
        print_suggestions(store, days, score, as_json)
    return True


def _suggestions(store: Store, window: int, min_score: float) -> Suggestions:
    from ..stories.suggest import suggest

    return suggest(store.storyless_articles(), window=window, min_score=min_score)


def _explain_all(store: Store, groups: list[Group]) -> None:
    from ..stories.suggest import explain

    ids = [a for g in groups for a in g.article_ids]
    values = list(store.storyless_articles(ids))
    taken = {r.id for r in store.stories()}
    by_id = {v.id: v for v in values}
    for group in groups:  # in the order printed: a later group never gets an earlier one's story id
        explain(group, [by_id[i] for i in group.article_ids if i in by_id], taken)
        taken.add(group.story)


def _date(published: str | None, approximate: bool) -> str:
    return f"~{published}" if published and approximate else (published or "undated")


def _best_scores(group: Group) -> dict[str, float]:
    best: dict[str, float] = {}
    for link in group.links:
        for article_id in (link.first, link.second):
            best[article_id] = max(best.get(article_id, 0.0), link.score)
    return best


def print_suggestions(store: Store, window: int, min_score: float, as_json: bool) -> None:
    """Print the suggested groups (table, or JSON lines with ``as_json``); assigns nothing."""
    found = _suggestions(store, window, min_score)
    _explain_all(store, found.groups)
    names = store.outlet_names()
    if as_json:
        for group in found.groups:
            click.echo(json_escape_hidden(json.dumps(_group_json(group, names), ensure_ascii=False)))
        return
    console = make_console()
    if not found.articles:
        console.print(Text("No suggestion: every article has a story."))
        return
    if not found.groups:
        console.print(Text(f"No suggestion: no two of the {found.articles:,} articles without a story share "
                           f"enough (window {window} days, --min-score {min_score:g})."))
        return
    console.print(Text(f"{len(found.groups)} suggested {'story' if len(found.groups) == 1 else 'stories'} among "
                       f"{found.articles:,} articles without a story ({found.pairs_scored:,} pairs compared, window "
                       f"{window} days, --min-score {min_score:g}). Nothing is assigned until a group is accepted."))
    for group in found.groups:
        _print_group(console, group, names)
    console.print(Text("\nTo give a group its story: annotator stories --suggest --accept GROUP [--story ID] "
                       "[--without ARTICLE] (with the same --window and --min-score)."))


def _print_group(console, group: Group, names: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    heading = f"\ngroup {group.id}  suggested story: {printable(group.story)}  ({len(group.articles)} articles)"
    console.print(Text(heading, style="bold"))
    entities = ", ".join(f"{name} ({n})" for name, n in group.entities[:12])
    console.print(Text("  shared names: " + printable(entities or "none")))
    for quote, n in group.quotes[:3]:
        console.print(Text(f"  shared quote ({n} articles): “{printable(_shorten(quote, 160))}”"))
    best = _best_scores(group)
    table = Table("article", "outlet", "date", "score", "title", show_edge=False, pad_edge=False, box=None)
    for article in group.articles:
        outlet = names.get(article.publisher or "", article.publisher or "unknown outlet")
        when = _date(article.published, article.published_approximate)
        table.add_row(Text(article.id), Text(printable(outlet)), Text(printable(when)),
                      f"{best.get(article.id, 0.0):.2f}", Text(printable(_shorten(article.title, TITLE_WIDTH))))
    console.print(table, soft_wrap=False)


def _shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"


def _group_json(group: Group, names: dict[str, str]) -> dict:
    best = _best_scores(group)
    return {
        "group": group.id, "story": group.story,
        "articles": [{"id": a.id, "outlet": a.publisher, "outlet_name": names.get(a.publisher or ""),
                      "published": a.published, "approximate": a.published_approximate, "title": a.title,
                      "best_score": best.get(a.id)} for a in group.articles],
        "entities": [{"name": name, "articles": n} for name, n in group.entities],
        "quotes": [{"text": quote, "articles": n} for quote, n in group.quotes],
        "links": [{"first": link.first, "second": link.second, "score": link.score,
                   "shared_quotes": link.shared_quotes} for link in group.links],
    }


def _find_group(groups: list[Group], ref: str) -> Group:
    ref = ref.strip().lower()
    exact = [g for g in groups if g.id == ref]
    matches = exact or ([g for g in groups if g.id.startswith(ref)] if len(ref) >= MIN_GROUP_PREFIX else [])
    if len(matches) == 1:
        return matches[0]
    listed = ", ".join(g.id for g in groups[:10]) + (" …" if len(groups) > 10 else "")
    what = (f"several suggested groups start with {printable(ref)!r}" if matches
            else f"no suggested group {printable(ref)!r}")
    fail(f"{what} (groups now: {listed or 'none'}; run `annotator stories --suggest` with the same --window "
         "and --min-score to see them)")
    raise AssertionError  # unreachable


def _story_id_or_fail(story: str) -> str:
    story = story.strip()
    if not story:
        fail("--story: is empty")
    from ..models import FIELD_LIMITS  # (pydantic: not on the way to the TUI's first frame)

    if len(story) > FIELD_LIMITS["story"]:
        fail(f"--story: is {len(story):,} characters long; at most {FIELD_LIMITS['story']} are accepted")
    if printable(story) != story or HIDDEN_RE.search(story):
        fail(f"--story: {printable(story)!r} holds control or invisible characters")
    return story


def _leave_out(group: Group, without: tuple[str, ...]) -> list[str]:
    """The group's article ids less those named by ``without`` (ids or prefixes of ids in the group)."""
    ids = group.article_ids
    dropped: set[str] = set()
    for ref in without:
        ref_l = ref.strip().lower()
        hits = [i for i in ids if i == ref_l] or ([i for i in ids if i.startswith(ref_l)] if len(ref_l) >= MIN_PREFIX
                                                  else [])
        if not hits:
            fail(f"--without {printable(ref)!r}: not an article of group {group.id} ({', '.join(ids)})")
        if len(hits) > 1:
            fail(f"--without {printable(ref)!r}: starts several articles of group {group.id}; give more of the id")
        dropped.add(hits[0])
    kept = [i for i in ids if i not in dropped]
    if not kept:
        fail(f"--without leaves no article of group {group.id}")
    return kept


def accept_group(store: Store, ref: str, window: int, min_score: float, story: str | None,
                 without: tuple[str, ...]) -> None:
    """Give the group ``ref`` (as printed by :func:`print_suggestions` with the same options)
    its story: the suggested one or ``story``, to all its articles but ``without``, at once."""
    found = _suggestions(store, window, min_score)
    group = _find_group(found.groups, ref)
    _explain_all(store, found.groups)  # all of them, so that its story id is the one printed
    kept = _leave_out(group, without)
    chosen = _story_id_or_fail(story) if story is not None else group.story
    existing = {r.id: r.articles for r in store.stories()}
    writer = open_store(store.path, "write")
    try:
        writer.assign_story(kept, chosen)
    except ValueError as exc:
        fail(f"group {group.id}: nothing assigned: {exc}")
    finally:
        writer.close()
    joined = f" (joining its {existing[chosen]} articles)" if chosen in existing else ""
    make_console().print(Text(f"story {printable(chosen)}: {len(kept)} articles assigned{joined}: {', '.join(kept)}"))
