"""``annotator serve``: the annotation TUI served to browsers by Textualize's ``textual-serve``.

Each browser session (each websocket) runs ``annotator serve-session`` in a process of its
own on the one database, with Textual's web driver (made to end on every kind of hang-up:
:mod:`annotator.tui.served_driver`). What a session needs travels in its environment, never
on its command line: the annotator's name from the address (``?annotator=NAME``), else the
session asks for it; the server's own ``$ANNOTATOR_NAME`` is removed, and the session never
falls back on the configuration's name or the login name. The access token stays in this
process (:mod:`.access`).

When a session ends (the browser closes or drops the tab, its network goes, the server is
stopped) its process is told to quit, and is ended if it has not within a few seconds.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import signal
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from ..errors import InputError
from ..normalize import printable
from . import NAME_VARIABLE
from .access import PathOnlyAccessLogger, access_middleware, public_host, public_scheme, session_name

log = logging.getLogger("annotator.serve")

DRIVER = "annotator.tui.served_driver:ServedDriver"
HEARTBEAT = 5.0  # seconds between websocket pings: a browser whose network is gone is noticed within ~2 of them
QUIT_WAIT = 8.0  # seconds a session's process has to commit its writes and end after "quit"
KILL_WAIT = 3.0  # then after SIGTERM, before SIGKILL
REMOVED_VARIABLES = ("ANNOTATOR_NAME", NAME_VARIABLE)


@dataclass(frozen=True)
class ServeSettings:
    """What ``annotator serve`` was given."""

    db_path: Path
    host: str = "127.0.0.1"
    port: int = 8000
    token: str | None = field(default=None, repr=False)  # (never in a log line or traceback)
    codebook_ref: str | None = None
    max_sessions: int = 50  # sessions (processes) at once; more get 503

    def session_command(self) -> list[str]:
        """The command each browser session runs (no secret, no name on it)."""
        command = [sys.executable, "-m", "annotator.cli", "serve-session", "--db", str(self.db_path.resolve())]
        if self.codebook_ref:
            command += ["--codebook", self.codebook_ref]
        return command


def encode_name(name: str) -> str:
    """An annotator's name as a path segment of the session's websocket address."""
    return base64.urlsafe_b64encode(name.encode("utf-8")).decode("ascii").rstrip("=")


def decode_name(segment: str) -> str:
    """The name :func:`encode_name` made (:class:`InputError` when it is not one)."""
    try:
        raw = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        raise InputError("annotator: the name in the session's address cannot be read") from None
    name = session_name(raw)
    assert name is not None
    return name


class SessionService(AppService):
    """One browser session's process: ``annotator serve-session``, without a shell, with the
    session's name in its environment; ended for sure when the session ends."""

    def __init__(self, command: list[str], name: str | None, **kwargs: Any) -> None:
        super().__init__(" ".join(command), **kwargs)
        self.argv, self.name = command, name

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width, height)
        for variable in REMOVED_VARIABLES:
            environment.pop(variable, None)
        environment["TEXTUAL_DRIVER"] = DRIVER
        environment[NAME_VARIABLE] = self.name or ""
        return environment

    async def _open_app_process(self, width: int = 80, height: int = 24):
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE, env=self._build_environment(width, height))
        self._stdin = process.stdin
        return process

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    async def stop(self) -> None:
        """Tell the process to quit (it commits its writes); end it when it has not within seconds."""
        process = self._process
        try:
            await asyncio.wait_for(asyncio.shield(super().stop()), QUIT_WAIT)
        except (TimeoutError, ConnectionError):
            pass
        if process is None or process.returncode is not None:
            return
        for send, wait in ((process.terminate, KILL_WAIT), (process.kill, None)):
            try:
                send()
            except ProcessLookupError:
                return
            try:
                await asyncio.wait_for(process.wait(), wait)
                return
            except TimeoutError:
                continue


