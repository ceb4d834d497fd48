"""Emergency-plan rules as data plus pure functions (cn-rules §8): filing and check deadlines with the
legal clock (``data/deadlines.toml``), the evaluation date and its early triggers, which revisions need
re-filing, and the drill frequencies (``data/drill_frequencies.toml``) with the gaps they leave."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from importlib import resources

from yingji.core.deadlines import Deadline, DeadlineRule, add_months, compute, load_rules
from yingji.core.workdays import WorkCalendar

# 突发事件应急预案管理办法 第三十五条 / 生产安全事故应急条例 第六条: the six reasons to revise early.
REVISION_TRIGGERS = {
    "law_changed": "有关法律、法规、规章、标准、上位预案中的有关规定发生重大变化",
    "command_changed": "应急指挥机构及其职责发生调整",
    "risk_changed": "面临的风险发生重大变化",
    "resources_changed": "重要应急资源发生重大变化",
    "problems_found": "在突发事件实际应对和应急演练中发现问题需要作出重大调整",
    "other": "其他需要修订的情况",
}
# A revision touching these parts goes through 编制、审批、备案、发布 again (第三十六条 / 令2 第三十七条).
REFILING_PARTS = {"command": "应急指挥机构及职责", "procedures": "应急处置程序", "measures": "主要处置措施",
                  "response_grading": "突发事件分级标准 / 响应分级"}


@cache
def deadline_rules() -> dict[str, DeadlineRule]:
    return load_rules(resources.files("yingji.plans").joinpath("data", "deadlines.toml"))  # type: ignore[arg-type]


def filing_deadline(*, published_at: datetime, calendar: WorkCalendar) -> Deadline:
    return compute(deadline_rules()["filing"], start=published_at, calendar=calendar)


@dataclass(frozen=True)
class FilingCheck:
    due: Deadline
    status: str  # "pending" | "accepted" | "returned" | "deemed_filed"

    @property
    def deemed_filed(self) -> bool:
        return self.status == "deemed_filed"


def filing_check(*, submitted_at: datetime, calendar: WorkCalendar, decided_at: datetime | None = None,
                 decision: str | None = None, now: datetime) -> FilingCheck:
    """The bureau's 5-working-day check: answered in time it is accepted or returned; not answered in time
    (and no reason given) the plan counts as filed (视为已经备案)."""
    due = compute(deadline_rules()["filing_check"], start=submitted_at, calendar=calendar)
    if decided_at is not None and decided_at < due.due_at and decision in ("accepted", "returned"):
        return FilingCheck(due, decision)
    if (decided_at or now) >= due.due_at:
        return FilingCheck(due, "deemed_filed")
    return FilingCheck(due, "pending")


def next_evaluation(*, since: date, triggers: list[tuple[str, date]] | None = None) -> tuple[date, str]:
    """When the plan must next be evaluated: three years after ``since`` (its publication or last
    evaluation), or at once on the first revision trigger after it. Returns the date and the reason."""
    early = sorted((d, code) for code, d in (triggers or []) if d > since)
    if early:
        if early[0][1] not in REVISION_TRIGGERS:
            raise ValueError(f"unknown revision trigger {early[0][1]!r}")
        return early[0][0], REVISION_TRIGGERS[early[0][1]]
    # The same date three years on: an evaluation date, not a 期间 that moves off a holiday.
    return add_months(since, deadline_rules()["evaluation"].amount), "每三年评估一次"


def requires_refiling(changed_parts: set[str]) -> bool:
    unknown = changed_parts - set(REFILING_PARTS) - {"contacts", "resources", "wording", "annexes"}
    if unknown:
        raise ValueError(f"unknown plan parts: {sorted(unknown)}")
    return bool(changed_parts & set(REFILING_PARTS))


@dataclass(frozen=True)
class DrillRule:
    owner: str
    plan_types: tuple[str, ...]
    period: str
    months: int
    high_risk: bool | None
    label: str
    basis: str


@cache
def drill_rules() -> tuple[DrillRule, ...]:
    data = tomllib.loads(resources.files("yingji.plans").joinpath("data", "drill_frequencies.toml").read_text("utf-8"))
    return tuple(DrillRule(r["owner"], tuple(r["plan_types"]), r["period"], int(r.get("months", 0)),
                           r.get("high_risk"), r["label"], r["basis"]) for r in data["rule"])


def drill_rule(*, owner: str, plan_type: str, high_risk: bool = False) -> DrillRule | None:
    for rule in drill_rules():
        if rule.owner == owner and plan_type in rule.plan_types and rule.high_risk in (None, high_risk):
            return rule
    return None


def _period_start(rule: DrillRule, today: date) -> date:
    if rule.period == "year":
        return date(today.year, 1, 1)
    if rule.period == "half_year":
        return date(today.year, 1 if today.month <= 6 else 7, 1)
    raise ValueError(rule.period)


def _previous_period(rule: DrillRule, start: date) -> tuple[date, date]:
    if rule.period == "year":
        return date(start.year - 1, 1, 1), start - timedelta(days=1)
    prev = date(start.year, 1, 1) if start.month == 7 else date(start.year - 1, 7, 1)
    return prev, start - timedelta(days=1)


@dataclass(frozen=True)
class DrillGap:
    status: str  # "ok" | "due" (none yet in the current period) | "overdue" (a period passed without one)
    rule: DrillRule
    missed_period: tuple[date, date] | None  # the period that passed without a drill
    due_by: date  # the last day of the current period (or the rolling due date)


def drill_gap(*, rule: DrillRule, drills: list[date], today: date, since: date) -> DrillGap:
    """Whether a plan (in force since ``since``) has been drilled as often as its rule asks, on ``today``."""
    if rule.period == "months":
        last = max((d for d in drills if d <= today), default=since)
        due = add_months(last, rule.months)
        overdue = today > due
        return DrillGap("overdue" if overdue else "ok", rule, (last, due) if overdue else None, due)
    start = _period_start(rule, today)
    end = (date(start.year + 1, 1, 1) if rule.period == "year" or start.month == 7 else date(start.year, 7, 1))
    prev_start, prev_end = _previous_period(rule, start)
    if since <= prev_start and not any(prev_start <= d <= prev_end for d in drills):
        return DrillGap("overdue", rule, (prev_start, prev_end), end - timedelta(days=1))
    if any(start <= d <= today for d in drills):
        return DrillGap("ok", rule, None, end - timedelta(days=1))
    return DrillGap("due", rule, None, end - timedelta(days=1))
