"""Who is annotating (switching name without restarting) and their time on task on the
open article (kept per visit through the writer thread)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from ...messages import ProgressRead

if TYPE_CHECKING:
    from ....team.active_time import ActiveTime
    from ....tagging import History


class WhoAndTime:
    """Mixin of :class:`~.screen.AnnotateScreen`."""

    # (the screen's: see .screen.AnnotateScreen)
    store: Any
    annotator: str | None
    article: Any
    asking_name: bool
    filters: dict[str, Any]
    history: History
    clock: ActiveTime
    now: Callable[[], float]
    writer: Any
    has_tagged: bool
    _progress_read: float

    # -- who is annotating ----------------------------------------------------------------

    def switch_annotator(self, name: str) -> None:
        """Show this annotator's tags, status and place from now on (their undo history starts empty)."""
        if name == self.annotator:
            return
        self.start_clock()  # (what was spent so far is the previous name's)
        self.annotator = name
        self.start_clock()
        if self.filters["assigned"] is not None:  # "assigned to me" is now the new name's
            self.filters["assigned"] = name
        if self.store is not None:
            self.store.actor = name  # the history of each change names who made it
        self.history.clear()
        self._progress_read = float("-inf")  # (what is read ahead is anyone's: the article, its outlets, suggestions)
        self._refresh_who(name)
        self.reset_list(open_first=True, resume=True)
        self._update_topbar()
        self.notify(f"Signing tags as {name}.", markup=False, timeout=3)

    # -- time on task -----------------------------------------------------------------------

    def note_activity(self) -> None:
        """A key press, click or scroll anywhere in the app: the open article's time goes on."""
        self.clock.activity(self.now())

    def start_clock(self) -> None:
        """Time the open article from now for the annotator named now (keeping what went before)."""
        article_id = self.article.id if self.article is not None and not self.asking_name else None
        self._keep_time(self.clock.open(article_id, self.now()))

    def stop_clock(self) -> None:
        """Leaving (quitting): keep the open article's time."""
        self._keep_time(self.clock.close(self.now()))

    def _keep_time(self, spent: tuple[str, float] | None) -> None:
        if spent is not None and self.store is not None and self.annotator:
            self.writer.submit(self._add_active_time, self.annotator, *spent)

    def _add_active_time(self, annotator: str, article_id: str, seconds: float) -> None:
        """(writer thread) Only the time is lost when the database cannot take it (read-only, locked)."""
        try:
            self.store.add_active_time(article_id, annotator, seconds)
        except Exception:  # noqa: BLE001
            pass

    def _show_who(self, has_tagged: bool, progress: tuple[int, int]) -> None:
        self.has_tagged = has_tagged
        self.on_progress_read(ProgressRead(progress))
        self._update_hint()
