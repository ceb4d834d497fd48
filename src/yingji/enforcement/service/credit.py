"""The list of seriously untrustworthy entities (安全生产严重失信主体名单, 应急管理部令第11号; cn-rules §11.5).

1. ``give_notice``: only for one of the rules' cases (``credit_rules.toml [grounds]``) and on a decision
   record — a penalty case of the same enterprise that has reached its decision (the bureau that made the
   penalty decision decides the listing). The notice (列入告知书) is numbered and dated.
2. ``decide``: not before the party's window to state its case has passed (``notice_working_days`` working
   days of the legal clock after the notice); the entry is listed from the decision for ``period_years``.
3. The entry leaves the list at the end of its period by itself (``state`` compares with the clock: at
   00:00 Beijing time on the day three years after the listing it is no longer listed), or early on
   ``repair`` (信用修复) with the evidence, no earlier than the day ``repair_after_months`` months after it.

Listed entries are public (``/public/enforcement``) and exportable for joint punishment (联合惩戒).
``listed_enterprise_ids`` is what the annual plan, the map layer and the other pages read."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from importlib import resources
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yingji.core import excel
from yingji.core.actor import SYSTEM, Actor, in_scope, require
from yingji.core.clock import LOCAL_TZ, to_local, utcnow
from yingji.core.errors import Conflict, NotFound, invalid
from yingji.enforcement.models import Case, Listing
from yingji.enforcement.schemas import ListingCreate, ListingDecision, ListingRepair
from yingji.enforcement.service.common import calendar, is_inspector
from yingji.registry import service as registry_service

STATE_LABELS = {"noticed": "已告知，待决定", "listed": "列入名单", "expired": "期满移出",
                "repaired": "信用修复提前移出",
                "dropped": "告知后不予列入"}


@cache
def credit_rules() -> dict[str, Any]:
    text = resources.files("yingji.enforcement").joinpath("data", "credit_rules.toml").read_text("utf-8")
    return tomllib.loads(text)


def add_months(d: date, months: int) -> date:
    """The same day ``months`` later; a day the month lacks (29–31) becomes its last day."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    for day in (d.day, 30, 29, 28):
        try:
            return date(year, month, min(d.day, day))
        except ValueError:
            continue
    raise ValueError(d)


def _midnight(d: date) -> datetime:
    return datetime.combine(d, time(0), tzinfo=LOCAL_TZ)


def repair_from(row: Listing) -> datetime:
    """The first moment an early removal may be applied for: 00:00 of the day 12 months after the listing."""
    assert row.listed_at is not None
    return _midnight(add_months(to_local(row.listed_at).date(), int(credit_rules()["repair_after_months"])))


def state(row: Listing, now: datetime | None = None) -> str:
    now = now or utcnow()
    if row.status == "listed" and row.ends_at is not None and now >= row.ends_at:
        return "expired"
    if row.status == "removed":
        return row.removal or "expired"
    return row.status


def is_listed(row: Listing, now: datetime | None = None) -> bool:
    return state(row, now) == "listed"


@dataclass(frozen=True)
class ListingView:
    row: Listing
    state: str
    label: str
    ground_label: str
    repair_from: datetime | None


def view(row: Listing, now: datetime | None = None) -> ListingView:
    grounds = credit_rules()["grounds"]
    st = state(row, now)
    return ListingView(row, st, STATE_LABELS[st], grounds.get(row.ground, {}).get("label", row.ground),
                       repair_from(row) if row.listed_at else None)


def _visible(actor: Actor, row: Listing) -> bool:
    if is_inspector(actor):  # the list is public once decided; a notice only to the bureau
        return row.status != "noticed"
    return in_scope(actor, region_path=row.region_path, enterprise_id=row.enterprise_id)


def _get(db: Session, actor: Actor, listing_id: int) -> Listing:
    require(actor, "enforcement.read")
    row = db.get(Listing, listing_id)
    if row is None or not _visible(actor, row):
        raise NotFound("名单记录不存在")
    return row


def get_listing(*, db: Session, actor: Actor, listing_id: int) -> Listing:
    return _get(db, actor, listing_id)


