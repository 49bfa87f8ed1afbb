"""`annotator serve`: who may come in (token, loopback, other sites' pages), what a session
signs with, and that every way a session ends ends its process with its tags saved."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest
from click.testing import CliRunner

from annotator.cli import main
from annotator.errors import InputError
from annotator.serve import NAME_VARIABLE
from annotator.serve.access import is_loopback, session_name
from annotator.serve.server import decode_name, encode_name

from tests.serve.serve_support import (Served, alive, client_process, demo_database, session_env, socket_url, tags, wait_for_tags,
                            wait_gone)

TOKEN = "k3ZtQ8vY-pR2wXs9Lm4Nf7Hd"
GONE_WITHIN = 10  # seconds from the end of a session to the end of its process


@pytest.fixture(scope="module")
def served_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_database(tmp_path_factory.mktemp("served"))


def test_loopback_is_this_machine_only():
    assert all(map(is_loopback, ["127.0.0.1", "127.8.0.3", "::1", "[::1]", "localhost", "LOCALHOST"]))
    assert not any(map(is_loopback, ["0.0.0.0", "::", "192.168.1.5", "10.0.0.1", "example.org", ""]))


def test_names_from_the_address_are_checked_and_travel_intact():
    assert session_name(None) is None
    assert session_name("Ана Петренко") == "Ана Петренко"
    for bad in ["", "  ", "bob\x1b[31m", " bob", "x" * 65, "a\u202eb"]:
        with pytest.raises(InputError):
            session_name(bad)
    for name in ["alice", "a/b?c=d&e", "Ана", "x" * 64]:
        assert decode_name(encode_name(name)) == name
    with pytest.raises(InputError):
        decode_name("%%%")


@pytest.mark.parametrize("args, expected", [
    (["--host", "0.0.0.0"], "--host 0.0.0.0: not a loopback address"),
    (["--host", "192.168.1.5", "--token", "short"], "--token: must be at least 16 characters"),
    (["--host", "0.0.0.0", "--token-file", "missing.txt"], "--token-file missing.txt: no such file"),
    (["--token", TOKEN, "--token-file", "t.txt"], "give --token or --token-file, not both"),
])
def test_refuses_to_start_without_a_usable_token(served_db: Path, args: list[str], expected: str):
    result = CliRunner().invoke(main, ["serve", "--db", str(served_db), *args])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], result.output


def test_refuses_a_server_wide_annotator_name_and_a_missing_database(served_db: Path, tmp_path: Path):
    result = CliRunner().invoke(main, ["--annotator", "bob", "serve", "--db", str(served_db)])
    assert result.exit_code == 2 and "each browser session gives its own name" in result.output
    result = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1 and "no such database" in result.output


async def _status(url: str, **kwargs) -> tuple[int, aiohttp.ClientResponse]:
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as client:
        async with client.get(url, allow_redirects=False, **kwargs) as response:
            return response.status, response


async def _socket_status(url: str, **kwargs) -> int:
    async with aiohttp.ClientSession() as client:
        try:
            async with client.ws_connect(url, **kwargs):
                return 101
        except aiohttp.WSServerHandshakeError as exc:
            return exc.status


async def _cookie_visit(base: str) -> tuple[int, str, int]:
    """(status of ?token=, where it redirects, status of the page with the cookie it set)."""
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as client:
        async with client.get(f"{base}/?token={TOKEN}&fontsize=14", allow_redirects=False) as first:
            status, location = first.status, first.headers["Location"]
        async with client.get(base + location) as second:
            return status, location, second.status


def test_with_a_token_every_request_without_it_is_refused(served_db: Path, tmp_path: Path):
    token_file = tmp_path / "token"
    token_file.write_text(TOKEN + "\n")
    token_file.chmod(0o600)
    served = Served(served_db, "--token-file", str(token_file), "--max-sessions", "1")
    try:
        base = served.url
        for url in [f"{base}/", f"{base}/static/js/textual.js", f"{base}/?token=wrong-token-wrong-token"]:
            assert asyncio.run(_status(url))[0] == 403, url
        assert asyncio.run(_status(f"{base}/", headers={"Authorization": "Bearer not-the-token-at-all"}))[0] == 403
        assert asyncio.run(_socket_status(socket_url(served, "alice"))) == 403
        assert asyncio.run(_status(f"{base}/", headers={"Authorization": f"Bearer {TOKEN}"}))[0] == 200
        status, location, after = asyncio.run(_cookie_visit(base))
        assert (status, after) == (302, 200) and TOKEN not in location and "fontsize=14" in location

        # a session: signed with the name in its address, never with the server's $ANNOTATOR_NAME;
        # the token is on no command line and in no session's environment
        (client,), pids = _sessions(served, ["alice"], TOKEN)
        pid = pids["alice"]
        try:
            assert wait_for_tags(served_db, 1, 20) == [("alice", "Dmitr")]
            bearer = {"headers": {"Authorization": f"Bearer {TOKEN}"}}
            assert asyncio.run(_socket_status(socket_url(served, "bob"), **bearer)) == 503  # --max-sessions 1
            environment = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
            assert b"ANNOTATOR_NAME=server-login" not in environment
            for process in (served.process.pid, pid):
                for part in ("cmdline", "environ"):
                    assert TOKEN.encode() not in Path(f"/proc/{process}/{part}").read_bytes()
            served.process.kill()  # a killed server says nothing to its sessions: their input ends
            wait_gone(pid, GONE_WITHIN)
        finally:
            client.kill()
            client.wait()
        assert TOKEN not in served.log and "GET /?token" not in served.log
    finally:
        served.stop()
    assert TOKEN not in served.log


def test_without_a_token_only_this_machine_and_its_own_pages_get_in(served_db: Path):
    served = Served(served_db)
    try:
        assert asyncio.run(_status(f"{served.url}/"))[0] == 200
        assert asyncio.run(_status(f"{served.url}/", headers={"Host": f"rebound.example:{served.port}"}))[0] == 403
        assert asyncio.run(_socket_status(socket_url(served, "x"), origin="http://evil.example")) == 403
        assert asyncio.run(_status(f"{served.url}/?annotator=%20"))[0] == 400
        taken = subprocess.run([sys.executable, "-m", "annotator.cli", "serve", "--db", str(served_db), "--port",
                                str(served.port)], capture_output=True, text=True, timeout=60, env=session_env())
        assert taken.returncode == 1 and taken.stderr.startswith(f"error: cannot listen on 127.0.0.1:{served.port}")
    finally:
        served.stop()


def _sessions(served: Served, names: list[str], token: str | None = None) -> tuple[list, dict[str, int]]:
    """Client processes, each with its session open and a tag typed: (clients, name -> session's process id)."""
    clients = [client_process(socket_url(served, name), token) for name in names]
    for client in clients:
        assert client.stdout is not None and client.stdout.readline().strip() == "sent"
    pids = {}
    for pid in served.session_pids():
        environment = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0") if alive(pid) else []
        name = next((v.split(b"=", 1)[1].decode() for v in environment if v.startswith(NAME_VARIABLE.encode() + b"=")), None)
        if name in names:
            pids[name] = pid
    assert set(pids) == set(names), served.log
    return clients, pids


def test_every_way_a_session_ends_ends_its_process_with_its_tags_saved(tmp_path: Path):
    db = demo_database(tmp_path)
    served = Served(db)
    names = ["dropped", "hung-up", "terminated", "stopped"]
    clients: list = []
    try:
        clients, pids = _sessions(served, names)
        wait_for_tags(db, len(names), 20)
        clients[0].kill()  # the browser side dies abruptly (SIGKILL: no close frame)
        os.kill(pids["hung-up"], signal.SIGHUP)  # an SSH hang-up
        os.kill(pids["terminated"], signal.SIGTERM)
        for name in names[:3]:
            wait_gone(pids[name], GONE_WITHIN)
        served.stop()  # the server is stopped with a session open
        assert served.process.returncode == 0
        wait_gone(pids["stopped"], GONE_WITHIN)
        assert {name for name, _ in tags(db)} == set(names)
    finally:
        served.stop()
        for client in clients:
            client.kill()
            client.wait()
