"""Reporting obligations of an incident (报告时限) and lateness (迟报), from the rule tables in
``data/report_rules/<province>.toml`` and the platform's legal clock.

An obligation is either one deadline from an anchor (the time the incident occurred, the time the bureau
received the report, the time it stabilised) or a recurring one (续报: N reports in each Beijing day, at
fixed Beijing times, or every N days), running from the day after its anchor's day until the incident is
stabilised or closed. A report made after its deadline is 迟报 by the minutes it is late. A province with
stricter limits is a file of its own that ``extends`` the national one: a row, not code.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from importlib import resources

from yingji.core.clock import LOCAL_TZ
from yingji.core.deadlines import DeadlineRule, Unit, compute
from yingji.core.errors import ErrorDetail, ValidationFailed
from yingji.core.workdays import WorkCalendar

ANCHORS = ("occurred_at", "received_at", "stabilised_at")
WINDOW_FIELDS = ("window_days", "short_window_days")


@dataclass(frozen=True)
class IncidentFacts:
    scheme: str  # accident | natural
    kind: str
    grade: str  # I–IV for accidents; "" or 1–4 for natural disasters
    occurred_at: datetime
    received_at: datetime | None = None
    stabilised_at: datetime | None = None
    closed_at: datetime | None = None
    near_miss: bool = False  # 较大涉险事故
    deaths_and_missing: int = 0


@dataclass(frozen=True)
class ObligationRule:
    code: str
    label: str
    scheme: str
    anchor: str
    basis: str = ""
    grades: tuple[str, ...] | None = None
    near_miss: bool = False
    kinds: tuple[str, ...] | None = None
    not_kinds: tuple[str, ...] = ()
    min_deaths_and_missing: int = 0
    deadline: DeadlineRule | None = None
    per_day: int = 0
    at: tuple[time, ...] = ()
    every_days: int = 0

    @property
    def recurring(self) -> bool:
        return self.deadline is None

    def applies(self, facts: IncidentFacts) -> bool:
        if facts.scheme != self.scheme:
            return False
        if self.kinds is not None and facts.kind not in self.kinds:
            return False
        if facts.kind in self.not_kinds or facts.deaths_and_missing < self.min_deaths_and_missing:
            return False
        return self.grades is None or facts.grade in self.grades or (self.near_miss and facts.near_miss)


@dataclass(frozen=True)
class CasualtyWindow:
    window_days: int
    short_window_days: int
    short_window_kinds: tuple[str, ...]
    basis: str


@dataclass(frozen=True)
class RuleSet:
    name: str
    obligations: tuple[ObligationRule, ...]
    casualty_changes: CasualtyWindow


@dataclass(frozen=True)
class Due:
    code: str
    label: str
    basis: str
    due_at: datetime  # UTC
    recurring: bool
    provisional: bool  # leans on a year whose holidays are not entered yet


def _parse_obligation(raw: dict, where: str, problems: list[ErrorDetail]) -> ObligationRule | None:
    def bad(key: str, message: str) -> None:
        problems.append(ErrorDetail(f"{where}.{key}", message))

    for key in ("code", "label", "scheme", "anchor"):
        if not isinstance(raw.get(key), str) or not raw.get(key):
            bad(key, "缺少必填字段")
    if raw.get("anchor") not in ANCHORS:
        bad("anchor", f"应为 {'、'.join(ANCHORS)} 之一")
    kinds_of_deadline = [k for k in ("amount", "per_day", "at", "every_days") if k in raw]
    if len(kinds_of_deadline) != 1:
        bad("amount", "应给出且只给出 amount/unit、per_day、at、every_days 之一")
    deadline = None
    if "amount" in raw:
        if raw.get("unit") not in Unit.__members__:
            bad("unit", f"应为 {'、'.join(Unit.__members__)} 之一")
        elif not isinstance(raw["amount"], int) or isinstance(raw["amount"], bool) or raw["amount"] < 0:
            bad("amount", "应为非负整数")
        else:
            # .get: a row missing its code or label is refused below in words, not with a KeyError here.
            deadline = DeadlineRule(code=raw.get("code", ""), label=raw.get("label", ""), amount=raw["amount"],
                                    unit=Unit(raw["unit"]), basis=raw.get("basis", ""))
    at: list[time] = []
    for value in raw.get("at", []):
        try:
            at.append(time.fromisoformat(value))
        except (TypeError, ValueError):
            bad("at", f"时刻格式应为 HH:MM：{value!r}")
    for key in ("per_day", "every_days"):
        if key in raw and (not isinstance(raw[key], int) or isinstance(raw[key], bool) or raw[key] < 1):
            bad(key, "应为正整数")
    if raw.get("per_day") and 24 % raw["per_day"]:
        bad("per_day", "每日次数应能整除 24 小时（1、2、3、4、6、8、12、24）")
    if any(p.field.startswith(where + ".") for p in problems):
        return None
    return ObligationRule(
        code=raw["code"], label=raw["label"], scheme=raw["scheme"], anchor=raw["anchor"], basis=raw.get("basis", ""),
        grades=tuple(raw["grades"]) if "grades" in raw else None, near_miss=bool(raw.get("near_miss", False)),
        kinds=tuple(raw["kinds"]) if "kinds" in raw else None, not_kinds=tuple(raw.get("not_kinds", ())),
        min_deaths_and_missing=int(raw.get("min_deaths_and_missing", 0)), deadline=deadline,
        per_day=int(raw.get("per_day", 0)), at=tuple(at), every_days=int(raw.get("every_days", 0)),
    )


def parse_report_rules(data: dict, *, source: str, base: RuleSet | None = None) -> RuleSet:
    """Checks a rule table; every problem names the obligation and field. ``base`` is the table it extends."""
    problems: list[ErrorDetail] = []
    rules = list(base.obligations) if base else []
    for i, raw in enumerate(data.get("obligation", [])):
        rule = _parse_obligation(raw, f"{source}.obligation[{i}]", problems)
        if rule is not None:
            rules = [r for r in rules if r.code != rule.code] + [rule]
    window = data.get("casualty_changes")
    if window is None and base is not None:
        casualty = base.casualty_changes
    elif not isinstance(window, dict) or not all(isinstance(window.get(k), int) for k in WINDOW_FIELDS):
        problems.append(ErrorDetail(f"{source}.casualty_changes", "缺少伤亡变化补报期限：" + "、".join(WINDOW_FIELDS)))
        casualty = CasualtyWindow(30, 7, (), "")
    else:
        casualty = CasualtyWindow(window["window_days"], window["short_window_days"],
                                  tuple(window.get("short_window_kinds", ())), window.get("basis", ""))
    if problems:
        raise ValidationFailed(f"{source}: 报告时限表有 {len(problems)} 处错误", problems)
    return RuleSet(data.get("name", source), tuple(rules), casualty)


@cache
def report_rules(name: str = "national") -> RuleSet:
    folder = resources.files("yingji.incidents").joinpath("data", "report_rules")
    path = folder.joinpath(f"{name}.toml")
    if not path.is_file():
        raise ValidationFailed(f"没有名为 {name} 的报告时限表", [ErrorDetail("report_rules", f"未知：{name}")])
    data = tomllib.loads(path.read_text("utf-8"))
    base = report_rules(data["extends"]) if data.get("extends") else None
    return parse_report_rules(data, source=name, base=base)


def _local_midnight(d: date) -> datetime:
    return datetime.combine(d, time(0), LOCAL_TZ)


def _recurring_dues(rule: ObligationRule, anchor: datetime, end: datetime) -> list[datetime]:
    """Due instants (UTC) of a recurring obligation whose period starts before ``end``: from the Beijing day
    after the anchor's day on."""
    first_day = anchor.astimezone(LOCAL_TZ).date() + timedelta(days=1)
    dues: list[datetime] = []
    day = first_day
    while _local_midnight(day) < end:
        start = _local_midnight(day)
        if rule.per_day:
            step = timedelta(hours=24 // rule.per_day)
            dues += [start + step * (i + 1) for i in range(rule.per_day) if start + step * i < end]
        elif rule.at:
            dues += [datetime.combine(day, t, LOCAL_TZ) for t in rule.at]
        elif rule.every_days and (day - first_day).days % rule.every_days == rule.every_days - 1:
            dues.append(start + timedelta(days=1))
        day += timedelta(days=1)
    return [d.astimezone(anchor.tzinfo) for d in dues]


def obligations(rules: RuleSet, facts: IncidentFacts, calendar: WorkCalendar, *, until: datetime) -> list[Due]:
    """Every deadline the incident owes, in time order; recurring ones up to ``until`` (or the incident's
    stabilisation or closure, whichever is first). An anchor not reached yet (no stabilisation) owes nothing."""
    out: list[Due] = []
    end = min(t for t in (until, facts.stabilised_at, facts.closed_at) if t is not None)
    for rule in rules.obligations:
        anchor = getattr(facts, rule.anchor)
        if anchor is None or not rule.applies(facts):
            continue
        if rule.deadline is not None:
            d = compute(rule.deadline, start=anchor, calendar=calendar)
            out.append(Due(rule.code, rule.label, rule.basis, d.due_at, False, d.provisional))
        else:
            out += [Due(rule.code, rule.label, rule.basis, t, True, False) for t in _recurring_dues(rule, anchor, end)]
    return sorted(out, key=lambda d: (d.due_at, d.code))


def late_minutes(due_at: datetime, done_at: datetime) -> int:
    """迟报: whole minutes (rounded up) by which ``done_at`` is after ``due_at``; 0 when in time."""
    late = (done_at - due_at).total_seconds()
    return math.ceil(late / 60) if late > 0 else 0


def casualty_change_due(rules: RuleSet, *, kind: str, occurred_at: datetime, changed_at: datetime) -> Due | None:
    """A change of the casualty count inside the window after the accident (30 days, 7 for road traffic and
    fire) is reported the same day, by 24:00 Beijing time; outside the window there is no such obligation.

    令493 第十三条 "自事故发生之日起30日内" is a period in days: the day of the accident is not counted and the
    window closes at 24:00 of its last day (民法典 第二百零一条、第二百零三条, as the legal clock counts), so an
    accident on 1 June has its 30 days from 2 June to 24:00 on 1 July, whatever its hour. The window is not
    moved off a holiday: that rule lengthens the time for an act, and the act (the same day's report) has its
    own deadline."""
    w = rules.casualty_changes
    days = w.short_window_days if kind in w.short_window_kinds else w.window_days
    window_end = _local_midnight(occurred_at.astimezone(LOCAL_TZ).date() + timedelta(days=days + 1))
    if changed_at >= window_end:
        return None
    end_of_day = _local_midnight(changed_at.astimezone(LOCAL_TZ).date() + timedelta(days=1))
    label = f"伤亡人数变化当日续报（事故后{days}日内）"
    return Due("casualty_change", label, w.basis, end_of_day.astimezone(changed_at.tzinfo), False, False)
