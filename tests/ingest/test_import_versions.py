"""Import of texts already stored: duplicates are skipped, re-import is idempotent, a changed text
becomes a new version, and imports running at once never store a text twice."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from annotator.cli import main
from annotator.models import Annotation, quote_selector
from annotator.store import Store

from .conftest import GOOD, WIDE, cli, rows, write


# -- duplicates, idempotence, versions ----------------------------------------------------


def test_the_same_text_under_two_names_is_stored_once(workdir):
    write(workdir / "a.txt", GOOD)
    write(workdir / "b.txt", GOOD.replace("\n", "\r\n"))  # the same canonical text
    result = cli("import", "a.txt", "b.txt")
    assert result.exit_code == 0
    [row] = rows(workdir)
    assert row["source_file"] == "a.txt"
    assert f"duplicate: b.txt: same text as article {row['id']}, skipped" in result.stdout


def test_reimport_is_idempotent(workdir):
    write(workdir / "a.txt", GOOD)
    write(workdir / "feed.jsonl", json.dumps({"text": "Feed body one."}) + "\n" + json.dumps({"text": "Feed body two."}))
    assert cli("import", "a.txt", "feed.jsonl").exit_code == 0
    before = rows(workdir)
    again = cli("import", "a.txt", "feed.jsonl")
    assert again.exit_code == 0
    assert "Imported 0 new article(s), 0 new version(s); 3 duplicate(s) skipped; 0 rejected" in again.stdout
    assert again.stdout.count("duplicate: ") == 3
    assert rows(workdir) == before


def test_changed_text_becomes_a_new_version_and_annotations_stay_on_the_old_one(workdir, monkeypatch):
    write(workdir / "story.txt", "Story title\nThe minister said the talks failed.\n")
    assert cli("import", "story.txt").exit_code == 0
    store = Store(workdir / "t.db")
    [v1] = rows(workdir)
    start = v1["text"].index("talks failed")
    tag = store.add_annotation(Annotation(
        article_id=v1["id"], text_sha256=v1["text_sha256"], annotator="ann", codebook_id="cb",
        codebook_version="1", category="frame", label="conflict", start=start, end=start + 12,
        **quote_selector(v1["text"], start, start + 12)))

    write(workdir / "story.txt", "Story title\nThe minister said the talks collapsed on Monday.\n")
    monkeypatch.chdir(workdir / "..")  # another working folder: still the same file
    result = CliRunner().invoke(main, ["--db", str(workdir / "t.db"), "import", str(workdir / "story.txt")], env=WIDE)
    monkeypatch.chdir(workdir)
    assert result.exit_code == 0, result.output
    assert "Imported 0 new article(s), 1 new version(s)" in result.stdout
    old, new = rows(workdir)
    assert new["version"] == 2 and new["supersedes"] == v1["id"] and new["current"] == 1
    assert old["id"] == v1["id"] and old["current"] == 0 and old["text"] == v1["text"]
    [kept] = store.annotations(v1["id"])
    assert kept.uuid == tag.uuid and kept.article_id == v1["id"] and kept.text_sha256 == v1["text_sha256"]
    assert old["text"][kept.start:kept.end] == kept.quote == "talks failed"
    assert store.annotations(new["id"]) == []
    listing = json.loads(cli("articles", "--json").output)
    assert [a["id"] for a in listing] == [new["id"]]
    assert len(json.loads(cli("articles", "--json", "--all-versions").output)) == 2
    # the old text again is a duplicate of version 1, not a third version
    write(workdir / "story.txt", "Story title\nThe minister said the talks failed.\n")
    assert "duplicate: story.txt" in cli("import", "story.txt").stdout
    assert len(rows(workdir)) == 2


def test_changed_record_of_a_url_becomes_a_new_version(workdir):
    write(workdir / "feed.jsonl", json.dumps({"text": "First wording.", "url": "https://example.org/a"}))
    cli("import", "feed.jsonl")
    write(workdir / "other.json", json.dumps({"text": "Second wording.", "url": "https://example.org/a"}))
    assert "1 new version(s)" in cli("import", "other.json").stdout
    assert [(r["version"], r["current"]) for r in rows(workdir)] == [(1, 0), (2, 1)]



def _import_in_subprocess(db: Path, path: Path) -> subprocess.Popen:
    code = ("import sys; from pathlib import Path; from annotator.ingest.importer import import_paths; "
            "from annotator.store import Store; r = import_paths(Store(Path(sys.argv[1])), [Path(sys.argv[2])]); "
            "print(r.rejected); sys.exit(0 if r.ok else 1)")
    return subprocess.Popen([sys.executable, "-c", code, str(db), str(path)], stdout=subprocess.PIPE, text=True)


def test_imports_running_at_once_never_store_a_text_twice_or_two_current_versions(tmp_path):
    """Two processes import changed texts for the same urls, and the same texts, at the same time."""
    import json as json_module

    db = tmp_path / "shared.db"
    Store(db)  # created before the race
    for name, version in (("a", "first"), ("b", "second"), ("c", "second")):  # c is the same content as b
        with (tmp_path / f"{name}.jsonl").open("w", encoding="utf-8") as fh:
            for i in range(300):
                fh.write(json_module.dumps({"url": f"https://example.org/{i}", "title": f"Story {i}",
                                            "text": f"The {version} text of story {i}."}) + "\n")
    runs = [_import_in_subprocess(db, tmp_path / f"{name}.jsonl") for name in ("a", "b", "c")]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0], outputs
    store = Store(db)
    current = store.list_articles()
    assert len(current) == 300  # one current version per url
    every = store.list_articles(current_only=False)
    assert len(every) == 600  # 'first' and 'second' of each url, in either order; 'c' added nothing
    texts = [store.article(row.id).text for row in every]
    assert len(texts) == len(set(texts))
