"""One story across outlets: which variant of each lexicon concept each article uses, in
its own voice and inside quotations, and the answers its annotators gave to the article
questions, side by side (``annotator compare``, the TUI's story screen).

Variants are found by the codebook's lexicon (:class:`annotator.lexicon.Matcher`); a variant
inside a quotation is the quoted source's word, not the outlet's, so the two are counted apart.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..readouts.naming import Names
from ..readouts.tables import Column, ResultTable

if TYPE_CHECKING:
    from ..codebook import Codebook
    from ..lexicon import Matcher, Suggestion
    from ..models import Annotation, Article, Outlet
    from ..store import Store

OWN = "own"
QUOTED = "quoted"  # quoted and scare-quoted: not the outlet's own word


def voice_group(voice: str) -> str:
    """``own`` for the outlet's own words, ``quoted`` for a quotation or scare quotes."""
    return OWN if voice == OWN else QUOTED


@dataclass
class StoryArticle:
    """An article of a story with what the comparison needs: its outlet, lexicon matches and tags."""

    article: Article
    outlet: Outlet | None
    suggestions: list[Suggestion]
    tags: list[Annotation] = field(default_factory=list)

    @property
    def heading(self) -> str:
        """"Outlet (date)": how a column of the comparison is headed."""
        name = self.outlet.name if self.outlet else (self.article.publisher or "unknown outlet")
        date = str(self.article.published) if self.article.published.value else "undated"
        return f"{name} ({date})"

    def uses(self, concept: str) -> list[Suggestion]:
        """The article's matches of one concept, in reading order."""
        return [s for s in self.suggestions if s.concept == concept]


def concepts_used(articles: Iterable[StoryArticle]) -> list[str]:
    """The concepts any of the articles uses, in the codebook's order of first use."""
    return list(dict.fromkeys(s.concept for a in articles for s in a.suggestions))


def variant_counts(article: StoryArticle, concept: str) -> dict[str, Counter[str]]:
    """``{"own": Counter(variant id: n), "quoted": ...}`` for one concept in one article."""
    counts: dict[str, Counter[str]] = {OWN: Counter(), QUOTED: Counter()}
    for s in article.uses(concept):
        counts[voice_group(s.voice)][s.variant] += 1
    return counts


def _cell(names: Names, counts: dict[str, Counter[str]], category_of: dict[tuple[str, str], str], concept: str) -> str:
    def words(counter: Counter[str]) -> str:
        return ", ".join(f"{names.variant(category_of.get((concept, v), ''), concept, v)} ×{n}"
                         for v, n in counter.most_common())

    parts = []
    if counts[OWN]:
        parts.append(words(counts[OWN]))
    if counts[QUOTED]:
        parts.append("quoted: " + words(counts[QUOTED]))
    return " · ".join(parts) if parts else "—"


def article_columns(articles: Sequence[StoryArticle]) -> list[Column]:
    """One column per article: its id in CSV and JSON, "Outlet (date)" as its heading."""
    return [Column(a.article.id, a.heading) for a in articles]


def terms_table(codebook: Codebook, articles: Sequence[StoryArticle]) -> ResultTable:
    """The concept × article matrix: the variants each article uses, own voice first, then quoted."""
    names = Names(codebook)
    category_of = {(s.concept, s.variant): s.category for a in articles for s in a.suggestions}
    columns = [Column("concept", "concept id", on_screen=False), Column("concept_name", "concept"),
               *article_columns(articles)]
    rows = []
    for concept in concepts_used(articles):
        cells = [_cell(names, variant_counts(a, concept), category_of, concept) for a in articles]
        rows.append((concept, names.concept(concept), *cells))
    notes = ["Each cell: the variants of the concept the article uses in its own words, then "
             "\"quoted:\" those inside quotations or scare quotes (a source's words), with counts. "
             "\"—\": the article does not name the concept. Found by the codebook's lexicon."]
    return ResultTable("story-terms", "Terms per outlet", columns, rows, notes)


def term_uses_table(codebook: Codebook, articles: Sequence[StoryArticle]) -> ResultTable:
    """The same counts as one row per (concept, article, variant, voice): tidy data for scripts."""
    names = Names(codebook)
    columns = [Column("concept", "concept id", on_screen=False), Column("concept_name", "concept"),
               Column("article_id", "article", on_screen=False), Column("outlet_id", "outlet id", on_screen=False),
               Column("outlet", "outlet"), Column("published", "published"),
               Column("variant", "variant id", on_screen=False), Column("variant_name", "variant"),
               Column("voice", "voice"), Column("count", "count", "int")]
    rows = []
    for concept in concepts_used(articles):
        for a in articles:
            for voice, counter in variant_counts(a, concept).items():
                for variant, n in sorted(counter.items()):
                    category = next(s.category for s in a.uses(concept) if s.variant == variant)
                    rows.append((concept, names.concept(concept), a.article.id, a.article.publisher,
                                 a.outlet.name if a.outlet else a.article.publisher,
                                 str(a.article.published) if a.article.published.value else None,
                                 variant, names.variant(category, concept, variant), voice, n))
    return ResultTable("story-term-uses", "Term uses", columns, rows)


def answers_table(codebook: Codebook, articles: Sequence[StoryArticle]) -> ResultTable:
    """Each article question × article: the answers given, with who gave them."""
    names = Names(codebook)
    columns = [Column("question", "question id", on_screen=False), Column("question_name", "question"),
               *article_columns(articles)]
    rows = []
    for category in codebook.categories:
        if category.kind != "article":
            continue
        cells = []
        for a in articles:
            given: dict[str, list[str]] = defaultdict(list)
            for tag in a.tags:
                if tag.category == category.id:
                    given[tag.label].append(tag.annotator)
            cells.append("; ".join(f"{names.label(category.id, label)} ({', '.join(sorted(who))})"
                                   for label, who in given.items()) or "—")
        if any(cell != "—" for cell in cells):
            rows.append((category.id, category.name, *cells))
    notes = ["Each cell: the answers given to the question for that article, with the annotators who gave "
             "them. Questions nobody answered for these articles are left out."]
    return ResultTable("story-answers", "Answers per outlet", columns, rows, notes)


def compare_tables(codebook: Codebook, articles: Sequence[StoryArticle], tidy: bool = False) -> list[ResultTable]:
    """The tables of ``annotator compare``: the terms matrix and the answers; with ``tidy`` also
    the term uses one per row (CSV and JSON, where scripts read them)."""
    tables = [terms_table(codebook, articles)]
    if tidy:
        tables.append(term_uses_table(codebook, articles))
    tables.append(answers_table(codebook, articles))
    return tables


def read_story(store: Store, story: str, matcher: Matcher) -> list[StoryArticle]:
    """The current articles of ``story`` with their publishers, lexicon matches and live tags."""
    articles = []
    for article_id in store.story_article_ids(story):
        article = store.article(article_id)
        if article is not None:
            articles.append(StoryArticle(article, store.outlet(article.publisher), matcher.find(article.text, published=article.published),
                                         store.annotations(article.id)))
    return articles
