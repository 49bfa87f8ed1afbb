"""`annotator report`: its numbers are those of `stats`, `agreement` and `compare` (the same
functions), every name from the data is escaped, and bad arguments get one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import html as lxml_html

from annotator.cli import main
from annotator.codebook import find_codebook
from annotator.models import PartialDate
from annotator.report import Options, gather
from annotator.report.charts import charts
from annotator.report.html import linked
from annotator.readouts.stats import Counting
from annotator.store import Store
from tests.report_fixture import build
from tests.report.hostile_report import EVIL, build_hostile

from tests.conftest import one_error



def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def stats_json(db: str, *args: str) -> dict:
    result = run("--db", db, "stats", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory) -> str:
    store, _ = build(tmp_path_factory.mktemp("report") / "p")
    store.close()
    return str(store.path)


@pytest.fixture(scope="module")
def page(fixture_db, tmp_path_factory) -> lxml_html.HtmlElement:
    out = tmp_path_factory.mktemp("out") / "report.html"
    result = run("--db", fixture_db, "report", "--out", str(out))
    assert result.exit_code == 0, result.output
    return lxml_html.fromstring(out.read_text(encoding="utf-8"))


def table_rows(page: lxml_html.HtmlElement, section: str, index: int = 0) -> list[list[str]]:
    """The cells of a section's ``index``-th table, as text."""
    table = page.xpath(f'//section[@id="{section}"]//table')[index]
    return [[td.text_content() for td in tr.xpath("td")] for tr in table.xpath(".//tbody/tr")]


def spec_values(spec: dict) -> list[dict]:
    """Every inline data row of a Vega-Lite spec."""
    rows = list(spec.get("data", {}).get("values", []))
    for values in spec.get("datasets", {}).values():
        rows.extend(values)
    return rows


def test_the_page_shows_the_numbers_of_stats_json(fixture_db, page):
    labels = stats_json(fixture_db, "--by", "outlet")["tables"]["labels_by_outlet"]["rows"]
    expected = [[r["outlet"], f"{r['category_name']} › {r['label_name']}", r["voice"], str(r["tags"]),
                 f"{r['per_1000_words']:.2f}"] for r in labels]
    assert [row[:5] for row in table_rows(page, "rates")] == expected
    concepts = stats_json(fixture_db, "--by", "concept")["tables"]["concept_variants"]["rows"]
    expected = [[r["outlet"], r["concept_name"], r["variant_name"], r["alignment"], r["voice"], str(r["tags"]),
                 f"{r['share_in_concept'] * 100:.1f}%"] for r in concepts]
    assert table_rows(page, "variants") == expected
    answers = stats_json(fixture_db, "--by", "answers")["tables"]["answers_by_outlet"]["rows"]
    assert [[row[0], row[2], row[3]] for row in table_rows(page, "answers")] == \
        [[r["outlet"], str(r["articles"]), str(r["answered"])] for r in answers]
    facts = page.xpath('//header//dd/text()')
    assert "ru-ua-framing 1" in facts and any("'gold' left out" in f for f in facts)
    assert fixture_db in facts


@pytest.mark.parametrize("filters", [[], ["--count", "alice"], ["--count", "adjudicated"],
                                     ["--since", "2022-09", "--until", "2025"], ["--story", "s1"]])
def test_report_data_equal_stats_json_under_every_choice(fixture_db, filters):
    store = Store(fixture_db)
    args = dict(zip(filters[::2], filters[1::2]))
    options = Options(Counting.parse(args.get("--count", "all")), args.get("--since"), args.get("--until"),
                      args.get("--story"), draws=50)
    data = gather(store, find_codebook(None), options)
    tables = stats_json(fixture_db, "--by", "outlet,concept,answers", *filters)["tables"]
    assert data.labels.records() == tables["labels_by_outlet"]["rows"]
    assert data.concepts.records() == tables["concept_variants"]["rows"]
    assert data.answers.records() == tables["answers_by_outlet"]["rows"]
    # the charts are drawn from the same rows: the rates heatmap holds every per-1,000-words figure
    rates = next(c for c in charts(data) if c.section == "rates") if data.labels.rows else None
    if rates is not None:
        assert sorted(v["rate"] for v in spec_values(rates.spec)) == \
            sorted(r["per_1000_words"] for r in tables["labels_by_outlet"]["rows"] if r["voice"] == "all")


def test_usage_over_time_is_the_concept_table_of_each_month(fixture_db):
    data = gather(Store(fixture_db), find_codebook(None), Options(concept="capital", draws=0))
    months = sorted({r["month"] for r in data.over_time})
    assert months == ["2022-03", "2022-09", "2025-07"]  # A1, A2 (dated by month only), B1
    for month in months:
        rows = stats_json(fixture_db, "--by", "concept", "--since", month, "--until", month)
        expected = [{"month": month, **r} for r in rows["tables"]["concept_variants"]["rows"]
                    if r["concept"] == "capital" and r["voice"] == "own"]
        assert [r for r in data.over_time if r["month"] == month] == expected


