"""The report page: one self-contained HTML file (inline CSS and SVG; no script, no font or
image to fetch), so it opens offline and can be sent as an attachment.

Every string from the data (outlet fields, labels, annotator names, story ids, notes) goes
through :func:`annotator.normalize.printable` and :func:`html.escape` (quotes too); links
are made only from ``http(s)://`` addresses.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..normalize import printable
from ..readouts.tables import Column, ResultTable, display_cells, shown_columns

if TYPE_CHECKING:
    from ..models import Outlet
    from .charts import Chart
    from .data import ReportData

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem auto; max-width: 1100px;
       padding: 0 1rem; color: #222; line-height: 1.45; }
h1 { margin-bottom: .2rem; } h2 { border-bottom: 1px solid #ddd; padding-bottom: .2rem; margin-top: 2.5rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; background: #f6f6f6;
           padding: .8rem 1rem; border-radius: 6px; }
dl.facts dt { font-weight: 600; } dl.facts dd { margin: 0; }
figure.chart { margin: 1.5rem 0; overflow-x: auto; } figure.chart svg { max-width: 100%; height: auto; }
figcaption { color: #555; font-size: .92rem; margin: .3rem 0; } figcaption b { color: #222; font-size: 1rem; }
table { border-collapse: collapse; font-size: .88rem; margin: .5rem 0 1rem; }
th, td { border: 1px solid #ddd; padding: .2rem .5rem; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; } th { background: #f0f0f0; }
details summary { cursor: pointer; color: #2471a3; } p.note { color: #555; font-size: .9rem; }
article.outlet { border: 1px solid #ddd; border-radius: 6px; padding: .4rem 1rem; margin: .8rem 0; }
.unverified { color: #a66a00; font-size: .85rem; } nav ul { columns: 2; }
"""

SECTIONS = [("variants", "Term variants per outlet"), ("rates", "Tags per 1,000 words"),
            ("answers", "Article questions"), ("over-time", "Usage over time"), ("stories", "Stories across outlets"),
            ("agreement", "Agreement between annotators"), ("outlets", "Appendix: the outlets")]


def esc(value: Any) -> str:
    """Text from the data as HTML text or attribute value: controls shown as escapes, markup escaped."""
    return html.escape(printable("" if value is None else str(value)), quote=True)


_URL_CHAR = r"""[^\s<>"'()\[\]]"""
_URL_PARENS = r"\(" + _URL_CHAR + r"*\)"  # a balanced pair belongs to the address: Daily_Herald_(Arlington_Heights,_Illinois)
URL = re.compile(rf"""https?://(?:{_URL_CHAR}|{_URL_PARENS})*(?:[^\s<>"'()\[\].,;:!?]|{_URL_PARENS})""", re.IGNORECASE)


def linked(text: str | None) -> str:
    """Text (a source: "Reuters, 2012-01-20: http://...") escaped, with each ``http(s)://``
    address in it made a link; nothing else (``javascript:``, ``data:``) ever becomes one."""
    if not text:
        return ""
    clean = printable(text)
    out, at = [], 0
    for match in URL.finditer(clean):
        out.append(html.escape(clean[at:match.start()], quote=True))
        url = html.escape(match.group(), quote=True)
        out.append(f'<a href="{url}" rel="noopener noreferrer">{url}</a>')
        at = match.end()
    out.append(html.escape(clean[at:], quote=True))
    return "".join(out)


def outlet_anchor(outlet_id: str | None) -> str:
    """The appendix anchor of an outlet (its id is a slug; anything else is escaped)."""
    return "outlet-" + esc(outlet_id or "unknown")


