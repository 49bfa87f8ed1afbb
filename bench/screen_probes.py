"""The team screens, timed headless in a process of their own (started by ``bench/run.py``).

Each prints one JSON object on its last line of stdout.

    python bench/screen_probes.py review DB [--reviewer NAME] [--moves N] [--size WxH]
    python bench/screen_probes.py story DB [--annotator NAME] [--stories N] [--size WxH]
    python bench/screen_probes.py story-floor DB [--stories N] [--size WxH]

``review``: the annotator's TUI started through its command line; ``W`` opens the review
screen (time to its first article drawn, and until every article two or more annotators
tagged is in the order, read in the background), then ``]`` goes through articles five annotators tagged (the probe puts
them first in the screen's order; each ``]`` reads and draws the article, its outlet, every
annotator's tags and the disagreements), time from the key to the frame.

``story``: on articles of four-article stories, ``C`` opens the story screen: time from the
key to the frame with the four columns drawn (texts, outlet cards, tags, suggestions).

``story-floor``: a bare Textual app pushing a screen of four text columns whose titles and
texts are read by plain SQL: what Textual and SQLite alone cost for the same key.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from probes import _size, _wait, emit, peak_rss_kb  # noqa: E402

ARGS = argparse.Namespace(size="160x45")  # the command line's, set by main()
FIVE_CODED = """SELECT article_id FROM annotations WHERE deleted = 0 GROUP BY article_id
                HAVING count(DISTINCT annotator) >= 5 ORDER BY article_id LIMIT ?"""
FOUR_ARTICLE_STORIES = """SELECT story, min(id) FROM articles WHERE current = 1 AND story IS NOT NULL
                          GROUP BY story HAVING count(*) = 4 ORDER BY story LIMIT ?"""


def _read_only(db: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{db}?mode=ro", uri=True)


def _through_cli(db: Path, annotator: str, session) -> None:
    """Start the annotator's TUI as ``annotator --db DB tui`` does, driven by ``session(app, pilot)``."""
    import annotator.tui.app as app_module
    from annotator import cli

    class Driven(app_module.AnnotatorApp):
        def run(self, *_, **__) -> None:  # the command line calls app.run(): drive it through Pilot instead
            async def drive() -> None:
                async with self.run_test(size=_size(ARGS.size)) as pilot:
                    await _wait(lambda: self.annotate.article is not None, timeout=120)
                    await session(self, pilot)
                    await self.flush()

            asyncio.run(drive())

    app_module.AnnotatorApp = Driven
    try:
        cli.main(["--db", str(db), "tui", "--annotator", annotator], standalone_mode=False)
    finally:
        app_module.AnnotatorApp = Driven.__mro__[1]


def review(args: argparse.Namespace) -> None:
    import annotator.tui.screens.review.screen as review_module

    drawn: dict[str, float] = {}  # article id -> first frame after its review was read
    counts: dict[str, tuple[int, int]] = {}  # article id -> (annotators, disagreements)
    base = review_module.ReviewScreen

    class Timed(base):
        def on_review_read(self, message) -> None:  # (the base class's handler runs too)
            article_id = message.article.id
            counts[article_id] = (len(message.review.annotators), len(message.review.disagreements))
            self.call_after_refresh(lambda: drawn.setdefault(article_id, time.monotonic()))

    five = [row[0] for row in _read_only(args.db).execute(FIVE_CODED, [args.moves + 1])]
    result: dict = {}

    async def session(app, pilot) -> None:
        pressed = time.monotonic()
        await pilot.press("W")
        await _wait(lambda: isinstance(app.screen, Timed) and app.screen.article is not None
                    and app.screen.article.id in drawn, timeout=600)
        screen = app.screen
        result["open_s"] = drawn[screen.article.id] - pressed
        await _wait(lambda: getattr(screen, "ordered", True), timeout=600)  # every article to review in order
        result["ordered_s"] = time.monotonic() - pressed
        result["articles_to_review"] = len(screen.order)
        steps, sizes = [], []
        # the articles five annotators tagged next in the order, as if they had the most left
        five[:] = [a for a in five if a != screen.article.id]
        screen.order = [screen.article.id] + five + [a for a in screen.order if a not in five and a != screen.article.id]
        for article_id in five:
            drawn.pop(article_id, None)
            pressed = time.monotonic()
            await pilot.press("right_square_bracket")
            await _wait(lambda: article_id in drawn)
            steps.append((drawn[article_id] - pressed) * 1000)
            sizes.append(counts[article_id])
            if len(steps) >= args.moves:
                break
        result["next_ms"], result["annotators_disagreements"] = steps, sizes
        result["peak_rss_kb"] = peak_rss_kb()

    review_module.ReviewScreen = Timed
    try:
        _through_cli(args.db, args.reviewer, session)
    finally:
        review_module.ReviewScreen = base
    emit({**result, "five_coded": len(five)})