def list_listings(*, db: Session, actor: Actor) -> list[Listing]:
    require(actor, "enforcement.read")
    rows = db.scalars(select(Listing).order_by(Listing.id.desc()).limit(2000)).all()
    return [r for r in rows if _visible(actor, r)]


def _number(db: Session, prefix: str, column: Any) -> str:
    year = to_local(utcnow()).year
    head = f"柳应急{prefix}〔{year}〕"
    taken = [n for n in db.scalars(select(column).where(column.startswith(head))) if n]
    return f"{head}{max((int(n[len(head):-1]) for n in taken), default=0) + 1}号"


def give_notice(*, db: Session, actor: Actor, data: ListingCreate) -> Listing:
    """列入前告知: one of the rules' cases, on the enterprise's decided penalty case."""
    require(actor, "enforcement.credit.write")
    if data.ground not in credit_rules()["grounds"]:
        raise invalid("ground", "不属于《安全生产严重失信主体名单管理办法》规定的列入情形")
    case = db.get(Case, data.case_id)
    if case is None:
        raise invalid("case_id", "处罚案件不存在")
    if case.enterprise_id != data.enterprise_id:
        raise invalid("case_id", "处罚案件的当事人不是该企业")
    if case.decided_at is None:
        raise Conflict(f"案件 {case.case_no} 尚未作出行政处罚决定，不能据此告知列入严重失信主体名单")
    standing = db.scalars(select(Listing).where(Listing.enterprise_id == data.enterprise_id,
                                                Listing.status.in_(("noticed", "listed"))))
    if any(r.status == "noticed" or is_listed(r) for r in standing):
        raise Conflict("该企业已有告知中或在名单内的记录")
    enterprise = registry_service.get_enterprise(db=db, actor=SYSTEM, enterprise_id=data.enterprise_id)
    row = Listing(enterprise_id=enterprise.id, region_path=enterprise.region_path, party_name=enterprise.name,
                  uscc=enterprise.uscc or "", ground=data.ground, case_id=case.id, facts=data.facts,
                  status="noticed", notice_no=_number(db, "失信告", Listing.notice_no), noticed_at=utcnow(),
                  created_by=actor.id)
    db.add(row)
    db.flush()
    return row


def decision_allowed_from(db: Session, row: Listing) -> datetime:
    """The day after the party's window to state its case (its last working day): the listing may be
    decided from 00:00 of that day."""
    last, _ = calendar(db).shift_working_days(to_local(row.noticed_at).date(),
                                              int(credit_rules()["notice_working_days"]))
    return _midnight(last + timedelta(days=1))


def decide(*, db: Session, actor: Actor, listing_id: int, data: ListingDecision) -> Listing:
    require(actor, "enforcement.credit.write")
    row = _get(db, actor, listing_id)
    if row.status != "noticed":
        raise Conflict("只有已告知、待决定的记录可以作出列入决定")
    now = utcnow()
    if not data.list:
        row.status, row.removed_at = "dropped", now
        db.flush()
        return row
    start = decision_allowed_from(db, row)
    if now < start:
        raise Conflict(f"告知后 {credit_rules()['notice_working_days']} 个工作日的陈述申辩期未满，"
                       f"{to_local(start).date().isoformat()} 起方可作出列入决定")
    row.status, row.listed_at = "listed", now
    row.decision_no = _number(db, "失信决", Listing.decision_no)
    row.ends_at = _midnight(add_months(to_local(now).date(), 12 * int(credit_rules()["period_years"])))
    db.flush()
    return row


def repair(*, db: Session, actor: Actor, listing_id: int, data: ListingRepair) -> Listing:
    """信用修复: early removal on the party's application with the evidence, after 12 months on the list."""
    require(actor, "enforcement.credit.write")
    row = _get(db, actor, listing_id)
    if not is_listed(row):
        raise Conflict("该记录不在名单内，无需信用修复")
    start = repair_from(row)
    if utcnow() < start:
        raise Conflict(f"列入名单满 {credit_rules()['repair_after_months']} 个月后方可申请信用修复提前移出，"
                       f"最早 {start.date().isoformat()}")
    row.status, row.removal, row.removed_at, row.repair_evidence = "removed", "repaired", utcnow(), data.evidence
    db.flush()
    return row


