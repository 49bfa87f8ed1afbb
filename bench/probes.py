"""Measurements that run in a process of their own, started by ``bench/run.py``.

Each prints one JSON object on its last line of stdout.

    python bench/probes.py tui DB --t0 T [--annotator NAME] [--moves N] [--tags N] [--size WxH]
    python bench/probes.py bare --t0 T [--size WxH]
    python bench/probes.py import-floor SOURCE_DB DEST_DB [--plain]
    python bench/probes.py stats-floor DB
    python bench/probes.py export-floor DB OUT
    python bench/probes.py tag-writer DB NAME STOP_FILE
    python bench/probes.py commit-watch DB    (used by tui)

``--t0`` is the parent's ``time.monotonic()`` just before it started this process
(the clock is system-wide on Linux), so "first frame" counts the interpreter's start
and every import, as a person starting the program waits for them.
"""

from __future__ import annotations

import time

STARTED = time.monotonic()  # before any other import

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import sqlite3  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CSS = ROOT / "annotator" / "tui" / "app.tcss"


def peak_rss_kb() -> int:
    """This process's peak resident memory (VmHWM), in KB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def emit(data: dict) -> None:
    print(json.dumps(data), flush=True)


def _size(text: str) -> tuple[int, int]:
    width, height = text.lower().split("x")
    return int(width), int(height)


# -- TUI ----------------------------------------------------------------------------------


async def _wait(predicate, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("the app did not get there in time")
        await asyncio.sleep(0.001)


def tui(args: argparse.Namespace) -> None:
    """The annotator on a database, started through its own command line (``annotator
    --db DB tui``) and driven headless through Textual's Pilot: first frame, first article,
    then "next article" ``--moves`` times and ``--tags`` tags made with the label key."""
    import annotator.tui.app as app_module
    from annotator import cli
    from annotator.tui.widgets.article_view import ArticleView

    imported = time.monotonic()
    marks: dict[str, float] = {}
    shown: dict[tuple[str, str], float] = {}  # (what, article id) -> when it was on screen
    result: dict = {}

    class Timed(app_module.AnnotatorApp):
        # Message handlers of every class in the MRO run, so these only add a mark (no super()).
        def on_mount(self) -> None:
            marks.setdefault("mounted", time.monotonic())
            self.call_after_refresh(lambda: marks.setdefault("first_frame", time.monotonic()))

        def on_loaded(self, message) -> None:
            article_id = message.article.id
            with_suggestions = message.suggestions is not None  # shown in the same frame

            def mark() -> None:
                now = time.monotonic()
                shown.setdefault(("loaded", article_id), now)
                if with_suggestions:
                    shown.setdefault(("suggestions", article_id), now)

            self.call_after_refresh(mark)

        def on_suggestions_found(self, message) -> None:
            article_id = message.article_id
            self.call_after_refresh(lambda: shown.setdefault(("suggestions", article_id), time.monotonic()))

        def run(self, *_, **__) -> None:  # the command line calls app.run(): drive it through Pilot instead
            marks["constructed"] = time.monotonic()
            asyncio.run(session(self))

    def on_screen(article_id: str) -> float | None:
        loaded, found = shown.get(("loaded", article_id)), shown.get(("suggestions", article_id))
        return max(loaded, found) if loaded is not None and found is not None else None

    async def session(app: Timed) -> None:
        async with app.run_test(size=_size(args.size)) as pilot:
            await _wait(lambda: "first_frame" in marks)
            await _wait(lambda: app.annotate.article is not None and on_screen(app.annotate.article.id) is not None)
            first = app.annotate.article.id
            marks["first_article"] = on_screen(first)
            marks["first_article_text"] = shown[("loaded", first)]
            steps, text_steps = [], []
            for _ in range(args.moves):
                before = app.annotate.article.id
                pressed = time.monotonic()
                await pilot.press("]")
                await _wait(lambda: app.annotate.article.id != before and on_screen(app.annotate.article.id) is not None)
                steps.append((on_screen(app.annotate.article.id) - pressed) * 1000)
                text_steps.append((shown[("loaded", app.annotate.article.id)] - pressed) * 1000)
            result["next_ms"], result["next_text_ms"] = steps, text_steps
            result["commit_ms"], result["tag_shown_ms"], made = await _tags(app, pilot, args.tags)
            result["tags_made"] = made
            result["peak_rss_kb"] = peak_rss_kb()
            await app.flush()
        marks["closed"] = time.monotonic()

    async def _tags(app: Timed, pilot, count: int) -> tuple[list[float], list[float], list[str]]:
        """Select a word, press the label key ("1"), and time until a second connection sees
        the tag in the database, and until the key press has been handled and shown. The
        second connection polls in a process of its own (``commit-watch``): a watcher thread
        in this process would wait for the GIL while the screen redraws, and count that wait."""
        import re

        view = app.query_one(ArticleView)
        text = app.annotate.article.text
        words = [m.span() for m in re.finditer(r"[A-Za-z]{5,}", text)]
        tagged = {(t.start, t.end) for t in app.annotate.tags}
        words = [w for w in words if w not in tagged][:: max(1, len(words) // max(1, count))][:count]
        watcher = subprocess.Popen([sys.executable, __file__, "commit-watch", str(args.db)], stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, text=True, bufsize=1)
        loop = asyncio.get_running_loop()
        commit, handled, made = [], [], []
        try:
            for start, end in words:
                view.select_range(start, end)
                await pilot.pause()
                watcher.stdin.write(f"{app.annotate.article.id}\t{app.annotate.annotator}\n")
                if watcher.stdout.readline().strip() != "armed":
                    break
                pressed = time.monotonic()
                await pilot.press("1")
                done = time.monotonic()
                line = await asyncio.wait_for(loop.run_in_executor(None, watcher.stdout.readline), 10)
                if line.strip() and line.strip() != "timeout":
                    commit.append((float(line) - pressed) * 1000)
                    handled.append((done - pressed) * 1000)
                    made.append(app.annotate.history.last.uuid)
        finally:
            watcher.stdin.close()
            watcher.wait(10)
        return commit, handled, made

    argv = ["--db", str(args.db), "tui", "--annotator", args.annotator]
    app_module.AnnotatorApp = Timed  # the command line imports it from the module when it opens the TUI
    try:
        cli.main(argv, standalone_mode=False)
    finally:
        app_module.AnnotatorApp = Timed.__mro__[1]
    made = result.get("tags_made") or []
    if made:  # leave the benchmark database as it was
        conn = sqlite3.connect(str(args.db))
        conn.executemany("DELETE FROM annotations WHERE uuid = ?", [[u] for u in made])
        conn.commit()
        conn.close()
    emit({
        "imports_s": imported - args.t0,
        "constructed_s": marks["constructed"] - args.t0,
        "first_frame_s": marks["first_frame"] - args.t0,
        "first_article_s": marks["first_article"] - args.t0,
        "first_article_text_s": marks["first_article_text"] - args.t0,
        "interpreter_s": STARTED - args.t0,
        **{k: v for k, v in result.items() if k != "tags_made"},
        "tags_made": len(made),
    })


def bare(args: argparse.Namespace) -> None:
    """A bare Textual app with the annotator's layout, widgets of the same kinds, its
    stylesheet and as many footer keys, and no data: what Textual itself costs."""
    from textual.app import App, ComposeResult
    from textual.binding import Binding
    from textual.containers import Horizontal, Vertical, VerticalScroll
    from textual.scroll_view import ScrollView
    from textual.widgets import Footer, Input, Select, Static, TextArea

    imported = time.monotonic()
    marks: dict[str, float] = {}
    frames: list[float] = []

    class Bare(App):
        CSS_PATH = str(CSS)
        HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (130, "-wide")]
        BINDINGS = [Binding("right_square_bracket", "next", "Next article")] + [
            Binding(key, "bell", name, show=True) for key, name in [("D", "Done"), ("S", "Suggestion"), ("A", "Accept"),
                                      ("R", "Reject"), ("T", "Tag…"), ("Q", "Question"), ("ctrl+z", "Undo"),
                                      ("question_mark", "Help")]]

        def compose(self) -> ComposeResult:
            yield Static(id="topbar")
            with Horizontal(id="main"):
                with Vertical(id="sidebar"):
                    yield Input(placeholder="search titles and texts  (/)", id="search", compact=True)
                    yield Select([], prompt="any status", id="status-filter", compact=True)
                    yield Select([], prompt="any outlet", id="outlet-filter", compact=True)
                    yield ScrollView(id="articles")
                with Vertical(id="reader"):
                    yield Static(id="article-head")
                    yield TextArea(read_only=True, highlight_cursor_line=False, id="text")
                with Vertical(id="side"):
                    with Vertical(id="card-scroll"):
                        yield ScrollView(id="outlet-card")  # the annotator's card is a Line-API scroll view
                    with VerticalScroll(id="tag-panel"):
                        yield Static(id="tags-title")
                        yield ScrollView(id="tag-list")  # the annotator's tag list is a Line-API scroll view
                        yield Static(id="tag-keys")
                        yield Static(id="questions")
            yield Footer()

        def on_mount(self) -> None:
            self.theme = "textual-dark"
            self.query_one(TextArea).focus()  # as the annotator focuses its text
            marks["mounted"] = time.monotonic()
            self.call_after_refresh(lambda: marks.setdefault("first_frame", time.monotonic()))

        def action_next(self) -> None:
            """The next article's text, read with plain SQL and shown as it is (no
            highlights, no outlet card, no list): the floor of "next article"."""
            row = self.conn.execute("SELECT rowid, title, text FROM articles WHERE current = 1 AND rowid > ? "
                                    "ORDER BY rowid LIMIT 1", [self.last]).fetchone()
            self.last = row[0]
            self.query_one("#article-head", Static).update(row[1])
            self.query_one(TextArea).load_text(row[2])
            self.call_after_refresh(lambda: frames.append(time.monotonic()))

    async def session() -> None:
        app = Bare()
        async with app.run_test(size=_size(args.size)) as pilot:
            await _wait(lambda: "first_frame" in marks)
            await pilot.pause(0.2)
            marks["peak"] = peak_rss_kb()  # before any data is read
            if args.db is None:
                return
            app.conn, app.last = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True), -1
            await pilot.press("]")
            await _wait(lambda: len(frames) == 1)
            for _ in range(args.moves):
                count, pressed = len(frames), time.monotonic()
                await pilot.press("]")
                await _wait(lambda: len(frames) > count)
                steps.append((frames[-1] - pressed) * 1000)
            app.conn.close()

    steps: list[float] = []
    asyncio.run(session())
    emit({"imports_s": imported - args.t0, "first_frame_s": marks["first_frame"] - args.t0,
          "interpreter_s": STARTED - args.t0, "peak_rss_kb": marks["peak"], "next_ms": steps})


# -- floors -------------------------------------------------------------------------------


def import_floor(args: argparse.Namespace) -> None:
    """The import floor: the rows an import stored, inserted again with sqlite-utils
    ``insert_all`` and no processing, in one transaction, into the annotator's schema
    (same indices, same full-text index and its triggers, same page cache as an import).
    With ``--plain``: into a table with no index at all (the raw write speed, for reference)."""
    import sqlite_utils

    source = sqlite3.connect(f"file:{args.source}?mode=ro", uri=True)
    columns = [d[0] for d in source.execute("SELECT * FROM articles LIMIT 0").description]
    rows = [dict(zip(columns, r)) for r in source.execute("SELECT * FROM articles ORDER BY rowid")]
    outlets = [dict(zip(("id", "name", "country", "state_affiliation", "data", "updated"), r))
               for r in source.execute("SELECT id, name, country, state_affiliation, data, updated FROM outlets")]
    source.close()
    if args.plain:
        db = sqlite_utils.Database(str(args.dest))
        db.conn.execute("PRAGMA journal_mode = WAL")
        db.conn.execute("PRAGMA synchronous = NORMAL")
    else:
        from annotator.store import Store

        db = Store(args.dest).db
        db["outlets"].insert_all(outlets, replace=True)  # a new database already holds the shipped ones
    db.conn.execute("PRAGMA cache_size = -65536")  # the page cache the importer uses (annotator.ingest.importer.IMPORT_CACHE_KIB)
    started = time.perf_counter()
    db.conn.execute("BEGIN")
    db["articles"].insert_all(rows, batch_size=500)
    db.conn.execute("COMMIT")
    seconds = time.perf_counter() - started
    emit({"seconds": seconds, "rows": len(rows)})


def commit_floor(args: argparse.Namespace) -> None:
    """The tag-commit floor: one annotation row inserted and committed with plain sqlite3
    (WAL, synchronous=NORMAL, as the store opens the file), timed until a second
    connection sees it; the rows are deleted again afterwards."""
    import uuid

    conn = sqlite3.connect(str(args.db), isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    reader = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    article_id, sha = conn.execute("SELECT id, text_sha256 FROM articles WHERE current = 1 LIMIT 1").fetchone()
    query = "SELECT count(*) FROM annotations WHERE article_id = ? AND annotator = 'bench-floor'"
    times, made = [], []
    for number in range(args.count):
        before = reader.execute(query, [article_id]).fetchone()[0]
        made.append(str(uuid.uuid4()))
        started = time.monotonic()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO annotations (uuid, article_id, text_sha256, annotator, codebook_id, codebook_version, "
            "category, label, start, \"end\", quote, prefix, suffix, attributes, note, origin, created, updated, "
            "deleted) VALUES (?,?,?,'bench-floor','ru-ua-framing','1','term','kremlin-form',?,?,'x','','','{}',"
            "NULL,'human','2026-01-01T00:00:00+00:00','2026-01-01T00:00:00+00:00',0)",
            [made[-1], article_id, sha, number, number + 1])
        conn.execute("COMMIT")
        while reader.execute(query, [article_id]).fetchone()[0] == before:
            pass
        times.append((time.monotonic() - started) * 1000)
    conn.executemany("DELETE FROM annotations WHERE uuid = ?", [[u] for u in made])
    emit({"commit_ms": times})


STATS_FLOOR_SQL = (
    "SELECT {publisher}, n.category, n.label, {voice} AS voice, count(*) "
    "FROM annotations n {articles} WHERE n.deleted = 0 "
    "GROUP BY {publisher}, n.category, n.label, voice"
)


def stats_floor(args: argparse.Namespace) -> None:
    """The statistics floor: one plain SQL GROUP BY over every live tag (outlet, category,
    label, voice: count), the numbers the statistics are made of. The voice and the outlet
    are read from the annotation's own columns where the schema has them (4 and 5), else out
    of the attributes JSON and the joined article."""
    conn = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    columns = {row[1] for row in conn.execute("PRAGMA table_info(annotations)")}
    voice = "n.voice" if "voice" in columns else "json_extract(n.attributes, '$.voice')"
    if "publisher" in columns:  # schema 5: each annotation keeps its article's publisher
        publisher, articles = "n.publisher", ""
    else:
        publisher, articles = "a.publisher", "JOIN articles a ON a.id = n.article_id"
    started = time.perf_counter()
    rows = conn.execute(STATS_FLOOR_SQL.format(voice=voice, publisher=publisher, articles=articles)).fetchall()
    emit({"seconds": time.perf_counter() - started, "rows": len(rows), "tags": sum(r[-1] for r in rows)})


def export_floor(args: argparse.Namespace) -> None:
    """The export floor: every live tag with its article's outlet, streamed by plain SQL
    into Python's csv writer (``--json``: each row through json.dumps)."""
    import csv
    import json

    conn = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    started = time.perf_counter()
    count = 0
    with open(args.out, "w", newline="", encoding="utf-8") as fh:
        cursor = conn.execute(
            "SELECT n.uuid, n.article_id, a.publisher, a.original_source, n.annotator, n.codebook_id, "
            "n.codebook_version, n.category, n.label, n.start, n.\"end\", n.quote, n.prefix, n.suffix, "
            "n.attributes, n.note, n.origin, n.created, n.updated FROM annotations n "
            "JOIN articles a ON a.id = n.article_id WHERE n.deleted = 0")
        names = [d[0] for d in cursor.description]
        if args.json:  # --json: each row as one JSON object per line
            for row in cursor:
                fh.write(json.dumps(dict(zip(names, row)), ensure_ascii=False) + "\n")
                count += 1
        else:
            writer = csv.writer(fh)
            writer.writerow(names)
            for row in cursor:
                writer.writerow(row)
                count += 1
    emit({"seconds": time.perf_counter() - started, "rows": count, "peak_rss_kb": peak_rss_kb()})


