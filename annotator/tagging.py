"""The rules of tagging, apart from any screen: what a selection tags, when a tag is a
duplicate, what an answer does to the answers already given, how the voice cycles, and
the undo/redo history of a session's changes.

The TUI calls these; the tests call them directly. Nothing here opens the database: a
:class:`Change` carries the two functions that do and undo it, and the functions that make
one (:func:`add_tag`, :func:`edit_tag`, :func:`reject`, :func:`mark_done`) are given the
store they will act on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from .codebook import Attribute, Category, Codebook
    from .models import Annotation, Article
    from .store import Store


class _Suggested(Protocol):  # annotator.lexicon.Suggestion, without importing the lexicon
    start: int
    end: int
    concept: str
    variant: str
    voice: str


def trim_selection(text: str, start: int, end: int) -> tuple[int, int]:
    """The selection without the white space at its ends (a tag never starts or ends in a space).
    An empty or all-space selection gives ``start == end``."""
    start, end = min(start, end), max(start, end)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def same_tag(tags: Iterable[Annotation], start: int, end: int, category: str, label: str) -> Annotation | None:
    """The tag that already gives this span this label, if any (tagging it again adds nothing)."""
    return next((t for t in tags if (t.start, t.end, t.category, t.label) == (start, end, category, label)), None)


def lexicon_attributes(suggestions: Iterable[_Suggested], start: int, end: int) -> dict[str, str]:
    """``concept`` and ``variant`` of the lexicon suggestion at exactly this span: a span tagged by
    hand that the lexicon recognises counts as that variant in the statistics."""
    match = next((s for s in suggestions if s.start == start and s.end == end), None)
    return {"concept": match.concept, "variant": match.variant} if match is not None else {}


def accepted_attributes(category: Category, suggestion: _Suggested) -> dict[str, str]:
    """The attributes of the tag that accepting a lexicon suggestion makes: its concept and
    variant, and its voice (as the suggestion guessed it) when the category has voice."""
    attributes = {"concept": suggestion.concept, "variant": suggestion.variant}
    if "voice" in category.attributes:
        attributes["voice"] = suggestion.voice
    return attributes


def initial_voice(category: Category, voice: Attribute | None, guessed: str) -> dict[str, str]:
    """The voice a new span tag gets: the guess (from the quotation marks around it) when the
    codebook has that value, else the codebook's default; nothing for categories without voice."""
    if "voice" not in category.attributes or voice is None:
        return {}
    if guessed in {v.id for v in voice.values}:
        return {"voice": guessed}
    return {"voice": voice.default} if voice.default else {}


def next_voice(voice: Attribute, current: str | None) -> str:
    """The voice after ``current`` in the codebook's order (own → quoted → scare-quoted → own)."""
    values = [v.id for v in voice.values]
    return values[(values.index(current) + 1) % len(values)] if current in values else values[0]


@dataclass(frozen=True)
class Answer:
    """What choosing an answer to an article question does.

    ``kind`` is ``"take back"`` (it was chosen: choosing it again removes it, ``old`` holds it),
    ``"replace"`` (a single-choice question already answered: ``old`` are the answers it replaces)
    or ``"add"`` (a first answer, or one more answer of a multi-choice question)."""

    kind: str
    old: tuple[Annotation, ...] = ()


def answer(category: Category, tags: Iterable[Annotation], label: str) -> Answer:
    """Single-choice answers replace the one given; multi-choice answers toggle; the same answer again takes it back."""
    given = [t for t in tags if t.category == category.id]
    same = [t for t in given if t.label == label]
    if same:
        return Answer("take back", tuple(same))
    if category.cardinality.value == "single" and given:
        return Answer("replace", tuple(given))
    return Answer("add")


@dataclass
class Change:
    """One undoable change: ``apply`` and ``revert`` do and undo it (in the TUI, in its writer thread)."""

    description: str
    apply: Callable[[], Any]
    revert: Callable[[], Any]
    uuid: str | None = None  # the tag it is about: made current again after undo/redo
    article_id: str | None = None  # the article it was made on: undo/redo opens it again
    progress: bool = False  # it changes the done count

    def inverse(self) -> Change:
        """The change that undoes this one."""
        return Change(self.description, self.revert, self.apply, self.uuid, self.article_id, self.progress)


