"""Changes to a recorded incident: casualty counts (every change kept with who, when and the source, so
漏报 and 谎报 can be traced), the grade re-derived from them with its history (a raised grade re-derives
the reports owed), merging duplicate reports of one event, closing. A change names the version it was
made on: another officer's change in between is a conflict, never silently overwritten."""

from __future__ import annotations

from datetime import UTC
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from yingji.core.actor import Actor
from yingji.core.clock import LOCAL_TZ, utcnow
from yingji.core.errors import Conflict, invalid
from yingji.core.events import publish
from yingji.incidents.events import IncidentGradeChanged
from yingji.incidents.models import (
    CASUALTY_FIELDS,
    CasualtyChange,
    GradeChange,
    Incident,
    IncidentReport,
    TimelineEntry,
)
from yingji.incidents.schemas import CasualtyUpdate
from yingji.incidents.service import obligations
from yingji.incidents.service.common import LABELS, actor_name, ensure_open, load, note
from yingji.incidents.service.grading import RANK, derive


def check_version(db: Session, incident: Incident, version: int) -> None:
    """409 when the incident changed since the version the change was made on, saying who changed it."""
    if version == incident.version:
        return
    last = db.scalar(select(TimelineEntry).where(TimelineEntry.incident_id == incident.id)
                     .order_by(TimelineEntry.at.desc(), TimelineEntry.id.desc()).limit(1))
    who = f"（{last.actor_name} 于 {last.at.astimezone(LOCAL_TZ):%H:%M}：{last.text[:40]}）" if last else ""
    raise Conflict(
        f"该事件已被他人修改{who}：您看到的是第 {version} 版，现在是第 {incident.version} 版。"
        "请刷新查看最新数据后再提交，您填写的内容仍保留在表单中。",
    )


def _bump(incident: Incident) -> None:
    incident.version += 1


def regrade(db: Session, incident: Incident, *, actor: Actor, reason: str) -> GradeChange | None:
    """Re-derives the grade from the current counts; a change is kept in the history and on the timeline,
    and the reports owed are derived again (a raised grade owes more, and sooner)."""
    g = derive(scheme=incident.scheme, deaths=incident.deaths, missing=incident.missing,
               serious_injuries=incident.serious_injuries, trapped=incident.trapped,
               direct_loss_yuan=Decimal(incident.direct_loss_yuan))
    if (g.grade, g.near_miss) == (incident.grade, incident.near_miss):
        return None
    old = incident.grade
    raised = RANK[g.grade] > RANK[old] or (g.near_miss and not incident.near_miss)
    change = GradeChange(incident_id=incident.id, old_grade=old, new_grade=g.grade, label=g.label,
                         near_miss=g.near_miss, decided_by=g.decided_by, at=utcnow(), actor_name=actor_name(actor),
                         reason=reason)
    db.add(change)
    incident.grade, incident.grade_label, incident.near_miss = g.grade, g.label, g.near_miss
    note(db, incident.id, "grade", f"{'升级' if raised else '调整'}为{g.label}（{reason}）", actor=actor)
    publish(db, IncidentGradeChanged(incident_id=incident.id, old_grade=old, new_grade=g.grade, raised=raised,
                                     drill=incident.drill, at=change.at))
    return change


def change_casualties(*, db: Session, actor: Actor, incident_id: int, data: CasualtyUpdate) -> Incident:
    incident = load(db, actor, incident_id, permission="incidents.manage", for_update=True)
    ensure_open(incident)
    check_version(db, incident, data.version)
    now = utcnow()
    changed = []
    for field in CASUALTY_FIELDS:
        new = getattr(data, field)
        old = getattr(incident, field)
        if new is None or new == old:
            continue
        db.add(CasualtyChange(incident_id=incident.id, field=field, old=old, new=new, source=data.source.strip(),
                              at=now, actor_id=actor.id, actor_name=actor_name(actor), note=data.note))
        setattr(incident, field, new)
        changed.append(f"{LABELS[field]} {old}→{new}")
    if not changed:
        raise invalid("deaths", "人数没有变化")
    _bump(incident)
    note(db, incident.id, "casualty", f"伤亡人数变化：{'，'.join(changed)}（来源：{data.source.strip()}）", actor=actor,
         at=now)
    regrade(db, incident, actor=actor, reason="伤亡人数变化")
    obligations.owe_casualty_change(db, incident, changed_at=now)
    obligations.sync(db, incident, now=now)
    db.flush()
    return incident


