"""Every private Textual API the TUI uses, in one place: a Textual upgrade that changes one of
them breaks here (and in tests/tui/test_textual_private.py, which pins their behaviour), not in
the widgets. Textual is pinned exactly in pyproject.toml while this module exists.

* ``normalize_key_list``: a binding's key string as Textual's key names ("?" -> "question_mark").
* :func:`bind_key`: binds a key on a screen once it exists (``BindingsMap.bind``, behind ``App.bind``,
  which Textual says "may be private"): the codebook's label keys are known only once it is open.
* ``cell_len``, ``compute_wrap_offsets``, ``get_tab_widths``: how Textual measures and wraps a
  line, so the article view's fast wrap gives the same rows as Textual's.
* ``Document``, ``DocumentNavigator``, ``WrappedDocument``: the TextArea's document classes,
  replaced in the article view by a faster wrapped document.
* :class:`OneLineErrors`: overrides ``App._handle_exception``, so that an error the app can say in
  one line (a damaged database met while reading) ends it with that line, not a traceback.
* :class:`SteadyScrollBars`: overrides ``ScrollView._size_updated`` and calls
  ``_scroll_update`` so scroll bars are not redrawn at layouts that changed nothing.

The article view also overrides TextArea internals (``_render_line``, ``_set_document``,
``_line_cache``, ``_rewrap_and_refresh_virtual_size``): those live with it, in article_view.py.
The driver of a session served to a browser overrides ``WebDriver.run_input_thread`` and wraps
its ``_write``: those live with it, in served_driver.py.
"""

from __future__ import annotations

from textual._cells import cell_len
from textual._wrap import compute_wrap_offsets
from textual.document._document import Document
from textual.document._document_navigator import DocumentNavigator
from textual.document._wrapped_document import WrappedDocument
from textual.expand_tabs import get_tab_widths
from textual.dom import DOMNode
from textual.geometry import Size
from textual.keys import _normalize_key_list as normalize_key_list
from textual.scroll_view import ScrollView

__all__ = ["Document", "DocumentNavigator", "OneLineErrors", "SteadyScrollBars", "WrappedDocument", "cell_len", "compute_wrap_offsets",
           "get_tab_widths", "normalize_key_list", "sync_scroll_bars", "bind_key"]


def bind_key(node: DOMNode, key: str, action: str, description: str) -> None:
    """Bind ``key`` (as a person writes it: "#", "?") to ``action`` on ``node``, hidden from the
    footer. Textual names punctuation keys ("#" is "number_sign"): bound by the name, or it never fires."""
    node._bindings.bind(normalize_key_list(key), action, description, show=False)


class SteadyScrollBars:
    """Mixin for a scroll view: keep its scroll bars as they are through a layout that changed
    neither its size nor its content's size. Textual's ``ScrollView`` updates (and so redraws)
    its scroll bars at every layout of the screen: with one layout per article opened, that was a
    large part of the time per move (bench/notes.md, "Why the code is shaped so")."""

    _steady: tuple | None = None

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True) -> bool:
        steady = (size, container_size, self.virtual_size)  # type: ignore[attr-defined]
        if steady == self._steady:
            return False
        self._steady = steady
        return super()._size_updated(size, virtual_size, container_size, layout)  # type: ignore[misc]

    def sync_scroll_bars(self) -> None:
        """The content's size changed (set by the widget itself): update the scroll bars now,
        so that they are drawn in the coming frame with the content, not in one after it."""
        sync_scroll_bars(self)  # type: ignore[arg-type]


def sync_scroll_bars(view: ScrollView) -> None:
    """:meth:`SteadyScrollBars.sync_scroll_bars` for any scroll view with a ``_steady`` record."""
    steady = getattr(view, "_steady", None)
    if steady is not None:
        size, container_size, _ = steady
        view._steady = (size, container_size, view.virtual_size)  # type: ignore[attr-defined]
    if view.is_mounted:
        view._scroll_update(view.virtual_size)


class OneLineErrors:
    """Mixin for the App: an exception (in a handler or a worker) that :meth:`error_line` can say in
    one line ends the app with ``open_error`` set to that line and exit status 1 (the command line
    prints it as its one ``error:`` line); any other goes to Textual as before (a traceback)."""

    open_error: str | None = None

    def error_line(self, error: BaseException) -> str | None:
        return None

    def _handle_exception(self, error: Exception) -> None:
        cause = getattr(error, "error", error)  # (a worker's exception comes wrapped in WorkerFailed)
        line = self.error_line(cause) if isinstance(cause, BaseException) else None
        if line is None:
            super()._handle_exception(error)  # type: ignore[misc]
            return
        self.open_error = line
        self.exit(return_code=1)  # type: ignore[attr-defined]
