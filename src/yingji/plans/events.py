"""Facts the plans capability publishes (``core.events``). The 待办 inbox and SMS reminders subscribe to
``PlanEvaluationDue``, ``PlanFilingDue``, ``CertificateExpiring`` and the filing events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from yingji.core.events import DomainEvent


@dataclass(frozen=True)
class PlanFilingSubmitted(DomainEvent):
    """A plan was submitted for filing: the bureau must check it by ``due_at`` (5 working days)."""

    filing_id: int
    plan_id: int
    plan_title: str
    region_path: str
    enterprise_id: int | None
    due_at: datetime


@dataclass(frozen=True)
class PlanFilingDecided(DomainEvent):
    """The bureau accepted or returned a filing, or it counted as filed (视为已经备案) unanswered."""

    filing_id: int
    plan_id: int
    region_path: str
    enterprise_id: int | None
    status: str  # accepted / returned / deemed_filed
    certificate_no: str | None
    reasons: str
    at: datetime


@dataclass(frozen=True)
class PlanEvaluationDue(DomainEvent):
    """A plan's evaluation falls due within the reminder window, or is overdue."""

    plan_id: int
    plan_title: str
    region_path: str
    enterprise_id: int | None
    due_on: date
    reason: str
    overdue: bool


@dataclass(frozen=True)
class CertificateExpiring(DomainEvent):
    """A trainee's certificate expires (or is due for review) within the reminder window."""

    certificate_id: int
    trainee_id: int
    trainee_name: str
    region_path: str
    enterprise_id: int | None
    kind: str
    due_on: date


@dataclass(frozen=True)
class PlanFilingDue(DomainEvent):
    """A published plan not yet filed nears (or is past) the end of its 20 working days (令2 第二十六条)."""

    plan_id: int
    plan_title: str
    region_path: str
    enterprise_id: int | None
    due_on: date  # the last day
    overdue: bool
