import json
import sqlite3

from click.testing import CliRunner

from annotator.cli import main


def run(*args):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result


def test_first_run_builds_database_from_demo_corpus_and_lists_articles(demo_dir):
    result = run()
    assert result.exit_code == 0, result.output
    assert "Imported 5 new article(s)" in result.output
    assert "not a terminal: listing the articles" in result.output  # CliRunner is no terminal: no TUI
    assert "Kremlin" in result.output
    rows = json.loads(run("articles", "--json").output)
    publishers = {r["publisher"] for r in rows}
    assert publishers == {"press-tv", "yahoo-news", "daily-herald", "telesur", "kyiv-independent"}
    conn = sqlite3.connect(demo_dir / "annotations.db")
    names = {r[0] for r in conn.execute(
        "SELECT o.name FROM articles a JOIN outlets o ON o.id = a.publisher")}
    assert names == {"Press TV", "Yahoo News", "Daily Herald", "teleSUR", "The Kyiv Independent"}


def test_second_run_imports_nothing_new(demo_dir):
    run()
    again = run("import", "corpus")
    assert again.exit_code == 0
    assert "Imported 0 new article(s), 0 new version(s); 5 duplicate(s) skipped; 0 rejected" in again.output
    assert len(json.loads(run("articles", "--json").output)) == 5


def test_seed_texts_are_free_of_page_chrome(demo_dir):
    run()
    rows = {r["publisher"]: r["id"] for r in json.loads(run("articles", "--json").output)}
    text = lambda outlet: json.loads(run("show", rows[outlet], "--json").output)["text"]
    assert "Oops!" not in text("yahoo-news")
    assert "alternate addresses" not in text("press-tv")
    assert "Negotiations in Istanbul: will expectations meet reality?" not in text("kyiv-independent")


def test_demo_manifest_facts_reach_the_articles(demo_dir):
    run()
    rows = {r["publisher"]: r for r in json.loads(run("articles", "--json").output)}
    yahoo = json.loads(run("show", rows["yahoo-news"]["id"], "--json").output)
    assert yahoo["original_source"] == "the-hill" and "original_source" in yahoo["unverified"]
    assert yahoo["published"] == {"value": "2022-03-21", "approximate": False}
    assert yahoo["publisher_outlet"]["name"] == "Yahoo News"
    ki = json.loads(run("show", rows["kyiv-independent"]["id"], "--json").output)
    assert ki["published"] == {"value": "2025-07", "approximate": True}


def test_show_prints_text_beside_outlet_card(demo_dir):
    run()
    rows = {r["publisher"]: r["id"] for r in json.loads(run("articles", "--json").output)}
    out = CliRunner().invoke(main, ["show", rows["press-tv"]], terminal_width=140).output
    assert "Islamic Republic of Iran Broadcasting" in out and "Ofcom" in out
    assert "special military operation" in out
    assert "(unverified)" in out  # the inferred date


def test_outlets_lists_the_registry(demo_dir):
    run()
    outlets = json.loads(run("outlets", "--json").output)
    ids = {o["id"] for o in outlets}
    assert {"press-tv", "telesur", "rt", "sputnik", "tass", "ap", "reuters", "bbc", "al-jazeera"} <= ids
    telesur = next(o for o in outlets if o["id"] == "telesur")
    assert telesur["state_affiliation"] == "multi-state" and "sanctions" in telesur["unverified"]
    assert all(r["as_of"]["value"] and r["rater"] for o in outlets for r in o["ratings"])


def test_markup_and_escapes_in_titles_are_shown_literally(workdir):
    (workdir / "evil.json").write_text(json.dumps({
        "title": "[bold red]Fake[/] [@click=app.quit]x[/] \x1b[2J\x1b]0;owned\x07",
        "text": "Body with [/x] closing tag and \x1b[31mred\x1b[0m escape."}), encoding="utf-8")
    assert run("import", "evil.json").exit_code == 0
    listing = run("articles").output
    assert "[bold red]Fake[/]" in listing and "\x1b" not in listing
    article_id = json.loads(run("articles", "--json").output)[0]["id"]
    shown = run("show", article_id).output
    assert "[/x]" in shown and "\x1b" not in shown


