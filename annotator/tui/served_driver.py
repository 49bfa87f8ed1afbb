"""The Textual driver of a TUI session served to a browser (``annotator serve``).

Textual's web driver talks to the server over the process's standard input and output. It
ends the app when the server sends "quit" and on SIGINT and SIGTERM, but not on SIGHUP
(an SSH hang-up, which would kill the process before its queued writes are committed),
and when the server goes away without a word (killed, or its pipe closed) its input thread
just stops while the app keeps running. This driver ends the session in each of these
cases the same way: the app is asked to exit, so its queued writes are committed (the
writer's thread is joined when the process exits) and the process ends.

Textual internals used (pinned with Textual): ``WebDriver.run_input_thread`` (overridden),
the ``_write`` function it writes the output packets with, and ``Driver._app``.
"""

from __future__ import annotations

import asyncio
import signal
import sys

from textual import messages
from textual.drivers.web_driver import WebDriver


class ServedDriver(WebDriver):
    """Textual's web driver, which also ends the app on SIGHUP, on the end of its input and
    when its output can no longer be written (the server has gone)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._write_packet = self._write
        self._write = self._write_or_end
        self._ending = False

    def start_application_mode(self) -> None:
        super().start_application_mode()
        if sys.platform != "win32":
            asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, self.end_session)

    def end_session(self) -> None:
        """Ask the app to exit (once), from any thread: the connection to the browser is gone."""
        if not self._ending:
            self._ending = True
            self._app.post_message(messages.ExitApp())

    def run_input_thread(self) -> None:
        super().run_input_thread()
        if not self.exit_event.is_set():  # the input ended before the app did: the server has gone
            self.end_session()

    def _write_or_end(self, data: bytes) -> None:
        try:
            self._write_packet(data)
        except OSError:  # a closed pipe (the server has gone): nothing more can be shown
            self.end_session()
