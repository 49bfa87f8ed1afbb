"""Starting `annotator serve` for a test: a demo database, a free port, the server's log, the
processes of its browser sessions, and a websocket client that types into a session."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import aiohttp

from annotator.serve.server import encode_name

from tests.conftest import CORPUS

ANSI = re.compile(r"\x1b\[[0-9;?<>=$]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]")
READY = "shift+arrows"  # the hint line under the article, shown once a session has opened its first article
SHIFT_RIGHT = "\x1b[1;2C"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def demo_database(folder: Path) -> Path:
    """A database holding the demo corpus."""
    db = folder / "served.db"
    subprocess.run([sys.executable, "-m", "annotator.cli", "import", str(CORPUS), "--db", str(db)],
                   check=True, capture_output=True, env=session_env())
    return db


def session_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANNOTATOR_")}
    env.update({"ANNOTATOR_CONFIG": os.devnull, **extra})
    return env


class Served:
    """`annotator serve` running in a process of its own (stop() ends it)."""

    def __init__(self, db: Path, *args: str, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "annotator.cli", "serve", "--db", str(db), "--port", str(self.port), *args],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env or session_env(ANNOTATOR_NAME="server-login"))
        threading.Thread(target=self._read, daemon=True).start()
        self.wait_for_log("serving", 30)

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def log(self) -> str:
        return "".join(self.lines)

    def wait_for_log(self, text: str, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.log:
                return self.log
            if self.process.poll() is not None:
                raise AssertionError(f"annotator serve ended: {self.log}")
            time.sleep(0.1)
        raise AssertionError(f"{text!r} not in the server's log within {timeout} s: {self.log}")

    def session_pids(self) -> list[int]:
        return [int(pid) for pid in re.findall(r"started \(process (\d+)\)", self.log)]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def alive(pid: int) -> bool:
    """True while process ``pid`` runs (a zombie, ended but not yet reaped, counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def wait_gone(pid: int, timeout: float) -> float:
    """Seconds until process ``pid`` is gone (AssertionError after ``timeout``)."""
    start = time.monotonic()
    while alive(pid):
        if time.monotonic() - start > timeout:
            raise AssertionError(f"session process {pid} still alive {timeout} s after its session ended")
        time.sleep(0.1)
    return time.monotonic() - start


def tags(db: Path) -> list[tuple[str, str]]:
    """(annotator, quote) of every live tag."""
    with sqlite3.connect(db) as connection:
        return sorted(connection.execute("SELECT annotator, quote FROM annotations WHERE NOT deleted").fetchall())


def wait_for_tags(db: Path, count: int, timeout: float) -> list[tuple[str, str]]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(found := tags(db)) >= count:
            return found
        time.sleep(0.2)
    raise AssertionError(f"fewer than {count} tag(s) in {db} after {timeout} s: {tags(db)}")


CLIENT = """
import asyncio, os, sys
from tests.serve.serve_support import type_a_tag
bearer = os.environ.get("SERVE_TEST_BEARER")
asyncio.run(type_a_tag(sys.argv[1], hold=True, headers={"Authorization": f"Bearer {bearer}"} if bearer else None))
"""


def client_process(url: str, token: str | None = None) -> subprocess.Popen:
    """A websocket client in a process of its own (to be killed abruptly): it opens a session at
    ``url`` (giving ``token``), tags the article's first five characters, prints "sent" and stays connected."""
    env = dict(os.environ, SERVE_TEST_BEARER=token) if token else None
    return subprocess.Popen([sys.executable, "-c", CLIENT, url], stdout=subprocess.PIPE, text=True, env=env,
                            cwd=Path(__file__).resolve().parent.parent.parent)


def socket_url(served: Served, name: str | None) -> str:
    return served.url.replace("http", "ws") + "/ws" + (f"/{encode_name(name)}" if name else "") + "?width=140&height=45"


async def type_a_tag(url: str, hold: bool = False, headers: dict[str, str] | None = None) -> None:
    """Open a session at ``url``, wait until its article is shown, select five characters with
    shift+right and press 1 (a term-variant label); with ``hold``, stay connected, answering pings."""
    async with aiohttp.ClientSession(headers=headers) as client, client.ws_connect(url) as ws:
        seen = ""
        async with asyncio.timeout(60):
            while READY not in ANSI.sub("", seen):
                message = await ws.receive()
                if message.type == aiohttp.WSMsgType.BINARY:
                    seen += message.data.decode("utf-8", "replace")
                elif message.type != aiohttp.WSMsgType.TEXT:
                    raise AssertionError(f"the session closed before it was ready: {message}")
        for key in [SHIFT_RIGHT] * 5 + ["1"]:
            await ws.send_str(json.dumps(["stdin", key]))
        print("sent", flush=True)
        while hold:
            if (await ws.receive()).type not in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT):
                return
