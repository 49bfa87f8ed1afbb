"""annotator export --format label-studio|doccano|prodigy|brat|parquet: each tool's shape,
and offsets where the tool counts them, on texts with emoji, combining marks and CRLF."""

from __future__ import annotations

import inspect
import io
import json
import zipfile

import pytest
from click.testing import CliRunner

from annotator.cli import main
from annotator.exchange import documents_out
from annotator.exchange.brat_out import annotator_folder, fragments
from annotator.exchange.documents_out import ExportRefused, iter_article_tags, utf16_offsets
from annotator.exchange.formats_out import FORMATS_OUT, export_foreign
from annotator.ingest.importer import import_paths
from annotator.models import ARTICLE_NOTE_CATEGORY, ARTICLE_NOTE_LABEL, Annotation, quote_selector
from annotator.store import Store

# CRLF in the file becomes "\n" in the canonical text; "q\u0303" has no precomposed form (two
# code points after NFC); the family emoji is five code points (three astral, two ZWJ).
EMOJI_TEXT = "🐱 Warning: This is a test text\r\nq\u0303uoted \"Kiev\" by 👨\u200d👩\u200d👧 in Kyiv, end."
PLAIN_TEXT = "Moscow said Kiev regime. Plain text only."


def run(*args):
    return CliRunner(env={"COLUMNS": "200"}).invoke(main, list(args), catch_exceptions=False)


def span(text, word, occurrence=0):
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(word, start + 1)
    return start, start + len(word)


@pytest.fixture
def project(tmp_path):
    """A store with two articles (one with emoji, a combining mark and CRLF) and tags by two
    annotators: spans, answers, an article note, a deleted tag."""
    folder = tmp_path / "p"
    folder.mkdir()
    records = [{"title": "Emoji", "text": EMOJI_TEXT, "url": "https://a.example/1"},
               {"title": "Plain", "text": PLAIN_TEXT}]
    (folder / "articles.jsonl").write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    store = Store(folder / "annotations.db")
    assert import_paths(store, [folder / "articles.jsonl"]).ok
    by_title = {a.title: store.article(a.id) for a in store.iter_current_articles()}
    emoji, plain = by_title["Emoji"], by_title["Plain"]
    assert "\r" not in emoji.text and "\n" in emoji.text

    def tag(article, who, category, label, word=None, occurrence=0, **extra):
        where = {}
        if word is not None:
            start, end = span(article.text, word, occurrence)
            where = {"start": start, "end": end, **quote_selector(article.text, start, end)}
        return store.add_annotation(Annotation(
            article_id=article.id, text_sha256=article.text_sha256, annotator=who, codebook_id="ru-ua-framing",
            codebook_version="1", category=category, label=label, **where, **extra))

    tag(emoji, "maria", "term", "kremlin-form", "Kiev", attributes={"voice": "quoted"}, note="line one\nline two")
    tag(emoji, "maria", "term", "neutral-form", "test")
    tag(emoji, "maria", "term", "ukraine-west-form", "Kyiv")
    tag(emoji, "maria", "persuasion", "flag-waving", "q\u0303uoted")
    tag(emoji, "maria", "persuasion", "appeal-to-fear-prejudice", "text\nq\u0303uoted")
    tag(emoji, "maria", "generic-frames", "economic")
    tag(emoji, "maria", "generic-frames", "morality")
    tag(emoji, "maria", "tone", "anti")
    tag(emoji, "maria", ARTICLE_NOTE_CATEGORY, ARTICLE_NOTE_LABEL, note="check the date")
    tag(emoji, "olek", "term", "kremlin-form", "Kiev")
    tag(plain, "olek", "term", "kremlin-form", "Kiev regime")
    gone = tag(plain, "olek", "term", "neutral-form", "Moscow")
    store.update_annotation(gone.uuid, deleted=True)
    return {"store": store, "db": str(store.path), "emoji": emoji, "plain": plain, "dir": folder}


def exported(store, fmt, **kwargs):
    out = io.StringIO(newline="")
    written = export_foreign(store, fmt, out, **kwargs)
    return written, out.getvalue()


def utf16_slice(text, start, end):
    """What JavaScript's text.slice(start, end) gives."""
    units = text.encode("utf-16-le")
    return units[2 * start:2 * end].decode("utf-16-le")


