"""The smaller widgets, each given data in a bare app: the label keys (only keys that are bound,
in as many columns as fit), the side pane's tabs (the shown part marked, counts, shorter names
when narrow, a click switches) and a story column (its outlet's card, its text, cleared)."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.geometry import Region

from annotator.codebook import load_codebook
from annotator.models import Article, Outlet
from annotator.tui.widgets.panels import LabelKeys
from annotator.tui.widgets.side_tabs import SideTabs
from annotator.tui.widgets.story_column import StoryColumn

from ...conftest import screen_rows
from ..conftest import MINI, widget_text

BOOK = load_codebook(MINI)


class Bare(App):
    """One widget on an otherwise empty screen."""

    def __init__(self, widget) -> None:
        super().__init__()
        self.widget = widget

    def compose(self) -> ComposeResult:
        yield self.widget


def span_labels() -> list[tuple[str, str]]:
    return [(label.key, label.name) for c in BOOK.categories if c.kind == "span" for label in c.labels]


async def test_label_keys_show_only_the_keys_that_are_bound_in_columns_that_fit():
    labels = span_labels()
    bound = {labels[0][0]}  # the others' keys are taken by the app here
    for width, columns in ((26, 1), (80, 3)):
        app = Bare(LabelKeys())
        async with app.run_test(size=(width, 20)) as pilot:
            app.widget.show(BOOK, bound)
            await pilot.pause()
            rows = [r.rstrip() for r in screen_rows(app, app.widget)]
            shown = "\n".join(rows)
            assert all(name[:10] in shown for _, name in labels)
            assert f" {labels[0][0]}  {labels[0][1]}" in shown
            assert not any(f" {key}  {name}" in shown for key, name in labels[1:])
            label_rows = [r for r in rows if any(name[:10] in r for _, name in labels)]
            assert len(label_rows) == -(-len(labels) // columns)  # (the mini codebook has one span category)


async def test_side_tabs_mark_the_shown_part_shorten_when_narrow_and_switch_on_a_click():
    switched: list[str] = []

    class Listening(Bare):
        def on_side_tabs_switch(self, message: SideTabs.Switch) -> None:
            switched.append(message.pane)

    tabs = SideTabs()
    app = Listening(tabs)
    async with app.run_test(size=(60, 3)) as pilot:
        tabs.show("tags", {"tags": "3", "questions": "2/12"}, "ctrl+t")
        await pilot.pause()
        line = widget_text(tabs)
        assert "Outlet" in line and "Tags 3" in line and "Questions 2/12" in line and "ctrl+t: next" in line
        (strip,) = tabs.render_lines(Region(0, 0, tabs.size.width, 1))
        marked = "".join(segment.text for segment in strip if segment.style and segment.style.reverse)
        assert marked.strip() == "Tags 3"
        await pilot.click(SideTabs, offset=(2, 0))  # on "Outlet"
        await pilot.pause()
        assert switched == ["card"]
    narrow = SideTabs()
    app = Bare(narrow)
    async with app.run_test(size=(32, 3)) as pilot:
        narrow.show("card", {"tags": "3", "questions": "2/12"}, "ctrl+t")
        await pilot.pause()
        assert "Qs 2/12" in widget_text(narrow) and "Questions" not in widget_text(narrow) and "ctrl+t" not in widget_text(narrow)


async def test_a_story_column_shows_its_outlet_and_text_and_can_be_cleared():
    outlet = Outlet(id="alpha", name="Alpha News", country="Ruritania", state_affiliation="state-owned")
    text = "Officials in Kyiv said the talks went on for hours."
    article = Article(id="talks-1", title="Talks", text=text, text_sha256="0" * 64, raw_text=text,
                      source_key="talks.txt", publisher="alpha")
    column = StoryColumn()
    app = Bare(column)
    async with app.run_test(size=(60, 12)) as pilot:
        column.show(article, outlet)
        column.say(Text("no “the capital” in this article"))
        await pilot.pause()
        shown = "\n".join(screen_rows(app, column))
        assert "Alpha News" in shown and "Ruritania" in shown and "state-owned" in shown
        assert "no rating recorded" in shown
        assert "Officials in Kyiv" in shown and "the capital" in shown
        assert column.article_id == article.id
        column.clear()
        await pilot.pause()
        assert column.article_id is None and "Kyiv" not in "\n".join(screen_rows(app, column))
