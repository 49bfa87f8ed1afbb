"""An outlet's facts as of a date: dated changes undone after the date, later sanctions and
ratings left out, dates compared to the precision both have."""

from annotator.models import Outlet
from annotator.outlets.timeline import OutletChange, as_of, is_after


def test_dates_compare_to_the_precision_both_have():
    assert not is_after("2022", "2022-03-01")  # the same year: not known to be later
    assert is_after("2022-04", "2022-03-31")
    assert not is_after({"value": None, "approximate": False}, "1990")  # unknown: never later
    assert is_after({"value": "2023", "approximate": True}, "2022-12")


def test_as_of_undoes_dated_changes_only():
    old = Outlet(id="x", name="X", owner="First owner", country="Nowhere")
    new = old.model_copy(update={"owner": "Second owner", "country": "Somewhere"})
    dump = lambda o: o.model_dump(mode="json")  # noqa: E731
    moved = OutletChange(2, "x", "changed", dump(old), dump(new.model_copy(update={"country": "Nowhere"})),
                         ["owner"], "2020-06", "alice", "outlets edit", "2026-01-01T00:00:00+00:00")
    corrected = OutletChange(3, "x", "changed", dump(new.model_copy(update={"country": "Nowhere"})), dump(new),
                             ["country"], None, "bob", "outlets edit", "2026-01-02T00:00:00+00:00")
    before = as_of(new, [moved, corrected], "2019")
    assert (before.owner, before.country) == ("First owner", "Somewhere")  # a correction holds at every date
    assert as_of(new, [moved, corrected], "2020-07").owner == "Second owner"
    assert as_of(new, [moved, corrected], None) == new


def test_as_of_keeps_the_latest_rating_per_rater_and_scale_up_to_the_date():
    outlet = Outlet(id="x", name="X", ratings=[
        {"rater": "R", "scale": "s", "value": "old", "as_of": "2018"},
        {"rater": "R", "scale": "s", "value": "new", "as_of": "2023"},
        {"rater": "Q", "scale": "s", "value": "q", "as_of": "2020"}],
        sanctions=[{"authority": "A", "action": "banned", "date": "2022-03-04"}])
    in_2021 = as_of(outlet, [], "2021")
    assert sorted(r.value for r in in_2021.ratings) == ["old", "q"] and in_2021.sanctions == []
    assert sorted(r.value for r in as_of(outlet, [], "2024").ratings) == ["new", "q"]
