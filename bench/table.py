"""The results as a Markdown table (``bench/results.md``)."""

from __future__ import annotations

import statistics


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "articles/s":
        return f"{value:,.0f}"
    if unit == "MB":
        return f"{value:,.1f}"
    if unit == "s":
        return f"{value:.3g}" if value < 10 else f"{value:.1f}"
    return f"{value:.1f}" if value < 100 else f"{value:,.0f}"


def _versus(figure: dict) -> str:
    versus = figure.get("versus_floor")
    if versus is None:
        return "—"
    if figure["compare"] == "difference":
        return f"{versus:+.1f} MB"
    return f"{versus:.2f}×"


def markdown(results: dict) -> str:
    m, v, p, d = results["machine"], results["versions"], results["parameters"], results["database"]
    has_before = any("before" in f for f in results["figures"])
    lines = [
        "# Benchmark results",
        "",
        f"`{results['command']}` — {results['generated']}, {results['seconds']:.0f} s in all.",
        "",
        f"**Machine**: {m.get('cpu')}, {m.get('cores')} cores, {m.get('ram_gb')} GB RAM, {m.get('os')}; "
        f"load average {m.get('load_at_start')} at start, {m.get('load_at_end')} at end.  ",
        f"**Versions**: Python {v['python']}, SQLite {v['sqlite']}, Textual {v['textual']}, rich {v['rich']}, "
        f"sqlite-utils {v['sqlite-utils']}, pydantic {v['pydantic']}, annotator {v['annotator']}.  ",
        f"**Data**: {d['articles']:,} articles, {d['annotations']:,} tags ({d.get('deleted', 0):,} soft-deleted) by "
        f"{d['annotators']} annotators in {d.get('units', 0):,} (article, annotator) units, seed {d['seed']}, "
        f"database {d.get('database_mb')} MB, corpus {d.get('corpus_mb')} MB; content digest `{d['fingerprint'][:16]}`.  ",
        f"**Runs**: {p['runs']} (import: {p['import_runs']} of {p['import_articles']:,} articles); "
        f"TUI {p['terminal']}, {p['moves']} moves and {p['tag_presses']} tags per run as {p['annotator']}.",
        "",
        "Value and floor are medians over the runs; spread is the lowest and highest run. "
        "Each run measures the figure and then its floor.",
        "",
    ]
    head = ["Figure", "Value", "Spread", "Floor", "Floor spread", "vs floor", "Goal", "Met"]
    if has_before:
        head.insert(1, "Before")
    lines.append("| " + " | ".join(head) + " |")
    lines.append("|" + "---|" * len(head))
    notes = []
    for f in results["figures"]:
        unit = f["unit"]
        if f["status"] != "ok":
            value = spread = f["status"]
            met = "—"
        else:
            value = f"{_number(f['value'], unit)} {unit}"
            spread = "–".join(_number(x, unit) for x in f["spread"]) if f["spread"] else "—"
            met = {True: "✅ yes", False: "❌ no", None: "—"}[f["met"]]
        floor = f"{_number(f['floor'], unit)} {unit}" if f["floor"] is not None else "—"
        floor_spread = "–".join(_number(x, unit) for x in f["floor_spread"]) if f["floor_spread"] else "—"
        row = [f["name"], value, spread, floor, floor_spread, _versus(f), f["goal"], met]
        if has_before:
            before = f.get("before")
            row.insert(1, f"{_number(before['value'], unit)} {unit} ({_versus({**f, **before})})" if before else "—")
        lines.append("| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |")
        if f["note"]:
            notes.append(f"* **{f['name']}**: {f['note']}")
    if has_before:
        sources = sorted({f["before"]["source"] for f in results["figures"] if "before" in f})
        lines += ["", f"Before: the same figure from {', '.join(f'`{x}`' for x in sources)}, for the figures "
                      "that were changed (see the notes below the table)."]
    lines += ["", "Floors:", ""]
    lines += [f"* **{f['name']}**: {f['floor_name']}" for f in results["figures"]]
    if notes:
        lines += ["", "Notes:", ""] + notes
    tui = results["details"]["tui"]
    if tui:
        keys = ("interpreter_s", "imports_s", "constructed_s", "first_frame_s", "first_article_s")
        medians = {k: statistics.median(t[k] for t in tui) for k in keys if all(k in t for t in tui)}
        bare = results["details"]["bare"]
        lines += ["", "TUI start, medians from process start (s): "
                  + ", ".join(f"{k.removesuffix('_s')} {v:.3f}" for k, v in medians.items())
                  + (f"; bare app: imports {statistics.median(b['imports_s'] for b in bare):.3f}, first frame "
                     f"{statistics.median(b['first_frame_s'] for b in bare):.3f}" if bare else "") + "."]
    return "\n".join(lines) + "\n"
