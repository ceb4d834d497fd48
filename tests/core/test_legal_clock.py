"""The legal clock: working days with holidays and 调休, and deadlines computed from declared rules.

Expected days are hand-counted from the State Council's holiday notices (国办发明电〔2024〕12号 for 2025:
国庆节 10月1日–8日放假，9月28日（周日）、10月11日（周六）上班; 劳动节 5月1日–5日放假，4月27日（周日）上班)
and the 期间 rule that the start day is not counted.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from yingji.core.actor import SYSTEM
from yingji.core.clock import LOCAL_TZ
from yingji.core.deadlines import DeadlineRule, Unit, compute, parse_rules
from yingji.core.errors import ValidationFailed
from yingji.core.workdays import WorkCalendar, confirm_year, load_calendar, missing_years, set_day


def bj(y: int, m: int, d: int, hh: int = 10, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=LOCAL_TZ).astimezone(UTC)


def end_of(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, tzinfo=LOCAL_TZ).astimezone(UTC) + timedelta(days=1)


def rule(amount: int, unit: str, **kw) -> DeadlineRule:
    return DeadlineRule(code="t", label="测试期限", amount=amount, unit=Unit(unit), **kw)


CAL = WorkCalendar()


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2025, 9, 28), True),  # Sunday made a working day for 国庆
        (date(2025, 10, 1), False),
        (date(2025, 10, 8), False),  # last day of the 8-day holiday, a Wednesday
        (date(2025, 10, 9), True),
        (date(2025, 10, 11), True),  # Saturday made a working day
        (date(2025, 10, 12), False),  # ordinary Sunday
        (date(2025, 4, 27), True),  # Sunday worked for 劳动节
        (date(2025, 5, 5), False),  # Monday inside 劳动节
    ],
)
def test_holidays_and_make_up_days(day: date, working: bool) -> None:
    assert CAL.is_working_day(day) is working
    assert CAL.day(day).source == "library"


def test_holiday_names_are_chinese() -> None:
    assert CAL.day(date(2025, 10, 3)).name == "国庆节"
    assert CAL.day(date(2025, 9, 28)).name == "国庆节调休上班"


def test_working_days_across_national_day() -> None:
    # Served Friday 26 Sep: 28 (Sun, worked) 1, 29 2, 30 3, [1–8 Oct off], 9 Oct 4, 10 Oct 5.
    d = compute(rule(5, "working_days"), start=bj(2025, 9, 26), calendar=CAL)
    assert d.last_day == date(2025, 10, 10)
    assert d.due_at == end_of(2025, 10, 10) == datetime(2025, 10, 10, 16, 0, tzinfo=UTC)
    assert not d.provisional


def test_working_days_in_an_ordinary_week() -> None:
    d = compute(rule(5, "working_days"), start=bj(2025, 11, 3), calendar=CAL)  # Monday
    assert d.last_day == date(2025, 11, 10)


def test_the_start_day_is_beijing_time_not_utc() -> None:
    # 23:30 and 00:30 Beijing time are the same UTC date (25 Sep) but different start days.
    late_thursday = compute(rule(5, "working_days"), start=bj(2025, 9, 25, 23, 30), calendar=CAL)
    early_friday = compute(rule(5, "working_days"), start=bj(2025, 9, 26, 0, 30), calendar=CAL)
    assert late_thursday.start.date() == early_friday.start.date() == date(2025, 9, 25)
    assert late_thursday.last_day == date(2025, 10, 9)
    assert early_friday.last_day == date(2025, 10, 10)


def test_calendar_days_ending_on_a_holiday_move_to_the_next_working_day() -> None:
    d = compute(rule(7, "days"), start=bj(2025, 9, 24), calendar=CAL)  # 24 Sep + 7 = 1 Oct, a holiday
    assert d.last_day == date(2025, 10, 9)
    exact = compute(rule(7, "days", roll=False), start=bj(2025, 9, 24), calendar=CAL)
    assert exact.last_day == date(2025, 10, 1)


def test_a_worked_saturday_is_not_moved_but_an_ordinary_one_is() -> None:
    assert compute(rule(7, "days"), start=bj(2025, 10, 4), calendar=CAL).last_day == date(2025, 10, 11)
    assert compute(rule(7, "days"), start=bj(2025, 11, 1), calendar=CAL).last_day == date(2025, 11, 10)


def test_extension_of_a_case_period() -> None:
    r = rule(30, "days", extended_amount=90)
    assert compute(r, start=bj(2025, 8, 1), calendar=CAL).last_day == date(2025, 9, 1)  # 31 Aug is a Sunday
    extended = compute(r, start=bj(2025, 8, 1), calendar=CAL, extended=True)
    assert extended.last_day == date(2025, 10, 30)
    assert extended.extended
    with pytest.raises(ValueError):
        compute(rule(30, "days"), start=bj(2025, 8, 1), calendar=CAL, extended=True)


def test_months_clamp_to_the_end_of_a_short_month() -> None:
    assert compute(rule(1, "months"), start=bj(2025, 1, 31), calendar=CAL).last_day == date(2025, 2, 28)


def test_hours_and_minutes_are_exact_even_on_a_holiday() -> None:
    start = datetime(2025, 10, 1, 1, 30, tzinfo=UTC)
    one_hour = compute(rule(1, "hours"), start=start, calendar=CAL)
    assert one_hour.due_at == datetime(2025, 10, 1, 2, 30, tzinfo=UTC)
    assert one_hour.last_day is None
    assert compute(rule(35, "minutes"), start=start, calendar=CAL).due_at == start + timedelta(minutes=35)


def test_counting_back_from_a_hearing() -> None:
    # Hearing Monday 13 Oct; 7 working days before: 11 (Sat, worked) 1, 10 2, 9 3, [1–8 off], 30 Sep 4,
    # 29 5, 28 (Sun, worked) 6, 26 7.
    d = compute(rule(7, "working_days", direction="before"), start=bj(2025, 10, 13), calendar=CAL)
    assert d.last_day == date(2025, 9, 26)


def test_overdue_from_the_due_instant_on() -> None:
    d = compute(rule(5, "working_days"), start=bj(2025, 9, 26), calendar=CAL)
    assert not d.is_overdue(d.due_at - timedelta(microseconds=1))
    assert d.is_overdue(d.due_at)
    assert d.remaining(d.due_at - timedelta(hours=2)) == timedelta(hours=2)


def test_a_year_nobody_entered_is_assumed_and_says_so(db) -> None:
    # The library knows up to 2026; 1 Jan 2027 would count as a Friday at work until the bureau says otherwise.
    start = bj(2026, 12, 25)  # Friday
    before = compute(rule(5, "working_days"), start=start, calendar=load_calendar(db))
    assert before.last_day == date(2027, 1, 1)
    assert before.provisional and before.assumed_years == {2027}
    assert "2027 年节假日安排尚未录入" in before.explanation()

    set_day(db=db, actor=SYSTEM, day=date(2027, 1, 1), working=False, name="元旦")
    entered = compute(rule(5, "working_days"), start=start, calendar=load_calendar(db))
    assert entered.last_day == date(2027, 1, 4)
    assert entered.provisional  # the year is not confirmed complete yet

    confirm_year(db=db, actor=SYSTEM, year=2027, source="国务院办公厅关于2027年部分节假日安排的通知")
    confirmed = compute(rule(5, "working_days"), start=start, calendar=load_calendar(db))
    assert confirmed.last_day == date(2027, 1, 4)
    assert not confirmed.provisional


def test_a_bureau_entry_wins_over_the_library(db) -> None:
    set_day(db=db, actor=SYSTEM, day=date(2025, 10, 9), working=False, name="本地更正")
    assert not load_calendar(db).is_working_day(date(2025, 10, 9))
    assert load_calendar(db).day(date(2025, 10, 9)).source == "bureau"


def test_missing_years_for_the_settings_page(db) -> None:
    assert [s.year for s in missing_years(db, today=date(2026, 12, 1))] == [2027]
    assert missing_years(db, today=date(2025, 6, 1)) == []
    with pytest.raises(ValidationFailed) as err:
        confirm_year(db=db, actor=SYSTEM, year=2025, source="x")
    assert err.value.details[0].field == "year"
    with pytest.raises(ValidationFailed) as err:
        confirm_year(db=db, actor=SYSTEM, year=2027, source="  ")
    assert err.value.details[0].field == "source"


def test_rule_tables_are_checked_field_by_field() -> None:
    good = parse_rules({"hearing_request": {"label": "听证申请期限", "amount": 5, "unit": "working_days"}})
    assert good["hearing_request"].unit is Unit.working_days
    with pytest.raises(ValidationFailed) as err:
        parse_rules(
            {
                "a": {"label": "x", "amount": 5, "unit": "weeks"},
                "b": {"label": "x", "unit": "days"},
                "c": {"label": "x", "amount": -1, "unit": "days"},
                "d": {"label": "x", "amount": 30, "unit": "days", "extended_amount": 10},
                "e": {"label": "x", "amount": 3, "unit": "days", "colour": "red"},
                "f": {"label": "x", "amount": True, "unit": "days"},
            },
            source="enforcement",
        )
    fields = {d.field for d in err.value.details}
    assert {
        "enforcement.a.unit",
        "enforcement.b.amount",
        "enforcement.c.amount",
        "enforcement.d.extended_amount",
        "enforcement.e.colour",
        "enforcement.f.amount",
    } <= fields


def test_a_rule_says_its_period_in_words() -> None:
    # What the pages print next to a deadline: label, amount, unit word, 内 (after the event) or 前 (before it).
    assert rule(5, "working_days").describe() == "测试期限：5个工作日内"
    assert rule(7, "working_days", direction="before").describe() == "测试期限：7个工作日前"
    assert rule(35, "minutes").describe() == "测试期限：35分钟内"
    assert rule(1, "hours").describe() == "测试期限：1小时内"
    assert rule(7, "days").describe() == "测试期限：7日内"
    assert rule(3, "months").describe() == "测试期限：3个月内"
    extendable = rule(30, "days", extended_amount=90)
    assert extendable.describe() == "测试期限：30日内"
    assert extendable.describe(extended=True) == "测试期限：90日内"
    assert rule(30, "days").describe(extended=True) == "测试期限：30日内"  # nothing to extend to


def test_a_deadline_explains_its_last_day_or_its_instant() -> None:
    # A period in days ends at 24:00 of its last day (Beijing time); one in hours at its exact instant.
    days = compute(rule(5, "working_days"), start=bj(2025, 9, 26), calendar=CAL)
    assert days.explanation() == "测试期限：5个工作日内，截至 2025-10-10 24 时"
    hours = compute(rule(1, "hours"), start=datetime(2025, 10, 1, 1, 30, tzinfo=UTC), calendar=CAL)
    assert hours.explanation() == "测试期限：1小时内，截至 2025-10-01 10:30"  # 02:30 UTC is 10:30 in Beijing
    extended = compute(rule(30, "days", extended_amount=90), start=bj(2025, 8, 1), calendar=CAL, extended=True)
    assert extended.explanation() == "测试期限：90日内，截至 2025-10-30 24 时"


def test_a_deadline_in_years_nobody_entered_says_which() -> None:
    # The library has no holiday schedule past 2026: such years count Monday–Friday, and the text says so.
    one = compute(rule(5, "working_days"), start=bj(2027, 3, 1), calendar=CAL)  # Monday 1 March 2027
    assert one.provisional and one.assumed_years == {2027}
    assert one.last_day == date(2027, 3, 8)
    assert one.explanation() == (
        "测试期限：5个工作日内，截至 2027-03-08 24 时（2027 年节假日安排尚未录入，按周一至周五推算，录入后会变化）"
    )
    # Monday 20 Dec 2027 + 10 working days: 21–24, 27–31 Dec (9), Monday 3 Jan 2028 (10).
    two = compute(rule(10, "working_days"), start=bj(2027, 12, 20), calendar=CAL)
    assert two.last_day == date(2028, 1, 3)
    assert two.explanation().endswith("（2027、2028 年节假日安排尚未录入，按周一至周五推算，录入后会变化）")


def test_a_table_without_basis_or_approver_says_nothing_of_them() -> None:
    r = parse_rules({"x": {"label": "某期限", "amount": 5, "unit": "days"}})["x"]
    assert (r.basis, r.extension_needs, r.direction, r.roll, r.extended_amount) == ("", "", "after", True, None)


def test_every_problem_of_a_rule_table_in_its_own_words() -> None:
    with pytest.raises(ValidationFailed) as err:
        parse_rules(
            {
                "a": {"label": "x", "amount": 5, "unit": "weeks"},
                "b": {"label": "x", "unit": "days"},
                "c": {"label": "x", "amount": -1, "unit": "days", "extended_amount": -1},
                "d": {"label": "x", "amount": 30, "unit": "days", "extended_amount": 10},
                "e": {"label": "x", "amount": 3, "unit": "days", "colour": "red"},
                "f": {"label": "x", "amount": True, "unit": "days", "roll": "no"},
                "g": "5 days",
                "h": {"label": "x", "amount": 3, "unit": "days", "direction": "after the fact"},
                "ok": {"label": "x", "amount": 30, "unit": "days", "extended_amount": 30},
            },
            source="enforcement",
        )
    assert str(err.value) == "enforcement: 期限表有 10 处错误"
    assert [(d.field, d.message) for d in err.value.details] == [
        ("enforcement.a.unit", "应为 minutes、hours、days、working_days、months 之一"),
        ("enforcement.b.amount", "缺少必填字段"),
        ("enforcement.c.amount", "不能为负数"),
        ("enforcement.c.extended_amount", "不能为负数"),
        ("enforcement.d.extended_amount", "延长后的期限不能短于原期限"),
        ("enforcement.e.colour", "未知字段"),
        ("enforcement.f.amount", "类型应为 int"),
        ("enforcement.f.roll", "类型应为 bool"),
        ("enforcement.g", "应为一张表"),
        ("enforcement.h.direction", "应为 after 或 before"),
    ]


def test_a_rule_table_is_read_from_its_file(tmp_path) -> None:
    from yingji.core.deadlines import load_rules

    path = tmp_path / "cases.toml"
    path.write_text('[hearing_request]\nlabel = "听证申请期限"\namount = 5\nunit = "working_days"\n'
                    'basis = "行政处罚法 第六十四条"\n[x]\nlabel = "x"\n', encoding="utf-8")
    with pytest.raises(ValidationFailed) as err:
        load_rules(path)
    assert [d.field for d in err.value.details] == ["cases.x.amount", "cases.x.unit"]
    path.write_text('[hearing_request]\nlabel = "听证申请期限"\namount = 5\nunit = "working_days"\n'
                    'basis = "行政处罚法 第六十四条"\n', encoding="utf-8")
    assert load_rules(path)["hearing_request"].basis == "行政处罚法 第六十四条"


def test_months_across_the_year_both_ways() -> None:
    from yingji.core.deadlines import add_months

    assert add_months(date(2025, 11, 30), 3) == date(2026, 2, 28)  # Dec, Jan, Feb; 2026 is no leap year
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert add_months(date(2025, 12, 31), 1) == date(2026, 1, 31)
    assert add_months(date(2026, 1, 15), -1) == date(2025, 12, 15)
    assert add_months(date(2026, 3, 31), -13) == date(2025, 2, 28)
    assert add_months(date(2025, 6, 10), 0) == date(2025, 6, 10)
    # A three-month period from 30 Nov 2025 ends on Saturday 28 Feb 2026, a day worked for 春节 (the
    # State Council's 2026 holiday notice: 14 and 28 Feb worked, 15–23 Feb off): it stays. From 22 Nov it
    # would end on Sunday 22 Feb, inside the holiday, and rolls to Tuesday 24 Feb.
    assert compute(rule(3, "months"), start=bj(2025, 11, 30), calendar=CAL).last_day == date(2026, 2, 28)
    assert compute(rule(3, "months"), start=bj(2025, 11, 22), calendar=CAL).last_day == date(2026, 2, 24)


def test_a_period_counted_back_in_days_moves_off_a_holiday_to_the_day_before() -> None:
    # A notice served 7 days before an act on Friday 10 Oct 2025 is due by 3 Oct, inside 国庆 (1–8 Oct off):
    # counting back, the last day still in time is the working day before the holiday, Tuesday 30 Sep, not
    # the one after it (9 Oct would be after the act's own deadline had passed).
    before = compute(rule(7, "days", direction="before"), start=bj(2025, 10, 10), calendar=CAL)
    assert (before.last_day, before.due_at) == (date(2025, 9, 30), end_of(2025, 9, 30))
    assert parse_rules({"n": {"label": "x", "amount": 7, "unit": "days", "direction": "before"}})["n"].direction == (
        "before")


def test_a_period_kept_on_its_exact_day_leans_on_no_year() -> None:
    # roll = false: 7 days from Wednesday 24 Sep 2025 end on 1 Oct (国庆) and stay there; no calendar was read.
    kept = compute(rule(7, "days", roll=False), start=bj(2025, 9, 24), calendar=CAL)
    assert (kept.last_day, kept.assumed_years, kept.provisional) == (date(2025, 10, 1), frozenset(), False)
    assert kept.explanation() == "测试期限：7日内，截至 2025-10-01 24 时"


def test_a_period_of_zero_days_is_the_same_day() -> None:
    # "当日" (0 days: by 24:00 of the day itself) is a period a table may declare; only negatives are refused.
    rules = parse_rules({"same_day": {"label": "当日报告", "amount": 0, "unit": "days", "extended_amount": 0,
                                      "extension_needs": "局长批准"}})
    same_day = rules["same_day"]
    assert (same_day.amount, same_day.extended_amount, same_day.extension_needs) == (0, 0, "局长批准")
    assert compute(same_day, start=bj(2025, 9, 24), calendar=CAL).due_at == end_of(2025, 9, 24)


def test_the_default_table_name_and_the_programming_errors_in_words() -> None:
    with pytest.raises(ValidationFailed) as err:
        parse_rules({"x": "5 days"})
    assert str(err.value) == "deadlines: 期限表有 1 处错误"
    assert [d.field for d in err.value.details] == ["deadlines.x"]
    with pytest.raises(ValueError) as naive:
        compute(rule(1, "hours"), start=datetime(2025, 10, 1, 10), calendar=CAL)
    assert str(naive.value) == "start must be timezone-aware"
    with pytest.raises(ValueError) as fixed:
        compute(rule(30, "days"), start=bj(2025, 8, 1), calendar=CAL, extended=True)
    assert str(fixed.value) == "deadline t cannot be extended"
    # An extendable rule not extended keeps its own amount; extended, the longer one (30 → 90 days from 1 Aug).
    r = rule(30, "days", extended_amount=90)
    assert compute(r, start=bj(2025, 8, 1), calendar=CAL).last_day == date(2025, 9, 1)
    assert compute(r, start=bj(2025, 8, 1), calendar=CAL, extended=True).last_day == date(2025, 10, 30)
