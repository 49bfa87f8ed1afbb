"""The review screen's keys that settle disagreements into gold: accept an annotator's
version, accept what all agree on, reject, the reviewer's own tag, relabel, a reason; each a
:class:`~annotator.tagging.Change` committed on the app's writer thread and kept for undo."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from textual import work

from ....normalize import clean_line
from ...widgets.untrusted import safe
from ..dialogs import Choice, NoteScreen, PickerScreen

if TYPE_CHECKING:
    from ....codebook import Codebook
    from ....team.review import Item, Review
    from ....store import Store
    from ....tagging import Change, History
    from ...writer import Writer


class ReviewSettling:
    """Mixin of :class:`~.review.ReviewScreen`: its settling actions."""

    # (the screen's: see .review.ReviewScreen)
    store: Store
    codebook: Codebook
    reviewer: str
    writer: Writer
    names: Any
    column: Any
    article: Any
    review: Review | None
    current: int
    history: History
    _jump: bool
    if TYPE_CHECKING:  # (declared for type checkers only: a method here would hide Textual's)
        app: Any
        def notify(self, message: str, **kwargs) -> None: ...
        def _item(self) -> Item | None: ...
        def _reviewed(self, article_id: str, review: Review) -> None: ...
        async def _commit(self, change: Change, read_back: Any, record: bool = True) -> tuple[bool, Any]: ...

    async def action_accept(self, number: int) -> None:
        """Take annotator ``number``'s version of the disagreement in hand into gold."""
        from ....team.review import accept

        item = self._item()
        if item is None or self.review is None or self.article is None:
            self.notify("No disagreement here.")
            return
        if number > len(self.review.annotators):
            self.notify(f"There are {len(self.review.annotators)} annotator(s) here.")
            return
        name = self.review.annotators[number - 1]
        await self._do(accept(self.store, self.review, item, name, self.reviewer, self.article.text_sha256), step=True)

    async def action_accept_agreed(self) -> None:
        from ....team.review import accept_agreed

        if self.review is None or self.article is None:
            return
        change = accept_agreed(self.store, self.review, self.reviewer, self.article.text_sha256)
        if change is None:
            self.notify("Every agreed item is in gold already.")
            return
        await self._do(change)

    async def action_reject(self) -> None:
        from ....team.review import reject

        item = self._item()
        if item is None or self.review is None:
            self.notify("No disagreement here.")
            return
        await self._do(reject(self.store, self.review, item, self.reviewer), step=True)

    @work(group="dialog", exclusive=True)
    async def action_own_tag(self) -> None:
        """The reviewer's own gold tag on the selection, with a label chosen from a list."""
        from ....team.review import GOLD, own_tag
        from ....tagging import new_tag, trim_selection

        if self.review is None or self.article is None:
            return
        start, end = trim_selection(self.article.text, *self.column.view.selected_range)
        if start == end:
            self.notify("Select some text first (shift+arrows or the mouse), then press t.")
            return
        choices = [Choice(safe(self.names.full_label(c.id, label.id)), (c.id, label.id),
                          f"{c.id} {label.id} {self.names.full_label(c.id, label.id)}")
                   for c in self.codebook.categories if c.kind.value == "span" for label in c.labels]
        chosen = await self.app.push_screen_wait(PickerScreen("Your own gold tag on the selection", choices))
        if chosen is None:
            return
        category, label = chosen
        voice = {"voice": "own"} if "voice" in self.codebook.category(category).attributes else {}
        tag = new_tag(self.article, GOLD, self.codebook, category, label, start, end, attributes=voice)
        await self._do(own_tag(self.store, self.review, tag, self.reviewer))

    @work(group="dialog", exclusive=True)
    async def action_relabel(self) -> None:
        """Change the label of the gold tag at the disagreement in hand (its span stays)."""
        from ....tagging import edit_tag

        item = self._item()
        gold = [t for t in item.gold if t.start is not None] if item is not None else []
        if item is None or len(gold) != 1:
            self.notify("Relabel needs one gold tag here: accept a version first (1-9), or t for your own.")
            return
        tag = gold[0]
        category = self.codebook.category(tag.category)
        if category is None:
            self.notify("This gold tag's category is not in the codebook.")
            return
        choices = [Choice(safe(self.names.full_label(category.id, label.id)), label.id,
                          f"{label.id} {self.names.full_label(category.id, label.id)}") for label in category.labels]
        chosen = await self.app.push_screen_wait(PickerScreen("Gold label here", choices))
        if chosen is not None and chosen != tag.label:
            await self._do(edit_tag(self.store, tag, f"relabel gold {chosen}", label=chosen))

    @work(group="dialog", exclusive=True)
    async def action_reason(self) -> None:
        """Write why the disagreement in hand was settled so."""
        from ....team.review import give_reason

        item = self._item()
        if item is None or self.review is None:
            self.notify("No disagreement here.")
            return
        reason = await self.app.push_screen_wait(NoteScreen("Why it was settled so", item.reason or ""))
        if reason is not None:
            await self._do(give_reason(self.store, self.review, item, clean_line(reason).strip() or None,
                                       self.reviewer))

    async def _do(self, change: Change, record: bool = True, step: bool = False) -> bool:
        """Commit a change on the app's writer thread, then read the article's review again
        (``step``: then move on to the next disagreement left)."""
        store, book, article_id = self.store, self.codebook, change.article_id or ""

        from ....team.review import read_review

        saved, review = await self._commit(change, partial(read_review, store, book, article_id), record)
        if not saved:
            return False
        if step:
            left = [i for i, item in enumerate(review.disagreements) if not item.settled]
            after = [i for i in left if i > self.current]
            self.current = (after or left or [self.current])[0]
            self._jump = True
        self._reviewed(article_id, review)
        return True

