"""Incident use cases. So far: grading an incident from its figures (no records are kept yet)."""

from __future__ import annotations

from pathlib import Path

from yingji.core.errors import invalid
from yingji.incidents import standards
from yingji.incidents.schemas import GradeRead, GradeRequest, KindRead
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
            at_risk_people=request.at_risk_people, trapped_or_missing=request.trapped_or_missing,
            evacuated=request.evacuated, sensitive_environment_polluted=request.sensitive_environment_polluted,
            key_facility_endangered=request.key_facility_endangered,
        )
        if near_miss and g.grade == "IV":
            notes.append("属较大涉险事故：按较大事故的要求报告（令21 第六条、第八条），续报每日至少一次")
    elif kind.scheme == "natural":
        figures = {c: getattr(request, c) for c in standards.RELIEF_CRITERIA}
        g = standards.relief_response(relief_table(), figures)
    else:
        return GradeRead(kind=kind.code, kind_label=kind.label, incident_class=kind.incident_class, scheme=kind.scheme,
                         grade=None, label="由主管部门按其分级标准定级", decided_by=[], by_criterion={}, basis="",
                         major_near_miss=[], notes=["本平台不对该类事件自动定级"])
    return GradeRead(
        kind=kind.code, kind_label=kind.label, incident_class=kind.incident_class, scheme=kind.scheme,
        grade=g.grade or None, label=g.label, decided_by=g.decided_by, by_criterion=g.by_criterion, basis=g.basis,
        major_near_miss=near_miss, notes=[*g.notes, *notes],
    )
