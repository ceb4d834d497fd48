"""The administrative penalty case procedure (行政处罚案件), as pure rules: which step may follow which and
on what condition, the deadlines of the legal clock, and the discretion band of the amount.

Steps: 立案 filed → 调查取证 investigating → 告知 notified (陈述申辩) → [听证 hearing] → [法制审核 legal_review →
集体讨论 collective_discussion] → 决定 decided → 送达 served → 执行 executing → 结案 closed.

- A hearing is held only when the party asked for one within 5 working days of the notice and the
  amount reaches the hearing threshold (较大数额: a provincial setting, default unit ≥ 3万元, person ≥ 1万元,
  行政处罚法 第六十三条、第六十四条).
- The decision waits until that window has passed (or the party waived it), so a hearing right is never cut.
- A major decision (the same line) needs 法制审核 and 集体讨论 first (行政处罚法 第五十七条、第五十八条).
- The case closes within 30 days of filing, 90 with the head's approval (cn-rules §11.2, defaults).
The numbers live in ``data/case_rules.toml``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import cache
from importlib import resources

from yingji.core.deadlines import Deadline, compute, parse_rules
from yingji.core.workdays import WorkCalendar

STEPS = ("filed", "investigating", "notified", "hearing", "legal_review", "collective_discussion", "decided",
         "served", "executing", "closed")
STEP_LABELS = {
    "filed": "立案", "investigating": "调查取证", "notified": "告知（陈述申辩）", "hearing": "听证",
    "legal_review": "法制审核", "collective_discussion": "集体讨论", "decided": "决定", "served": "送达",
    "executing": "执行", "closed": "结案",
}


class StepRefused(ValueError):
    """An illegal step order; the message says why (the API answers 409 with it)."""


@cache
def case_rules() -> dict:
    text = resources.files("yingji.enforcement").joinpath("data", "case_rules.toml").read_text("utf-8")
    data = tomllib.loads(text)
    data["deadline_rules"] = parse_rules(data["deadlines"], source="case_rules.deadlines")
    return data


@dataclass(frozen=True)
class CaseFacts:
    step: str
    party: str  # "unit" | "person"
    filed_at: datetime
    amount_yuan: Decimal = Decimal(0)
    notified_at: datetime | None = None
    hearing_requested_at: datetime | None = None
    hearing_waived: bool = False
    done: frozenset[str] = field(default_factory=frozenset)  # steps passed so far
    extended: bool = False


def hearing_threshold(party: str) -> Decimal:
    return Decimal(str(case_rules()["thresholds"][party]))


def is_major(case: CaseFacts) -> bool:
    """较大数额 (the same line decides the hearing right, 法制审核 and 集体讨论)."""
    return case.amount_yuan >= hearing_threshold(case.party)


def hearing_request_deadline(case: CaseFacts, calendar: WorkCalendar) -> Deadline | None:
    if case.notified_at is None:
        return None
    return compute(case_rules()["deadline_rules"]["hearing_request"], start=case.notified_at, calendar=calendar)


def case_deadline(case: CaseFacts, calendar: WorkCalendar) -> Deadline:
    return compute(case_rules()["deadline_rules"]["case_closure"], start=case.filed_at, calendar=calendar,
                   extended=case.extended)


def hearing_notice_deadline(hearing_at: datetime, calendar: WorkCalendar) -> Deadline:
    """The last moment to serve the hearing notice (7 days before the hearing, 日 being working days)."""
    return compute(case_rules()["deadline_rules"]["hearing_notice"], start=hearing_at, calendar=calendar)


def check_step(case: CaseFacts, to: str, *, now: datetime, calendar: WorkCalendar) -> None:
    """Raises ``StepRefused`` with the reason when ``to`` may not follow the case's current step now."""
    if to not in STEPS:
        raise StepRefused(f"未知的办案环节：{to}")
    here = STEP_LABELS[case.step]
    allowed = {
        "filed": {"investigating"},
        "investigating": {"notified", "closed"},
        "notified": {"hearing", "legal_review", "decided"},
        "hearing": {"legal_review", "decided"},
        "legal_review": {"collective_discussion"},
        "collective_discussion": {"decided"},
        "decided": {"served"},
        "served": {"executing", "closed"},
        "executing": {"closed"},
        "closed": set(),
    }[case.step]
    if to not in allowed:
        raise StepRefused(f"“{here}”之后不能直接进入“{STEP_LABELS[to]}”")
    window = hearing_request_deadline(case, calendar)
    if to == "hearing":
        if not is_major(case):
            line = hearing_threshold(case.party)
            raise StepRefused(f"拟罚款 {case.amount_yuan} 元未达到听证标准（{line} 元），当事人无听证权利")
        if case.hearing_requested_at is None:
            raise StepRefused("当事人未申请听证")
        if window is not None and case.hearing_requested_at >= window.due_at:
            raise StepRefused(f"听证申请已超过期限（{window.explanation()}）")
    if to in ("legal_review", "decided") and case.step == "notified":
        requested_in_time = case.hearing_requested_at is not None and window is not None \
            and case.hearing_requested_at < window.due_at and is_major(case)
        if requested_in_time:
            raise StepRefused("当事人已在期限内申请听证，须先组织听证")
        if not case.hearing_waived and window is not None and now < window.due_at and is_major(case):
            raise StepRefused(f"听证申请期限未满，不能作出决定（{window.explanation()}）")
    if to == "decided" and is_major(case) and not {"legal_review", "collective_discussion"} <= case.done:
        raise StepRefused("较大数额罚款须先经法制审核和集体讨论")


@dataclass(frozen=True)
class BandCheck:
    ok: bool
    reason: str
    low: Decimal
    high: Decimal
    waivable: bool


def check_amount(*, violation: str, party: str, amount_yuan: Decimal, first_offence: bool = False,
                 industry: str = "") -> BandCheck:
    """Whether the amount lies in the discretion band of the violation for this party; a zero amount is
    allowed only as a first-offence waiver (首违免罚) where the band allows it for the industry."""
    bands = case_rules()["bands"]
    if violation not in bands:
        raise StepRefused(f"裁量基准中没有违法行为：{violation}")
    band = bands[violation]
    if party not in band:
        raise StepRefused(f"该违法行为的裁量基准没有对{'单位' if party == 'unit' else '个人'}的罚款幅度")
    low, high = (Decimal(str(v)) for v in band[party])
    waivable = first_offence and industry in band.get("first_offence_waiver_industries", [])
    if amount_yuan == 0 and waivable:
        return BandCheck(True, "首次违法且危害后果轻微并及时改正，依裁量基准不予处罚（首违免罚）", low, high, True)
    within = low <= amount_yuan <= high
    where = f"{band['label']}：{party_label(party)}罚款幅度 {low}–{high} 元，拟罚 {amount_yuan} 元"
    return BandCheck(within, where + ("在幅度内" if within else "超出幅度"), low, high, waivable)


def party_label(party: str) -> str:
    return "单位" if party == "unit" else "个人"
