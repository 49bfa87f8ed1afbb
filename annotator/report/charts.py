"""The report's charts: Vega-Lite specifications made with Vega-Altair from
:class:`annotator.report.data.ReportData`, drawn to SVG or PNG by vl-convert (no browser,
no network: the data are inline and no URL may be fetched).

Every name shown (outlets, labels, variants, annotators, stories) passes through
:func:`annotator.normalize.printable`, so no control or bidi character reaches a chart;
the SVG renderer escapes the text itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from ..models import StateAffiliation
from ..normalize import printable
from ..readouts.stats import ALL, NO_VOICE

if TYPE_CHECKING:
    import altair as alt

    from .data import ReportData

WIDTH = 520
ROW = 22  # pixels per bar or cell row
ALPHA_BARS = (0.667, 0.8)  # Krippendorff's bars for tentative and firm conclusions
VOICES = ["own", "quoted", "scare-quoted"]  # the default codebook's voices, in its order


@dataclass(frozen=True)
class Chart:
    """One chart: a file-safe ``slug`` (unique in a report), its heading, what it shows, the
    Vega-Lite spec, and where it goes: the page's ``section`` and, for a story, its ``key``."""

    slug: str
    title: str
    caption: str
    spec: dict[str, Any]
    section: str = ""
    key: str = ""


def slug(*parts: str) -> str:
    """A file name part made of letters, digits and hyphens ("Press TV's" -> "press-tv-s")."""
    text = "-".join(re.sub(r"[^a-z0-9]+", "-", p.lower()).strip("-") for p in parts if p)
    return text[:60].strip("-") or "chart"


def _name(value: Any) -> str:
    return printable(str(value)) if value is not None else "unknown"


def _affiliation_order() -> list[str]:
    return [a.value for a in StateAffiliation]


def _in_order(found: list[str], known: list[str]) -> list[str]:
    """``found`` (names as shown) in the codebook's order ``known`` (raw names), others after."""
    rank = {_name(k): i for i, k in enumerate(known)}
    return sorted(dict.fromkeys(found), key=lambda name: rank.get(name, len(rank)))


def _outlet_label(data: ReportData, outlet_id: str | None, name: str | None) -> str:
    """"Press TV · state-owned": an outlet as the charts name it."""
    return f"{_name(name)} · {data.affiliation.get(outlet_id or '', 'unknown')}"


def _outlet_order(data: ReportData, outlet_ids: set[str | None], names: dict[str | None, str]) -> list[str]:
    """Outlet names grouped by state affiliation (in the registry's order), then by name."""
    rank = {a: i for i, a in enumerate(_affiliation_order())}
    return [names[o] for o in sorted(outlet_ids, key=lambda o: (rank.get(data.affiliation.get(o or "", "unknown"), 99),
                                                                 names[o].lower()))]


def charts(data: ReportData) -> list[Chart]:
    """Every chart the data allow, in the page's order."""
    import altair as alt
    from altair.utils.schemapi import debug_mode

    found: list[Chart] = []
    # Altair checks every object against the Vega-Lite schema as it is made ("debug mode"),
    # data rows included: most of the time of making a spec. The specs are checked against
    # the schema in the tests (tests/report/test_report.py) instead.
    with debug_mode(False):
        found.extend(variant_charts(alt, data))
        if (chart := rates_chart(alt, data)) is not None:
            found.append(chart)
        found.extend(answer_charts(alt, data))
        if (chart := over_time_chart(alt, data)) is not None:
            found.append(chart)
        found.extend(story_charts(alt, data))
        if (chart := agreement_chart(alt, data)) is not None:
            found.append(chart)
        if (chart := gold_chart(alt, data)) is not None:
            found.append(chart)
    seen: set[str] = set()
    for i, chart in enumerate(found):  # two concepts or stories may make the same slug
        unique, n = chart.slug, 1
        while unique in seen:
            n += 1
            unique = f"{chart.slug}-{n}"
        seen.add(unique)
        found[i] = replace(chart, slug=unique)
    return found


def _spec(chart: alt.TopLevelMixin, **datasets: list[dict[str, Any]]) -> dict[str, Any]:
    """The chart's Vega-Lite spec, with its data rows added as named ``datasets``: the charts
    name their data (``alt.Data(name="rows")``) so that Altair never walks or copies the rows."""
    spec = chart.configure_view(stroke=None).configure(font="sans-serif").to_dict(validate=False)
    spec["datasets"] = datasets
    return spec


