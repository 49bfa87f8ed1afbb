"""The review screen: every annotator's tags on an article at once, each in its own colour,
and the list of what they disagree on; the reviewer settles each disagreement into the gold
layer with one key (accept annotator 1…9's version, reject, or their own tag), accepts what
all agree on at once, gives reasons, and undoes. Articles two or more annotators tagged,
those with disagreements left first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from ....tagging import History
from ...widgets.cached import update_static
from ...widgets.story_column import StoryColumn
from .drawing import ReviewDrawing
from .settling import ReviewSettling
from ..undoing import UndoRedo
from ...messages import OrderRead, ReviewRead

if TYPE_CHECKING:
    from ....codebook import Codebook
    from ....models import Article, Outlet
    from ....team.review import Review
    from ....store import Store
    from ...writer import Writer


FIRST_PAGE = 50  # articles to review read before the first is shown (the rest are put in order after)


class ReviewScreen(ReviewSettling, ReviewDrawing, UndoRedo, Screen[Any]):
    """Settle one article after another into gold."""

    DEFAULT_CSS = """
    ReviewScreen { layout: vertical; }
    ReviewScreen #review-title { height: 1; background: $boost; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
    ReviewScreen #review-main { height: 1fr; }
    ReviewScreen #review-article { width: 3fr; }
    ReviewScreen #review-side { width: 2fr; min-width: 30; }
    ReviewScreen #review-legend { padding: 0 1; background: $boost; }
    ReviewScreen #review-items { padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
    ReviewScreen #review-legend { text-wrap: nowrap; text-overflow: ellipsis; }
    ReviewScreen #review-hint { height: 1; padding: 0 1; background: $boost; text-wrap: nowrap; text-overflow: ellipsis; }
    """
    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("n", "step(1)", "Next disagreement"),
        Binding("p", "step(-1)", "Previous"),
        *(Binding(str(k), f"accept({k})", f"Accept annotator {k}", show=k == 1) for k in range(1, 10)),
        Binding("a", "accept_agreed", "Accept agreed"),
        Binding("x", "reject", "Reject"),
        Binding("t", "own_tag", "Own tag"),
        Binding("l", "relabel", "Relabel gold", show=False),
        Binding("r", "reason", "Reason"),
        Binding("f", "filter", "Filter"),
        Binding("ctrl+z", "undo", "Undo"),
        Binding("ctrl+y", "redo", "Redo", show=False),
        Binding("right_square_bracket", "article(1)", "Next article"),
        Binding("left_square_bracket", "article(-1)", "Previous article", show=False),
    ]

    def __init__(self, store: Store, codebook: Codebook, reviewer: str, writer: Writer) -> None:
        super().__init__()
        self.store, self.codebook, self.reviewer, self.writer = store, codebook, reviewer, writer
        from ....readouts.naming import Names

        self.names = Names(codebook)
        self.order: list[str] = []  # the articles to review: disagreements left first
        self.ordered = False  # every article to review is in the order (else only the first ones read)
        self.statuses: dict[str, str] = {}  # their review status (not started / in progress / settled)
        self.showing = "all"  # which of them ] and [ go through: all, or one review status
        self.article: Article | None = None
        self.outlet: Outlet | None = None
        self.review: Review | None = None
        self.current = 0  # index into the disagreements
        self.history = History()
        self._jump = False  # the next drawing shows the disagreement in hand (after a step)

    def compose(self) -> ComposeResult:
        self.title_line = Static(id="review-title")
        self.column = StoryColumn(id="review-article")
        self.legend = Static(id="review-legend")
        self.items = Static(id="review-items")
        self.hint = Static(id="review-hint")
        yield self.title_line
        with Horizontal(id="review-main"):
            yield self.column
            with VerticalScroll(id="review-side"):
                yield self.legend
                yield self.items
        yield self.hint
        yield Footer()

    def on_mount(self) -> None:
        update_static(self.title_line, Text("Review · reading the articles two or more annotators tagged…", style="dim"))
        self._read(None, True)

    # -- reading ----------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="review")
    def _read(self, article_id: str | None, with_order: bool) -> None:
        """Read an article's review (None: the first with disagreements left among the first
        articles to review); ``with_order``: then put every article to review in order, in the
        background (the first article is shown without waiting for it)."""
        from ....team.review import GOLD, read_review, read_reviews, review_statuses

        statuses, read = None, {}
        if with_order:
            first_ones = self.store.articles_to_review(GOLD, 2, limit=FIRST_PAGE)
            read = {r.article_id: r for r in read_reviews(self.store, self.codebook, first_ones)}
            statuses = review_statuses(read.values())
            wanted = article_id or next((a for a, (left, _) in statuses.items() if left), None) \
                or (first_ones[0] if first_ones else None)
        else:
            wanted = article_id
        if wanted is None:
            self.app.call_from_thread(self._nothing_to_review)
            return
        article = self.store.article(wanted)
        if article is None:
            return
        outlet = self.store.outlet_as_of(article.publisher, article.published)
        order = None if statuses is None else [wanted] + [a for a in statuses if a != wanted]
        review = read.get(wanted) or read_review(self.store, self.codebook, wanted)  # (read with the first ones)
        self.post_message(ReviewRead(article, outlet, review, order, statuses))
        if with_order:
            self._read_order()

    @work(thread=True, exclusive=True, group="review-order")
    def _read_order(self) -> None:
        """Every article to review, with its disagreements left and status (a pass over the
        tags of every article two or more annotators tagged)."""
        from ....team.review import GOLD, read_reviews, review_statuses

        ids = self.store.articles_to_review(GOLD, 2)
        self.post_message(OrderRead(review_statuses(read_reviews(self.store, self.codebook, ids))))

    def _nothing_to_review(self) -> None:
        update_static(self.title_line, Text("Review · no article has tags of two or more annotators yet", style="yellow"))
        update_static(self.hint, Text("escape: back", style="dim"))
        update_static(self.items, Text(
            "Review compares the tags of two or more annotators on the same article. None yet: tag with another\n"
            "name (ctrl+p › Switch annotator), assign articles with overlap (annotator assign), or bring in\n"
            "another annotator's file (annotator import-annotations FILE, annotator merge OTHER.db).",
            style="dim"))

    def on_review_read(self, message: ReviewRead) -> None:
        if message.order is not None:  # the first articles, until every one is put in order
            self.order, self.ordered = message.order, False
            self.statuses = {a: status for a, (_, status) in (message.statuses or {}).items()}
        self.statuses[message.article.id] = message.review.status
        same = self.article is not None and self.article.id == message.article.id
        self.article, self.outlet, self.review = message.article, message.outlet, message.review
        if not same:
            self.column.show(message.article, message.outlet)
            self.current = 0
        self.current = min(self.current, max(len(self.review.disagreements) - 1, 0))
        self._draw(jump=not same or self._jump)
        self._jump = False
        self.column.view.focus()

    def on_order_read(self, message: OrderRead) -> None:
        from ....team.review import review_order

        self.order, self.ordered = review_order(message.statuses), True
        statuses = {a: status for a, (_, status) in message.statuses.items()}
        if self.review is not None:  # as read since (a decision taken meanwhile)
            statuses[self.review.article_id] = self.review.status
        self.statuses = statuses
        self._draw()

    # -- moving -------------------------------------------------------------------------

    def action_step(self, step: int) -> None:
        """The next (or previous) disagreement, its span shown in the text."""
        if self.review is None or not self.review.disagreements:
            self.notify("No disagreement in this article (] for the next article).")
            return
        self.current = (self.current + step) % len(self.review.disagreements)
        self._draw(jump=True)

    def action_article(self, step: int) -> None:
        if self.article is None or not self.order:
            return
        shown = [a for a in self.order if self.showing == "all" or self.statuses.get(a) == self.showing]
        if not shown:
            self.notify(f"No article is {self.showing} (f changes which articles ] and [ go through).", markup=False)
            return
        if step < 0:
            shown.reverse()
        here = shown.index(self.article.id) if self.article.id in shown else -1
        if here < 0:  # (filtered out): the next shown after it in the order
            place = {a: i for i, a in enumerate(self.order)}
            after = place.get(self.article.id, -1)
            here = next((i - 1 for i, a in enumerate(shown) if (place[a] - after) * step > 0), len(shown) - 1)
        self._read(shown[(here + 1) % len(shown)], False)

    def action_filter(self) -> None:
        """Which articles ] and [ go through: all, not started, in progress, settled (in turn)."""
        from ....team.review import REVIEW_STATUSES

        choices = ("all", *REVIEW_STATUSES)
        self.showing = choices[(choices.index(self.showing) + 1) % len(choices)]
        count = sum(1 for a in self.order if self.showing == "all" or self.statuses.get(a) == self.showing)
        self.notify(f"] and [ go through {'all' if self.showing == 'all' else 'the ' + self.showing} articles "
                    f"({count})", timeout=3, markup=False)  # the keys' brackets are text
        self._draw()

    def action_close(self) -> None:
        self.dismiss(None)

    def _reviewed(self, article_id: str, review: Review) -> None:
        """A change was committed and ``review`` read again: shown, or the article read anew."""
        if self.article is not None and self.article.id == article_id:
            self.post_message(ReviewRead(self.article, self.outlet, review))
        else:
            self._read(article_id, False)
