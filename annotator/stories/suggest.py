"""Suggested stories: articles without a story that seem to report the same event, grouped
for a lead to confirm (``annotator stories --suggest``). Nothing here assigns a story.

Each article is reduced to its salient named entities and the word runs it quotes
(:mod:`annotator.stories.features`, a heuristic without a model: see there why). Two articles
are compared when their dates lie within ``window`` days of each other and they share at
least one entity that is not among the most common of the corpus (an undated article is
compared with articles of any date that share an entity at most :data:`COMMON_FLOOR`
articles name): an inverted index from entity to articles, each list ordered by
date, yields only those pairs, so 100,000 articles are never compared pairwise. A pair
scores the weighted Jaccard index of their entity sets (each entity weighted by how rare it
is among the articles compared, its smoothed inverse document frequency) plus
:data:`QUOTE_BONUS` when they quote the same :data:`~annotator.stories.features.QUOTE_WORDS`
consecutive words. Pairs scoring at least ``min_score`` are linked; each connected set of
linked articles is a suggested group (single linkage: a chain of close pairs joins articles
that share less, which the reasons shown let a lead judge).
"""

from __future__ import annotations

import calendar
import hashlib
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from .features import (
    QUOTE_WORDS, Features, article_source, entity_counts, features, fold, shared_quotations,
)

DEFAULT_WINDOW = 3  # days
DEFAULT_MIN_SCORE = 0.2
QUOTE_BONUS = 0.5  # added to a pair's score when both quote the same words
COMMON_SHARE = 0.01  # an entity in more than this share of the articles ...
COMMON_FLOOR = 50  # ... and in more than this many finds no pairs (it still counts in the score);
# an entity in more than COMMON_FLOOR articles pairs no undated article
IDF_PRIOR = 10  # articles assumed not to name an entity, besides those compared (small corpora)
SLUG_ENTITIES = 4  # entities in a suggested story id
_TITLE_WORD_RE = re.compile(r"[^\W\d_][\w'’-]*")


class ArticleValues(Protocol):
    """What the suggestion reads of an article."""

    id: str
    publisher: str | None
    title: str
    published: str | None  # YYYY, YYYY-MM or YYYY-MM-DD
    published_approximate: bool
    text: str


@dataclass(frozen=True, slots=True)
class Candidate:
    """An article as the comparison keeps it (no text)."""

    id: str
    publisher: str | None
    title: str
    published: str | None
    published_approximate: bool
    span: tuple[int, int] | None  # first and last day its date may mean (proleptic ordinals), None: undated
    features: Features


@dataclass(frozen=True)
class Link:
    """Two articles of a group and how close they are."""

    first: str
    second: str
    score: float
    shared_entities: tuple[str, ...]  # folded keys
    shared_quotes: int  # quoted word runs both have


@dataclass
class Group:
    """A suggested story: its articles (by date, undated last), the links that joined them,
    and once :func:`explain` ran, the reasons a lead reads."""

    id: str  # stable for the same articles: a hash of their ids
    story: str  # the suggested story id (a slug of the most shared entities), set by explain
    articles: list[Candidate]
    links: list[Link]
    shared_keys: list[tuple[str, int]]  # (folded entity key, articles naming it), most named first
    entities: list[tuple[str, int]] = field(default_factory=list)  # the same entities as first written
    quotes: list[tuple[str, int]] = field(default_factory=list)  # (shared words as written, articles quoting them)

    @property
    def article_ids(self) -> list[str]:
        return [a.id for a in self.articles]


@dataclass
class Suggestions:
    """The groups, and how much work finding them took (pairs scored versus all pairs)."""

    groups: list[Group]
    articles: int
    pairs_scored: int


def date_span(published: str | None, approximate: bool = False) -> tuple[int, int] | None:
    """The first and last day (ordinals) a partial date may mean: ``2025-07`` is the whole
    of July. An approximate date is taken as its period too. None when undated or unreadable."""
    if not published:
        return None
    try:
        parts = [int(p) for p in published.split("-")]
        year = parts[0]
        if len(parts) == 1:
            return date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
        month = parts[1]
        if len(parts) == 2:
            return date(year, month, 1).toordinal(), date(year, month, calendar.monthrange(year, month)[1]).toordinal()
        day = date(year, month, parts[2]).toordinal()
    except (ValueError, IndexError):
        return None
    return day, day


