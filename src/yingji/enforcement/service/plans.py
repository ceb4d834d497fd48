"""The annual supervision and inspection plan (年度监督检查计划, 安监总政法〔2017〕150号; cn-rules §11.3),
drafted from the platform's records and computed by ``enforcement.plan_rules``:

- the frequency of each operating enterprise from the dual-prevention service's inspection frequency
  (``risk.service.inspection_frequencies``: risk level, open major and overdue hazards), its
  standardisation grade and its credit (the untrustworthy list), bounded by the yearly cap (``enf_caps``);
- the inspectors' working days per month from the legal clock's calendar (holidays and 调休), a share of
  them for inspections, the key visits given to the least loaded inspectors;
- coverage by month; one line per published inspection item as county bureaus publish the plan (item,
  basis, key targets and random pool with counts and ratio, content, method, frequency and cap, time,
  unit, joint or not), exported as .xlsx and, once published, on ``/public/enforcement``.

Only a published item can carry a line (应急〔2025〕11号): an industry without one is named in the plan's
warnings and its enterprises are not planned."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from yingji.core import excel
from yingji.core.actor import Actor, require
from yingji.core.clock import utcnow
from yingji.core.errors import Conflict, NotFound
from yingji.enforcement import plan_rules
from yingji.enforcement.enums import ALL_INDUSTRIES, ItemKind, ItemStatus
from yingji.enforcement.models import AnnualPlan, ChecklistEntry, EnforceableItem, Inspector
from yingji.enforcement.models import Conflict as DeclaredConflict
from yingji.enforcement.schemas import PlanCreate
from yingji.enforcement.service import credit
from yingji.enforcement.service.common import calendar, township_of
from yingji.enforcement.service.draws import _enterprises
from yingji.enforcement.service.items import industry_choices
from yingji.enforcement.service.roster import cap_for, grades
from yingji.risk import service as risk_service

DEFAULT_UNIT = "柳江区应急管理局"


def _month_working_days(db: Session, year: int) -> dict[int, int]:
    cal = calendar(db)
    out = dict.fromkeys(range(1, 13), 0)
    d = date(year, 1, 1)
    while d.year == year:
        out[d.month] += cal.is_working_day(d)
        d += timedelta(days=1)
    return out


def _items(db: Session) -> dict[str, EnforceableItem]:
    """The published inspection item of each industry (the first by code); ``all`` for the rest."""
    rows = db.scalars(select(EnforceableItem).where(EnforceableItem.status == ItemStatus.published,
                                                    EnforceableItem.kind == ItemKind.inspection)
                      .order_by(EnforceableItem.code)).all()
    out: dict[str, EnforceableItem] = {}
    for r in rows:
        out.setdefault(r.industry, r)
    return out


def _months_text(months: set[int]) -> str:
    if not months:
        return ""
    return f"{min(months)}月" if len(months) == 1 else f"{min(months)}–{max(months)}月"


def draft_plan(*, db: Session, actor: Actor, data: PlanCreate) -> AnnualPlan:
    require(actor, "enforcement.draws.write")
    rules = plan_rules.plan_rules()
    params: dict[str, Any] = {**rules["defaults"], "listed_steps": int(credit.credit_rules()["plan_steps_up"]),
                              "joint_industries": data.joint_industries}
    if data.random_ratio is not None:
        params["random_ratio"] = data.random_ratio
    if data.inspection_share is not None:
        params["inspection_share"] = data.inspection_share
    warnings: list[str] = []
    status = calendar(db).year_status(data.year)
    if not status.complete:
        warnings.append(f"{data.year} 年节假日安排未录入（{status.note}），工作日暂按周一至周五估算")

    items = _items(db)
    enterprises = _enterprises(db, industry=ALL_INDUSTRIES, region_code=None)
    item_of: dict[int, EnforceableItem] = {}
    unplanned: dict[str, int] = defaultdict(int)
    for e in enterprises:
        item = items.get(e.industry) or items.get(ALL_INDUSTRIES)
        if item is None:
            unplanned[e.industry] += 1
        else:
            item_of[e.id] = item
    labels = {v: k for k, v in industry_choices().items()}
    for industry, n in sorted(unplanned.items()):
        warnings.append(f"{labels.get(industry, industry)}：无已公布的检查事项，"
                        f"{n} 家企业未列入计划（未公布事项不得检查）")
    planned = [e for e in enterprises if e.id in item_of]
    ids = [e.id for e in planned]
    risk = risk_service.inspection_frequencies(db=db, enterprise_ids=ids)
    grade = grades(db, ids)
    listed = credit.listed_enterprise_ids(db)
    targets = [plan_rules.Target(
        id=e.id, name=e.name, industry=e.industry, item=item_of[e.id].code, township=township_of(e.region_path),
        risk_level=risk[e.id].level, risk_per_year=risk[e.id].inspections_per_year, open_major=risk[e.id].open_major,
        grade=grade.get(e.id, "none"), listed=e.id in listed,
        cap=cap_for(db, industry=e.industry, grade=grade.get(e.id, "none"))) for e in planned]
    days = _month_working_days(db, data.year)
    officers = [plan_rules.Officer(i.id, i.name, days)
                for i in db.scalars(select(Inspector).where(Inspector.active.is_(True)).order_by(Inspector.id))]
    conflicts = {(c.inspector_id, c.enterprise_id) for c in db.scalars(select(DeclaredConflict))}
    built = plan_rules.build(targets, officers, conflicts, params=params)

    by_item: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for t in built.targets:
        by_item[t["item"]].append(t)
    lines = []
    for code, rows in sorted(by_item.items()):
        item = next(i for i in items.values() if i.code == code)
        key = [t for t in rows if t["key"]]
        pool = built.pools.get(code, {"pool": 0, "drawn": 0, "ratio": params["random_ratio"]})
        entries = db.scalars(select(ChecklistEntry).where(ChecklistEntry.item_id == item.id)
                             .order_by(ChecklistEntry.id)).all()
        methods = sorted({e.method for e in entries if e.method})
        caps = sorted({t["cap"] for t in rows if t["cap"] is not None})
        freq = sorted({t["per_year"] for t in key})
        months = {v["month"] for t in key for v in t["visits"]}
        if pool["drawn"]:
            months |= set(params["random_months"])
        freq_text = []
        if freq:
            freq_text.append(f"重点检查对象每年 {freq[0]}{'–' + str(freq[-1]) if len(freq) > 1 else ''} 次")
        if pool["drawn"]:
            freq_text.append("随机抽查对象每年 1 次")
        if caps:
            freq_text.append(f"每家企业每年最多 {caps[0]}{'–' + str(caps[-1]) if len(caps) > 1 else ''} 次")
        lines.append({
            "item_id": item.id, "item_code": item.code, "item": item.name, "basis": item.basis,
            "key_targets": [t["name"] for t in key], "key_count": len(key),
            "pool": pool["pool"], "drawn": pool["drawn"], "ratio": pool["ratio"],
            "content": "；".join(e.content for e in entries) or item.name,
            "method": "、".join(methods) or "现场检查、查阅资料",
            "frequency": "；".join(freq_text), "time": _months_text(months),
            "unit": item.department or DEFAULT_UNIT,
            "joint": item.industry in data.joint_industries,
            "visits": sum(len(t["visits"]) for t in key) + pool["drawn"]})
    row = AnnualPlan(year=data.year, title=data.title or f"{data.year}年度安全生产监督检查计划", status="draft",
                     parameters=params, lines=lines, targets=built.targets, load=built.load, months=built.months,
                     warnings=warnings + built.warnings, created_at=utcnow(), created_by=actor.id)
    db.add(row)
    db.flush()
    return row


def _get(db: Session, plan_id: int) -> AnnualPlan:
    row = db.get(AnnualPlan, plan_id)
    if row is None:
        raise NotFound("检查计划不存在")
    return row


def get_plan(*, db: Session, actor: Actor, plan_id: int) -> AnnualPlan:
    require(actor, "enforcement.draws.read")
    return _get(db, plan_id)


def list_plans(*, db: Session, actor: Actor) -> list[AnnualPlan]:
    require(actor, "enforcement.draws.read")
    return list(db.scalars(select(AnnualPlan).order_by(AnnualPlan.year.desc(), AnnualPlan.id.desc())))


def publish_plan(*, db: Session, actor: Actor, plan_id: int) -> AnnualPlan:
    """Publishes a draft; the year's plan published before it stays public, marked replaced."""
    require(actor, "enforcement.draws.write")
    row = _get(db, plan_id)
    if row.status != "draft":
        raise Conflict("只有草稿可以公布")
    for old in db.scalars(select(AnnualPlan).where(AnnualPlan.year == row.year, AnnualPlan.status == "published")):
        old.status = "superseded"
    row.status, row.published_at = "published", utcnow()
    db.flush()
    return row


