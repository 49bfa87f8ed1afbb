"""People's words for codebook ids: the names of categories, labels, questions, lexicon
concepts and variants, for terminal tables and Markdown (CSV and JSON keep the ids).

A label the codebook does not have (an orphan of an older version) is shown by its id
with "(not in codebook)", never dropped and never passed off as a name."""

from __future__ import annotations

from ..codebook import Codebook
from ..models import ARTICLE_NOTE_CATEGORY
from .tables import SEPARATOR  # (kept in the lighter module: the command line imports tables at start)

NOT_IN_CODEBOOK = "(not in codebook)"
ARTICLE_NOTE = "Note on the article"


class Names:
    """Names from one codebook (``None``: no codebook at hand, so ids are shown as they are)."""

    def __init__(self, book: Codebook | None) -> None:
        self.book = book
        self._concepts = {x.concept: x for c in book.categories for x in c.lexicon} if book else {}

    def category(self, category_id: str) -> str:
        """A category's (question's) name; its id when the codebook lacks it."""
        category = self.book.category(category_id) if self.book else None
        return category.name if category else category_id

    def label(self, category_id: str, label_id: str) -> str:
        """A label's name, or ``id (not in codebook)`` for an orphan."""
        if self.book is None:
            return label_id
        label = self.book.label(category_id, label_id)
        return label.name if label else f"{label_id} {NOT_IN_CODEBOOK}"

    def full_label(self, category_id: str, label_id: str) -> str:
        """``Category › Label`` ("Term variants › Kremlin form"); article notes as such."""
        if category_id == ARTICLE_NOTE_CATEGORY:
            return ARTICLE_NOTE
        if self.book is None:
            return f"{category_id}/{label_id}"
        return self.category(category_id) + SEPARATOR + self.label(category_id, label_id)

    def concept(self, concept_id: str) -> str:
        """A lexicon concept's name: the codebook's, else its id in words ("the-war" -> "the war")."""
        concept = self._concepts.get(concept_id)
        name = getattr(concept, "name", None)
        return name or concept_id.replace("-", " ").replace("_", " ")

    def variant(self, category_id: str, concept_id: str, variant_id: str) -> str:
        """A lexicon variant's name ("special military operation"); its id when the codebook lacks one."""
        variant = self.book.variant(category_id, concept_id, variant_id) if self.book else None
        return variant.name if variant is not None and variant.name else variant_id

    def attribute_value(self, attribute_id: str, value_id: str) -> str:
        """A span attribute's value by name ("voice", "own" -> "Own voice"); its id when unknown."""
        attribute = self.book.attribute(attribute_id) if self.book else None
        return next((v.name for v in attribute.values if v.id == value_id), value_id) if attribute else value_id
