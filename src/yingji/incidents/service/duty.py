"""The duty room (值班值守): the roster per duty day (the leader on duty, duty officers, each township's
duty contact), imported from Excel all or nothing; who is on duty now; handovers (交接班) that carry the
open items to the next shift."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from yingji.accounts import service as accounts_service
from yingji.core import excel
from yingji.core.actor import Actor, require
from yingji.core.clock import LOCAL_TZ, utcnow
from yingji.core.errors import ErrorDetail, NotFound, invalid
from yingji.core.validation import normalize_phone
from yingji.geo import service as geo_service
from yingji.incidents.models import DutyAssignment, DutyItem, Handover
from yingji.incidents.service.common import actor_name
from yingji.incidents.settings import settings

ROLES = {"带班领导": "leader", "值班员": "officer", "镇街值班": "township"}
ROLE_LABELS = {v: k for k, v in ROLES.items()}
COLUMNS = [
    excel.Column("day", "日期", "date", required=True, help="值班日（从当日交接班时刻起 24 小时）"),
    excel.Column("role", "岗位", required=True, choices=ROLES),
    excel.Column("name", "姓名", required=True),
    excel.Column("phone", "电话", required=True),
    excel.Column("township", "镇（街道）", help="镇街值班必填：名称或区划代码"),
    excel.Column("username", "平台账号", help="值班人的登录用户名（可选）：填写后，逾期未报等提醒进入其待办"),
]


@dataclass
class Shift:
    day: date
    starts_at: datetime
    ends_at: datetime
    leaders: list[DutyAssignment] = field(default_factory=list)
    officers: list[DutyAssignment] = field(default_factory=list)
    townships: list[DutyAssignment] = field(default_factory=list)


def duty_day(now: datetime) -> date:
    """The duty day an instant belongs to: before the handover time it is still yesterday's."""
    starts = time.fromisoformat(settings().duty_day_starts)
    local = now.astimezone(LOCAL_TZ)
    return local.date() - timedelta(days=1) if local.time() < starts else local.date()


def shift_of(db: Session, day: date) -> Shift:
    starts = datetime.combine(day, time.fromisoformat(settings().duty_day_starts), LOCAL_TZ)
    shift = Shift(day, starts, starts + timedelta(days=1))
    query = select(DutyAssignment).where(DutyAssignment.day == day).order_by(DutyAssignment.id)
    for a in db.scalars(query):
        {"leader": shift.leaders, "officer": shift.officers, "township": shift.townships}[a.role].append(a)
    return shift


def on_duty_now(db: Session, *, now: datetime | None = None) -> Shift:
    """Who is on duty at this moment (reports and overdue notices go to them)."""
    return shift_of(db, duty_day(now or utcnow()))


def roster(*, db: Session, actor: Actor, start: date, end: date) -> list[DutyAssignment]:
    require(actor, "incidents.duty.read")
    if end < start or (end - start).days > 92:
        raise invalid("end", "查询区间须在 92 天以内，且结束不早于开始")
    query = select(DutyAssignment).where(DutyAssignment.day >= start, DutyAssignment.day <= end)
    return list(db.scalars(query.order_by(DutyAssignment.day, DutyAssignment.role, DutyAssignment.id)))


def template() -> bytes:
    example = {"day": date(2026, 6, 1), "role": "带班领导", "name": "覃华", "phone": "13800000000"}
    return excel.template(COLUMNS, title="值班表", example=example)