def test_an_article_dated_only_by_year_falls_in_no_month(tmp_path):
    store, ids = build(tmp_path / "p")
    store.edit_article(ids["A2"], {"published": PartialDate(value="2022")}, "lead", None)  # its tags were September's
    data = gather(store, find_codebook(None), Options(concept="capital", draws=0))
    assert sorted({r["month"] for r in data.over_time}) == ["2022-03", "2025-07"]
    # March is A1's alone: alice's own "Kiev" (gold is left out; A2's would make it 2)
    march = [r for r in data.over_time if r["month"] == "2022-03"]
    assert [(r["variant"], r["tags"]) for r in march] == [("kiev", 1)]


def test_agreement_and_stories_equal_agreement_and_compare_json(fixture_db):
    data = gather(Store(fixture_db), find_codebook(None), Options(draws=200))
    alpha = json.loads(run("--db", fixture_db, "agreement", "--format", "json", "--bootstrap", "200").output
                       )["tables"]["alpha"]["rows"]
    assert [(a.item, a.alpha, a.units, a.observed, a.low, a.high) for a in data.alphas] == \
        [(r["item"], r["alpha"], r["units"], r["observed"], r["ci_low"], r["ci_high"]) for r in alpha]  # intervals too
    assert any(a.low is not None for a in data.alphas)
    # gold tagged A1: each annotator's kappa against it is listed
    assert {r["annotator"] for r in data.gold} == {"alice", "bob"}
    for part in data.stories:
        compared = json.loads(run("--db", fixture_db, "compare", part.story, "--format", "json").output)["tables"]
        assert part.terms.records() == compared["story-terms"]["rows"]
        assert part.uses.records() == compared["story-term-uses"]["rows"]
    assert [p.story for p in data.stories] == ["s1", "s2"]


def test_the_page_is_self_contained_and_has_every_chart(fixture_db, page):
    assert not page.xpath("//script | //link | //iframe | //img | //object")
    assert not [u for u in page.xpath("//@src | //@href") if not u.startswith(("#", "http://", "https://"))]
    figures = page.xpath('//figure[@class="chart"]')
    assert len(figures) == len(charts(gather(Store(fixture_db), find_codebook(None), Options(draws=0))))
    assert all(f.xpath(".//*[local-name()='svg']") for f in figures)
    assert page.xpath('//section[@id="outlets"]//article[@id="outlet-alpha-news"]')


def _data_names(spec: object) -> set[str]:
    """The names of the data sources a Vega-Lite spec draws from (anywhere in it)."""
    if isinstance(spec, dict):
        found = {spec["data"]["name"]} if isinstance(spec.get("data"), dict) and "name" in spec["data"] else set()
        return found.union(*(_data_names(v) for k, v in spec.items() if k != "datasets"))
    if isinstance(spec, list):
        return set().union(*(_data_names(v) for v in spec))
    return set()


def test_every_chart_is_a_valid_vega_lite_spec(fixture_db, tmp_path):
    # the report makes its specs without Altair's checks (for speed): the schema is checked here
    import jsonschema
    from altair.vegalite.v6.schema.core import Root

    found = charts(gather(Store(fixture_db), find_codebook(None), Options(draws=50)))
    db, codebook = build_hostile(tmp_path)  # its adjudicator's tags make the chart against gold
    hostile = charts(gather(Store(db), find_codebook(str(codebook)), Options(Counting.parse("all", '<gold>"'), draws=50)))
    assert {c.slug for c in found + hostile} >= {"variants-capital", "tag-rates", "answers-tone", "over-time-capital",
                                                 "story-s1", "agreement", "against-gold"}
    for chart in found + hostile:
        Root.validate(chart.spec)
        named = _data_names(chart.spec)  # every named data source has its rows
        assert named and all(chart.spec["datasets"].get(name) for name in named), (chart.slug, named)
    story = next(c for c in found if c.slug == "story-s1")  # counts of uses: the legend marks whole numbers only
    marks = _legend_values(story.spec)
    assert marks == sorted(set(marks)) and marks[0] == 1 and all(isinstance(v, int) for v in marks)
    broken = {**found[0].spec, "mark": {"type": "not-a-mark"}}
    with pytest.raises(jsonschema.ValidationError):
        Root.validate(broken)


