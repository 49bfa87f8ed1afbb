"""Every benchmark in one command, each figure beside its floor and goal.

    python bench/run.py --articles 100000 --tags 1000000 --runs 5 --out bench/results

builds (or reuses, keyed by its parameters) a synthetic project (``bench/synth.py``),
measures every figure ``--runs`` times, each run measuring the figure and its floor
one after the other, and writes ``OUT.md`` and ``OUT.json``: the machine, the
versions, and per figure the median, the spread (min-max over the runs), the floor
measured in the same runs, the ratio to it, the goal and whether it is met. See
``bench/README.md`` for what each figure and floor is.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

import synth  # noqa: E402

from common import CLI, NOT_AVAILABLE, PROBES, Figure, Ran, _last_line, percentile, probe, run  # noqa: E402
from table import markdown  # noqa: E402
from team import GROUPS, TeamMeasures, merge_pair, team_figures  # noqa: E402
from writes import WriteMeasures  # noqa: E402


# -- running things -----------------------------------------------------------------------


# -- machine and versions -------------------------------------------------------------------


def machine() -> dict[str, Any]:
    info: dict[str, Any] = {"os": platform.platform(), "cores": os.cpu_count()}
    try:
        cpu = Path("/proc/cpuinfo").read_text()
        info["cpu"] = next((l.split(":", 1)[1].strip() for l in cpu.splitlines() if l.startswith("model name")),
                           platform.processor() or platform.machine())
    except OSError:
        info["cpu"] = platform.processor() or platform.machine()
    try:
        mem = Path("/proc/meminfo").read_text()
        kb = int(next(l.split()[1] for l in mem.splitlines() if l.startswith("MemTotal")))
        info["ram_gb"] = round(kb / 1048576, 1)
    except (OSError, StopIteration):
        info["ram_gb"] = None
    try:
        info["load_at_start"] = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        pass
    return info


def versions() -> dict[str, Any]:
    found: dict[str, Any] = {"python": platform.python_version(), "sqlite": sqlite3.sqlite_version}
    for package in ("textual", "rich", "sqlite-utils", "pydantic", "click"):
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = None
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                                check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True).stdout.strip()
        found["annotator"] = commit + (" (with uncommitted changes)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        found["annotator"] = None
    return found


# -- the synthetic project -------------------------------------------------------------------


def project(cache: Path, articles: int, tags: int, annotators: int, seed: int, rebuild: bool, log) -> tuple[Path, Path, dict]:
    """The database and corpus for these parameters, built once and reused (also keyed by
    the generator's version and the database schema a new store gets)."""
    cache.mkdir(parents=True, exist_ok=True)
    key = f"a{articles}-t{tags}-k{annotators}-s{seed}-g{synth.GENERATOR_VERSION}-{schema_digest()[:10]}"
    db, corpus, meta = cache / f"synth-{key}.db", cache / f"corpus-a{articles}-s{seed}-g{synth.GENERATOR_VERSION}.jsonl", \
        cache / f"synth-{key}.json"
    if not rebuild and not (db.exists() and meta.exists()):
        migrate_older_build(cache, key, db, meta, log)
    if rebuild or not (db.exists() and meta.exists()):
        meta.unlink(missing_ok=True)
        if rebuild:
            corpus.unlink(missing_ok=True)
        log(f"building {db.name} (takes a while at full scale)")
        started = time.perf_counter()
        # in a process of its own: this one stays small, so the programs it starts are measured alone
        built = subprocess.run([sys.executable, str(BENCH / "synth.py"), "database", str(db), "--articles", str(articles),
                                "--tags", str(tags), "--annotators", str(annotators), "--seed", str(seed),
                                "--corpus", str(corpus)], capture_output=True, text=True)
        for line in built.stderr.splitlines():
            log(line)
        if built.returncode != 0:
            raise RuntimeError(f"building the synthetic project failed (exit {built.returncode})")
        summary = json.loads(built.stdout)
        summary["build_seconds"] = round(time.perf_counter() - started, 1)
        meta.write_text(json.dumps(summary, indent=2))
    summary = json.loads(meta.read_text())
    summary["database_mb"] = round(db.stat().st_size / 1048576)
    summary["corpus_mb"] = round(corpus.stat().st_size / 1048576)
    return db, corpus, summary


def migrate_older_build(cache: Path, key: str, db: Path, meta: Path, log) -> None:
    """After a schema change, a copy of the same project built under an older schema,
    migrated by the store the way a user's database is, instead of a new build (minutes at
    full scale). Kept only when the migrated schema is exactly a new database's; the
    content digest is taken again (the migration may add columns)."""
    same_project = key.rsplit("-", 1)[0]
    older = sorted((p for p in cache.glob(f"synth-{same_project}-*.db")
                    if p != db and p.with_suffix(".json").exists()), key=lambda p: p.stat().st_mtime)
    if not older:
        return
    source = older[-1]
    log(f"migrating a copy of {source.name} to the current schema")
    from annotator.store import Store

    scratch = db.with_suffix(".migrating")
    shutil.copyfile(source, scratch)
    try:
        store = Store(scratch)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        store.close()
        if schema_rows(scratch) != new_schema_rows():
            log("the migrated schema differs from a new database's: building instead")
            return
        summary = json.loads(source.with_suffix(".json").read_text())
        summary["fingerprint"] = synth.fingerprint(scratch)
        summary["migrated_from"] = source.name
        scratch.replace(db)
        meta.write_text(json.dumps(summary, indent=2))
    finally:
        for leftover in (scratch, Path(f"{scratch}-wal"), Path(f"{scratch}-shm")):
            leftover.unlink(missing_ok=True)


def schema_rows(path: Path) -> list[tuple]:
    """Every table, index, trigger and view of a database, as SQLite keeps them."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_stat%' "
                            "ORDER BY type, name").fetchall()
    finally:
        conn.close()


def new_schema_rows() -> list[tuple]:
    """:func:`schema_rows` of a new database."""
    from annotator.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        Store(Path(tmp) / "schema.db").close()
        return schema_rows(Path(tmp) / "schema.db")


def schema_digest() -> str:
    """A digest of the schema (tables, indices, triggers, views) of a new database."""
    import hashlib

    from annotator.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "schema.db")
        rows = store.db.conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY type, name").fetchall()
        version = store.schema_version
        store.close()
    return hashlib.sha256(repr((version, rows)).encode()).hexdigest()


def cli_commands(cwd: Path, env: dict[str, str]) -> dict[str, str]:
    """The annotator's subcommands, with each one's --help text (to see which options it has)."""
    found: dict[str, str] = {}
    listing = run([*CLI, "--help"], cwd, env).stdout
    names, in_commands = [], False
    for line in listing.splitlines():
        if line.strip().lower().startswith("commands"):
            in_commands = True
            continue
        if in_commands and line.startswith("  ") and line.strip():
            names.append(line.split()[0])
    for name in ("stats", "export"):
        if name in names:
            found[name] = run([*CLI, name, "--help"], cwd, env).stdout
    return found


class Bench(WriteMeasures, TeamMeasures):
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.log = (lambda m: None) if args.quiet else (lambda m: print(f"[bench] {m}", file=sys.stderr, flush=True))
        self.work = Path(tempfile.mkdtemp(prefix="annotator-bench-", dir=args.cache if args.cache.exists() else None))
        self.env = dict(os.environ)
        self.env.pop("ANNOTATOR_CONFIG", None)
        self.env["XDG_CONFIG_HOME"] = str(self.work / "config")  # no user configuration
        self.env["ANNOTATOR_NAME"] = "bench"
        self.env["PYTHONPATH"] = str(ROOT) + os.pathsep + self.env.get("PYTHONPATH", "")
        # As on a user's machine, every program imports the annotator from compiled bytecode
        # (pip compiles an installation; a checkout writes __pycache__ on its first run), as
        # it does Textual: where PYTHONDONTWRITEBYTECODE is set, each start would otherwise
        # compile the annotator's sources again (~40 ms of every start-up figure).
        compileall.compile_dir(ROOT / "annotator", quiet=1)

    def figures(self) -> dict[str, Figure]:
        a = self.args
        return {f.id: f for f in [
            Figure("import", f"import {a.import_articles:,} articles (normalize, dedupe, index)", "articles/s",
                   "≥ 2,000 articles/s and ≥ 0.5 × floor", "sqlite-utils insert_all of the same rows, no processing",
                   "ratio", lambda v, f: v >= 2000 and (f is None or v / f >= 0.5), higher_is_better=True),
            Figure("tui_first_frame", "TUI start to first frame", "s", "≤ 1.3 × floor",
                   "bare Textual app, same layout and widget kinds, no data", "ratio",
                   lambda v, f: f is not None and v / f <= 1.3),
            Figure("tui_first_article", "TUI start to first article shown (with highlights, outlet card)", "s",
                   "— (for reference)", "bare Textual app's first frame", "ratio", None),
            Figure("next_p50", "next article shown, with highlights and outlet card: p50", "ms", "< 30 ms",
                   "bare app showing the next text read by plain SQL", "ratio", lambda v, f: v < 30),
            Figure("next_p95", "next article shown, with highlights and outlet card: p95", "ms", "< 80 ms",
                   "bare app showing the next text read by plain SQL", "ratio", lambda v, f: v < 80),
            Figure("tag_commit", "tag committed to disk after the key press (median)", "ms", "< 10 ms",
                   "plain sqlite3 INSERT + COMMIT, seen by a second connection", "ratio", lambda v, f: v < 10),
            Figure("tag_commit_p95", "tag committed to disk after the key press (p95)", "ms", "— (for reference)",
                   "plain sqlite3 INSERT + COMMIT (p95)", "ratio", None),
            Figure("tui_memory", "TUI peak memory (start, moves, tags)", "MB", "≤ floor + 60 MB",
                   "bare Textual app's peak memory", "difference", lambda v, f: f is not None and v - f <= 60),
            Figure("stats", f"annotator stats over {a.tags:,} tags", "s", "< 1 s and ≤ 2 × floor",
                   "plain SQL GROUP BY (outlet, category, label, voice)", "ratio",
                   lambda v, f: v < 1 and (f is None or v / f <= 2)),
            Figure("export_csv", f"annotator export --format csv of {a.tags:,} tags", "s", "< 10 s",
                   "plain SQL streamed into csv.writer", "ratio", lambda v, f: v < 10),
            Figure("export_jsonl", f"annotator export --format jsonl of {a.tags:,} tags", "s", "< 10 s",
                   "plain SQL of the same rows, each through json.dumps", "ratio", lambda v, f: v < 10),
            Figure("export_jsonl_memory", "export --format jsonl: peak memory", "MB", "flat: ≤ floor + 25 MB",
                   "the same export of the 1% project", "difference", lambda v, f: f is not None and v - f <= 25),
            Figure("export_w3c", f"annotator export --format w3c of {a.tags:,} tags", "s", "< 10 s",
                   "plain SQL of the same rows, each through json.dumps", "ratio", lambda v, f: v < 10),
            Figure("export_w3c_memory", "export --format w3c: peak memory", "MB", "flat: ≤ floor + 25 MB",
                   "the same export of the 1% project", "difference", lambda v, f: f is not None and v - f <= 25),
            Figure("export_memory", "export --format csv: peak memory", "MB", "flat: ≤ floor + 25 MB",
                   "the same export of the 1% project", "difference", lambda v, f: f is not None and v - f <= 25),
            Figure("writers_lost", f"{a.writers} tagging processes during an import of {a.contention_articles:,} "
                   "articles: writes lost", "writes", "0", "—", "difference", lambda v, f: v == 0),
            Figure("writers_wait", f"{a.writers} tagging processes during an import: longest wait of a write", "ms",
                   "≤ 500 ms", "the same writes' longest wait with no import running", "ratio", lambda v, f: v <= 500),
            Figure("writers_wait_p99", f"{a.writers} tagging processes during an import: p99 wait of a write", "ms",
                   "— (for reference)", "the same writes' p99 wait with no import running", "ratio", None),
            Figure("writers_import", f"import of {a.contention_articles:,} articles while {a.writers} processes tag",
                   "articles/s", "≥ 0.8 × floor", "the same import with no other writer", "ratio",
                   lambda v, f: f is not None and v / f >= 0.8, higher_is_better=True),
            *team_figures(a),
        ]}

    # -- one run of each group ------------------------------------------------------------

    def measure_tui(self, figures: dict[str, Figure], db: Path) -> None:
        a = self.args
        bare = probe("bare", "--db", str(db), "--moves", str(a.moves), cwd=self.work, env=self.env)
        tui = probe("tui", str(db), "--annotator", a.annotator, "--moves", str(a.moves), "--tags", str(a.tag_presses),
                    cwd=self.work, env=self.env)
        commit_floor = probe("commit-floor", str(db), "--count", str(max(5, a.tag_presses)), cwd=self.work, env=self.env)
        figures["tui_first_frame"].runs.append(tui["first_frame_s"])
        figures["tui_first_frame"].floor_runs.append(bare["first_frame_s"])
        figures["tui_first_article"].runs.append(tui["first_article_s"])
        figures["tui_first_article"].floor_runs.append(bare["first_frame_s"])
        for q, name in ((0.5, "next_p50"), (0.95, "next_p95")):
            figures[name].runs.append(percentile(tui["next_ms"], q))
            figures[name].floor_runs.append(percentile(bare["next_ms"], q))
        if tui["commit_ms"]:
            figures["tag_commit"].runs.append(statistics.median(tui["commit_ms"]))
            figures["tag_commit_p95"].runs.append(percentile(tui["commit_ms"], 0.95))
        figures["tag_commit"].floor_runs.append(statistics.median(commit_floor["commit_ms"]))
        figures["tag_commit_p95"].floor_runs.append(percentile(commit_floor["commit_ms"], 0.95))
        figures["tui_memory"].runs.append(tui["peak_rss_kb"] / 1024)
        figures["tui_memory"].floor_runs.append(bare["peak_rss_kb"] / 1024)
        self.tui_details.append({k: v for k, v in tui.items()})
        self.bare_details.append(bare)

    def measure_stats(self, figures: dict[str, Figure], db: Path, commands: dict[str, str]) -> None:
        figure = figures["stats"]
        if "stats" not in commands:
            figure.status, figure.note = NOT_AVAILABLE, "`annotator stats` does not exist yet"
            return
        help_text = commands["stats"]
        cmd = [*CLI, "--db", str(db), "stats"]
        if "--format" in help_text:
            cmd += ["--format", "csv"]
        out = self.work / "stats.out"
        if "--out" in help_text:
            cmd += ["--out", str(out)]
        ran = run(cmd, self.work, self.env, stdout_to=None if "--out" in help_text else out)
        if ran.returncode != 0:
            figure.status, figure.note = "failed", f"exit {ran.returncode}: {_last_line(ran.stderr)}"
            return
        figure.runs.append(ran.seconds)
        floor = run([sys.executable, str(PROBES), "stats-floor", str(db)], self.work, self.env)
        figure.floor_runs.append(floor.seconds)
        figure.note = " ".join(cmd[3:]).replace(str(db), "DB").replace(str(out), "OUT")

    def measure_export(self, figures: dict[str, Figure], db: Path, small: Path | None, commands: dict[str, str]) -> None:
        figure, memory = figures["export_csv"], figures["export_memory"]
        if "export" not in commands:
            for f in (figure, memory):
                f.status, f.note = NOT_AVAILABLE, "`annotator export` does not exist yet"
            return
        help_text = commands["export"]

        def export(database: Path) -> tuple[Ran, list[str]]:
            out = self.work / "export.csv"
            cmd = [*CLI, "--db", str(database), "export", "--format", "csv"]
            if "--out" in help_text:
                cmd += ["--out", str(out)]
            ran = run(cmd, self.work, self.env, stdout_to=None if "--out" in help_text else out)
            out.unlink(missing_ok=True)
            return ran, cmd

        ran, cmd = export(db)
        if ran.returncode != 0:
            for f in (figure, memory):
                f.status, f.note = "failed", f"exit {ran.returncode}: {_last_line(ran.stderr)}"
            return
        figure.runs.append(ran.seconds)
        figure.note = " ".join(cmd[3:]).replace(str(db), "DB").replace(str(self.work / "export.csv"), "OUT")
        memory.runs.append(ran.peak_rss_kb / 1024)
        floor = run([sys.executable, str(PROBES), "export-floor", str(db), str(self.work / "floor.csv")], self.work, self.env)
        (self.work / "floor.csv").unlink(missing_ok=True)
        figure.floor_runs.append(floor.seconds)
        if small is not None:
            ran_small, _ = export(small)
            if ran_small.returncode == 0:
                memory.floor_runs.append(ran_small.peak_rss_kb / 1024)

        for fmt in ("jsonl", "w3c"):
            self.measure_export_json(figures, db, small, fmt)

    def measure_export_json(self, figures: dict[str, Figure], db: Path, small: Path | None, fmt: str) -> None:
        """The JSON-lines or W3C export beside its floor (plain SQL of the same rows through
        json.dumps); its memory beside the same export of the 1% project (flat: no growth)."""
        figure, memory = figures[f"export_{fmt}"], figures[f"export_{fmt}_memory"]
        out = self.work / f"export.{fmt}"

        def export(database: Path) -> Ran:
            ran = run([*CLI, "--db", str(database), "export", "--format", fmt, "--out", str(out)], self.work, self.env)
            out.unlink(missing_ok=True)
            return ran

        cmd = [*CLI, "--db", str(db), "export", "--format", fmt, "--out", str(out)]
        ran = export(db)
        if ran.returncode != 0:
            for f in (figure, memory):
                f.status, f.note = "failed", f"exit {ran.returncode}: {_last_line(ran.stderr)}"
            return
        figure.runs.append(ran.seconds)
        memory.runs.append(ran.peak_rss_kb / 1024)
        figure.note = " ".join(cmd[3:]).replace(str(db), "DB").replace(str(out), "OUT")
        floor = run([sys.executable, str(PROBES), "export-floor", str(db), str(self.work / "floor.jsonl"), "--json"],
                    self.work, self.env)
        (self.work / "floor.jsonl").unlink(missing_ok=True)
        figure.floor_runs.append(floor.seconds)
        if small is not None:
            ran_small = export(small)
            if ran_small.returncode == 0:
                memory.floor_runs.append(ran_small.peak_rss_kb / 1024)

    # -- the whole thing ------------------------------------------------------------------

    def main(self) -> dict[str, Any]:
        a = self.args
        started = time.time()
        machine_at_start = machine()
        db, corpus, summary = project(a.cache, a.articles, a.tags, a.annotators, a.seed, a.rebuild, self.log)
        small_articles, small_tags = max(100, a.articles // 100), max(1000, a.tags // 100)
        small = pair = small_pair = None
        if "merge" in self.groups:
            pair = merge_pair(a.cache, a.articles, a.tags, a.seed, self.log)
            small_pair = merge_pair(a.cache, small_articles, small_tags, a.seed, self.log)
        if {"export", "team"} & self.groups:
            small, _, _ = project(a.cache, small_articles, small_tags, a.annotators, a.seed, a.rebuild, self.log)
        if a.build_only:
            shutil.rmtree(self.work, ignore_errors=True)
            return {}
        import_corpus = corpus
        if a.import_articles != a.articles:
            import_corpus = a.cache / f"corpus-a{a.import_articles}-s{a.seed}-g{synth.GENERATOR_VERSION}.jsonl"
            if not import_corpus.exists():
                subprocess.run([sys.executable, str(BENCH / "synth.py"), "corpus", str(import_corpus), "--articles",
                                str(a.import_articles), "--seed", str(a.seed)], check=True)
        contention_corpus = a.cache / f"corpus-a{a.contention_articles}-s{a.seed}-g{synth.GENERATOR_VERSION}.jsonl"
        if "contention" in self.groups and not contention_corpus.exists():
            subprocess.run([sys.executable, str(BENCH / "synth.py"), "corpus", str(contention_corpus), "--articles",
                            str(a.contention_articles), "--seed", str(a.seed)], check=True)
        figures = self.figures()
        commands = cli_commands(self.work, self.env)
        self.contention: list[dict] = []
        self.last_import_s = 0.0
        self.plain_floor: list[float] = []
        self.tui_details: list[dict] = []
        self.bare_details: list[dict] = []
        self.load: list[dict] = []  # the machine's load average as each measurement began
        groups = [
            ("import", lambda: self.measure_import(figures, import_corpus), a.import_runs),
            ("tui", lambda: self.measure_tui(figures, db), a.runs),
            ("stats", lambda: self.measure_stats(figures, db, commands), a.runs),
            ("export", lambda: self.measure_export(figures, db, small, commands), a.runs),
            ("contention", lambda: self.measure_contention(figures, contention_corpus), a.contention_runs),
            ("team", lambda: self.measure_team(figures, db, small), a.runs),
            ("screens", lambda: self.measure_screens(figures, db), a.runs),
            ("merge", lambda: self.measure_merge(figures, pair, small_pair), a.runs),
        ]
        for number in range(max(a.runs, a.import_runs, a.contention_runs)):
            for name, measure, runs in groups:
                if number < runs and name in self.groups:
                    self.log(f"run {number + 1}: {name}")
                    self.load.append({"run": number + 1, "group": name, "load": round(os.getloadavg()[0], 2)})
                    measure()
        skipped = {f.id for f in figures.values() if self._group_of(f.id) not in self.groups}
        for figure_id in skipped:
            figures[figure_id].status, figures[figure_id].note = "not measured", "left out with --only"
        if self.plain_floor:
            figures["import"].note = (f"for reference, insert_all into a table with no index or full-text index: "
                                      f"{statistics.median(self.plain_floor):,.0f} articles/s")
        results = {
            "generated": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
            "command": "python bench/run.py " + " ".join(sys.argv[1:]),
            "parameters": {"articles": a.articles, "tags": a.tags, "annotators": a.annotators, "seed": a.seed,
                           "runs": a.runs, "import_runs": a.import_runs, "import_articles": a.import_articles,
                           "moves": a.moves, "tag_presses": a.tag_presses, "annotator": a.annotator,
                           "writers": a.writers, "contention_articles": a.contention_articles,
                           "contention_runs": a.contention_runs,
                           "terminal": "160x45 (headless, Textual Pilot)"},
            "machine": {**machine_at_start, "load_at_end": [round(x, 2) for x in os.getloadavg()]},
            "versions": versions(),
            "database": summary,
            "figures": [f.result() for f in figures.values()],
            "details": {"tui": self.tui_details, "bare": self.bare_details, "load": self.load,
                        "contention": self.contention},
            "seconds": round(time.time() - started, 1),
        }
        if a.before:
            before = {f["id"]: f for f in json.loads(a.before.read_text())["figures"]}
            for figure in results["figures"]:
                old = before.get(figure["id"])
                if old and old.get("value") is not None:
                    figure["before"] = {"value": old["value"], "floor": old.get("floor"), "met": old.get("met"),
                                        "versus_floor": old.get("versus_floor"), "spread": old.get("spread"),
                                        "source": str(a.before)}
        shutil.rmtree(self.work, ignore_errors=True)
        return results

    @property
    def groups(self) -> set[str]:
        return set(self.args.only.split(",")) if self.args.only else {"import", "tui", "stats", "export", "contention",
                                                                        *GROUPS}

    @property
    def selected(self) -> set[str]:
        return {fid for fid in self.figures() if self._group_of(fid) in self.groups}

    @staticmethod
    def _group_of(figure_id: str) -> str:
        if figure_id == "import":
            return "import"
        for group, ids in GROUPS.items():
            if figure_id in ids:
                return group
        if figure_id.startswith("writers"):
            return "contention"
        if figure_id.startswith(("tui", "next", "tag")):
            return "tui"
        return "stats" if figure_id == "stats" else "export"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--tags", type=int, default=1_000_000)
    parser.add_argument("--annotators", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5, help="runs of every figure (default 5)")
    parser.add_argument("--import-runs", type=int, help="runs of the import (default: --runs)")
    parser.add_argument("--import-articles", type=int, help="articles imported per import run (default: --articles)")
    parser.add_argument("--moves", type=int, default=40, help="'next article' presses per TUI run")
    parser.add_argument("--tag-presses", type=int, default=20, help="tags made per TUI run")
    parser.add_argument("--annotator", default="annotator00", help="whose TUI is measured")
    parser.add_argument("--out", type=Path, default=BENCH / "results", help="writes OUT.md and OUT.json")
    parser.add_argument("--cache", type=Path, default=BENCH / ".cache", help="where synthetic projects are kept")
    parser.add_argument("--rebuild", action="store_true", help="build the synthetic project again")
    parser.add_argument("--before", type=Path, help="an earlier OUT.json: its values are shown as 'Before'")
    parser.add_argument("--only", help="comma-separated groups to measure: import,tui,stats,export,contention,team,screens,merge")
    parser.add_argument("--writers", type=int, default=20, help="tagging processes during the contention import")
    parser.add_argument("--contention-articles", type=int,
                        help="articles imported while the writers tag (default: 60,000, or --articles if fewer)")
    parser.add_argument("--contention-runs", type=int, help="runs of the contention group (default: --import-runs)")
    parser.add_argument("--notes", type=Path, default=BENCH / "notes.md",
                        help="Markdown added under the table: findings, profiles (default bench/notes.md, if it exists)")
    parser.add_argument("--scale", type=Path, default=BENCH / "scale.md",
                        help="Markdown of bench/scale.py added under the table (default bench/scale.md, if it exists)")
    parser.add_argument("--build-only", action="store_true", help="only build (or find) the synthetic project")
    parser.add_argument("--render", type=Path, metavar="RESULTS.json",
                        help="only write the table again from an earlier run's JSON (e.g. after editing the notes)")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    args.import_runs = args.runs if args.import_runs is None else args.import_runs
    args.import_articles = args.articles if args.import_articles is None else args.import_articles
    args.contention_runs = args.import_runs if args.contention_runs is None else args.contention_runs
    if args.contention_articles is None:
        args.contention_articles = min(60_000, args.articles)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.render:
        results = json.loads(args.render.read_text())
        args.out = args.render.with_suffix("")
    else:
        args.cache.mkdir(parents=True, exist_ok=True)
        results = Bench(args).main()
        if args.build_only:
            return 0
        args.out.parent.mkdir(parents=True, exist_ok=True)
        Path(f"{args.out}.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    text = markdown(results)
    if args.scale and args.scale.is_file():
        text += "\n" + args.scale.read_text(encoding="utf-8")
    if args.notes and args.notes.is_file():
        text += "\n" + args.notes.read_text(encoding="utf-8")
    Path(f"{args.out}.md").write_text(text)
    if not args.quiet:
        print(markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
