"""Overdue hazards and the notices they cause.

The scheduled job finds hazards past their rectification deadline and escalates each one step at a time
through the outbox: first a notice to the responsible person, then, once ``SUPERVISOR_AFTER_S`` more have
passed, to the supervisor (the 挂牌督办 unit, or else the township's emergency office). The outbox handler
turns each message into one notice of the shared inbox (``core.notices``, idempotent on hazard, kind and
key), addressed to the person or unit by name and waiting in the 待办 of the roles that act on it; it
closes once the hazard no longer waits for rectification (a major-hazard report: once it is closed).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from yingji.channels import service as channels_service
from yingji.core import notices
from yingji.core.actor import SYSTEM, Actor, require, scope_condition
from yingji.core.clock import utcnow
from yingji.core.events import publish
from yingji.core.outbox import enqueue
from yingji.registry import service as registry_service
from yingji.risk.enums import HAZARD_GRADE_LABELS, HAZARD_STATUS_LABELS, UNRECTIFIED_STATUSES
from yingji.risk.events import HazardOverdue
from yingji.risk.models import Hazard
from yingji.risk.service.common import township_path

SUPERVISOR_AFTER_S = 3 * 86400
DISTRICT_REGULATOR = "区应急管理局"
SOURCE = "risk"
# Who acts on each kind: the regulator reads a major-hazard report; the responsible unit (the enterprise's
# manager, else the township) rectifies; the township and the bureau push an escalated one.
TITLES = {
    "major_report": "重大事故隐患报告",
    "supervision": "挂牌督办待整改",
    "overdue_responsible": "隐患逾期待整改",
    "overdue_supervisor": "隐患逾期待督促",
}
AUDIENCE = {
    "major_report": ("duty_officer", "leader"),
    "supervision": ("enterprise_manager", "township_officer"),
    "overdue_responsible": ("enterprise_manager", "township_officer"),
    "overdue_supervisor": ("duty_officer", "township_officer"),
}
RECTIFICATION_KINDS = ("supervision", "overdue_responsible", "overdue_supervisor")


def escalate_overdue(*, db: Session, after_id: int = 0, limit: int | None = None) -> dict[str, int]:
    """Escalates overdue hazards with id > ``after_id`` (at most ``limit`` of them, so that the job can
    commit in small steps); ``last_id`` in the answer is where the next step starts (0: none left)."""
    now = utcnow()
    q = (
        select(Hazard)
        .where(
            Hazard.id > after_id,
            Hazard.deadline < now,
            Hazard.status.in_([s.value for s in UNRECTIFIED_STATUSES]),
            Hazard.escalation_level < 2,
        )
        .order_by(Hazard.id)
    )
    rows = list(db.scalars(q.limit(limit) if limit else q))
    counts = {"responsible": 0, "supervisor": 0, "last_id": rows[-1].id if rows else 0}
    for h in rows:
        stamp = h.deadline.strftime("%Y%m%d%H%M")
        if h.escalation_level == 0:
            h.escalation_level = 1
            counts["responsible"] += 1
            kind = "overdue_responsible"
        elif now - h.deadline >= timedelta(seconds=SUPERVISOR_AFTER_S):
            h.escalation_level = 2
            counts["supervisor"] += 1
            kind = "overdue_supervisor"
        else:
            continue
        enqueue(
            db,
            topic="risk.hazard.notice",
            payload={"hazard_id": h.id, "kind": kind, "key": stamp},
            key=f"{h.id}:{kind}:{stamp}",
        )
        publish(db, HazardOverdue(hazard_id=h.id, code=h.code, grade=h.grade, region_path=h.region_path,
                                  deadline=h.deadline, level=h.escalation_level, at=now))
    db.flush()
    return counts


def _supervisor(db: Session, hazard: Hazard) -> tuple[str, str | None]:
    if hazard.supervised and hazard.supervising_unit:
        return hazard.supervising_unit, None
    town = township_path(hazard.region_path)
    offices, _total = registry_service.list_departments(db=db, actor=SYSTEM, kind="township_office")
    for d in offices:
        if d.region_path == town:
            return d.name, d.phone
    return DISTRICT_REGULATOR, None


def deliver_notice(*, db: Session, hazard_id: int, kind: str, key: str) -> notices.Notice | None:
    """Outbox handler body: records the notice once; a redelivery finds it and adds nothing."""
    dedupe_key = f"risk:hazard:{hazard_id}:{kind}:{key}"
    existing = db.scalar(select(notices.Notice).where(notices.Notice.dedupe_key == dedupe_key))
    if existing is not None:
        return existing
    hazard = db.get(Hazard, hazard_id)
    if hazard is None:
        return None
    what = f"{HAZARD_GRADE_LABELS.get(hazard.grade, hazard.grade)} {hazard.code}“{hazard.title}”（{hazard.place}）"
    deadline = hazard.deadline.strftime("%Y-%m-%d") if hazard.deadline else "未定"
    if kind == "major_report":
        recipient, phone = DISTRICT_REGULATOR, None
        message = f"重大事故隐患报告：{what}，现状态：{HAZARD_STATUS_LABELS.get(hazard.status, hazard.status)}。"
    elif kind == "supervision":
        recipient, phone = hazard.responsible_person or hazard.place, hazard.responsible_phone
        message = f"挂牌督办通知：{what} 已由{hazard.supervising_unit}挂牌督办，请按期（{deadline}）完成整改。"
    elif kind == "overdue_responsible":
        recipient, phone = hazard.responsible_person or hazard.place, hazard.responsible_phone
        message = f"隐患逾期提醒：{what} 整改期限 {deadline} 已过，请立即整改并报告。"
    else:
        recipient, phone = _supervisor(db, hazard)
        message = f"隐患逾期升级：{what} 整改期限 {deadline} 已过 3 日以上仍未整改，请督促。"
    notice, _ = notices.post(
        db,
        source=SOURCE,
        kind=kind,
        ref_type="hazard",
        ref_id=hazard.id,
        title=TITLES.get(kind, "隐患通知"),
        body=message,
        link=f"/risk/hazards/{hazard.id}",
        roles=AUDIENCE.get(kind, ("duty_officer", "township_officer")),
        region_path=hazard.region_path,
        enterprise_id=hazard.enterprise_id,
        addressee=recipient,
        dedupe_key=dedupe_key,
    )
    if phone:
        # The notice is also sent to the person's phone; queued here, sent by the outbox with retries.
        channels_service.enqueue_sms(db, phone=phone, headline="隐患督办通知", text=message, key=f"notice:{notice.id}")
    return notice


def settle_notices(db: Session, hazard: Hazard) -> None:
    """The hazard changed: what no longer waits leaves the 待办 lists (rectified, rejected, given a new
    deadline: the rectification notices; closed: every notice of it)."""
    overdue = hazard.deadline is not None and hazard.deadline < utcnow() and hazard.escalation_level > 0
    if hazard.status == "closed":
        notices.close(db, source=SOURCE, ref_type="hazard", ref_id=hazard.id)
    elif hazard.status not in {s.value for s in UNRECTIFIED_STATUSES}:
        notices.close(db, source=SOURCE, ref_type="hazard", ref_id=hazard.id, kinds=RECTIFICATION_KINDS)
    elif not overdue:
        notices.close(db, source=SOURCE, ref_type="hazard", ref_id=hazard.id, kinds=RECTIFICATION_KINDS[1:])


def list_notices(
    *, db: Session, actor: Actor, hazard_id: int | None = None, limit: int = 100
) -> list[notices.Notice]:
    require(actor, "risk.read")
    return notices.of_record(
        db,
        source=SOURCE,
        ref_type="hazard",
        ref_id=hazard_id,
        where=scope_condition(actor, notices.Notice.region_path, notices.Notice.enterprise_id),
        limit=limit,
    )
