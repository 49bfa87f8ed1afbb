"""What every ``annotator`` command shares: the console, one-line errors, the quiet end
on a closed pipe, ``--db`` and opening the store, article look-up, codebooks."""

from __future__ import annotations

import errno
import io
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import click
from rich.text import Text

from .. import DEFAULT_DB
from ..normalize import json_escape_hidden, printable
from ..paths import display_path

if TYPE_CHECKING:  # the store (pydantic models) and rich's console are imported when used
    from rich.console import Console

    from ..store import Store


def make_console(stderr: bool = False) -> Console:
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
    console = make_console(stderr=True)
    for line in message.splitlines() or [""]:
        console.print(Text("error: ", style="bold red") + Text(printable(line)))
    sys.exit(code)


READER_GONE = 128 + 13  # 128 + SIGPIPE: the status a shell shows for `yes | head -1`'s yes


def reader_gone(exc: BaseException) -> bool:
    """True when ``exc`` says standard output's reader has gone (`annotator stats | head -1`)."""
    return isinstance(exc, BrokenPipeError) or (isinstance(exc, OSError) and exc.errno == errno.EPIPE)


@contextmanager
def utf8_stdout(newline: str = "") -> Iterator[Any]:
    """Standard output as UTF-8 text whatever the locale (CSV keeps its \\r\\n with ``newline=""``),
    flushed at the end and detached after, so ``sys.stdout``'s own buffer stays open."""
    buffer = getattr(sys.stdout, "buffer", None)
    out = io.TextIOWrapper(buffer, encoding="utf-8", newline=newline) if buffer is not None else sys.stdout
    try:
        yield out
        out.flush()
    finally:
        if out is not sys.stdout:
            try:
                out.detach()
            except (OSError, ValueError):
                pass  # the reader has gone: the error that said so is on its way up


@contextmanager
def written_or_failed(out_path: Path | None) -> Iterator[None]:
    """An export's errors as one line each: ``--out`` that cannot be written, a store that
    refuses; a reader of standard output that has gone (``annotator export | head``) ends the
    command quietly. (A damaged database is one line already: :func:`store_in_use`.)"""
    from ..store import StoreError

    try:
        yield
    except StoreError as exc:
        fail(str(exc))
    except OSError as exc:
        if out_path is None and reader_gone(exc):
            raise  # ends quietly (AnnotatorGroup)
        fail(f"--out {display_path(out_path) if out_path else '-'}: cannot write ({exc.strerror or exc})")


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
            if exc.filename is not None:  # a file the system refused (a name too long): one line, not a traceback
                fail(f"{display_path(Path(os.fsdecode(exc.filename)))}: {exc.strerror or exc}")
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


def codebook_option(func: Callable) -> Callable:
    """``--codebook ID|FILE`` (default: configuration, else the shipped default)."""
    return click.option("--codebook", "codebook_ref", help="Codebook id (one shipped with annotator: see `annotator codebook list`) or YAML file.")(func)


ANNOTATOR_HELP = ("Your name on your tags (default: the configuration, else $ANNOTATOR_NAME; else the TUI asks once "
                  "and remembers it).")


def annotator_option(func: Callable | None = None, *, help: str = ANNOTATOR_HELP) -> Callable:
    """``--annotator NAME``: who runs the command (:func:`session_annotator`); ``help`` says
    what the name is used for when it is not the name on new tags."""
    option = click.option("--annotator", "annotator_name", help=help)
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


def open_store(db_path: Path, mode: str = "create") -> Store:
    """The store at ``db_path`` (see :class:`annotator.store.Store` for ``mode``), else an error line."""
    from ..store import Store, StoreError

    try:
        return Store(db_path, mode)
    except StoreError as exc:
        fail(str(exc))
    except OSError as exc:  # a name too long, a folder that cannot be entered
        fail(f"{display_path(db_path)}: cannot be opened: {exc.strerror or exc}")
    raise AssertionError  # unreachable


def database_exists(path: Path) -> bool:
    """Whether ``path`` exists; a name the system refuses (too long) is an error line."""
    try:
        return path.exists()
    except OSError as exc:
        fail(f"{display_path(path)}: cannot be used as a database: {exc.strerror or exc}")
    raise AssertionError  # unreachable


