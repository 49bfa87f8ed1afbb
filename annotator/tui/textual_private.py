"""Every private Textual API the TUI uses, in one place: a Textual upgrade that changes one of
them breaks here (and in tests/tui/test_textual_private.py, which pins their behaviour), not in
the widgets. Textual is pinned exactly in pyproject.toml while this module exists.

* ``normalize_key_list``: a binding's key string as Textual's key names ("?" -> "question_mark").
* :func:`bind_key`: binds a key on a screen once it exists (``BindingsMap.bind``, behind ``App.bind``,
  which Textual says "may be private"): the codebook's label keys are known only once it is open.
* ``cell_len``, ``compute_wrap_offsets``, ``get_tab_widths``: how Textual measures and wraps a
  line, so the article view's fast wrap gives the same rows as Textual's.
* ``WrappedDocument`` and :func:`wrap_tab_width`, :func:`set_wraps`, :func:`wrapped_rows`: the
  TextArea's wrapped document and its wrap tables, which the article view's faster wrap fills.
* :class:`HookedTextArea`: a TextArea whose private drawing and document hooks (``_set_document``,
  ``_rewrap_and_refresh_virtual_size``, ``_render_line``, ``_line_cache``, ``_highlights``, ``_theme``)
  are reached through named methods, so the article view overrides no private name.
* :func:`render_options`: the options a widget draws a Visual with (``RenderOptions`` takes the
  widget's private ``_get_style``).
* :class:`OneLineErrors`: overrides ``App._handle_exception``, so that an error the app can say in
  one line (a damaged database met while reading) ends it with that line, not a traceback.
* :class:`SteadyScrollBars`: overrides ``ScrollView._size_updated`` and calls
  ``_scroll_update`` so scroll bars are not redrawn at layouts that changed nothing.
* :func:`hook_web_driver_writes`, :func:`driver_app`: a web driver's output writer (``_write``, set
  by ``WebDriver.__init__``) and its app (``Driver._app``), for the driver of a served session.
"""

from __future__ import annotations

from collections.abc import Callable

from textual._cells import cell_len
from textual._wrap import compute_wrap_offsets
from textual.document._document import Document
from textual.document._document_navigator import DocumentNavigator
from textual.document._wrapped_document import WrappedDocument
from textual.expand_tabs import get_tab_widths
from textual.app import App
from textual.dom import DOMNode
from textual.geometry import Size
from textual.keys import _normalize_key_list as normalize_key_list
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import RenderOptions
from textual.widget import Widget
from textual.widgets import TextArea
from textual.widgets.text_area import TextAreaTheme

__all__ = ["HookedTextArea", "driver_app", "hook_web_driver_writes", "OneLineErrors", "SteadyScrollBars", "WrappedDocument", "bind_key", "cell_len",
           "compute_wrap_offsets", "get_tab_widths", "normalize_key_list", "render_options", "set_wraps",
           "sync_scroll_bars", "wrap_tab_width", "wrapped_rows"]


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


def render_options(widget: Widget) -> RenderOptions:
    """The options ``widget`` draws a Visual with (its styles; ``.class`` styles looked up as it does)."""
    return RenderOptions(widget._get_style, widget.styles)


# -- the TextArea's wrapped document -------------------------------------------------------------


def wrap_tab_width(wrapped: WrappedDocument, tab_width: int | None = None) -> int:
    """The tab width ``wrapped`` wraps with; a given ``tab_width`` becomes it first (as
    ``WrappedDocument.wrap`` takes one)."""
    if tab_width:
        wrapped._tab_width = tab_width
    return wrapped._tab_width


