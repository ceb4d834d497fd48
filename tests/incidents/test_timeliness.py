"""Reporting deadlines of an incident with a fixed clock, and 迟报 in minutes. Expected times are worked
out by hand from the rules' text (cn-rules §3.2, §9.3, §11.7), in Beijing time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from yingji.core.clock import LOCAL_TZ
from yingji.core.errors import ValidationFailed
from yingji.core.workdays import WorkCalendar
from yingji.incidents.timeliness import (
    IncidentFacts,
    casualty_change_due,
    late_minutes,
    obligations,
    parse_report_rules,
    report_rules,
)

CAL = WorkCalendar()


def bj(d: int, hh: int, mm: int = 0, month: int = 6) -> datetime:
    return datetime(2026, month, d, hh, mm, tzinfo=LOCAL_TZ).astimezone(UTC)


def dues(facts: IncidentFacts, *, rules: str = "national", until: datetime | None = None) -> dict[str, list]:
    out: dict[str, list] = {}
    for d in obligations(report_rules(rules), facts, CAL, until=until or facts.occurred_at + timedelta(days=3)):
        out.setdefault(d.code, []).append(d.due_at)
    return out


def test_an_ordinary_accident() -> None:
    # 一般 accident at 10:00, the county told at 10:40: unit → county by 11:00, county → city by 12:40,
    # follow-ups by 24:00 of each following day; nothing to the province.
    facts = IncidentFacts("accident", "work_safety", "IV", occurred_at=bj(10, 10), received_at=bj(10, 10, 40))
    got = dues(facts, until=bj(12, 12))
    assert got["unit_to_county"] == [bj(10, 11)]
    assert got["county_to_city"] == [bj(10, 12, 40)]
    assert got["follow_up"] == [bj(12, 0), bj(13, 0)]  # 11 June by 24:00, 12 June by 24:00
    assert "unit_to_province" not in got and "county_phone_province" not in got


def test_the_county_owes_nothing_before_it_is_told() -> None:
    # 令493 第九条: the unit reports within 1 hour of the accident; 第十一条: each level passes it on within 2 hours,
    # counted from its receipt, so an accident the county has not been told of owes only the unit's report.
    got = dues(IncidentFacts("accident", "work_safety", "IV", occurred_at=bj(10, 10)), until=bj(10, 23))
    assert got["unit_to_county"] == [bj(10, 11)]
    assert "county_to_city" not in got


def test_a_large_accident_goes_to_the_province_within_an_hour() -> None:
    facts = IncidentFacts("accident", "hazardous_chemicals", "III", occurred_at=bj(10, 10), received_at=bj(10, 10, 20))
    got = dues(facts)
    assert got["unit_to_province"] == [bj(10, 11)]
    assert got["county_phone_province"] == [bj(10, 11, 20)]


def test_a_near_miss_is_phoned_to_the_province_like_a_large_accident() -> None:
    facts = IncidentFacts("accident", "non_coal_mine", "IV", occurred_at=bj(10, 10), received_at=bj(10, 10),
                          near_miss=True)
    got = dues(facts)
    assert got["county_phone_province"] == [bj(10, 11)]
    assert "unit_to_province" not in got  # 令21 第六条 names 较大 and above only


def test_a_major_accident_reports_twice_a_day_until_closed() -> None:
    facts = IncidentFacts("accident", "work_safety", "II", occurred_at=bj(10, 22), received_at=bj(10, 22, 30),
                          closed_at=bj(12, 9))
    got = dues(facts, until=bj(20, 0))
    assert got["follow_up_major"] == [bj(11, 12), bj(12, 0), bj(12, 12)]  # 12 June's second slot starts after closure
    assert "follow_up" not in got


def test_a_stricter_province_is_a_rule_table_not_code() -> None:
    facts = IncidentFacts("accident", "work_safety", "II", occurred_at=bj(10, 10), received_at=bj(10, 10, 5))
    got = dues(facts, rules="henan", until=bj(11, 23))
    assert got["phone_major"] == [bj(10, 10, 20)]
    assert got["written_major"] == [bj(10, 10, 40)]
    assert got["follow_up_twice"] == [bj(11, 8), bj(11, 17)]
    assert got["county_to_city"] == [bj(10, 12, 5)]  # the national rows still apply


def test_natural_disaster_reports() -> None:
    facts = IncidentFacts("natural", "flood", "", occurred_at=bj(10, 7), received_at=bj(10, 7, 30),
                          stabilised_at=bj(12, 15), deaths_and_missing=0)
    got = dues(facts, until=bj(30, 0))
    assert got["disaster_initial"] == [bj(10, 9)]
    assert got["disaster_follow_up"] == [bj(11, 9), bj(12, 9)]  # daily 09:00 until it stabilised
    assert got["disaster_final"] == [bj(18, 0)]  # 12 June + 5 = 17 June (a Wednesday), by 24:00
    assert "disaster_initial_direct" not in got
    ten_dead = IncidentFacts("natural", "landslide", "4", occurred_at=bj(10, 7), deaths_and_missing=10)
    assert dues(ten_dead)["disaster_initial_direct"] == [bj(10, 9)]


def test_drought_reports_every_ten_days() -> None:
    facts = IncidentFacts("natural", "drought", "", occurred_at=bj(1, 12))
    got = dues(facts, until=bj(25, 0))
    assert got["drought_follow_up"] == [bj(12, 0), bj(22, 0)]  # end of 11 June and of 21 June
    assert "disaster_follow_up" not in got


def test_the_final_report_waits_for_stabilisation() -> None:
    facts = IncidentFacts("natural", "flood", "", occurred_at=bj(10, 7))
    assert "disaster_final" not in dues(facts)


def test_late_minutes() -> None:
    due = bj(10, 11)
    assert late_minutes(due, due) == 0
    assert late_minutes(due, due - timedelta(seconds=1)) == 0
    assert late_minutes(due, due + timedelta(seconds=1)) == 1
    assert late_minutes(due, due + timedelta(minutes=47)) == 47


@pytest.mark.parametrize(
    ("kind", "days_after", "owed"),
    [("work_safety", 30, True), ("work_safety", 31, False), ("road_traffic", 7, True), ("road_traffic", 8, False),
     ("fire", 7, True), ("fire", 8, False)],
)
def test_casualty_changes_inside_the_window_are_reported_the_same_day(kind, days_after, owed) -> None:
    occurred = bj(1, 10)
    changed = occurred + timedelta(days=days_after) - timedelta(minutes=1)
    due = casualty_change_due(report_rules(), kind=kind, occurred_at=occurred, changed_at=changed)
    if owed:
        assert due is not None
        assert due.due_at.astimezone(LOCAL_TZ) == datetime.combine(
            changed.astimezone(LOCAL_TZ).date() + timedelta(days=1), datetime.min.time(), LOCAL_TZ)
    else:
        changed = occurred + timedelta(days=days_after)
        assert casualty_change_due(report_rules(), kind=kind, occurred_at=occurred, changed_at=changed) is None


def test_bad_rule_tables_name_the_row_and_field() -> None:
    with pytest.raises(ValidationFailed) as err:
        parse_report_rules({"obligation": [
            {"code": "a", "label": "x", "scheme": "accident", "anchor": "someday", "amount": 1, "unit": "hours"},
            {"code": "b", "label": "x", "scheme": "accident", "anchor": "occurred_at", "amount": 1, "unit": "weeks"},
            {"code": "c", "label": "x", "scheme": "accident", "anchor": "occurred_at"},
            {"code": "d", "label": "x", "scheme": "accident", "anchor": "occurred_at", "at": ["25:99"]},
            {"code": "e", "label": "x", "scheme": "accident", "anchor": "occurred_at", "per_day": 5},
        ]}, source="province")
    fields = {d.field for d in err.value.details}
    assert {"province.obligation[0].anchor", "province.obligation[1].unit", "province.obligation[2].amount",
            "province.obligation[3].at", "province.obligation[4].per_day", "province.casualty_changes"} <= fields


def test_nine_dead_or_missing_is_not_yet_a_direct_report() -> None:
    # 灾情初报 straight to the province and ministry from 10 dead or missing ("以上" includes the number).
    nine = IncidentFacts("natural", "landslide", "4", occurred_at=bj(10, 7), deaths_and_missing=9)
    assert "disaster_initial_direct" not in dues(nine)
    assert "disaster_initial_direct" not in dues(IncidentFacts("natural", "landslide", "4", occurred_at=bj(10, 7)))


def rule_row(**kw) -> dict:
    return {"code": "r", "label": "测试报告", "scheme": "accident", "anchor": "occurred_at", **kw}


def parsed(row: dict):
    return parse_report_rules({"obligation": [row], "casualty_changes": {"window_days": 30, "short_window_days": 7}},
                              source="t").obligations[0]


def test_a_rule_row_keeps_what_it_says() -> None:
    timed = parsed(rule_row(amount=0, unit="hours", basis="某省规定"))  # 0: at once, allowed
    assert (timed.deadline.amount, timed.basis, timed.deadline.basis, timed.recurring) == (
        0, "某省规定", "某省规定", False)
    daily = parsed(rule_row(per_day=2, kinds=["fire"], not_kinds=["forest_fire"], grades=["I"], near_miss=True,
                            min_deaths_and_missing=3))
    assert (daily.recurring, daily.per_day, daily.every_days, daily.at, daily.deadline, daily.basis) == (
        True, 2, 0, (), None, "")
    assert (daily.kinds, daily.not_kinds, daily.grades, daily.near_miss, daily.min_deaths_and_missing) == (
        ("fire",), ("forest_fire",), ("I",), True, 3)
    # A timed row citing no basis shows none on its deadline either (no words invented for the clock).
    assert parsed(rule_row(amount=1, unit="hours")).deadline.basis == ""
    tenth = parsed(rule_row(every_days=10))
    assert (tenth.every_days, tenth.per_day, tenth.recurring) == (10, 0, True)


def test_which_incidents_a_rule_applies_to() -> None:
    rule = parsed(rule_row(per_day=1, kinds=["fire", "road_traffic"], not_kinds=["road_traffic"], grades=["II"],
                           near_miss=True, min_deaths_and_missing=2))

    def facts(**kw) -> IncidentFacts:
        return IncidentFacts(**{"scheme": "accident", "kind": "fire", "grade": "II", "occurred_at": bj(10, 10),
                                "deaths_and_missing": 2, **kw})

    assert rule.applies(facts())
    assert not rule.applies(facts(scheme="natural"))
    assert not rule.applies(facts(kind="flood"))  # not among its kinds
    assert not rule.applies(facts(kind="road_traffic"))  # among its kinds, but left out by not_kinds
    assert not rule.applies(facts(deaths_and_missing=1))
    assert not rule.applies(facts(grade="III"))
    assert rule.applies(facts(grade="III", near_miss=True))  # 较大涉险 counts like the grade
    assert parsed(rule_row(per_day=1)).applies(facts(grade="IV", deaths_and_missing=0))  # no conditions: all
    # Facts given without a count are of an incident with none dead or missing: a row for "1 or more" (a
    # stricter province's direct report of any death) does not apply to them.
    any_death = parsed(rule_row(per_day=1, min_deaths_and_missing=1))
    assert not any_death.applies(IncidentFacts("accident", "fire", "IV", occurred_at=bj(10, 10)))


@pytest.mark.parametrize(("row", "field", "message"), [
    (rule_row(label="", amount=1, unit="hours"), "label", "缺少必填字段"),
    # A row without its code or with a word for a count is refused in words, not read into a rule (a KeyError
    # or ValueError would reach the user as a server error).
    ({k: v for k, v in rule_row(amount=1, unit="hours").items() if k != "code"}, "code", "缺少必填字段"),
    (rule_row(every_days="ten"), "every_days", "应为正整数"),
    (rule_row(anchor="reported_at", amount=1, unit="hours"), "anchor",
     "应为 occurred_at、received_at、stabilised_at 之一"),
    (rule_row(amount=1, unit="weeks"), "unit", "应为 minutes、hours、days、working_days、months 之一"),
    (rule_row(amount=-1, unit="hours"), "amount", "应为非负整数"),
    (rule_row(amount=True, unit="hours"), "amount", "应为非负整数"),
    (rule_row(amount="1", unit="hours"), "amount", "应为非负整数"),
    (rule_row(), "amount", "应给出且只给出 amount/unit、per_day、at、every_days 之一"),
    (rule_row(amount=1, unit="hours", per_day=2), "amount", "应给出且只给出 amount/unit、per_day、at、every_days 之一"),
    (rule_row(per_day=0), "per_day", "应为正整数"),
    (rule_row(per_day=True), "per_day", "应为正整数"),
    (rule_row(every_days="2"), "every_days", "应为正整数"),
    (rule_row(every_days=0), "every_days", "应为正整数"),
    (rule_row(per_day=5), "per_day", "每日次数应能整除 24 小时（1、2、3、4、6、8、12、24）"),
    (rule_row(at=["25:99"]), "at", "时刻格式应为 HH:MM：'25:99'"),
])
def test_each_problem_of_a_rule_row_in_its_own_words(row: dict, field: str, message: str) -> None:
    with pytest.raises(ValidationFailed) as err:
        parsed(row)
    assert [(d.field, d.message) for d in err.value.details] == [(f"t.obligation[0].{field}", message)]


def test_a_table_extending_another_keeps_its_casualty_window() -> None:
    # 令493 第十三条: casualty changes within 30 days are reported, 7 days for road traffic and fire. A
    # province's table that extends the national one and says nothing of the window keeps it.
    province = parse_report_rules({"obligation": []}, source="p", base=report_rules("national"))
    w = province.casualty_changes
    assert (w.window_days, w.short_window_days) == (30, 7)
    assert set(w.short_window_kinds) >= {"road_traffic", "fire"}


def test_late_by_whole_minutes_and_which_dues_recur() -> None:
    # 迟报 in whole minutes, rounded up: 61 minutes late is 61, one second late is 1, on time is 0.
    due = bj(10, 11)
    assert [late_minutes(due, due + timedelta(minutes=61)), late_minutes(due, due + timedelta(seconds=1)),
            late_minutes(due, due)] == [61, 1, 0]
    # 令493 第九条 (within 1 hour) is one deadline; 令21 第十一条's daily 续报 recurs, never provisional.
    facts = IncidentFacts("accident", "work_safety", "IV", occurred_at=bj(10, 10), received_at=bj(10, 10, 40))
    flags = {d.code: (d.recurring, d.provisional)
             for d in obligations(report_rules("national"), facts, CAL, until=bj(12, 12))}
    assert flags["unit_to_county"][0] is False
    assert flags["follow_up"] == (True, False)


def test_an_unknown_table_and_the_casualty_change_due() -> None:
    with pytest.raises(ValidationFailed) as err:
        report_rules("nowhere")
    assert str(err.value) == "没有名为 nowhere 的报告时限表"
    assert [(d.field, d.message) for d in err.value.details] == [("report_rules", "未知：nowhere")]
    # 令493 第十三条: one report of the change, by 24:00 of its day; not recurring, not provisional.
    due = casualty_change_due(report_rules("national"), kind="work_safety", occurred_at=bj(10, 10),
                              changed_at=bj(12, 9))
    assert (due.code, due.due_at, due.recurring, due.provisional) == ("casualty_change", bj(13, 0), False, False)


@pytest.mark.parametrize(("kind", "days", "last_day"), [("work_safety", 30, (7, 1)), ("road_traffic", 7, (6, 8)),
                                                        ("fire", 7, (6, 8))])
def test_the_casualty_window_ends_at_24_00_of_its_last_day(kind: str, days: int, last_day: tuple[int, int]) -> None:
    """令493 第十三条 says "自事故发生之日起30日内" (7 日 for road traffic and fire): a period counted in days.
    Counted as every period in days is (民法典 第二百零一条: the day the period starts is not counted; 第二百零三条:
    its last day ends at 24:00; the legal clock of cn-rules and core/deadlines.py counts the same way), an
    accident at 10:00 on 1 June has its 30 days from 2 June to 1 July, and 7 days from 2 to 8 June. A change at
    23:59 of the last day is inside, whatever the accident's hour; at 24:00 (00:00 of the next day) it is not."""
    occurred = bj(1, 10)
    last = datetime(2026, *last_day, 23, 59, tzinfo=LOCAL_TZ)
    due = casualty_change_due(report_rules(), kind=kind, occurred_at=occurred, changed_at=last.astimezone(UTC))
    assert due is not None
    assert due.due_at == (last + timedelta(minutes=1)).astimezone(UTC)  # the same day's 24:00
    assert (due.label, due.basis) == (f"伤亡人数变化当日续报（事故后{days}日内）",
                                      "生产安全事故报告和调查处理条例 第十三条；令21 第十一条")
    end = (last + timedelta(minutes=1)).astimezone(UTC)
    assert casualty_change_due(report_rules(), kind=kind, occurred_at=occurred, changed_at=end) is None
    # The accident's own hour does not move the window: one at 23:30 on 1 June closes at the same instant.
    late_accident = bj(1, 23, 30)
    assert casualty_change_due(report_rules(), kind=kind, occurred_at=late_accident, changed_at=end) is None
    assert casualty_change_due(report_rules(), kind=kind, occurred_at=late_accident,
                               changed_at=end - timedelta(minutes=1)) is not None


