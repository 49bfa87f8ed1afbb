"""annotator export: CSV, JSON lines and W3C Web Annotation, streamed from the store."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime

import pytest
from click.testing import CliRunner

from annotator.cli import main
from annotator.exchange.export import (CSV_COLUMNS, SCHEMA_FILE, ExportRecord, export, export_schema, render_export_schema,
                              sqlite_writes_json_as_python, write_csv, write_csv_fast, write_jsonl, write_jsonl_fast,
                              write_w3c, write_w3c_fast)
from annotator.models import ARTICLE_NOTE_CATEGORY, ARTICLE_NOTE_LABEL, Annotation
from annotator.store.export_queries import (CSV_ARTICLE_CELLS, CSV_HEAD_CELLS, CSV_TAIL_CELLS, EXPORT_ARTICLES, EXPORT_FIELDS,
                                            _export_csv_queries)

from tests.conftest import tag

HOSTILE = "[red]x[/] [@click=app.quit]q[/] \x1b[31mred\x1b[0m \x1b]0;owned\x07 \x9b2J \u202eevil\u2028end"


def articles(store):
    """The demo articles by publisher id."""
    return {r.publisher: store.article(r.id) for r in store.list_articles()}


def exported(store, fmt, **kwargs):
    out = io.StringIO(newline="")
    count = export(store, fmt, out, **kwargs)
    return count, out.getvalue()


def jsonl(store, **kwargs):
    return [json.loads(line) for line in exported(store, "jsonl", **kwargs)[1].splitlines()]


@pytest.fixture
def tagged(demo_store):
    """The demo store with a few tags of every kind."""
    by = articles(demo_store)
    press, yahoo, kyiv = by["press-tv"], by["yahoo-news"], by["kyiv-independent"]
    tag(demo_store, press, "Kiev", attributes={"voice": "own", "concept": "capital", "variant": "kiev"})
    tag(demo_store, press, "Moscow", label="neutral", attributes={"voice": "quoted"})
    tag(demo_store, press, category="tone", label="negative", note="why: the framing")
    tag(demo_store, press, category=ARTICLE_NOTE_CATEGORY, label=ARTICLE_NOTE_LABEL, note="check the date")
    tag(demo_store, yahoo, "Kremlin", annotator="olek")
    tag(demo_store, kyiv, "Zelensky", annotator="olek", codebook="policy-frames", label="x", category="y")
    gone = tag(demo_store, kyiv, "Putin", annotator="maria")
    demo_store.update_annotation(gone.uuid, deleted=True)
    return demo_store


# -- the record and its schema ------------------------------------------------------------------


def test_store_fields_model_and_schema_file_agree():
    assert EXPORT_FIELDS == tuple(ExportRecord.model_fields)
    assert SCHEMA_FILE.read_text(encoding="utf-8") == render_export_schema(), \
        "schemas/annotation-export.schema.json is stale: run python -m annotator.exchange.export"
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["required"] == list(EXPORT_FIELDS) and schema["additionalProperties"] is False
    assert "code-point" in schema["properties"]["start"]["description"]


def test_the_fast_csv_parts_line_up_with_the_csv_columns():
    # the fast path writes head, voice/concept/variant/attributes, tail, article: the header's order
    attributes = CSV_COLUMNS.index("attributes")
    head, tail = CSV_COLUMNS[:attributes - 3], CSV_COLUMNS[attributes + 1:attributes + 1 + len(CSV_TAIL_CELLS)]
    assert CSV_COLUMNS[attributes - 3:attributes + 1] == ("voice", "concept", "variant", "attributes")
    assert len(head) == len(CSV_HEAD_CELLS) and head[-1] == "text_sha256" and tail[0] == "note"
    assert CSV_COLUMNS[-len(CSV_ARTICLE_CELLS):] == EXPORT_FIELDS[EXPORT_FIELDS.index("publisher"):]
    assert len(CSV_COLUMNS) == len(CSV_HEAD_CELLS) + 4 + len(CSV_TAIL_CELLS) + len(CSV_ARTICLE_CELLS)


_KEYWORDS = {"$schema", "title", "description", "type", "properties", "required", "additionalProperties", "anyOf",
             "pattern", "minLength", "minimum", "enum", "const", "format", "default"}
_TYPES = {"string": str, "integer": int, "object": dict, "null": type(None), "array": list, "boolean": bool}


def _keywords(schema):
    if isinstance(schema, dict):
        for key, value in schema.items():
            yield key
            if key == "properties":
                for sub in value.values():
                    yield from _keywords(sub)
            elif key in ("anyOf",):
                for sub in value:
                    yield from _keywords(sub)
            elif key == "additionalProperties":
                yield from _keywords(value)


def schema_errors(instance, schema, path="$"):
    """A JSON Schema validator for the keywords the export schema uses (checked below)."""
    if "anyOf" in schema:
        if all(schema_errors(instance, sub, path) for sub in schema["anyOf"]):
            return [f"{path}: matches none of anyOf"]
        return []
    kind = schema.get("type")
    if kind and (not isinstance(instance, _TYPES[kind]) or (kind == "integer" and isinstance(instance, bool))):
        return [f"{path}: not {kind}"]
    errors = []
    if "enum" in schema and instance not in schema["enum"]:
        errors.append(f"{path}: not one of {schema['enum']}")
    if "const" in schema and instance != schema["const"]:
        errors.append(f"{path}: not {schema['const']!r}")
    if "pattern" in schema and not re.search(schema["pattern"], instance):
        errors.append(f"{path}: does not match {schema['pattern']}")
    if "minLength" in schema and len(instance) < schema["minLength"]:
        errors.append(f"{path}: too short")
    if "minimum" in schema and instance < schema["minimum"]:
        errors.append(f"{path}: below {schema['minimum']}")
    if schema.get("format") == "date-time":
        try:
            datetime.fromisoformat(instance)
        except ValueError:
            errors.append(f"{path}: not a date-time")
    if kind == "object":
        errors += [f"{path}: missing {k}" for k in schema.get("required", []) if k not in instance]
        extra = schema.get("additionalProperties", True)
        for key, value in instance.items():
            if key in schema.get("properties", {}):
                errors += schema_errors(value, schema["properties"][key], f"{path}.{key}")
            elif extra is False:
                errors.append(f"{path}: unexpected {key}")
            elif isinstance(extra, dict):
                errors += schema_errors(value, extra, f"{path}.{key}")
    return errors


def test_jsonl_records_validate_against_the_schema(tagged):
    schema = export_schema()
    assert set(_keywords(schema)) <= _KEYWORDS  # the validator above understands every keyword used
    records = jsonl(tagged)
    assert len(records) == 6
    for record in records:
        assert schema_errors(record, schema) == [], record
        ExportRecord.model_validate(record)
    # and the validator is not vacuous
    broken = dict(records[0], start="3", extra=1)
    del broken["label"]
    assert len(schema_errors(broken, schema)) == 3
    assert schema_errors(dict(records[0], published="July 2025"), schema)
    assert schema_errors(dict(records[0], origin="robot"), schema)


def test_records_carry_article_and_outlet_context(tagged):
    records = jsonl(tagged)
    by_quote = {r["quote"]: r for r in records if r["quote"]}
    press = by_quote["Kiev"]
    article = tagged.article(press["article_id"])
    assert press["quote"] == article.text[press["start"]:press["end"]]
    assert press["prefix"] == article.text[press["start"] - 32:press["start"]]
    assert press["text_sha256"] == article.text_sha256
    assert (press["publisher"], press["publisher_name"]) == ("press-tv", "Press TV")
    assert press["published"] == "2022-08-08" and press["url"] is None
    assert press["attributes"] == {"voice": "own", "concept": "capital", "variant": "kiev"}
    assert press["story"] == "kremlin-putin-zelensky-meeting" and press["language"] == "en"
    assert press["codebook"] == "ru-ua-framing" and press["codebook_version"] == "1"
    assert press["origin"] == "human" and press["created_at"] and press["updated_at"]
    yahoo = by_quote["Kremlin"]
    assert (yahoo["original_source"], yahoo["original_source_name"]) == ("the-hill", "The Hill")
    assert yahoo["url"].startswith("https://www.yahoo.com/")
    assert by_quote["Zelensky"]["published"] == "~2025-07"  # approximate, shown as stored


def test_only_live_annotations_in_article_then_start_then_creation_order(tagged):
    records = jsonl(tagged)
    assert "Putin" not in {r["quote"] for r in records}  # soft-deleted
    order = [r.id for r in tagged.list_articles()]
    keys = [(order.index(r["article_id"]), -1 if r["start"] is None else r["start"], r["created_at"]) for r in records]
    assert keys == sorted(keys)
    press = [r for r in records if r["publisher"] == "press-tv"]
    assert [r["category"] for r in press[:2]] == ["tone", ARTICLE_NOTE_CATEGORY]  # article-level first
    assert [r["quote"] for r in press[2:]] == sorted([r["quote"] for r in press[2:]],
                                                      key=lambda q: tagged.article(press[0]["article_id"]).text.index(q))


def test_filters_by_annotator_and_codebook(tagged):
    assert {r["annotator"] for r in jsonl(tagged, annotators=["olek"])} == {"olek"}
    assert len(jsonl(tagged, annotators=["olek", "maria"])) == 6
    assert jsonl(tagged, annotators=["nobody"]) == []
    assert [r["quote"] for r in jsonl(tagged, codebook="policy-frames")] == ["Zelensky"]
    assert len(jsonl(tagged, annotators=["olek"], codebook="ru-ua-framing")) == 1


# -- CSV ------------------------------------------------------------------------------------------


def test_csv_is_plain_utf8_rfc4180_with_the_header(tagged):
    tag(tagged, articles(tagged)["telesur"], category="tone", label="negative", note="Zelensky’s “talks”\nsecond line")
    count, text = exported(tagged, "csv")
    assert count == 7
    assert not text.startswith("\ufeff")
    assert text.split("\r\n", 1)[0] == ",".join(CSV_COLUMNS)
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == 7 and list(rows[0]) == list(CSV_COLUMNS)
    kiev = next(r for r in rows if r["quote"] == "Kiev")
    assert (kiev["voice"], kiev["concept"], kiev["variant"]) == ("own", "capital", "kiev")
    assert json.loads(kiev["attributes"]) == {"voice": "own", "concept": "capital", "variant": "kiev"}
    assert int(kiev["end"]) - int(kiev["start"]) == 4
    assert re.search(r",\d+,\d+,Kiev,", text)  # offsets are plain numbers, not quoted or guarded
    assert any(r["note"] == "Zelensky’s “talks”\nsecond line" for r in rows)
    kyiv = next(r for r in rows if r["quote"] == "Zelensky")
    assert kyiv["published"] == "~2025-07"
    assert {r["publisher_name"] for r in rows} >= {"Press TV", "Yahoo News"}


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_that_a_spreadsheet_would_run_are_prefixed(demo_store, start):
    article = articles(demo_store)["press-tv"]
    tag(demo_store, article, "Kiev", annotator=f"{start}HYPERLINK(\"http://x\")", label=f"{start}1+1",
        note=f"{start}cmd|' /C calc'!A0")
    [row] = list(csv.DictReader(io.StringIO(exported(demo_store, "csv")[1], newline="")))
    assert row["annotator"] == f"'{start}HYPERLINK(\"http://x\")"
    assert row["label"] == f"'{start}1+1"
    assert row["note"] == f"'{start}cmd|' /C calc'!A0"
    assert row["quote"] == "Kiev" and row["start"].isdigit()


def test_csv_on_a_terminal_shows_control_characters_as_escapes(tagged):
    [record] = [r for r in jsonl(tagged) if r["category"] == "tone"]
    record = dict(record, note=HOSTILE, annotator="\x1b[2Jeve")
    # a row as the store gives it: the fields, attributes as JSON, then published_approximate and attributes
    row = (*[json.dumps(record[f]) if f == "attributes" else record[f] for f in EXPORT_FIELDS], 0, None, None, None)
    out = io.StringIO()
    write_csv([row], out, terminal=True)
    assert "\x1b" not in out.getvalue() and "\x9b" not in out.getvalue() and "\u202e" not in out.getvalue()
    assert "\\x1b[31mred" in out.getvalue()
    exact = io.StringIO()
    write_csv([row], exact)  # a file keeps the exact text
    assert HOSTILE in exact.getvalue()


# Cells that CSV must quote, that a spreadsheet would run, that C code would cut short, and
# characters the fast writer uses internally (separator and marks).
NASTY = ["", "=1+1", "+x", "-x", "@x", "\tx", "\rx", "x\r\ny", 'a"b', "a,b", '"', ",", "\n", "'", " lead",
         "\x00nul", "nul\x00", "\x1c\x1d\x1e\x1f", "\x1d=", "ÿ\u00ff", "=a,\"b\"", "-5", "é,\"", HOSTILE]


def cell_by_cell(store, **filters):
    out = io.StringIO(newline="")
    write_csv(store.iter_annotation_export_rows(**filters), out)
    return out.getvalue()


def fast(store, **filters):
    out = io.StringIO(newline="")
    count = write_csv_fast(store, out, **filters)
    return count, out.getvalue()


def fill_with_hostile_cells(demo_store) -> None:
    """One tag per :data:`NASTY` value, the value in every text field, and hostile article and outlet fields."""
    by = articles(demo_store)
    press, yahoo = by["press-tv"], by["yahoo-news"]
    for i, nasty in enumerate(NASTY):
        other = NASTY[(i + 7) % len(NASTY)]
        # quote, prefix and suffix are cut from an article's text, which never holds a NUL (the
        # fast writer's printf() would end them there); every other text column may hold one
        cut, cut_other = nasty.replace("\x00", ""), other.replace("\x00", "")
        demo_store.upsert_annotations([Annotation(
            article_id=(press if i % 2 else yahoo).id, text_sha256=press.text_sha256, annotator=nasty or "a",
            codebook_id=nasty or "c", codebook_version=other, category=nasty or "t", label=other or "l",
            start=i, end=i + 1, quote=cut, prefix=cut_other, suffix=cut, note=nasty,
            attributes={"voice": nasty, "concept": other, "variant": nasty, nasty: other}, created=f"2025-01-{i + 1:02}")])
    conn = demo_store.conn
    conn.execute("UPDATE outlets SET name = ? WHERE id = 'press-tv'", ["=HYPERLINK(\"x\"),\n\x00"])
    conn.execute("UPDATE articles SET title = ?, url = ?, story = ?, language = ? WHERE id = ?",
                 ["-title, \"quoted\"", "@url\x1f", "\tstory\x00", "+", press.id])
    conn.execute("UPDATE annotations SET codebook_id = NULL WHERE label = 'x\r\ny'")  # the SQL join gives NULL
    conn.execute("UPDATE annotations SET start = -5, \"end\" = -2 WHERE annotator = 'a\"b'")  # numbers: not guarded
    conn.execute("UPDATE annotations SET attributes = '{\"voice\": \"\\u00fc\", \"b\": \"\u00e9\"}' WHERE annotator = ','")


def test_fast_csv_is_the_cell_by_cell_csv_for_hostile_cells_in_every_column(demo_store):
    fill_with_hostile_cells(demo_store)
    expected = cell_by_cell(demo_store)
    count, text = fast(demo_store)
    assert count == len(NASTY) and text == expected
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert {r["start"] for r in rows} >= {"-5"} and "'-x" in {r["annotator"] for r in rows}
    assert any(r["note"] == "nul\x00" for r in rows) and any(r["title"] == "'-title, \"quoted\"" for r in rows)
    for filters in ({"annotators": ["=1+1", "-x"]}, {"codebook": "@x"}, {"annotators": []}):
        assert fast(demo_store, **filters)[1] == cell_by_cell(demo_store, **filters)


def record_by_record(store, **filters):
    out = io.StringIO()
    write_jsonl(store.iter_annotation_exports(**filters), out)
    return out.getvalue()


def fast_jsonl(store, **filters):
    out = io.StringIO()
    count = write_jsonl_fast(store, out, **filters)
    return count, out.getvalue()


def test_fast_json_lines_are_the_record_by_record_ones_for_hostile_text_in_every_field(demo_store):
    fill_with_hostile_cells(demo_store)
    demo_store.conn.execute("UPDATE articles SET published = '2022-09', published_approximate = 1")  # "~2022-09"
    expected = record_by_record(demo_store)
    count, text = fast_jsonl(demo_store)
    assert count == len(NASTY) and text == expected
    records = [json.loads(line) for line in text.splitlines()]
    assert any(r["note"] == "nul\x00" for r in records) and {r["published"] for r in records} == {"~2022-09"}
    assert "\u202e" not in text and "\x85" not in text  # hidden characters are escaped, as dumps() does
    for filters in ({"annotators": ["=1+1", "-x"]}, {"codebook": "@x"}, {"annotators": []}):
        assert fast_jsonl(demo_store, **filters)[1] == record_by_record(demo_store, **filters)
    for filters in ({}, {"annotators": ["=1+1", "-x"]}, {"codebook": "@x"}, {"annotators": []}):  # Parquet's rows
        assert list(demo_store.iter_annotation_export_rows_fast(**filters)) == \
            list(demo_store.iter_annotation_export_rows(**filters))


def w3c_both(store, monkeypatch, **filters):
    """The record-by-record and the fast W3C collection (the collection's ids and time fixed)."""
    import annotator.exchange.json_out as export_module

    monkeypatch.setattr(export_module, "utc_now", lambda: "2026-01-01T00:00:00+00:00")
    monkeypatch.setattr(export_module.uuid_module, "uuid4", lambda: "fixed")
    slow, quick = io.StringIO(), io.StringIO()
    write_w3c(store.iter_annotation_exports(**filters), slow)
    count = write_w3c_fast(store, quick, **filters)
    return count, slow.getvalue(), quick.getvalue()


def test_fast_w3c_is_the_record_by_record_one_for_hostile_text_notes_and_urls(demo_store, monkeypatch):
    fill_with_hostile_cells(demo_store)
    by = articles(demo_store)
    note = demo_store.conn.execute("SELECT uuid FROM annotations LIMIT 1 OFFSET 3").fetchone()[0]
    demo_store.conn.execute("UPDATE annotations SET category = ?, start = NULL, \"end\" = NULL WHERE uuid = ?",
                            [ARTICLE_NOTE_CATEGORY, note])  # a note on the whole article: commenting
    demo_store.conn.execute("UPDATE annotations SET note = NULL, prefix = '', start = NULL WHERE annotator = '+x'")
    demo_store.conn.execute("UPDATE articles SET url = '' WHERE id = ?", [by["yahoo-news"].id])  # no URL: its URN
    count, slow, quick = w3c_both(demo_store, monkeypatch)
    assert count == len(NASTY) and quick == slow
    collection = json.loads(quick)
    motivations = {item["motivation"] for item in collection["first"]["items"]}
    assert motivations == {"commenting", "tagging", "classifying"} and collection["total"] == len(NASTY)
    for filters in ({"annotators": ["=1+1", "-x"]}, {"codebook": "@x"}, {"annotators": []}):
        _, slow, quick = w3c_both(demo_store, monkeypatch, **filters)
        assert quick == slow


def test_a_sqlite_whose_json_quote_differs_gets_the_record_by_record_export(demo_store, monkeypatch):
    fill_with_hostile_cells(demo_store)
    expected = record_by_record(demo_store)
    assert sqlite_writes_json_as_python(demo_store)
    monkeypatch.setattr(type(demo_store), "json_quote", lambda self, text: text)
    assert not sqlite_writes_json_as_python(demo_store)
    monkeypatch.setattr("annotator.exchange.export.write_jsonl_fast", None)  # never called now
    out = io.StringIO()
    assert export(demo_store, "jsonl", out) == len(NASTY) and out.getvalue() == expected


def test_fast_csv_and_json_lines_of_many_rows_over_batches_are_the_slow_ones(demo_store, monkeypatch):
    by = articles(demo_store)
    import random
    rng = random.Random(6)
    pool = [*NASTY, "plain", "two words", "Kiev", "x" * 300]
    demo_store.upsert_annotations(
        Annotation(article_id=article.id, text_sha256=article.text_sha256, annotator=rng.choice(["maria", "olek", "=x"]),
                   codebook_id="c", codebook_version="1", category="term", label=rng.choice(pool),
                   start=rng.randrange(50), end=60, quote=rng.choice(pool).replace("\x00", ""),
                   prefix=rng.choice(pool).replace("\x00", ""), suffix=rng.choice(pool).replace("\x00", ""),
                   note=rng.choice([None, *pool]), attributes={"voice": rng.choice(pool)},
                   created=f"2025-01-01T00:00:{rng.randrange(60):02}")
        for article in by.values() for _ in range(700))
    expected = cell_by_cell(demo_store)
    assert fast(demo_store)[1] == expected and expected.count("\r\n") > 2000
    # JSON lines and W3C too: batches of 2,000 rows end inside an article's 700 (its part is kept)
    assert fast_jsonl(demo_store)[1] == record_by_record(demo_store)
    _, slow, quick = w3c_both(demo_store, monkeypatch)
    assert quick == slow
    # the rows the Parquet export reads, each article's fields once: the same tuples
    assert list(demo_store.iter_annotation_export_rows_fast(batch=300)) == list(demo_store.iter_annotation_export_rows())
    assert not demo_store.conn.in_transaction  # the export's read snapshot is over
    assert demo_store.conn.execute(f"SELECT count(*) FROM {EXPORT_ARTICLES}").fetchone()[0] == 0


def test_fast_csv_reads_no_article_rows_but_the_tagged_ones_and_sorts_per_article(tagged):
    parts = tagged.iter_annotation_csv_parts()
    next(parts)  # the list of tagged articles exists now
    try:
        fill, articles_sql, annotations_sql, params = _export_csv_queries(None, None)
        plan = lambda sql, p: " | ".join(r[3] for r in tagged.conn.execute("EXPLAIN QUERY PLAN " + sql, p))
        assert "SCAN a USING COVERING INDEX sqlite_autoindex_articles_1" in plan(fill, params)  # ids, not rows
        annotations = plan(annotations_sql, params)
        assert "SCAN t" in annotations and "SCAN a" not in annotations and " a " not in annotations
        assert "TEMP B-TREE FOR ORDER BY" not in annotations, annotations  # only each article's tags are sorted
        assert "SEARCH a USING INTEGER PRIMARY KEY" in plan(articles_sql, [])
    finally:
        parts.close()


# -- W3C Web Annotation -------------------------------------------------------------------------


def test_w3c_collection_of_annotations_with_selectors_on_the_text(tagged):
    count, text = exported(tagged, "w3c")
    document = json.loads(text)
    assert document["@context"][0] == "http://www.w3.org/ns/anno.jsonld"
    assert document["type"] == "AnnotationCollection" and document["total"] == count == 6
    page = document["first"]
    assert page["type"] == "AnnotationPage" and page["startIndex"] == 0 and len(page["items"]) == 6
    records = {f"urn:uuid:{r['id']}": r for r in jsonl(tagged)}
    for item in page["items"]:
        record = records[item["id"]]
        assert item["type"] == "Annotation"
        assert item["creator"] == {"type": "Person", "name": record["annotator"]}
        assert item["created"] == record["created_at"] and item["modified"] == record["updated_at"]
        assert item["generator"]["type"] == "Software"
        assert item["target"]["source"] == (record["url"] or f"urn:annotator:article:{record['article_id']}")
        for body in item["body"]:
            assert body["type"] == "TextualBody"
        if record["start"] is None:
            assert "selector" not in item["target"]
            continue
        assert item["motivation"] == "tagging"
        assert item["body"][0] == {"type": "TextualBody", "purpose": "tagging", "value": record["label"]}
        quote, position = item["target"]["selector"]
        assert quote["type"] == "TextQuoteSelector" and position["type"] == "TextPositionSelector"
        text_of_article = tagged.article(record["article_id"]).text
        assert quote["exact"] == text_of_article[position["start"]:position["end"]]
        assert text_of_article[:position["start"]].endswith(quote.get("prefix", ""))
        assert text_of_article[position["end"]:].startswith(quote.get("suffix", ""))
    motivations = {records[i["id"]]["category"]: i for i in page["items"]}
    assert motivations["tone"]["motivation"] == "classifying"
    assert {"type": "TextualBody", "purpose": "commenting", "value": "why: the framing",
            "format": "text/plain"} in motivations["tone"]["body"]
    note = motivations[ARTICLE_NOTE_CATEGORY]
    assert note["motivation"] == "commenting" and [b["value"] for b in note["body"]] == ["check the date"]


def test_w3c_context_declares_the_annotator_prefix(tagged):
    """Every `annotator:` property must expand to an IRI of a declared namespace (JSON-LD 1.1:
    a prefix is a term whose IRI ends in a gen-delim character)."""
    document = json.loads(exported(tagged, "w3c")[1])
    anno, local = document["@context"]
    assert anno == "http://www.w3.org/ns/anno.jsonld" and local["@version"] == 1.1
    namespace = local["annotator"]
    assert isinstance(namespace, str) and ":" in namespace and namespace[-1] in ":/?#[]@"
    used = {key for item in document["first"]["items"] for key in item if key.startswith("annotator:")}
    assert used >= {"annotator:article", "annotator:label", "annotator:attributes"}
    assert local["annotator:attributes"] == {"@type": "@json"}  # kept as JSON, not read as linked data


def test_w3c_export_expands_with_a_json_ld_processor(tagged):
    """With pyld (not a dependency; skipped when absent), the annotator: properties expand into
    the declared namespace. The W3C context is stood in for by its few terms used here."""
    jsonld = pytest.importorskip("pyld.jsonld")
    anno = {"@context": {"id": "@id", "type": "@type", "oa": "http://www.w3.org/ns/oa#",
                         "as": "http://www.w3.org/ns/activitystreams#",
                         "first": {"@type": "@id", "@id": "as:first"},
                         "items": {"@type": "@id", "@id": "as:items", "@container": "@list"}}}

    def loader(url, options=None):
        assert url == "http://www.w3.org/ns/anno.jsonld", url
        return {"contextUrl": None, "documentUrl": url, "document": anno}

    document = json.loads(exported(tagged, "w3c")[1])
    expanded = jsonld.expand(document, {"documentLoader": loader})
    items = expanded[0]["http://www.w3.org/ns/activitystreams#first"][0]["http://www.w3.org/ns/activitystreams#items"][0]
    namespace = document["@context"][1]["annotator"]
    for item in items["@list"]:
        assert namespace + "article" in item and namespace + "attributes" in item
        assert not any(key.startswith("annotator:") for key in item)  # nothing left as an undeclared prefix


def test_w3c_of_nothing_is_an_empty_collection(demo_store):
    document = json.loads(exported(demo_store, "w3c")[1])
    assert document["total"] == 0 and document["first"]["items"] == []


# -- hostile text -----------------------------------------------------------------------------


def test_hostile_text_survives_json_exactly_and_reaches_no_terminal(demo_store):
    article = articles(demo_store)["press-tv"]
    tag(demo_store, article, "Kiev", annotator="eve " + HOSTILE, note=HOSTILE)
    for fmt in ("jsonl", "w3c"):
        text = exported(demo_store, fmt)[1]
        assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u202e]", text), fmt  # only \n raw
        assert "[red]x[/]" in text  # markup is just text
    [record] = jsonl(demo_store)
    assert record["note"] == HOSTILE and record["annotator"] == "eve " + HOSTILE
    item = json.loads(exported(demo_store, "w3c")[1])["first"]["items"][0]
    assert item["creator"]["name"] == "eve " + HOSTILE
    result = CliRunner().invoke(main, ["export"], catch_exceptions=False)
    assert result.exit_code == 0 and "\x1b" not in result.stdout
    assert json.loads(result.stdout)["note"] == HOSTILE


