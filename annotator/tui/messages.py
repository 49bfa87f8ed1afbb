"""What the TUI's workers send back to the UI thread. A worker's result is a message (or, for a
widget that only needs the result drawn, a call on the UI thread through ``call_from_thread``);
the handlers on the UI thread own the state, and no worker changes a widget from its thread."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:  # (the first frame imports none of these: see .opening)
    from ..lexicon import Matcher, Suggestion
    from ..models import Annotation, Article, Outlet
    from ..readouts.tables import ResultTable
    from ..stories.compare import StoryArticle
    from ..team.review import Review
    from .opening import Session


@dataclass
class Loaded(Message):
    """An article and everything shown beside it, read by a worker."""

    article: Article
    publisher: Outlet | None
    original: Outlet | None
    tags: list[Annotation]
    suggestions: list[Suggestion] | None  # None: still being looked for (see SuggestionsFound)
    rejected: set[tuple[int, int, str]]
    status: str
    position: int | None
    in_list: bool = True  # it passes the list's filters (else ``position`` is where it would be)


@dataclass
class ProgressRead(Message):
    """(done, total) for this annotator."""

    progress: tuple[int, int]


@dataclass
class SuggestionsFound(Message):
    """The lexicon suggestions of an article (found after it is shown: large texts take a while)."""

    article_id: str
    key: str  # the article's text and date (reading.suggestions_key)
    suggestions: list[Suggestion]


@dataclass
class TagsReloaded(Message):
    article_id: str
    tags: list[Annotation]
    rejected: set[tuple[int, int, str]]
    status: str
    progress: tuple[int, int] | None


@dataclass
class ListReset(Message):
    """The filtered list was counted again: open its first article, this one, or keep the open one."""

    total: int
    open_first: bool = False
    resume_id: str | None = None  # open this article (where the annotator left off) rather than the first


@dataclass
class Opened(Message):
    """The session is open (worker), with the lexicon's matcher for its codebook."""

    session: Session
    matcher: Matcher
    has_tagged: bool  # the annotator has made a tag before (else the hint line says how to select text)
    has_assignments: bool = False  # articles are assigned to the annotator (the list shows those first)


@dataclass
class ArticleGone(Message):
    """The article asked for is no longer in the database (another program removed it)."""

    message: str


@dataclass
class StatsComputed(Message):
    """The tables for one view, from the worker."""

    by: str
    counting: str
    facts: dict
    tables: list[ResultTable]


@dataclass
class OrderRead(Message):
    """Every article to review: (disagreements left, review status), in import order."""

    statuses: dict[str, tuple[int, str]]


@dataclass
class ReviewRead(Message):
    """An article's review, read by a worker (``order``: the articles to review, when read again)."""

    article: Article
    outlet: Outlet | None
    review: Review
    order: list[str] | None = None
    statuses: dict[str, tuple[int, str]] | None = None  # with ``order``: each one's disagreements left and status


@dataclass
class StoryRead(Message):
    """The story's articles, read by a worker."""

    story: str
    articles: list[StoryArticle]


@dataclass
class TagsRead(Message):
    """One article's tags by this annotator, read again after a change."""

    article_id: str
    tags: list[Annotation]