def test_a_table_without_its_casualty_window_is_refused_in_words() -> None:
    with pytest.raises(ValidationFailed) as err:
        parse_report_rules({"obligation": [], "casualty_changes": {"window_days": 30}}, source="t")
    assert str(err.value) == "t: 报告时限表有 1 处错误"
    assert [(d.field, d.message) for d in err.value.details] == [
        ("t.casualty_changes", "缺少伤亡变化补报期限：window_days、short_window_days")]
    # Every problem is counted in the table's words: a bad row and the missing window are 2.
    with pytest.raises(ValidationFailed) as err:
        parse_report_rules({"obligation": [rule_row(per_day=5)]}, source="省表")
    assert str(err.value) == "省表: 报告时限表有 2 处错误"


def test_a_table_keeps_its_name_and_window_basis() -> None:
    window = {"window_days": 30, "short_window_days": 7, "short_window_kinds": ["fire"], "basis": "某省规定 第五条"}
    table = parse_report_rules({"name": "某省报告时限", "obligation": [], "casualty_changes": window}, source="p")
    assert (table.name, table.casualty_changes.basis, table.casualty_changes.short_window_kinds) == (
        "某省报告时限", "某省规定 第五条", ("fire",))
    # Without a name the table is known by its source; without a basis or short kinds, none are invented.
    bare = parse_report_rules({"casualty_changes": {"window_days": 30, "short_window_days": 7}}, source="p")
    assert (bare.name, bare.casualty_changes.basis, bare.casualty_changes.short_window_kinds) == ("p", "", ())
    assert report_rules("national").name == "全国通用（国务院令第493号、原安监总局令第21号、自然灾害情况统计调查制度）"