# -- offsets -----------------------------------------------------------------------------------


def test_utf16_offsets_count_astral_characters_twice():
    text = "a🐱b👨\u200d👩c"
    to_utf16 = utf16_offsets(text)
    for i in range(len(text) + 1):
        assert to_utf16(i) == len(text[:i].encode("utf-16-le")) // 2
    assert utf16_offsets("plain")(3) == 3


def test_brat_fragments_are_cut_at_line_ends():
    text = "ab\ncd\n\nef"
    assert fragments(text, 0, len(text)) == [(0, 2), (3, 5), (7, 9)]
    assert fragments(text, 2, 3) == []


# -- Label Studio --------------------------------------------------------------------------------


def test_label_studio_tasks_per_article_annotations_per_annotator(project):
    written, text = exported(project["store"], "label-studio")
    tasks = json.loads(text)
    assert [t["data"]["article_id"] for t in tasks] == [project["emoji"].id, project["plain"].id]
    first = tasks[0]
    assert first["data"] == {"text": project["emoji"].text, "title": "Emoji", "url": "https://a.example/1",
                             "article_id": project["emoji"].id, "publisher": None}
    assert [a["completed_by"] for a in first["annotations"]] == ["maria", "olek"]
    results = first["annotations"][0]["result"]
    labels = [r for r in results if r["type"] == "labels"]
    assert {r["from_name"] for r in labels} == {"term", "persuasion"} and {r["to_name"] for r in labels} == {"text"}
    choices = {r["from_name"]: r["value"]["choices"] for r in results if r["type"] == "choices" and "start" not in r["value"]}
    assert choices == {"generic-frames": ["economic", "morality"], "tone": ["anti"]}
    assert [r["value"]["text"] for r in results if r["type"] == "textarea"] == [["check the date"]]
    written_deleted = [r for t in tasks for a in t["annotations"] for r in a["result"]
                       if r["value"].get("text") == "Moscow"]
    assert written_deleted == []  # deleted tags are never exported
    assert written.count == 11


def test_label_studio_offsets_are_code_points_after_an_emoji(project):
    """Label Studio's Text tag counts code points: "test" after "🐱 " starts at 21, not 22."""
    tasks = json.loads(exported(project["store"], "label-studio")[1])
    text = tasks[0]["data"]["text"]
    regions = {r["value"]["text"]: r for r in tasks[0]["annotations"][0]["result"] if r["type"] == "labels"}
    assert regions["test"]["value"]["start"] == 21 and regions["test"]["value"]["end"] == 25
    for quote, region in regions.items():
        assert text[region["value"]["start"]:region["value"]["end"]] == quote
    kiev = regions["Kiev"]
    assert kiev["value"]["labels"] == ["kremlin-form"] and kiev["meta"] == {"text": ["line one\nline two"]}
    voice = [r for r in tasks[0]["annotations"][0]["result"] if r["from_name"] == "voice"]
    assert voice == [{"id": kiev["id"], "from_name": "voice", "to_name": "text", "type": "choices", "origin": "manual",
                      "value": {"start": kiev["value"]["start"], "end": kiev["value"]["end"], "text": "Kiev",
                                "choices": ["quoted"]}}]


# -- doccano -------------------------------------------------------------------------------------


def test_doccano_lines_per_article_and_annotator_with_utf16_offsets(project):
    written, text = exported(project["store"], "doccano")
    lines = [json.loads(line) for line in text.splitlines()]
    assert [(l["article_id"], l["annotator"]) for l in lines] == [
        (project["emoji"].id, "maria"), (project["emoji"].id, "olek"), (project["plain"].id, "olek")]
    maria = lines[0]
    assert maria["text"] == project["emoji"].text
    for start, end, label in maria["label"]:
        quote = utf16_slice(maria["text"], start, end)
        assert quote in {"test", "Kiev", "Kyiv", "q\u0303uoted", "text\nq\u0303uoted"}, (start, end, label)
    by_quote = {utf16_slice(maria["text"], s, e): (s, e, l) for s, e, l in maria["label"]}
    assert by_quote["test"] == (22, 26, "term:neutral-form")  # 🐱 is two UTF-16 code units
    kyiv = project["emoji"].text.index("Kyiv")
    assert by_quote["Kyiv"][0] == kyiv + 1 + 3  # the cat and the family's three astral characters
    assert maria["cats"] == ["generic-frames:economic", "generic-frames:morality", "tone:anti"]
    assert written.left_out == {"notes (doccano has no place for them)": 1}
    assert written.count == 10


