"""Cost per action as the corpus grows: the same figures at several sizes.

    python bench/scale.py --sizes 10000,100000,300000 --runs 3 --out bench/scale

At each size (articles, with ten times as many tags: the synthetic project of
``bench/run.py``, built once and cached), ``--runs`` runs of: next article (p50 and p95
over 20 moves) and tag committed (median over 10 tags) in the TUI (``bench/probes.py
tui``); ``annotator stats``; ``annotator export --format csv``. Writes ``OUT.md`` (a table
per figure: each size's median and spread, and how it grew from the size before) and
``OUT.json``. Per-action figures (next article, tag commit) should stay flat; whole-corpus
ones (stats, export) should grow linearly, so their cost per tag stays flat.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from datetime import datetime, timezone
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from common import CLI, percentile, probe, run  # noqa: E402

# (id, name, unit, kind): per action (flat) or whole corpus (linear: also shown per 1,000 tags)
FIGURES = [("next_p50", "next article, p50", "ms", "action"), ("next_p95", "next article, p95", "ms", "action"),
           ("tag_commit", "tag committed, median", "ms", "action"),
           ("stats", "annotator stats", "s", "corpus"), ("export_csv", "annotator export --format csv", "s", "corpus")]
GROWS_TOO_FAST = 1.5  # a per-action figure (or a whole-corpus one per tag) that grows more than this: flagged


def measure(db: Path, tags: int, runs: int, work: Path, env: dict[str, str]) -> dict[str, list[float]]:
    found: dict[str, list[float]] = {figure_id: [] for figure_id, *_ in FIGURES}
    for _ in range(runs):
        tui = probe("tui", str(db), "--moves", "20", "--tags", "10", cwd=work, env=env)
        found["next_p50"].append(percentile(tui["next_ms"], 0.5))
        found["next_p95"].append(percentile(tui["next_ms"], 0.95))
        found["tag_commit"].append(statistics.median(tui["commit_ms"]))
        found["stats"].append(run([*CLI, "--db", str(db), "stats", "--format", "csv", "--out", str(work / "s.csv")],
                                  work, env).seconds)
        found["export_csv"].append(run([*CLI, "--db", str(db), "export", "--format", "csv", "--out",
                                        str(work / "e.csv")], work, env).seconds)
    return found


def markdown(results: dict) -> str:
    sizes = results["sizes"]
    lines = ["## Cost as the corpus grows", "",
             f"`{results['command']}` — {results['generated']}; load average at start {results['load_at_start']}. "
             f"Median of {results['runs']} runs (spread: lowest–highest); \"growth\": the median over the size "
             "before's (per-action figures should stay near 1×; whole-corpus ones near the growth of the corpus, "
             "so their cost per 1,000 tags stays near 1×).", ""]
    head = ["figure"] + [f"{s['articles']:,} articles / {s['tags']:,} tags" for s in sizes]
    lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    flagged = []
    for figure_id, name, unit, kind in FIGURES:
        for per_tag in ((False, True) if kind == "corpus" else (False,)):
            cells, previous = [name + (" per 1,000 tags" if per_tag else "")], None
            for size in sizes:
                values = size["figures"][figure_id]
                scale = 1000 / size["tags"] if per_tag else 1
                unit_shown = "ms" if per_tag else unit
                factor = 1000 if per_tag and unit == "s" else 1
                value = statistics.median(values) * scale * factor
                low, high = min(values) * scale * factor, max(values) * scale * factor
                cell = f"{value:.3g} {unit_shown} ({low:.3g}–{high:.3g})"
                if previous is not None:
                    growth = value / previous
                    cell += f", {growth:.2f}×"
                    if (kind == "action" or per_tag) and growth > GROWS_TOO_FAST:
                        flagged.append(f"{name}{' per tag' if per_tag else ''} grew {growth:.2f}× "
                                       f"to {size['articles']:,} articles")
                previous = value
                cells.append(cell)
            lines.append("| " + " | ".join(cells) + " |")
    lines += ["", ("Grew faster than it should: " + "; ".join(flagged) + " (see the notes).") if flagged
              else "No per-action figure, and no whole-corpus figure per tag, grew more than "
                   f"{GROWS_TOO_FAST}× from one size to the next."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    import run as bench_run

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000,300000", help="articles at each size (tags: ten times)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cache", type=Path, default=BENCH / ".cache")
    parser.add_argument("--out", type=Path, default=BENCH / "scale")
    parser.add_argument("--render", type=Path, metavar="SCALE.json", help="only write the table again")
    args = parser.parse_args(argv)
    if args.render:
        results = json.loads(args.render.read_text())
        args.out = args.render.with_suffix("")
    else:
        bench = bench_run.Bench(bench_run.parse_args(["--cache", str(args.cache), "--quiet"]))
        results = {"generated": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
                   "command": "python bench/scale.py " + " ".join(sys.argv[1:] if argv is None else argv),
                   "load_at_start": [round(x, 2) for x in os.getloadavg()], "runs": args.runs, "sizes": []}
        for articles in (int(s) for s in args.sizes.split(",")):
            db, _, summary = bench_run.project(args.cache, articles, articles * 10, 20, 1, False, bench.log)
            results["sizes"].append({"articles": summary["articles"], "tags": summary["annotations"],
                                     "figures": measure(db, summary["annotations"], args.runs, bench.work, bench.env),
                                     "load": [round(x, 2) for x in os.getloadavg()]})
        import shutil

        shutil.rmtree(bench.work, ignore_errors=True)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        Path(f"{args.out}.json").write_text(json.dumps(results, indent=2) + "\n")
    Path(f"{args.out}.md").write_text(markdown(results))
    print(markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