def story(args: argparse.Namespace) -> None:
    import annotator.tui.screens.story.screen as story_module

    drawn: dict[str, float] = {}  # story -> first frame after its articles were read
    base = story_module.StoryScreen

    class Timed(base):
        def _show_story(self, articles) -> None:  # the articles read (before the screen, or by it)
            super()._show_story(articles)
            story_id = self.story
            self.call_after_refresh(lambda: drawn.setdefault(story_id, time.monotonic()))

    stories = list(_read_only(args.db).execute(FOUR_ARTICLE_STORIES, [args.stories]))
    result: dict = {}

    async def session(app, pilot) -> None:
        steps = []
        for story_id, first in stories:
            app.annotate.open_article(first)
            await _wait(lambda: app.annotate.article is not None and app.annotate.article.id == first)
            await pilot.pause(0.05)
            pressed = time.monotonic()
            await pilot.press("C")
            await _wait(lambda: story_id in drawn)
            steps.append((drawn[story_id] - pressed) * 1000)
            await pilot.press("escape")
            await _wait(lambda: not isinstance(app.screen, Timed))
        result["open_ms"] = steps
        result["peak_rss_kb"] = peak_rss_kb()

    story_module.StoryScreen = Timed
    try:
        _through_cli(args.db, args.annotator, session)
    finally:
        story_module.StoryScreen = base
    emit(result)


def story_floor(args: argparse.Namespace) -> None:
    from textual.app import App, ComposeResult
    from textual.containers import Horizontal, Vertical
    from textual.screen import Screen
    from textual.widgets import Footer, Static, TextArea

    conn = _read_only(args.db)
    stories = list(conn.execute(FOUR_ARTICLE_STORIES, [args.stories]))
    frames: list[float] = []

    class Columns(Screen):
        BINDINGS = [("escape", "app.pop_screen", "Back")]

        def __init__(self, story_id: str) -> None:
            super().__init__()
            self.story_id = story_id

        def compose(self) -> ComposeResult:
            with Horizontal():
                for number in range(4):
                    with Vertical():
                        yield Static(id=f"head-{number}")
                        yield TextArea(read_only=True, id=f"text-{number}")
            yield Footer()

        def on_mount(self) -> None:
            rows = conn.execute("SELECT title, text FROM articles WHERE current = 1 AND story = ? ORDER BY id",
                                [self.story_id]).fetchall()
            for number, (title, text) in enumerate(rows[:4]):
                self.query_one(f"#head-{number}", Static).update(title)
                self.query_one(f"#text-{number}", TextArea).load_text(text)
            self.call_after_refresh(lambda: frames.append(time.monotonic()))

    class Bare(App):
        BINDINGS = [("C", "story", "Story")]

        def compose(self) -> ComposeResult:
            yield Static("bare")
            yield Footer()

        def action_story(self) -> None:
            self.push_screen(Columns(self.story_id))

    async def session() -> None:
        app = Bare()
        steps = []
        async with app.run_test(size=_size(args.size)) as pilot:
            for story_id, _ in stories:
                app.story_id = story_id
                count, pressed = len(frames), time.monotonic()
                await pilot.press("C")
                await _wait(lambda: len(frames) > count)
                steps.append((frames[-1] - pressed) * 1000)
                await pilot.press("escape")
                await pilot.pause(0.02)
        emit({"open_ms": steps})

    asyncio.run(session())


PROBES = {  # name: (function, its options beside DB and --size, default size)
    "review": (review, [("--reviewer", str, "reviewer"), ("--moves", int, 20)], "160x45"),
    "story": (story, [("--annotator", str, "annotator00"), ("--stories", int, 10)], "180x50"),
    "story-floor": (story_floor, [("--stories", int, 10)], "180x50"),
}


def main() -> None:
    global ARGS
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="probe", required=True)
    for name, (_, options, size) in PROBES.items():
        p = sub.add_parser(name)
        p.add_argument("db", type=Path)
        p.add_argument("--size", default=size)
        for option, kind, default in options:
            p.add_argument(option, type=kind, default=default)
    ARGS = parser.parse_args()
    PROBES[ARGS.probe][0](ARGS)


if __name__ == "__main__":
    main()