# -- the command -------------------------------------------------------------------------------


def run(*args, **kwargs):
    return CliRunner().invoke(main, list(args), **kwargs)


def test_command_writes_every_format_to_stdout_or_a_file(tagged, workdir):
    for fmt in ("csv", "jsonl", "w3c"):
        to_stdout = run("export", "--format", fmt, catch_exceptions=False)
        assert to_stdout.exit_code == 0 and to_stdout.stderr == ""
        to_file = run("export", "--format", fmt, "--out", f"tags.{fmt}", catch_exceptions=False)
        assert to_file.exit_code == 0 and f"Exported 6 annotation(s) to tags.{fmt}" in to_file.stdout
        saved = (workdir / f"tags.{fmt}").read_bytes()
        if fmt != "w3c":  # (w3c has a fresh id and time per export)
            assert saved == to_stdout.stdout_bytes
        assert saved.decode("utf-8")
    assert (workdir / "tags.csv").read_bytes().count(b"\r\n") >= 7
    olek = run("export", "--annotator", "olek", "--codebook", "ru-ua-framing")
    assert [json.loads(line)["quote"] for line in olek.stdout.splitlines()] == ["Kremlin"]
    assert run("export", "--format", "xml").exit_code == 2


def test_bad_out_paths_are_one_error_line(tagged, workdir):
    missing = run("export", "--out", "no/such/folder/tags.csv")
    assert missing.exit_code == 2
    assert missing.stderr.splitlines() == ["error: --out no/such/folder/tags.csv: no such folder no/such/folder"]
    (workdir / "folder").mkdir()
    assert run("export", "--out", "folder").exit_code == 2
    assert list((workdir / "folder").iterdir()) == []


