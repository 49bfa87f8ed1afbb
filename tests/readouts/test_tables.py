"""Terminal tables at 60, 80 and 120 columns: words and numbers are never broken, dropped
columns are named under the table, and ids are shown in the codebook's words."""

from __future__ import annotations

import csv
import io
import itertools
import json
import re

import pytest
from click.testing import CliRunner
from rich.cells import cell_len
from rich.console import Console

from annotator.agreement import agreement_tables, items
from annotator.cli import main
from annotator.codebook import find_codebook
from annotator.lexicon import Matcher
from annotator.models import Annotation, quote_selector
from annotator.readouts.stats import BY, Counting, make_context, statistics
from annotator.store import TagScope
from annotator.readouts.tables import BREAK_AFTER, Column, ResultTable, display_cells, rich_table, screen_layout
from tests.report_fixture import build

WIDTHS = (60, 80, 120)


@pytest.fixture
def demo_tagged(demo_store):
    """The demo corpus, tagged by alice (every lexicon suggestion) and bob (every other one)."""
    book = find_codebook(None)
    matcher = Matcher(book)
    for n, article in enumerate(demo_store.iter_current_articles()):
        for who, suggestions in (("alice", matcher.find(article.text)), ("bob", matcher.find(article.text)[::2])):
            for s in suggestions:
                demo_store.add_annotation(Annotation(
                    article_id=article.id, text_sha256=article.text_sha256, annotator=who, codebook_id=book.id,
                    codebook_version=book.version, category=s.category, label=s.label, start=s.start, end=s.end,
                    attributes={"voice": s.voice, "concept": s.concept, "variant": s.variant},
                    **quote_selector(article.text, s.start, s.end)))
            demo_store.add_annotation(Annotation(
                article_id=article.id, text_sha256=article.text_sha256, annotator=who, codebook_id=book.id,
                codebook_version=book.version, category="tone", label=("pro", "neutral", "anti")[(n + len(who)) % 3]))
    return demo_store


def rendered(table: ResultTable, width: int) -> list[str]:
    console = Console(width=width, record=True, file=io.StringIO(), color_system=None)
    console.print(rich_table(table, width))
    return console.export_text().splitlines()


def check_table(table: ResultTable, width: int) -> None:
    """No line wider than ``width``; every word and number of the shown cells whole on a
    line; dropped columns named under the table."""
    lines = rendered(table, width)
    assert all(cell_len(line) <= width for line in lines), (width, [line for line in lines if cell_len(line) > width])
    shown, _widths, dropped = screen_layout(table, width)
    for row in display_cells(table, shown):
        for n, text in enumerate(row):
            numeric = table.columns[shown[n]].kind != "text"
            # a word may be broken after a hyphen or slash ("kremlin-" / "putin-meeting"), never inside
            for word in [text] if numeric else [p for w in text.split() for p in BREAK_AFTER.split(w) if p]:
                assert any(word in line for line in lines), (width, table.name, word)
    if dropped:
        caption = " ".join(" ".join(lines).split())
        assert "left out at this width: " + ", ".join(table.columns[i].title for i in dropped) in caption


@pytest.mark.parametrize("width", WIDTHS)
def test_demo_statistics_and_agreement_tables_break_no_word(demo_tagged, width):
    book = find_codebook(None)
    tables = statistics(make_context(demo_tagged, book, Counting.parse("all")), BY)
    tables += agreement_tables(items(demo_tagged, book, TagScope(codebook=book.id)))
    assert all(t.rows for t in tables)
    for table in tables:
        check_table(table, width)


# long names of many words, markup, escape sequences, Cyrillic and double-width CJK
HOSTILE = [
    ("The [bold]Big[/bold] Broadcasting Corporation of the Federated Republic of Somewhere Far Away",
     "Counter-propaganda framing › An extremely long label name that goes on", "scare-quoted", 123456, 9876.54,
     4321, 0.5),
    ("Вести \x1b[31m — Россия 24 из Москвы и Санкт-Петербурга", "Term variants › Kremlin form", "own", 7, 1.5, 3, 1.0),
    ("新华社 新华通讯社 北京", "Term variants › 乌克兰", "quoted", 1, 0.25, 1, 0.125),
]
# and words longer than a 60-column table leaves a column (whole at 80 and 120)
LONG_WORDS = [("Всероссийская государственная телерадиокомпания", "Counter-disinformation framing › Extraordinarily",
               "own", 12, 3.25, 2, 0.25)]


def hostile_table(rows=HOSTILE) -> ResultTable:
    columns = [Column("outlet", "outlet"), Column("label_name", "label"), Column("voice", "voice"),
               Column("tags", "tags", "int"), Column("rate", "per 1k words", "float"),
               Column("articles", "articles", "int", optional=1), Column("share", "% articles", "share")]
    return ResultTable("hostile", "A table of hostile names", columns, list(rows))


@pytest.mark.parametrize("width", WIDTHS)
def test_long_hostile_names_break_no_word(width):
    check_table(hostile_table(), width)
    if width >= 80:
        check_table(hostile_table(HOSTILE + LONG_WORDS), width)


def test_a_word_wider_than_any_column_is_broken_at_hyphens_within_the_width():
    word = "-".join(["supercalifragilistic"] * 5)  # 104 characters, no space
    table = ResultTable("giant", "giant", [Column("name", "name"), Column("n", "n", "int")], [(word, 1234567)])
    lines = rendered(table, 60)
    assert all(cell_len(line) <= 60 for line in lines)
    assert any("1234567" in line for line in lines)  # the number is whole
    assert any(line.rstrip().endswith("supercalifragilistic-") for line in lines)  # broken after a hyphen


