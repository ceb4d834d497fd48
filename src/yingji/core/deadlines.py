"""The legal clock: deadlines declared as data, computed by one function for every capability.

A capability declares its deadlines in a TOML table (``<capability>/data/deadlines.toml``), e.g.::

    [hearing_request]
    label = "听证申请期限"
    amount = 5
    unit = "working_days"
    basis = "行政处罚法 第六十四条、第八十五条"

and calls ``compute(rule, start=..., calendar=load_calendar(db))``. The counting follows the 期间 rules of
Chinese procedure law (行政诉讼法 / 民事诉讼法, 行政处罚法 第八十五条):

- the day (or hour) the period starts is not counted; a period in days ends at 24:00 of its last day;
- ``working_days`` count only working days (法定节假日 and ordinary weekends left out, 调休 days counted);
- ``days`` and ``months`` are calendar periods whose last day, if it is a 法定休假日, moves to the first
  working day after it (``roll = false`` in the table keeps the exact day);
- ``minutes`` and ``hours`` are exact (an accident report "within 1 hour").
- ``direction = "before"`` counts back from an event (a hearing notice served 7 working days before the
  hearing): the due time is the end of the last day on which the act is still in time.

Times are Beijing time for the day arithmetic and UTC in and out.
"""

from __future__ import annotations

import calendar as _month_calendar
import tomllib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

from yingji.core.clock import LOCAL_TZ, utcnow
from yingji.core.errors import ErrorDetail, ValidationFailed
from yingji.core.workdays import WorkCalendar


class Unit(StrEnum):
    minutes = "minutes"
    hours = "hours"
    days = "days"
    working_days = "working_days"
    months = "months"


UNIT_LABELS = {
    Unit.minutes: "分钟",
    Unit.hours: "小时",
    Unit.days: "日",
    Unit.working_days: "个工作日",
    Unit.months: "个月",
}


@dataclass(frozen=True)
class DeadlineRule:
    code: str
    label: str
    amount: int
    unit: Unit
    basis: str = ""
    direction: str = "after"  # "after" the start event, or "before" it
    roll: bool = True  # calendar days/months: move a last day on a 休假日 to the next working day
    extended_amount: int | None = None  # e.g. 30 days, extendable to 90 with approval
    extension_needs: str = ""  # who approves the extension

    def describe(self, *, extended: bool = False) -> str:
        amount = self.extended_amount if extended and self.extended_amount else self.amount
        word = "前" if self.direction == "before" else "内"
        return f"{self.label}：{amount}{UNIT_LABELS[self.unit]}{word}"


@dataclass(frozen=True)
class Deadline:
    rule: DeadlineRule
    start: datetime  # UTC: the event the period runs from (or, for "before", the event it runs to)
    due_at: datetime  # UTC: the act is late from this instant on
    last_day: date | None  # Beijing-time last day for day-based periods, None for minutes/hours
    extended: bool
    assumed_years: frozenset[int]  # years whose working days were assumed Monday–Friday

    @property
    def provisional(self) -> bool:
        """True when the result leans on a year whose holidays are not entered yet."""
        return bool(self.assumed_years)

    def is_overdue(self, now: datetime | None = None) -> bool:
        return (now or utcnow()) >= self.due_at

    def remaining(self, now: datetime | None = None) -> timedelta:
        return self.due_at - (now or utcnow())

    def explanation(self) -> str:
        text = self.rule.describe(extended=self.extended)
        if self.last_day is not None:
            text += f"，截至 {self.last_day.isoformat()} 24 时"
        else:
            text += f"，截至 {self.due_at.astimezone(LOCAL_TZ):%Y-%m-%d %H:%M}"
        if self.provisional:
            years = "、".join(str(y) for y in sorted(self.assumed_years))
            text += f"（{years} 年节假日安排尚未录入，按周一至周五推算，录入后会变化）"
        return text


def add_months(d: date, months: int) -> date:
    """The same day ``months`` later (or earlier), clamped to the end of a shorter month."""
    month0 = d.month - 1 + months
    year, month = d.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(d.day, _month_calendar.monthrange(year, month)[1]))


