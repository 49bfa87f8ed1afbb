"""The TUI's one writer thread: every change is committed there, in the order it was made,
so a key press never waits for the disk on the UI thread and two changes never race."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any


class Writer:
    """Runs writes one at a time on a thread of their own (shared by every screen of the app)."""

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="annotator-writer")

    async def run(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run ``fn(*args)`` after every write queued before it; its result, or its exception.
        A write once queued is committed even when the caller is cancelled (the app closing
        because its browser session ended): the process waits for it before it exits."""
        return await asyncio.shield(asyncio.get_running_loop().run_in_executor(self._executor, partial(fn, *args)))

    def submit(self, fn: Callable[..., Any], *args: Any) -> None:
        """Queue a write whose result nobody waits for (e.g. remembering the open article)."""
        self._executor.submit(fn, *args)

    async def flush(self) -> None:
        """Wait until every queued write is committed."""
        await self.run(lambda: None)

    def close(self) -> None:
        """Finish the queued writes and stop the thread (quitting)."""
        self._executor.shutdown(wait=True)
