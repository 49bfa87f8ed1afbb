"""Undo and redo on any screen that changes what is stored (annotation, story, review): the
screen's :class:`~annotator.tagging.History` holds the committed changes, and the screen's
``_do`` commits one (an undo is the inverse of a change)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ...tagging import Change, History
    from ..writer import Writer


class UndoRedo:
    """Mixin of a screen: ctrl+z and ctrl+y over ``self.history``."""

    history: History
    writer: Writer
    if TYPE_CHECKING:  # the screen's (declared for type checkers only: a method here would hide Textual's)
        async def _do(self, change: Change, record: bool = True) -> bool: ...
        def notify(self, message: str, **kwargs) -> None: ...

    async def _commit(self, change: Change, read_back: Callable[[], Any], record: bool = True) -> tuple[bool, Any]:
        """Apply ``change`` on the app's writer thread and then ``read_back()`` there (what the
        screen shows of it, as stored); kept for undo unless ``record`` is false. (False, None)
        when it could not be saved (a read-only or busy database), which is said: the session
        goes on."""
        def run() -> Any:
            change.apply()
            return read_back()

        try:
            result = await self.writer.run(run)
        except Exception as exc:
            self.notify(f"not saved: {exc}", severity="error", markup=False)
            return False, None
        if record:
            self.history.record(change)
        return True, result

    async def _replay(self, change: Change, description: str) -> bool:
        """Commit an undo (a change's inverse) or a redo with the screen's ``_do``, not recorded
        again, and say what it was. A screen may do more (the annotation screen opens the
        article the change was made on)."""
        if not await self._do(change, record=False):
            return False
        self.notify(f"{description}: {change.description}", markup=False, timeout=3)
        return True

    async def action_undo(self) -> None:
        if not self.history.can_undo:
            self.notify("Nothing to undo.")
            return
        change = self.history.take_undo()
        if await self._replay(change.inverse(), "Undid"):
            self.history.undone(change)
        else:
            self.history.put_back(change, undoing=True)

    async def action_redo(self) -> None:
        if not self.history.can_redo:
            self.notify("Nothing to redo.")
            return
        change = self.history.take_redo()
        if await self._replay(change, "Redid"):
            self.history.redone(change)
        else:
            self.history.put_back(change, undoing=False)