def test_unknown_article_is_one_clear_line(demo_dir):
    run()
    result = CliRunner().invoke(main, ["show", "nope"])
    assert result.exit_code == 1
    assert "no article 'nope'" in result.output and "Traceback" not in result.output


def test_db_option_is_honoured(demo_dir):
    run("import", "--db", "other.db", "corpus")
    assert (demo_dir / "other.db").exists() and not (demo_dir / "annotations.db").exists()
    assert len(json.loads(run("--db", "other.db", "articles", "--json").output)) == 5


def test_a_folder_as_database_is_refused_clearly(demo_dir):
    (demo_dir / "dbdir").mkdir()
    result = CliRunner().invoke(main, ["articles", "--db", "dbdir"])
    assert result.exit_code != 0 and "Traceback" not in result.output


def test_group_options_reach_the_subcommand(demo_dir):
    run()
    [article] = [r["id"] for r in json.loads(run("articles", "--json").output) if r["publisher"] == "press-tv"]
    unknown = CliRunner().invoke(main, ["--codebook", "no-such-codebook", "suggest", article])
    assert unknown.exit_code == 1 and "no codebook 'no-such-codebook'" in unknown.stderr
    other = CliRunner().invoke(main, ["--codebook", "policy-frames", "suggest", article, "--json"])
    assert other.exit_code == 0 and json.loads(other.output) == []  # policy frames have no lexicon


def test_article_ids_are_found_in_any_case(demo_dir):
    run()
    article = json.loads(run("articles", "--json").output)[0]["id"]
    shown = run("show", article[:6].upper(), "--json")
    assert shown.exit_code == 0 and json.loads(shown.output)["id"] == article


def test_long_article_lists_stream_as_plain_lines(demo_dir, monkeypatch):
    import annotator.cli as cli

    run()
    monkeypatch.setattr(cli, "TABLE_LIMIT", 2)
    lines = run("articles").output.splitlines()
    assert lines[0].startswith("5 articles") and len(lines) == 6
    assert any("The Kyiv Independent: Kremlin indicates Putin-Zelensky meeting" in line for line in lines)


def test_reading_commands_do_not_create_a_missing_database(workdir):
    for args in (["articles"], ["outlets"], ["show", "abcd"], ["suggest", "abcd"], ["codebook", "orphans"]):
        result = CliRunner().invoke(main, ["--db", "typo.db", *args])
        assert result.exit_code == 1 and "typo.db: no such database" in result.stderr, args
    assert not (workdir / "typo.db").exists()


def test_import_refuses_an_encoding_that_is_not_for_text(demo_dir):
    result = CliRunner().invoke(main, ["import", "corpus", "--encoding", "rot13"])
    assert result.exit_code == 2 and "not a text encoding" in result.stderr


def test_annotator_given_before_tui_is_the_name_on_the_tags(demo_dir, monkeypatch):
    import annotator.tui.app as tui_app
    from annotator.tui.opening import open_session

    run()
    opened = {}

    def fake_run(self):  # what the TUI opens after its first frame
        session = open_session(self.request)
        opened.update(name=session.annotator, codebook=session.codebook.id)

    monkeypatch.setattr(tui_app.AnnotatorApp, "run", fake_run)
    result = CliRunner().invoke(main, ["--annotator", "bob", "--codebook", "policy-frames", "tui"])
    assert result.exit_code == 0, result.output
    assert opened == {"name": "bob", "codebook": "policy-frames"}


def test_help_says_which_commands_create_a_missing_database():
    runner = CliRunner(env={"COLUMNS": "200"})
    for command in (["articles"], ["outlets"], ["show"], ["stats"], ["agreement"], ["export"], ["suggest"],
                    ["import-annotations"], ["codebook", "orphans"]):
        text = " ".join(runner.invoke(main, [*command, "--help"]).output.split())
        assert "created" not in text and "it must exist" in text, command
    for command in (["import"], ["tui"]):
        text = " ".join(runner.invoke(main, [*command, "--help"]).output.split())
        assert "created when missing" in text, command


