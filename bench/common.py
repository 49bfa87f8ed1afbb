"""What the benchmark's parts share: running a program (wall time and peak memory), the
probes, and a figure with its runs, floor and goal."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

BENCH = Path(__file__).resolve().parent
PROBES = BENCH / "probes.py"
CLI = [sys.executable, "-m", "annotator.cli"]
NOT_AVAILABLE = "not available"


@dataclass
class Ran:
    seconds: float
    returncode: int
    stdout: str
    stderr: str
    peak_rss_kb: int

    def json(self) -> dict:
        """The probe's JSON answer (its last line of output)."""
        if self.returncode != 0:
            raise RuntimeError(f"exit status {self.returncode}: {self.stderr.strip()[-2000:]}")
        return json.loads(self.stdout.strip().splitlines()[-1])


def run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None, stdout_to: Path | None = None,
        timeout: float = 3600) -> Ran:
    """Run a command; wall time from just before it is started, and its peak memory."""
    with tempfile.TemporaryFile("w+") as err, (open(stdout_to, "w") if stdout_to else tempfile.TemporaryFile("w+")) as out:
        started = time.monotonic()
        process = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        deadline = started + timeout
        status_file = Path(f"/proc/{process.pid}/status")
        high_water = 0  # VmHWM of the program (the mm after exec): ru_maxrss would also count this parent at fork
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            high_water = max(high_water, _vm_hwm(status_file))
            if time.monotonic() > deadline:
                process.kill()
                pid, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.002)
        seconds = time.monotonic() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        text = ""
        if not stdout_to:
            out.seek(0)
            text = out.read()
        return Ran(seconds, process.returncode, text, err.read(), high_water or usage.ru_maxrss)


def _vm_hwm(status_file: Path) -> int:
    """A running process's peak resident memory in KB (0 when it cannot be read)."""
    try:
        for line in status_file.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _last_line(text: str) -> str:
    """The last line of a program's error output (a traceback's exception), for a table note."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else "(no message)"


def probe(name: str, *args: str, cwd: Path, env: dict[str, str]) -> dict:
    """A probe of ``bench/probes.py``, given the time it was started (``--t0``) when it asks."""
    cmd = [sys.executable, str(PROBES), name, *args]
    if "--t0" in args:
        raise ValueError("--t0 is added here")
    if name in ("tui", "bare"):
        started = time.monotonic()
        cmd += ["--t0", repr(started)]
    return run(cmd, cwd, env).json()


@dataclass
class Figure:
    id: str
    name: str
    unit: str
    goal: str
    floor_name: str
    compare: str  # "ratio" (value / floor) or "difference" (value - floor)
    judge: Callable[[float, float | None], bool] | None
    runs: list[float] = field(default_factory=list)
    floor_runs: list[float] = field(default_factory=list)
    status: str = "ok"
    note: str = ""
    higher_is_better: bool = False

    def result(self) -> dict[str, Any]:
        value = statistics.median(self.runs) if self.runs else None
        floor = statistics.median(self.floor_runs) if self.floor_runs else None
        versus = None
        if value is not None and floor:
            versus = value / floor if self.compare == "ratio" else value - floor
        met = None
        if self.judge is not None and value is not None and self.status == "ok":
            met = bool(self.judge(value, floor))
        return {
            "id": self.id, "name": self.name, "unit": self.unit, "status": self.status,
            "value": value, "spread": [min(self.runs), max(self.runs)] if self.runs else None, "runs": self.runs,
            "floor_name": self.floor_name, "floor": floor,
            "floor_spread": [min(self.floor_runs), max(self.floor_runs)] if self.floor_runs else None,
            "floor_runs": self.floor_runs, "compare": self.compare, "versus_floor": versus,
            "goal": self.goal, "met": met, "note": self.note, "higher_is_better": self.higher_is_better,
        }


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)
