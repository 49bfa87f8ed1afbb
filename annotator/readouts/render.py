"""Terminal read-outs with rich. Untrusted strings only ever enter as ``Text``
objects built by :func:`safe`, so markup in them is shown, never interpreted,
and escape sequences never reach the terminal."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..models import Annotation, Article, Outlet
from .naming import Names
from ..normalize import neutralize, normalize_text
if TYPE_CHECKING:
    from ..store import ArticleRow

UNKNOWN = Text("unknown", style="dim italic")
UNVERIFIED = " (unverified)"


def safe(value: object, style: str = "") -> Text:
    """Untrusted text as a rich ``Text``: normalized (no escape sequences), bidi, zero-width
    and other hidden characters shown as escapes (:func:`annotator.normalize.neutralize`),
    never markup."""
    if value is None or value == "":
        return UNKNOWN.copy()
    return Text(neutralize(normalize_text(str(value))), style=style)


def reflow(text: str) -> str:
    """Guideline prose as written in YAML (hard-wrapped, list items with hanging indents)
    joined into paragraphs and list items that the terminal wraps to its own width."""
    out: list[str] = []
    for line in text.strip().splitlines():
        stripped = line.strip()
        starts_item = re.match(r"(\d+[.)]|[-*•])\s", stripped) is not None
        if not stripped:
            out.append("")
        elif out and out[-1] and not starts_item:
            out[-1] += " " + stripped
        else:
            out.append(stripped)
    return "\n".join(out)


def counted(number: int, noun: str) -> str:
    """``"1 tag"``, ``"3 tags"``: a count with its noun, plural unless it is one."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _marked(text: Text, unverified: bool) -> Text:
    """``text``, followed by a yellow " (unverified)" when ``unverified``."""
    if unverified:
        text.append(UNVERIFIED, style="yellow")
    return text


def _flagged(value: object, unverified: bool) -> Text:
    """An untrusted value (``unknown`` when missing), marked when unverified."""
    return _marked(safe(value), unverified)


def outlet_label(outlet: Outlet | None, outlet_id: str | None) -> Text:
    """An outlet's name (or its id when it is not in the registry)."""
    if outlet is not None:
        return safe(outlet.name)
    return safe(outlet_id)


def articles_table(rows: list[ArticleRow], outlet_names: dict[str, str], total: int, width: int = 80) -> Table:
    """The article list. Below 120 columns the outlets go on a second line under the title."""
    wide = width >= 120
    table = Table(title=counted(total, "article"), box=box.SIMPLE_HEAD, expand=True)
    table.add_column("id", no_wrap=True, style="cyan")
    if wide:
        table.add_column("publisher", max_width=22, overflow="ellipsis", no_wrap=True)
        table.add_column("original source", max_width=22, overflow="ellipsis", no_wrap=True)
    table.add_column("title" if wide else "title / publisher (original source)", ratio=1, overflow="fold")
    table.add_column("date", no_wrap=True, min_width=10)
    table.add_column("words", justify="right", no_wrap=True)
    table.add_column("tags", justify="right", no_wrap=True)
    for r in rows:
        publisher = safe(outlet_names.get(r.publisher or "", r.publisher))
        original = safe(outlet_names.get(r.original_source or "", r.original_source))
        date = safe(str(r.published_date))
        counts = (Text(str(r.word_count)), Text(str(r.annotations)))
        if wide:
            table.add_row(Text(r.id), publisher, original, safe(r.title), date, *counts)
        else:
            title = safe(r.title)
            title.append("\n")
            title.append_text(Text.assemble(publisher, " (", original, ")", style="dim"))
            table.add_row(Text(r.id), title, date, *counts)
    return table


def outlets_table(outlets: list[Outlet], width: int | None = None) -> RenderableType:
    """The outlet registry, sized to ``width``: words never broken when they fit (owner and state
    affiliation are left out, and named, when the terminal is too narrow for them)."""
    from .tables import Column, ResultTable, rich_table

    def flagged(value: object, field: str) -> str:
        return f"{value if value not in (None, '') else 'unknown'}{UNVERIFIED if field in outlet.unverified else ''}"

    def count(entries: list, field: str) -> str:
        return "unverified" if field in outlet.unverified and not entries else str(len(entries))

    columns = [Column("id", "id"), Column("name", "name"), Column("country", "country"),
               Column("state_affiliation", "state affiliation", optional=1), Column("owner", "owner", optional=2),
               Column("sanctions", "sanctions"), Column("ratings", "ratings")]
    rows = []
    for outlet in outlets:
        rows.append((outlet.id, outlet.name, flagged(outlet.country, "country"),
                     flagged(outlet.state_affiliation.value, "state_affiliation"), flagged(outlet.owner, "owner"),
                     count(outlet.sanctions, "sanctions"), count(outlet.ratings, "ratings")))
    return rich_table(ResultTable("outlets", f"{len(outlets)} outlets", columns, rows), width)