def tag_writer(args: argparse.Namespace) -> None:
    """An annotator tagging as the TUI does (``Store.add_annotation``, and
    ``swap_annotations`` replacing an answer every other write), one write every 10 ms,
    until STOP_FILE exists: what it wrote, what failed and how long each write waited."""
    import uuid

    from annotator.models import Annotation
    from annotator.store import Store

    store = Store(args.db)
    ids = [row.id for row in store.list_articles(limit=20)]
    articles = [store.article(i) for i in ids]
    written: list[str] = []
    failures: list[str] = []
    waits: list[float] = []
    previous = None
    while not args.stop.exists():
        article = articles[len(waits) % len(articles)]
        tag = Annotation(uuid=str(uuid.uuid4()), article_id=article.id, text_sha256=article.text_sha256,
                         annotator=args.name, codebook_id="bench", codebook_version="1", category="answer", label="yes")
        started = time.perf_counter()
        try:
            if previous is None or len(waits) % 2:
                store.add_annotation(tag)
            else:
                store.swap_annotations([previous], [], tag)
            written.append(tag.uuid)
            previous = tag.uuid
        except Exception as exc:  # "database is locked" is what this counts
            failures.append(f"{type(exc).__name__}: {exc}")
        waits.append(time.perf_counter() - started)
        time.sleep(0.01)
    emit({"written": written, "failures": failures, "waits": waits})