def candidate(article: ArticleValues, quote_words: int = QUOTE_WORDS) -> Candidate:
    """An article reduced to what the comparison keeps."""
    return Candidate(article.id, article.publisher, article.title[:300], article.published,
                     article.published_approximate, date_span(article.published, article.published_approximate),
                     features(article.title, article.text, quote_words))


def _candidate_pairs(cands: Sequence[Candidate], window: int, df: Counter[str]) -> Iterator[tuple[int, int]]:
    """Pairs of indexes (i < j) that share an entity which finds pairs (:func:`_finds_pairs`),
    dated within ``window`` days of each other or one undated: each such entity's articles
    ordered by date and swept. Each pair once, at the first such entity of the first article."""
    limit = max(COMMON_FLOOR, COMMON_SHARE * len(cands))
    postings: dict[str, list[int]] = defaultdict(list)
    for index, cand in enumerate(cands):
        for key in cand.features.entities:
            if df[key] <= limit:
                postings[key].append(index)
    for key, members in postings.items():
        for i, j in _swept(cands, members, window, with_undated=df[key] <= COMMON_FLOOR):
            first, second = (i, j) if i < j else (j, i)
            undated = cands[first].span is None or cands[second].span is None
            names, most = cands[second].features.entities, COMMON_FLOOR if undated else limit
            if next((k for k in cands[first].features.entities if k in names and df[k] <= most), None) == key:
                yield first, second


def _swept(cands: Sequence[Candidate], members: list[int], window: int,
           with_undated: bool) -> Iterator[tuple[int, int]]:
    """The pairs of ``members`` dated at most ``window`` days apart, and (``with_undated``) each
    undated member with every other."""
    dated = sorted((i for i in members if cands[i].span),
                   key=lambda i: cands[i].span)  # type: ignore[arg-type,return-value]
    for position, i in enumerate(dated):
        last_day = cands[i].span[1] + window  # type: ignore[index]
        for j in dated[position + 1:]:
            if cands[j].span[0] > last_day:  # type: ignore[index]
                break  # the rest start later still
            yield i, j
    if with_undated:
        undated = [i for i in members if not cands[i].span]
        for position, u in enumerate(undated):
            yield from ((u, j) for j in dated)
            yield from ((u, v) for v in undated[position + 1:])


def _weights(cands: Sequence[Candidate]) -> tuple[dict[str, float], Counter[str]]:
    """Each entity's weight (smoothed inverse document frequency) and how many articles name it."""
    df = Counter(key for cand in cands for key in cand.features.entities)
    total = len(cands) + IDF_PRIOR
    return {key: math.log(total / (n + 1)) + 1 for key, n in df.items()}, df


def score(a: Features, b: Features, weights: dict[str, float]) -> tuple[float, tuple[str, ...], int]:
    """(score, shared entity keys, shared quoted word runs) of two articles (see the module docstring)."""
    first, second = set(a.entities), set(b.entities)
    shared = first & second
    union = sum(weights.get(k, 1.0) for k in first | second)
    jaccard = sum(weights.get(k, 1.0) for k in shared) / union if union else 0.0
    quotes = len(set(a.quotes).intersection(b.quotes)) if a.quotes and b.quotes else 0
    ordered = tuple(k for k in a.entities if k in shared)
    return jaccard + (QUOTE_BONUS if quotes else 0.0), ordered, quotes


