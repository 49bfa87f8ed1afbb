"""The articles where annotators disagree most: spans only one of a pair tagged, spans
tagged with different labels or voices, and questions answered differently. What a review
walks through, most disagreement first."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ..codebook import Cardinality, Codebook, Kind
from ..store import Store, TagScope
from ..readouts.tables import Column, ResultTable
from .spans import CategoryStudy, article_matches, read_studies


@dataclass
class ArticleDisagreement:
    article_id: str
    annotators: list[str]
    unmatched_spans: int = 0  # tags with no counterpart in another reader's (overlap match), over every pair
    label_differs: int = 0  # pairs of tags in one place with different labels
    voice_differs: int = 0  # matched tags with different voices
    answers_differ: int = 0  # questions (single answer) or answer labels (multi) the readers did not agree on

    @property
    def total(self) -> int:
        return self.unmatched_spans + self.label_differs + self.voice_differs + self.answers_differ


def article_disagreements(store: Store, book: Codebook, scope: TagScope,
                          studies: list[CategoryStudy] | None = None) -> list[ArticleDisagreement]:
    """Every article read by two or more annotators that holds a disagreement, the most first
    (then by article id)."""
    studies = read_studies(store, book, scope) if studies is None else studies
    found: dict[str, ArticleDisagreement] = {}

    def entry(article: str, readers: list[str]) -> ArticleDisagreement:
        return found.setdefault(article, ArticleDisagreement(article, readers))

    readers: dict[str, list[str]] = {}
    for study in studies:
        readers.update(study.readers)
        for article, _, _, tags_a, tags_b, matches in article_matches(study):
            overlap = matches["overlap"]
            here = entry(article, study.readers[article])
            here.unmatched_spans += len(overlap.only_a) + len(overlap.only_b)
            here.label_differs += len(overlap.label_differs)
            here.voice_differs += sum(tags_a[i].voice != tags_b[j].voice for i, j in overlap.matched)
    for article, (count, coders) in _answer_differences(store, book, scope).items():
        entry(article, readers.get(article, coders)).answers_differ += count
    return sorted((d for d in found.values() if d.total), key=lambda d: (-d.total, d.article_id))


def _answer_differences(store: Store, book: Codebook, scope: TagScope) -> dict[str, tuple[int, list[str]]]:
    """Per article read by two or more annotators: the single-answer questions with more than
    one answer among those who answered, and the multi-answer labels some who answered
    chose and others did not; with the annotators who answered."""
    questions = {c.id: c for c in book.categories if c.kind is Kind.article}
    chosen: dict[str, dict[str, dict[str, set[str]]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(set)))
    for article, annotator, category, label in store.iter_codings(scope):
        if category in questions:
            chosen[article][category][annotator].add(label)
    out: dict[str, tuple[int, list[str]]] = {}
    for article, by_question in chosen.items():
        count = 0
        for question, by_coder in by_question.items():
            if len(by_coder) < 2:
                continue
            answers = list(by_coder.values())
            if questions[question].cardinality is Cardinality.single:
                count += len({frozenset(a) for a in answers}) > 1
            else:
                count += len(set().union(*answers) - set.intersection(*answers))
        if count:
            out[article] = (count, sorted({coder for by_coder in by_question.values() for coder in by_coder}))
    return out


def disagreement_table(store: Store, book: Codebook, scope: TagScope,
                       studies: list[CategoryStudy] | None = None) -> ResultTable:
    """:func:`article_disagreements` as a table, with each article's title and outlet."""
    rows = []
    for d in article_disagreements(store, book, scope, studies):
        article = store.article(d.article_id)
        rows.append((d.article_id, article.title if article else "", (article.publisher or "") if article else "",
                     ", ".join(d.annotators), d.total, d.unmatched_spans, d.label_differs, d.voice_differs,
                     d.answers_differ))
    return ResultTable("disagreement_by_article", "Articles with the most disagreement", [
        Column("article_id", "article"), Column("title", "title"), Column("outlet", "outlet", optional=2),
        Column("annotators", "annotators", optional=1), Column("total", "total", "int"),
        Column("unmatched_spans", "unmatched spans", "int"), Column("label_differs", "label differs", "int"),
        Column("voice_differs", "voice differs", "int"), Column("answers_differ", "answers differ", "int")], rows,
        ["unmatched spans: tags with no overlapping tag of the same label by another reader (counted for every "
         "pair of readers); answers differ: single-answer questions answered differently, and multi-answer "
         "labels some readers chose and others did not"])