def variant_charts(alt: Any, data: ReportData) -> list[Chart]:
    """Per concept: each variant's share of the concept per outlet, stacked, one column per
    voice (own words, quoted, scare-quoted), outlets grouped by state affiliation."""
    out = []
    rows = data.concepts.records()
    concepts = list(dict.fromkeys(r["concept"] for r in rows))
    for concept in concepts:
        mine = [r for r in rows if r["concept"] == concept]
        voices = _in_order([r["voice"] for r in mine if r["voice"] not in (ALL, NO_VOICE)], VOICES) or [ALL]
        names = {r["outlet_id"]: _outlet_label(data, r["outlet_id"], r["outlet"]) for r in mine}
        values = [{"outlet": names[r["outlet_id"]], "voice": r["voice"], "variant": _name(r["variant_name"]),
                   "side": _name(r["alignment"]), "tags": r["tags"], "share": r["share_in_concept"]}
                  for r in mine if r["voice"] in voices]
        variants = _in_order([v["variant"] for v in values], data.variant_order.get(concept, []))
        for v in values:
            v["rank"] = variants.index(v["variant"])  # stacked in the lexicon's order
        bars = alt.Chart(alt.Data(name="rows")).mark_bar().encode(
            x=alt.X("share:Q", stack="zero", title="share of the concept's tags", axis=alt.Axis(format="%"),
                    scale=alt.Scale(domain=[0, 1])),
            y=alt.Y("outlet:N", sort=_outlet_order(data, set(names), names), title="outlet · state affiliation",
                    axis=alt.Axis(labelLimit=280)),
            color=alt.Color("variant:N", sort=variants, title="variant"),
            order=alt.Order("rank:Q"),
            tooltip=["outlet:N", "voice:N", "variant:N", "side:N", "tags:Q", alt.Tooltip("share:Q", format=".1%")],
        ).properties(width=WIDTH // max(len(voices), 1) - 20, height=ROW * len(names))
        chart = bars.facet(column=alt.Column("voice:N", sort=voices, title="voice"))
        name = _name(mine[0]["concept_name"])
        out.append(Chart(slug("variants", concept), f"Variants of “{name}” per outlet",
                         "Each variant's share of the concept's tags per outlet, in the outlet's own words and "
                         "inside quotations (a quoted source's words), outlets grouped by state affiliation.",
                         _spec(chart, rows=values), "variants"))
    return out


def rates_chart(alt: Any, data: ReportData) -> Chart | None:
    """Tags per 1,000 words per outlet and span label (all voices)."""
    rows = [r for r in data.labels.records() if r["voice"] == ALL]
    if not rows:
        return None
    names = {r["outlet_id"]: _outlet_label(data, r["outlet_id"], r["outlet"]) for r in rows}
    values = [{"outlet": names[r["outlet_id"]], "label": _name(f"{r['category_name']} › {r['label_name']}"),
               "rate": r["per_1000_words"], "tags": r["tags"]} for r in rows]
    labels = list(dict.fromkeys(v["label"] for v in values))
    order = _outlet_order(data, set(names), names)
    base = alt.Chart(alt.Data(name="rows")).encode(
        x=alt.X("label:N", sort=labels, title=None, axis=alt.Axis(labelAngle=-30, labelLimit=220)),
        y=alt.Y("outlet:N", sort=order, title=None))
    cells = base.mark_rect().encode(color=alt.Color("rate:Q", title="per 1,000 words", scale=alt.Scale(scheme="blues")),
                                    tooltip=["outlet:N", "label:N", "tags:Q", alt.Tooltip("rate:Q", format=".2f")])
    text = base.mark_text(fontSize=11).encode(text=alt.Text("rate:Q", format=".1f"))
    chart = (cells + text).properties(width=max(60 * len(labels), 200), height=ROW * len(order))
    return Chart("tag-rates", "Tags per 1,000 words",
                 "Span tags per 1,000 words of the annotated articles, per outlet and label (all voices); outlets "
                 "in order of state affiliation.", _spec(chart, rows=values), "rates")


def answer_charts(alt: Any, data: ReportData) -> list[Chart]:
    """Per article question: how the annotated articles of each outlet were answered."""
    rows = data.answers.records()
    out = []
    for question in dict.fromkeys(r["question"] for r in rows):
        mine = [r for r in rows if r["question"] == question]
        names = {r["outlet_id"]: _outlet_label(data, r["outlet_id"], r["outlet"]) for r in mine}
        values = [{"outlet": names[r["outlet_id"]], "answer": _name(r["answer_name"]), "articles": r["articles"],
                   "answered": r["answered"], "share": r["share"]} for r in mine]
        answers = _in_order([v["answer"] for v in values], data.answer_order.get(question, []))
        for v in values:
            v["rank"] = answers.index(v["answer"])  # stacked in the codebook's order
        chart = alt.Chart(alt.Data(name="rows")).mark_bar().encode(
            x=alt.X("articles:Q", stack="normalize", title="share of the answers given", axis=alt.Axis(format="%")),
            y=alt.Y("outlet:N", sort=_outlet_order(data, set(names), names), title=None),
            color=alt.Color("answer:N", sort=answers, title="answer"),
            order=alt.Order("rank:Q"),
            tooltip=["outlet:N", "answer:N", "articles:Q", "answered:Q", alt.Tooltip("share:Q", format=".1%")],
        ).properties(
            width=WIDTH, height=ROW * len(names))
        title = _name(mine[0]["question_name"])
        out.append(Chart(slug("answers", question), f"{title}: answers per outlet",
                         "Annotated articles given each answer, per outlet (an article annotated by two people "
                         "counts twice).", _spec(chart, rows=values), "answers"))
    return out


def over_time_chart(alt: Any, data: ReportData) -> Chart | None:
    """The chosen concept's variant shares per outlet by month: a line per outlet, a panel per variant."""
    if not data.over_time:
        return None
    values = [{"month": r["month"] + "-01", "outlet": _name(r["outlet"]), "variant": _name(r["variant_name"]),
               "tags": r["tags"], "share": r["share_in_concept"]} for r in data.over_time]
    variants = _in_order([v["variant"] for v in values], data.variant_order.get(data.concept or "", []))
    chart = alt.Chart(alt.Data(name="rows")).mark_line(point=True).encode(
        x=alt.X("month:T", timeUnit="yearmonth", title="month published"),
        y=alt.Y("share:Q", title="share of the concept", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        color=alt.Color("outlet:N", title="outlet"),
        tooltip=[alt.Tooltip("month:T", timeUnit="yearmonth", title="month"), "outlet:N", "variant:N", "tags:Q",
                 alt.Tooltip("share:Q", format=".1%")],
    ).properties(width=WIDTH // min(max(len(variants), 1), 3) - 20, height=180).facet(
        facet=alt.Facet("variant:N", sort=variants, title="variant"), columns=3)
    voice = "in the outlets' own words" if data.concept_voice == "own" else "all voices"
    return Chart(slug("over-time", data.concept or ""), f"“{_name(data.concept_name)}” over time",
                 f"Each variant's share of the concept per outlet and month of publication ({voice}); articles "
                 "dated by year only, or undated, are left out.", _spec(chart, rows=values), "over-time")


def story_charts(alt: Any, data: ReportData) -> list[Chart]:
    """Per story: the concept × article matrix of ``annotator compare``, own words and quoted apart."""
    out = []
    for part in data.stories:
        rows = part.uses.records()
        if not rows:
            continue
        headings = {c.id: _name(c.title) for c in part.terms.columns}
        values = [{"article": headings.get(r["article_id"], _name(r["outlet"])), "term":
                   f"{_name(r['concept_name'])}: {_name(r['variant_name'])}", "voice": r["voice"], "count": r["count"]}
                  for r in rows]
        articles = [headings[c.id] for c in part.terms.columns[2:]]
        base = alt.Chart().encode(
            x=alt.X("article:N", sort=articles, title=None, axis=alt.Axis(labelAngle=-25, labelLimit=200)),
            y=alt.Y("term:N", title=None, axis=alt.Axis(labelLimit=260)))
        cells = base.mark_rect().encode(color=alt.Color("count:Q", scale=alt.Scale(scheme="oranges"), title="uses",
                                                          legend=alt.Legend(format="d", values=_whole_steps(values))),
                                        tooltip=["article:N", "term:N", "voice:N", "count:Q"])
        text = base.mark_text(fontSize=11).encode(text="count:Q")
        terms = len({v["term"] for v in values})
        chart = alt.layer(cells, text, data=alt.Data(name="rows")).properties(
            width=70 * len(articles), height=ROW * terms).facet(column=alt.Column("voice:N", sort=["own", "quoted"],
                                                                                 title="voice"))
        out.append(Chart(slug("story", part.story), f"Story “{_name(part.story)}”: terms per outlet",
                         "How often each article of the story uses each variant (found by the codebook's lexicon), "
                         "in its own words and inside quotations, as `annotator compare` counts them.",
                         _spec(chart, rows=values), "stories", part.story))
    return out


def agreement_chart(alt: Any, data: ReportData) -> Chart | None:
    """Alpha per question and span label with its 95% bootstrap interval, and Krippendorff's bars."""
    values = [{"item": _name(a.title), "kind": a.kind, "alpha": a.alpha, "low": a.low, "high": a.high,
               "units": a.units} for a in data.alphas if a.alpha is not None]
    if not values:
        return None
    order = [v["item"] for v in values]
    lowest = min(min(v["low"] if v["low"] is not None else v["alpha"] for v in values), 0.0)
    x = alt.X("alpha:Q", scale=alt.Scale(domain=[max(lowest, -1.0), 1.0]), title="Krippendorff's alpha")
    base = alt.Chart(alt.Data(name="rows")).encode(y=alt.Y("item:N", sort=order, title=None,
                                                             axis=alt.Axis(labelLimit=280)))
    whiskers = base.mark_rule().encode(x=alt.X("low:Q", scale=alt.Scale(domain=[max(lowest, -1.0), 1.0]),
                                               title="Krippendorff's alpha"), x2="high:Q")
    points = base.mark_point(filled=True, size=70).encode(
        x=x, color=alt.Color("kind:N", title="kind"),
        tooltip=["item:N", "kind:N", alt.Tooltip("alpha:Q", format=".3f"), alt.Tooltip("low:Q", format=".3f"),
                 alt.Tooltip("high:Q", format=".3f"), "units:Q"])
    bars = alt.Chart(alt.Data(name="bars")).mark_rule(strokeDash=[4, 4], color="#888").encode(
        x="bar:Q")
    chart = (whiskers + points + bars).properties(width=WIDTH, height=ROW * len(values))
    return Chart("agreement", "Agreement per question and label",
                 "Krippendorff's alpha (dot) with its 95% bootstrap interval (line: articles resampled 1,000 times); "
                 "dashed: 0.667 and 0.8, Krippendorff's bars for tentative and firm conclusions.",
                 _spec(chart, rows=values, bars=[{"bar": b} for b in ALPHA_BARS]),
                 "agreement")


def gold_chart(alt: Any, data: ReportData) -> Chart | None:
    """Cohen's kappa of each annotator against the adjudicator, per question and label."""
    values = [{"annotator": _name(r["annotator"]), "item": _name(r["item_name"]), "kappa": r["kappa"],
               "units": r["units"]} for r in data.gold if r["kappa"] is not None]
    if not values:
        return None
    base = alt.Chart(alt.Data(name="rows")).encode(x=alt.X("item:N", title=None, axis=alt.Axis(labelAngle=-30)),
                                                     y=alt.Y("annotator:N", title=None))
    cells = base.mark_rect().encode(color=alt.Color("kappa:Q", scale=alt.Scale(scheme="redyellowgreen", domain=[-1, 1])),
                                    tooltip=["annotator:N", "item:N", alt.Tooltip("kappa:Q", format=".3f"), "units:Q"])
    chart = (cells + base.mark_text(fontSize=11).encode(text=alt.Text("kappa:Q", format=".2f"))).properties(
        height=ROW * len({v["annotator"] for v in values}))
    return Chart("against-gold", "Each annotator against the adjudicator",
                 "Cohen's kappa of each annotator's answers and labels against the adjudicator's.",
                 _spec(chart, rows=values), "gold")


def vega_lite_version() -> str:
    """The Vega-Lite version Altair writes ("6.4"), for vl-convert."""
    import altair as alt

    return ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])


def to_svg(chart: Chart) -> str:
    """The chart drawn as SVG (no URL may be fetched)."""
    import vl_convert

    return vl_convert.vegalite_to_svg(chart.spec, vl_version=vega_lite_version(), allowed_base_urls=[])


def to_png(chart: Chart, scale: float = 2.0) -> bytes:
    """The chart drawn as PNG, at ``scale`` times its size (sharp on slides)."""
    import vl_convert

    return vl_convert.vegalite_to_png(chart.spec, vl_version=vega_lite_version(), scale=scale, allowed_base_urls=[])


def _whole_steps(values: list[dict[str, Any]]) -> list[int]:
    """The legend's marks for counts: whole numbers only, at most about seven of them."""
    top = max((v["count"] for v in values), default=1)
    step = max(1, -(-top // 6))
    return list(range(1, top + 1, step)) + ([top] if (top - 1) % step else [])
