"""Reporting obligations of a recorded incident: derived from the deployment's rule table whenever its
facts change (a raised grade owes more, and sooner), fulfilled with the time of the report (迟报 with the
minutes late), and found overdue by the scheduled job, which tells the duty room and then the leader."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yingji.core.actor import SYSTEM, Actor
from yingji.core.clock import utcnow
from yingji.core.errors import NotFound, invalid
from yingji.core.events import publish
from yingji.core.workdays import load_calendar
from yingji.incidents import timeliness
from yingji.incidents.events import ReportOverdue
from yingji.incidents.models import Incident, Obligation
from yingji.incidents.service import duty, incident_notices
from yingji.incidents.service.common import actor_name, load, note
from yingji.incidents.service.grading import report_rules
from yingji.incidents.settings import settings

# Owed by the unit to the county: the duty room receiving the report is its fulfilment.
FULFILLED_ON_RECEIPT = ("unit_to_county",)
CASUALTY_CHANGE = "casualty_change"


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


def incident_obligations(db: Session, incident_id: int) -> list[Obligation]:
    query = select(Obligation).where(Obligation.incident_id == incident_id).order_by(Obligation.due_at, Obligation.id)
    return list(db.scalars(query))


def sync(db: Session, incident: Incident, *, now: datetime | None = None) -> list[Obligation]:
    """Brings the incident's obligations in line with its facts: adds what is owed (续报 up to a day
    ahead), cancels what no longer is (a lowered grade, a merged incident). Fulfilled ones stay as they
    were; a casualty-change report stays owed once the change happened. Returns the new obligations."""
    now = now or utcnow()
    existing = incident_obligations(db, incident.id)
    if incident.status == "merged" or incident.scheme not in ("accident", "natural"):
        wanted: dict[tuple[str, datetime], timeliness.Due] = {}
    else:
        facts = timeliness.IncidentFacts(
            scheme=incident.scheme, kind=incident.kind, grade=incident.grade, occurred_at=_utc(incident.occurred_at),
            received_at=_utc(incident.reported_at),
            stabilised_at=_utc(incident.stabilised_at) if incident.stabilised_at else None,
            closed_at=_utc(incident.closed_at) if incident.closed_at else None,
            near_miss=incident.near_miss, deaths_and_missing=incident.deaths + incident.missing,
        )
        until = max(now, _utc(incident.reported_at)) + timedelta(days=1)
        dues = timeliness.obligations(report_rules(), facts, load_calendar(db), until=until)
        wanted = {(d.code, _utc(d.due_at)): d for d in dues}
    have = {(o.code, _utc(o.due_at)): o for o in existing}
    for key, o in have.items():
        if o.status == "open" and o.code != CASUALTY_CHANGE and key not in wanted:
            o.status = "cancelled"
            incident_notices.report_made(db, o.id)  # no longer owed: nobody is to chase it
            note(db, incident.id, "obligation", f"不再需要：{o.label}（截止 {o.due_at:%Y-%m-%d %H:%M} UTC）",
                 ref_id=o.id, actor=SYSTEM)
        elif o.status == "cancelled" and key in wanted:
            o.status = "open"  # owed again (the grade went back up)
    added = []
    for key, d in wanted.items():
        if key in have:
            continue
        o = Obligation(incident_id=incident.id, code=d.code, label=d.label, basis=d.basis, due_at=key[1],
                       recurring=d.recurring, status="open")
        if d.code in FULFILLED_ON_RECEIPT:
            _fulfil(o, at=_utc(incident.reported_at), by="接报登记")
        db.add(o)
        added.append(o)
    db.flush()
    return added


def owe_casualty_change(db: Session, incident: Incident, *, changed_at: datetime) -> Obligation | None:
    """令493 第十三条: a change of the counts inside the window after the accident is reported the same day."""
    if incident.scheme != "accident":
        return None
    due = timeliness.casualty_change_due(report_rules(), kind=incident.kind, occurred_at=_utc(incident.occurred_at),
                                         changed_at=_utc(changed_at))
    if due is None:
        return None
    at = _utc(due.due_at)
    found = db.scalar(select(Obligation).where(Obligation.incident_id == incident.id,
                                               Obligation.code == CASUALTY_CHANGE, Obligation.due_at == at))
    if found is not None:
        return found
    o = Obligation(incident_id=incident.id, code=CASUALTY_CHANGE, label=due.label, basis=due.basis, due_at=at,
                   recurring=False, status="open")
    db.add(o)
    db.flush()
    return o


def _fulfil(o: Obligation, *, at: datetime, by: str, text: str = "") -> None:
    o.status = "fulfilled"
    o.fulfilled_at = at
    o.fulfilled_by = by
    o.note = text
    o.late_minutes = timeliness.late_minutes(_utc(o.due_at), _utc(at))


def fulfil(*, db: Session, actor: Actor, obligation_id: int, at: datetime | None = None, text: str = "") -> Obligation:
    """Records that the report was made (now, or at the time given): late reports are 迟报 with minutes."""
    o = db.get(Obligation, obligation_id)
    if o is None:
        raise NotFound("报告义务不存在")
    load(db, actor, o.incident_id, permission="incidents.manage")
    now = utcnow()
    if at is not None:
        if at.tzinfo is None:
            raise invalid("at", "时间须带时区，例如 2026-06-10T10:00:00+08:00")
        if at.year < 2000:
            raise invalid("at", "报告时间不能早于 2000 年")
        if at > now + timedelta(minutes=1):
            raise invalid("at", "报告时间不能晚于现在")
    if o.status != "open":
        raise invalid("obligation_id", "该报告义务已完成或已取消")
    _fulfil(o, at=_utc(at or now), by=actor_name(actor), text=text)
    incident_notices.report_made(db, o.id)
    late = f"，迟报 {o.late_minutes} 分钟" if o.late_minutes else "，按时"
    note(db, o.incident_id, "obligation", f"已报告：{o.label}{late}", actor=actor, at=o.fulfilled_at, ref_id=o.id)
    db.flush()
    return o


def check_overdue(db: Session, *, now: datetime | None = None) -> int:
    """Overdue obligations of open incidents: the duty officers on duty are told once; after the grace period
    the leader on duty too (``ReportOverdue`` events, one per obligation and level). Returns how many told."""
    now = now or utcnow()
    grace = timedelta(minutes=settings().overdue_leader_grace_minutes)
    query = (
        select(Obligation, Incident)
        .join(Incident, Incident.id == Obligation.incident_id)
        .where(Obligation.status == "open", Obligation.due_at < now, Incident.status == "open")
        .where((Obligation.overdue_notified_at.is_(None)) | (Obligation.leader_notified_at.is_(None)))
        .order_by(Obligation.due_at)
    )
    shift = duty.on_duty_now(db, now=now)
    told = 0
    for o, incident in db.execute(query).all():
        level = None
        if o.overdue_notified_at is None:
            level, people = "duty", shift.officers
            o.overdue_notified_at = now
        elif _utc(o.due_at) + grace <= now:
            level, people = "leader", shift.leaders
            o.leader_notified_at = now
        if level is None:
            continue
        publish(db, ReportOverdue(
            obligation_id=o.id, incident_id=incident.id, code=o.code, label=o.label, due_at=_utc(o.due_at),
            level=level, recipients=tuple(p.name for p in people),
            user_ids=tuple(p.user_id for p in people if p.user_id is not None), drill=incident.drill, at=now,
        ), event_id=f"overdue:{o.id}:{level}")
        who = "、".join(p.name for p in people) or "（值班表未排班）"
        whom = "带班领导" if level == "leader" else "值班员"
        text = f"逾期未报：{o.label}，已提醒{whom} {who}"
        note(db, incident.id, "obligation", text, actor=SYSTEM, at=now, ref_id=o.id)
        told += 1
    db.flush()
    return told


def extend_open(db: Session, *, now: datetime | None = None) -> int:
    """续报 run a day ahead: the job adds the next ones for every open incident."""
    incidents = db.scalars(select(Incident).where(Incident.status == "open"))
    return sum(len(sync(db, i, now=now)) for i in incidents)


def overdue_count(db: Session, *, now: datetime | None = None) -> int:
    query = (select(func.count()).select_from(Obligation).join(Incident, Incident.id == Obligation.incident_id)
             .where(Obligation.status == "open", Obligation.due_at < (now or utcnow()), Incident.status == "open"))
    return db.scalar(query) or 0