def outlet_card(outlet: Outlet | None, outlet_id: str | None, role: str) -> Panel:
    """The facts about one outlet, for showing beside an article."""
    title = Text(role, style="bold")
    if outlet is None:
        body = Text.assemble(("Outlet: ", "bold"), safe(outlet_id) if outlet_id else UNKNOWN.copy(),
                             ("\nNot in the registry: nothing is known about it yet.", "dim"))
        return Panel(body, title=title, title_align="left", box=box.ROUNDED)
    return Panel(outlet_card_grid(outlet), title=title, title_align="left", box=box.ROUNDED)


def _bullets(items: list[Text]) -> Table:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, style="dim")
    grid.add_column(ratio=1, overflow="fold")
    for item in items:
        grid.add_row("•", item)
    return grid


def _sourced_rows(grid: Table, outlet: Outlet, field: str, entries: list, none_text: str,
                  describe: Callable[[Any], Text]) -> None:
    """One card row listing dated, sourced entries (ratings, sanctions), each marked when unverified."""
    if not entries:
        unverified = field in outlet.unverified
        grid.add_row(Text(field), Text("unverified" if unverified else none_text, style="yellow" if unverified else ""))
        return
    items = []
    for entry in entries:
        item = _marked(describe(entry), not entry.verified)
        if entry.source:
            item.append("\nsource: ", style="dim")
            item.append_text(safe(entry.source, style="dim"))
        items.append(item)
    grid.add_row(Text(field), _bullets(items))


def outlet_card_grid(o: Outlet) -> Table:
    """The outlet card as a two-column grid (field names beside values, wrapped lines
    indented under their value), for the TUI's side panel. Every string is ``safe``."""
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(no_wrap=True, style="bold dim", min_width=9)
    grid.add_column(ratio=1, overflow="fold")
    grid.add_row(Text("name", style="bold dim"), safe(o.name, style="bold"))

    def row(label: str, value: object, field: str) -> None:
        grid.add_row(Text(label), _flagged(value, field in o.unverified))

    row("country", o.country, "country")
    row("owner", o.owner, "owner")
    if o.funding != o.owner or "funding" in o.unverified:
        row("funding", o.funding, "funding")
    else:
        grid.add_row(Text("funding"), Text("the owner", style="dim"))
    row("state link", o.state_affiliation.value, "state_affiliation")
    row("founded", None if o.founded.value is None else str(o.founded), "founded")
    if o.languages or "languages" in o.unverified:
        row("languages", ", ".join(o.languages) or None, "languages")
    _sourced_rows(grid, o, "ratings", o.ratings, "none recorded", lambda r: Text.assemble(
        safe(r.rater), " ", safe(f"({r.scale})", style="dim"), ": ", safe(r.value, style="bold"),
        safe(f", as of {r.as_of}", style="dim")))
    _sourced_rows(grid, o, "sanctions", o.sanctions, "none known", lambda s: Text.assemble(
        safe(str(s.date), style="bold"), " ", safe(s.authority), ": ", safe(s.action)))
    if o.notes:
        grid.add_row(Text("notes"), safe(o.notes, style="dim"))
    return grid


def article_header(article: Article, publisher: Outlet | None, original: Outlet | None) -> Text:
    out = Text()
    if not article.text.startswith(article.title):
        out.append_text(safe(article.title, style="bold"))
        out.append("\n")
    out.append_text(safe(f"{article.id} · published {article.published}", style="dim"))
    _marked(out, "published" in article.unverified)
    out.append("\n")
    out.append("Publisher: ", style="bold dim")
    out.append_text(outlet_label(publisher, article.publisher))
    if article.original_source and article.original_source != article.publisher:
        out.append(" · Original source: ", style="bold dim")
        out.append_text(outlet_label(original, article.original_source))
        _marked(out, "original_source" in article.unverified)
    if article.url:
        out.append("\n")
        out.append_text(safe(article.url, style="dim"))
    return out


def article_view(article: Article, publisher: Outlet | None, original: Outlet | None, width: int) -> RenderableType:
    """The canonical text beside the outlet card(s)."""
    cards: list[RenderableType] = [outlet_card(publisher, article.publisher, "Publisher")]
    if article.original_source and article.original_source != article.publisher:
        role = "Original source" + (UNVERIFIED if "original_source" in article.unverified else "")
        cards.append(outlet_card(original, article.original_source, role))
    body = Group(article_header(article, publisher, original), Text(""), safe(article.text))
    if width < 100:
        return Group(*cards, body)
    grid = Table.grid(expand=True, padding=(0, 2))
    grid.add_column(ratio=3)
    grid.add_column(ratio=2)
    grid.add_row(body, Group(*cards))
    return grid