def test_a_short_or_ambiguous_article_prefix_says_so(workdir):
    import hashlib

    # two texts whose ids (the SHA-256 of the canonical text) share their first 4 hex digits
    seen: dict[str, str] = {}
    for n in range(100_000):
        text = f"Article number {n} about the war."
        prefix = hashlib.sha256(text.encode()).hexdigest()[:4]
        if prefix in seen:
            texts = [seen[prefix], text]
            break
        seen[prefix] = text
    (workdir / "a.jsonl").write_text("\n".join(json.dumps({"title": t, "text": t}) for t in texts), encoding="utf-8")
    assert run("import", "a.jsonl").exit_code == 0
    ids = [r["id"] for r in json.loads(run("articles", "--json").output)]
    assert {i[:4] for i in ids} == {prefix}  # the ids are the hashes' first digits, as the README says
    for command in ("show", "suggest"):
        short = CliRunner().invoke(main, [command, prefix[:2]])
        assert short.exit_code == 2 and "at least 4 characters" in short.stderr, command
        ambiguous = CliRunner().invoke(main, [command, prefix])
        assert ambiguous.exit_code == 2 and "ambiguous" in ambiguous.stderr, command
        assert ids[0] in ambiguous.stderr and ids[1] in ambiguous.stderr
        assert CliRunner().invoke(main, [command, ids[1][:8], "--json"]).exit_code == 0


def _database_files(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("annotations.db"))


def test_first_run_without_a_corpus_leaves_nothing_and_says_what_to_do(workdir):
    result = CliRunner().invoke(main, [])
    assert result.exit_code == 1
    assert "annotator import PATH" in result.stderr and "--db" in result.stderr and "repository folder" in result.stderr
    assert result.stderr.count("\n") == 1
    assert _database_files(workdir) == []


def test_first_run_on_a_corpus_of_bad_files_leaves_no_database(workdir):
    (workdir / "corpus").mkdir()
    (workdir / "corpus" / "empty.txt").write_text("", encoding="utf-8")
    (workdir / "corpus" / "binary.txt").write_bytes(b"\x00\x01\x02binary")
    result = CliRunner().invoke(main, [])
    assert result.exit_code == 1 and "rejected" in result.output
    assert _database_files(workdir) == []


def test_an_import_that_stores_nothing_leaves_no_new_database(workdir):
    (workdir / "empty.txt").write_text("", encoding="utf-8")
    (workdir / "good.txt").write_text("A title\n\nSome text about the war.", encoding="utf-8")
    rejected = CliRunner().invoke(main, ["import", "empty.txt"])
    assert rejected.exit_code == 1 and "note: no article was imported, so annotations.db was not created" in rejected.stdout
    assert "outlet(s) added" not in rejected.stdout  # a summary that does not contradict the note
    assert _database_files(workdir) == []
    for wrong in (["--manifest", "missing.yaml"], ["--encoding", "rot13"], ["--registry", "nope.yaml"]):
        assert CliRunner().invoke(main, ["import", "good.txt", *wrong]).exit_code == 2, wrong
        assert _database_files(workdir) == [], wrong
    assert CliRunner().invoke(main, ["import", "good.txt"]).exit_code == 0
    assert "annotations.db" in _database_files(workdir)
    again = CliRunner().invoke(main, ["import", "empty.txt"])  # the database existed: it stays
    assert again.exit_code == 1 and "was not created" not in again.output
    assert "annotations.db" in _database_files(workdir)


def test_tui_that_cannot_open_leaves_no_new_database(workdir, monkeypatch):
    """`annotator tui --db new.db` with an unknown codebook: the TUI closes with one error line,
    and the database it would have created is not there."""
    import annotator.tui.app as tui_app
    from annotator.tui.opening import OpenError, open_session

    def fake_run(self):  # what the TUI does after its first frame, without a terminal
        try:
            open_session(self.request)
        except OpenError as exc:
            self.open_error = str(exc)

    monkeypatch.setattr(tui_app.AnnotatorApp, "run", fake_run)
    result = CliRunner().invoke(main, ["tui", "--db", "new.db", "--codebook", "no-such-codebook"])
    assert result.exit_code == 1 and "no codebook 'no-such-codebook'" in result.stderr
    assert not any(p.name.startswith("new.db") for p in workdir.iterdir())
