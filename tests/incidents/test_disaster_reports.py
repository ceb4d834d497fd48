"""Consistency checks of a disaster report, each naming the township and indicator."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

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


def test_each_bound_is_inclusive_and_each_problem_names_its_indicator() -> None:
    # 不能多于 / 不能大于 / 不能为负数: equal and zero figures pass.
    even = report(district={"affected_person_times": 3, "deaths": 2, "missing": 1, "crop_affected_kha": "1.5",
                            "crop_failed_kha": "1.5", "direct_loss_10k_yuan": 0})
    assert check(even) == []
    [neg] = check(report(district={"deaths": -1}))
    assert (neg.field, neg.message) == ("district.deaths", "因灾死亡人口（人）不能为负数")
    [unknown] = check(report(district={"ufo_sightings": 3}))
    assert (unknown.field, unknown.message) == ("district.ufo_sightings", "未知指标")
    # 1 death + 2 missing = 3 lost of 2 affected: the missing count too.
    [lost] = check(report(district={"affected_person_times": 2, "deaths": 1, "missing": 2}))
    assert (lost.field, lost.message) == ("district.deaths", "死亡和失踪人数不能多于受灾人口")
    [missing_only] = check(report(district={"affected_person_times": 1, "missing": 2}))
    assert missing_only.field == "district.deaths"
    [crop] = check(report(district={"crop_affected_kha": "1.5", "crop_failed_kha": "1.6"}))
    assert (crop.field, crop.message) == ("district.crop_failed_kha", "农作物绝收面积不能大于受灾面积")
    assert check(report(district={"crop_failed_kha": "1.6"})) == []  # no affected area given: nothing to compare
    assert check(report(district={"deaths": 5})) == []  # no affected people given


def test_the_sum_message_and_a_district_without_that_figure() -> None:
    [problem] = check(report(t1={"relocated": 100}, t2={"relocated": 50}, district={"relocated": 140}))
    assert problem.message == "紧急转移安置人口（人次）各镇（街道）合计 150 与全区 140 不一致"
    # The sum is checked only where the district gives a total, and only over the townships giving the figure.
    assert check(report(t1={"relocated": 100}, district={})) == []
    assert check(report(t1={"relocated": 100}, t2={}, district={"relocated": 100})) == []


def test_an_equal_figure_needs_no_reason_and_a_blank_reason_is_none() -> None:
    before = report("initial", district={"collapsed_houses": 30})
    assert check(report("final", district={"collapsed_houses": 30}), [before]) == []
    assert check(report("final", district={"collapsed_houses": 31}), [before]) == []
    lower = report("final", district={"collapsed_houses": 24})
    lower.reasons = {"district.collapsed_houses": "  "}
    [problem] = check(lower, [before])
    assert problem.message == "倒塌房屋（间）由 30 核减为 24，须说明原因"
    assert check(report("final", district={"deaths": 0}), [before]) == []  # figure not reported again
    [missing] = check(report(t1={"deaths": 0}))
    assert (missing.field, missing.message) == ("district", "缺少全区合计")


# cn-rules §9.2, the core indicators of the 快报表 with their units (houses counted in 间).
SECTION_9_2 = [("affected_person_times", "受灾人口（人次）"), ("deaths", "因灾死亡人口（人）"),
               ("missing", "因灾失踪人口（人）"), ("relocated", "紧急转移安置人口（人次）"),
               ("needing_relief", "需紧急生活救助人口（人次）"), ("collapsed_houses", "倒塌房屋（间）"),
               ("severely_damaged_houses", "严重损坏房屋（间）"), ("damaged_houses", "一般损坏房屋（间）"),
               ("crop_affected_kha", "农作物受灾面积（千公顷）"), ("crop_failed_kha", "农作物绝收面积（千公顷）"),
               ("direct_loss_10k_yuan", "直接经济损失（万元）")]


@pytest.mark.parametrize(("key", "words"), SECTION_9_2)
def test_every_indicator_is_known_and_named_by_its_words(key, words) -> None:
    assert check(report(district={key: 0})) == []
    problem = check(report(district={key: -1}))[0]  # −1 affected is also fewer than 0 lost: a second problem
    assert (problem.field, problem.message) == (f"district.{key}", f"{words}不能为负数")


def test_a_death_or_a_missing_person_alone_may_equal_the_affected() -> None:
    assert check(report(district={"affected_person_times": 1, "deaths": 1})) == []
    assert check(report(district={"affected_person_times": 1, "missing": 1})) == []