def _end_of_local_day(d: date) -> datetime:
    """24:00 Beijing time of ``d`` (the first instant of the next day), in UTC."""
    return datetime.combine(d + timedelta(days=1), time(0), LOCAL_TZ).astimezone(UTC)


def compute(rule: DeadlineRule, *, start: datetime, calendar: WorkCalendar, extended: bool = False) -> Deadline:
    """When the act the rule governs is due, for a period starting (or, "before", ending) at ``start``."""
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    if extended and rule.extended_amount is None:
        raise ValueError(f"deadline {rule.code} cannot be extended")
    amount = rule.extended_amount if extended and rule.extended_amount is not None else rule.amount
    sign = -1 if rule.direction == "before" else 1
    if rule.unit in (Unit.minutes, Unit.hours):
        delta = timedelta(minutes=amount) if rule.unit == Unit.minutes else timedelta(hours=amount)
        return Deadline(rule, start, start + sign * delta, None, extended, frozenset())

    first = start.astimezone(LOCAL_TZ).date()
    if rule.unit == Unit.working_days:
        last, assumed = calendar.shift_working_days(first, sign * amount)
    else:
        last = first + timedelta(days=sign * amount) if rule.unit == Unit.days else add_months(first, sign * amount)
        assumed = frozenset()
        if rule.roll:
            last, assumed = calendar.roll_to_working_day(last, backward=rule.direction == "before")
    return Deadline(rule, start, _end_of_local_day(last), last, extended, assumed)


_FIELDS = {
    "label": str,
    "amount": int,
    "unit": str,
    "basis": str,
    "direction": str,
    "roll": bool,
    "extended_amount": int,
    "extension_needs": str,
}


def parse_rules(data: dict[str, Any], *, source: str = "deadlines") -> dict[str, DeadlineRule]:
    """Checks a deadlines table and returns its rules by code; every problem names the rule and field."""
    problems: list[ErrorDetail] = []
    rules: dict[str, DeadlineRule] = {}
    for code, raw in data.items():
        where = f"{source}.{code}"
        if not isinstance(raw, dict):
            problems.append(ErrorDetail(where, "应为一张表"))
            continue
        for key, value in raw.items():
            expected = _FIELDS.get(key)
            if expected is None:
                problems.append(ErrorDetail(f"{where}.{key}", "未知字段"))
            elif not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
                problems.append(ErrorDetail(f"{where}.{key}", f"类型应为 {expected.__name__}"))
        for key in ("label", "amount", "unit"):
            if key not in raw:
                problems.append(ErrorDetail(f"{where}.{key}", "缺少必填字段"))
        if raw.get("unit") not in (None, *Unit.__members__):
            problems.append(ErrorDetail(f"{where}.unit", f"应为 {'、'.join(Unit.__members__)} 之一"))
        if raw.get("direction", "after") not in ("after", "before"):
            problems.append(ErrorDetail(f"{where}.direction", "应为 after 或 before"))
        for key in ("amount", "extended_amount"):
            if isinstance(raw.get(key), int) and raw[key] < 0:
                problems.append(ErrorDetail(f"{where}.{key}", "不能为负数"))
        if (
            isinstance(raw.get("extended_amount"), int)
            and isinstance(raw.get("amount"), int)
            and raw["extended_amount"] < raw["amount"]
        ):
            problems.append(ErrorDetail(f"{where}.extended_amount", "延长后的期限不能短于原期限"))
        if not any(p.field.startswith(where) for p in problems):
            rules[code] = DeadlineRule(code=code, **{**raw, "unit": Unit(raw["unit"])})
    if problems:
        raise ValidationFailed(f"{source}: 期限表有 {len(problems)} 处错误", problems)
    return rules


def load_rules(path: Path) -> dict[str, DeadlineRule]:
    with path.open("rb") as fh:
        return parse_rules(tomllib.load(fh), source=path.stem)