def public_plans(*, db: Session) -> list[AnnualPlan]:
    return list(db.scalars(select(AnnualPlan).where(AnnualPlan.status.in_(("published", "superseded")))
                           .order_by(AnnualPlan.year.desc(), AnnualPlan.id.desc())))


def public_plan(*, db: Session, plan_id: int) -> AnnualPlan:
    row = _get(db, plan_id)
    if row.status == "draft":
        raise NotFound("检查计划不存在")
    return row


def export_columns() -> list[excel.Column]:
    return [excel.Column("no", "序号", "int"), excel.Column("item", "检查事项"), excel.Column("basis", "检查依据"),
            excel.Column("key_targets", "重点检查对象"), excel.Column("key_count", "重点检查对象数（家）", "int"),
            excel.Column("pool", "随机抽查对象库（家）", "int"), excel.Column("drawn", "随机抽查数（家）", "int"),
            excel.Column("ratio", "抽查比例"), excel.Column("content", "检查内容"), excel.Column("method", "检查方式"),
            excel.Column("frequency", "检查频次及上限"), excel.Column("time", "检查时间"),
            excel.Column("unit", "实施单位"), excel.Column("joint", "是否联合检查", "bool")]


def export_plan(row: AnnualPlan) -> bytes:
    out = ({**line, "no": n, "key_targets": "、".join(line["key_targets"]),
            "ratio": f"{line['ratio'] * 100:g}%"} for n, line in enumerate(row.lines, start=1))
    return excel.export(export_columns(), out, title=row.title)