def set_wraps(wrapped: WrappedDocument, width: int, wrap_offsets: list[list[int]],
              tab_widths: list[list[int]]) -> None:
    """Give ``wrapped`` the wraps of its document's lines at ``width``, as ``WrappedDocument.wrap``
    stores them: per line, the offsets where its rows start after the first (``wrap_offsets``) and
    the widths of its tabs (``tab_widths``)."""
    rows_of_lines: list[tuple[int, int]] = []
    lines_rows: list[list[int]] = []
    for line_index, offsets in enumerate(wrap_offsets):
        first = len(rows_of_lines)
        rows = len(offsets) + 1
        rows_of_lines.extend([(line_index, section) for section in range(rows)])
        lines_rows.append(list(range(first, first + rows)))
    wrapped._width = width
    wrapped._wrap_offsets = wrap_offsets
    wrapped._offset_to_line_info = rows_of_lines
    wrapped._line_index_to_offsets = lines_rows
    wrapped._tab_width_cache = tab_widths


def wrapped_rows(wrapped: WrappedDocument) -> list[tuple[int, int]]:
    """Per screen row of the wrapped text: (line index, row within the line). Not a copy."""
    return wrapped._offset_to_line_info


class HookedTextArea(TextArea):
    """A TextArea whose private hooks are reached by name: :meth:`make_wrapped_document` (called
    by ``_set_document``, for plain text), :meth:`render_row` (``_render_line``, with
    :meth:`textual_row` drawing a row as Textual does), :meth:`wrap_key` (compared around
    ``_rewrap_and_refresh_virtual_size``), and a few read-outs of its drawing state."""

    def make_wrapped_document(self, document: Document) -> WrappedDocument:
        """The wrapped document of a newly set text (Textual's own by default)."""
        return WrappedDocument(document, tab_width=self.indent_width)

    def _set_document(self, text: str, language: str | None) -> None:
        # Textual 8.2.8's TextArea._set_document for plain text (the language is never set here)
        self._highlight_query = None
        self.document = Document(text)
        self.wrapped_document = self.make_wrapped_document(self.document)
        self.navigator = DocumentNavigator(self.wrapped_document)
        self._build_highlight_map()
        self.move_cursor((0, 0))
        self._rewrap_and_refresh_virtual_size()

    def wrap_key(self) -> object:
        """What changes when the text is wrapped anew (the wrapped document by default)."""
        return self.wrapped_document

    def _rewrap_and_refresh_virtual_size(self) -> None:
        # Textual wraps again on the Resize event, after the frame at the new size was drawn
        # (from the old wrap), and repaints only if the text's height in rows changed: a new
        # wrap of the same height stayed drawn the old way (words cut off at the right edge).
        drawn = self.wrap_key()
        super()._rewrap_and_refresh_virtual_size()
        if self.wrap_key() != drawn:
            self.refresh()

    def _render_line(self, y: int) -> Strip:
        return self.render_row(y)

    def render_row(self, y: int) -> Strip:
        """Screen row ``y`` of the view (Textual's ``_render_line``): override to draw rows another way."""
        return self.textual_row(y)

    def textual_row(self, y: int) -> Strip:
        """Screen row ``y`` drawn as Textual's TextArea draws it."""
        return super()._render_line(y)

    def clear_line_cache(self) -> None:
        """Forget the rows Textual keeps drawn (the styles of the text changed)."""
        self._line_cache.clear()

    @property
    def has_syntax_highlights(self) -> bool:
        """Whether Textual paints syntax highlights (never for plain text)."""
        return bool(self._highlights)

    @property
    def theme_styles(self) -> TextAreaTheme | None:
        """The styles of the TextArea's theme, as Textual draws with them."""
        return self._theme


# -- drivers --------------------------------------------------------------------------------------


def hook_web_driver_writes(driver: object, write: Callable[[bytes], None]) -> Callable[[bytes], None]:
    """Send the output packets ``driver`` (a ``WebDriver``) writes through ``write`` from now on;
    returns the writer Textual's driver had (``write`` passes the packets on to it)."""
    textuals = driver._write  # type: ignore[attr-defined]
    driver._write = write  # type: ignore[attr-defined]
    return textuals


def driver_app(driver: object) -> App:
    """The app a Textual driver drives."""
    return driver._app  # type: ignore[attr-defined]