def test_a_failed_export_leaves_the_old_file_and_no_half_file(tagged, workdir, monkeypatch):
    (workdir / "tags.json").write_text("the previous export", encoding="utf-8")

    def broken(text):  # the disk fills up after the collection's opening is written
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("annotator.exchange.json_out._escaped_utf8", broken)
    result = run("export", "--format", "w3c", "--out", "tags.json")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == ["error: --out tags.json: cannot write (No space left on device)"]
    assert (workdir / "tags.json").read_text(encoding="utf-8") == "the previous export"
    assert sorted(p.name for p in workdir.iterdir() if p.name.startswith(".")) == []


def test_the_hidden_characters_are_found_in_utf8_bytes_as_in_text():
    """The fast JSON-lines export looks for normalize.HIDDEN_RE's characters in the line's UTF-8
    bytes, its ASCII deleted first: every code point is found exactly when the text regex finds it."""
    from annotator.exchange.json_out import _ASCII_BUT_DEL, HIDDEN_UTF8
    from annotator.normalize import HIDDEN_RE

    points = [chr(i) for i in range(0x110000) if not 0xD800 <= i <= 0xDFFF]
    found_in_text = {c for c in points if HIDDEN_RE.search(c)}
    found_in_bytes = {c for c in points if HIDDEN_UTF8.search(c.encode("utf-8").translate(None, _ASCII_BUT_DEL))}
    assert found_in_bytes == found_in_text and len(found_in_text) > 150
    # characters around a hidden one never make or hide a match once the ASCII is deleted
    mixed = "a\u00e9\u202e\u00e9b\u2028c\U000e0041d\u0085".encode()
    assert len(HIDDEN_UTF8.findall(mixed.translate(None, _ASCII_BUT_DEL))) == 4
