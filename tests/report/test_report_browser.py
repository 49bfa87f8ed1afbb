"""The report in a real browser: headless Chromium (Debian's package, /usr/bin/chromium)
opens it with the network off, logs no error, draws every chart, and runs nothing that a
name in the data smuggled in. Skipped when Chromium or Playwright is not installed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import main

from tests.report.hostile_report import build_hostile

CHROMIUM = Path("/usr/bin/chromium")
EXAMPLE = Path(__file__).resolve().parent.parent.parent / "examples" / "demo-annotations.jsonl"

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright's Python client is not installed")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="no Chromium at /usr/bin/chromium (apt install chromium)")


def run(*args: str):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def open_offline(path: Path) -> dict:
    """Open ``path`` offline in headless Chromium: console errors, page errors, requests
    made, dialogs opened, the size of every chart's SVG, and whether a smuggled script ran."""
    seen: dict = {"console": [], "errors": [], "requests": [], "dialogs": []}
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            context = browser.new_context(offline=True, java_script_enabled=True)
            page = context.new_page()
            page.on("console", lambda m: seen["console"].append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: seen["errors"].append(str(e)))
            page.on("request", lambda r: seen["requests"].append(r.url))
            page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
            page.goto(path.resolve().as_uri(), wait_until="load")
            seen["charts"] = page.eval_on_selector_all(
                "figure.chart", "figs => figs.map(f => { const s = f.querySelector('svg');"
                " if (!s) return null; const b = s.getBoundingClientRect();"
                " return [b.width, b.height, s.querySelectorAll('path, rect, text').length]; })")
            seen["pwned"] = page.evaluate("() => window.__pwned === undefined ? null : window.__pwned")
        finally:
            browser.close()
    return seen


def test_the_worked_example_report_opens_offline_with_every_chart_drawn(demo_store, tmp_path):
    demo_store.close()
    run("import-annotations", str(EXAMPLE))
    run("report", "--out", "report.html")
    seen = open_offline(Path("report.html"))
    assert seen["console"] == [] and seen["errors"] == [] and seen["dialogs"] == []
    assert [u for u in seen["requests"] if not u.startswith("file://")] == []
    charts = seen["charts"]
    assert len(charts) >= 10  # 8 concepts, rates, 2 questions, over time, the story, agreement
    assert all(c is not None and c[0] > 100 and c[1] > 50 and c[2] > 5 for c in charts), charts
    # the charts show the worked example's numbers (README): Press TV writes Kiev in its own words
    concept = json.loads(run("stats", "--by", "concept", "--format", "json").output)
    rows = concept["tables"]["concept_variants"]["rows"]
    assert any(r["outlet_id"] == "press-tv" and r["variant"] == "kiev" and r["voice"] == "own" for r in rows)
    assert "Press TV · state-owned" in Path("report.html").read_text(encoding="utf-8")


def test_a_name_with_a_script_in_it_runs_nothing(tmp_path):
    db, codebook = build_hostile(tmp_path / "hostile")
    out = tmp_path / "hostile.html"
    run("--db", db, "--codebook", str(codebook), "report", "--out", str(out), "--adjudicator", "<gold>\"")
    seen = open_offline(out)
    assert seen["pwned"] is None and seen["dialogs"] == []
    assert seen["console"] == [] and seen["errors"] == []
    assert all(c is not None for c in seen["charts"])

