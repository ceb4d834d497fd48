"""The working-day calendar (工作日 / 调休) behind the legal clock, one for the whole platform.

Which days are working days comes, in this order, from:

1. the bureau's own entries (``calendar_days``): a correction, or the days of a year the library does not
   know yet, typed in from the State Council's yearly notice (国务院办公厅关于×年部分节假日安排的通知);
2. the ``chinesecalendar`` library, which carries those notices for the years it knows (法定节假日 and the
   weekend days made working days, 调休上班);
3. otherwise the day is *assumed*: Monday–Friday work. A year is complete once the library knows it or the
   bureau has confirmed its entries (``calendar_years``). An assumed day is never silent: it carries
   ``source == "assumed"``, the deadlines built on it say they are provisional, and the settings page
   warns about the year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

import chinese_calendar
from sqlalchemy import Boolean, Date, Integer, String, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from yingji.core.actor import Actor, require
from yingji.core.clock import utcnow
from yingji.core.db import Base, UTCDateTime
from yingji.core.errors import invalid

PERMISSION = "calendar.manage"
MIN_YEAR, MAX_YEAR = 2000, 2100

# The library names holidays in English; the pages speak Chinese.
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}
SOURCE_LABELS = {"bureau": "本局录入", "library": "国务院节假日安排", "assumed": "未录入，按周一至周五推定"}


class CalendarDay(Base):
    """A day the bureau has entered: a holiday, a make-up working day or a correction."""

    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    working: Mapped[bool] = mapped_column(Boolean)
    name: Mapped[str] = mapped_column(String(40), default="")
    note: Mapped[str] = mapped_column(String(200), default="")


class CalendarYear(Base):
    """The bureau's statement that its entries for ``year`` are complete (the year's notice is typed in)."""

    __tablename__ = "calendar_years"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(200))
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    confirmed_by: Mapped[int | None] = mapped_column(Integer)


@dataclass(frozen=True)
class DayInfo:
    day: date
    working: bool
    name: str  # holiday or make-up day name, "" for an ordinary day
    source: str  # "bureau" | "library" | "assumed"


@dataclass(frozen=True)
class YearStatus:
    year: int
    source: str  # "library" | "bureau" | "missing"
    note: str = ""

    @property
    def complete(self) -> bool:
        return self.source != "missing"


@cache
def library_years() -> frozenset[int]:
    """The years whose holiday notices the installed ``chinesecalendar`` carries."""
    known = {d.year for d in chinese_calendar.constants.holidays}
    known |= {d.year for d in chinese_calendar.constants.workdays}
    return frozenset(known)


def _library_day(d: date) -> DayInfo:
    is_holiday, name = chinese_calendar.get_holiday_detail(d)
    label = HOLIDAY_NAMES.get(name or "", name or "")
    if not is_holiday and name:  # a weekend day worked in exchange for a holiday (调休)
        label = f"{label}调休上班"
    return DayInfo(d, not is_holiday, label, "library")


class WorkCalendar:
    """Answers "is this a working day?" from the bureau's entries, the library and, failing both, the
    Monday–Friday assumption. Pure: built once from the database by ``load_calendar``."""

    def __init__(
        self, entries: dict[date, CalendarDay | DayInfo] | None = None, confirmed_years: frozenset[int] = frozenset()
    ) -> None:
        self._entries = {d: DayInfo(d, e.working, e.name or "", "bureau") for d, e in (entries or {}).items()}
        self.confirmed_years = frozenset(confirmed_years)

    def day(self, d: date) -> DayInfo:
        if d in self._entries:
            return self._entries[d]
        if d.year in library_years():
            return _library_day(d)
        return DayInfo(d, d.weekday() < 5, "", "bureau" if d.year in self.confirmed_years else "assumed")

    def is_working_day(self, d: date) -> bool:
        return self.day(d).working

    def year_status(self, year: int) -> YearStatus:
        if year in library_years():
            return YearStatus(year, "library")
        if year in self.confirmed_years:
            return YearStatus(year, "bureau")
        entered = sum(1 for d in self._entries if d.year == year)
        note = f"已录入 {entered} 天，尚未确认完整" if entered else "尚未录入"
        return YearStatus(year, "missing", note)

    def shift_working_days(self, start: date, n: int) -> tuple[date, frozenset[int]]:
        """The ``n``-th working day after ``start`` (before it when ``n`` < 0), the start day itself not
        counted (期间开始的日不计算在期间内). Returns the day and the years whose days were assumed."""
        step = 1 if n >= 0 else -1
        assumed: set[int] = set()
        d, left = start, abs(n)
        while left:
            d += timedelta(days=step)
            info = self.day(d)
            if info.source == "assumed":
                assumed.add(d.year)
            if info.working:
                left -= 1
        return d, frozenset(assumed)

    def roll_to_working_day(self, d: date, *, backward: bool = False) -> tuple[date, frozenset[int]]:
        """``d`` if it is a working day, else the next one (the previous one when ``backward``): a period
        whose last day is a 法定休假日 ends on the first day after it."""
        step = -1 if backward else 1
        assumed: set[int] = set()
        while True:
            info = self.day(d)
            if info.source == "assumed":
                assumed.add(d.year)
            if info.working:
                return d, frozenset(assumed)
            d += timedelta(days=step)


def load_calendar(db: Session) -> WorkCalendar:
    entries = {row.day: row for row in db.scalars(select(CalendarDay))}
    years = set(db.scalars(select(CalendarYear.year)))
    return WorkCalendar(entries, frozenset(years))


def years_to_check(today: date) -> list[int]:
    """The settings page checks this year and the next: deadlines set now run into the next year."""
    return [today.year, today.year + 1]


def missing_years(db: Session, *, today: date | None = None) -> list[YearStatus]:
    today = today or utcnow().date()
    calendar = load_calendar(db)
    return [s for y in years_to_check(today) if not (s := calendar.year_status(y)).complete]


def _check_year(field_name: str, year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise invalid(field_name, f"年份须在 {MIN_YEAR}–{MAX_YEAR} 之间")


def _check_month(year: int, month: int) -> None:
    _check_year("year", year)
    if not 1 <= month <= 12:
        raise invalid("month", "月份须在 1–12 之间")


def days_of_month(calendar: WorkCalendar, *, year: int, month: int) -> list[DayInfo]:
    """Every day of one month as ``calendar`` answers it (the calendar page's grid)."""
    _check_month(year, month)
    first = date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return [calendar.day(first + timedelta(days=i)) for i in range((following - first).days)]


def month_days(db: Session, *, year: int, month: int) -> list[DayInfo]:
    _check_month(year, month)  # before the database is read: a bad month is the caller's 422
    return days_of_month(load_calendar(db), year=year, month=month)


def set_day(db: Session, *, actor: Actor, day: date, working: bool, name: str = "", note: str = "") -> CalendarDay:
    """Enters (or corrects) one day; it then wins over the library."""
    require(actor, PERMISSION)
    _check_year("day", day.year)
    name, note = name.strip(), note.strip()
    if len(name) > 40:
        raise invalid("name", "名称不超过 40 个字符")
    if len(note) > 200:
        raise invalid("note", "备注不超过 200 个字符")
    row = db.get(CalendarDay, day)
    if row is None:
        row = CalendarDay(day=day, working=working, name=name, note=note)
        db.add(row)
    else:
        row.working, row.name, row.note = working, name, note
    db.flush()
    return row


def clear_day(db: Session, *, actor: Actor, day: date) -> bool:
    """Removes the bureau's entry for ``day``; the library (or the assumption) answers again."""
    require(actor, PERMISSION)
    return bool(db.execute(delete(CalendarDay).where(CalendarDay.day == day)).rowcount)


def confirm_year(db: Session, *, actor: Actor, year: int, source: str) -> CalendarYear:
    """The bureau states that its entries for ``year`` are complete, naming the notice they came from."""
    require(actor, PERMISSION)
    _check_year("year", year)
    source = source.strip()
    if not source:
        raise invalid("source", "请填写依据（例如国务院办公厅关于该年部分节假日安排的通知）")
    if len(source) > 200:
        raise invalid("source", "依据不超过 200 个字符")
    if year in library_years():
        raise invalid("year", f"{year} 年的节假日安排已由内置日历提供，无需确认")
    row = db.get(CalendarYear, year)
    if row is None:
        row = CalendarYear(year=year, source=source, confirmed_at=utcnow(), confirmed_by=actor.id)
        db.add(row)
    else:
        row.source, row.confirmed_at, row.confirmed_by = source, utcnow(), actor.id
    db.flush()
    return row
