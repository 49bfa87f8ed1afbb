"""The annotation screen's moves: between articles of the (filtered) list, between tags of
the open article, between its panes, and to the help and statistics screens."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.widgets import Input, Select

from ....normalize import clean_line
from ...help_content import guideline_help, keys_help
from ...keys import ACTIONS
from ...widgets.article_view import ArticleView
from ...widgets.side_tabs import PANES, SideTabs
from ...widgets.tag_list import TagList
from ..dialogs import HelpScreen

if TYPE_CHECKING:
    from ....codebook import Category


class MovingActions:
    """Mixin of :class:`~.screen.AnnotateScreen`: the actions that move and show, not change."""

    # (the screen's: see .screen.AnnotateScreen)
    filters: dict[str, Any]
    position: int | None
    in_list: bool
    status: str
    pane: str
    _outlet_names: dict[str, str]
    _story_screen: Any

    # -- in the article -----------------------------------------------------------------

    def _jump_tag(self, step: int) -> None:
        tags = self.span_tags
        if not tags:
            self.notify("No tags in this article yet.")
            return
        cursor = self.view.selected_range[0]
        if step > 0:
            tag = next((t for t in tags if t.start > cursor), tags[0])  # type: ignore[operator]
        else:
            tag = next((t for t in reversed(tags) if t.start < cursor), tags[-1])  # type: ignore[operator]
        self.current_tag = tag.uuid
        self.view.select_range(tag.start, tag.end)  # type: ignore[arg-type]
        self._refresh_article()

    def action_next_tag(self) -> None:
        self._jump_tag(1)

    def action_prev_tag(self) -> None:
        self._jump_tag(-1)

    # -- between articles ---------------------------------------------------------------

    def _filter_words(self) -> str:
        """The filters in effect, as a user set them ("" when none)."""
        parts = []
        if self.filters["search"]:
            parts.append(f"search “{clean_line(self.filters['search'])[:40]}”")
        if self.filters["status"]:
            parts.append(f"status {self.filters['status']}")
        if self.filters["publisher"] is not None:
            name = self._outlet_names.get(self.filters["publisher"], self.filters["publisher"]) or "unknown outlet"
            parts.append(f"outlet {clean_line(name)}")
        return ", ".join(parts)

    def _move_article(self, step: int) -> None:
        articles = self.articles
        filters = self._filter_words()
        if not articles.total:
            self.notify(f"No article matches the filters ({filters}): change them in the list "
                        f"({self._key('toggle_list')})." if filters else "There are no articles in this database.",
                        markup=False)
            return
        if self.position is None:
            index = articles.cursor + step
        elif step > 0 and not self._in_filtered_list():
            index = self.position  # it left the list (e.g. tagged under "new"): the next one took its place
        else:
            index = self.position + step
        if not 0 <= index < articles.total:
            where = f" of the {articles.total} matching the filters ({filters})" if filters else ""
            self.notify((f"That was the last article{where}." if step > 0 else f"This is the first article{where}."),
                        markup=False)
            return
        self.open_at(index)  # the list's cursor moves with the article, in the same frame (on_loaded)

    def _in_filtered_list(self) -> bool:
        """Does the open article pass the filters (tagging or "done" may move it out of a status filter)?"""
        return self.in_list and self.filters["status"] in (None, self.status)

    def action_next_article(self) -> None:
        self._move_article(1)

    def action_prev_article(self) -> None:
        self._move_article(-1)

    def action_next_undone(self) -> None:
        self._open_next_undone(self.article.id if self.article else None, self._query())

    # -- where the open article is in the list -----------------------------------------------

    def _show_nothing(self) -> None:
        """No article passes the filters: the screen says so, and shows no other article under it."""
        self.workers.cancel_group(self, "open")
        self.article = self.publisher = self.original = None
        self.tags, self.all_suggestions, self.rejected, self.position = [], [], set(), None
        self.current_tag = None
        self.view.show_text("")
        self.card.show_outlets(self.article, self.publisher, self.original)
        self._refresh_article()
        filters = self._filter_words()
        self.head.set_content(
            Text(f"No article matches the filters ({filters})." if filters else "There are no articles here.",
                 style="italic"),
            Text.assemble(("Change the search, status or outlet in the list", "dim"),
                          ("" if self.sidebar.display else f" ({self._key('toggle_list')} shows it)", "dim"),
                          (".", "dim")))

    def _set_position(self, article_id: str, position: int | None, in_list: bool) -> None:
        if self.article is None or self.article.id != article_id:
            return
        self.position, self.in_list = position, in_list
        if position is not None and self.articles.total:
            self.articles.cursor = min(position, self.articles.total - 1)
        self._update_topbar()

    def _show_place(self, article_id: str, status: str, tags: int, position: int | None) -> None:
        if self.article is None or self.article.id != article_id:
            return  # another article opened meanwhile: it shows its own place
        self.articles.current_id = article_id
        self.articles.update_row(article_id, status=status, tags=tags)
        if position is not None and self.articles.total:
            self.articles.cursor = min(position, self.articles.total - 1)
        self._update_topbar()

    # -- messages from the widgets: selection, filters, the tag list, the side pane's tabs ---------

    def on_text_area_selection_changed(self, event: ArticleView.SelectionChanged) -> None:
        """The cursor moved into a tag: it becomes the current one; else the hint line follows the selection."""
        if event.text_area is not self.view:
            return
        start, end = self.view.selected_range
        if start == end:
            inside = [t for t in self.span_tags if t.start <= start < t.end]  # type: ignore[operator]
            new = inside[-1].uuid if inside else None
            if new != self.current_tag:
                self.current_tag = new
                self._refresh_article()
                return
        self._update_hint()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input is self.search:
            self._set_filter("search", event.value.strip() or None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the search box opens the first match (the list keeps the others)."""
        if event.input is self.search:
            self.reset_list(open_first=True)
            self.articles.focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        value = event.value if isinstance(event.value, str) else None  # not the blank sentinel ("": unknown outlet)
        if event.select is self.status_filter:
            self._set_filter("status", value)
        elif event.select is self.outlet_filter:
            self._set_filter("publisher", value)
        elif event.select is self.assigned_filter:
            self._set_filter("assigned", self.annotator if value == "mine" else None)

    def _set_filter(self, name: str, value: str | None) -> None:
        self.filters[name] = value
        if self.ready:  # (before: the list is read with the filters once the session is open)
            self.reset_list()

    def on_tag_list_chosen(self, event: TagList.Chosen) -> None:
        """Enter on a tag in the list: select it in the text."""
        tag = next((t for t in self.tags if t.uuid == event.tag_id), None)
        if tag is None:
            return
        if tag.start is not None:
            self.current_tag = tag.uuid
            self.view.select_range(tag.start, tag.end)  # type: ignore[arg-type]
            self._refresh_article()
        self.view.focus()

    def on_side_tabs_switch(self, message: SideTabs.Switch) -> None:
        self._show_pane(message.pane)

    # -- between panes ------------------------------------------------------------------

    def action_search(self) -> None:
        self.sidebar.display = True
        self.main.set_class(True, "-list-open")  # (as F2: on a narrow terminal it takes the side pane's place)
        self.search.focus()

    def action_focus_text(self) -> None:
        self.view.focus()

    def action_focus_card(self) -> None:
        self.card.focus()

    def action_toggle_list(self) -> None:
        self.sidebar.display = not self.sidebar.display
        self.main.set_class(self.sidebar.display, "-list-open")  # (narrow: the list takes the side pane's place)
        if self.sidebar.display:
            self.articles.focus()
        else:
            self.view.focus()

    def action_side_pane(self) -> None:
        """Show the next part of the side pane (outlet card, tags, questions) on a small terminal."""
        if not self._compact():
            self.notify("The outlet card, your tags and the article questions are all shown: "
                        "this key switches between them on smaller terminals.", timeout=3)
            return
        self._show_pane(PANES[(PANES.index(self.pane) + 1) % len(PANES)])

    # -- other screens ------------------------------------------------------------------

    def action_story(self) -> None:
        """The open article's story on the story screen (its outlets side by side)."""
        if self.article is None:
            return
        if not self.article.story:
            self.notify("This article belongs to no story (give one at import, or `annotator article set --story`).",
                        markup=False)
            return
        self.open_story(self.article.story, self.article.id)

    def action_review(self) -> None:
        """The review screen (settling annotators' disagreements into gold), signed by this annotator as reviewer."""
        from ..review.screen import ReviewScreen

        screen = ReviewScreen(self.store, self.codebook, self.annotator or "", self.writer)

        def back(_: object) -> None:
            if self.article is not None:
                self.open_article(self.article.id, self.position)  # (gold tags made there are not this list's)

        self.app.push_screen(screen, back)

    def open_story(self, story: str, first: str | None = None) -> None:
        """Read the story, then push the story screen with it, so its first frame shows the articles
        (read on the screen, the reading waited for the empty screen's frames: bench/notes.md,
        "Measured choices"); back from it, the article asked for (E) or this one, read again."""
        self._read_story_to_open(self.store, self.matcher, self.annotator or "", story, first)

    @work(thread=True, exclusive=True, group="story-open")
    def _read_story_to_open(self, store: Any, matcher: Any, annotator: str, story: str, first: str | None) -> None:
        from ..story.screen import read_story_for

        try:
            articles = read_story_for(store, story, matcher, annotator)
        except Exception:  # (the screen reads it again and says what is wrong there)
            articles = None
        self.app.call_from_thread(self._push_story, story, first, articles)

    def _push_story(self, story: str, first: str | None, articles: list | None) -> None:
        from ..story.screen import StoryScreen

        screen = self._story_screen
        if self.app.screen is not self or (screen is not None and screen in self.app.screen_stack):
            return  # another screen opened while the story was read, or C was pressed twice: not over it
        if screen is not None and screen.codebook is self.codebook and screen.matcher is self.matcher \
                and screen.store is self.store:
            screen.reopen(self.annotator or "", story, first, articles)
        else:  # the first story of the session (kept for the next: installed screens are not removed)
            if screen is not None:  # (another codebook or database since: that one is dropped)
                self.app.uninstall_screen(screen)
                screen.remove()
            screen = StoryScreen(self.store, self.codebook, self.matcher, self.annotator or "", self.writer, story,
                                 first, articles)
            self._story_screen = screen
            self.app.install_screen(screen, f"story-{id(screen)}")

        def back(chosen: str | None) -> None:
            if chosen is not None:
                self.open_article(chosen)
            elif screen.changed and self.article is not None:
                self.open_article(self.article.id, self.position)  # tags made there are shown here

        self.app.push_screen(screen, back)

    def action_statistics(self) -> None:
        from ..stats import StatsScreen

        if not isinstance(self.app.screen, StatsScreen):
            self.app.push_screen(StatsScreen(self.store, self.codebook, self.annotator))

    def action_help(self) -> None:
        if isinstance(self.app.screen, HelpScreen):
            self.app.screen.dismiss(None)
            return
        self.app.push_screen(HelpScreen(
            keys_help({binding_id: self._key(binding_id) for binding_id, *_ in ACTIONS}, self.bound_label_keys),
            guideline_help(self.codebook, self._focused_label())))

    def _focused_label(self) -> tuple[Category, Any, str] | None:
        """The label the help is about: the selected tag's, else the selected suggestion's."""
        tag = self._current()
        if tag is not None:
            category, label = self.codebook.category(tag.category), self.codebook.label(tag.category, tag.label)
            if category is not None and label is not None:
                return category, label, "The selected tag's label"
        suggestion = self._suggestion_at_selection() if self.article is not None else None
        if suggestion is not None:
            category = self.codebook.category(suggestion.category)
            label = self.codebook.label(suggestion.category, suggestion.label)
            if category is not None and label is not None:
                return category, label, "The selected suggestion's label"
        return None
