"""The ``annotator`` command line (click). Thin: it parses arguments, calls the
library and prints. Textual is imported only when the TUI is opened."""

from __future__ import annotations

import errno
import io
import json
import os
import sys
from functools import wraps
from pathlib import Path
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Callable

import click
from rich.text import Text

from . import DEFAULT_DB
from .normalize import printable
from .paths import display_path

if TYPE_CHECKING:  # the store (pydantic models) and rich's console are imported when used
    from rich.console import Console

    from .store import Store

DEMO_CORPUS = Path("corpus")


def _console(stderr: bool = False) -> Console:
    # soft_wrap: one message stays one line in pipes and files; tables, panels and cards
    # are printed with soft_wrap=False so they wrap inside their borders
    from rich.console import Console

    class QuietConsole(Console):
        def on_broken_pipe(self) -> None:  # rich's own ends with status 1; ours as every command does
            self.quiet = True
            quiet_exit_on_closed_pipe()

    return QuietConsole(stderr=stderr, highlight=False, soft_wrap=True)


def fail(message: str, code: int = 1) -> None:
    """Print the error, one line per problem (never markup-parsed, no escape sequences), and exit."""
    console = _console(stderr=True)
    for line in message.splitlines() or [""]:
        console.print(Text("error: ", style="bold red") + Text(printable(line)))
    sys.exit(code)


READER_GONE = 128 + 13  # 128 + SIGPIPE: the status a shell shows for `yes | head -1`'s yes


def reader_gone(exc: BaseException) -> bool:
    """True when ``exc`` says standard output's reader has gone (`annotator stats | head -1`)."""
    return isinstance(exc, BrokenPipeError) or (isinstance(exc, OSError) and exc.errno == errno.EPIPE)


def quiet_exit_on_closed_pipe() -> None:
    """End quietly, as Unix tools do when their reader goes: no message, exit status 141.
    Standard output is pointed at /dev/null so that flushing it at exit cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass  # not a real file (tests): nothing is flushed to a pipe at exit
    sys.exit(READER_GONE)


class AnnotatorGroup(click.Group):
    """The ``annotator`` group: a closed standard output ends every command quietly."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # what is still buffered fails here, not in the interpreter's exit
            return result
        except OSError as exc:
            if reader_gone(exc):
                quiet_exit_on_closed_pipe()
            raise


DB_HELP = {
    "reads": f"The annotations database (default ./{DEFAULT_DB}); it must exist.",
    "creates": f"The annotations database (default ./{DEFAULT_DB}); created when missing.",
    "group": f"The annotations database (default ./{DEFAULT_DB}). With no command it is created when missing "
             "if ./corpus is there to import into it; each command's --help says what it does.",
}


def db_option(func: Callable | None = None, *, use: str = "reads") -> Callable:
    """``--db FILE`` for every command (a subcommand's own --db wins over the group's); ``use``
    says in its help what the command does with a missing file (reads, creates, group)."""
    option = click.option("--db", "db_path", type=click.Path(path_type=Path), default=None, help=DB_HELP[use])
    return option(func) if func is not None else option


def inherited(name: str, value: Any) -> Any:
    """An option's value, else the same option given to an enclosing group
    (``annotator --annotator bob tui`` means the same as ``annotator tui --annotator bob``)."""
    ctx = click.get_current_context(silent=True)
    while value is None and ctx is not None:
        value = (ctx.params or {}).get(name)
        ctx = ctx.parent
    return value


def resolve_db(db_path: Path | None) -> Path:
    return inherited("db_path", db_path) or Path(DEFAULT_DB)


def open_store(db_path: Path) -> Store:
    from .store import Store, StoreError

    try:
        return Store(db_path)
    except StoreError as exc:
        fail(str(exc))
    raise AssertionError  # unreachable


def store_command(func: Callable, creates: bool = False) -> Callable:
    """Open the store from ``--db`` and pass it in as ``store``. Only commands that
    ``create`` data make a missing database; the others say it is missing (a typo in
    ``--db`` must not leave an empty database behind)."""

    @db_option(use="creates" if creates else "reads")
    @wraps(func)
    def wrapper(db_path: Path | None, **kwargs: Any) -> Any:
        path = resolve_db(db_path)
        existed = path.exists()
        if not creates and not existed:
            fail(f"{path}: no such database (`annotator import PATH` or `annotator` in a folder with corpus/ makes one)")
        store = open_store(path)
        click.get_current_context().meta["new_database"] = not existed
        try:
            return func(store=store, **kwargs)
        finally:
            if not existed:
                discard_if_empty(store)

    return wrapper


