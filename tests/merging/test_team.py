"""``annotator merge`` carries a team's records: assignments (a re-plan on one side wins as a
whole when it is the later), gold tags with their sources, review decisions and statuses,
active time (never counted twice), corrections of articles' facts with their history and
tag moves; both directions give the same content, merging again adds nothing, a bundle
carries them too, and a hostile record is refused with its reason."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from annotator.merging.sources import merge_path, write_bundle
from annotator.merging.team import decide_plan
from annotator.models import Annotation
from annotator.store import PlannedMove, Store
from annotator.store.merging_team import AssignmentRow
from tests.conftest import tag

TABLES = {
    "assignments": "SELECT article_id, annotator, assigned_by, at, plan FROM assignments ORDER BY 1, 2",
    "gold_sources": "SELECT gold_uuid, source_uuid, source_annotator, reviewer, at FROM gold_sources ORDER BY 1, 2",
    "review_decisions": "SELECT * FROM review_decisions ORDER BY 1, 2",
    "review_status": "SELECT * FROM review_status ORDER BY 1",
    "active_time": "SELECT * FROM active_time ORDER BY 1, 2",
    "article_edits": "SELECT article_id, field, before, after, who, source, at FROM article_edits ORDER BY 1, 2, 7, 4",
    "tag_moves": "SELECT uuid, from_article, to_article, outcome, reason, who, at FROM tag_moves ORDER BY 1, 7",
    "facts": "SELECT id, publisher, original_source, published, published_approximate, story, title, unverified "
             "FROM articles ORDER BY id",
    "gold": "SELECT uuid, deleted FROM annotations WHERE annotator = 'gold' ORDER BY 1",
}


def content(store: Store) -> dict:
    return {name: store.conn.execute(sql).fetchall() for name, sql in TABLES.items()}


@pytest.fixture
def team_clock(clock, monkeypatch: pytest.MonkeyPatch):
    for module in ("annotator.store.review", "annotator.store.assignments", "annotator.store.article_edits",
                   "annotator.store.tag_moves"):
        monkeypatch.setattr(f"{module}.utc_now", clock)
    return clock


def gold_copy(store: Store, source: Annotation, reviewer: str, item_key: str, decision: str,
              status: str) -> Annotation:
    """The reviewer takes ``source`` into the gold layer, deciding ``item_key``."""
    gold = Annotation.model_validate(source.model_dump(exclude={"uuid", "created", "updated", "annotator"})
                                     | {"annotator": "gold"})
    store.settle(source.article_id, item_key, decision, None, reviewer, add=[gold],
                 sources={gold.uuid: [(source.uuid, source.annotator)]}, status=status)
    return gold


@pytest.fixture
def laptops(demo_store: Store, demo_dir: Path, team_clock):
    """One database planned and tagged, copied to laptop A (maria, also reviewing) and B (li,
    reviewing later); then each side's own work on the team's records."""
    articles = [demo_store.article(r.id) for r in demo_store.list_articles()]
    ids = [a.id for a in articles]
    demo_store.save_assignments({i: ["li", "maria"] for i in ids[:4]}, "lead", "overlap 2, seed 1")
    words = [a.text.split()[4] for a in articles]
    maria_tag = tag(demo_store, articles[0], words[0], annotator="maria")
    li_tag = tag(demo_store, articles[0], words[0], annotator="li", label="ukraine-west-form")
    li_other = tag(demo_store, articles[1], words[1], annotator="li")
    demo_store.close()
    a_path, b_path = demo_dir / "a.db", demo_dir / "b.db"
    shutil.copy(demo_dir / "annotations.db", a_path)
    shutil.copy(demo_dir / "annotations.db", b_path)
    a, b = Store(a_path, "write"), Store(b_path, "write")
    item = f"span:{maria_tag.start}-{maria_tag.end}"
    # A: maria plans article 2 again, reviews article 0, reads, corrects article 1's story
    a.save_assignments({ids[2]: ["carol", "maria"]}, "maria", "replan")
    gold_copy(a, maria_tag, "maria", item, "accepted", "in progress")
    a.add_active_time(ids[0], "maria", 30.0)
    a.add_active_time(ids[0], "maria", 30.0)
    a.edit_article(ids[1], {"story": "story-a"}, "maria", "article set")
    # B, later: li decides the same item otherwise, plans article 3 again and a new one, corrects too
    b.save_assignments({ids[3]: ["dave", "li"], ids[4]: ["li", "maria"]}, "li", "replan")
    gold_copy(b, li_tag, "li", item, "rejected", "settled")
    b.add_active_time(ids[0], "maria", 50.0)  # one visit on B: A's two visits win
    b.add_active_time(ids[1], "li", 12.5)
    b.edit_article(ids[1], {"story": "story-b"}, "li", "article set")
    b.edit_article(ids[4], {"title": "A corrected title"}, "li", "article set")
    b.apply_tag_moves(ids[1], ids[1], [PlannedMove(li_other.uuid, li_other.updated, li_other.start, li_other.end,
                                                   reason="quote not found")], "li", "import")
    yield a, b, ids
    a.close()
    b.close()


def copy_store(store: Store, path: Path) -> Store:
    store.copy_to(path)
    return Store(path, "write")


def test_two_laptops_merge_their_team_records_to_the_same_content_both_ways(laptops, demo_dir):
    a, b, ids = laptops
    a2, b2 = copy_store(a, demo_dir / "a2.db"), copy_store(b, demo_dir / "b2.db")
    into_a, into_b = merge_path(a2, b.path, "maria"), merge_path(b2, a.path, "li")
    assert into_a.ok and into_b.ok, (into_a.refused, into_b.refused)
    assert content(a2) == content(b2)
    merged = a2
    plans = merged.assignments()
    assert plans[ids[2]] == ["carol", "maria"]  # A's re-plan, later than the plan B still holds
    assert plans[ids[3]] == ["dave", "li"] and plans[ids[4]] == ["li", "maria"]  # B's re-plan and new plan
    assert plans[ids[0]] == ["li", "maria"]
    # both gold tags, each with its source
    gold = merged.gold_sources()
    assert len(gold) == 2 and sorted(s["sources"][0]["annotator"] for s in gold.values()) == ["li", "maria"]
    # the item both decided: li's later decision, listed as a conflict both ways
    assert [d[0] for d in merged.review_decisions(ids[0]).values()] == ["rejected"]
    assert merged.review_statuses()[ids[0]][0] == "settled"
    for report, kept in ((into_a, "there"), (into_b, "here")):
        listed = [c for c in report.conflicts if c.kind == "review_decisions"]
        assert len(listed) == 1 and listed[0].kept == kept and "rejected" in (listed[0].here + listed[0].there)
    # active time: the row of more visits, not a sum
    times = {(r[0], r[1]): (r[2], r[3]) for r in merged.conn.execute("SELECT * FROM active_time")}
    assert times[(ids[0], "maria")] == (60.0, 2) and times[(ids[1], "li")] == (12.5, 1)
    # facts: the later correction wins, both corrections listed as a conflict and in the history
    assert merged.article(ids[1]).story == "story-b" and merged.article(ids[4]).title == "A corrected title"
    assert [c.key for c in into_a.conflicts if c.kind == "article_facts"] == [f"{ids[1]}.story"]
    assert [c.kept for c in into_b.conflicts if c.kind == "article_facts"] == ["here"]
    assert [e.after for e in merged.article_edits(ids[1]) if e.field == "story"] == ["story-a", "story-b"]
    assert [m.outcome for m in merged.tag_moves(ids[1])] == ["stranded"]


def test_merging_team_records_twice_adds_nothing(laptops):
    a, b, _ = laptops
    first = merge_path(a, b.path, "maria")
    assert first.ok and first.changed > 0
    before = content(a)
    again = merge_path(a, b.path, "maria")
    assert again.ok and again.changed == 0 and again.conflicts == []
    assert content(a) == before
    back = merge_path(b, a.path, "li")
    assert back.ok and content(b) == content(a)
    assert merge_path(b, a.path, "li").changed == 0


def test_a_bundle_carries_the_team_records(laptops, demo_dir):
    a, b, _ = laptops
    bundle = demo_dir / "b.bundle.jsonl"
    with bundle.open("w", encoding="utf-8") as out:
        write_bundle(b.path, out)
    kinds = {json.loads(line)["kind"] for line in bundle.read_text(encoding="utf-8").splitlines()}
    assert {"assignment", "gold-source", "review-decision", "review-status", "active-time", "article-edit",
            "tag-move"} <= kinds
    by_db = copy_store(a, demo_dir / "a2.db")
    from_db = merge_path(by_db, b.path, "maria")
    from_bundle = merge_path(a, bundle, "maria")
    assert from_bundle.ok, from_bundle.refused
    assert content(a) == content(by_db)
    assert [c.key for c in from_bundle.conflicts] == [c.key for c in from_db.conflicts]


def test_a_plan_decided_the_same_way_from_both_sides():
    older = [AssignmentRow("a1", "li", "lead", "2026-01-01T10:00:00+00:00", "p"),
             AssignmentRow("a1", "maria", "lead", "2026-01-01T10:00:00+00:00", "p")]
    newer = [AssignmentRow("a1", "carol", "maria", "2026-01-02T10:00:00+00:00", "replan")]
    assert (decide_plan(older, newer), decide_plan(newer, older)) == ("updated", "kept")
    tied = [AssignmentRow("a1", "dave", "li", "2026-01-01T10:00:00+00:00", "other")]
    assert sorted([decide_plan(older, tied), decide_plan(tied, older)]) == ["kept", "updated"]
    assert decide_plan(older, list(reversed(older))) == "present" and decide_plan([], newer) == "added"


def test_hostile_team_records_are_refused_with_a_reason(laptops, demo_dir):
    a, _, ids = laptops
    before = content(a)
    bundle = demo_dir / "hostile.jsonl"
    records = [
        {"kind": "assignment", "article_id": ids[0], "annotator": "eve\x1b[31m", "assigned_by": None,
         "at": "2026-01-01T00:00:00+00:00", "plan": None},
        {"kind": "review-status", "article_id": ids[0], "status": "settled", "reviewer": "eve",
         "updated": "2999-01-01T00:00:00+00:00"},
        {"kind": "active-time", "article_id": "000000000000", "annotator": "eve", "seconds": 5, "visits": 1,
         "updated": "2026-01-01T00:00:00+00:00"},
        {"kind": "active-time", "article_id": ids[0], "annotator": "eve", "seconds": 5, "visits": 0,
         "updated": "2026-01-01T00:00:00+00:00"},
        {"kind": "article-edit", "article_id": ids[0], "field": "text", "before": "a", "after": "b", "who": "eve",
         "source": None, "at": "2026-01-01T00:00:00+00:00"},
        {"kind": "gold-source", "gold_uuid": "not-a-uuid", "source_uuid": None, "source_annotator": None,
         "reviewer": "eve", "at": "2026-01-01T00:00:00+00:00"},
        {"kind": "review-decision", "article_id": ids[0], "item_key": "span:1-2", "decision": "accepted"},
        {"kind": "tag-move", "uuid": "0b5c4d8e-8a55-4b43-9a8e-1d7f1b6a2f10", "from_article": ids[0],
         "to_article": ids[0], "outcome": "stranded", "method": None, "old_start": 1, "old_end": 2, "new_start": None,
         "new_end": None, "reason": "gone\u202e", "who": "eve", "at": "2026-01-01T00:00:00+00:00"},
    ]
    bundle.write_text(json.dumps({"kind": "annotator-bundle", "version": 1}) + "\n"
                      + "".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    report = merge_path(a, bundle, "maria")
    reasons = {r.kind: r.reason for r in report.refused}
    assert len(report.refused) == len(records)
    assert "normal form" in reasons["assignments"]
    assert "in the future" in reasons["review_status"]
    assert "not in this database" in [r.reason for r in report.refused if r.where.startswith("000000000000")][0]
    assert "field 'text'" in reasons["article_edits"]
    assert "not a tag id" in reasons["gold_sources"]
    assert "missing" in reasons["review_decisions"]
    assert "reason holds control" in reasons["tag_moves"]
    assert content(a) == before


def test_the_command_reports_the_team_records_and_their_conflicts(laptops, demo_dir, monkeypatch):
    from click.testing import CliRunner

    from annotator.cli import main

    a, b, ids = laptops
    monkeypatch.setenv("ANNOTATOR_CONFIG", "/dev/null")
    monkeypatch.chdir(demo_dir)
    exported = CliRunner().invoke(main, ["--db", str(b.path), "export", "--format", "bundle", "--out", "b.bundle"])
    assert exported.exit_code == 0, exported.output
    result = CliRunner().invoke(main, ["--db", str(a.path), "merge", "b.bundle", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["counts"]["assignments"] == {"added": 1, "kept": 1, "present": 2, "updated": 1}
    assert report["counts"]["active_time"]["added"] == 1
    assert sorted(c["kind"] for c in report["conflicts"]) == ["article_facts", "review_decisions"]


def test_show_history_lists_both_sides_corrections_after_a_merge(laptops, monkeypatch):
    from click.testing import CliRunner

    from annotator.cli import main

    a, b, ids = laptops
    monkeypatch.setenv("ANNOTATOR_CONFIG", "/dev/null")
    assert merge_path(a, b.path, "maria").ok
    shown = CliRunner().invoke(main, ["--db", str(a.path), "show", ids[1], "--history"], terminal_width=200)
    assert shown.exit_code == 0, shown.output
    assert "story-a" in shown.output and "story-b" in shown.output
    assert "maria" in shown.output and "li" in shown.output


def test_active_time_and_decisions_are_decided_the_same_way_from_both_sides():
    from annotator.merging.team import decide_active_time, decide_later
    from annotator.store.merging_team import ActiveTimeRow, ReviewDecisionRow

    more = ActiveTimeRow("a1", "maria", 60.0, 3, "2026-01-01T10:00:00+00:00")
    later = ActiveTimeRow("a1", "maria", 90.0, 2, "2026-01-02T10:00:00+00:00")
    assert (decide_active_time(later, more), decide_active_time(more, later)) == ("updated", "kept")
    same_visits = ActiveTimeRow("a1", "maria", 80.0, 3, "2026-01-03T10:00:00+00:00")
    assert (decide_active_time(more, same_visits), decide_active_time(same_visits, more)) == ("updated", "kept")
    at = "2026-01-01T10:00:00+00:00"
    accepted = ReviewDecisionRow("a1", "span:1-2", "accepted", None, "maria", at)
    rejected = ReviewDecisionRow("a1", "span:1-2", "rejected", None, "li", at)
    decide = decide_later("at")
    assert sorted([decide(accepted, rejected), decide(rejected, accepted)]) == ["kept", "updated"]
    assert decide(accepted, accepted) == "present" and decide(None, accepted) == "added"