class History:
    """A session's undo and redo stacks. A change is recorded once it is committed; undoing
    takes the last one (whose inverse must then be committed), redoing the last undone one.
    A new change forgets what was undone."""

    def __init__(self) -> None:
        self._undo: list[Change] = []
        self._redo: list[Change] = []

    def record(self, change: Change) -> None:
        self._undo.append(change)
        self._redo.clear()

    def clear(self) -> None:
        self._undo.clear()
        self._redo.clear()

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    @property
    def last(self) -> Change | None:
        """The change undo would take back, if any."""
        return self._undo[-1] if self._undo else None

    def take_undo(self) -> Change:
        """The last change (its inverse is to be committed). :meth:`undone` or :meth:`put_back` follows."""
        return self._undo.pop()

    def undone(self, change: Change) -> None:
        """Its inverse was committed: it can be redone."""
        self._redo.append(change)

    def take_redo(self) -> Change:
        return self._redo.pop()

    def redone(self, change: Change) -> None:
        self._undo.append(change)

    def put_back(self, change: Change, undoing: bool) -> None:
        """Committing it failed: it stays where it was."""
        (self._undo if undoing else self._redo).append(change)

    def descriptions(self) -> tuple[Sequence[str], Sequence[str]]:
        """(undoable, redoable) descriptions, oldest first (for tests and a future history view)."""
        return [c.description for c in self._undo], [c.description for c in self._redo]


# -- changes: how each is done and undone ------------------------------------------------


def new_tag(article: Article, annotator: str, codebook: Codebook, category: str, label: str,
            start: int | None = None, end: int | None = None, *, origin: str = "human",
            attributes: dict[str, str] | None = None, note: str | None = None) -> Annotation:
    """A tag on ``article`` signed by ``annotator`` under ``codebook``: a span (``start``..``end``,
    with the quoted text and its context, so it can be found again) or, without offsets, an
    answer or a note about the whole article."""
    from .models import Annotation, quote_selector

    quote = quote_selector(article.text, start, end) if start is not None and end is not None else {}
    return Annotation(
        article_id=article.id, text_sha256=article.text_sha256, annotator=annotator,
        codebook_id=codebook.id, codebook_version=codebook.version, category=category, label=label,
        start=start, end=end, origin=origin, attributes=attributes or {}, note=note, **quote,
    )


def add_tag(store: Store, new: Annotation, description: str, replacing: Sequence[Annotation] = ()) -> Change:
    """Add ``new``, soft-deleting ``replacing`` in the same transaction (a single-choice answer
    replacing the one given); undone by deleting it and bringing the replaced back."""
    old_ids = [t.uuid for t in replacing]
    created = False

    def apply() -> None:
        nonlocal created
        store.swap_annotations(old_ids, [new.uuid] if created else [], None if created else new)
        created = True

    return Change(description, apply, lambda: store.swap_annotations([new.uuid], old_ids), new.uuid,
                  article_id=new.article_id)


def edit_tag(store: Store, tag: Annotation, description: str, **after: Any) -> Change:
    """Change fields of ``tag`` (label, attributes, note, deleted…); undone by setting them back."""
    before = {name: getattr(tag, name) for name in after}
    return Change(description, lambda: store.update_annotation(tag.uuid, **after),
                  lambda: store.update_annotation(tag.uuid, **before), tag.uuid, tag.article_id)


def reject(store: Store, article_id: str, annotator: str, suggestion: _Suggested, description: str) -> Change:
    """Reject a lexicon suggestion for ``annotator`` (not offered to them again); undone by offering it again."""
    s = suggestion
    return Change(description,
                  lambda: store.reject_suggestion(article_id, annotator, s.start, s.end, s.concept, s.variant),
                  lambda: store.unreject_suggestion(article_id, annotator, s.start, s.end, s.variant),
                  article_id=article_id)


def mark_done(store: Store, article_id: str, annotator: str, done: bool) -> Change:
    """Mark an article done (or not) for ``annotator``; undone by the opposite mark."""
    return Change("done" if done else "not done",
                  lambda: store.set_status(article_id, annotator, done),
                  lambda: store.set_status(article_id, annotator, not done),
                  article_id=article_id, progress=True)