def listed_enterprise_ids(db: Session, now: datetime | None = None) -> set[int]:
    """The enterprises on the list now (for the plan, the map and the other pages; no permission: public)."""
    rows = db.scalars(select(Listing).where(Listing.status == "listed"))
    return {r.enterprise_id for r in rows if is_listed(r, now)}


def public_listings(*, db: Session) -> list[ListingView]:
    """Listed and removed entries (removal is published too); notices and dropped ones are not."""
    rows = db.scalars(select(Listing).where(Listing.status.in_(("listed", "removed"))).order_by(Listing.id.desc()))
    return [view(r) for r in rows]


def export_columns() -> list[excel.Column]:
    return [excel.Column("party_name", "主体名称"), excel.Column("uscc", "统一社会信用代码"),
            excel.Column("ground", "列入情形"), excel.Column("decision_no", "列入决定文书号"),
            excel.Column("case_no", "据以列入的行政处罚决定（案号）"), excel.Column("listed_on", "列入日期"),
            excel.Column("ends_on", "期满日期"), excel.Column("state", "状态"),
            excel.Column("removed_on", "移出日期"), excel.Column("measures", "联合惩戒措施")]


MEASURES = "依法实施联合惩戒：加大执法检查频次；限制享受财政资金补贴、评优评先；相关部门依法依规实施惩戒"


def export_listings(*, db: Session, actor: Actor, current_only: bool = True) -> bytes:
    """The list for joint punishment (联合惩戒), in the reader's scope; by default the entries listed now."""
    require(actor, "enforcement.read")
    out = []
    for r in list_listings(db=db, actor=actor):
        v = view(r)
        if v.state == "noticed" or v.state == "dropped" or (current_only and v.state != "listed"):
            continue
        case = db.get(Case, r.case_id)
        out.append({"party_name": r.party_name, "uscc": r.uscc, "ground": v.ground_label,
                    "decision_no": r.decision_no, "case_no": case.case_no if case else "",
                    "listed_on": to_local(r.listed_at).date().isoformat() if r.listed_at else "",
                    "ends_on": to_local(r.ends_at).date().isoformat() if r.ends_at else "",
                    "state": v.label, "removed_on": to_local(r.removed_at).date().isoformat() if r.removed_at else "",
                    "measures": MEASURES if v.state == "listed" else ""})
    return excel.export(export_columns(), out, title="严重失信主体名单")


MAP_READS = ("enf_listings", "enterprises")  # what ``map_layer`` reads: a write of either rebuilds it


def seconds_to_next_end(db: Session) -> float | None:
    """Until the next listing on the list ends: it then leaves the map without a write."""
    now = utcnow()
    ends = db.scalar(select(func.min(Listing.ends_at)).where(Listing.status == "listed", Listing.ends_at > now))
    if ends is None:
        return None
    if ends.tzinfo is None:  # a naive value is UTC
        ends = ends.replace(tzinfo=now.tzinfo)
    return max((ends - now).total_seconds(), 0.0)


def map_layer(*, db: Session, actor: Actor) -> dict[str, Any]:
    """The enterprises on the list now, as GeoJSON points for the 一张图 map (public information)."""
    require(actor, "enforcement.read")
    features = []
    for r in db.scalars(select(Listing).where(Listing.status == "listed").order_by(Listing.id)):
        if not is_listed(r):
            continue
        info = registry_service.enterprise_info(db=db, enterprise_id=r.enterprise_id)
        if info.lon is None or info.lat is None:
            continue
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [info.lon, info.lat]},
                         "properties": {"id": r.enterprise_id, "name": r.party_name, "decision_no": r.decision_no,
                                        "ground": view(r).ground_label,
                                        "ends_on": to_local(r.ends_at).date().isoformat() if r.ends_at else ""}})
    return {"type": "FeatureCollection", "features": features}