def _legend_values(spec) -> list:
    """Every ``legend.values`` list anywhere in a spec, flattened."""
    if isinstance(spec, dict):
        own = spec.get("legend", {}).get("values", []) if isinstance(spec.get("legend"), dict) else []
        return own + [v for value in spec.values() for v in _legend_values(value)]
    if isinstance(spec, list):
        return [v for value in spec for v in _legend_values(value)]
    return []


# -- hostile names -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    db, codebook = build_hostile(folder)
    out = folder / "report.html"
    result = run("--db", db, "--codebook", str(codebook), "report", "--out", str(out), "--adjudicator", "<gold>\"")
    assert result.exit_code == 0, result.output
    return out


def test_every_name_from_the_data_is_escaped(hostile_report):
    text = hostile_report.read_text(encoding="utf-8")
    page = lxml_html.fromstring(text)
    assert "<script" not in text.lower() and "<img" not in text.lower() and "<i onclick" not in text
    assert not page.xpath("//script | //img | //b[contains(., 'banned')] | //u")
    assert not [a for a in page.xpath("//@*") if a.attrname.lower().startswith("on")]
    assert all(h.startswith(("#", "https://")) for h in page.xpath("//@href"))
    assert "https://example.org/a" in page.xpath("//a/@href")  # the address, without the quote that followed it
    shown = page.text_content()
    assert EVIL in shown  # written as text: the outlet, sanction authority, rater, story, annotator
    assert "javascript:window.__pwned=7" in shown  # a source that is not http(s) stays text
    svg_text = " ".join(t.text_content() for t in page.xpath("//*[local-name()='svg']"))
    assert EVIL[:34] in svg_text  # chart labels too, as text (long ones cut short with "…")
    assert page.xpath('//section[@id="agreement"]//figure[@id="chart-against-gold"]')


@pytest.mark.parametrize("source, address", [
    ("https://en.wikipedia.org/wiki/Daily_Herald_(Arlington_Heights,_Illinois)",  # a shipped outlet's source
     "https://en.wikipedia.org/wiki/Daily_Herald_(Arlington_Heights,_Illinois)"),
    ("Reuters, 2012-01-20: http://uk.reuters.com/article/x.", "http://uk.reuters.com/article/x"),
    ("(see https://example.org/a), then", "https://example.org/a"),
    ("https://example.org/a_(b)_c; https://example.org/(d", "https://example.org/a_(b)_c"),
])
def test_a_source_links_its_whole_address_and_no_more(source, address):
    page = lxml_html.fromstring(f"<p>{linked(source)}</p>")
    assert page.xpath("//a/@href")[0] == address
    assert page.text_content() == source  # nothing of the source lost or added


# -- command line --------------------------------------------------------------------------

def test_charts_folder_gets_one_file_per_chart(fixture_db, tmp_path):
    result = run("--db", fixture_db, "report", "--charts", str(tmp_path / "slides"), "--format", "png")
    assert result.exit_code == 0, result.output
    files = sorted((tmp_path / "slides").iterdir())
    assert files and all(f.read_bytes().startswith(b"\x89PNG\r\n\x1a\n") for f in files)
    assert not (tmp_path / "report.html").exists() and not Path("report.html").exists()
    svg = run("--db", fixture_db, "report", "--charts", str(tmp_path / "svg"), "--out", str(tmp_path / "r.html"))
    assert svg.exit_code == 0
    assert [f.stem for f in sorted((tmp_path / "svg").iterdir())] == [f.stem for f in files]
    assert all(f.read_text(encoding="utf-8").lstrip().startswith("<svg") for f in (tmp_path / "svg").iterdir())
    assert (tmp_path / "r.html").exists()


@pytest.mark.parametrize("args, code, words", [
    (["--format", "png"], 2, "--charts"),
    (["--concept", "nope"], 2, "--concept 'nope'"),
    (["--since", "2022-13"], 2, "--since"),
    (["--count", "zed"], 2, "--count 'zed'"),
    (["--story", "<nope>"], 2, "--story"),
    (["--format", "gif", "--charts", "x"], 2, "gif"),
])
def test_bad_arguments_get_one_line_and_a_nonzero_exit(fixture_db, tmp_path, monkeypatch, args, code, words):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["--db", fixture_db, "report", *args])
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    if words != "gif":  # click's own usage error names the choice
        assert words in one_error(result, code=code)
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_unwritable_targets_fail_without_leaving_files(fixture_db, tmp_path):
    (tmp_path / "a-file").write_text("x")
    charts_on_file = CliRunner().invoke(main, ["--db", fixture_db, "report", "--charts", str(tmp_path / "a-file")])
    assert "is a file" in one_error(charts_on_file, code=2)
    missing_dir = CliRunner().invoke(main, ["--db", fixture_db, "report", "--out", str(tmp_path / "no" / "r.html")])
    assert "cannot write" in one_error(missing_dir, code=1)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]
