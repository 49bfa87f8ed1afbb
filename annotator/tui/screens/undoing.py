"""Undo and redo on any screen that changes what is stored (annotation, story, review): the
screen's :class:`~annotator.tagging.History` holds the committed changes, and the screen's
``_replay`` commits one (an undo is the inverse of a change) and says so."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ...tagging import Change, History


class UndoRedo:
    """Mixin of a screen: ctrl+z and ctrl+y over ``self.history``."""

    history: History
    if TYPE_CHECKING:  # the screen's (declared for type checkers only: a method here would hide Textual's)
        async def _replay(self, change: Change, description: str) -> bool: ...
        def notify(self, message: str, **kwargs) -> None: ...

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
