"""The team figures of ``bench/run.py``: the Parquet export, statistics of one story or one
year, agreement (every measure, with bootstrap intervals), the HTML report, merging two
databases, and the review and story screens, each beside a floor measured in the same run.

Groups (``--only``): ``team`` (the commands), ``screens`` (review and story screens),
``merge`` (two databases of half the tags each, built once and cached).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import synth
from common import BENCH, CLI, Figure, _last_line, percentile, run

TEAM_PROBES = BENCH / "team_probes.py"
SCREEN_PROBES = BENCH / "screen_probes.py"
STORY = "event-00010"  # a story of four articles every synthetic corpus has
YEAR = ("2022-01-01", "2022-12-31")  # the busiest year of the synthetic corpus

GROUPS = {
    "team": ("export_parquet", "export_parquet_memory", "stats_story", "stats_year", "agreement", "agreement_memory",
             "report", "report_memory"),
    "screens": ("review_open", "review_ordered", "review_next", "review_next_p95", "story_open", "story_open_p95"),
    "merge": ("merge", "merge_memory"),
}


def team_figures(a: Any) -> list[Figure]:
    """The figures of these groups, for ``a.tags`` tags."""
    tags = f"{a.tags:,}"
    flat = "the same command on the 1% project"
    return [
        Figure("export_parquet", f"annotator export --format parquet of {tags} tags", "s", "< 5 s",
               "plain SQL of the same rows written by pyarrow in row groups", "ratio", lambda v, f: v < 5),
        Figure("export_parquet_memory", "export --format parquet: peak memory", "MB", "flat: ≤ floor + 25 MB", flat,
               "difference", lambda v, f: f is not None and v - f <= 25),
        Figure("stats_story", f"annotator stats --story (4 articles) over {tags} tags", "s", "< 1 s",
               "plain SQL GROUP BY of the story's tags", "ratio", lambda v, f: v < 1),
        Figure("stats_year", f"annotator stats --since/--until one year over {tags} tags", "s", "< 1 s",
               "plain SQL GROUP BY of the year's tags", "ratio", lambda v, f: v < 1),
        Figure("agreement", f"annotator agreement (every measure, 1,000 bootstrap resamples) over {tags} tags", "s",
               "< 5 s", "plain SQL of the codings and one nominal alpha per category (krippendorff package)", "ratio",
               lambda v, f: v < 5),
        Figure("agreement_memory", "agreement: peak memory", "MB", "flat: ≤ floor + 25 MB", flat, "difference",
               lambda v, f: f is not None and v - f <= 25),
        Figure("report", f"annotator report (HTML with charts) of {tags} tags", "s", "< 10 s",
               "plain SQL GROUP BY of the statistics the charts draw", "ratio", lambda v, f: v < 10),
        Figure("report_memory", "report: peak memory", "MB", "flat: ≤ floor + 25 MB", flat, "difference",
               lambda v, f: f is not None and v - f <= 25),
        Figure("review_open", "review screen: W to the first article drawn", "ms", "— (for reference)",
               "bare app: next text read by plain SQL and shown", "ratio", None),
        Figure("review_ordered", "review screen: W until every article to review is in order (background)", "s",
               "— (for reference)", "—", "ratio", None),
        Figure("review_next", "review screen: ] to an article of 5 annotators with its disagreements drawn (p50)",
               "ms", "< 50 ms", "bare app: next text read by plain SQL and shown (p50)", "ratio", lambda v, f: v < 50),
        Figure("review_next_p95", "review screen: ] to the next article of 5 annotators (p95)", "ms",
               "— (for reference)", "bare app: next text (p95)", "ratio", None),
        Figure("story_open", "story screen of 4 articles: C to the first frame with every column (p50)", "ms",
               "< 150 ms", "bare app pushing a screen of 4 text areas read by plain SQL (p50)", "ratio",
               lambda v, f: v < 150),
        Figure("story_open_p95", "story screen of 4 articles: C to the first frame (p95)", "ms", "— (for reference)",
               "the same bare app (p95)", "ratio", None),
        Figure("merge", f"annotator merge of two databases of {a.tags // 2:,} tags each", "s",
               "< 30 s, all or nothing", "ATTACH and INSERT OR IGNORE … SELECT of the other's tags in one transaction",
               "ratio", lambda v, f: v < 30),
        Figure("merge_memory", "merge: peak memory", "MB", "— (for reference)", "the same merge of the 1% projects",
               "difference", None),
    ]


def merge_pair(cache: Path, articles: int, tags: int, seed: int, log) -> tuple[Path, Path]:
    """Two databases of the same corpus, ``tags // 2`` tags each by other annotators
    (``teama00``…, ``teamb00``…), built once (each in a process of its own) and cached."""
    from run import schema_digest

    corpus = cache / f"corpus-a{articles}-s{seed}-g{synth.GENERATOR_VERSION}.jsonl"  # as run.project names it
    if not corpus.exists():
        synth.write_corpus(corpus, articles, seed)
    made = []
    for number, prefix in enumerate(("teama", "teamb")):
        db = cache / f"merge-{prefix}-a{articles}-t{tags // 2}-s{seed}-g{synth.GENERATOR_VERSION}-{schema_digest()[:10]}.db"
        if not db.exists():
            log(f"building {db.name}")
            partial = db.with_suffix(".partial")
            built = subprocess.run([sys.executable, str(BENCH / "synth.py"), "database", str(partial), "--articles",
                                    str(articles), "--tags", str(tags // 2), "--seed", str(seed + 1 + number),
                                    "--prefix", prefix, "--corpus", str(corpus)], capture_output=True, text=True)
            if built.returncode != 0:
                raise RuntimeError(f"building {db.name} failed: {built.stderr[-2000:]}")
            partial.rename(db)
        made.append(db)
    return made[0], made[1]


class TeamMeasures:
    """Mixin of ``run.Bench`` (its ``work``, ``env``, ``args``, ``log``)."""

    work: Path
    env: dict[str, str]
    args: Any

    def _timed(self, figure: Figure, cmd: list[str], memory: Figure | None = None) -> bool:
        ran = run(cmd, self.work, self.env)
        if ran.returncode != 0:
            for f in (figure, memory):
                if f is not None:
                    f.status, f.note = "failed", f"exit {ran.returncode}: {_last_line(ran.stderr)}"
            return False
        figure.runs.append(ran.seconds)
        if memory is not None:
            memory.runs.append(ran.peak_rss_kb / 1024)
        return True

    def _floor(self, figure: Figure, *args: str) -> None:
        floor = run([sys.executable, str(TEAM_PROBES), *args], self.work, self.env)
        if floor.returncode == 0:
            figure.floor_runs.append(floor.json()["seconds"] if figure.unit == "s" else floor.seconds)

    def measure_team(self, figures: dict[str, Figure], db: Path, small: Path | None) -> None:
        out = self.work / "out"
        commands = {
            "export_parquet": ["export", "--format", "parquet", "--out", f"{out}.parquet"],
            "stats_story": ["stats", "--story", STORY, "--format", "csv", "--out", f"{out}.csv"],
            "stats_year": ["stats", "--since", YEAR[0], "--until", YEAR[1], "--format", "csv", "--out", f"{out}.csv"],
            "agreement": ["agreement", "--format", "json", "--out", f"{out}.json"],
            "report": ["report", "--out", f"{out}.html"],
        }
        for figure_id, args in commands.items():
            memory = figures.get(f"{figure_id}_memory")
            if not self._timed(figures[figure_id], [*CLI, "--db", str(db), *args], memory):
                continue
            figures[figure_id].note = " ".join(args).replace(str(out), "OUT")
            if memory is not None and small is not None:
                ran = run([*CLI, "--db", str(small), *args], self.work, self.env)
                if ran.returncode == 0:
                    memory.floor_runs.append(ran.peak_rss_kb / 1024)
        self._floor(figures["export_parquet"], "parquet-floor", str(db), f"{out}-floor.parquet")
        self._floor(figures["stats_story"], "filtered-stats-floor", str(db), "--story", STORY)
        self._floor(figures["stats_year"], "filtered-stats-floor", str(db), "--since", YEAR[0], "--until", YEAR[1])
        self._floor(figures["agreement"], "agreement-floor", str(db))
        floor = run([sys.executable, str(BENCH / "probes.py"), "stats-floor", str(db)], self.work, self.env)
        if floor.returncode == 0:
            figures["report"].floor_runs.append(floor.seconds)
        for path in self.work.glob("out*"):
            path.unlink()

    def measure_screens(self, figures: dict[str, Figure], db: Path) -> None:
        review = run([sys.executable, str(SCREEN_PROBES), "review", str(db)], self.work, self.env)
        story = run([sys.executable, str(SCREEN_PROBES), "story", str(db)], self.work, self.env)
        story_floor = run([sys.executable, str(SCREEN_PROBES), "story-floor", str(db)], self.work, self.env)
        bare = run([sys.executable, str(BENCH / "probes.py"), "bare", "--db", str(db), "--moves", "20", "--t0",
                    repr(time.monotonic())], self.work, self.env)
        for ran, ids in ((review, ("review_open", "review_ordered", "review_next", "review_next_p95")),
                         (story, ("story_open", "story_open_p95"))):
            if ran.returncode != 0:
                for figure_id in ids:
                    figures[figure_id].status, figures[figure_id].note = "failed", _last_line(ran.stderr)
        bare_next = bare.json()["next_ms"] if bare.returncode == 0 else []
        if review.returncode == 0:
            answer = review.json()
            figures["review_open"].runs.append(answer["open_s"] * 1000)
            figures["review_ordered"].runs.append(answer["ordered_s"])
            figures["review_ordered"].note = f"{answer['articles_to_review']:,} articles two or more annotators tagged"
            sizes = answer["annotators_disagreements"]
            if not sizes:
                for figure_id in ("review_next", "review_next_p95"):
                    figures[figure_id].status = "not available"
                    figures[figure_id].note = "no article of five annotators in this project"
            else:
                figures["review_next"].runs.append(percentile(answer["next_ms"], 0.5))
                figures["review_next_p95"].runs.append(percentile(answer["next_ms"], 0.95))
                figures["review_next"].note = (f"{len(sizes)} articles of 5 annotators, {min(d for _, d in sizes)}–"
                                               f"{max(d for _, d in sizes)} disagreements each")
            if bare_next:
                for figure_id in ("review_open", "review_next"):
                    figures[figure_id].floor_runs.append(percentile(bare_next, 0.5))
                figures["review_next_p95"].floor_runs.append(percentile(bare_next, 0.95))
        if story.returncode == 0:
            opened = story.json()["open_ms"]
            figures["story_open"].runs.append(percentile(opened, 0.5))
            figures["story_open_p95"].runs.append(percentile(opened, 0.95))
            if story_floor.returncode == 0:
                floor = story_floor.json()["open_ms"]
                figures["story_open"].floor_runs.append(percentile(floor, 0.5))
                figures["story_open_p95"].floor_runs.append(percentile(floor, 0.95))

    def measure_merge(self, figures: dict[str, Figure], pair: tuple[Path, Path], small_pair: tuple[Path, Path] | None
                      ) -> None:
        into = self.work / "merged.db"

        def merge(first: Path, other: Path) -> Any:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{into}{suffix}").unlink(missing_ok=True)
            shutil.copyfile(first, into)
            return run([*CLI, "--db", str(into), "merge", str(other), "--annotator", "bench"], self.work, self.env)

        ran = merge(*pair)
        if ran.returncode != 0:
            figures["merge"].status, figures["merge"].note = "failed", f"exit {ran.returncode}: {_last_line(ran.stderr)}"
        else:
            figures["merge"].runs.append(ran.seconds)
            figures["merge_memory"].runs.append(ran.peak_rss_kb / 1024)
            figures["merge"].note = "merge OTHER into a copy of the first (the copy is not timed)"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{into}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(pair[0], into)
        floor = run([sys.executable, str(TEAM_PROBES), "merge-floor", str(into), str(pair[1])], self.work, self.env)
        if floor.returncode == 0:
            figures["merge"].floor_runs.append(floor.json()["seconds"])
        if small_pair is not None:
            small = merge(*small_pair)
            if small.returncode == 0:
                figures["merge_memory"].floor_runs.append(small.peak_rss_kb / 1024)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{into}{suffix}").unlink(missing_ok=True)
