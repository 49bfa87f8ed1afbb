"""The outlet registry as a team uses it: the shipped registry in every database (never over
a user's edits), unknown publishers imported under new outlets with a note, and
`annotator outlets add|edit|show|load|merge` with every change recorded."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
import yaml

from annotator.outlets.registry import FACT_FIELDS, SHIPPED_REGISTRY, OutletIndex, load_registry
from annotator.store import schema
from tests.conftest import run_as_team as run

PUBLISHERS = ["TASS", "Reuters", "BBC News", "Al Jazeera", "Sputnik", "Ukrainska Pravda", "Meduza",
              "Ostrava Evening Lantern"]  # the last one is made up


pytestmark = pytest.mark.usefixtures("as_alice")


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def record(number: int, publisher: str | None = None, **more) -> dict:
    data = {"title": f"Report {number}", "text": f"Report number {number} on the talks in Istanbul.",
            "url": f"https://www.site{number}.example/report", **more}
    if publisher is not None:
        data["publisher"] = publisher
    return data


def outlets_by_id() -> dict[str, dict]:
    return {o["id"]: o for o in json.loads(run("outlets", "--json").output)}


def publishers_by_title() -> dict[str, str]:
    return {a["title"]: a["publisher"] for a in json.loads(run("articles", "--json").output)}


def notes(result) -> list[str]:
    return [line for line in result.output.splitlines() if line.startswith("note: ")]


def show_json(outlet_id: str, *more: str) -> dict:
    result = run("outlets", "show", outlet_id, "--json", *more)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def one_error(result) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    return lines[0]


# -- 3. unknown publishers ------------------------------------------------------------------


def test_a_corpus_of_known_and_unknown_publishers_imports_entirely(workdir):
    write_jsonl(workdir / "team.jsonl", [record(n, p) for n, p in enumerate(PUBLISHERS)])
    result = run("import", "team.jsonl")
    assert result.exit_code == 0, result.output
    assert f"Imported {len(PUBLISHERS)} new article(s)" in result.output
    shipped = OutletIndex(load_registry(SHIPPED_REGISTRY))
    stored, filed = outlets_by_id(), publishers_by_title()
    unknown = [p for p in PUBLISHERS if shipped.find(p) is None]
    assert "Ostrava Evening Lantern" in unknown and "TASS" not in unknown
    for number, publisher in enumerate(PUBLISHERS):
        outlet_id = filed[f"Report {number}"]
        if publisher not in unknown:
            assert outlet_id == shipped.find(publisher)  # "BBC News" is the BBC, "TASS" is tass
            continue
        outlet = stored[outlet_id]
        assert outlet["name"] == publisher
        assert outlet["domains"] == [f"site{number}.example"]
        assert set(outlet["unverified"]) == set(FACT_FIELDS) and outlet["country"] is None
        [note] = [n for n in notes(result) if f"unknown publisher {publisher!r}" in n]
        assert f"`annotator outlets edit {outlet_id} " in note and "did you mean" not in note
    assert len(notes(result)) == len(unknown)
    lantern = stored[filed[f"Report {PUBLISHERS.index('Ostrava Evening Lantern')}"]]
    assert lantern["id"] == "ostrava-evening-lantern"


def test_the_same_unknown_name_makes_one_outlet_and_a_rejected_record_none(workdir):
    write_jsonl(workdir / "a.jsonl", [record(1, "Lantern Daily"), record(2, "lantern daily"),
                                      record(3, "Gone Gazette", published="2022-02-30")])
    result = run("import", "a.jsonl")
    assert result.exit_code == 1  # the third record: an impossible date
    assert len(notes(result)) == 1
    assert set(publishers_by_title().values()) == {"lantern-daily"}
    assert "gone-gazette" not in outlets_by_id()
    write_jsonl(workdir / "b.jsonl", [record(4, "Lantern Daily")])
    again = run("import", "b.jsonl")
    assert again.exit_code == 0 and not notes(again)  # known now: no second outlet, no note
    assert publishers_by_title()["Report 4"] == "lantern-daily"


def test_a_name_close_to_a_known_outlet_names_it_and_the_command_to_use_it(workdir):
    write_jsonl(workdir / "a.jsonl", [record(1, "Reuter"), record(2, "Al-Jazeera English"),
                                      record(3, "Lantern Daily", original_source="Asociated Press")])
    result = run("import", "a.jsonl")
    assert result.exit_code == 0, result.output
    by_name = {name: [n for n in notes(result) if f"{name!r}" in n] for name in
               ("Reuter", "Al-Jazeera English", "Asociated Press", "Lantern Daily")}
    assert "did you mean 'reuters' (Reuters)?" in by_name["Reuter"][0]
    assert "`annotator outlets merge reuter --into reuters`" in by_name["Reuter"][0]
    assert "did you mean 'al-jazeera' (Al Jazeera)?" in by_name["Al-Jazeera English"][0]
    assert "unknown original_source 'Asociated Press'" in by_name["Asociated Press"][0]
    assert "did you mean 'ap' (Associated Press)?" in by_name["Asociated Press"][0]
    assert "did you mean" not in by_name["Lantern Daily"][0]
    # the command the note gives: the articles move to Reuters, and "Reuter" is known from then on
    merged = run("outlets", "merge", "reuter", "--into", "reuters")
    assert merged.exit_code == 0, merged.output
    assert publishers_by_title()["Report 1"] == "reuters"
    assert "reuter" not in outlets_by_id() and "Reuter" in outlets_by_id()["reuters"]["aliases"]
    write_jsonl(workdir / "b.jsonl", [record(4, "Reuter")])
    again = run("import", "b.jsonl")
    assert not notes(again) and publishers_by_title()["Report 4"] == "reuters"


def test_a_new_outlet_name_never_reaches_the_terminal_raw(workdir):
    write_jsonl(workdir / "a.jsonl", [record(1, "Evil\x1b[2J\u202eNews")])
    result = run("import", "a.jsonl")
    assert result.exit_code == 0
    assert "\x1b" not in result.output and "\u202e" not in result.output
    assert "\x1b" not in run("outlets", "show", "evil-2j-news").output


# -- 1. the shipped registry in every database --------------------------------------------------


def test_a_new_database_holds_the_shipped_registry(workdir):
    write_jsonl(workdir / "a.jsonl", [record(1)])
    assert run("import", "a.jsonl").exit_code == 0
    assert {o.id for o in load_registry(SHIPPED_REGISTRY)} <= set(outlets_by_id())


def _schema_8_database(path: Path, outlets: list[dict]) -> None:
    """A database as annotator made it before outlet history (schema 8), holding ``outlets``."""
    import sqlite_utils

    db = sqlite_utils.Database(path)
    for migration in schema.MIGRATIONS[:8]:
        migration(db)
    for o in outlets:
        db.conn.execute("INSERT INTO outlets (id, name, country, state_affiliation, data, updated) VALUES (?,?,?,?,?,?)",
                        [o["id"], o["name"], o.get("country"), "unknown", json.dumps(o), "2025-01-01T00:00:00+00:00"])
    db.conn.execute("PRAGMA user_version = 8")
    db.conn.commit()
    db.conn.close()


def test_an_older_database_gets_the_new_shipped_outlets_and_keeps_its_own(workdir):
    shipped = {o.id: o.model_dump(mode="json") for o in load_registry(SHIPPED_REGISTRY)}
    mine = dict(shipped["tass"], country="Testland")  # a team's own value for a shipped outlet
    _schema_8_database(workdir / "team.db", [mine, shipped["reuters"], {"id": "lantern", "name": "Lantern"}])
    stored = outlets_by_id()  # a read opens (and upgrades) it
    assert set(shipped) | {"lantern"} == set(stored)
    assert stored["tass"]["country"] == "Testland" and stored["lantern"]["name"] == "Lantern"
    assert stored["reuters"] == shipped["reuters"]
    assert [c["change"] for c in show_json("tass", "--history")["history"]] == ["recorded"]


def _shipped_copy(workdir: Path, monkeypatch: pytest.MonkeyPatch, change) -> None:
    """A newer annotator's shipped registry: ``change(outlets)`` edits a copy of today's."""
    data = yaml.safe_load(SHIPPED_REGISTRY.read_text(encoding="utf-8"))
    change({o["id"]: o for o in data["outlets"]}, data["outlets"])
    newer = workdir / "shipped" / "outlets.yaml"
    newer.parent.mkdir()
    newer.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr("annotator.outlets.registry.SHIPPED_REGISTRY", newer)


def test_a_users_edit_survives_reopening_and_a_newer_shipped_registry(workdir, monkeypatch):
    write_jsonl(workdir / "a.jsonl", [record(1, "TASS")])
    assert run("import", "a.jsonl").exit_code == 0
    assert run("outlets", "edit", "tass", "country=Testland").exit_code == 0
    assert run("outlets", "load", "--shipped").exit_code == 0
    assert outlets_by_id()["tass"]["country"] == "Testland"

    def newer(by_id: dict, outlets: list) -> None:
        by_id["tass"]["country"] = "Russian Federation"  # the user's field: kept
        by_id["tass"]["owner"] = "A newer owner"  # not edited by the user: taken
        by_id["reuters"]["notes"] = "Newer notes."
        outlets.append({"id": "lantern-news", "name": "Lantern News"})

    _shipped_copy(workdir, monkeypatch, newer)
    stored = outlets_by_id()  # opening the database merges the newer registry
    assert stored["tass"]["country"] == "Testland" and stored["tass"]["owner"] == "A newer owner"
    assert stored["reuters"]["notes"] == "Newer notes." and stored["lantern-news"]["name"] == "Lantern News"
    assert run("outlets", "load", "--shipped").exit_code == 0
    assert outlets_by_id()["tass"]["country"] == "Testland"


def test_an_outlet_a_user_added_is_never_replaced_by_the_shipped_one(workdir, monkeypatch):
    write_jsonl(workdir / "a.jsonl", [record(1)])
    run("import", "a.jsonl")
    assert run("outlets", "add", "lantern-news", "name=Our Lantern", "country=Czechia").exit_code == 0
    _shipped_copy(workdir, monkeypatch, lambda _by_id, outlets: outlets.append(
        {"id": "lantern-news", "name": "Lantern News", "country": "Slovakia"}))
    assert outlets_by_id()["lantern-news"]["country"] == "Czechia"


def test_an_outlet_made_at_import_is_completed_by_a_newer_shipped_registry(workdir, monkeypatch):
    write_jsonl(workdir / "a.jsonl", [record(1, "Lantern News")])
    run("import", "a.jsonl")
    _shipped_copy(workdir, monkeypatch, lambda _by_id, outlets: outlets.append(
        {"id": "lantern-news", "name": "Lantern News", "country": "Slovakia"}))
    assert outlets_by_id()["lantern-news"]["country"] == "Slovakia"


# -- 2. add, edit, show, load ---------------------------------------------------------------------


def test_add_then_import_files_articles_under_the_teams_outlet(workdir):
    write_jsonl(workdir / "a.jsonl", [record(1)])
    run("import", "a.jsonl")
    added = run("outlets", "add", "ostrava-lantern", "name=Ostrava Evening Lantern", "domains=lantern.example",
                "country=Czechia", "aliases+=OEL")
    assert added.exit_code == 0, added.output
    write_jsonl(workdir / "b.jsonl", [record(2, "OEL"), record(3, url="https://www.lantern.example/post/1")])
    result = run("import", "b.jsonl")
    assert result.exit_code == 0 and not notes(result)
    assert publishers_by_title()["Report 2"] == publishers_by_title()["Report 3"] == "ostrava-lantern"
    [created] = show_json("ostrava-lantern", "--history")["history"]
    assert (created["change"], created["who"], created["source"]) == ("created", "alice", "outlets add")


def test_edit_records_who_when_and_the_previous_value(workdir):
    write_jsonl(workdir / "a.jsonl", [record(1, "TASS")])
    run("import", "a.jsonl")
    before = show_json("tass")["outlet"]
    edited = run("outlets", "edit", "tass", "country=Russian Federation", "aliases+=TASS.com",
                 "ratings+={rater: Test Rater, scale: reliability, value: low, as_of: 2024}", "--annotator", "bob")
    assert edited.exit_code == 0, edited.output
    shown = show_json("tass", "--history")
    last = shown["history"][-1]
    assert last["who"] == "bob" and last["at"] and last["effective"] is None
    assert last["before"]["country"] == before["country"] and last["after"]["country"] == "Russian Federation"
    assert set(last["fields"]) >= {"country", "aliases", "ratings"}
    assert shown["outlet"]["aliases"] == [*before["aliases"], "TASS.com"]
    assert {"country", "aliases", "ratings"} <= set(shown["edited_fields"])
    text = run("outlets", "show", "tass", "--history").output
    assert "bob" in text and "Russian Federation" in text


def test_a_dated_change_shows_as_of_a_date_and_on_older_articles(workdir):
    write_jsonl(workdir / "a.jsonl", [record(1, "TASS", published="2021-05-01"), record(2, "TASS", published="2024-06")])
    run("import", "a.jsonl")
    old_owner = show_json("tass")["outlet"]["owner"]
    assert run("outlets", "edit", "tass", "owner=A new owner", "--since", "2023-03-01").exit_code == 0
    assert show_json("tass")["outlet"]["owner"] == "A new owner"
    assert show_json("tass", "--as-of", "2022")["outlet"]["owner"] == old_owner
    assert show_json("tass", "--as-of", "2023-04")["outlet"]["owner"] == "A new owner"
    ids = {a["title"]: a["id"] for a in json.loads(run("articles", "--json").output)}
    older = json.loads(run("show", ids["Report 1"], "--json").output)
    newer = json.loads(run("show", ids["Report 2"], "--json").output)
    assert older["publisher_outlet"]["owner"] == old_owner and newer["publisher_outlet"]["owner"] == "A new owner"


def test_as_of_leaves_out_later_sanctions_and_ratings(workdir):
    write_jsonl(workdir / "a.jsonl", [record(1)])
    run("import", "a.jsonl")
    sanctions = {s["date"]["value"] for s in show_json("press-tv")["outlet"]["sanctions"]}
    assert "2012-01-20" in sanctions and "2021-06-22" in sanctions
    as_of_2015 = show_json("press-tv", "--as-of", "2015")["outlet"]
    assert {s["date"]["value"] for s in as_of_2015["sanctions"]} == {"2012-01-20"}
    # a rating given after 2015 is left out; one dated "~2025" (the year it was read) is kept
    kept = {(r["rater"], r["as_of"]["value"]) for r in as_of_2015["ratings"]}
    assert ("Wikipedia Reliable sources/Perennial sources (RSP)", "2020") not in kept
    assert all(r["as_of"]["approximate"] or r["as_of"]["value"] <= "2015" for r in as_of_2015["ratings"])
    assert ("Media Bias/Fact Check", "2025") in kept
    assert "as of 2015" in run("outlets", "show", "press-tv", "--as-of", "2015").output


def test_load_merges_a_team_registry_with_history(workdir):
    write_jsonl(workdir / "a.jsonl", [record(1)])
    run("import", "a.jsonl")
    (workdir / "team.yaml").write_text("outlets:\n  - {id: lantern-news, name: Lantern News, country: Czechia}\n"
                                       "  - {id: tass, name: TASS, country: Russia, owner: The team's reading}\n",
                                       encoding="utf-8")
    result = run("outlets", "load", "team.yaml")
    assert result.exit_code == 0, result.output
    assert "2 outlet(s) read, 2 added or updated" in result.output
    stored = outlets_by_id()
    assert stored["lantern-news"]["country"] == "Czechia" and stored["tass"]["owner"] == "The team's reading"
    last = show_json("tass", "--history")["history"][-1]
    assert (last["who"], last["source"]) == ("alice", "outlets load team.yaml")
    assert last["before"]["owner"] != "The team's reading"
    assert run("outlets", "load", "--shipped").exit_code == 0
    assert outlets_by_id()["tass"]["owner"] == "The team's reading"


def test_the_outlet_list_still_works(workdir):
    write_jsonl(workdir / "a.jsonl", [record(1)])
    run("import", "a.jsonl")
    listed = run("outlets")
    assert listed.exit_code == 0 and "Press TV" in listed.output
    assert "press-tv" in outlets_by_id()


@pytest.mark.parametrize("args, expected", [
    (["edit", "tass", "colour=red"], "colour=: unknown field 'colour'"),
    (["edit", "tass", "founded=2022-13"], "founded=: '2022-13' is not a date"),
    (["edit", "tass", "owner=X", "--since", "last week"], "--since 'last week': "),
    (["edit", "tass", "no equals sign"], "'no equals sign': write FIELD=VALUE"),
    (["edit", "tass", "id=other"], "id=: an outlet's id cannot be changed"),
    (["edit", "tass", "state_affiliation=somewhat"], "outlet tass: state_affiliation:"),
    (["edit", "tass", "ratings+={rater: X}"], "outlet tass: ratings[1]"),
    (["edit", "tass", "aliases-=Nope"], "aliases-=: 'Nope' is not in aliases"),
    (["edit", "tasss", "country=X"], "no outlet with the id 'tasss'; did you mean 'tass' (TASS)?"),
    (["show", "nowhere"], "no outlet with the id 'nowhere'"),
    (["show", "tass", "--as-of", "2022-02-30"], "--as-of '2022-02-30': "),
    (["merge", "tass", "--into", "nowhere"], "no outlet with the id 'nowhere'"),
    (["add", "tass", "name=TASS again"], "outlet 'tass' exists already"),
    (["add", "Bad Id", "name=X"], "outlet 'Bad Id': id: 'Bad Id' is not a slug"),
    (["add", "lantern"], "outlet 'lantern': give its name (name=...)"),
    (["load", "missing.yaml"], "missing.yaml: no such file"),
])
def test_bad_input_is_one_line_and_exit_1(workdir, args, expected):
    write_jsonl(workdir / "a.jsonl", [record(1)])
    run("import", "a.jsonl")
    before = outlets_by_id()
    line = one_error(run("outlets", *args))
    assert expected in line, line
    assert outlets_by_id() == before  # nothing changed


def test_load_refuses_a_yaml_bomb_a_binary_file_and_a_bad_entry(workdir):
    write_jsonl(workdir / "a.jsonl", [record(1)])
    run("import", "a.jsonl")
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(9))
    (workdir / "bomb.yaml").write_text(bomb, encoding="utf-8")
    shutil.copyfile("/bin/sh" if Path("/bin/sh").exists() else __file__, workdir / "binary.yaml")
    (workdir / "binary.yaml").write_bytes((workdir / "binary.yaml").read_bytes()[:4096] + b"\x00\xff")
    (workdir / "bad.yaml").write_text("outlets:\n  - {id: ok-one, name: OK}\n  - {id: x, name: X, founded: 2022-02-30}\n",
                                      encoding="utf-8")
    before = outlets_by_id()
    assert "bomb.yaml: invalid YAML at line" in one_error(run("outlets", "load", "bomb.yaml"))
    assert one_error(run("outlets", "load", "binary.yaml")).startswith("error: binary.yaml: ")
    assert "bad.yaml: outlets[1].founded: " in one_error(run("outlets", "load", "bad.yaml"))
    assert outlets_by_id() == before  # a file goes in whole or not at all


def test_outlet_commands_need_an_existing_database(workdir):
    result = run("outlets", "add", "lantern", "name=Lantern")
    assert result.exit_code == 1 and "no such database" in result.output
    assert not (workdir / "team.db").exists()


def test_history_is_kept_in_the_database(workdir):
    write_jsonl(workdir / "a.jsonl", [record(1, "Lantern News")])
    run("import", "a.jsonl")
    run("outlets", "edit", "lantern-news", "country=Czechia")
    conn = sqlite3.connect(workdir / "team.db")
    rows = conn.execute("SELECT change, who FROM outlet_history WHERE outlet_id = 'lantern-news' ORDER BY id").fetchall()
    assert rows == [("created", "alice"), ("changed", "alice")]