def test_no_follow_up_period_starts_at_the_closing_instant() -> None:
    # 令21 第十一条's daily 续报 runs until the incident is closed. Closed at 00:00 on 12 June, 11 June's report
    # (by 24:00, i.e. 12 June 00:00) is owed; 12 June's period begins at the closing instant and owes nothing.
    facts = IncidentFacts("accident", "work_safety", "IV", occurred_at=bj(10, 10), received_at=bj(10, 10, 40),
                          closed_at=bj(12, 0))
    assert dues(facts, until=bj(20, 0))["follow_up"] == [bj(12, 0)]
    # Twice a day for a 重大 accident: closed at 12:00 on 11 June, the morning slot is owed by 12:00 and the
    # afternoon slot, which begins at 12:00, is not.
    major = IncidentFacts("accident", "work_safety", "II", occurred_at=bj(10, 22), received_at=bj(10, 22, 30),
                          closed_at=bj(11, 12))
    assert dues(major, until=bj(20, 0))["follow_up_major"] == [bj(11, 12)]
    # The same for a table's fixed times (河南's 8 时 and 17 时): closed at 00:00 on 12 June, 11 June's two
    # reports are owed and 12 June, which begins at the closing instant, owes neither.
    henan = IncidentFacts("accident", "work_safety", "II", occurred_at=bj(10, 10), received_at=bj(10, 10, 5),
                          closed_at=bj(12, 0))
    assert dues(henan, rules="henan", until=bj(20, 0))["follow_up_twice"] == [bj(11, 8), bj(11, 17)]
