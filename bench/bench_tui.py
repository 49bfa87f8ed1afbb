"""TUI responsiveness on a large database (BRIEF §8), measured headless through Pilot.

    python bench/synth.py database /tmp/big.db
    python bench/bench_tui.py /tmp/big.db [--codebook ID|FILE]

Prints: time until a bare Textual app has mounted, time until the annotator shows
its first article, and the median time from pressing "next article" until the
next article is on screen (goal: well under 100 ms).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


async def bare_app_ms() -> float:
    from textual.app import App
    from textual.widgets import Static

    class Bare(App):
        def compose(self):
            yield Static("hello")

    started = time.perf_counter()
    async with Bare().run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        return (time.perf_counter() - started) * 1000


async def annotator_ms(db: Path, codebook: str, moves: int) -> tuple[float, list[float]]:
    """Time to the first article, and from each "next article" key until the frame after it is shown."""
    from annotator.codebook import find_codebook
    from annotator.store import Store
    from annotator.tui.app import AnnotatorApp

    shown: list[float] = []

    import annotator.tui.app as app_module

    class Timed(AnnotatorApp):
        CSS_PATH = str(Path(app_module.__file__).with_name("app.tcss"))

        def on_loaded(self, message) -> None:
            super().on_loaded(message)
            self.call_after_refresh(lambda: shown.append(time.perf_counter()))

    started = time.perf_counter()
    app = Timed(Store(db), "annotator3", find_codebook(codebook))
    async with app.run_test(size=(160, 45)) as pilot:
        while not shown:
            await pilot.pause(0.005)
        first = (shown[0] - started) * 1000
        steps = []
        for _ in range(moves):
            count = len(shown)
            pressed = time.perf_counter()
            await pilot.press("]")
            while len(shown) == count:
                await pilot.pause(0.001)
            steps.append((shown[-1] - pressed) * 1000)
        return first, steps


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db", type=Path)
    parser.add_argument("--codebook", default="ru-ua-framing")
    parser.add_argument("--moves", type=int, default=20)
    args = parser.parse_args()
    bare = asyncio.run(bare_app_ms())
    first, steps = asyncio.run(annotator_ms(args.db, args.codebook, args.moves))
    print(f"bare Textual app mounted      {bare:8.0f} ms")
    print(f"annotator first article shown {first:8.0f} ms")
    print(f"next article (median of {len(steps)})   {statistics.median(steps):8.1f} ms   worst {max(steps):.1f} ms")


if __name__ == "__main__":
    main()
