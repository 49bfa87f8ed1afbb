"""The Textual driver of a TUI session served to a browser (``annotator serve``).

Textual's web driver talks to the server over the process's standard input and output. It
ends the app when the server sends "quit" and on SIGINT and SIGTERM, but not on SIGHUP
(an SSH hang-up, which would kill the process before its queued writes are committed),
and when the server goes away without a word (killed, or its pipe closed) its input thread
just stops while the app keeps running. This driver ends the session in each of these
cases the same way: the app is asked to exit, so its queued writes are committed (the
writer's thread is joined when the process exits) and the process ends.

Textual internals used (pinned with Textual): ``WebDriver.run_input_thread`` (overridden), and
through textual_private the writer of the output packets and the driver's app.
"""

from __future__ import annotations

import asyncio
import signal
import sys

from textual import messages
from textual.drivers.web_driver import WebDriver

from .textual_private import driver_app, hook_web_driver_writes


class ServedDriver(WebDriver):
    """Textual's web driver, which also ends the session on SIGHUP, on the end of its input and
    when its output can no longer be written (the server has gone). The app's ``end_session``
    coroutine, when it has one, ends it (it can save what is being typed); asked again (a
    signal after it), or without one, the app exits at once (its queued writes still committed)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._write_packet = hook_web_driver_writes(self, self._write_or_end)
        self._ending = False
        self._closed_output = False
        self._session_loop: asyncio.AbstractEventLoop | None = None

    def start_application_mode(self) -> None:
        super().start_application_mode()
        self._session_loop = asyncio.get_running_loop()
        if sys.platform != "win32":
            for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
                self._session_loop.add_signal_handler(number, self.end_session)

    def end_session(self) -> None:
        """End the session, from any thread: the connection to the browser is gone."""
        hook = getattr(driver_app(self), "end_session", None)
        if self._ending or hook is None or self._session_loop is None:
            driver_app(self).post_message(messages.ExitApp())
        else:
            self._session_loop.call_soon_threadsafe(lambda: driver_app(self).run_worker(hook(), group="end-session"))
        self._ending = True

    def on_meta(self, packet_type: str, payload: dict[str, object]) -> None:
        if packet_type == "quit":  # the server ends the session (its browser has gone)
            self.end_session()
        else:
            super().on_meta(packet_type, payload)

    def run_input_thread(self) -> None:
        super().run_input_thread()
        if not self.exit_event.is_set():  # the input ended before the app did: the server has gone
            self.end_session()

    def _write_or_end(self, data: bytes) -> None:
        if self._ending and self._closed_output:
            return
        try:
            self._write_packet(data)
        except OSError:  # a closed pipe (the server has gone): nothing more can be shown
            self._closed_output = True
            if not self._ending:
                self.end_session()

