"""`annotator stats` and `annotator agreement` as a user runs them."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from annotator.cli import main
from tests.report_fixture import build


@pytest.fixture
def db(tmp_path):
    store, _ = build(tmp_path / "p")
    return str(store.path)


def run(*args):
    return CliRunner(env={"COLUMNS": "200"}).invoke(main, list(args), catch_exceptions=False)


def test_stats_table_names_the_counting_choice_and_shows_markup_as_text(db):
    result = run("--db", db, "stats")
    assert result.exit_code == 0, result.output
    assert "every annotator's tags" in result.output and "'gold' left out" in result.output
    assert "[bold]Beta[/bold] Post" in result.output  # an outlet name is never markup
    one = run("--db", db, "stats", "--count", "alice")
    assert "only the tags of 'alice'" in one.output
    gold = run("--db", db, "stats", "--count", "adjudicated")
    assert "adjudicated tags only" in gold.output


def test_stats_csv_json_and_markdown_agree(db, tmp_path):
    csv_text = run("--db", db, "stats", "--format", "csv").output
    records = list(csv.DictReader(io.StringIO(csv_text)))
    row = next(r for r in records if r["outlet_id"] == "beta-post" and r["label"] == "ukraine-west-form"
               and r["voice"] == "all")
    assert (row["tags"], float(row["per_1000_words"])) == ("3", 7.5)
    data = json.loads(run("--db", db, "stats", "--format", "json").output)
    assert data["counting"].startswith("every annotator")
    rows = data["tables"]["labels_by_outlet"]["rows"]
    assert {r["tags"] for r in rows if r["outlet_id"] == "beta-post" and r["voice"] == "all"} == {3}
    out = tmp_path / "stats.md"
    result = run("--db", db, "stats", "--by", "all", "--format", "md", "--out", str(out))
    assert result.exit_code == 0 and result.output == ""
    markdown = out.read_text(encoding="utf-8")
    for title in ("Span labels per outlet", "Term variants per outlet and concept", "Article questions per outlet",
                  "Annotators' progress", "Span labels per story and outlet", "Span labels over all outlets"):
        assert f"## {title}" in markdown
    assert "\\[bold\\]Beta" not in markdown and "[bold]Beta[/bold] Post" in markdown


def test_several_tables_in_one_csv_carry_a_table_column(db):
    records = list(csv.DictReader(io.StringIO(run("--db", db, "stats", "--by", "outlet,answers", "--format", "csv").output)))
    assert {r["table"] for r in records} == {"labels_by_outlet", "answers_by_outlet"}


def test_stats_bad_arguments_get_one_line_and_exit_2(db, tmp_path):
    for args, expected in ((["--by", "mood"], "--by 'mood'"), (["--since", "2022-13"], "--since '2022-13'"),
                           (["--count", "carol"], "--count 'carol': no annotations by that name")):
        result = CliRunner().invoke(main, ["--db", db, "stats", *args])
        assert result.exit_code == 2, (args, result.output)
        assert expected in result.stderr and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    missing = CliRunner().invoke(main, ["--db", str(tmp_path / "nope.db"), "stats"])
    assert missing.exit_code == 1 and "no such database" in missing.stderr
    assert not (tmp_path / "nope.db").exists()


def test_unwritable_out_fails_without_leaving_a_file(db, tmp_path):
    target = tmp_path / "no-such-folder" / "stats.csv"
    result = CliRunner().invoke(main, ["--db", db, "stats", "--format", "csv", "--out", str(target)])
    assert result.exit_code == 1 and "--out" in result.stderr
    assert not target.parent.exists()


def test_agreement_reports_alpha_kappa_and_the_data_behind_them(db):
    data = json.loads(run("--db", db, "agreement", "--format", "json").output)
    alpha = {r["item"]: r for r in data["tables"]["alpha"]["rows"]}
    assert "term/ukraine-west-form" not in alpha  # span labels are scored by position, not present/absent
    assert alpha["tone"]["units"] == 2
    spans = {(r["label"], r["match"]): r for r in data["tables"]["span_f1"]["rows"]}
    # A1: both tagged Kiev, alice also Kyiv; B1: both tagged Kyiv, alice also invasion
    assert (spans[("", "exact")]["matched"], spans[("", "exact")]["only_a"], spans[("", "exact")]["only_b"]) == (2, 2, 0)
    assert {r["measure"] for r in data["tables"]["span_alpha"]["rows"]} == {"u-alpha", "cu-alpha"}
    kappa = data["tables"]["kappa"]["rows"]
    assert {(r["annotator_a"], r["annotator_b"]) for r in kappa} == {("alice", "bob")}
    table = run("--db", db, "agreement")
    assert table.exit_code == 0 and "Krippendorff's alpha" in table.output and "Cohen's kappa" in table.output
    assert "Cohen's kappa" not in run("--db", db, "agreement", "--no-pairs").output
    bad = CliRunner().invoke(main, ["--db", db, "agreement", "--annotators", "alice,zed"])
    assert bad.exit_code == 2 and "'zed'" in bad.stderr


def test_hostile_annotator_names_never_reach_the_terminal_raw(db):
    from annotator.models import Annotation
    from annotator.store import Store

    store = Store(db)
    article = next(store.iter_current_articles())
    evil = "\x1b[2J[red]mallory[/red]\x07"
    store.add_annotation(Annotation(article_id=article.id, text_sha256=article.text_sha256, annotator=evil,
                                    codebook_id="ru-ua-framing", codebook_version="1", category="tone", label="pro"))
    for fmt in ("table", "csv", "md", "json"):
        result = run("--db", db, "stats", "--by", "annotator", "--format", fmt)
        assert result.exit_code == 0, result.output
        assert "\x1b" not in result.output and "\x07" not in result.output, fmt
        assert "[red]mallory[/red]" in result.output, fmt  # shown as written, not as markup
    names = [r["annotator"] for r in json.loads(run("--db", db, "stats", "--by", "annotator", "--format", "json").output)
             ["tables"]["annotator_progress"]["rows"]]
    assert evil in names  # JSON keeps the exact name (control characters escaped by JSON itself)


def test_out_file_gets_ordinary_permissions(db, tmp_path):
    import os
    import stat

    out = tmp_path / "stats.csv"
    umask = os.umask(0o022)
    try:
        assert run("--db", db, "stats", "--format", "csv", "--out", str(out)).exit_code == 0
    finally:
        os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_export_then_import_into_a_fresh_database_gives_the_same_statistics(db, tmp_path):
    from annotator.ingest.importer import import_paths
    from annotator.store import Store

    project = tmp_path / "p"
    fresh = tmp_path / "fresh.db"
    assert import_paths(Store(fresh), [project / "articles.jsonl"], registry_path=project / "outlets.yaml").ok
    exported = tmp_path / "tags.jsonl"
    assert run("--db", db, "export", "--format", "jsonl", "--out", str(exported)).exit_code == 0
    assert run("--db", str(fresh), "import-annotations", str(exported)).exit_code == 0

    def report(database, command, *args):
        data = json.loads(run("--db", database, command, *args, "--format", "json").output)
        data.pop("database")
        return data

    for count in ("all", "adjudicated", "alice"):
        assert report(str(fresh), "stats", "--by", "all", "--count", count) == \
            report(db, "stats", "--by", "all", "--count", count)
    assert report(str(fresh), "agreement") == report(db, "agreement")


def test_the_readme_worked_example_still_imports_and_counts(demo_dir):
    """README "Worked example": examples/demo-annotations.jsonl must fit the demo corpus as
    imported today (its article ids are hashes of the canonical texts)."""
    from pathlib import Path

    example = Path(__file__).resolve().parent.parent.parent / "examples" / "demo-annotations.jsonl"
    assert run("import", "corpus").exit_code == 0
    result = run("import-annotations", str(example))
    assert result.exit_code == 0, result.output
    assert "106 added" in result.output and "0 refused" in result.output
    data = json.loads(run("stats", "--by", "concept", "--count", "alice", "--format", "json").output)
    rows = {(r["outlet_id"], r["variant"], r["voice"]): r for r in data["tables"]["concept_variants"]["rows"]}
    assert rows[("press-tv", "kiev", "all")]["share_in_concept"] == 1.0
    assert rows[("kyiv-independent", "kyiv", "all")]["share_in_concept"] == 1.0
    alpha = {r["item"]: r for r in json.loads(run("agreement", "--format", "json").output)["tables"]["alpha"]["rows"]}
    assert round(alpha["tone"]["alpha"], 3) == 0.794 and alpha["tone"]["level"] == "ordinal"
