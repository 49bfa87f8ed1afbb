"""The statistics screen: the tables of ``annotator stats`` with bar charts, and the
agreement view (the figures of ``annotator agreement`` without intervals).

The numbers are computed by :mod:`annotator.readouts.stats` in a thread worker, which
posts them back as a message; the screen only draws what it is given.
"""

from __future__ import annotations


from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ...codebook import Codebook
from ...normalize import printable
from ...team.review import GOLD
from ...readouts.stats import BY, Counting, header, make_context, statistics
from ...store import Store
from ...readouts.tables import ResultTable, format_cell, rich_table
from ..messages import StatsComputed

# table name -> (value column, label columns, rows to chart: column -> value)
# (label columns are the codebook's names, as in the tables: "Term variants · Kremlin form")
CHARTS: dict[str, tuple[str, tuple[str, ...], dict[str, str]]] = {
    "labels_by_outlet": ("per_1000_words", ("outlet", "category_name", "label_name"), {"voice": "all"}),
    "label_totals": ("per_1000_words", ("category_name", "label_name"), {"voice": "all"}),
    "concept_variants": ("share_in_concept", ("outlet", "concept_name", "variant_name"), {"voice": "all"}),
    "answers_by_outlet": ("share", ("outlet", "question_name", "answer_name"), {}),
    "labels_by_story": ("per_1000_words", ("story", "outlet", "category_name", "label_name"), {"voice": "all"}),
    "annotator_progress": ("coverage", ("annotator",), {}),
}
TITLES = {"outlet": "per outlet", "label": "per label", "concept": "term variants", "answers": "questions",
          "story": "per story", "agreement": "agreement", "annotator": "annotators"}
AGREEMENT = "agreement"
VIEWS = (*BY[:BY.index("annotator")], AGREEMENT, *BY[BY.index("annotator"):])  # the views, in tab order
ADJUDICATOR = GOLD  # the reviewer's layer, left out of the counts
BAR_WIDTH = 30


def bar_chart(table: ResultTable) -> RenderableType | None:
    """Horizontal bars of the table's main figure (None when it has no chart or no rows)."""
    if table.name not in CHARTS or not table.rows:
        return None
    value_id, label_ids, keep = CHARTS[table.name]
    records = [r for r in table.records() if all(r.get(k) == v for k, v in keep.items())]
    values = [r[value_id] or 0 for r in records]
    if not records:
        return None
    top = max(values) or 1
    column = next(c for c in table.columns if c.id == value_id)
    grid = Table.grid(padding=(0, 1))
    grid.add_column(overflow="fold", ratio=2)
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True, justify="right")
    for record, value in zip(records, values):
        label = " · ".join(printable(str(record[k])) for k in label_ids if record.get(k) not in (None, ""))
        filled = round(BAR_WIDTH * value / top)
        grid.add_row(Text(label), Text("█" * filled + "·" * (BAR_WIDTH - filled), style="cyan"),
                     Text(format_cell(column, value)))
    return Group(Text(f"{column.title}, as bars", style="bold"), grid)


def _agreement(store: Store, book: Codebook) -> tuple[dict, list[ResultTable]]:
    """Answer, span and voice agreement of every annotator but the adjudicator (no intervals
    here: ``annotator agreement`` computes them)."""
    from ...agreement import Options, report_tables
    from ...store import TagScope

    scope = TagScope(codebook=book.id, exclude_annotators=(ADJUDICATOR,))
    tables = report_tables(store, book, scope, Options(pairs=False, samples=0))
    facts = {"annotators": f"every annotator but the adjudicator {ADJUDICATOR!r} (c has no effect here)",
             "intervals": "run annotator agreement for the 95% intervals"}
    return facts, tables


class StatsScreen(ModalScreen[None]):
    """Statistics of the whole database, one view at a time."""

    BINDINGS = [
        Binding("escape,q", "dismiss", "Close"),
        Binding("tab,right", "view(1)", "Next view"),
        Binding("shift+tab,left", "view(-1)", "Previous view"),
        Binding("c", "counting", "Whose tags"),
    ]

    def __init__(self, store: Store, book: Codebook, annotator: str) -> None:
        super().__init__()
        self.store, self.book, self.annotator = store, book, annotator
        self.by = "outlet"
        self.counting = "all"
        self.shown: list[ResultTable] = []  # the tables on screen now

    def compose(self) -> ComposeResult:
        with Vertical(id="stats-box"):
            yield Static(id="stats-title")
            with VerticalScroll(id="stats-body"):
                yield Static(Text("computing…", style="dim"), id="stats-content")

    def on_mount(self) -> None:
        self._show_title()
        self.compute()

    def _show_title(self) -> None:
        views = Text()
        for name in VIEWS:
            views.append(f" {TITLES[name]} ", style="bold reverse" if name == self.by else "dim")
        counting = {"all": "everyone", "me": f"only {self.annotator}", "adjudicated": "adjudicated"}[self.counting]
        self.query_one("#stats-title", Static).update(Text.assemble(
            ("Statistics ", "bold"), views, "\n", ("tab/arrows: view · c: whose tags (now: ", "dim"),
            Text(printable(counting), style="dim"), (") · escape: close", "dim")))

    def compute(self) -> None:
        """Count the view on screen now, on a worker given what to count as values."""
        self._compute(self.store, self.book, self.by, self.counting, self.annotator)

    @work(thread=True, exclusive=True, group="stats")
    def _compute(self, store: Store, book: Codebook, by: str, counting: str, annotator: str) -> None:
        if by == AGREEMENT:
            self.post_message(StatsComputed(by, counting, *_agreement(store, book)))
            return
        choice = Counting.parse(annotator if counting == "me" else counting)
        ctx = make_context(store, book, choice)
        self.post_message(StatsComputed(by, counting, header(ctx, choice), statistics(ctx, [by])))

    def on_stats_computed(self, message: StatsComputed) -> None:
        if (message.by, message.counting) != (self.by, self.counting):
            return  # the user has moved on
        parts: list[RenderableType] = [
            Text.assemble((f"{key}: ", "bold"), printable(str(value))) for key, value in message.facts.items()]
        width = max(40, self.query_one("#stats-body").size.width - 2)
        for table in message.tables:
            chart = bar_chart(table)
            parts.append(Text(""))
            if chart is not None:
                parts.extend([chart, Text("")])
            parts.append(rich_table(table, width))
            if not table.rows:
                parts.append(Text("(nothing to count yet)", style="dim"))
        self.shown = message.tables
        self.query_one("#stats-content", Static).update(Group(*parts))

    def action_view(self, step: int) -> None:
        self.by = VIEWS[(VIEWS.index(self.by) + step) % len(VIEWS)]
        self._refresh()

    def action_counting(self) -> None:
        order = ["all", "me", "adjudicated"]
        self.counting = order[(order.index(self.counting) + 1) % len(order)]
        self._refresh()

    def _refresh(self) -> None:
        self.shown = []
        self._show_title()
        self.query_one("#stats-content", Static).update(Text("computing…", style="dim"))
        self.compute()

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)
