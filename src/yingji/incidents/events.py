"""Facts the incidents capability publishes (``core.events``); other capabilities subscribe to them by type."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from yingji.core.events import DomainEvent


@dataclass(frozen=True)
class IncidentReported(DomainEvent):
    """A new incident was opened from a report (a drill incident says so: ``drill``)."""

    incident_id: int
    kind: str
    grade: str
    region_path: str
    source: str
    drill: bool
    at: datetime


@dataclass(frozen=True)
class IncidentGradeChanged(DomainEvent):
    """An incident's grade changed as its figures changed (``raised``: to a more serious grade)."""

    incident_id: int
    old_grade: str
    new_grade: str
    raised: bool
    drill: bool
    at: datetime


@dataclass(frozen=True)
class ReportOverdue(DomainEvent):
    """A report the incident owes passed its deadline unreported. ``level`` "duty": the duty officers on duty
    are to be told; "leader": the grace period passed too, the leader on duty is to be told."""

    obligation_id: int
    incident_id: int
    code: str
    label: str
    due_at: datetime
    level: str
    recipients: tuple[str, ...]  # names on the roster of the duty day
    user_ids: tuple[int, ...]  # their accounts, where the roster names one
    drill: bool
    at: datetime
