"""The working-day calendar's pure part, without a database: the holiday names the pages show, the three
sources of a day and of a year, and the years the bureau may enter. Dates and names are those of the State
Council's notices (国务院办公厅关于部分节假日安排的通知), not the module's table."""

from __future__ import annotations

from datetime import date

import pytest

from yingji.core.errors import ValidationFailed
from yingji.core.workdays import SOURCE_LABELS, DayInfo, WorkCalendar, _check_year, library_years

CAL = WorkCalendar()


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2026, 1, 1), "元旦"),
        (date(2026, 2, 17), "春节"),  # 正月初一
        (date(2026, 4, 5), "清明节"),
        (date(2026, 5, 1), "劳动节"),
        (date(2026, 6, 19), "端午节"),
        (date(2024, 9, 17), "中秋节"),
        (date(2026, 10, 1), "国庆节"),
        (date(2015, 9, 3), "抗战胜利纪念日"),  # the one-off holiday of 2015
    ],
)
def test_every_holiday_is_named_in_chinese(day: date, name: str) -> None:
    info = CAL.day(day)
    assert (info.name, info.working, info.source) == (name, False, "library")


def test_a_make_up_working_day_says_for_which_holiday() -> None:
    info = CAL.day(date(2026, 1, 4))  # Sunday worked after 元旦 2026 (1–3 January off)
    assert (info.name, info.working) == ("元旦调休上班", True)


def test_an_ordinary_day_has_no_name() -> None:
    assert CAL.day(date(2026, 3, 10)) == DayInfo(date(2026, 3, 10), True, "", "library")
    assert CAL.day(date(2026, 3, 14)) == DayInfo(date(2026, 3, 14), False, "", "library")  # a Saturday


def test_the_library_knows_the_years_of_its_notices() -> None:
    years = library_years()
    assert {2004, 2015, 2025, 2026} <= years
    assert 2003 not in years and 2099 not in years


def test_a_bureau_entry_wins_and_a_missing_name_is_empty() -> None:
    day = date(2026, 10, 1)
    cal = WorkCalendar({day: DayInfo(day, True, None, "x")})  # a row whose name was never filled
    assert cal.day(day) == DayInfo(day, True, "", "bureau")
    assert cal.day(date(2026, 10, 2)).source == "library"


def test_a_year_outside_the_library_is_assumed_until_the_bureau_confirms_it() -> None:
    monday, saturday = date(2099, 6, 1), date(2099, 6, 6)
    assumed = WorkCalendar()
    assert assumed.day(monday) == DayInfo(monday, True, "", "assumed")
    assert assumed.day(saturday) == DayInfo(saturday, False, "", "assumed")
    confirmed = WorkCalendar(confirmed_years=frozenset({2099}))
    assert confirmed.day(monday).source == confirmed.day(saturday).source == "bureau"


def test_year_status_from_each_source() -> None:
    day = date(2099, 1, 1)
    assert (CAL.year_status(2026).source, CAL.year_status(2026).complete) == ("library", True)
    assert WorkCalendar(confirmed_years=frozenset({2099})).year_status(2099).source == "bureau"
    nothing = CAL.year_status(2099)
    assert (nothing.source, nothing.complete, nothing.note) == ("missing", False, "尚未录入")
    some = WorkCalendar({day: DayInfo(day, False, "元旦", "x")}).year_status(2099)
    assert (some.source, some.complete, some.note) == ("missing", False, "已录入 1 天，尚未确认完整")


def test_the_sources_have_their_labels() -> None:
    assert SOURCE_LABELS == {"bureau": "本局录入", "library": "国务院节假日安排", "assumed": "未录入，按周一至周五推定"}


@pytest.mark.parametrize(("year", "ok"), [(1999, False), (2000, True), (2100, True), (2101, False)])
def test_the_years_the_bureau_may_enter(year: int, ok: bool) -> None:
    if ok:
        _check_year("year", year)
    else:
        with pytest.raises(ValidationFailed) as err:
            _check_year("year", year)
        assert [(d.field, d.message) for d in err.value.details] == [("year", "年份须在 2000–2100 之间")]


def test_shifting_over_an_assumed_year_names_it() -> None:
    # The library stops long before 2100, so 2100 and 2101 are assumed Monday–Friday years: from Friday
    # 24 Dec 2100 the 5th working day is Friday 31 Dec (27, 28, 29, 30, 31).
    day, assumed = CAL.shift_working_days(date(2100, 12, 24), 5)
    assert day == date(2100, 12, 31) and assumed == frozenset({2100})
    back, years = CAL.roll_to_working_day(date(2101, 1, 1), backward=True)  # a Saturday
    assert back == date(2100, 12, 31) and years == frozenset({2101, 2100})  # Saturday 1 Jan → Friday
