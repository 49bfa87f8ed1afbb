"""What the TUI's workers send back to the UI thread: each result is a message, and the
handlers on the UI thread own the state (no worker changes what is shown)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:  # (the first frame imports none of these: see .opening)
    from ..lexicon import Matcher, Suggestion
    from ..models import Annotation, Article, Outlet
    from .opening import Session


@dataclass(frozen=True)
class ListQuery:
    """Whose list, with which filters: what a worker reads the article list with. Taken on the
    UI thread when the worker starts (the filters and the name may change while it runs)."""

    annotator: str
    search: str | None = None
    status: str | None = None
    publisher: str | None = None  # "": no outlet known

    def filters(self) -> dict[str, str | None]:
        """The store's keyword arguments for this list."""
        return {"annotator": self.annotator, "search": self.search, "status": self.status, "publisher": self.publisher}


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
    text_sha256: str
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
    total: int
    select_id: str | None = None
    open_first: bool = False
    resume_id: str | None = None  # open this article (where the annotator left off) rather than the first


@dataclass
class Opened(Message):
    """The session is open (worker), with the lexicon's matcher for its codebook."""

    session: Session
    matcher: Matcher
    has_tagged: bool  # the annotator has made a tag before (else the hint line says how to select text)


@dataclass
class OpenFailed(Message):
    message: str
