"""Reporting an incident (接报) and reading incidents within the actor's scope.

Who reports what: the duty room types phone calls and upstream notices; a township officer reports inside
the township; an information officer for its own village; an enterprise manager accidents of its own
enterprise (at the enterprise's place when no point is given). Sensor alarms are proposed to the duty
officer (``proposals``) and become incidents only when a person accepts them.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from yingji.core.actor import Actor, region_in_scope, require
from yingji.core.clock import utcnow
from yingji.core.errors import NotFound, PermissionDenied, invalid
from yingji.core.events import publish
from yingji.core.files import ensure_linkable
from yingji.core.pagination import PageParams, paginate
from yingji.geo import service as geo_service
from yingji.incidents import standards
from yingji.incidents.events import IncidentReported
from yingji.incidents.models import CASUALTY_FIELDS, GradeChange, Incident, IncidentReport
from yingji.incidents.schemas import IncidentCreate
from yingji.incidents.service import obligations
from yingji.incidents.service.common import (
    LABELS,
    SOURCES,
    STATUS_LABELS,
    actor_name,
    load,
    note,
    read_condition,
    region_filter,
)
from yingji.incidents.service.grading import derive
from yingji.registry import service as registry_service

FUTURE_SLACK = timedelta(minutes=5)  # a phone's clock a little ahead is not an error


def _source(actor: Actor, requested: str | None) -> str:
    if actor.enterprise_id is not None:
        return "enterprise"
    if actor.role in ("info_officer", "township_officer"):
        return "officer"
    if requested == "alarm":
        raise invalid("source", "监测告警须从告警建议转为事件")
    return requested or "phone"


def _place(db: Session, actor: Actor, data: IncidentCreate) -> tuple[geo_service.RegionInfo, float | None,
                                                                        float | None, int | None]:
    lon, lat, enterprise_id = data.lon, data.lat, data.enterprise_id
    if (lon is None) != (lat is None):
        raise invalid("lat" if lat is None else "lon", "经度和纬度须同时提供")
    if actor.enterprise_id is not None:
        if enterprise_id not in (None, actor.enterprise_id):
            raise PermissionDenied("企业账号只能报告本企业的事故")
        enterprise_id = actor.enterprise_id
    if enterprise_id is not None:
        try:
            ent = registry_service.enterprise_info(db=db, enterprise_id=enterprise_id)
        except NotFound:
            raise invalid("enterprise_id", "企业不存在") from None
        if lon is None and not data.region_code and ent.lon is not None:
            lon, lat = ent.lon, ent.lat
    region = geo_service.region_of(
        db=db, region_code=data.region_code, lon=lon, lat=lat, levels=geo_service.TOWNSHIP_OR_VILLAGE,
        code_levels=("township", "village", "grid"), level_message="请选择到镇（街道）或村（社区）",
        missing_message="请在地图上点选位置，或选择所在镇（街道）/村（社区）", outside_message="该位置不在本区范围内",
    )
    if actor.enterprise_id is None and not region_in_scope(actor, region.path):
        what = "本村" if actor.role == "info_officer" else "本辖区"
        raise PermissionDenied(f"只能上报{what}的事件")
    return region, lon, lat, enterprise_id


def _times(data: IncidentCreate, now: datetime) -> tuple[datetime, datetime]:
    for name in ("occurred_at", "received_at"):
        value = getattr(data, name)
        if value is not None and value.tzinfo is None:
            raise invalid(name, "时间须带时区，例如 2026-06-10T10:00:00+08:00")
        if value is not None and value.year < 2000:  # also keeps the UTC conversion inside the calendar
            raise invalid(name, "时间不能早于 2000 年")
    occurred = data.occurred_at.astimezone(UTC)
    received = data.received_at.astimezone(UTC) if data.received_at else now
    if occurred > now + FUTURE_SLACK:
        raise invalid("occurred_at", "发生时间不能晚于现在")
    if received > now + FUTURE_SLACK:
        raise invalid("received_at", "接报时间不能晚于现在")
    if received < occurred:
        raise invalid("received_at", "接报时间不能早于发生时间")
    return occurred, received


def report_incident(*, db: Session, actor: Actor, data: IncidentCreate, source: str | None = None) -> Incident:
    """Opens an incident from a first report: graded from its counts, with the reports it owes."""
    require(actor, "incidents.report")
    kind = standards.incident_kinds().get(data.kind)
    if kind is None:
        raise invalid("kind", f"未知的事件类型：{data.kind}")
    if actor.enterprise_id is not None and kind.incident_class != "accident":
        raise invalid("kind", "企业账号报告本企业的事故（事故灾难类）")
    now = utcnow()
    occurred, received = _times(data, now)
    region, lon, lat, enterprise_id = _place(db, actor, data)
    src = source or _source(actor, data.source)
    for attachment_id in data.attachment_ids:
        ensure_linkable(db, attachment_id, actor.id, field="attachment_ids")
    title = data.title.strip() or f"{region.name}{kind.label}"
    figures = {f: getattr(data, f) for f in CASUALTY_FIELDS}
    incident = Incident(
        title=title, kind=kind.code, incident_class=kind.incident_class, scheme=kind.scheme, lon=lon, lat=lat,
        region_path=region.path, region_code=region.code, address=data.address.strip(), enterprise_id=enterprise_id,
        occurred_at=occurred, reported_at=received, source=src, status="open", drill=data.drill,
        direct_loss_yuan=data.direct_loss_yuan, description=data.description.strip(), created_by_id=actor.id,
        version=1, **figures,
    )
    g = derive(scheme=kind.scheme, direct_loss_yuan=Decimal(data.direct_loss_yuan), **figures)
    incident.grade, incident.grade_label, incident.near_miss = g.grade, g.label, g.near_miss
    db.add(incident)
    db.flush()
    report = IncidentReport(
        incident_id=incident.id, first_incident_id=incident.id, source=src, reported_at=received,
        reported_by_id=actor.id, reporter_name=data.reporter_name.strip() or actor_name(actor),
        reporter_phone=data.reporter_phone.strip(), enterprise_id=enterprise_id, lon=lon, lat=lat,
        region_path=region.path, address=incident.address, description=incident.description,
        figures={**figures, "direct_loss_yuan": str(data.direct_loss_yuan)}, attachment_ids=data.attachment_ids,
    )
    db.add(report)
    db.flush()
    counts = "，".join(f"{label}{figures[f]}" for f, label in LABELS.items() if figures[f])
    note(db, incident.id, "report", f"接报（{SOURCES[src]}）：{title}" + (f"；{counts}" if counts else ""),
         actor=actor, at=received, ref_id=report.id)
    if g.grade:
        db.add(GradeChange(incident_id=incident.id, old_grade="", new_grade=g.grade, label=g.label,
                           near_miss=g.near_miss, decided_by=g.decided_by, at=received, actor_name="按接报数据定级",
                           reason="初次接报"))
        note(db, incident.id, "grade", f"定级：{g.label}", actor_label="系统", at=received)
    obligations.sync(db, incident, now=now)
    publish(db, IncidentReported(incident_id=incident.id, kind=incident.kind, grade=incident.grade,
                                 region_path=incident.region_path, source=src, drill=incident.drill, at=received))
    return incident



def list_incidents(
    *,
    db: Session,
    actor: Actor,
    page: PageParams,
    status: str | None = None,
    kind: str | None = None,
    grade: str | None = None,
    drill: bool | None = None,
    region_code: str | None = None,
    since: datetime | None = None,
) -> tuple[list[Incident], int]:
    require(actor, "incidents.read")
    query = select(Incident).where(read_condition(actor))
    if status:
        if status not in STATUS_LABELS:
            raise invalid("status", "状态无效，可选：" + "、".join(STATUS_LABELS))
        query = query.where(Incident.status == status)
    if kind:
        if kind not in standards.incident_kinds():
            raise invalid("kind", f"未知的事件类型：{kind}")
        query = query.where(Incident.kind == kind)
    if grade is not None and grade != "":
        query = query.where(Incident.grade == grade)
    if drill is not None:
        query = query.where(Incident.drill.is_(drill))
    if region_code:
        try:
            region = geo_service.region_info(db=db, code=region_code)
        except NotFound:
            raise invalid("region_code", f"区域 {region_code} 不存在") from None
        query = query.where(region_filter(region.path))
    if since is not None:
        if since.tzinfo is None:
            raise invalid("since", "时间须带时区")
        query = query.where(Incident.occurred_at >= since)
    return paginate(db, query.order_by(Incident.status.desc(), Incident.occurred_at.desc(), Incident.id.desc()), page)


def get_incident(*, db: Session, actor: Actor, incident_id: int) -> Incident:
    return load(db, actor, incident_id)