def table_html(table: ResultTable, outlet_links: bool = True) -> str:
    """A result table as the terminal shows it (names, not ids); outlet names link to the appendix."""
    if not table.rows:
        return '<p class="note">nothing to count yet</p>'
    shown = shown_columns(table)
    ids = [c.id for c in table.columns]
    outlet_id_at = ids.index("outlet_id") if "outlet_id" in ids and outlet_links else None
    head = "".join(f"<th>{esc(table.columns[i].title)}</th>" for i in shown)
    body = []
    for row, cells in zip(table.rows, display_cells(table, shown)):
        tds = []
        for i, cell in zip(shown, cells):
            column = table.columns[i]
            text = esc(cell)
            if column.id == "outlet" and outlet_id_at is not None:
                text = f'<a href="#{outlet_anchor(row[outlet_id_at])}">{text}</a>'
            kind = ' class="num"' if column.kind in ("int", "float", "share") else ""
            tds.append(f"<td{kind}>{text}</td>")
        body.append("<tr>" + "".join(tds) + "</tr>")
    notes = "".join(f'<p class="note">{esc(n)}</p>' for n in table.notes)
    return f"{notes}<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def figure(chart: Chart, svg: str, numbers: str = "") -> str:
    """A chart with its heading and caption, and the numbers behind it folded away."""
    details = f"<details><summary>the numbers</summary>{numbers}</details>" if numbers else ""
    return (f'<figure class="chart" id="chart-{esc(chart.slug)}"><figcaption><b>{esc(chart.title)}</b><br>'
            f"{esc(chart.caption)}</figcaption>{svg}</figure>{details}")


def _rows_table(name: str, title: str, columns: list[Column], rows: Iterable[tuple]) -> ResultTable:
    return ResultTable(name, title, columns, list(rows))


def alpha_table(data: ReportData) -> ResultTable:
    """Alpha per item with its interval, as shown under the agreement chart."""
    return _rows_table("alpha", "Krippendorff's alpha", [
        Column("item_name", "question or label"), Column("kind", "kind"), Column("level", "level"),
        Column("alpha", "alpha", "float", 3), Column("low", "95% from", "float", 3), Column("high", "to", "float", 3),
        Column("units", "units", "int"), Column("observed", "agree", "share"), Column("note", "note")],
        ((a.title, a.kind, a.level, a.alpha, a.low, a.high, a.units, a.observed, a.note) for a in data.alphas))


def gold_table(data: ReportData) -> ResultTable:
    return _rows_table("gold", "Against the adjudicator", [
        Column("annotator", "annotator"), Column("item_name", "question or label"), Column("kappa", "kappa", "float", 3),
        Column("units", "units", "int"), Column("observed", "agree", "share"), Column("note", "note")],
        ((r["annotator"], r["item_name"], r["kappa"], r["units"], r["observed"], r["note"]) for r in data.gold))


def outlet_card(outlet: Outlet) -> str:
    """An outlet's facts for the appendix: owner, funding, state affiliation, sanctions and
    ratings with their sources; fields the registry could not verify are marked."""

    def flagged(field: str, value: Any) -> str:
        mark = ' <span class="unverified">(unverified)</span>' if field in outlet.unverified else ""
        return (esc(value) if value not in (None, "") else "unknown") + mark

    def sourced(entries: list, field: str, none: str, describe: Any) -> str:
        if not entries:
            return flagged(field, none)
        items = []
        for e in entries:
            source = f" — source: {linked(e.source)}" if e.source else ""
            mark = ' <span class="unverified">(unverified)</span>' if not e.verified else ""
            items.append(f"<li>{describe(e)}{mark}{source}</li>")
        return f"<ul>{''.join(items)}</ul>"

    facts = [("country", flagged("country", outlet.country)), ("owner", flagged("owner", outlet.owner)),
             ("funding", flagged("funding", outlet.funding)),
             ("state affiliation", flagged("state_affiliation", outlet.state_affiliation.value)),
             ("sanctions", sourced(outlet.sanctions, "sanctions", "none known",
                                   lambda s: f"{esc(s.date)} {esc(s.authority)}: {esc(s.action)}")),
             ("ratings", sourced(outlet.ratings, "ratings", "none recorded",
                                 lambda r: f"{esc(r.rater)} ({esc(r.scale)}): <b>{esc(r.value)}</b>, as of {esc(r.as_of)}"))]
    if outlet.sources:
        facts.append(("sources", " · ".join(linked(s) for s in outlet.sources)))
    rows = "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in facts)
    return (f'<article class="outlet" id="{outlet_anchor(outlet.id)}"><h3>{esc(outlet.name)}</h3>'
            f'<dl class="facts">{rows}</dl></article>')