def test_narrow_tables_name_the_dropped_columns():
    lines = " ".join(" ".join(rendered(hostile_table(), 60)).split())
    assert "left out at this width: articles" in lines


# -- people's words ------------------------------------------------------------------------------


@pytest.fixture
def db(tmp_path):
    store, ids = build(tmp_path / "p")
    article = store.article(ids["A1"])
    store.add_annotation(Annotation(  # a label a later codebook version dropped
        article_id=article.id, text_sha256=article.text_sha256, annotator="alice", codebook_id="ru-ua-framing",
        codebook_version="0", category="term", label="retired-form", start=0, end=4,
        **quote_selector(article.text, 0, 4)))
    return str(store.path)


def run(*args):
    return CliRunner(env={"COLUMNS": "250"}).invoke(main, list(args), catch_exceptions=False)


def test_stats_tables_and_markdown_use_codebook_names(db):
    for fmt in ("table", "md"):
        out = run("--db", db, "stats", "--by", "all", "--format", fmt).output
        assert "Term variants › Kremlin form" in out and "Tone › Anti" in out, fmt
        assert "Term variants › retired-form (not in codebook)" in out, fmt
        assert "term/kremlin-form" not in out and "tone/anti" not in out and "kremlin-form" not in out, fmt
        assert "alpha-news" not in out, fmt  # outlet ids stay in csv/json
    md = run("--db", db, "stats", "--by", "concept", "--format", "md").output
    assert "| outlet | concept | variant |" in md and "| Alpha News | capital | Kiev |" in md


def test_csv_and_json_keep_the_ids_beside_the_names(db):
    records = list(csv.DictReader(io.StringIO(run("--db", db, "stats", "--format", "csv").output)))
    row = next(r for r in records if r["outlet_id"] == "alpha-news" and r["label"] == "kremlin-form"
               and r["voice"] == "all")
    assert (row["category"], row["category_name"], row["label_name"]) == ("term", "Term variants", "Kremlin form")
    data = json.loads(run("--db", db, "stats", "--by", "answers", "--format", "json").output)
    answer = data["tables"]["answers_by_outlet"]["rows"][0]
    assert {"question", "answer", "question_name", "answer_name"} <= set(answer)
    tables = json.loads(run("--db", db, "agreement", "--format", "json").output)["tables"]
    named = {r["item"]: r["item_name"] for r in tables["alpha"]["rows"]}
    assert named["tone"] == "Tone"
    span = next(r for r in tables["span_alpha"]["rows"] if r["label"] == "kremlin-form")
    assert (span["category"], span["category_name"], span["label_name"]) == ("term", "Term variants", "Kremlin form")


def test_agreement_table_uses_codebook_names(db):
    out = run("--db", db, "agreement").output
    assert "Ukraine/West form" in out and "ukraine-west-form" not in out
    assert "Generic frames: " in out  # the unused questions and labels, by name
    assert "Persuasion techniques" in out and "nobody tagged a span" in out


@pytest.mark.parametrize("columns", ["60", "80", "120"])
def test_outlets_and_suggestions_never_break_or_cut_words(demo_store, columns):
    """`outlets` and `suggest` are sized like the statistics: words wrap whole (or a column is left out);
    at 60 columns a word may be broken after its hyphens, and only a piece wider than its column is folded."""
    db = str(demo_store.path)
    runner = CliRunner(env={"COLUMNS": columns})
    shown = runner.invoke(main, ["--db", db, "outlets"], catch_exceptions=False).output
    tokens = set(shown.split())
    header = next(line for line in shown.splitlines() if line.startswith("id "))
    starts = [header.index(title) for title in ("id", "name", "country")]
    id_width, name_width = starts[1] - starts[0] - 2, starts[2] - starts[1] - 2  # 2: the gap between columns

    def shown_whole(piece: str, width: int | None) -> bool:  # or folded, when wider than its column
        if piece in tokens:
            return True
        return columns == "60" and width is not None and len(piece) > width and all(
            piece[i:i + width] in tokens for i in range(0, len(piece), width))

    def whole(word: str, width: int | None = None) -> bool:
        """On the screen whole, or (narrow: 60 columns) broken only after its hyphens or slashes
        ("channel-one-russia" as "channel-" and "one-russia", or "channel-", "one-", "russia")."""
        parts = [part for part in re.split(r"(?<=[-/])", word) if part]
        choices = (False, True) if columns == "60" else (False,)
        for cuts in itertools.product(choices, repeat=len(parts) - 1):
            pieces, piece = [], parts[0]
            for cut, part in zip(cuts, parts[1:]):
                if cut:
                    pieces.append(piece)
                    piece = part
                else:
                    piece += part
            if all(shown_whole(p, width) for p in [*pieces, piece]):
                return True
        return False

    for outlet in demo_store.outlets():
        assert whole(outlet.id, id_width), (outlet.id, shown)
        assert all(whole(word, name_width) for word in outlet.name.split()), (outlet.name, shown)
    article = demo_store.list_articles(limit=1)[0].id
    shown = runner.invoke(main, ["--db", db, "suggest", article], catch_exceptions=False).output
    assert "…" not in shown
    tokens = set(shown.split())
    from annotator.codebook import find_codebook
    from annotator.lexicon import Matcher

    for suggestion in Matcher(find_codebook("ru-ua-framing")).find(demo_store.article(article).text):
        assert whole(suggestion.variant) and str(suggestion.start) in tokens, (suggestion, shown)
