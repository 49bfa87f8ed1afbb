"""What the TUI asks of the store on each key press, timed on a large database.

    python bench/synth.py database /tmp/big.db            # 100,000 articles, 1,000,000 tags
    python bench/bench_store.py /tmp/big.db

Goals: opening the next article well under 100 ms; every list page well under that.
Prints one line per operation: median and worst of several runs, in milliseconds.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotator.store import Store  # noqa: E402

GOAL_MS = 100.0


def timed(fn: Callable[[], object], runs: int = 7) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), max(times)


def open_article(store: Store, article_id: str, annotator: str) -> None:
    """Everything the TUI reads to show one article (see tui/screens/annotate/reading.py ``_read_article``)."""
    article = store.article(article_id)
    store.outlet(article.publisher)
    store.outlet(article.original_source)
    store.annotations(article.id, annotator)
    store.rejected_suggestions(article.id, annotator)
    store.status(article.id, annotator)
    store.progress(annotator)
    store.article_position(article.id, annotator=annotator)


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    store = Store(Path(sys.argv[1]))
    total = store.count_articles()
    middle = store.list_articles(offset=total // 2, limit=1)[0].id
    who = "annotator3"
    in_progress = store.count_articles(annotator=who, status="in progress")
    checks = {
        "count articles": lambda: store.count_articles(annotator=who),
        "list page at start (60 rows)": lambda: store.list_articles(offset=0, limit=60, annotator=who),
        "list page in the middle": lambda: store.list_articles(offset=total // 2, limit=60, annotator=who),
        "list page, status=done filter": lambda: store.list_articles(offset=0, limit=60, annotator=who, status="done"),
        "middle page, status=in progress": lambda: store.list_articles(
            offset=in_progress // 2, limit=60, annotator=who, status="in progress"),
        "list page, full-text search": lambda: store.list_articles(offset=0, limit=60, annotator=who, search="kremlin talks"),
        "open next article": lambda: open_article(store, middle, who),
        "next not done": lambda: store.next_not_done(middle, who),
        "progress (done/total)": lambda: store.progress(who),
    }
    print(f"{sys.argv[1]}: {total} articles")
    slow = 0
    for name, fn in checks.items():
        median, worst = timed(fn)
        flag = "" if median < GOAL_MS else "  <-- over the goal"
        slow += bool(flag)
        print(f"{name:34} median {median:8.1f} ms   worst {worst:8.1f} ms{flag}")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
