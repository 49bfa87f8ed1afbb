"""The annotation screen's changes: tagging, suggestions, notes, questions, done, undo and redo.

What a change does and how it is undone is decided by the library (:mod:`annotator.tagging`);
here each key press makes one change, commits it on the app's writer thread and, once it
is committed, draws the article's tags as they are now (one redraw per key press).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.widgets import Input

from ....normalize import clean_line, normalize_text
from ....tagging import (Change, accepted_attributes, add_tag, answer, edit_tag, initial_voice, lexicon_attributes, mark_done, new_tag,
                         next_voice, reject, same_tag, trim_selection)
from ...messages import TagsReloaded
from ..dialogs import Choice, NoteScreen, PickerScreen
from ..undoing import UndoRedo
from ...widgets.untrusted import safe

if TYPE_CHECKING:
    from ....codebook import Category
    from ....models import Annotation

# A write still waiting for the database after this long says so ("saving… (database busy)");
# the store gives up after WRITE_WAIT_S (60 s), and only then is it "not saved".
BUSY_NOTICE_S = 1.0


class TagActions(UndoRedo):
    """Mixin of :class:`~.screen.AnnotateScreen`: the actions that change what is stored."""

    # (the screen's: see .screen.AnnotateScreen)
    store: Any
    annotator: str | None
    codebook: Any
    article: Any
    tags: list[Annotation]
    all_suggestions: list
    history: Any
    current_tag: str | None
    writer: Any

    async def _do(self, change: Change, record: bool = True) -> bool:
        """Commit a change, then show it. Returns False (and says why) when it failed."""
        shown, who = (self.article.id if self.article else None), self.annotator or ""

        def run() -> TagsReloaded | None:
            change.apply()
            return self.reload_tags(shown, who, change.progress) if shown else None

        try:
            writing = asyncio.ensure_future(self.writer.run(run))
            done, _ = await asyncio.wait({writing}, timeout=BUSY_NOTICE_S)
            if not done:  # the store waits (up to WRITE_WAIT_S) for another writer: an import, say
                self.notify("saving… (database busy)", markup=False, timeout=3)
            reloaded = await writing
        except Exception as exc:  # a read-only database, or one busy beyond WRITE_WAIT_S, must not lose the session
            self.notify(f"not saved: {exc}", severity="error", markup=False)
            return False
        if record:
            self.history.record(change)
        if reloaded is not None:
            if change.uuid and any(t.uuid == change.uuid and t.start is not None for t in reloaded.tags):
                self.current_tag = change.uuid
            self.on_tags_reloaded(reloaded)
        return True

    def _new_tag(self, category_id: str, label_id: str, start: int | None = None, end: int | None = None,
                 **fields: Any) -> Annotation:
        assert self.article is not None and self.annotator is not None
        return new_tag(self.article, self.annotator, self.codebook, category_id, label_id, start, end, **fields)

    def _voice_for(self, category: Category, start: int, end: int) -> dict[str, str]:
        if "voice" not in category.attributes or self.article is None:
            return {}
        from ....lexicon import guess_voice

        return initial_voice(category, self.codebook.attribute("voice"), guess_voice(self.article.text, start, end))

    # -- tagging ---------------------------------------------------------------------

    async def action_tag(self, category_id: str, label_id: str) -> None:
        """Tag the selected text with a label."""
        if self.article is None or isinstance(self.focused, Input):
            return
        category = self.codebook.category(category_id)
        assert category is not None
        start, end = trim_selection(self.article.text, *self.view.selected_range)
        if start == end:
            self.notify("Select some text first (shift+arrows or the mouse), then press the label's key.")
            return
        existing = same_tag(self.tags, start, end, category_id, label_id)
        if existing is not None:
            self.current_tag = existing.uuid
            self._refresh_article()
            self.notify("This text already has that tag.", timeout=2)
            return
        attributes = self._voice_for(category, start, end)
        attributes.update(lexicon_attributes(self.all_suggestions, start, end))
        tag = self._new_tag(category.id, label_id, start, end, attributes=attributes)
        # (shown once it is committed, as the current tag: _do; the span stays selected, so another key adds a second label)
        await self._do(add_tag(self.store, tag, f"tag {self._label_words(category_id, label_id)}"))

    @work(group="dialog", exclusive=True)
    async def action_pick_label(self) -> None:
        """Choose a span label from a searchable list and tag the selection."""
        if self.article is None:
            return
        start, end = self.view.selected_range
        if not self.article.text[start:end].strip():
            self.notify("Select some text first (shift+arrows or the mouse), then choose its label.")
            return
        choices = [Choice(Text.assemble(safe(c.name, style="dim"), " › ", safe(l.name, style=l.color),
                                        (f"  [{l.key}]" if l.key else "", "dim")),
                          (c.id, l.id), f"{c.name} {l.name} {l.id} {l.description}")
                   for c in self.codebook.categories if c.kind == "span" for l in c.labels]
        result = await self.app.push_screen_wait(PickerScreen("Tag the selection as…", choices))
        if result is not None:
            await self.action_tag(*result)

    @work(group="dialog", exclusive=True)
    async def action_relabel_tag(self) -> None:
        tag = self._current_or_say()
        if tag is None:
            return
        category = self.codebook.category(tag.category)
        if category is None:
            self.notify("This tag's category is not in the codebook.", severity="warning")
            return
        choices = [Choice(safe(l.name, style=l.color), l.id, f"{l.name} {l.id} {l.description}") for l in category.labels]
        result = await self.app.push_screen_wait(PickerScreen("Change the label to…", choices))
        if result is not None and result != tag.label:
            await self._do(edit_tag(self.store, tag, f"relabel to {self._label_words(tag.category, result)}",
                                    label=result))

    async def action_delete_tag(self) -> None:
        tag = self._current_or_say()
        if tag is None:
            return
        await self._do(edit_tag(self.store, tag, "delete tag", deleted=True))

    async def action_cycle_voice(self) -> None:
        tag = self._current()
        attribute = self.codebook.attribute("voice")
        if tag is None or attribute is None:
            self.notify("No tag here: move into a tag or jump to one (J/K).")
            return
        category = self.codebook.category(tag.category)
        if category is None or "voice" not in category.attributes:
            self.notify("Tags of this category have no voice.")
            return
        following = next_voice(attribute, tag.attributes.get("voice"))
        name = clean_line(self.names.attribute_value("voice", following))
        if await self._do(edit_tag(self.store, tag, f"voice {name}", attributes={**tag.attributes, "voice": following})):
            self.notify(f"Voice: {name}", markup=False, timeout=2)

    # -- notes and questions -----------------------------------------------------------

    def _note_fits(self, note: str) -> bool:
        """False (and says so, nothing saved) when ``note`` is longer than a note may be."""
        from ....models import FIELD_LIMITS

        limit = FIELD_LIMITS["notes"]
        if len(note) > limit:
            self.notify(f"Not saved: the note is {len(note):,} characters long; at most {limit:,} are accepted.",
                        severity="error", markup=False)
        return len(note) <= limit

    @work(group="dialog", exclusive=True)
    async def action_note_tag(self) -> None:
        tag = self._current()
        if tag is None:
            self.notify("No tag here: move into a tag (or use M for a note on the article).")
            return
        note = await self.app.push_screen_wait(NoteScreen("Note on this tag", tag.note or ""))
        if note is not None:
            note = normalize_text(note).strip()
            if not self._note_fits(note):
                return
            if note != (tag.note or ""):
                await self._do(edit_tag(self.store, tag, "note", note=note or None))

    @work(group="dialog", exclusive=True)
    async def action_note_article(self) -> None:
        from ....models import ARTICLE_NOTE_CATEGORY as NOTE_CATEGORY, ARTICLE_NOTE_LABEL as NOTE_LABEL

        if self.article is None:
            return
        existing = next((t for t in self.tags if t.category == NOTE_CATEGORY), None)
        opened_on = self.article.id
        note = await self.app.push_screen_wait(NoteScreen("Note on this article", existing.note or "" if existing else ""))
        if note is None or not self._still_on(opened_on):
            return
        note = normalize_text(note).strip()
        if not self._note_fits(note):
            return
        if existing is not None:
            if note != (existing.note or ""):
                await self._do(edit_tag(self.store, existing, "article note", note=note or None, deleted=not note))
        elif note:  # the reserved category "_article" cannot clash with a codebook id
            await self._do(add_tag(self.store, self._new_tag(NOTE_CATEGORY, NOTE_LABEL, note=note), "article note"))

    def _question_choices(self) -> list[Choice]:
        """Every answer to every article-level question, the ones given marked."""
        choices = []
        for c in self.codebook.categories:
            if c.kind != "article":
                continue
            chosen = {t.label for t in self.tags if t.category == c.id}
            for l in c.labels:
                mark = "● " if l.id in chosen else "○ "
                line = Text.assemble(mark, safe(c.name, style="dim"), " › ", safe(l.name, style=l.color))
                if l.description:  # "Pro" alone does not say pro what
                    line.append("\n    ")
                    line.append_text(safe(clean_line(l.description), style="dim"))
                choices.append(Choice(line, (c.id, l.id), f"{c.name} {l.name} {l.id} {l.description or ''}"))
        return choices

    @work(group="dialog", exclusive=True)
    async def action_answer_question(self) -> None:
        """Answer an article-level question (single choice replaces, multi toggles)."""
        if self.article is None:
            return
        choices = self._question_choices()
        if not choices:
            self.notify("This codebook has no article-level questions.")
            return
        opened_on = self.article.id
        result = await self.app.push_screen_wait(PickerScreen("Article question: choose an answer", choices))
        if result is None or not self._still_on(opened_on):
            return
        category = self.codebook.category(result[0])
        assert category is not None
        plan = answer(category, self.tags, result[1])
        words = self._label_words(category.id, result[1], with_category=True)
        if plan.kind == "take back":  # choosing an answer again takes it back
            done = await self._do(edit_tag(self.store, plan.old[0], f"clear answer {words}", deleted=True))
        else:
            done = await self._do(add_tag(self.store, self._new_tag(category.id, result[1]), f"answer {words}",
                                          replacing=plan.old))
        if done:  # shown where it can be seen: the questions' part of the side pane, and said
            if self._compact():
                self._show_pane("questions")
            self.notify(("Took back: " if plan.kind == "take back" else "Answered: ") + words, markup=False, timeout=3)

    # -- suggestions -------------------------------------------------------------------

    def action_next_suggestion(self) -> None:
        if self.suggestions_pending:
            self.notify("Still looking for suggestions in this article…", timeout=2)
            return
        suggestions = self.suggestions
        if not suggestions:
            self.notify("No suggestions left in this article.")
            return
        start, _ = self.view.selected_range
        following = next((s for s in suggestions if s.start > start), suggestions[0])
        self.view.select_range(following.start, following.end)
        self._update_hint()  # the hint line names it and its keys (a toast would cover the label keys)

    async def action_accept_suggestion(self) -> None:
        suggestion = self._suggestion_at_selection()
        if suggestion is None:
            self.notify("Jump to a suggestion first (S).")
            return
        category = self.codebook.category(suggestion.category)
        assert category is not None
        tag = self._new_tag(category.id, suggestion.label, suggestion.start, suggestion.end,
                            origin="suggestion", attributes=accepted_attributes(category, suggestion))
        if await self._do(add_tag(self.store, tag, f"accept {self._variant_words(suggestion)}")) and self.suggestions:
            self.action_next_suggestion()  # (the accepted tag is already drawn as the current one: _do)

    async def action_reject_suggestion(self) -> None:
        suggestion = self._suggestion_at_selection()
        if suggestion is None or self.article is None:
            self.notify("Jump to a suggestion first (S).")
            return
        change = reject(self.store, self.article.id, self.annotator or "", suggestion,
                        f"reject {self._variant_words(suggestion)}")
        if await self._do(change) and self.suggestions:
            self.action_next_suggestion()

    # -- the article, undo and redo ------------------------------------------------------

    async def action_toggle_done(self) -> None:
        if self.article is None:
            return
        done = self.status != "done"
        if await self._do(mark_done(self.store, self.article.id, self.annotator or "", done)):
            self.notify("Marked done." if done else "Marked not done.", timeout=2)

    async def _replay(self, change: Change, description: str) -> bool:
        """Run an undo or redo; when it was made on another article, open that one to show it."""
        if not await self._do(change, record=False):
            return False
        elsewhere = change.article_id and (self.article is None or change.article_id != self.article.id)
        self.notify(f"{description}: {change.description}" + (" (in another article: opening it)" if elsewhere else ""),
                    markup=False, timeout=3)
        if elsewhere:
            self.open_article(change.article_id)  # type: ignore[arg-type]
        return True
