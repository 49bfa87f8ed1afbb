"""Other tools' files in (annotator.exchange.*_in): files shaped as Label Studio, doccano,
Prodigy and brat write them, with their texts (articles imported when missing), labels of
their own (--label-map), their offset units, and hostile files (one line each, no traceback)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from annotator.cli import main
from annotator.store import Store

# "Kyiv" comes after two astral characters: UTF-16 offsets are 2 more than code points there
TEXT = "Headline of the day\r\n\r\n🐱 Moscow calls it Kiev.\r\nThe 👍🏽 reply: Kyiv, cafe\u0301 talk.\r\n"


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def cp(word, text=TEXT):
    start = text.index(word)
    return start, start + len(word)


def u16(word, text=TEXT):
    start = text.index(word)
    return len(text[:start].encode("utf-16-le")) // 2, len(text[:start + len(word)].encode("utf-16-le")) // 2


def spans(store):
    return {(t.annotator, t.category, t.label, t.quote) for t in store.annotations()}


@pytest.fixture
def db(workdir):
    store = Store(workdir / "annotations.db")
    (workdir / "map.yaml").write_text("LOC-RU: kremlin-form\nLOC-UA: term:ukraine-west-form\nNEG: tone:anti\n",
                                      encoding="utf-8")
    return store


def test_a_label_studio_export_with_its_own_labels_and_user_ids(workdir, db):
    task = {"id": 7, "data": {"text": TEXT, "title": "Headline of the day"}, "predictions": [], "annotations": [{
        "completed_by": 3, "was_cancelled": False, "result": [
            {"id": "a", "from_name": "label", "to_name": "text", "type": "labels",
             "value": {"start": cp("Kiev")[0], "end": cp("Kiev")[1], "text": "Kiev", "labels": ["LOC-RU"]}},
            {"id": "b", "from_name": "label", "to_name": "text", "type": "labels",
             "value": {"start": cp("Kyiv")[0], "end": cp("Kyiv")[1], "text": "Kyiv", "labels": ["LOC-UA"]}},
            {"id": "c", "from_name": "label", "to_name": "text", "type": "labels",
             "value": {"start": 0, "end": 8, "text": "Headline", "labels": ["LOC-RU"]}},
            {"id": "d", "from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["NEG"]}},
            {"id": "e", "from_name": "label", "to_name": "text", "type": "labels",
             "value": {"start": 1, "end": 4, "text": "ead", "labels": ["PERSON"]}},
        ]}, {"completed_by": 4, "was_cancelled": True, "result": []}]}
    (workdir / "ls.json").write_text(json.dumps([task], indent=2), encoding="utf-8")
    result = run("import-annotations", "ls.json", "--label-map", "map.yaml", "--annotator", "maria",
                 "--publisher", "Ostrava Evening Lantern")
    assert result.exit_code == 1  # the headline span and the unmapped label are refused
    assert spans(db) == {("maria", "term", "kremlin-form", "Kiev"), ("maria", "term", "ukraine-west-form", "Kyiv"),
                         ("maria", "tone", "anti", None)}
    (article,) = list(db.iter_current_articles())
    assert article.title == "Headline of the day" and article.publisher == "ostrava-evening-lantern"
    assert "\r" not in article.text
    assert "new outlet 'ostrava-evening-lantern'" in result.stderr
    assert "ls.json:task 1: annotation 1: result 3: the span \"Headline\"" in result.stderr
    assert "by the rule title" in result.stderr  # the title line is not the article's text
    assert 'label "PERSON": 1 tag(s) not imported' in result.stderr
    assert "Imported articles: 1" in result.stdout and "3 added" in result.stdout and "2 refused" in result.stdout


def test_label_studio_offsets_in_utf16_units_are_told_by_their_text(workdir, db):
    results = [{"id": w, "from_name": "term", "to_name": "text", "type": "labels",
                "value": {"start": u16(w)[0], "end": u16(w)[1], "text": w, "labels": [label]}}
               for w, label in (("Kiev", "kremlin-form"), ("Kyiv", "ukraine-west-form"))]
    (workdir / "ls.json").write_text(json.dumps([{"data": {"text": TEXT, "title": "T"},
                                                  "annotations": [{"completed_by": "eve", "result": results}]}]),
                                     encoding="utf-8")
    result = run("import-annotations", "ls.json")
    assert result.exit_code == 0, result.output
    assert spans(db) == {("eve", "term", "kremlin-form", "Kiev"), ("eve", "term", "ukraine-west-form", "Kyiv")}
    stored = {t.quote: t for t in db.annotations()}
    (article,) = list(db.iter_current_articles())
    assert all(article.text[t.start:t.end] == q for q, t in stored.items())


def test_doccano_utf16_offsets_after_emoji_land_on_the_words(workdir, db):
    lines = [{"text": TEXT, "label": [[*u16("Kiev"), "LOC-RU"], [*u16("Kyiv"), "LOC-UA"]]},
             {"text": "Second text about Kiev.", "entities": [{"start_offset": 18, "end_offset": 22, "label": "LOC-RU"}],
              "label": ["NEG"]}]
    (workdir / "d.jsonl").write_text("\n".join(json.dumps(l) for l in lines), encoding="utf-8")
    result = run("import-annotations", "d.jsonl", "--label-map", "map.yaml", "--annotator", "olek")
    assert result.exit_code == 0, result.output
    assert spans(db) == {("olek", "term", "kremlin-form", "Kiev"), ("olek", "term", "ukraine-west-form", "Kyiv"),
                         ("olek", "tone", "anti", None)}
    (article,) = [a for a in db.iter_current_articles() if "Moscow" in a.text]
    assert article.title == "d.jsonl: 1" and article.text.startswith("Headline of the day\n")  # the text kept whole
    other = Store(workdir / "other.db")
    said = run("--db", "other.db", "import-annotations", "d.jsonl", "--label-map", "map.yaml", "--offsets", "utf16",
               "--annotator", "olek")
    assert said.exit_code == 0 and spans(other) == spans(db)


def test_prodigy_accepted_tasks_only(workdir, db):
    lines = [{"text": TEXT, "spans": [{"start": cp("Kiev")[0], "end": cp("Kiev")[1], "label": "LOC-RU", "text": "Kiev"}],
              "answer": "accept", "_annotator_id": "news-olek"},
             {"text": TEXT, "spans": [{"start": cp("Kyiv")[0], "end": cp("Kyiv")[1], "label": "LOC-UA"}],
              "answer": "reject", "_annotator_id": "news-olek"},
             {"text": TEXT, "spans": [{"start": cp("Kyiv")[0] + 1, "end": cp("Kyiv")[1] + 1, "label": "LOC-UA",
                                       "text": "Kyiv"}], "_annotator_id": "news-eve"}]
    (workdir / "p.jsonl").write_text("\n".join(json.dumps(l) for l in lines), encoding="utf-8")
    result = run("import-annotations", "p.jsonl", "--format", "prodigy", "--label-map", "map.yaml")
    assert result.exit_code == 1
    assert spans(db) == {("news-olek", "term", "kremlin-form", "Kiev")}
    assert "p.jsonl:3: span 1: " in result.stderr and 'put the quoted "Kyiv"' in result.stderr
    assert "1 tasks answered 'reject' not read" in result.stderr


def test_a_brat_folder_with_a_discontinuous_span(workdir, db):
    folder = workdir / "brat"
    folder.mkdir()
    text = "Moscow calls it Kiev.\r\nKyiv answers.\r\n"  # brat counts the \r as a character
    (folder / "doc1.txt").write_text(text, encoding="utf-8", newline="")
    k, y = cp("Kiev", text), cp("Kyiv", text)
    (folder / "doc1.ann").write_text(
        f"T1\tterm__kremlin-form {k[0]} {k[1]}\tKiev\n"
        f"T2\tLOC-UA {y[0]} {y[1]}\tKyiv\n"
        f"T3\tLOC-RU 0 6;16 20\tMoscow Kiev\n"
        f"A1\tvoice T1 quoted\n#1\tAnnotatorNotes T1\tsee the date\n"
        "R1\tRel Arg1:T1 Arg2:T2\n", encoding="utf-8")
    (folder / "lonely.ann").write_text("T1\tLOC-RU 0 4\tnone\n", encoding="utf-8")
    result = run("import-annotations", "brat", "--label-map", "map.yaml", "--annotator", "maria")
    assert result.exit_code == 1
    assert spans(db) == {("maria", "term", "kremlin-form", "Kiev"), ("maria", "term", "ukraine-west-form", "Kyiv")}
    kiev = next(t for t in db.annotations() if t.quote == "Kiev")
    assert kiev.attributes == {"voice": "quoted"} and kiev.note == "see the date"
    assert "brat:doc1.ann:3: a discontinuous span (0 6;16 20)" in result.stderr
    (article,) = list(db.iter_current_articles())
    assert article.text == "Moscow calls it Kiev.\nKyiv answers." and article.title == "brat: doc1.txt"
    assert "brat:lonely.ann: no lonely.txt beside it" in result.stderr
    assert "1 relations not read" in result.stderr


def test_a_web_annotation_of_another_tool_is_a_pre_annotation(workdir, db):
    (workdir / "a.jsonl").write_text(json.dumps({"text": TEXT, "url": "https://x.example/1", "title": "T"}),
                                     encoding="utf-8")
    assert run("import", "a.jsonl").exit_code == 0
    annotation = {"@context": "http://www.w3.org/ns/anno.jsonld", "type": "Annotation", "creator": "anna",
                  "body": {"type": "TextualBody", "purpose": "tagging", "value": "LOC-UA"},
                  "target": {"source": "https://x.example/1",
                             "selector": {"type": "TextQuoteSelector", "exact": "Kyiv", "prefix": "reply: "}}}
    (workdir / "w.json").write_text(json.dumps(annotation), encoding="utf-8")
    result = run("import-annotations", "w.json", "--label-map", "map.yaml")
    assert result.exit_code == 0, result.output
    assert spans(db) == {("anna", "term", "ukraine-west-form", "Kyiv")}


@pytest.mark.parametrize("fmt, content, message", [
    ("auto", b"\x00\x01\x02binary", "a binary file (NUL bytes)"),
    ("label-studio", '[{"data": {"text": "café"}}]'.encode("latin-1"), "not UTF-8 text"),
    ("label-studio", b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    ("doccano", b"[" * 100_000, "nested too deeply"),
    ("auto", b"hello", "cannot tell its format"),
    ("auto", '{"text": "Kiev", "label": []}'.encode("utf-16"), "UTF-16 text; save it as UTF-8"),
    ("w3c", b'{"type": "Annotation", ', "not JSON"),
    ("label-studio", b'[{"data": {"text": "x"}}, NaN]', "NaN is not a JSON number"),
])
def test_hostile_files_are_one_line_without_a_traceback(workdir, db, fmt, content, message):
    (workdir / "bad.json").write_bytes(content)
    result = run("import-annotations", "bad.json", "--format", fmt)
    assert result.exit_code == 1
    assert message in result.stderr and "Traceback" not in result.stderr
    assert len([l for l in result.stderr.splitlines() if l.strip()]) <= 2
    assert db.annotations() == []


def test_escape_sequences_and_huge_fields_are_refused_as_text(workdir, db):
    evil = "\x1b[2J\x1b]0;owned\x07LOC\u202e"
    lines = [{"text": TEXT, "label": [[0, 8, evil]]},
             {"text": "x" * 6_000_000, "label": [[0, 1, "LOC-RU"]]},
             {"text": TEXT, "label": [[0, 8, "L" * 5000]]}]
    (workdir / "d.jsonl").write_text("\n".join(json.dumps(l) for l in lines), encoding="utf-8")
    result = run("import-annotations", "d.jsonl", "--format", "doccano", "--annotator", "m")
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert "\x1b" not in result.stderr and "\u202e" not in result.stderr
    assert "d.jsonl:2: field 'text' is over 5 MB" in result.stderr
    assert db.annotations() == []


def test_a_broken_first_line_does_not_hide_the_format(workdir, db):
    (workdir / "a.jsonl").write_text(json.dumps({"text": TEXT, "title": "T"}), encoding="utf-8")
    assert run("import", "a.jsonl").exit_code == 0
    (article,) = list(db.iter_current_articles())
    lines = ['{"article": ', json.dumps({"article": article.id, "annotator": "m", "label": "kremlin-form",
                                         "quote": "Kiev"})]
    (workdir / "pre.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("import-annotations", "pre.jsonl")
    assert result.exit_code == 1 and "pre.jsonl:1: not JSON" in result.stderr and "1 added" in result.stdout


def test_a_long_first_line_is_read_whole_to_tell_the_format(workdir, db):
    text = "Kiev " + "word " * 40_000
    (workdir / "long.jsonl").write_text(json.dumps({"text": text, "label": [[0, 4, "kremlin-form"]]}) + "\n",
                                        encoding="utf-8")
    result = run("import-annotations", "long.jsonl", "--annotator", "m")
    assert result.exit_code == 0, result.output
    assert spans(db) == {("m", "term", "kremlin-form", "Kiev")}


# any JSON at all, in any place of any format: refused or read, never a traceback


def _json_values():
    from hypothesis import strategies as st

    leaves = st.none() | st.booleans() | st.integers(-5, 10 ** 6) | st.text(max_size=12) | st.sampled_from(
        ["text", "Kiev", "labels", "kremlin-form", "term", "accept", "\x1b[2J", "🐱"])
    keys = st.sampled_from(["text", "data", "annotations", "result", "value", "start", "end", "labels", "label",
                            "spans", "entities", "type", "from_name", "completed_by", "choices", "meta", "answer",
                            "accept", "cats", "id", "body", "target", "selector", "exact", "source", "creator",
                            "start_offset", "end_offset", "article", "quote", "annotator"])
    return st.recursive(leaves, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=6),
                        max_leaves=25)


def _shapes(fmt, value):
    """``value`` where each format looks: the whole record, and inside a record that is otherwise right."""
    if fmt == "label-studio":
        return [value, {"data": {"text": TEXT}, "annotations": [{"completed_by": value, "result": value}]},
                {"data": {"text": TEXT}, "annotations": [{"result": [{"type": "labels", "value": value}]}]}]
    if fmt == "w3c":
        return [value, {"type": "Annotation", "body": value, "target": value},
                {"type": "Annotation", "body": {"value": "kremlin-form", "purpose": "tagging"},
                 "target": {"source": "urn:annotator:article:x", "selector": value}}]
    return [value, {"text": TEXT, "label": value, "spans": value, "entities": value},
            {"text": TEXT, "spans": [value], "label": [value]}, {"article": value, "label": value, "quote": value}]


@pytest.mark.parametrize("fmt", ["label-studio", "doccano", "prodigy", "w3c", "jsonl"])
def test_any_json_is_refused_or_read_never_a_traceback(tmp_path, fmt):
    from hypothesis import HealthCheck, given, settings

    from annotator.codebook import find_codebook
    from annotator.errors import InputError
    from annotator.exchange.formats_in import ImportOptions, import_file

    store = Store(tmp_path / "f.db")
    book = find_codebook("ru-ua-framing")
    options = ImportOptions(load_book=lambda: book, owner="fuzz")

    @settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
    @given(_json_values())
    def check(value):
        path = tmp_path / "f.json"
        shapes = _shapes(fmt, value)
        if fmt in ("label-studio", "w3c"):
            path.write_text(json.dumps(shapes if fmt == "label-studio" else {"items": shapes}), encoding="utf-8")
        else:
            path.write_text("".join(json.dumps(shape) + "\n" for shape in shapes), encoding="utf-8")
        try:
            report = import_file(store, path, fmt, options)
        except InputError:
            return
        assert report.merge.refused >= 0

    check()


def test_the_command_offers_the_formats_and_units_the_readers_know():
    from annotator.commands import annotations_in
    from annotator.exchange.formats_in import FORMATS_IN
    from annotator.exchange.offsets import OFFSET_UNITS

    assert annotations_in.FORMATS_IN == FORMATS_IN and annotations_in.OFFSET_UNITS == OFFSET_UNITS


def test_hostile_brat_files_are_one_line_each(workdir, db):
    (workdir / "junk.zip").write_bytes(b"PK\x03\x04 not really a zip")
    result = run("import-annotations", "junk.zip")
    assert result.exit_code == 1 and "junk.zip: neither a brat folder nor a zip archive" in result.stderr
    assert "Traceback" not in result.stderr
    folder = workdir / "b"
    folder.mkdir()
    (folder / "bin.txt").write_bytes(b"Kiev\x00\x01")
    (folder / "bin.ann").write_text("T1\tLOC 0 4\tKiev\n", encoding="utf-8")
    (folder / "latin.txt").write_text("Kiev", encoding="utf-8")
    (folder / "latin.ann").write_bytes("T1\tLOC 0 4\tcafé\n".encode("latin-1"))
    (folder / "odd.txt").write_text("Kiev said it.", encoding="utf-8")
    (folder / "odd.ann").write_text("T1\tterm__kremlin-form 0 99999999999\tKiev\nT2\tterm__kremlin-form x y\tKiev\n"
                                    "junk line\n", encoding="utf-8")
    result = run("import-annotations", "b", "--annotator", "m")
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert "b:bin.ann: bin.txt: a binary file (NUL bytes)" in result.stderr
    assert "b:latin.ann: latin.ann: not UTF-8 text" in result.stderr
    assert "b:odd.ann:1: span 0..99999999999 is outside the text" in result.stderr
    assert "b:odd.ann:2: offsets 'x y' are not 'START END'" in result.stderr
    assert "b:odd.ann:3: not a brat standoff line" in result.stderr
    assert db.annotations() == []


def test_a_zip_without_brat_files_is_one_error(workdir, db):
    import zipfile

    with zipfile.ZipFile(workdir / "empty.zip", "w") as archive:
        archive.writestr("readme.txt", "nothing here")
    result = run("import-annotations", "empty.zip")
    assert result.exit_code == 1 and "empty.zip: no .ann files" in result.stderr
