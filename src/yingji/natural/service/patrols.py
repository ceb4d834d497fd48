"""Patrols of hazard points (汛前排查, 雨中巡查, 雨后核查), recorded from the phone with photos and findings;
and the patrols a warning calls for (data/patrol_rules.toml), whose overdue ones go to the township's 待办."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from yingji.core import files, notices
from yingji.core.actor import Actor, require
from yingji.core.clock import to_local, utcnow
from yingji.core.errors import invalid
from yingji.natural import standards
from yingji.natural.enums import PATROL_BY_RULE_NAME, PATROL_KIND_LABELS
from yingji.natural.models import HazardPoint, Patrol, PatrolDemand
from yingji.natural.schemas import PatrolCreate
from yingji.natural.service.common import get_point, township_of, writable_point

SOURCE = "natural"
TOWNSHIP_ROLES = ("township_officer",)


def upload_photo(*, db: Session, actor: Actor, data: bytes, filename: str) -> files.Attachment:
    require(actor, "natural.patrol")
    return files.store(db, data=data, filename=filename, field="file", uploaded_by=actor.id)


def record_patrol(*, db: Session, actor: Actor, point_id: int, data: PatrolCreate) -> Patrol:
    point = writable_point(db, actor, point_id, permission="natural.patrol")
    now = utcnow()
    at = data.patrolled_at or now
    if at > now:
        raise invalid("patrolled_at", "巡查时间不能晚于现在")
    photos = files.ensure_linkable(db, actor, data.photo_ids, field="photo_ids")
    row = Patrol(point_id=point.id, kind=data.kind, patrolled_at=at, patroller_id=actor.id,
                 patroller_name=getattr(actor, "display_name", "") or actor.username, findings=data.findings,
                 danger_found=data.danger_found, photo_ids=photos, region_path=point.region_path)
    db.add(row)
    db.flush()
    # A patrol in time settles the demands it answers (and the township's 待办 of an overdue one).
    for demand in db.scalars(select(PatrolDemand).where(PatrolDemand.point_id == point.id,
                                                        PatrolDemand.issued_at <= at)).all():
        if demand.state == "overdue":
            notices.close(db, source=SOURCE, ref_type="patrol_demand", ref_id=demand.id)
    return row


def list_patrols(*, db: Session, actor: Actor, point_id: int) -> list[Patrol]:
    get_point(db, actor, point_id)
    return list(db.scalars(select(Patrol).where(Patrol.point_id == point_id)
                           .order_by(Patrol.patrolled_at.desc())).all())


def demand_patrols(*, db: Session, points: list[HazardPoint], warning_id: int, warning_kind: str, level: str,
                   issued_at: datetime) -> int:
    """Records, for each point under a warning, the patrol its rule asks for (none when the rule asks none)."""
    due = standards.patrol_due(warning=warning_kind, level=level, issued_at=issued_at)
    if due is None:
        return 0
    n = 0
    for p in points:
        exists = db.scalar(select(PatrolDemand.id).where(PatrolDemand.point_id == p.id,
                                                         PatrolDemand.warning_id == warning_id))
        if exists is None:
            db.add(PatrolDemand(point_id=p.id, warning_id=warning_id, warning_kind=warning_kind, level=level,
                                patrol=PATROL_BY_RULE_NAME.get(due.patrol, "in_rain"), issued_at=issued_at,
                                due_at=due.due_at, state="open", region_path=p.region_path))
            n += 1
    db.flush()
    return n


def flag_overdue(*, db: Session, now: datetime | None = None) -> int:
    """Demands whose time passed with no patrol between the warning and the due time: marked overdue,
    and a 待办 for the township's officers (one per point and warning)."""
    now = now or utcnow()
    n = 0
    open_demands = db.scalars(select(PatrolDemand).where(PatrolDemand.state == "open",
                                                         PatrolDemand.due_at <= now)).all()
    for d in open_demands:
        times = list(db.scalars(select(Patrol.patrolled_at).where(Patrol.point_id == d.point_id)).all())
        due = standards.PatrolDue(d.patrol, d.due_at, "")
        if not standards.patrol_overdue(due, patrols=times, issued_at=d.issued_at, now=now):
            d.state = "patrolled"
            continue
        point = db.get(HazardPoint, d.point_id)
        d.state, d.overdue_at = "overdue", now
        local_due = to_local(d.due_at)
        notices.post(
            db, source=SOURCE, kind="patrol_overdue", ref_type="patrol_demand", ref_id=d.id,
            title=f"隐患点未按时巡查：{point.name}"[:200],
            body=(f"预警发布后应于 {local_due:%Y-%m-%d %H:%M} 前完成"
                  f"{PATROL_KIND_LABELS.get(d.patrol, '巡查')}，尚无巡查记录。"),
            link=f"/natural/points/{point.id}", roles=TOWNSHIP_ROLES, region_path=township_of(point.region_path),
            dedupe_key=f"natural:patrol:{d.point_id}:{d.warning_id}",
        )
        n += 1
    db.flush()
    return n
