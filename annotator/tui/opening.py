"""What the TUI opens after its first frame: the configuration, the codebook, the store.

``annotator tui`` shows its layout at once and opens these in a worker thread, so that
the first frame waits for Textual only, not for sqlite-utils (and numpy), pydantic or
the codebook's YAML. This module imports none of them until :func:`open_session` runs.
Every failure a user can cause (a bad configuration, an unknown codebook, a database
that cannot be used) becomes :class:`OpenError`: one line, which the command line
prints after the TUI has closed, with a non-zero exit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..codebook import Codebook
    from ..store import Store


class OpenError(Exception):
    """The TUI cannot open its session; the message is one line for the user."""


@dataclass(frozen=True)
class OpenRequest:
    """What the command line was given (resolved later, in the worker)."""

    db_path: Path
    annotator_name: str | None = None  # --annotator, when given
    codebook_ref: str | None = None  # --codebook, when given
    store: Any = None  # a store the command line has already opened (``annotator`` with no command)
    story: str | None = None  # open the story screen of this story (``annotator story``)
    review: bool = False  # open the review screen (``annotator review``)
    served: bool = False  # a browser session (``annotator serve``): the name is the one given, else asked


@dataclass
class Session:
    """Everything the TUI needs to work: whose tags, which codebook, which database."""

    store: Store
    annotator: str
    codebook: Codebook
    keymap: dict[str, str] = field(default_factory=dict)
    name_from_login: bool = False  # nobody said who is annotating: the TUI asks once (and remembers it)

    def __post_init__(self) -> None:
        # the history of every tag records who changed it, and where
        self.store.actor, self.store.actor_source = self.annotator, "tui"


def open_session(request: OpenRequest) -> Session:
    """Read the configuration and the codebook, open the store (worker thread).

    Raises :class:`OpenError` with the same one-line messages the other commands give."""
    from ..codebook import find_codebook
    from ..config import annotator_and_source, load_config
    from ..errors import InputError
    from ..store import Store, StoreError

    try:
        config = load_config()
        book = find_codebook(request.codebook_ref or config.codebook)
        store = request.store if request.store is not None else Store(request.db_path)
    except (InputError, StoreError) as exc:
        raise OpenError(str(exc)) from None
    if request.served:  # never the server's configuration, $ANNOTATOR_NAME or login name
        return Session(store, request.annotator_name or "", book, dict(config.keys),
                       name_from_login=not request.annotator_name)
    annotator, from_login = annotator_and_source(request.annotator_name, config)
    return Session(store, annotator, book, dict(config.keys), name_from_login=from_login)
