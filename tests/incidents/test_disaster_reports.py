"""Consistency checks of a disaster report, each naming the township and indicator."""

from __future__ import annotations

from decimal import Decimal as D

from yingji.incidents.disaster_reports import DisasterReport, check


def report(kind="follow_up", **areas) -> DisasterReport:
    return DisasterReport(kind, {a: {k: D(v) for k, v in vals.items()} for a, vals in areas.items()})


def fields(problems) -> set[str]:
    return {p.field for p in problems}


def test_a_consistent_report_passes() -> None:
    r = report(t1={"affected_person_times": 1200, "deaths": 1}, t2={"affected_person_times": 300, "deaths": 0},
               district={"affected_person_times": 1500, "deaths": 1})
    assert check(r) == []


def test_townships_must_add_up_to_the_district() -> None:
    r = report(t1={"relocated": 100}, t2={"relocated": 50}, district={"relocated": 140})
    [problem] = check(r)
    assert problem.field == "district.relocated" and "150" in problem.message and "140" in problem.message


def test_deaths_never_above_the_affected_and_failure_never_above_the_affected_area() -> None:
    r = report(district={"affected_person_times": 2, "deaths": 2, "missing": 1, "crop_affected_kha": "1.5",
                         "crop_failed_kha": "1.6"})
    assert fields(check(r)) == {"district.deaths", "district.crop_failed_kha"}


def test_negative_and_unknown_figures() -> None:
    r = report(district={"deaths": -1, "ufo_sightings": 3})
    assert fields(check(r)) == {"district.deaths", "district.ufo_sightings"}


def test_a_lower_figure_than_before_needs_a_reason() -> None:
    initial = report("initial", t1={"collapsed_houses": 30}, district={"collapsed_houses": 30})
    final = report("final", t1={"collapsed_houses": 24}, district={"collapsed_houses": 24})
    assert fields(check(final, [initial])) == {"t1.collapsed_houses", "district.collapsed_houses"}
    final.reasons = {"t1.collapsed_houses": "复核时 6 间为一般损坏", "district.collapsed_houses": "同左"}
    assert check(final, [initial]) == []


def test_the_district_total_is_required() -> None:
    assert fields(check(report(t1={"deaths": 0}))) == {"district"}
