"""Who may use a served TUI (``annotator serve``): the access token, the host it listens on,
and the names browser sessions sign with.

Without a token the server listens on a loopback address only, and answers only requests
addressed to a loopback name (so a web page that rebinds its own name to 127.0.0.1 gets
nothing). With a token every request needs it: ``?token=…`` once (answered by a cookie and a
redirect to the same address without it, so it leaves the address bar), the cookie after
that, or an ``Authorization: Bearer …`` header; anything else gets 403. Websockets are
also refused when they come from a page of another site (their ``Origin``). The token is
never logged: the access log writes paths without their query.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
import stat
from pathlib import Path
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger

from ..errors import InputError
from ..normalize import clean_line
from ..paths import display_path

MIN_TOKEN = 16  # characters: a token is a secret, not a password to remember
MAX_NAME = 64  # characters of an annotator's name (as the TUI's name dialog allows)
COOKIE = "annotator_access"
LOOPBACK_NAMES = {"localhost", "localhost.", "ip6-localhost"}


def is_loopback(host: str) -> bool:
    """True for a name or address that only this machine reaches (127.0.0.0/8, ::1, localhost)."""
    host = host.strip().strip("[]").lower()
    if host in LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def token_problem(token: str) -> str | None:
    """Why ``token`` cannot be used as an access token, or None."""
    if len(token) < MIN_TOKEN:
        return f"must be at least {MIN_TOKEN} characters (e.g. `python3 -c 'import secrets; print(secrets.token_urlsafe())'`)"
    if any(c.isspace() or not c.isprintable() for c in token):
        return "must not contain spaces or control characters"
    if not token.isascii():
        return "must be ASCII (it travels in addresses and headers)"
    return None


def read_token_file(path: Path) -> tuple[str, str | None]:
    """(the token in ``path``: its first line, a warning when others may read the file).
    Raises :class:`InputError` naming the file."""
    where = display_path(path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise InputError(f"--token-file {where}: not a regular file")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"--token-file {where}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"--token-file {where}: cannot be read ({getattr(exc, 'strerror', None) or exc})") from None
    token = text.splitlines()[0].strip() if text.strip() else ""
    if problem := token_problem(token):
        raise InputError(f"--token-file {where}: the token on its first line {problem}")
    warning = None
    if os.name == "posix" and info.st_mode & 0o077:
        warning = f"--token-file {where} can be read by other users (chmod 600 it)"
    return token, warning


def session_name(raw: str | None) -> str | None:
    """The annotator's name given in a browser session's address (``?annotator=NAME``):
    None when none is given; :class:`InputError` when it is blank, too long or has controls."""
    if raw is None:
        return None
    name = clean_line(raw).strip()
    if not name:
        raise InputError("annotator: the name in the address is blank")
    if name != raw:
        raise InputError("annotator: the name in the address has control characters or surrounding spaces")
    if len(name) > MAX_NAME:
        raise InputError(f"annotator: the name in the address is longer than {MAX_NAME} characters")
    return name


def _cookie_value(token: str) -> str:
    """What the cookie holds: derived from the token, so a stored cookie is not the token itself."""
    return hmac.new(token.encode(), b"annotator serve cookie", hashlib.sha256).hexdigest()


def _same(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


def _forwarded_https(request: web.Request) -> bool:
    return request.secure or request.headers.get("X-Forwarded-Proto", "").lower() == "https"


def public_host(request: web.Request) -> str:
    """The host (and port) the browser addressed: a reverse proxy's ``X-Forwarded-Host``, else ``Host``."""
    return (request.headers.get("X-Forwarded-Host", "").split(",")[0].strip() or request.host).lower()


def public_scheme(request: web.Request) -> str:
    """``https`` when the browser came over TLS (to a reverse proxy that says so), else ``http``."""
    return "https" if _forwarded_https(request) else "http"


def _host_name(host_header: str) -> str:
    """The name in a Host header, without its port ("[::1]:8000" -> "::1")."""
    return urlsplit(f"//{host_header}").hostname or ""


def access_middleware(token: str | None):
    """The aiohttp middleware that lets in only who may come in (see the module's docstring)."""
    cookie = _cookie_value(token) if token else None

    @web.middleware
    async def check_access(request: web.Request, handler):
        if token is None and not is_loopback(_host_name(request.host)):
            raise web.HTTPForbidden(text="403: without --token this server answers only at 127.0.0.1 or localhost\n")
        origin = request.headers.get("Origin")
        if request.path.startswith("/ws") and origin and urlsplit(origin).netloc.lower() != public_host(request):
            raise web.HTTPForbidden(text="403: a page of another site may not open a session\n")
        if token is None:
            return await handler(request)
        if "token" in request.query:
            if not _same(request.query["token"], token):
                raise web.HTTPForbidden(text="403: wrong access token\n")
            query = request.rel_url.query.copy()
            del query["token"]
            response = web.HTTPFound(str(request.rel_url.with_query(query)))
            response.set_cookie(COOKIE, cookie, httponly=True, samesite="Strict", path="/",
                                secure=_forwarded_https(request))
            raise response
        bearer = request.headers.get("Authorization", "")
        if _same(request.cookies.get(COOKIE), cookie) or (bearer.startswith("Bearer ") and _same(bearer[7:], token)):
            return await handler(request)
        raise web.HTTPForbidden(text="403: this server needs its access token (open the address with ?token=…)\n")

    return check_access


class PathOnlyAccessLogger(AbstractAccessLogger):
    """The access log without query strings (a ``?token=`` never reaches a log)."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        self.logger.info("%s %s %s %s %.3fs", request.remote, request.method, request.path, response.status, time)
