"""Hidden hazards and their closed loop: reported → confirmed → rectifying → rectified → verified → closed
(销号), with rejected / returned / reopened paths. Every step is an event with who, when, text and photos.

A major hazard (重大事故隐患, 令16 第三条) is reported to the regulator through the outbox when it is
recorded as major, needs the 五落实 before rectification starts (令16 第十五条's 治理方案: responsibility,
measures, funds, deadline, contingency plan) and can be put under 挂牌督办.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from yingji.core.actor import (
    Actor,
    load_in_scope,
    region_in_scope,
    require,
    scope_condition,
)
from yingji.core.clock import utcnow
from yingji.core.errors import Conflict, ErrorDetail, PermissionDenied, ValidationFailed, invalid
from yingji.core.events import publish
from yingji.core.files import ensure_linkable
from yingji.core.outbox import enqueue
from yingji.core.pagination import PageParams, paginate
from yingji.core.validation import normalize_phone
from yingji.risk.enums import (
    ACTION_LABELS,
    HAZARD_STATUS_LABELS,
    UNRECTIFIED_STATUSES,
    HazardAction,
    HazardGrade,
    HazardSource,
    HazardStatus,
)
from yingji.risk.events import HazardClosed, HazardReported
from yingji.risk.models import Hazard, HazardEvent
from yingji.risk.schemas import FiveAssurances, HazardCreate
from yingji.risk.service.common import actor_name, ensure_can_place, enterprise_in_scope, region_for
from yingji.risk.service.escalation import settle_notices

S = HazardStatus
# action → {from status: to status}
TRANSITIONS: dict[HazardAction, dict[HazardStatus, HazardStatus]] = {
    HazardAction.confirm: {S.reported: S.confirmed},
    HazardAction.reject: {S.reported: S.rejected},
    HazardAction.start: {S.confirmed: S.rectifying, S.reopened: S.rectifying},
    HazardAction.complete: {S.rectifying: S.rectified},
    HazardAction.verify: {S.rectified: S.verified},
    HazardAction.return_: {S.rectified: S.rectifying},
    HazardAction.close: {S.verified: S.closed},
    HazardAction.reopen: {S.closed: S.reopened, S.rejected: S.reported},
}
# Who may take each step: the regulator judges, the responsible unit rectifies.
ACTION_PERMISSION = {
    HazardAction.confirm: "risk.hazard.manage",
    HazardAction.reject: "risk.hazard.manage",
    HazardAction.start: "risk.hazard.rectify",
    HazardAction.complete: "risk.hazard.rectify",
    HazardAction.verify: "risk.hazard.manage",
    HazardAction.return_: "risk.hazard.manage",
    HazardAction.close: "risk.hazard.manage",
    HazardAction.reopen: "risk.hazard.manage",
}
NOTE_REQUIRED = {
    HazardAction.reject: "驳回须说明理由",
    HazardAction.complete: "须说明整改情况",
    HazardAction.return_: "退回须说明验收不通过的原因",
    HazardAction.reopen: "重新打开须说明原因",
}
FIVE_FIELDS = {
    "fa_responsibility": "责任落实（责任单位和责任人）",
    "fa_measures": "措施落实（治理方法和措施）",
    "fa_funds": "资金落实（治理资金）",
    "deadline": "时限落实（整改期限）",
    "fa_plan": "预案落实（安全措施和应急预案）",
}


def allowed_actions(status: str) -> list[HazardAction]:
    return [a for a, moves in TRANSITIONS.items() if status in moves]


def is_overdue(hazard: Hazard, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return hazard.deadline is not None and hazard.deadline < now and hazard.status in UNRECTIFIED_STATUSES


def missing_five_assurances(hazard: Hazard) -> list[str]:
    return [key for key in FIVE_FIELDS if getattr(hazard, key) in (None, "")]


def _event(db: Session, hazard: Hazard, actor: Actor, action: str, *, to: str | None = None, note: str = "",
           attachment_ids: list[int] | None = None, frm: str | None = None) -> HazardEvent:
    event = HazardEvent(hazard_id=hazard.id, action=action, from_status=frm, to_status=to, actor_id=actor.id,
                        actor_name=actor_name(actor), at=utcnow(), note=note, attachment_ids=attachment_ids or [])
    db.add(event)
    return event


def _report_major(db: Session, hazard: Hazard) -> None:
    """令16 第十四条: a major hazard is reported to the supervising department (once)."""
    if hazard.grade != HazardGrade.major or hazard.reported_to_regulator_at is not None:
        return
    hazard.reported_to_regulator_at = utcnow()
    enqueue(
        db,
        topic="risk.hazard.notice",
        payload={"hazard_id": hazard.id, "kind": "major_report", "key": "1"},
        key=f"{hazard.id}:major_report",
    )


# --- reading -------------------------------------------------------------------------------------


def scoped_query(actor: Actor) -> Select:
    return select(Hazard).where(scope_condition(actor, Hazard.region_path, Hazard.enterprise_id))


def list_hazards(
    *,
    db: Session,
    actor: Actor,
    page: PageParams,
    status: str | None = None,
    grade: str | None = None,
    enterprise_id: int | None = None,
    overdue: bool | None = None,
    region_path: str | None = None,
    supervised: bool | None = None,
) -> tuple[list[Hazard], int]:
    require(actor, "risk.read")
    query = scoped_query(actor)
    if status:
        if status not in HazardStatus.__members__:
            raise invalid("status", "状态无效，可选：" + "、".join(HazardStatus))
        query = query.where(Hazard.status == status)
    if grade:
        if grade not in HazardGrade.__members__:
            raise invalid("grade", "须为 general 或 major")
        query = query.where(Hazard.grade == grade)
    if enterprise_id is not None:
        query = query.where(Hazard.enterprise_id == enterprise_id)
    if region_path:
        query = query.where(Hazard.region_path.startswith(region_path, autoescape=True))
    if supervised is not None:
        query = query.where(Hazard.supervised.is_(supervised))
    if overdue:
        query = query.where(Hazard.deadline < utcnow(), Hazard.status.in_([s.value for s in UNRECTIFIED_STATUSES]))
    return paginate(db, query.order_by(Hazard.id.desc()), page)


def get_hazard(*, db: Session, actor: Actor, hazard_id: int) -> Hazard:
    # An enterprise's account sees its own hazards only, not those of a place.
    return load_in_scope(db, actor, Hazard, hazard_id, what="隐患", permission="risk.read", visible=_visible)


def _visible(actor: Actor, hazard: Hazard) -> bool:
    if actor.enterprise_id is not None:
        return hazard.enterprise_id == actor.enterprise_id
    return region_in_scope(actor, hazard.region_path)


def events(*, db: Session, actor: Actor, hazard_id: int) -> list[HazardEvent]:
    get_hazard(db=db, actor=actor, hazard_id=hazard_id)
    return list(db.scalars(select(HazardEvent).where(HazardEvent.hazard_id == hazard_id).order_by(HazardEvent.id)))


# --- writing -------------------------------------------------------------------------------------


def _source_for(actor: Actor, requested: HazardSource | None) -> HazardSource:
    if actor.enterprise_id is not None:
        return HazardSource.self_check
    if actor.role == "info_officer":
        return HazardSource.info_officer
    if requested in (None, HazardSource.self_check, HazardSource.info_officer):
        return requested or HazardSource.inspection
    if requested == HazardSource.public_report:
        raise invalid("source", "群众举报须通过举报线索受理生成")
    return requested


def create_hazard(
    *,
    db: Session,
    actor: Actor,
    data: HazardCreate,
    report_id: int | None = None,
    source: HazardSource | None = None,
    carried_attachment_ids: list[int] | None = None,
) -> Hazard:
    """``carried_attachment_ids``: photos that come with the record it is made from (a public report's),
    passed by the service itself; ``data.attachment_ids`` must be the actor's own uploads."""
    require(actor, "risk.hazard.report")
    lon, lat = data.lon, data.lat
    if data.enterprise_id is not None:
        enterprise = enterprise_in_scope(db, actor, data.enterprise_id)
        region_path, place = enterprise.region_path, data.place or enterprise.name
        if lon is None or lat is None:
            lon, lat = enterprise.lon, enterprise.lat
    else:
        region = region_for(db, region_code=data.region_code, lon=lon, lat=lat)
        ensure_can_place(actor, region.path)
        if not data.place.strip():
            raise invalid("place", "不属于企业的隐患须填写所在场所或位置")
        region_path, place = region.path, data.place.strip()
        if lon is None or lat is None:
            lon, lat = region.centroid if region.centroid else (None, None)
    now = utcnow()
    if data.deadline is not None and data.deadline <= now:
        raise invalid("deadline", "整改期限须晚于当前时间")
    phone = None
    if data.responsible_phone:
        phone = normalize_phone(data.responsible_phone)
        if phone is None:
            raise invalid("responsible_phone", "电话号码格式不正确")
    attachments = ensure_linkable(db, actor, data.attachment_ids) + list(carried_attachment_ids or [])
    hazard = Hazard(
        code=f"tmp-{secrets.token_hex(9)}",  # replaced by the numbered code below
        enterprise_id=data.enterprise_id,
        region_path=region_path,
        place=place[:200],
        lon=lon,
        lat=lat,
        title=data.title.strip(),
        description=data.description,
        grade=data.grade.value,
        source=(source or _source_for(actor, data.source)).value,
        status=S.reported.value,
        found_at=now,
        deadline=data.deadline,
        responsible_person=data.responsible_person,
        responsible_phone=phone,
        report_id=report_id,
        created_by=actor.id,
        created_at=now,
        updated_at=now,
        escalation_level=0,
        supervised=False,
    )
    db.add(hazard)
    db.flush()
    hazard.code = f"YH{now:%Y}{hazard.id:06d}"
    _event(db, hazard, actor, "report", to=S.reported, note=data.description, attachment_ids=attachments)
    _report_major(db, hazard)
    publish(db, HazardReported(hazard_id=hazard.id, code=hazard.code, grade=hazard.grade,
                               region_path=hazard.region_path, enterprise_id=hazard.enterprise_id,
                               lon=hazard.lon, lat=hazard.lat, at=now))
    db.flush()
    return hazard


def transition(
    *,
    db: Session,
    actor: Actor,
    hazard_id: int,
    action: HazardAction | str,
    note: str = "",
    attachment_ids: list[int] | None = None,
    grade: HazardGrade | str | None = None,
    deadline: datetime | None = None,
) -> Hazard:
    hazard = get_hazard(db=db, actor=actor, hazard_id=hazard_id)
    try:
        action = HazardAction(action)
    except ValueError:
        raise invalid("action", "操作无效，可选：" + "、".join(HazardAction)) from None
    require(actor, ACTION_PERMISSION[action])
    current = HazardStatus(hazard.status)
    moves = TRANSITIONS[action]
    if current not in moves:
        allowed = "、".join(f"“{HAZARD_STATUS_LABELS[s]}”" for s in moves)
        raise Conflict(
            f"当前状态为“{HAZARD_STATUS_LABELS[current]}”，不能“{ACTION_LABELS[action]}”：只有 {allowed} 状态下可以",
            details=[ErrorDetail("action", f"{current.value} → {action.value} 不允许")],
        )
    if action in NOTE_REQUIRED and not note.strip():
        raise invalid("note", NOTE_REQUIRED[action])
    attachments = ensure_linkable(db, actor, attachment_ids or [])
    now = utcnow()
    if grade is not None and grade not in HazardGrade.__members__:
        raise invalid("grade", "须为 general（一般隐患）或 major（重大隐患）")
    if action == HazardAction.confirm:
        if grade is not None:
            hazard.grade = HazardGrade(grade).value
        if deadline is not None:
            if deadline <= now:
                raise invalid("deadline", "整改期限须晚于当前时间")
            hazard.deadline, hazard.escalation_level = deadline, 0
        if hazard.deadline is None:
            raise invalid("deadline", "确认隐患须规定整改期限")
    if action == HazardAction.start and hazard.grade == HazardGrade.major:
        missing = missing_five_assurances(hazard)
        if missing:
            raise ValidationFailed(
                "重大隐患须先完成“五落实”才能开始整改，尚缺：" + "、".join(FIVE_FIELDS[m] for m in missing),
                details=[ErrorDetail(m, "未落实") for m in missing],
            )
    if action == HazardAction.reopen and deadline is not None:
        if deadline <= now:
            raise invalid("deadline", "整改期限须晚于当前时间")
        hazard.deadline, hazard.escalation_level = deadline, 0
    target = moves[current]
    _event(db, hazard, actor, action.value, frm=current.value, to=target.value, note=note, attachment_ids=attachments)
    hazard.status, hazard.updated_at = target.value, now
    if target == S.closed:
        hazard.closed_at = now
        publish(db, HazardClosed(hazard_id=hazard.id, code=hazard.code, grade=hazard.grade,
                                 region_path=hazard.region_path, at=now))
    elif action == HazardAction.reopen:
        hazard.closed_at = None
    _report_major(db, hazard)
    settle_notices(db, hazard)
    db.flush()
    return hazard


def set_five_assurances(*, db: Session, actor: Actor, hazard_id: int, data: FiveAssurances) -> Hazard:
    hazard = get_hazard(db=db, actor=actor, hazard_id=hazard_id)
    if not (actor.can("risk.hazard.rectify") or actor.can("risk.hazard.manage")):
        raise PermissionDenied("没有执行此操作的权限")
    if hazard.status in (S.closed, S.rejected):
        raise Conflict(f"隐患已{HAZARD_STATUS_LABELS[HazardStatus(hazard.status)]}，不能修改五落实")
    now = utcnow()
    if data.deadline is not None:
        if data.deadline <= now:
            raise invalid("deadline", "整改期限须晚于当前时间")
        if data.deadline != hazard.deadline:
            hazard.deadline, hazard.escalation_level = data.deadline, 0
    hazard.fa_responsibility = data.responsibility.strip() or hazard.fa_responsibility
    hazard.fa_measures = data.measures.strip() or hazard.fa_measures
    hazard.fa_funds = data.funds if data.funds is not None else hazard.fa_funds
    hazard.fa_plan = data.plan.strip() or hazard.fa_plan
    hazard.updated_at = now
    summary = "；".join(f"{FIVE_FIELDS[k]}" for k in FIVE_FIELDS if k not in missing_five_assurances(hazard))
    _event(db, hazard, actor, "five_assurances", to=hazard.status, frm=hazard.status, note=f"已落实：{summary}")
    settle_notices(db, hazard)
    db.flush()
    return hazard


def supervise(*, db: Session, actor: Actor, hazard_id: int, supervising_unit: str, note: str = "") -> Hazard:
    """挂牌督办: a major hazard put under formal oversight by a supervising unit."""
    hazard = get_hazard(db=db, actor=actor, hazard_id=hazard_id)
    require(actor, "risk.supervise")
    if hazard.grade != HazardGrade.major:
        raise Conflict("只有重大隐患可以挂牌督办", details=[ErrorDetail("grade", "一般隐患")])
    if hazard.status in (S.closed, S.rejected):
        raise Conflict(f"隐患已{HAZARD_STATUS_LABELS[HazardStatus(hazard.status)]}，不能挂牌督办")
    if hazard.supervised:
        raise Conflict(f"该隐患已由{hazard.supervising_unit}挂牌督办")
    hazard.supervised, hazard.supervising_unit, hazard.supervised_at = True, supervising_unit.strip(), utcnow()
    _event(
        db,
        hazard,
        actor,
        "supervise",
        frm=hazard.status,
        to=hazard.status,
        note=f"挂牌督办单位：{hazard.supervising_unit}。{note}".strip(),
    )
    enqueue(
        db,
        topic="risk.hazard.notice",
        payload={"hazard_id": hazard.id, "kind": "supervision", "key": "1"},
        key=f"{hazard.id}:supervision",
    )
    db.flush()
    return hazard


def hazard_statuses(db: Session, hazard_ids: list[int]) -> dict[int, str]:
    """For other capabilities (no permission check: they check their own): each hidden hazard's status."""
    if not hazard_ids:
        return {}
    return dict(db.execute(select(Hazard.id, Hazard.status).where(Hazard.id.in_(hazard_ids))).all())
