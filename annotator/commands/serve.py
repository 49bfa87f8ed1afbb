"""``annotator serve``: the annotation TUI in browsers (thin: the server is :mod:`annotator.serve`)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.text import Text

from .common import (codebook_option, database_exists, db_option, fail, inherited, load_codebook_or_fail, make_console,
                         resolve_db, store_in_use)
from ..normalize import printable
from ..paths import display_path


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; any but a loopback one needs an access token.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option("--max-sessions", type=click.IntRange(1, 1000), default=50, show_default=True,
              help="Browser sessions (each a process) at once; more are refused.")
@click.option("--token", help="Access token every browser must give (at least 16 characters); "
                              "prefer --token-file, which keeps it out of the process list.")
@click.option("--token-file", type=click.Path(path_type=Path), help="File whose first line is the access token.")
@codebook_option
@db_option
def serve(host: str, port: int, max_sessions: int, token: str | None, token_file: Path | None, codebook_ref: str | None,
          db_path: Path | None) -> None:
    """Serve the annotation TUI to browsers: each browser session asks its annotator's name
    (or takes it from the address: http://HOST:PORT/?annotator=NAME) and is its own process
    on the database."""
    from ..errors import InputError
    from ..serve.access import is_loopback, read_token_file, token_problem

    if inherited("annotator_name", None) is not None:
        fail("serve: --annotator is not used: each browser session gives its own name "
             "(in its first dialog, or as ?annotator=NAME in the address)", 2)
    if token is not None and token_file is not None:
        fail("give --token or --token-file, not both", 2)
    err = make_console(stderr=True)
    if token_file is not None:
        try:
            token, warning = read_token_file(token_file)
        except InputError as exc:
            fail(str(exc), 2)
        if warning:
            err.print(Text("warning: ", style="yellow") + Text(printable(warning)))
    elif token is not None and (problem := token_problem(token)):
        fail(f"--token: {problem}", 2)
    if token is None and not is_loopback(host):
        fail(f"--host {printable(host)}: not a loopback address, so anyone on the network could sign tags: "
             "give an access token (--token-file FILE or --token TOKEN), or serve on 127.0.0.1 behind an SSH tunnel", 2)
    path = resolve_db(db_path)
    if not database_exists(path):
        fail(f"{display_path(path)}: no such database (`annotator import PATH` makes one)")
    load_codebook_or_fail(codebook_ref)  # a bad configuration or codebook: one line now, not in every browser
    with store_in_use(path, "write", True):
        pass  # an annotator database, migrated once here rather than by the first sessions at once
    from ..serve.server import AnnotatorServer, ServeSettings

    server = AnnotatorServer(ServeSettings(path, host, port, token, codebook_ref, max_sessions))
    try:
        server.serve()
    except OSError as exc:
        fail(f"cannot listen on {printable(host)}:{port}: {exc.strerror or exc}")


@click.command("serve-session", hidden=True)
@codebook_option
@db_option
def serve_session(codebook_ref: str | None, db_path: Path | None) -> None:
    """One browser session of `annotator serve` (the server runs it; its name is in the environment)."""
    from ..serve import session_name_from_environment
    from ..tui.app import AnnotatorApp
    from ..tui.opening import OpenRequest

    app = AnnotatorApp(request=OpenRequest(db_path=resolve_db(db_path), annotator_name=session_name_from_environment(),
                                           codebook_ref=codebook_ref, served=True))
    app.run()
    app.close_store()
    if app.open_error is not None:
        fail(app.open_error)
    sys.exit(app.return_code or 0)