def import_roster(*, db: Session, actor: Actor, data: bytes) -> dict[str, int]:
    """Every day in the file replaces that day's roster. One bad row imports nothing and is named by number."""
    require(actor, "incidents.duty.manage")
    rows = excel.read(data, COLUMNS)
    if not rows:
        raise invalid("file", "表中没有值班数据")
    townships = {r.name: r for r in geo_service.region_infos(db=db, level="township")}
    accounts = accounts_service.active_user_ids(
        db=db, usernames=sorted({str(r.values["username"]).strip() for r in rows if r.values.get("username")})
    )
    by_code = {r.code: r for r in townships.values()}

    def check(row: excel.Row) -> DutyAssignment:
        v = row.values
        phone = normalize_phone(v["phone"])
        if phone is None:
            raise invalid("电话", "电话号码格式不正确（手机 11 位，或固话如 0772-7212345）")
        region = None
        if v["role"] == "township":
            key = (v.get("township") or "").strip()
            region = townships.get(key) or by_code.get(key)
            if region is None:
                raise invalid("镇（街道）", f"镇街值班须填写本区的镇（街道）：{key or '未填写'}")
        username = (v.get("username") or "").strip()
        if username and username not in accounts:
            raise invalid("平台账号", f"没有名为 {username} 的有效账号")
        return DutyAssignment(day=v["day"], role=v["role"], name=v["name"].strip()[:50], phone=phone,
                              user_id=accounts.get(username), region_code=region.code if region else "",
                              region_name=region.name if region else "")

    assignments = excel.import_all(rows, check)
    seen: dict[tuple, int] = {}
    problems = []
    for row, a in zip(rows, assignments, strict=True):
        key = (a.day, a.role, a.region_code, a.name)
        if key in seen:
            problems.append(ErrorDetail(f"第{row.number}行", f"与第{seen[key]}行重复"))
        seen[key] = row.number
    if problems:
        raise excel.row_errors(problems)
    days = sorted({a.day for a in assignments})
    db.execute(delete(DutyAssignment).where(DutyAssignment.day.in_(days)))
    db.add_all(assignments)
    db.flush()
    return {"days": len(days), "rows": len(assignments)}


# --- open items and handovers ------------------------------------------------------------------------


def open_items(db: Session) -> list[DutyItem]:
    return list(db.scalars(select(DutyItem).where(DutyItem.closed_at.is_(None)).order_by(DutyItem.id)))


def add_item(*, db: Session, actor: Actor, text: str, incident_id: int | None = None) -> DutyItem:
    require(actor, "incidents.duty.manage")
    if not text.strip():
        raise invalid("text", "请填写待办事项")
    item = DutyItem(text=text.strip()[:500], incident_id=incident_id, opened_at=utcnow(), opened_by=actor_name(actor))
    db.add(item)
    db.flush()
    return item


def close_item(*, db: Session, actor: Actor, item_id: int) -> DutyItem:
    require(actor, "incidents.duty.manage")
    item = db.get(DutyItem, item_id)
    if item is None:
        raise NotFound("待办事项不存在")
    if item.closed_at is None:
        item.closed_at, item.closed_by = utcnow(), actor_name(actor)
    db.flush()
    return item


def hand_over(*, db: Session, actor: Actor, to_name: str, note: str = "", close_ids: list[int] | None = None,
              new_items: list[str] | None = None) -> Handover:
    """交接班: the outgoing shift closes what it finished, adds what came up, and hands every item still
    open to the next shift (each carried item counts the handovers it has crossed)."""
    require(actor, "incidents.duty.manage")
    if not to_name.strip():
        raise invalid("to_name", "请填写接班人")
    items = {i.id: i for i in open_items(db)}
    for item_id in close_ids or []:
        if item_id not in items:
            raise invalid("close_ids", f"待办事项 {item_id} 不存在或已办结")
    now = utcnow()
    for item_id in close_ids or []:
        item = items.pop(item_id)
        item.closed_at, item.closed_by = now, actor_name(actor)
    for text in new_items or []:
        if text.strip():
            item = add_item(db=db, actor=actor, text=text)
            items[item.id] = item
    for item in items.values():
        item.carried += 1
    handover = Handover(day=duty_day(now), at=now, from_name=actor_name(actor), to_name=to_name.strip()[:80],
                        note=note, carried_item_ids=sorted(items), actor_id=actor.id)
    db.add(handover)
    db.flush()
    return handover


def handovers(*, db: Session, actor: Actor, limit: int = 20) -> list[Handover]:
    require(actor, "incidents.duty.read")
    return list(db.scalars(select(Handover).order_by(Handover.at.desc(), Handover.id.desc()).limit(limit)))
