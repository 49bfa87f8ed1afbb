"""Import speed (BRIEF §8 asks for thousands of articles per second).

    python bench/bench_import.py [--articles N]

Writes a synthetic JSONL corpus of N ~5 KB articles, imports it into a fresh
database and prints articles per second; then imports it again (all duplicates).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import write_corpus  # noqa: E402

from annotator.importer import import_paths  # noqa: E402
from annotator.registry import load_registry  # noqa: E402
from annotator.store import Store  # noqa: E402

REGISTRY = Path(__file__).resolve().parent.parent / "corpus" / "outlets.yaml"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        write_corpus(corpus, args.articles)
        store = Store(Path(tmp) / "bench.db")
        store.upsert_outlets(load_registry(REGISTRY))
        for run in ("first import", "same corpus again"):
            started = time.perf_counter()
            report = import_paths(store, [corpus])
            seconds = time.perf_counter() - started
            print(f"{run:18}: {len(report.imported):6} imported, {len(report.duplicates):6} duplicates, "
                  f"{len(report.rejected)} rejected in {seconds:5.1f} s = {args.articles / seconds:7.0f} articles/s")


if __name__ == "__main__":
    main()