# -- Prodigy -------------------------------------------------------------------------------------


def test_prodigy_tasks_with_code_point_spans_and_choice_answers(project):
    written, text = exported(project["store"], "prodigy")
    tasks = [json.loads(line) for line in text.splitlines()]
    maria = tasks[0]
    assert maria["_annotator_id"] == "maria" and maria["answer"] == "accept"
    assert maria["meta"]["annotator"] == "maria" and maria["meta"]["article_id"] == project["emoji"].id
    assert maria["meta"]["notes"] == ["check the date"]
    for s in maria["spans"]:
        assert maria["text"][s["start"]:s["end"]] == s["text"]
        assert s["label"].split(":")[0] in {"term", "persuasion"}
    assert {s["label"] for s in maria["spans"] if s["text"] == "test"} == {"term:neutral-form"}
    assert maria["accept"] == ["generic-frames:economic", "generic-frames:morality", "tone:anti"]
    options = {o["id"]: o["text"] for o in maria["options"]}
    assert {"tone:pro", "tone:neutral", "tone:anti", "generic-frames:legality"} <= set(options)  # every label shown
    assert options["tone:anti"] == "Tone: Anti"  # the codebook's names
    assert "options" not in tasks[1] and written.count == 11


# -- brat ----------------------------------------------------------------------------------------


