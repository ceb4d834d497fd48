"""The working-day calendar's pure part, without a database: the holiday names the pages show, the three
sources of a day and of a year, and the years the bureau may enter. Dates and names are those of the State
Council's notices (国务院办公厅关于部分节假日安排的通知), not the module's table."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from yingji.core.actor import SYSTEM
from yingji.core.audit import AuditEntry, AuditHead
from yingji.core.db import Base
from yingji.core.errors import ValidationFailed
from yingji.core.workdays import (
    SOURCE_LABELS,
    DayInfo,
    WorkCalendar,
    _check_year,
    clear_day,
    confirm_year,
    days_of_month,
    library_years,
    load_calendar,
    missing_years,
    month_days,
    set_day,
    years_to_check,
)

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


@pytest.mark.parametrize(("year", "month", "length", "last"), [
    (2024, 2, 29, date(2024, 2, 29)),  # a leap February
    (2026, 2, 28, date(2026, 2, 28)),
    (2025, 12, 31, date(2025, 12, 31)),  # December: the next month is January of the next year
    (2026, 1, 31, date(2026, 1, 31)),
    (2025, 4, 30, date(2025, 4, 30)),
])
def test_a_month_has_its_days_in_order(year: int, month: int, length: int, last: date) -> None:
    days = days_of_month(CAL, year=year, month=month)
    assert (len(days), days[0].day, days[-1].day) == (length, date(year, month, 1), last)
    assert [d.day.day for d in days] == list(range(1, length + 1))


def test_a_month_shows_the_notice_s_holidays() -> None:
    # 国庆 2025: 1–8 October off, Saturday 11 October worked (国办发明电〔2024〕12号).
    october = days_of_month(CAL, year=2025, month=10)
    assert [d.day.day for d in october if not d.working] == [1, 2, 3, 4, 5, 6, 7, 8, 12, 18, 19, 25, 26]
    assert october[10] == DayInfo(date(2025, 10, 11), True, "国庆节调休上班", "library")


@pytest.mark.parametrize(("year", "month", "field", "message"), [
    (2025, 0, "month", "月份须在 1–12 之间"),
    (2025, 13, "month", "月份须在 1–12 之间"),
    (1999, 5, "year", "年份须在 2000–2100 之间"),
    (2101, 5, "year", "年份须在 2000–2100 之间"),
])
def test_a_month_outside_the_calendar_is_refused_by_its_field(year: int, month: int, field: str, message: str) -> None:
    for ask in (lambda: days_of_month(CAL, year=year, month=month), lambda: month_days(None, year=year, month=month)):
        with pytest.raises(ValidationFailed) as err:
            ask()
        assert [(d.field, d.message) for d in err.value.details] == [(field, message)]


def test_the_settings_page_checks_this_year_and_the_next() -> None:
    assert years_to_check(date(2026, 12, 3)) == [2026, 2027]


@pytest.fixture
def db() -> Iterator[Session]:
    """A real SQLite database holding the two calendar tables as migrations/versions/foundation_0002_calendar.py
    creates them (written out here: the module's own declarations are what is under test)."""
    engine = create_engine("sqlite://")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE calendar_days (day DATE NOT NULL PRIMARY KEY, working BOOLEAN NOT NULL, "
                          "name VARCHAR(40) NOT NULL, note VARCHAR(200) NOT NULL)"))
        conn.execute(text("CREATE TABLE calendar_years (year INTEGER NOT NULL PRIMARY KEY, source VARCHAR(200) "
                          "NOT NULL, confirmed_at DATETIME NOT NULL, confirmed_by INTEGER)"))
        # The audit log's own tables, from its models (not under test): once the audit module is loaded, as it
        # is in the whole suite, every session's flush writes its entries.
        Base.metadata.create_all(conn, tables=[AuditEntry.__table__, AuditHead.__table__])
    with Session(engine) as session:
        yield session
    engine.dispose()


def test_a_bureau_entry_is_stored_corrected_and_cleared(db: Session) -> None:
    # 2099 is no year of the library's: the bureau types in its 元旦 and a make-up Saturday.
    set_day(db, actor=SYSTEM, day=date(2099, 1, 1), working=False, name=" 元旦 ", note=" 国办通知 ")
    set_day(db, actor=SYSTEM, day=date(2099, 1, 3), working=True, name="元旦调休上班")
    rows = db.execute(text("SELECT day, working, name, note FROM calendar_days ORDER BY day")).all()
    assert [tuple(r) for r in rows] == [("2099-01-01", 0, "元旦", "国办通知"), ("2099-01-03", 1, "元旦调休上班", "")]
    january = month_days(db, year=2099, month=1)
    assert (january[0], january[2]) == (DayInfo(date(2099, 1, 1), False, "元旦", "bureau"),
                                        DayInfo(date(2099, 1, 3), True, "元旦调休上班", "bureau"))
    # 1 Jan 2099 is a Thursday (73 years after Thursday 1 Jan 2026, 18 of them leap: 26,663 days, 3,809 weeks),
    # so the 2nd, not entered, is a Friday assumed worked, and the 3rd the Saturday made a working day.
    assert january[1] == DayInfo(date(2099, 1, 2), True, "", "assumed")
    # A correction overwrites the row; clearing it lets the assumption answer again.
    set_day(db, actor=SYSTEM, day=date(2099, 1, 1), working=True, name="更正", note="")
    assert db.execute(text("SELECT working, name, note FROM calendar_days WHERE day = '2099-01-01'")).one() == (
        1, "更正", "")
    assert clear_day(db, actor=SYSTEM, day=date(2099, 1, 1)) is True
    assert clear_day(db, actor=SYSTEM, day=date(2099, 1, 1)) is False  # nothing left to clear
    assert [tuple(r) for r in db.execute(text("SELECT day FROM calendar_days")).all()] == [("2099-01-03",)]
    assert load_calendar(db).day(date(2099, 1, 1)) == DayInfo(date(2099, 1, 1), True, "", "assumed")