def page(data: ReportData, drawn: list[tuple[Chart, str]]) -> str:
    """The whole report page from the data and the charts drawn as SVG."""
    def figures(section: str, numbers: str = "") -> str:
        found = [figure(c, svg) for c, svg in drawn if c.section == section]
        return "".join(found) + (f"<details><summary>the numbers</summary>{numbers}</details>" if numbers else "") \
            if found else '<p class="note">nothing to chart in this selection</p>'

    parts = [f"<header><h1>Framing report</h1><dl class=\"facts\">{_facts(data)}</dl></header>", _contents()]
    parts.append(_section("variants", figures("variants", table_html(data.concepts))))
    parts.append(_section("rates", figures("rates", table_html(data.labels))))
    parts.append(_section("answers", figures("answers", table_html(data.answers))))
    over_time = f'<p class="note">concept followed: {esc(data.concept_name or "none")} (choose with --concept)</p>'
    parts.append(_section("over-time", over_time + figures("over-time")))
    parts.append(_section("stories", _stories(data, {c.key: (c, svg) for c, svg in drawn if c.section == "stories"})))
    gold = (f'<p class="note">{esc(data.gold_note)}</p>' + (figures("gold", table_html(gold_table(data)))
                                                             if data.gold else ""))
    parts.append(_section("agreement", figures("agreement", table_html(alpha_table(data))) + gold))
    cards = "".join(outlet_card(o) for o in data.outlets)
    missing = sorted(set(data.affiliation) - {o.id for o in data.outlets})
    cards += "".join(f'<article class="outlet" id="{outlet_anchor(m)}"><h3>{esc(m)}</h3><p>not in the registry: '
                     "nothing is known about it yet</p></article>" for m in missing)
    parts.append(_section("outlets", cards or '<p class="note">no outlet in this selection</p>'))
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>Framing report — {esc(data.facts.get('codebook', ''))}</title><style>{STYLE}</style></head>"
            f"<body>{''.join(parts)}</body></html>\n")


def _facts(data: ReportData) -> str:
    names = {"database": "database", "codebook": "codebook (version)", "counting": "whose tags count",
             "outlet": "outlet", "story": "story", "published": "published", "made": "made"}
    facts = dict(data.facts)
    if "story" not in facts and "published" not in facts:
        facts["filters"] = "none: every article with annotations"
    return "".join(f"<dt>{esc(names.get(k, k))}</dt><dd>{esc(v)}</dd>" for k, v in facts.items())


def _contents() -> str:
    return "<nav><ul>" + "".join(f'<li><a href="#{key}">{title}</a></li>' for key, title in SECTIONS) + "</ul></nav>"


def _section(key: str, body: str) -> str:
    title = dict(SECTIONS)[key]
    return f'<section id="{key}"><h2>{title}</h2>{body}</section>'


def _stories(data: ReportData, by_story: dict[str, tuple[Chart, str]]) -> str:
    if not data.stories:
        return ('<p class="note">no story with annotated articles in this selection (stories are given at import: '
                'story: ID)</p>')
    out = []
    for part in data.stories:
        drawn = by_story.get(part.story)
        chart = figure(*drawn) if drawn else ""
        out.append(f"<h3>{esc(part.story)}</h3>{chart}{table_html(part.terms, False)}{table_html(part.answers, False)}")
    if data.stories_left_out:
        out.append(f'<p class="note">{data.stories_left_out} more stor{"y" if data.stories_left_out == 1 else "ies"} '
                   "left out: choose one with --story, or raise --max-stories</p>")
    return "".join(out)
