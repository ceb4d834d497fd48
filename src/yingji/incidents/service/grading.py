"""Grading an incident and its reporting deadlines from its facts (the pure answers behind
``POST /incidents/grade`` and ``/deadlines``), and the grade of a recorded incident from its counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy.orm import Session

from yingji.core.errors import invalid
from yingji.core.workdays import load_calendar
from yingji.incidents import standards, timeliness
from yingji.incidents.schemas import DeadlinesRequest, DueRead, GradeRead, GradeRequest, KindRead
from yingji.incidents.settings import settings


def kinds() -> list[KindRead]:
    return [KindRead(**vars(k)) for k in standards.incident_kinds().values()]


def relief_table() -> standards.ReliefTable:
    """The deployment's natural-disaster response triggers (its own county plan), else the national plan's."""
    path = settings().relief_triggers
    return standards.load_relief_table(Path(path) if path else None)


def grade(*, request: GradeRequest) -> GradeRead:
    kind = standards.incident_kinds().get(request.kind)
    if kind is None:
        raise invalid("kind", f"未知的事件类型：{request.kind}")
    near_miss: list[str] = []
    notes: list[str] = []
    if kind.scheme == "accident":
        g = standards.grade_accident(
            deaths=request.deaths, serious_injuries=request.serious_injuries, direct_loss_yuan=request.direct_loss_yuan
        )
        near_miss = standards.is_major_near_miss(
            at_risk_people=request.at_risk_people,
            trapped_or_missing=request.trapped_or_missing,
            evacuated=request.evacuated,
            sensitive_environment_polluted=request.sensitive_environment_polluted,
            key_facility_endangered=request.key_facility_endangered,
        )
        if near_miss and g.grade == "IV":
            notes.append("属较大涉险事故：按较大事故的要求报告（令21 第六条、第八条），续报每日至少一次")
    elif kind.scheme == "natural":
        figures = {c: getattr(request, c) for c in standards.RELIEF_CRITERIA}
        g = standards.relief_response(relief_table(), figures)
    else:
        return GradeRead(
            kind=kind.code,
            kind_label=kind.label,
            incident_class=kind.incident_class,
            scheme=kind.scheme,
            grade=None,
            label="由主管部门按其分级标准定级",
            decided_by=[],
            by_criterion={},
            basis="",
            major_near_miss=[],
            notes=["本平台不对该类事件自动定级"],
        )
    return GradeRead(
        kind=kind.code,
        kind_label=kind.label,
        incident_class=kind.incident_class,
        scheme=kind.scheme,
        grade=g.grade or None,
        label=g.label,
        decided_by=g.decided_by,
        by_criterion=g.by_criterion,
        basis=g.basis,
        major_near_miss=near_miss,
        notes=[*g.notes, *notes],
    )


def report_rules() -> timeliness.RuleSet:
    """The deployment's reporting-deadline table (``YINGJI_INCIDENTS_REPORT_RULES``)."""
    return timeliness.report_rules(settings().report_rules)


def deadlines(*, db: Session, request: DeadlinesRequest) -> list[DueRead]:
    kind = standards.incident_kinds().get(request.kind)
    if kind is None:
        raise invalid("kind", f"未知的事件类型：{request.kind}")
    if kind.scheme not in ("accident", "natural"):
        raise invalid("kind", "该类事件的报告时限由主管部门规定，本平台不计算")
    times = {"occurred_at": request.occurred_at, "received_at": request.received_at,
             "stabilised_at": request.stabilised_at, "closed_at": request.closed_at, "until": request.until}
    for name, value in times.items():
        if value is not None and value.tzinfo is None:
            raise invalid(name, "时间须带时区，例如 2026-06-10T10:00:00+08:00")
    times = {name: value.astimezone(UTC) if value else None for name, value in times.items()}
    valid = {"accident": ("I", "II", "III", "IV"), "natural": ("", "1", "2", "3", "4")}[kind.scheme]
    if request.grade not in valid:
        raise invalid("grade", f"应为 {'、'.join(g or '空' for g in valid)} 之一")
    facts = timeliness.IncidentFacts(
        scheme=kind.scheme, kind=kind.code, grade=request.grade, occurred_at=times["occurred_at"],
        received_at=times["received_at"], stabilised_at=times["stabilised_at"], closed_at=times["closed_at"],
        near_miss=request.near_miss, deaths_and_missing=request.deaths_and_missing,
    )
    until = times["until"] or facts.occurred_at + timedelta(days=3)
    dues = timeliness.obligations(report_rules(), facts, load_calendar(db), until=until)
    return [DueRead(**vars(d)) for d in dues]


@dataclass(frozen=True)
class Derived:
    grade: str
    label: str
    near_miss: bool
    decided_by: list[str]


def derive(*, scheme: str, deaths: int, missing: int, serious_injuries: int, trapped: int,
           direct_loss_yuan: Decimal) -> Derived:
    """An incident's grade from its current counts: accidents by 令493 第三条 (较大涉险 from the trapped and
    missing, 令21 第二十六条), natural disasters by the relief plan's deaths-and-missing trigger; other
    kinds are graded by their department (no grade here)."""
    if scheme == "accident":
        g = standards.grade_accident(
            deaths=deaths, serious_injuries=serious_injuries, direct_loss_yuan=direct_loss_yuan
        )
        near = bool(standards.is_major_near_miss(trapped_or_missing=trapped + missing)) and g.grade == "IV"
        return Derived(g.grade, g.label + ("（较大涉险）" if near else ""), near, g.decided_by)
    if scheme == "natural":
        g = standards.relief_response(relief_table(), {"deaths_and_missing": deaths + missing})
        return Derived(g.grade, g.label, False, g.decided_by)
    return Derived("", "由主管部门定级", False, [])


# Seriousness of a grade, to tell a raised grade from a lowered one ("" below any grade).
RANK = {"": 0, "IV": 1, "III": 2, "II": 3, "I": 4, "4": 1, "3": 2, "2": 3, "1": 4}
