"""Time on task: the active time an annotator spends on an article (open, and not idle).

Time counts between two signs of activity (a key press, a click, a scroll) on the open
article; a gap longer than :data:`IDLE_AFTER` counts as that long (someone who walked away
is not working), as the time from the last sign to leaving the article does. Kept per
(article, annotator) and summed over visits, as Label Studio's "lead time" is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

IDLE_AFTER = 60.0  # seconds: a longer pause counts as this long


@dataclass
class ActiveTime:
    """The clock of the open article. Times are seconds from any monotonic clock."""

    idle_after: float = IDLE_AFTER
    article_id: str | None = None
    seconds: float = 0.0
    _last: float = field(default=0.0, repr=False)

    def open(self, article_id: str | None, now: float) -> tuple[str, float] | None:
        """Start timing ``article_id`` (None: nothing is open); what the article before took (see :meth:`close`)."""
        spent = self.close(now)
        self.article_id, self.seconds, self._last = article_id, 0.0, now
        return spent

    def activity(self, now: float) -> None:
        """A key press, click or scroll: the time since the last one counts (up to :attr:`idle_after`)."""
        if self.article_id is None:
            return
        gap = now - self._last
        if gap > 0:
            self.seconds += min(gap, self.idle_after)
        self._last = max(now, self._last)

    def close(self, now: float) -> tuple[str, float] | None:
        """Stop timing: (article id, active seconds) when some time was spent, else None."""
        if self.article_id is None:
            return None
        self.activity(now)
        spent = (self.article_id, self.seconds) if self.seconds > 0 else None
        self.article_id, self.seconds = None, 0.0
        return spent

