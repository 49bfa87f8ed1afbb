"""The story screen's keys that tag: a label key tags the selection in the focused column
(voice guessed, the lexicon's concept and variant kept, as on the annotation screen), delete
removes the tag under the cursor; each a change committed on the app's writer thread and
kept for undo."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from ....normalize import clean_line
from ....tagging import Change, add_tag, edit_tag, initial_voice, lexicon_attributes, new_tag, same_tag, trim_selection

if TYPE_CHECKING:
    from ....codebook import Codebook
    from ....stories.compare import StoryArticle
    from ....models import Annotation
    from ....store import Store
    from ....tagging import History
    from ...widgets.story_column import StoryColumn
    from ...writer import Writer


class StoryTagging:
    """Mixin of :class:`~.story.StoryScreen`: tagging from a column."""

    # (the screen's: see .story.StoryScreen)
    store: Store
    codebook: Codebook
    annotator: str
    writer: Writer
    names: Any
    columns: list[StoryColumn]
    articles: list[StoryArticle]
    shown: list[int]
    history: History
    changed: bool
    if TYPE_CHECKING:  # (declared for type checkers only: a method here would hide Textual's)
        def notify(self, message: str, **kwargs) -> None: ...
        def _focused_column(self) -> int | None: ...
        def _tags_changed(self, article_id: str, tags: list[Annotation]) -> None: ...
        async def _commit(self, change: Change, read_back: Any, record: bool = True) -> tuple[bool, Any]: ...

    def _column_article(self) -> tuple[StoryColumn, StoryArticle] | None:
        number = self._focused_column()
        if number is None:
            self.notify("Move into a column first (tab).")
            return None
        return self.columns[number], self.articles[self.shown[number]]

    async def action_tag(self, category_id: str, label_id: str) -> None:
        """Tag the selection of the focused column with a label (as on the annotation screen)."""
        found = self._column_article()
        category = self.codebook.category(category_id)
        if found is None or category is None:
            return
        column, a = found
        start, end = trim_selection(a.article.text, *column.view.selected_range)
        if start == end:
            self.notify("Select some text first (shift+arrows or the mouse), then press the label's key.")
            return
        if same_tag(a.tags, start, end, category_id, label_id) is not None:
            self.notify("This text already has that tag.", timeout=2)
            return
        attributes: dict[str, str] = {}
        if "voice" in category.attributes:
            from ....lexicon import guess_voice

            attributes = initial_voice(category, self.codebook.attribute("voice"), guess_voice(a.article.text, start, end))
        attributes.update(lexicon_attributes(a.suggestions, start, end))
        tag = new_tag(a.article, self.annotator, self.codebook, category_id, label_id, start, end, attributes=attributes)
        await self._do(add_tag(self.store, tag, f"tag {clean_line(self.names.label(category_id, label_id))}"))

    async def action_delete_tag(self) -> None:
        found = self._column_article()
        if found is None:
            return
        column, a = found
        cursor = column.view.selected_range[0]
        inside = [t for t in a.tags if t.start is not None and t.start <= cursor < t.end]  # type: ignore[operator]
        if not inside:
            self.notify("No tag here: move into one of your tags.")
            return
        await self._do(edit_tag(self.store, inside[-1], "delete tag", deleted=True))

    async def _do(self, change: Change, record: bool = True) -> bool:
        """Commit a change on the app's writer thread, then draw the article's tags as stored."""
        store, who, article_id = self.store, self.annotator, change.article_id

        saved, tags = await self._commit(change, partial(store.annotations, article_id, who), record)
        if not saved:
            return False
        self.changed = True
        self._tags_changed(article_id or "", tags)
        return True