def test_a_year_is_confirmed_with_its_notice(db: Session) -> None:
    assert [(s.year, s.source, s.note) for s in missing_years(db, today=date(2098, 6, 1))] == [
        (2098, "missing", "尚未录入"), (2099, "missing", "尚未录入")]
    row = confirm_year(db, actor=SYSTEM, year=2099, source=" 国办发明电〔2098〕1号 ")
    assert (row.year, row.source, row.confirmed_by) == (2099, "国办发明电〔2098〕1号", None)
    first = row.confirmed_at
    again = confirm_year(db, actor=SYSTEM, year=2099, source="更正后的通知")
    assert (again.source, again.confirmed_at >= first) == ("更正后的通知", True)
    assert db.execute(text("SELECT year, source FROM calendar_years")).all() == [(2099, "更正后的通知")]
    assert [s.year for s in missing_years(db, today=date(2098, 6, 1))] == [2098]
    assert load_calendar(db).year_status(2099).source == "bureau"
    # 2026 is the library's last year (its notice of late 2025): from 2026 on, the next year is owed.
    assert [(s.year, s.note) for s in missing_years(db, today=date(2026, 1, 1))] == [(2027, "尚未录入")]


@pytest.mark.parametrize(("call", "field", "message"), [
    (lambda db: set_day(db, actor=SYSTEM, day=date(1999, 12, 31), working=True), "day", "年份须在 2000–2100 之间"),
    (lambda db: set_day(db, actor=SYSTEM, day=date(2099, 1, 1), working=True, name="节" * 41), "name",
     "名称不超过 40 个字符"),
    (lambda db: set_day(db, actor=SYSTEM, day=date(2099, 1, 1), working=True, note="注" * 201), "note",
     "备注不超过 200 个字符"),
    (lambda db: confirm_year(db, actor=SYSTEM, year=2101, source="通知"), "year", "年份须在 2000–2100 之间"),
    (lambda db: confirm_year(db, actor=SYSTEM, year=2099, source="  "), "source",
     "请填写依据（例如国务院办公厅关于该年部分节假日安排的通知）"),
    (lambda db: confirm_year(db, actor=SYSTEM, year=2099, source="据" * 201), "source", "依据不超过 200 个字符"),
    (lambda db: confirm_year(db, actor=SYSTEM, year=2025, source="国办发明电〔2024〕12号"), "year",
     "2025 年的节假日安排已由内置日历提供，无需确认"),
])
def test_each_refusal_of_the_calendar_names_its_field(db: Session, call, field: str, message: str) -> None:
    with pytest.raises(ValidationFailed) as err:
        call(db)
    assert [(d.field, d.message) for d in err.value.details] == [(field, message)]
    assert db.execute(text("SELECT count(*) FROM calendar_days")).scalar() == 0
    assert db.execute(text("SELECT count(*) FROM calendar_years")).scalar() == 0


def test_the_longest_names_are_taken(db: Session) -> None:
    # The columns hold 40 and 200 characters (the migration): exactly that much is stored, surrounding spaces cut.
    set_day(db, actor=SYSTEM, day=date(2099, 1, 1), working=False, name=" " + "节" * 40 + " ", note="注" * 200)
    confirm_year(db, actor=SYSTEM, year=2099, source="据" * 200)
    assert db.execute(text("SELECT length(name), length(note) FROM calendar_days")).one() == (40, 200)
    assert db.execute(text("SELECT length(source) FROM calendar_years")).one() == (200,)


def test_complete_years_carry_no_note_and_a_holiday_rolls_forward_unless_asked(db: Session) -> None:
    assert (CAL.year_status(2026).note, WorkCalendar(confirmed_years=frozenset({2099})).year_status(2099).note) == (
        "", "")
    # A period ending on 1 Oct 2025 (国庆, 1–8 off) ends on Thursday 9 Oct; counting back, on Tuesday 30 Sep.
    assert CAL.roll_to_working_day(date(2025, 10, 1)) == (date(2025, 10, 9), frozenset())
    assert CAL.roll_to_working_day(date(2025, 10, 1), backward=True) == (date(2025, 9, 30), frozenset())
    # A day entered without a name or note stores none.
    set_day(db, actor=SYSTEM, day=date(2099, 1, 5), working=True)
    assert db.execute(text("SELECT name, note FROM calendar_days")).one() == ("", "")
