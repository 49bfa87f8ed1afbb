"""The annotation TUI's App: a shell that opens the session, binds the configured keys, owns
the command palette, the writer thread and quitting. What is shown and done lives in the
screens (:mod:`.screens.annotate` for annotating), which draw with the widgets (:mod:`.widgets`).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, work
from textual.app import App, SystemCommand
from textual.screen import Screen

from ..normalize import clean_line
from .keys import ACTIONS
from .messages import Opened
from .opening import OpenError, OpenRequest, Session, open_session
from .screens.annotate import AnnotateScreen
from .screens.dialogs import ConfirmScreen, NameScreen, NoteScreen
from .textual_private import OneLineErrors
from .widgets.side_tabs import COMPACT_HEIGHT, COMPACT_WIDTH
from .writer import Writer

if TYPE_CHECKING:  # imported at run time only once the session is open (see .opening): not before the first frame
    from ..codebook import Codebook
    from ..store import Store


class AnnotatorApp(OneLineErrors, App):
    """Tag articles beside their outlet cards."""

    CSS_PATH = Path(__file__).with_name("app.tcss")
    TITLE = "annotator"
    # Classes every screen gets by the terminal's size (a screen may set its own, as the story screen does).
    # -narrow/-short: the side pane shows one part at a time (see .widgets.side_tabs), the help one column;
    # -wide: the list shows (-medium: the list, once shown, takes the side pane's place too: list, text and
    # side pane need 120 columns)
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (COMPACT_WIDTH, "-medium"), (120, "-roomy"), (130, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (COMPACT_HEIGHT, "-tall")]

    def __init__(self, store: Store | None = None, annotator: str | None = None, codebook: Codebook | None = None,
                 keymap: dict[str, str] | None = None, *, request: OpenRequest | None = None):
        """Either an open ``store``, the ``annotator`` and the ``codebook`` (tests, scripts), or a
        ``request`` from the command line, opened in a worker once the first frame is drawn
        (see :mod:`.opening`). Until the session is open (``ready``) the app shows its layout
        and "opening…", its keys are greyed out, and ``store`` and ``codebook`` are None."""
        super().__init__()
        if request is None:
            if store is None or annotator is None or codebook is None:
                raise TypeError("AnnotatorApp needs a store, an annotator and a codebook, or a request")
            self._given: Session | None = Session(store, annotator, codebook, dict(keymap or {}))
        else:
            self._given = None
        self.request = request
        self.store: Store | None = None
        self.codebook: Codebook | None = None
        self.keymap: dict[str, str] = {}
        self.ready = False  # the session is open
        self.open_error: str | None = None  # why it could not be opened (the app exits; the command line says it)
        self.writer = Writer()
        where = str(request.db_path) if request is not None else "the database"
        self.annotate = AnnotateScreen(self.writer, where)

    def get_default_screen(self) -> Screen:
        return self.annotate

    def on_mount(self) -> None:
        self.theme = "textual-dark"
        self.call_after_refresh(self._open_session)  # after the first frame: it must not wait for the imports

    @work(thread=True, exclusive=True, group="session")
    def _open_session(self) -> None:
        """Open the configuration, codebook and store (imports sqlite-utils, pydantic, the
        codebook's YAML: slower than the first frame) and prepare the lexicon's matcher."""
        try:
            session = self._given or open_session(self.request)  # type: ignore[arg-type]
        except OpenError as exc:
            self.call_from_thread(self._open_failed, str(exc))
            return
        from ..lexicon import Matcher

        self.post_message(Opened(session, Matcher(session.codebook, outlets=session.store.outlets()), session.store.has_annotations(session.annotator),
                                 session.store.has_assignments(session.annotator)))

    def _open_failed(self, message: str) -> None:
        self.open_error = message
        self.exit(return_code=1)

    def on_opened(self, message: Opened) -> None:
        session = message.session
        self.store, self.codebook, self.keymap = session.store, session.codebook, dict(session.keymap)
        known = {binding_id for binding_id, *_ in ACTIONS}
        unknown = sorted(set(self.keymap) - known)
        if unknown:
            self.notify(f"[keys] in the configuration names unknown action(s): {', '.join(map(clean_line, unknown))}. "
                        f"Known: {', '.join(sorted(known))}", severity="warning", timeout=15, markup=False)
            for name in unknown:
                del self.keymap[name]
        if self.keymap:
            self.set_keymap(self.keymap)
        self.ready = True
        self.annotate.start(session.store, session.annotator, session.codebook, message.matcher, message.has_tagged,
                            self.keymap, asking_name=session.name_from_login, has_assignments=message.has_assignments)
        if session.name_from_login:
            self._ask_name_first()  # (then the story asked for, signed with the name given)
        else:
            self._open_story_asked()

    def _open_story_asked(self) -> None:
        """``annotator story ID``: the story screen over the annotation screen."""
        if self.request is not None and self.request.story:
            self.annotate.open_story(self.request.story)
        elif self.request is not None and self.request.review:
            self.annotate.action_review()

    def error_line(self, error: BaseException) -> str | None:
        """A damaged or unusable database met while reading or writing ends the TUI with one line."""
        from ..store import DatabaseError, StoreError, database_error_line

        if isinstance(error, StoreError):
            return str(error)
        if isinstance(error, DatabaseError):
            where = self.store.path if self.store is not None else (self.request.db_path if self.request else "database")
            return database_error_line(where, error)
        return None

    async def on_event(self, event: events.Event) -> None:
        """Key presses, clicks and scrolls keep the open article's time on task going."""
        if isinstance(event, (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp)):
            self.annotate.note_activity()
        await super().on_event(event)

    async def flush(self) -> None:
        """Wait until every queued write is committed (for tests and quitting)."""
        await self.writer.flush()

    # -- who is annotating ----------------------------------------------------------------

    @work(group="name", exclusive=True)
    async def _ask_name_first(self) -> None:
        """Nobody said who is annotating (no --annotator, configuration or $ANNOTATOR_NAME): ask
        once, instead of signing every tag with the login name, and remember the answer."""
        from ..config import name_file

        if self.request is not None and self.request.served:
            await self._ask_name_in_browser()
            return
        name = await self.push_screen_wait(NameScreen(
            "Who is annotating?",
            f"Your name is signed on every tag you make. It is remembered in {clean_line(str(name_file()))} "
            "(change it later with ctrl+p › Switch annotator).", self.annotate.annotator or ""))
        self.annotate.asking_name = False  # (the name given, or the login name kept: what it opens is noted now)
        if name is not None:
            self._remember_name(name)
            self.annotate.switch_annotator(name)
        self.annotate.start_clock()
        self._open_story_asked()

    async def _ask_name_in_browser(self) -> None:
        """A browser session (``annotator serve``) without a name in its address: ask until one
        is given (there is no login name to fall back on), and remember it for this session only."""
        name = None
        while name is None:
            name = await self.push_screen_wait(NameScreen(
                "Who is annotating?", "Your name is signed on every tag you make in this browser session "
                "(change it later with ctrl+p › Switch annotator).", ""))
        self.annotate.asking_name = False
        self.annotate.switch_annotator(name)
        self._open_story_asked()

    @work(thread=True, group="name-file")
    def _remember_name(self, name: str) -> None:
        from ..config import remember_annotator
        from ..errors import InputError

        try:
            remember_annotator(name)
        except InputError as exc:
            self.call_from_thread(self.notify, f"{exc} (this session still signs as {name})", severity="warning",
                                  markup=False, timeout=10)

    @work(group="name", exclusive=True)
    async def action_switch_annotator(self) -> None:
        """Sign tags with another name from now on (the reviewer's "gold", a colleague at this desk)."""
        if not self.ready:
            return
        name = await self.push_screen_wait(NameScreen(
            "Switch annotator", "The tags, answers, done marks and place shown from now on are this name's.",
            self.annotate.annotator or ""))
        if name is not None:
            self.annotate.switch_annotator(name)

    # -- the command palette and quitting ---------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if self.ready:
            yield from self.annotate.palette_commands()
            yield SystemCommand("Switch annotator", "sign tags with another name from now on (no restart)",
                                self.action_switch_annotator)

    @work(group="quit", exclusive=True)
    async def _confirm_quit(self, note: NoteScreen) -> None:
        """Quitting while a note is being written: save it, drop it, or go back to it."""
        answer = await self.push_screen_wait(ConfirmScreen(
            "The note you are writing is not saved.",
            [("s", "save it, then quit", "save"), ("d", "drop it and quit", "drop")]))
        if answer is None:
            return
        dialogs = [w for w in self.workers if w.group == "dialog"]
        if answer == "save":
            note.action_save()  # its dialog's worker commits it ...
        else:
            note.action_cancel()
        await self.workers.wait_for_complete(dialogs)  # ... before the app closes
        await self._close()

    async def end_session(self) -> None:
        """The session ends from outside (a served session's browser has gone, or a signal):
        nobody can be asked, so a note being written is saved; then every queued write is
        committed and the app exits."""
        note = next((s for s in self.screen_stack if isinstance(s, NoteScreen) and s.modified), None)
        if note is not None:
            while self.screen is not note:  # (a question over it: nobody is there to answer)
                await self.pop_screen()
            dialogs = [w for w in self.workers if w.group == "dialog"]
            note.action_save()  # its dialog's worker commits it ...
            await self.workers.wait_for_complete(dialogs)  # ... before the app closes
        await self._close()

    async def action_quit(self) -> None:
        note = next((s for s in self.screen_stack if isinstance(s, NoteScreen) and s.modified), None)
        if note is not None:
            if not isinstance(self.screen, ConfirmScreen):  # (already asking: the answer decides)
                self._confirm_quit(note)
            return
        await self._close()

    def close_store(self) -> None:
        """After the app has exited: close the database's connections of every thread (see
        ``Connection.close_all``), so the database file alone holds every change. Writes still
        queued (an exit other than quitting) are committed first."""
        self.writer.close()
        if self.store is not None:
            self.store.close_all()

    async def _close(self) -> None:
        """Commit every queued write, then exit."""
        self.annotate.stop_clock()
        await self.flush()
        self.writer.close()
        self.exit()