def commit_watch(args: argparse.Namespace) -> None:
    """For each stdin line "ARTICLE_ID<TAB>ANNOTATOR": count that annotator's rows on the
    article, answer "armed", then poll a read-only connection until the count grows and
    answer with ``time.monotonic()`` at that moment (or "timeout" after 10 s)."""
    reader = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    query = "SELECT count(*) FROM annotations WHERE article_id = ? AND annotator = ?"
    for line in sys.stdin:
        article_id, annotator = line.rstrip("\n").split("\t")
        before = reader.execute(query, [article_id, annotator]).fetchone()[0]
        print("armed", flush=True)
        deadline = time.monotonic() + 10
        while reader.execute(query, [article_id, annotator]).fetchone()[0] <= before:
            if time.monotonic() > deadline:
                print("timeout", flush=True)
                break
            time.sleep(0.0002)
        else:
            print(repr(time.monotonic()), flush=True)
    reader.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="probe", required=True)
    p = sub.add_parser("tui")
    p.add_argument("db", type=Path)
    p.add_argument("--t0", type=float, required=True)
    p.add_argument("--annotator", default="annotator00")
    p.add_argument("--moves", type=int, default=40)
    p.add_argument("--tags", type=int, default=20)
    p.add_argument("--size", default="160x45")
    p = sub.add_parser("bare")
    p.add_argument("--t0", type=float, required=True)
    p.add_argument("--size", default="160x45")
    p.add_argument("--db", type=Path, help="then time showing the next article's text --moves times")
    p.add_argument("--moves", type=int, default=40)
    p = sub.add_parser("commit-floor")
    p.add_argument("db", type=Path)
    p.add_argument("--count", type=int, default=20)
    p = sub.add_parser("commit-watch")
    p.add_argument("db", type=Path)
    p = sub.add_parser("import-floor")
    p.add_argument("source", type=Path)
    p.add_argument("dest", type=Path)
    p.add_argument("--plain", action="store_true")
    p = sub.add_parser("stats-floor")
    p.add_argument("db", type=Path)
    p = sub.add_parser("export-floor")
    p.add_argument("db", type=Path)
    p.add_argument("out", type=Path)
    p.add_argument("--json", action="store_true", help="JSON lines (json.dumps per row) instead of CSV")
    p = sub.add_parser("tag-writer")
    p.add_argument("db", type=Path)
    p.add_argument("name")
    p.add_argument("stop", type=Path)
    args = parser.parse_args()
    {"tui": tui, "bare": bare, "import-floor": import_floor, "stats-floor": stats_floor,
     "export-floor": export_floor, "commit-floor": commit_floor, "commit-watch": commit_watch,
     "tag-writer": tag_writer}[args.probe](args)


if __name__ == "__main__":
    main()
