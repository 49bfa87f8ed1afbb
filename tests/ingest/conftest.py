"""Shared helpers of the import tests (README "Importing"): run the CLI in the working folder,
read the ``rejected:`` lines it prints, read back the stored rows, and write test files."""

from __future__ import annotations

import random
import sqlite3
import struct
import zlib
from pathlib import Path

from click.testing import CliRunner

from annotator.cli import main


GOOD = "A good headline\n\nThe talks in Istanbul ended without agreement, officials said on Monday.\n"
WIDE = {"COLUMNS": "400"}  # tables fit the width; messages never wrap (test_rejection_lines_fit_one_line...)

RUSSIAN = "Москва заявила о переговорах.\nПредставитель Кремля сообщил журналистам, что встреча состоится в Стамбуле."


def cli(*args: str, env: dict | None = None):
    """Run ``annotator --db t.db ARGS`` in the working folder; never a traceback."""
    result = CliRunner().invoke(main, ["--db", "t.db", *args], env=WIDE if env is None else env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


def rejections(result) -> list[str]:
    lines = result.stderr.splitlines()
    assert all(line.startswith("rejected: ") for line in lines if line.strip()), result.stderr
    return [line.removeprefix("rejected: ") for line in lines if line.strip()]


def the_line(lines: list[str], name: str) -> str:
    """The one rejection line about ``name``."""
    found = [line for line in lines if line.startswith(f"{name}: ") or line == name]
    assert len(found) == 1, f"expected one line about {name!r} in {lines!r}"
    return found[0]


def rows(workdir: Path) -> list[dict]:
    db = workdir / "t.db"
    if not db.exists():
        return []
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute("SELECT * FROM articles ORDER BY rowid")]
    finally:
        conn.close()


def stored_files(workdir: Path) -> list[str]:
    return [r["source_file"] for r in rows(workdir)]


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def png() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 4 for _ in range(4))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def random_bytes(seed: int, size: int, low: int = 0) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.randrange(low, 256) for _ in range(size))