def holds_nothing(store: Store) -> bool:
    """True when the database has no article (of any version), no outlet and no tag."""
    return store.count_articles(current_only=False) == 0 and not store.outlets() and not store.annotators()


def discard_if_empty(store: Store) -> bool:
    """Remove a database this command created when nothing was stored in it (every input
    rejected, a wrong option): no empty file is left behind. True when removed."""
    try:
        if not holds_nothing(store):
            return False
    except Exception:  # noqa: BLE001 - unreadable: not ours to judge, leave it
        return False
    store.close()
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{store.path}{suffix}").unlink(missing_ok=True)
    return True


def creating_store_command(func: Callable) -> Callable:
    """:func:`store_command` for commands that may create the database (import, tui)."""
    return store_command(func, creates=True)


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@click.group(cls=AnnotatorGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@db_option(use="group")
@click.option("--annotator", "annotator_name", help="Your name on your tags (default: configuration, $ANNOTATOR_NAME, login name).")
@click.option("--codebook", "codebook_ref", help="Codebook id (shipped in schemas/) or YAML file.")
@click.pass_context
def main(ctx: click.Context, db_path: Path | None, annotator_name: str | None, codebook_ref: str | None) -> None:
    """Tag how news articles frame events, beside what is known about their outlet.

    With no command: when the database has no articles yet, imports ./corpus into it
    (creating it); then opens the TUI, or lists the articles when not run in a terminal.
    """
    if ctx.invoked_subcommand is not None:
        return
    db_path = resolve_db(db_path)
    existed = db_path.exists()
    what_to_do = (f"run `annotator` in the repository folder (it has {DEMO_CORPUS}/), import articles first with "
                  "`annotator import PATH`, or name another database with --db FILE")
    if not existed and not DEMO_CORPUS.is_dir():
        fail(f"no database {db_path} here and no ./{DEMO_CORPUS} folder to build it from: {what_to_do}")
    store = open_store(db_path)
    try:
        _first_run(store, db_path, what_to_do, annotator_name, codebook_ref)
    finally:
        if not existed:
            discard_if_empty(store)


def _first_run(store: Store, db_path: Path, what_to_do: str, annotator_name: str | None,
               codebook_ref: str | None) -> None:
    """``annotator`` with no command: import ./corpus into a database without articles, then
    open the TUI (or list the articles when not in a terminal)."""
    if store.count_articles() == 0:
        if not DEMO_CORPUS.is_dir():
            fail(f"{db_path} has no articles and there is no ./{DEMO_CORPUS} folder: {what_to_do}")
        if not _run_import(store, [DEMO_CORPUS], None, None, None, 5) and store.count_articles() == 0:
            sys.exit(1)
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        _console(stderr=True).print(Text("not a terminal: listing the articles instead of opening the TUI"))
        _print_articles(store, as_json=False, all_versions=False)
        return
    _open_tui(store, annotator_name, codebook_ref)


def _open_tui(store: Store | Path, annotator_name: str | None, codebook_ref: str | None) -> None:
    """Open the TUI on ``store`` (an open store, or the database's path: created when missing).

    The TUI draws its layout first and then reads the configuration and the codebook and
    opens the database in a worker (``annotator.tui.opening``), so its first frame does not
    wait for sqlite-utils, pydantic or the codebook. What goes wrong there (a bad
    configuration, an unknown codebook, a database that cannot be used) closes the TUI and
    is one error line here, with exit status 1."""
    from .tui.app import AnnotatorApp  # Textual is imported only here
    from .tui.opening import OpenRequest

    opened = not isinstance(store, Path)
    request = OpenRequest(
        db_path=store.path if opened else store,  # type: ignore[union-attr]
        annotator_name=inherited("annotator_name", annotator_name),
        codebook_ref=codebook_ref or inherited("codebook_ref", None),
        store=store if opened else None,
    )
    app = AnnotatorApp(request=request)
    app.run()
    if app.open_error is not None:
        fail(app.open_error)


@main.command()
@click.option("--annotator", "annotator_name", help="Your name on your tags (default: configuration, $ANNOTATOR_NAME, login name).")
@click.option("--codebook", "codebook_ref", help="Codebook id (shipped in schemas/) or YAML file.")
@db_option(use="creates")
def tui(db_path: Path | None, annotator_name: str | None, codebook_ref: str | None) -> None:
    """Open the annotation TUI."""
    _open_tui(resolve_db(db_path), annotator_name, codebook_ref)


def _run_import(store: Store, paths: list[Path], manifest: Path | None, registry: Path | None,
                encoding: str | None, max_mb: float) -> bool:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from .importer import import_paths

    err = _console(stderr=True)
    out = _console()
    with Progress(TextColumn("importing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=err, transient=True, disable=not err.is_terminal) as progress:
        task = progress.add_task("import", total=None)

        def on_file(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        report = import_paths(store, paths, manifest, registry, encoding, int(max_mb * 1048576), on_file)
    for where, reason in report.rejected:
        err.print(Text("rejected: ", style="bold red") + Text(f"{where}: {reason}"))
    for where, existing in report.duplicates:
        out.print(Text("duplicate: ", style="yellow") + Text(f"{where}: same text as article {existing}, skipped"))
    for where, note in report.notes:
        out.print(Text("note: ", style="cyan") + Text(f"{where}: {note}"))
    for where, new, old in report.new_versions:
        out.print(Text("new version: ", style="green") + Text(f"{where}: {new} replaces {old}"))
    summary = Text.assemble(
        ("Imported ", "bold"), (str(len(report.imported)), "bold green"), " new article(s), ",
        (str(len(report.new_versions)), "bold green"), " new version(s); ",
        (str(len(report.duplicates)), "bold yellow"), " duplicate(s) skipped; ",
        (str(len(report.rejected)), "bold red" if report.rejected else "bold"), " rejected",
    )
    if report.skipped:
        summary.append(f"; {len(report.skipped)} non-article file(s) ignored")
    if report.outlets_updated:
        summary.append(f"; {report.outlets_updated} outlet(s) added or updated")
    out.print(summary)
    return report.ok


@main.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--manifest", type=click.Path(path_type=Path), help="YAML or CSV manifest of per-file facts.")
@click.option("--registry", type=click.Path(path_type=Path), help="Outlet registry YAML (default: outlets.yaml in a given folder).")
@click.option("--encoding", help="Decode every file with this encoding instead of detecting it.")
@click.option("--max-mb", type=click.FloatRange(min=0.001), default=5, show_default=True, help="Largest article text accepted, in MB.")
@creating_store_command
def import_command(store: Store, paths: tuple[Path, ...], manifest: Path | None, registry: Path | None,
                   encoding: str | None, max_mb: float) -> None:
    """Import articles from files and folders (.txt .md .html .json .jsonl .csv)."""
    for option, path in (("--manifest", manifest), ("--registry", registry)):
        if path is not None and not path.is_file():
            fail(f"{option} {path}: {'is a folder, not a file' if path.is_dir() else 'no such file'}", 2)
    if encoding:
        import codecs

        try:
            known = codecs.lookup(encoding)
        except LookupError:
            fail(f"--encoding {encoding!r}: unknown encoding", 2)
        if not getattr(known, "_is_text_encoding", True):  # rot13, base64, zlib: not a text encoding
            fail(f"--encoding {encoding!r}: not a text encoding", 2)
    ok = _run_import(store, list(paths), manifest, registry, encoding, max_mb)
    if click.get_current_context().meta.get("new_database") and holds_nothing(store):
        _console().print(Text("note: ", style="cyan") + Text(f"nothing was stored, so {display_path(store.path)} "
                                                            "was not created"))
    sys.exit(0 if ok else 1)


def _outlet_names(store: Store) -> dict[str, str]:
    return {o.id: o.name for o in store.outlets()}


TABLE_LIMIT = 300  # longer lists are streamed as plain lines, page by page


def _print_articles(store: Store, as_json: bool, all_versions: bool) -> None:
    current_only = not all_versions
    total = store.count_articles(current_only=current_only)
    if as_json:
        print_json([r.__dict__ for r in store.list_articles(current_only=current_only)])
        return
    names = _outlet_names(store)
    if total <= TABLE_LIMIT:
        from .render import articles_table

        console = _console()
        rows = store.list_articles(current_only=current_only)
        console.print(articles_table(rows, names, len(rows), console.width), soft_wrap=False)
        return
    click.echo(f"{total} articles (id, date, words, tags, publisher: title)")
    for offset in range(0, total, 1000):
        for r in store.list_articles(offset=offset, limit=1000, current_only=current_only):
            publisher = names.get(r.publisher or "", r.publisher or "unknown outlet")
            click.echo(f"{r.id}  {str(r.published_date):<11} {r.word_count:>6} {r.annotations:>5}  "
                       f"{printable(publisher)}: {printable(r.title)}")


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.option("--all-versions", is_flag=True, help="Include older versions of re-imported articles.")
@store_command
def articles(store: Store, as_json: bool, all_versions: bool) -> None:
    """List the current articles (every version with --all-versions): id, outlets, title, date, words, tags."""
    _print_articles(store, as_json, all_versions)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@store_command
def outlets(store: Store, as_json: bool) -> None:
    """List the outlet registry stored in the database."""
    items = store.outlets()
    if as_json:
        print_json([o.model_dump(mode="json") for o in items])
        return
    from .render import outlets_table

    _console().print(outlets_table(items), soft_wrap=False)


@main.command()
@click.argument("article")
@click.option("--json", "as_json", is_flag=True, help="Print the whole record as JSON.")
@store_command
def show(store: Store, article: str, as_json: bool) -> None:
    """Show one article (id, or a unique id prefix of 4+ characters) beside its outlet card(s), then its tags."""
    found = find_article(store, article)
    publisher, original = store.outlet(found.publisher), store.outlet(found.original_source)
    tags = store.annotations(found.id)  # live ones
    if as_json:
        data = found.model_dump(mode="json")
        data["publisher_outlet"] = publisher.model_dump(mode="json") if publisher else None
        data["original_source_outlet"] = original.model_dump(mode="json") if original else None
        data["tags"] = [a.model_dump(mode="json") for a in tags]
        print_json(data)
        return
    from .render import article_view, tags_table

    console = _console()
    console.print(article_view(found, publisher, original, console.width), soft_wrap=False)
    console.print()
    console.print(tags_table(tags, codebook_names(), console.width), soft_wrap=False)


def codebook_names() -> Callable[[str], Any]:
    """``names(codebook_id)``: the :class:`annotator.naming.Names` of the codebook tags were made
    with: the configured (or ``--codebook``) one when its id matches, else the shipped one
    of that id; ids as they are when neither is at hand."""
    from .codebook import find_codebook
    from .naming import Names
    from .readers import InputError

    found: dict[str, Names] = {}
    try:
        configured = load_codebook_or_fail(None, quiet=True)
    except InputError:
        configured = None

    def names(codebook_id: str) -> Names:
        if codebook_id not in found:
            book = configured if configured is not None and configured.id == codebook_id else None
            if book is None:
                try:
                    book = find_codebook(codebook_id)
                except InputError:
                    book = None
            found[codebook_id] = Names(book if book is not None and book.id == codebook_id else None)
        return found[codebook_id]

    return names


MIN_PREFIX = 4  # characters of an article id that find it (Store.article)


def find_article(store: Store, ref: str):
    """The article ``ref`` names (an id or a unique prefix of one), else an error line saying
    why: a prefix too short, one that fits several articles, or no article at all."""
    found = store.article(ref)
    if found is not None:
        return found
    shown = printable(ref.strip())
    if len(ref.strip()) < MIN_PREFIX:
        fail(f"article {shown!r}: an id prefix needs at least {MIN_PREFIX} characters "
             "(see `annotator articles` for ids)", 2)
    matching = store.article_ids_starting(ref, limit=4)
    if len(matching) > 1:
        listed = ", ".join(matching[:3]) + (", …" if len(matching) > 3 else "")
        fail(f"article {shown!r}: ambiguous, the start of several article ids ({listed}); give more characters", 2)
    fail(f"no article {shown!r} (see `annotator articles` for ids)")


def codebook_option(func: Callable) -> Callable:
    """``--codebook ID|FILE`` (default: configuration, else the shipped default)."""
    return click.option("--codebook", "codebook_ref", help="Codebook id (shipped in schemas/) or YAML file.")(func)


def load_codebook_or_fail(ref: str | None, config=None, quiet: bool = False):
    """The codebook named by ``ref``, else by ``--codebook`` on the group, else by the
    configuration (``config`` when already read); an error line and exit when it fails
    (``quiet``: :class:`annotator.readers.InputError` is raised instead)."""
    from .codebook import find_codebook
    from .config import load_config
    from .readers import InputError

    try:
        return find_codebook(ref or inherited("codebook_ref", None) or (config or load_config()).codebook)
    except InputError as exc:
        if quiet:
            raise
        fail(str(exc))


def _partial_date(option: str, value: str | None) -> str | None:
    from .models import PartialDate

    if value is None:
        return None
    from pydantic import ValidationError

    try:
        return PartialDate.parse(value).value
    except ValidationError as exc:
        reason = exc.errors()[0]["msg"].removeprefix("Value error, ")
    except ValueError as exc:
        reason = str(exc)
    fail(f"{option} {value!r}: not a date YYYY, YYYY-MM or YYYY-MM-DD ({reason})", 2)
    return None


def report_options(func: Callable) -> Callable:
    """Output and filter options shared by ``stats`` and ``agreement``."""
    from .tables import FORMATS

    options = [
        click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
                     help="table (terminal), csv, json or md (Markdown)."),
        click.option("--out", "out_path", type=click.Path(path_type=Path, dir_okay=False),
                     help="Write to FILE (whole or not at all) instead of standard output."),
        click.option("--since", help="Articles published on or after YYYY[-MM[-DD]]."),
        click.option("--until", help="Articles published on or before YYYY[-MM[-DD]]."),
        click.option("--story", help="Only articles of this story."),
        click.option("--adjudicator", default="gold", show_default=True,
                     help="The annotator name whose tags are the adjudicated (gold) ones."),
        codebook_option,
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _write_report(tables: list, fmt: str, out_path: Path | None, facts: dict[str, Any]) -> None:
    from .tables import output_file, rich_table, write_tables

    try:
        with output_file(out_path) as out:
            if fmt != "table":
                write_tables(tables, fmt, out, facts)
                return
            from rich.console import Console

            console = _console() if out is sys.stdout else Console(file=out, width=120, no_color=True, highlight=False)
            for key, value in facts.items():
                console.print(Text.assemble((f"{key}: ", "bold"), printable(str(value))))
            for table in tables:
                console.print()
                if not table.rows:
                    console.print(Text(printable(table.title), style="bold"))
                    console.print(Text("  nothing to count yet", style="dim"))
                    continue
                console.print(rich_table(table, console.width), soft_wrap=False)
    except OSError as exc:
        if out_path is None and reader_gone(exc):
            raise
        fail(f"--out {display_path(out_path) if out_path else '-'}: cannot write ({exc.strerror or exc})")


def _known_annotators(store: Store, names: Iterable[str], what: str) -> None:
    """Fail (exit 2) on the first name with no annotations, listing who has some."""
    known = set(store.annotators())
    for name in names:
        if name not in known:
            fail(f"{what} {name!r}: no annotations by that name (annotators: {', '.join(sorted(known)) or 'none yet'})", 2)


@main.command()
@click.option("--by", "by", default="outlet", show_default=True,
              help="Which table: outlet, label, concept, answers, story, annotator, or all (comma-separate several).")
@click.option("--count", "counting", default="all", show_default=True,
              help="Whose tags count: all (every annotator but the adjudicator), adjudicated, or annotators' names (a,b).")
@click.option("--outlet-by", type=click.Choice(["publisher", "source"]), default="publisher", show_default=True,
              help="Outlet = the publisher, or the original source where known (syndicated articles).")
@report_options
@store_command
def stats(store: Store, by: str, counting: str, outlet_by: str, fmt: str, out_path: Path | None, since: str | None,
          until: str | None, story: str | None, adjudicator: str, codebook_ref: str | None) -> None:
    """Tag statistics: counts, rates per 1,000 words and variant shares per outlet, split by voice."""
    from .stats import BY, Counting, header, make_context, statistics

    wanted = list(BY) if by.strip() == "all" else [b.strip() for b in by.split(",") if b.strip()]
    unknown = [b for b in wanted if b not in BY]
    if unknown or not wanted:
        fail(f"--by {by!r}: use {', '.join(BY)} or all", 2)
    choice = Counting.parse(counting, adjudicator)
    _known_annotators(store, choice.annotators, "--count" if choice.mode == "annotators" else "--adjudicator")
    book = load_codebook_or_fail(codebook_ref)
    ctx = make_context(store, book, choice, _partial_date("--since", since), _partial_date("--until", until),
                       story, outlet_by)
    _write_report(statistics(ctx, wanted), fmt, out_path, {"database": str(store.path), **header(ctx, choice)})


@main.command()
@click.option("--annotators", help="Comma-separated annotators to compare (default: all but the adjudicator).")
@click.option("--pairs/--no-pairs", default=True, show_default=True, help="Also Cohen's kappa per pair of annotators.")
@report_options
@store_command
def agreement(store: Store, annotators: str | None, pairs: bool, fmt: str, out_path: Path | None, since: str | None,
              until: str | None, story: str | None, adjudicator: str, codebook_ref: str | None) -> None:
    """Inter-annotator agreement: Krippendorff's alpha per question and span label, Cohen's kappa per pair."""
    from .agreement import agreement_tables, items
    from .store import TagScope

    book = load_codebook_or_fail(codebook_ref)
    coders = tuple(a.strip() for a in annotators.split(",") if a.strip()) if annotators else None
    _known_annotators(store, coders or (), "--annotators")
    scope = TagScope(codebook=book.id, annotators=coders, exclude_annotators=() if coders else (adjudicator,),
                     since=_partial_date("--since", since), until=_partial_date("--until", until), story=story)
    tables = agreement_tables(items(store, book, scope), pairs)
    who = ", ".join(coders) if coders else f"every annotator but the adjudicator {adjudicator!r}"
    _write_report(tables, fmt, out_path, {"database": str(store.path), "codebook": f"{book.id} {book.version}",
                                          "annotators": who})


@main.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl", "w3c"]), default="jsonl", show_default=True,
              help="csv (a spreadsheet-safe table), jsonl (one JSON object per line) or w3c (W3C Web Annotation JSON-LD).")
@click.option("--out", "out_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Write to FILE (whole or not at all) instead of standard output.")
@click.option("--annotator", "annotators", multiple=True, help="Only this annotator's tags (repeat for several).")
@click.option("--codebook", "codebook_id", help="Only tags made with this codebook id.")
@store_command
def export_command(store: Store, fmt: str, out_path: Path | None, annotators: tuple[str, ...],
                   codebook_id: str | None) -> None:
    """Export every live annotation with its article and outlet context (JSON lines unless --format says otherwise)."""
    import sqlite3

    from .export import check_out_path, export
    from .tables import output_file

    if out_path is not None and str(out_path) == "-":
        out_path = None
    if out_path is not None and (problem := check_out_path(out_path)):
        fail(f"--out {display_path(out_path)}: {problem}", 2)
    who = list(annotators) or None
    try:
        if out_path is not None:
            with output_file(out_path) as out:
                count = export(store, fmt, out, who, codebook_id)
            _console().print(Text(f"Exported {count} annotation(s) to {display_path(out_path)}"))
            return
        buffer = getattr(sys.stdout, "buffer", None)  # UTF-8 whatever the locale; CSV keeps its \r\n
        out = io.TextIOWrapper(buffer, encoding="utf-8", newline="") if buffer is not None else sys.stdout
        try:
            export(store, fmt, out, who, codebook_id, terminal=sys.stdout.isatty())
            out.flush()
        finally:
            if out is not sys.stdout:
                try:
                    out.detach()  # leaves sys.stdout's buffer open
                except (OSError, ValueError):
                    pass  # the reader has gone: the error that said so is on its way up
    except OSError as exc:
        if out_path is None and reader_gone(exc):
            raise  # `annotator export | head`: ends quietly (AnnotatorGroup)
        fail(f"--out {display_path(out_path) if out_path else '-'}: cannot write ({exc.strerror or exc})")
    except sqlite3.Error as exc:
        fail(f"{store.path}: reading the annotations failed ({exc})")


@main.command("import-annotations")
@click.argument("file", type=click.Path(path_type=Path))
@store_command
def import_annotations_command(store: Store, file: Path) -> None:
    """Merge a JSON-lines export (annotator export --format jsonl) into this database of the same articles."""
    from .annotation_import import import_annotations
    from .readers import InputError

    err = _console(stderr=True)
    where = display_path(file)

    def refused(line: int, reason: str) -> None:
        err.print(Text("refused: ", style="bold red") + Text(printable(f"{where}:{line}: {reason}")))

    try:
        report = import_annotations(store, file, refused)
    except InputError as exc:
        fail(str(exc))
    _console().print(Text(report.summary()))
    sys.exit(0 if report.ok else 1)


@main.group()
def codebook() -> None:
    """Check and show codebooks."""


@codebook.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def codebook_check(files: tuple[Path, ...]) -> None:
    """Validate codebook files; every problem is printed as file: place: what."""
    from .codebook import load_codebook
    from .readers import InputError

    err, out, bad = _console(stderr=True), _console(), 0
    for file in files:
        try:
            book = load_codebook(file)
        except InputError as exc:
            bad += 1
            for line in str(exc).splitlines():
                err.print(Text("error: ", style="bold red") + Text(printable(line)))
            continue
        labels = sum(len(c.labels) for c in book.categories)
        variants = sum(len(x.variants) for c in book.categories for x in c.lexicon)
        out.print(Text(f"ok: {display_path(file)}: {book.id} {printable(book.version)}, {len(book.categories)} categories, "
                       f"{labels} labels, {variants} lexicon variants"))
    sys.exit(1 if bad else 0)


@codebook.command("show")
@click.argument("ref", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the codebook as JSON.")
def codebook_show(ref: str | None, as_json: bool) -> None:
    """Print a codebook (id or file; default: the configured one) readably."""
    book = load_codebook_or_fail(ref)
    if as_json:
        print_json(book.model_dump(mode="json"))
        return
    from .render import codebook_view

    _console().print(codebook_view(book), soft_wrap=False)


@codebook.command("list")
def codebook_list() -> None:
    """List the shipped codebooks."""
    from .codebook import codebook_files, load_codebook
    from .readers import InputError

    for file in codebook_files():
        try:
            book = load_codebook(file)
        except InputError as exc:
            _console(stderr=True).print(Text(printable(f"broken: {exc}")))
            continue
        _console().print(Text("\t".join(printable(v) for v in (book.id, book.version, book.title, f"({file.name})"))))


@codebook.command("orphans")
@click.argument("ref", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@store_command
def codebook_orphans(store: Store, ref: str | None, as_json: bool) -> None:
    """Count tags whose label the codebook (id or file; default: the configured one) no longer has; they are kept."""
    from .orphans import find_orphans, orphan_summary

    book = load_codebook_or_fail(ref)
    orphans = find_orphans(book, store.label_usage(book.id))
    if as_json:
        print_json([{"category": o.category, "label": o.label, "codebook_versions": list(o.versions), "count": o.count}
                    for o in orphans])
        return
    out = _console()
    if not orphans:
        out.print(Text(f"Every tag made with {book.id} uses a label of version {book.version}."))
        return
    for o in orphans:
        out.print(Text(printable(f"{o.category}/{o.label}") + f"\t{o.count} tag(s)\tmade with version(s) "
                       + printable(", ".join(o.versions))))
    out.print(Text(printable(orphan_summary(book, orphans))))


@main.command()
@click.argument("article", required=False)
@click.option("--all", "all_articles", is_flag=True, help="Every current article, as JSON lines.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@codebook_option
@store_command
def suggest(store: Store, article: str | None, all_articles: bool, as_json: bool, codebook_ref: str | None) -> None:
    """List lexicon suggestions (term variants) in one ARTICLE (id or prefix), or in every article with --all."""
    from .lexicon import Matcher

    matcher = Matcher(load_codebook_or_fail(codebook_ref))
    if all_articles == (article is not None):
        fail("give one ARTICLE or --all", 2)
    if all_articles:
        for found in store.iter_current_articles():
            for s in matcher.find(found.text):
                click.echo(json.dumps({"article": found.id, **s.as_dict()}, ensure_ascii=False))
        return
    found = find_article(store, article)
    suggestions = matcher.find(found.text)
    if as_json:
        print_json([s.as_dict() for s in suggestions])
        return
    from .render import suggestions_table

    _console().print(suggestions_table(suggestions, found.title), soft_wrap=False)


if __name__ == "__main__":
    main()