def suggest(articles: Iterable[ArticleValues], window: int = DEFAULT_WINDOW, min_score: float = DEFAULT_MIN_SCORE,
            quote_words: int = QUOTE_WORDS) -> Suggestions:
    """Group the articles (those without a story) that seem to report the same event,
    largest group first; :func:`explain` gives a group its reasons and story id."""
    cands = [candidate(a, quote_words) for a in articles]
    weights, df = _weights(cands)
    parent = list(range(len(cands)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    links: list[tuple[int, int, Link]] = []
    scored = 0
    for i, j in _candidate_pairs(cands, window, df):
        scored += 1
        value, shared, quotes = score(cands[i].features, cands[j].features, weights)
        if value >= min_score:
            links.append((i, j, Link(cands[i].id, cands[j].id, round(value, 3), shared, quotes)))
            parent[root(i)] = root(j)
    linked = {root(i) for i, _, _ in links}
    members: dict[int, list[int]] = defaultdict(list)
    for index in range(len(cands)):
        if root(index) in linked:
            members[root(index)].append(index)
    links_of: dict[int, list[Link]] = defaultdict(list)
    for i, _, link in links:
        links_of[root(i)].append(link)
    groups = []
    for top, indexes in sorted(members.items(), key=lambda item: (-len(item[1]), item[1][0])):
        chosen = sorted((cands[i] for i in indexes), key=_by_date)
        entities = _ranked_entities(chosen, weights)
        groups.append(Group(group_id(c.id for c in chosen), "", chosen, links_of[top], entities))
    return Suggestions(groups, len(cands), scored)


def _ranked_entities(chosen: Sequence[Candidate], weights: dict[str, float]) -> list[tuple[str, int]]:
    """The entity keys at least two of the articles name, with how many: most named first,
    then the rarer in the corpus first."""
    counts = Counter(key for c in chosen for key in set(c.features.entities))
    shared = [k for k, n in counts.items() if n >= 2]
    return [(k, counts[k]) for k in sorted(shared, key=lambda k: (-counts[k], -weights.get(k, 1.0), k))]


def _by_date(c: Candidate) -> tuple[bool, int, str]:
    return (c.span is None, c.span[0] if c.span else 0, c.id)


def group_id(article_ids: Iterable[str]) -> str:
    """A group's id: the first 8 hex digits of the SHA-256 of its sorted article ids (the same
    articles give the same id in every run; other articles another)."""
    return hashlib.sha256("\n".join(sorted(article_ids)).encode()).hexdigest()[:8]


def title_keys(title: str) -> set[str]:
    """The folded words of a title (entities named in titles make the story id)."""
    return {fold(part) for word in _TITLE_WORD_RE.findall(title) for part in word.split("-")}


def story_slug(written: Sequence[str], group: str, taken: set[str]) -> str:
    """A story id from a group's entities (as written, those most titles name first): the first
    :data:`SLUG_ENTITIES`, leaving out one that extends another (``Russian`` after
    ``Russia``); with the group id added when a story of that id exists."""
    chosen: list[str] = []
    for name in written:
        key = slugify(name)
        if key and not any(key.startswith(k) or k.startswith(key) for k in chosen):
            chosen.append(key)
        if len(chosen) == SLUG_ENTITIES:
            break
    slug = "-".join(chosen) or "story"
    return slug if slug not in taken else f"{slug}-{group}"


def slugify(text: str) -> str:
    """Lower-case ASCII letters, digits and single hyphens (``Zelenskyy's talks`` → ``zelenskyy-s-talks``)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80]


def explain(group: Group, articles: Iterable[ArticleValues], taken: Iterable[str] = (),
            quote_words: int = QUOTE_WORDS) -> Group:
    """Fill in a group's reasons from its articles' texts: the entities at least two of them
    name (as first written, with how many name them), the quotations they share, and the
    suggested story id (not one of ``taken``, the story ids in use)."""
    texts = {a.id: a for a in articles}
    written: dict[str, str] = {}
    for cand in group.articles:
        values = texts.get(cand.id)
        if values is not None:
            _, surfaces = entity_counts(article_source(values.title, values.text))
            for key in cand.features.entities:
                written.setdefault(key, surfaces.get(key, key))
    in_titles = Counter(key for c in group.articles for key in title_keys(c.title))
    ranked = sorted(group.shared_keys, key=lambda kn: -in_titles[kn[0]])  # stable: then most named, rarer
    group.story = story_slug([written.get(k, k) for k, _ in ranked], group.id, set(taken))
    group.entities = [(written.get(k, k), n) for k, n in group.shared_keys]
    ordered = [texts[c.id].text for c in group.articles if c.id in texts]
    group.quotes = shared_quotations(ordered, quote_words) if any(link.shared_quotes for link in group.links) else []
    return group
