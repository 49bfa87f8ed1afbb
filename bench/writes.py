"""The figures of ``bench/run.py`` that write: the import beside its floor, and tagging
processes writing while an import runs (contention)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import synth
from common import CLI, PROBES, Figure, percentile, probe, run


class WriteMeasures:
    """Mixin of ``run.Bench`` (its ``work``, ``env``, ``args``, ``plain_floor``, ``contention``)."""

    work: Path
    env: dict[str, str]
    args: Any
    plain_floor: list[float]
    contention: list[dict]
    last_import_s: float

    def measure_import(self, figures: dict[str, Figure], corpus: Path) -> None:
        db = self.work / "import.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        ran = run([*CLI, "--db", str(db), "import", str(corpus), "--registry", str(synth.REGISTRY)], self.work, self.env)
        if ran.returncode not in (0, 1):
            raise RuntimeError(f"import failed: {ran.stderr[-2000:]}")
        stored = sqlite3.connect(db).execute("SELECT count(*) FROM articles").fetchone()[0]
        figures["import"].runs.append(stored / ran.seconds)
        floor_db = self.work / "floor.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{floor_db}{suffix}").unlink(missing_ok=True)
        answer = probe("import-floor", str(db), str(floor_db), cwd=self.work, env=self.env)
        figures["import"].floor_runs.append(answer["rows"] / answer["seconds"])
        plain = self.work / "plain.db"
        for path in (floor_db, plain):
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        answer = probe("import-floor", str(db), str(plain), "--plain", cwd=self.work, env=self.env)
        self.plain_floor.append(answer["rows"] / answer["seconds"])
        for path in (db, plain):
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)

    def _writers_during_import(self, corpus: Path, writers: int) -> tuple[float, dict[str, Any]]:
        """``writers`` tag-writer probes on a new database while ``corpus`` is imported into
        it (none: the import alone). Returns (articles imported per second, what the writers
        lost and how long their writes waited)."""
        db = self.work / "contention.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        seed = self.work / "seed.jsonl"  # the articles the writers tag, imported first
        with corpus.open(encoding="utf-8") as lines, seed.open("w", encoding="utf-8") as out:
            for _ in range(20):
                record = json.loads(next(lines))
                out.write(json.dumps(dict(record, url=record.get("url", "") + "#seed", text="Seed. " + record["text"])) + "\n")
        run([*CLI, "--db", str(db), "import", str(seed), "--registry", str(synth.REGISTRY)], self.work, self.env)
        stop = self.work / "stop"
        stop.unlink(missing_ok=True)
        cmd = [sys.executable, str(PROBES), "tag-writer", str(db)]
        procs = [subprocess.Popen([*cmd, f"writer{n:02d}", str(stop)], cwd=self.work, env=self.env,
                                  stdout=subprocess.PIPE, text=True) for n in range(writers)]
        if procs:
            time.sleep(2.0)  # every writer has started and is writing
        before = sqlite3.connect(db).execute("SELECT count(*) FROM articles").fetchone()[0]
        ran = run([*CLI, "--db", str(db), "import", str(corpus), "--registry", str(synth.REGISTRY)], self.work, self.env)
        stored = sqlite3.connect(db).execute("SELECT count(*) FROM articles").fetchone()[0] - before
        rate, self.last_import_s = stored / ran.seconds, ran.seconds
        stop.touch()
        if not procs:
            return rate, {}
        answers = [json.loads(p.communicate()[0].strip().splitlines()[-1]) for p in procs]
        stored_uuids = {r[0] for r in sqlite3.connect(db).execute("SELECT uuid FROM annotations")}
        written = [u for a in answers for u in a["written"]]
        waits = [w for a in answers for w in a["waits"]]
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        return rate, {"lost": sum(len(a["failures"]) for a in answers) + len(set(written) - stored_uuids),
                      "writes": len(waits), "max_ms": max(waits) * 1000, "p99_ms": percentile(waits, 0.99) * 1000,
                      "failures": sorted({f for a in answers for f in a["failures"]})[:3]}

    def measure_contention(self, figures: dict[str, Figure], corpus: Path) -> None:
        a = self.args
        alone, _ = self._writers_during_import(corpus, 0)
        rate, busy = self._writers_during_import(corpus, a.writers)
        figures["writers_import"].runs.append(rate)
        figures["writers_import"].floor_runs.append(alone)
        figures["writers_lost"].runs.append(busy["lost"])
        figures["writers_wait"].runs.append(busy["max_ms"])
        figures["writers_wait_p99"].runs.append(busy["p99_ms"])
        self.contention.append(busy)
        # the floor of the waits: the same writers for as long, with no import
        stop = self.work / "stop"
        stop.unlink(missing_ok=True)
        _, quiet = self._writers_without_import(a.writers, self.last_import_s)
        figures["writers_wait"].floor_runs.append(quiet["max_ms"])
        figures["writers_wait_p99"].floor_runs.append(quiet["p99_ms"])
        figures["writers_lost"].note = (f"writes per run: {', '.join(str(c['writes']) for c in self.contention)}; "
                                        f"failures seen: {[c['failures'] for c in self.contention if c['failures']]}")

    def _writers_without_import(self, writers: int, seconds: float) -> tuple[float, dict[str, Any]]:
        db = self.work / "quiet.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        from annotator.ingest.importer import import_paths
        from annotator.store import Store

        seed = self.work / "seed.jsonl"
        import_paths(Store(db), [seed], registry_path=synth.REGISTRY)
        stop = self.work / "stop"
        procs = [subprocess.Popen([sys.executable, str(PROBES), "tag-writer", str(db), f"writer{n:02d}", str(stop)],
                                  cwd=self.work, env=self.env, stdout=subprocess.PIPE, text=True) for n in range(writers)]
        time.sleep(2.0 + seconds)
        stop.touch()
        answers = [json.loads(p.communicate()[0].strip().splitlines()[-1]) for p in procs]
        waits = [w for a in answers for w in a["waits"]]
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        return 0.0, {"max_ms": max(waits) * 1000, "p99_ms": percentile(waits, 0.99) * 1000}
