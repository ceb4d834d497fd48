"""The annual plan's arithmetic (issue 14 point 3) on a small hand-made district; every expected number
is worked out by hand in the comments."""

from __future__ import annotations

from yingji.enforcement import plan_rules
from yingji.enforcement.plan_rules import Officer, Target, build, step_along, windows

PARAMS = {"inspectors_per_visit": 2, "days_per_visit": 1.0, "inspection_share": 0.5, "random_ratio": 0.3,
          "random_months": [3, 4, 5, 6, 7, 8, 9, 10, 11], "listed_steps": 1}


def t(i, level, per_year, grade, *, listed=False, cap=None, major=0) -> Target:
    return Target(i, f"企业{i}", "industry_trade", "X", "450221/101", level, per_year, major, grade, listed, cap)


def test_the_ladder_and_the_windows() -> None:
    assert [step_along(1, -1), step_along(2, 1), step_along(6, 1)] == [1, 6, 12]
    assert [step_along(12, 1), step_along(3, 0)] == [12, 2]
    assert windows(4) == [[1, 2, 3], [4, 5, 6], [7, 8, 9], [10, 11, 12]]
    assert windows(1) == [list(range(1, 13))]
    assert plan_rules.plan_rules()["grade_steps"] == {"1": -1, "2": 0, "3": 0, "none": 1}


def test_frequencies_months_load_and_coverage_by_hand() -> None:
    officers = [Officer(k, f"员{k}", dict.fromkeys(range(1, 13), 20)) for k in (1, 2, 3)]  # 10 inspector-days a month
    targets = [
        t(1, "red", 12, "2", cap=4),  # 12 a year, capped at 4 → key, months 1, 4, 7, 10
        t(2, "yellow", 2, "1"),  # 一级: 2 → 1; yellow, no major hazard → random pool
        t(3, "blue", 1, "none", listed=True, cap=6),  # 未达标 1 → 2, listed 2 → 6; key for the listing
        t(4, "blue", 1, "3"),  # pool
        t(5, "blue", 1, "2"),  # pool
    ]
    plan = build(targets, officers, {(3, 3)}, params=PARAMS)
    by = {x["id"]: x for x in plan.targets}
    assert [by[i]["per_year"] for i in (1, 2, 3, 4, 5)] == [4, 1, 6, 1, 1]
    assert [by[i]["key"] for i in (1, 2, 3, 4, 5)] == [True, False, True, False, False]
    assert any("列入严重失信主体名单" in w for w in by[3]["why"]) and any("上限 4 次" in w for w in by[1]["why"])
    # enterprise 1: the least loaded month of each window, ties to the earliest; inspectors by least load, then id
    assert by[1]["visits"] == [{"month": 1, "inspectors": [1, 2]}, {"month": 4, "inspectors": [3, 1]},
                               {"month": 7, "inspectors": [2, 3]}, {"month": 10, "inspectors": [1, 2]}]
    # enterprise 3: windows of two months, the month of enterprise 1 avoided; inspector 3 declared a conflict
    assert [v["month"] for v in by[3]["visits"]] == [2, 3, 5, 8, 9, 11]
    assert all(v["inspectors"] == [1, 2] for v in by[3]["visits"])
    # the pool of 3: ceil(3 × 0.3) = 1 drawn, in the only random month still empty (June)
    assert plan.pools == {"X": {"pool": 3, "drawn": 1, "ratio": 0.3}}
    months = {m["month"]: m for m in plan.months}
    assert months[6]["random_visits"] == 1 and months[6]["planned_days"] == 2
    assert months[1]["planned_days"] == 2 and months[1]["capacity_days"] == 30
    # coverage: enterprise 1 from January (1/5), 3 from February (2/5), the drawn one in June (3/5)
    assert [months[m]["coverage"] for m in (1, 2, 5, 6, 12)] == [0.2, 0.4, 0.4, 0.6, 0.6]
    load = {x["id"]: x for x in plan.load}
    assert [load[i]["key_days"] for i in (1, 2, 3)] == [9, 9, 2]  # 3 + 6, 3 + 6, 2
    assert load[1]["working_days"] == 240 and load[1]["capacity_days"] == 120
    assert plan.warnings == []


def test_a_month_without_room_is_a_warning() -> None:
    officers = [Officer(k, f"员{k}", dict.fromkeys(range(1, 13), 1)) for k in (1, 2)]  # half a day a month
    plan = build([t(1, "red", 12, "2", cap=2)], officers, set(), params=PARAMS)
    assert plan.targets[0]["visits"][0]["inspectors"] == []
    assert any("检查力量不足" in w for w in plan.warnings)