def tags_table(annotations: list[Annotation], names: Callable[[str], Names], width: int | None) -> RenderableType:
    """An article's live tags: annotator, label name (``names(codebook_id)`` gives the
    codebook's words), quote, voice, note; article-level answers and notes first. Sized
    to ``width`` as the statistics tables are (words are not broken)."""
    from .tables import Column, ResultTable, rich_table

    if not annotations:
        return Text("No tags on this article yet.", style="dim")
    rows = [(a.annotator, names(a.codebook_id).full_label(a.category, a.label),
             a.quote if a.start is not None else "(whole article)", a.attributes.get("voice"), a.note)
            for a in sorted(annotations, key=lambda a: (a.start is not None, a.start or 0, a.end or 0, a.annotator))]
    columns = [Column("annotator", "annotator"), Column("label", "label"), Column("quote", "quote"),
               Column("voice", "voice"), Column("note", "note")]
    return rich_table(ResultTable("tags", counted(len(annotations), "tag"), columns, rows), width)


def suggestions_table(suggestions: list, title: str, width: int | None = None) -> RenderableType:
    """Lexicon suggestions of one article, sized to ``width`` (words never cut)."""
    from .tables import Column, ResultTable, rich_table

    columns = [Column("start", "start", kind="int"), Column("end", "end", kind="int"), Column("text", "text"),
               Column("concept", "concept"), Column("variant", "variant"), Column("alignment", "side", optional=2),
               Column("label", "label", optional=1), Column("voice", "voice", optional=3), Column("why", "why", optional=4)]
    rows = [(s.start, s.end, s.text, s.concept, s.variant, s.alignment, s.label, s.voice,
             s.why + ("" if not s.notes else f" [{', '.join(s.notes)}]")) for s in suggestions]
    heading = f"{counted(len(suggestions), 'suggestion')} in {title}"
    return rich_table(ResultTable("suggestions", heading, columns, rows), width)


def codebook_view(book) -> Group:
    """A codebook, readably: categories, labels with keys, attributes, lexicon."""
    parts: list[RenderableType] = [
        Text.assemble(safe(book.title, style="bold"), "  ", safe(f"{book.id} {book.version}", style="dim")),
    ]
    if book.guidelines:
        parts.append(Panel(safe(book.guidelines.strip()), title="Guidelines", title_align="left"))
    for attribute in book.attributes:
        line = Text.assemble(("Attribute ", "bold"), safe(attribute.name), ": ")
        line.append_text(safe(", ".join(f"{v.id} ({v.name})" for v in attribute.values)))
        parts.append(line)
    for category in book.categories:
        table = Table(title=Text.assemble(safe(category.name, style="bold"),
                                          safe(f"  [{category.id}: {category.kind.value}, {category.cardinality.value}, {category.order.value}]", style="dim")),
                      box=box.SIMPLE_HEAD, title_justify="left", expand=True)
        table.add_column("key", no_wrap=True)
        table.add_column("label", no_wrap=True)
        table.add_column("description", ratio=1)
        for label in category.labels:
            description = safe(label.description)
            if label.example:
                description.append("\ne.g. ", style="dim")
                description.append_text(safe(label.example, style="italic dim"))
            table.add_row(safe(label.key or ""), safe(label.name, style=label.color), description)
        parts.append(table)
        for concept in category.lexicon:
            line = Text.assemble(("  ", ""), safe(concept.concept, style="bold"), ": ")
            for number, variant in enumerate(concept.variants):
                if number:
                    line.append(" | ")
                line.append_text(safe(variant.alignment, style="dim"))
                line.append(" ")
                line.append_text(safe(", ".join(variant.terms + variant.patterns)))
            parts.append(line)
    return Group(*parts)


_HIDDEN_IN_DIFF = {"uuid", "updated", "text_sha256", "prefix", "suffix"}  # bookkeeping, not what a change is about


def _clip(value: object, limit: int = 60) -> str:
    if isinstance(value, dict):
        value = ", ".join(f"{k}={v}" for k, v in value.items()) or "none"
    text = "—" if value is None else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe_change(entry) -> Text:
    """What one history entry (:class:`annotator.store.HistoryEntry`) changed, as ``field: old → new`` lines."""
    before, after = entry.before or {}, entry.after or {}
    if entry.change == "created":
        return Text.assemble("created: ", safe(f"{after.get('category')}/{after.get('label')}"),
                             " ", safe(_clip(after.get("quote") or "(whole article)"), style="italic"))
    if entry.change == "removed":
        return Text.assemble("row deleted: ", safe(f"{before.get('category')}/{before.get('label')}"))
    out = Text()
    if entry.change == "conflict":
        out.append(f"merge conflict ({entry.settled or 'open'}): stored → incoming\n", style="bold yellow")
    fields = [name for name in after if name not in _HIDDEN_IN_DIFF and before.get(name) != after.get(name)]
    for number, name in enumerate(fields or ["updated"]):
        if number:
            out.append("\n")
        old, new = before.get(name), after.get(name)
        if name == "deleted":
            old, new = ("deleted" if old else "live"), ("deleted" if new else "live")
        out.append_text(Text.assemble((f"{name}: ", "dim"), safe(_clip(old)), " → ", safe(_clip(new), style="bold")))
    return out