def merge(*, db: Session, actor: Actor, incident_id: int, duplicate_id: int, version: int) -> Incident:
    """Two reports of one event (two villagers, the same landslide): the duplicate's reports move to this
    incident and both stay; the duplicate is marked merged and owes nothing more. The earlier occurrence
    and receipt times hold, since the deadlines run from them."""
    if duplicate_id == incident_id:
        raise invalid("duplicate_id", "不能与自身合并")
    keep = load(db, actor, incident_id, permission="incidents.manage", for_update=True)
    dup = load(db, actor, duplicate_id, permission="incidents.manage", for_update=True)
    ensure_open(keep)
    if dup.status != "open":
        raise invalid("duplicate_id", "该事件已结束或已合并")
    check_version(db, keep, version)
    if dup.drill != keep.drill:
        raise invalid("duplicate_id", "演练事件不能与真实事件合并")
    moved = db.execute(update(IncidentReport).where(IncidentReport.incident_id == dup.id)
                       .values(incident_id=keep.id)).rowcount
    earlier = []
    if dup.occurred_at.astimezone(UTC) < keep.occurred_at.astimezone(UTC):
        keep.occurred_at = dup.occurred_at
        earlier.append("发生时间")
    if dup.reported_at.astimezone(UTC) < keep.reported_at.astimezone(UTC):
        keep.reported_at = dup.reported_at
        earlier.append("接报时间")
    dup.status, dup.merged_into_id = "merged", keep.id
    _bump(keep)
    _bump(dup)
    text = f"并入重复事件 #{dup.id}（{dup.title}）的 {moved} 份报告"
    note(db, keep.id, "merge", text + (f"；采用其较早的{'、'.join(earlier)}" if earlier else ""), actor=actor)
    note(db, dup.id, "merge", f"作为重复事件并入 #{keep.id}（{keep.title}）", actor=actor)
    db.flush()
    obligations.sync(db, dup)
    obligations.sync(db, keep)
    return keep


def close(*, db: Session, actor: Actor, incident_id: int, version: int, summary: str) -> Incident:
    incident = load(db, actor, incident_id, permission="incidents.manage", for_update=True)
    ensure_open(incident)
    check_version(db, incident, version)
    now = utcnow()
    incident.status, incident.closed_at, incident.summary = "closed", now, summary.strip()
    incident.stabilised_at = incident.stabilised_at or now
    _bump(incident)
    note(db, incident.id, "status", "处置结束：" + summary.strip()[:200], actor=actor, at=now)
    obligations.sync(db, incident, now=now)
    return incident


# --- the incident page's lists ------------------------------------------------------------------------


def detail(*, db: Session, actor: Actor, incident_id: int) -> dict:
    incident = load(db, actor, incident_id)
    now = utcnow()

    def rows(model, order):
        return list(db.scalars(select(model).where(model.incident_id == incident.id).order_by(*order)))

    obligations_ = obligations.incident_obligations(db, incident.id)
    for o in obligations_:
        o.overdue = o.status == "open" and o.due_at.astimezone(UTC) < now  # type: ignore[attr-defined]
    return {
        "incident": incident,
        "reports": rows(IncidentReport, (IncidentReport.reported_at, IncidentReport.id)),
        "casualty_changes": rows(CasualtyChange, (CasualtyChange.at, CasualtyChange.id)),
        "grade_history": rows(GradeChange, (GradeChange.at, GradeChange.id)),
        "obligations": obligations_,
        "timeline": rows(TimelineEntry, (TimelineEntry.at, TimelineEntry.id)),
    }