def test_brat_zip_has_txt_ann_and_conf_with_code_point_offsets(project, tmp_path):
    out = tmp_path / "brat.zip"
    result = run("--db", project["db"], "export", "--format", "brat", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "Exported 7 annotation(s)" in result.output and "left out 4 article-level answers and notes" in result.output
    archive = zipfile.ZipFile(out)
    emoji = project["emoji"]
    text = archive.read(f"maria/{emoji.id}.txt").decode("utf-8")
    assert text == emoji.text
    ann = archive.read(f"maria/{emoji.id}.ann").decode("utf-8").splitlines()
    spans = [line for line in ann if line.startswith("T")]
    assert len(spans) == 5
    for line in spans:
        ident, middle, quote = line.split("\t")
        kind, where = middle.split(" ", 1)
        pieces = [tuple(map(int, part.split())) for part in where.split(";")]
        assert " ".join(text[a:b] for a, b in pieces) == quote  # what brat checks when it reads the file
        assert kind.split("__")[0] in {"term", "persuasion"}
    crossing = [line for line in spans if ";" in line]
    assert len(crossing) == 1 and crossing[0].endswith("\ttext q\u0303uoted")
    kiev = next(line.split("\t")[0] for line in spans if line.endswith("\tKiev"))
    assert f"A1\tvoice {kiev} quoted" in ann and f"#1\tAnnotatorNotes {kiev}\tline one line two" in ann
    conf = archive.read("annotation.conf").decode("utf-8")
    assert "[entities]\npersuasion__appeal-to-fear-prejudice\n" in conf and "term__kremlin-form" in conf
    assert "voice\tArg:<ENTITY>, Value:quoted" in conf and "<OVL-TYPE>:<ANY>" in conf
    assert json.loads(archive.read("annotators.json")) == {"maria": "maria", "olek": "olek"}
    assert f"olek/{project['plain'].id}.ann" in archive.namelist()


def test_brat_folder_of_an_unsafe_annotator_name_is_safe_and_distinct():
    assert annotator_folder("maria") == "maria"
    odd = annotator_folder("../José Ñ")
    assert "/" not in odd and not odd.startswith(".") and odd != annotator_folder("../Jose N")


def test_brat_refuses_a_label_it_cannot_name_and_writes_nothing(project, tmp_path):
    emoji = project["emoji"]
    start, end = span(emoji.text, "Kiev")
    project["store"].add_annotation(Annotation(
        article_id=emoji.id, text_sha256=emoji.text_sha256, annotator="maria", codebook_id="x", codebook_version="1",
        category="my__cat", label="odd", start=start, end=end, quote="Kiev"))
    out = tmp_path / "brat.zip"
    result = run("--db", project["db"], "export", "--format", "brat", "--out", str(out))
    assert result.exit_code == 1
    assert "brat type names" in result.output and "'my__cat'" in result.output and len(result.output.splitlines()) == 1
    assert not out.exists() and not list(tmp_path.glob("*.part"))
    with pytest.raises(ExportRefused):
        documents_out.brat_type("my__cat", "odd")


# -- Parquet -------------------------------------------------------------------------------------


def test_parquet_has_the_csv_columns_and_exact_cells(project, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "tags.parquet"
    result = run("--db", project["db"], "export", "--format", "parquet", "--out", str(out))
    assert result.exit_code == 0, result.output
    table = pq.read_table(out)
    csv_text = run("--db", project["db"], "export", "--format", "csv").output
    import csv

    header, *rows = list(csv.reader(io.StringIO(csv_text)))
    assert table.column_names == header
    assert table.num_rows == len(rows) == 11
    assert str(table.schema.field("start").type) == "int64" and str(table.schema.field("quote").type) == "string"
    records = table.to_pylist()
    quotes = {r["quote"] for r in records if r["quote"] is not None}
    assert "q\u0303uoted" in quotes and "Moscow" not in quotes
    for record in records:
        if record["start"] is not None:
            article = project["emoji"] if record["article_id"] == project["emoji"].id else project["plain"]
            assert article.text[record["start"]:record["end"]] == record["quote"]


def test_parquet_streams_in_row_groups(project, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    from annotator.exchange.parquet_out import write_parquet
    from annotator.exchange.documents_out import Written

    rows = project["store"].iter_annotation_export_rows()
    buffer = io.BytesIO()
    assert write_parquet(rows, buffer, Written(), batch=4).count == 11
    buffer.seek(0)
    assert pq.ParquetFile(buffer).metadata.num_row_groups == 3  # 4 + 4 + 3: never all rows at once


def test_parquet_without_pyarrow_says_how_to_install_it(project, tmp_path, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_pyarrow(name, *args, **kwargs):
        if name == "pyarrow" or name.startswith("pyarrow."):
            raise ImportError("No module named 'pyarrow'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    out = tmp_path / "tags.parquet"
    result = run("--db", project["db"], "export", "--format", "parquet", "--out", str(out))
    assert result.exit_code == 1
    assert result.output.strip() == "error: --format parquet needs pyarrow: pip install 'annotator[parquet]' (or pip install pyarrow)"
    assert not out.exists()


# -- the command ---------------------------------------------------------------------------------


def test_binary_formats_need_out(project):
    for fmt in ("brat", "parquet"):
        result = run("--db", project["db"], "export", "--format", fmt)
        assert result.exit_code == 2 and "give --out FILE" in result.output, fmt


@pytest.mark.parametrize("fmt", ["label-studio", "doccano", "prodigy"])
def test_text_formats_honour_the_annotator_filter_and_go_to_stdout(project, fmt):
    result = run("--db", project["db"], "export", "--format", fmt, "--annotator", "olek")
    assert result.exit_code == 0, result.output
    assert "maria" not in result.output and "olek" in result.output
    assert "Kiev regime" in result.output


def test_hostile_names_reach_the_terminal_escaped(project):
    emoji = project["emoji"]
    evil = "\x1b[2J\u202emallory"
    start, end = span(emoji.text, "Kiev")
    project["store"].add_annotation(Annotation(
        article_id=emoji.id, text_sha256=emoji.text_sha256, annotator=evil, codebook_id="ru-ua-framing",
        codebook_version="1", category="term", label="kremlin-form", start=start, end=end, quote="Kiev"))
    for fmt in ("label-studio", "doccano", "prodigy"):
        result = run("--db", project["db"], "export", "--format", fmt)
        assert "\x1b" not in result.output and "\u202e" not in result.output, fmt
        assert "\\u001b[2J\\u202emallory" in result.output, fmt  # the exact name, JSON-escaped


def test_every_format_is_a_generator_over_articles():
    """A million tags are never one list: the grouping and the writers take iterators."""
    assert inspect.isgeneratorfunction(iter_article_tags)
    from annotator.exchange import doccano_out, parquet_out, prodigy_out

    assert inspect.isgeneratorfunction(doccano_out.doccano_lines)
    assert inspect.isgeneratorfunction(prodigy_out.prodigy_tasks)
    assert inspect.isgeneratorfunction(parquet_out.iter_batches)


def test_cli_offers_every_format():
    from annotator.commands.stats_export import EXPORT_FORMATS
    from annotator.exchange.export import FORMATS

    assert EXPORT_FORMATS == FORMATS + FORMATS_OUT


class Sink(io.TextIOBase):
    """A text file that only counts what is written to it."""

    def __init__(self):
        self.size = 0

    def write(self, text):
        self.size += len(text)
        return len(text)


def test_an_export_holds_one_article_at_a_time(tmp_path):
    import tracemalloc

    folder = tmp_path / "many"
    folder.mkdir()
    records = [{"title": f"T{i}", "text": f"Article {i}: Kiev and Kyiv. 🐱"} for i in range(200)]
    (folder / "articles.jsonl").write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    store = Store(folder / "annotations.db")
    assert import_paths(store, [folder / "articles.jsonl"]).ok
    note = "n" * 2000
    tags = []
    for article in store.iter_current_articles():
        start, end = span(article.text, "Kiev")
        tags += [Annotation(article_id=article.id, text_sha256=article.text_sha256, annotator=f"a{i}",
                            codebook_id="ru-ua-framing", codebook_version="1", category="term", label="kremlin-form",
                            start=start, end=end, quote="Kiev", note=note) for i in range(15)]
    store.upsert_annotations(tags)
    for fmt in ("label-studio", "prodigy"):
        sink = Sink()
        tracemalloc.start()
        try:
            written = export_foreign(store, fmt, sink)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert written.count == 3000 and sink.size > 6_000_000  # 3,000 notes of 2 KB went through ...
        assert peak < sink.size / 5, fmt  # ... but never all at once


def test_label_studio_config_names_every_control_an_export_uses(project):
    from xml.dom import minidom

    result = run("codebook", "show", "ru-ua-framing", "--label-studio")
    assert result.exit_code == 0, result.output
    config = minidom.parseString(result.output)
    controls = {node.getAttribute("name"): node for kind in ("Labels", "Choices", "TextArea")
                for node in config.getElementsByTagName(kind)}
    assert config.getElementsByTagName("Text")[0].getAttribute("value") == "$text"
    tasks = json.loads(exported(project["store"], "label-studio")[1])
    for task in tasks:
        for annotation in task["annotations"]:
            for region in annotation["result"]:
                control = controls[region["from_name"]]  # a result Label Studio can show
                assert control.getAttribute("toName") == region["to_name"] == "text"
                values = {n.getAttribute("value") for n in control.childNodes if n.nodeType == n.ELEMENT_NODE}
                for value in region["value"].get("labels", []) + region["value"].get("choices", []):
                    assert value in values, (region["from_name"], value)
    assert controls["voice"].getAttribute("perRegion") == "true"
    assert controls["tone"].getAttribute("choice") == "single"
    assert controls["generic-frames"].getAttribute("choice") == "multiple"


def test_label_studio_config_escapes_codebook_text(tmp_path):
    from annotator.codebook import find_codebook
    from annotator.exchange.label_studio_out import label_studio_config

    from xml.dom import minidom

    title = 'A "quoted" <b> & \u202eevil\''
    config = label_studio_config(find_codebook("ru-ua-framing").model_copy(update={"title": title}))
    assert "\u202e" not in config and "<b>" not in config  # a character reference; markup as text
    assert minidom.parseString(config).getElementsByTagName("Header")[0].getAttribute("value") == title



def test_csv_columns_are_the_csv_cells_of_each_row_transposed(project):
    """The Parquet export's cells, made a column at a time, are the CSV export's of each row."""
    from annotator.exchange.export import csv_cells, csv_columns
    from annotator.store import CSV_COLUMNS, Store

    rows = list(Store(project["db"]).iter_annotation_export_rows())
    assert len(rows) > 2
    assert csv_columns(rows) == [list(column) for column in zip(*(csv_cells(r) for r in rows))]
    assert csv_columns([]) == [[] for _ in CSV_COLUMNS]