def store_command(func: Callable, creates: bool = False, writes: bool = False) -> Callable:
    """Open the store from ``--db`` and pass it in as ``store``. Only commands that
    ``create`` data make a missing database; the others say it is missing (a typo in
    ``--db`` must not leave an empty database behind), and refuse a file that is not an
    annotator database. Commands that neither create nor ``write`` open it read-only.
    A database error met while the command runs (damaged pages) is one error line."""

    @db_option(use="creates" if creates else "reads")
    @wraps(func)
    def wrapper(db_path: Path | None, **kwargs: Any) -> Any:
        path = resolve_db(db_path)
        existed = database_exists(path)
        if not creates and not existed:
            fail(f"{path}: no such database (`annotator import PATH` or `annotator` in a folder with corpus/ makes one)")
        with store_in_use(path, "create" if creates else "write" if writes else "read", existed) as store:
            click.get_current_context().meta["new_database"] = not existed
            return func(store=store, **kwargs)

    return wrapper


@contextmanager
def store_in_use(path: Path, mode: str, existed: bool) -> Iterator[Store]:
    """The store at ``path`` (:func:`open_store`) for the ``with`` block: a database error met
    in it (damaged pages) is one error line, and a database the block created (``existed``
    False) is removed when nothing was stored in it."""
    from ..store import DatabaseError, database_error_line

    store = open_store(path, mode)
    try:
        yield store
    except DatabaseError as exc:
        fail(database_error_line(path, exc))
    finally:
        if not existed:
            discard_if_empty(store)


def writing_store_command(func: Callable) -> Callable:
    """:func:`store_command` for commands that write into an existing database (import-annotations)."""
    return store_command(func, writes=True)


def holds_nothing(store: Store) -> bool:
    """True when the database has no article (of any version) and no tag. Outlets do not count:
    an import fills a new database with the shipped registry's before it reads the files."""
    return store.count_articles(current_only=False) == 0 and not store.annotators()


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
    click.echo(json_escape_hidden(json.dumps(data, ensure_ascii=False, indent=2)))


def codebook_finder(ref: str | None = None) -> Callable[[str], Any]:
    """``book(codebook_id)``: the codebook tags were made with: the configured (or
    ``--codebook``) one when its id matches, else the shipped one of that id, else None."""
    from ..codebook import ID_RE, find_codebook
    from ..errors import InputError

    found: dict[str, Any] = {}
    configured: list[Any] = []  # read at the first look-up: a command that finds no tag reads no codebook

    def configured_book() -> Any:
        if not configured:
            try:
                configured.append(load_codebook_or_fail(ref, quiet=True))
            except InputError:
                configured.append(None)
        return configured[0]

    def book(codebook_id: str) -> Any:
        if codebook_id not in found:
            match = configured_book()
            match = match if match is not None and match.id == codebook_id else None
            if match is None and ID_RE.fullmatch(codebook_id):  # an id, never a path to read
                try:
                    match = find_codebook(codebook_id)
                except InputError:
                    match = None
            found[codebook_id] = match if match is not None and match.id == codebook_id else None
        return found[codebook_id]

    return book


def codebook_names() -> Callable[[str], Any]:
    """``names(codebook_id)``: the :class:`annotator.readouts.naming.Names` of the codebook tags were made
    with (:func:`codebook_finder`); ids as they are when no codebook is at hand."""
    from ..readouts.naming import Names

    book = codebook_finder()
    found: dict[str, Names] = {}

    def names(codebook_id: str) -> Names:
        if codebook_id not in found:
            found[codebook_id] = Names(book(codebook_id))
        return found[codebook_id]

    return names


def session_annotator(explicit: str | None = None) -> str:
    """The name of whoever runs this command: ``--annotator``, else the configuration,
    ``$ANNOTATOR_NAME`` or the login name (an error line for a bad configuration)."""
    from ..config import resolve_annotator
    from ..errors import InputError

    try:
        config = command_config()
    except InputError as exc:
        fail(str(exc))
    return resolve_annotator(inherited("annotator_name", explicit), config)


def command_config():
    """The configuration (:func:`annotator.config.load_config`), read once per command: a command
    that needs both its annotator and its codebook reads the file once. Raises
    :class:`annotator.errors.InputError` for a bad configuration."""
    from ..config import load_config

    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return load_config()
    if "annotator.config" not in ctx.meta:  # (the meta of a command is shared with its group's)
        ctx.meta["annotator.config"] = load_config()
    return ctx.meta["annotator.config"]


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


def load_codebook_or_fail(ref: str | None, config=None, quiet: bool = False):
    """The codebook named by ``ref``, else by ``--codebook`` on the group, else by the
    configuration (``config`` when already read); an error line and exit when it fails
    (``quiet``: :class:`annotator.errors.InputError` is raised instead)."""
    from ..codebook import find_codebook
    from ..errors import InputError

    try:
        return find_codebook(ref or inherited("codebook_ref", None) or (config or command_config()).codebook)
    except InputError as exc:
        if quiet:
            raise
        fail(str(exc))


def partial_date(option: str, value: str | None) -> str | None:
    from ..models import PartialDate

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
