"""Lexicon suggestion speed (issue: one article in milliseconds; a 100,000-article corpus as a batch job).

    python bench/bench_suggest.py [--codebook ID|FILE] [--db FILE]

Times the default codebook's matcher on the five demo articles (median per article)
and, with ``--db``, over every current article of a database (articles per second).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotator.codebook import find_codebook  # noqa: E402
from annotator.lexicon import Matcher  # noqa: E402
from annotator.store import Store  # noqa: E402

SEEDS = Path(__file__).resolve().parent.parent / "corpus"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--codebook", default="ru-ua-framing")
    parser.add_argument("--db", type=Path)
    args = parser.parse_args()
    started = time.perf_counter()
    matcher = Matcher(find_codebook(args.codebook))
    print(f"matcher built in {(time.perf_counter() - started) * 1000:.1f} ms")
    for seed in sorted(SEEDS.glob("*.txt")):
        text = seed.read_text(encoding="utf-8")
        times = []
        for _ in range(20):
            t0 = time.perf_counter()
            found = matcher.find(text)
            times.append((time.perf_counter() - t0) * 1000)
        print(f"{seed.name}: {len(text):6} chars, {len(found):3} suggestions, median {statistics.median(times):.2f} ms")
    if args.db:
        store, count, t0 = Store(args.db), 0, time.perf_counter()
        for article in store.iter_current_articles():
            matcher.find(article.text)
            count += 1
        seconds = time.perf_counter() - t0
        print(f"{args.db}: {count} articles in {seconds:.1f} s = {count / seconds:.0f} articles/s")


if __name__ == "__main__":
    main()