class AnnotatorServer(Server):
    """textual-serve's server with access control, a session per browser with its own name,
    a log without secrets, and sessions that end when their connection does."""

    def __init__(self, settings: ServeSettings) -> None:
        super().__init__(" ".join(settings.session_command()), host=settings.host, port=settings.port,
                         title="annotator")
        self.settings = settings
        self.sessions: set[SessionService] = set()

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(access_middleware(self.settings.token))
        app.router.add_get("/ws/{name}", self.handle_websocket)
        return app

    async def on_startup(self, app: web.Application) -> None:
        """(textual-serve's prints its logo: the line saying where it serves comes once it listens)"""

    def _announce(self, *_: Any) -> None:
        where = f"http://{'[' + self.host + ']' if ':' in self.host else self.host}:{self.port}/"
        how = " (add ?token=… with the access token)" if self.settings.token else ""
        self.console.print(f"annotator: serving {printable(str(self.settings.db_path))} on {where}{how}; ctrl+c stops",
                           markup=False, highlight=False)

    async def on_shutdown(self, app: web.Application) -> None:
        """The server stops: every session's process ends (its writes committed)."""
        await asyncio.gather(*(service.stop() for service in list(self.sessions)), return_exceptions=True)

    async def handle_index(self, request: web.Request) -> web.Response:
        """The page: its websocket address names the annotator given as ``?annotator=NAME``."""
        try:
            name = session_name(request.query.get("annotator"))
        except InputError as exc:
            raise web.HTTPBadRequest(text=f"400: {exc}\n") from None
        base = f"{public_scheme(request)}://{public_host(request)}"
        socket = ("wss" if base.startswith("https") else "ws") + base[base.index(":"):] + "/ws"
        context = {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": socket + (f"/{encode_name(name)}" if name else ""),
            "config": {"static": {"url": f"{base}/static/"}},
            "application": {"name": "annotator" + (f" — {name}" if name else "")},
        }
        return aiohttp_jinja2.render_template("app_index.html", request, context)  # (autoescaped)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """A browser session: its own process, ended when the websocket closes."""
        segment = request.match_info.get("name")
        try:
            name = decode_name(segment) if segment else None
        except InputError as exc:
            raise web.HTTPBadRequest(text=f"400: {exc}\n") from None
        if len(self.sessions) >= self.settings.max_sessions:
            raise web.HTTPServiceUnavailable(text=f"503: {self.settings.max_sessions} sessions are open, the most "
                                                  "this server runs at once (--max-sessions)\n")
        websocket = web.WebSocketResponse(heartbeat=HEARTBEAT)
        await websocket.prepare(request)
        service = SessionService(self.settings.session_command(), name, write_bytes=websocket.send_bytes,
                                 write_str=websocket.send_str, close=websocket.close,
                                 download_manager=self.download_manager)
        self.sessions.add(service)
        try:
            await service.start(to_int(request.query.get("width", "80"), 80), to_int(request.query.get("height", "24"), 24))
            log.info("session %s started (process %s)", service.app_service_id[:8], service.pid)
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            pass
        except Exception as error:  # noqa: BLE001 - one session's failure must not stop the server
            log.warning("session %s: %s", service.app_service_id[:8], error)
        finally:
            await asyncio.shield(self._end(service, websocket))
        return websocket

    async def _end(self, service: SessionService, websocket: web.WebSocketResponse) -> None:
        try:
            await service.stop()
        finally:
            self.sessions.discard(service)
            await websocket.close()
            log.info("session %s ended", service.app_service_id[:8])

    def serve(self, debug: bool = False) -> None:
        """Run until SIGINT, SIGTERM or SIGHUP; the access log writes no query strings."""
        self.debug = debug
        self.initialize_logging()
        logging.getLogger("aiohttp.access").setLevel(logging.INFO)
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        for number in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None)):
            if number is not None:
                loop.add_signal_handler(number, self.request_exit)
        web.run_app(self._make_app(), host=self.host, port=self.port, handle_signals=False, loop=loop,
                    print=self._announce, access_log_class=PathOnlyAccessLogger)