def history_table(entries: list, ref: str) -> RenderableType:
    """The recorded changes of a tag or of an article's tags, oldest first."""
    if not entries:
        return Text.assemble("No recorded changes for ", safe(ref), ".")
    table = Table(title=Text.assemble(f"{counted(len(entries), 'change')} of ", safe(ref)),
                  box=box.SIMPLE_HEAD, expand=True)
    for name, ratio in (("#", None), ("when", None), ("tag", None), ("who, from", 2), ("change", 3)):
        table.add_column(name, overflow="fold", no_wrap=ratio is None, ratio=ratio)
    for e in entries:
        who = safe(e.who, style="bold") if e.who else Text("unknown (direct SQL)", style="dim")
        if e.source:  # the file's SHA-256 shortened (--json has it whole)
            who.append("\n")
            who.append_text(safe(re.sub(r"(sha256 [0-9a-f]{12})[0-9a-f]{52}", r"\1…", e.source), style="dim"))
        table.add_row(Text(str(e.id), style="cyan"), safe(e.at.replace("+00:00", "Z").replace("T", " ")),
                      safe(e.uuid[:8]), who, describe_change(e))
    return table


def outlet_view(outlet: Outlet, as_of: str | None = None, edited: list[str] | None = None) -> RenderableType:
    """``annotator outlets show``: the outlet card, then its id, names, web domains, sources
    and which fields a user set. Every string is ``safe``."""
    title = Text.assemble(safe(outlet.id, style="bold cyan"), " ", safe(outlet.name, style="bold"))
    if as_of:
        title.append_text(Text.assemble((" as of ", "dim"), safe(as_of, style="bold")))
    more = Table.grid(padding=(0, 1), expand=True)
    more.add_column(no_wrap=True, style="bold dim", min_width=9)
    more.add_column(ratio=1, overflow="fold")
    for field in ("aliases", "domains", "sources", "unverified"):
        values = getattr(outlet, field)
        more.add_row(Text(field), _bullets([safe(v) for v in values]) if values else Text("none", style="dim"))
    if edited:
        more.add_row(Text("set by a user"), safe("all fields" if "*" in edited else ", ".join(edited)))
    return Group(title, outlet_card_grid(outlet), more)


def _fact(value: object) -> str:
    """An outlet's field as stored (JSON) in words: a date as written, a list joined."""
    if isinstance(value, dict) and set(value) == {"value", "approximate"}:
        return str(value["value"] and ("~" if value["approximate"] else "") + value["value"] or "unknown")
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items() if v not in (None, "", [], True))
    if isinstance(value, list):
        return "; ".join(_fact(item) for item in value) or "none"
    return "unknown" if value is None else str(value)


def outlet_history_table(changes: list, outlet_id: str) -> RenderableType:
    """The recorded changes of an outlet (:class:`annotator.outlets.timeline.OutletChange`), oldest first."""
    if not changes:
        return Text.assemble("No recorded changes for ", safe(outlet_id), ".")
    table = Table(title=Text.assemble(f"{len(changes)} change{'s' if len(changes) != 1 else ''} of ", safe(outlet_id)),
                  box=box.SIMPLE_HEAD, expand=True)
    for name, ratio in (("#", None), ("when", None), ("who, from", 2), ("change", 3)):
        table.add_column(name, overflow="fold", no_wrap=ratio is None, ratio=ratio)
    for c in changes:
        who = safe(c.who, style="bold") if c.who else Text("not recorded", style="dim")
        if c.source:
            who.append("\n")
            who.append_text(safe(c.source, style="dim"))
        what = Text(c.change, style="bold")
        if c.effective:
            what.append_text(Text.assemble((" (holds from ", "dim"), safe(c.effective), (")", "dim")))
        before, after = c.before or {}, c.after or {}
        for name in (c.fields if c.change == "changed" else []):
            what.append("\n")
            what.append_text(Text.assemble((f"{name}: ", "dim"), safe(_clip(_fact(before.get(name)))), " → ",
                                           safe(_clip(_fact(after.get(name))), style="bold")))
        table.add_row(Text(str(c.id), style="cyan"), safe(c.at.replace("+00:00", "Z").replace("T", " ")), who, what)
    return table
