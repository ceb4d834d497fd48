"""Enforceable items (执法事项清单) and the checklists per industry (检查表): editable data, imported and
exported as Excel all-or-nothing, and published before anyone may inspect under them (应急〔2025〕11号)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from yingji.core import excel
from yingji.core.actor import Actor, require
from yingji.core.clock import utcnow
from yingji.core.errors import Conflict, NotFound, ValidationFailed, invalid
from yingji.core.events import publish
from yingji.core.pagination import PageParams, paginate
from yingji.enforcement.enums import ALL_INDUSTRIES, ITEM_KIND_LABELS, ItemStatus
from yingji.enforcement.events import ItemPublished
from yingji.enforcement.models import ChecklistEntry, EnforceableItem
from yingji.enforcement.schemas import ChecklistEntryCreate, ItemCreate, ItemUpdate
from yingji.registry import service as registry_service


def industry_choices() -> dict[str, str]:
    """Chinese label → code, the registry's industries plus 全行业 for items that apply to every one."""
    return {"全行业": ALL_INDUSTRIES, **{label: str(code) for code, label in registry_service.INDUSTRY_LABELS.items()}}


def _check_industry(industry: str) -> None:
    if industry not in industry_choices().values():
        raise invalid("industry", f"未知的行业：{industry}")


def list_items(*, db: Session, actor: Actor, page: PageParams, status: str | None = None,
               industry: str | None = None) -> tuple[list[EnforceableItem], int]:
    """The published items for everyone with the right; drafts only for those who edit the list."""
    query = _visible(actor)
    if status:
        query = query.where(EnforceableItem.status == status)
    if industry:
        query = query.where(EnforceableItem.industry.in_([industry, ALL_INDUSTRIES]))
    return paginate(db, query.order_by(EnforceableItem.code), page)


def _visible(actor: Actor) -> Any:
    require(actor, "enforcement.read")
    query = select(EnforceableItem)
    if not actor.can("enforcement.items.write"):
        query = query.where(EnforceableItem.status == ItemStatus.published)
    return query


def get_item(*, db: Session, actor: Actor, item_id: int) -> EnforceableItem:
    require(actor, "enforcement.read")
    item = db.get(EnforceableItem, item_id)
    if item is None or (item.status != ItemStatus.published and not actor.can("enforcement.items.write")):
        raise NotFound("执法事项不存在")
    return item


def create_item(*, db: Session, actor: Actor, data: ItemCreate) -> EnforceableItem:
    require(actor, "enforcement.items.write")
    _check_industry(data.industry)
    if db.scalar(select(EnforceableItem.id).where(EnforceableItem.code == data.code)) is not None:
        raise invalid("code", f"事项编码 {data.code} 已存在")
    item = EnforceableItem(code=data.code, name=data.name, kind=data.kind, industry=data.industry, basis=data.basis,
                           department=data.department, status=ItemStatus.draft, updated_at=utcnow())
    db.add(item)
    db.flush()
    return item


def update_item(*, db: Session, actor: Actor, item_id: int, data: ItemUpdate) -> EnforceableItem:
    require(actor, "enforcement.items.write")
    item = get_item(db=db, actor=actor, item_id=item_id)
    for key, value in data.model_dump(exclude_none=True).items():
        setattr(item, key, value)
    item.updated_at = utcnow()
    db.flush()
    return item


def publish_item(*, db: Session, actor: Actor, item_id: int) -> EnforceableItem:
    require(actor, "enforcement.items.write")
    item = get_item(db=db, actor=actor, item_id=item_id)
    if item.status == ItemStatus.published:
        raise Conflict("该执法事项已公布")
    item.status, item.published_at, item.updated_at = ItemStatus.published, utcnow(), utcnow()
    db.flush()
    publish(db, ItemPublished(item_id=item.id, code=item.code))
    return item


def withdraw_item(*, db: Session, actor: Actor, item_id: int) -> EnforceableItem:
    require(actor, "enforcement.items.write")
    item = get_item(db=db, actor=actor, item_id=item_id)
    if item.status != ItemStatus.published:
        raise Conflict("只有已公布的执法事项可以撤销")
    item.status, item.updated_at = ItemStatus.withdrawn, utcnow()
    db.flush()
    return item


def ensure_inspectable(db: Session, item_id: int) -> EnforceableItem:
    """Only a published item may be inspected under (应急〔2025〕11号: 未公布的事项不得实施检查)."""
    item = db.get(EnforceableItem, item_id)
    if item is None:
        raise invalid("item_id", "执法事项不存在")
    if item.status != ItemStatus.published:
        raise Conflict(f"执法事项“{item.name}”尚未公布（或已撤销），不得据此实施检查")
    return item


# --- checklists ------------------------------------------------------------------------------------


def checklist(*, db: Session, actor: Actor, industry: str) -> list[ChecklistEntry]:
    require(actor, "enforcement.read")
    if industry not in industry_choices().values():
        raise NotFound(f"没有行业 {industry}")
    rows = db.scalars(select(ChecklistEntry).where(ChecklistEntry.industry == industry)).all()
    return sorted(rows, key=lambda e: _number_key(e.number))


def _number_key(number: str) -> tuple[Any, ...]:
    return tuple(int(p) if p.isdigit() else p for p in number.split("."))


def save_entry(*, db: Session, actor: Actor, data: ChecklistEntryCreate) -> ChecklistEntry:
    """Adds a checklist line, or replaces the line with the same industry and number."""
    require(actor, "enforcement.items.write")
    _check_industry(data.industry)
    item = db.scalar(select(EnforceableItem).where(EnforceableItem.code == data.item_code))
    if item is None:
        raise invalid("item_code", f"执法事项编码 {data.item_code} 不存在")
    if item.industry not in (data.industry, ALL_INDUSTRIES):
        raise invalid("item_code", f"执法事项 {data.item_code} 不适用于该行业")
    entry = db.scalar(select(ChecklistEntry).where(ChecklistEntry.industry == data.industry,
                                                   ChecklistEntry.number == data.number))
    if entry is None:
        entry = ChecklistEntry(industry=data.industry, number=data.number)
        db.add(entry)
    entry.item_id, entry.content, entry.method, entry.basis = item.id, data.content, data.method, data.basis
    db.flush()
    return entry


# --- Excel -----------------------------------------------------------------------------------------


def item_columns() -> list[excel.Column]:
    return [
        excel.Column("code", "事项编码", required=True, help="字母、数字、短横线"),
        excel.Column("name", "事项名称", required=True),
        excel.Column("kind", "事项类别", required=True, choices={v: str(k) for k, v in ITEM_KIND_LABELS.items()}),
        excel.Column("industry", "行业领域", required=True, choices=industry_choices()),
        excel.Column("basis", "法律依据", required=True, help="逐条写明法律、法规、规章的条款"),
        excel.Column("department", "实施机构"),
    ]


def checklist_columns() -> list[excel.Column]:
    return [
        excel.Column("industry", "行业领域", required=True, choices=industry_choices()),
        excel.Column("number", "序号", required=True, help="如 1.2"),
        excel.Column("item_code", "执法事项编码", required=True),
        excel.Column("content", "检查内容", required=True),
        excel.Column("method", "检查方式"),
        excel.Column("basis", "检查依据"),
    ]


def import_items(*, db: Session, actor: Actor, data: bytes) -> int:
    """New items are added as drafts; an existing code updates its name, basis and unit (a published item
    stays published). Any bad row: nothing imported, every bad row named."""
    require(actor, "enforcement.items.write")
    rows = excel.read(data, item_columns())
    seen: dict[str, int] = {}

    def apply(row: excel.Row) -> None:
        v = row.values
        if v["code"] in seen:
            raise invalid("事项编码", f"与第{seen[v['code']]}行重复")
        seen[v["code"]] = row.number
        try:
            body = ItemCreate(code=v["code"], name=v["name"], kind=v["kind"], industry=v["industry"],
                              basis=v["basis"], department=v.get("department") or "")
        except ValueError as exc:
            raise ValidationFailed("事项编码只能含字母、数字、短横线、下划线和点") from exc
        item = db.scalar(select(EnforceableItem).where(EnforceableItem.code == body.code))
        if item is None:
            create_item(db=db, actor=actor, data=body)
        else:
            item.name, item.kind, item.industry, item.basis, item.department = (
                body.name, body.kind, body.industry, body.basis, body.department)
            item.updated_at = utcnow()

    excel.import_all(rows, apply)
    db.flush()
    return len(rows)


def import_checklist(*, db: Session, actor: Actor, data: bytes) -> int:
    require(actor, "enforcement.items.write")
    rows = excel.read(data, checklist_columns())
    seen: dict[tuple[str, str], int] = {}

    def apply(row: excel.Row) -> None:
        v = row.values
        key = (v["industry"], v["number"])
        if key in seen:
            raise invalid("序号", f"与第{seen[key]}行同一行业、同一序号")
        seen[key] = row.number
        save_entry(db=db, actor=actor, data=ChecklistEntryCreate(
            industry=v["industry"], number=v["number"], item_code=v["item_code"], content=v["content"],
            method=v.get("method") or "", basis=v.get("basis") or ""))

    excel.import_all(rows, apply)
    return len(rows)


def export_items(*, db: Session, actor: Actor) -> bytes:
    rows = db.scalars(_visible(actor).order_by(EnforceableItem.code)).all()
    return excel.export(item_columns(), ({c.key: getattr(i, c.key) for c in item_columns()} for i in rows),
                        title="执法事项清单")


def export_checklist(*, db: Session, actor: Actor, industry: str | None = None) -> bytes:
    require(actor, "enforcement.read")
    query = select(ChecklistEntry, EnforceableItem.code).join(EnforceableItem,
                                                             EnforceableItem.id == ChecklistEntry.item_id)
    if industry:
        query = query.where(ChecklistEntry.industry == industry)
    rows = sorted(db.execute(query).all(), key=lambda r: (r[0].industry, _number_key(r[0].number)))
    out = ({"industry": e.industry, "number": e.number, "item_code": code, "content": e.content, "method": e.method,
            "basis": e.basis} for e, code in rows)
    return excel.export(checklist_columns(), out, title="检查表")


def item_template() -> bytes:
    return excel.template(item_columns(), title="执法事项清单", example={
        "code": "AJ-JC-001", "name": "危险化学品生产企业安全生产条件检查", "kind": "行政检查", "industry": "危险化学品",
        "basis": "《中华人民共和国安全生产法》第六十五条", "department": "区应急管理局"})


def checklist_template() -> bytes:
    return excel.template(checklist_columns(), title="检查表", example={
        "industry": "危险化学品", "number": "1.1", "item_code": "AJ-JC-001",
        "content": "是否取得安全生产许可证并在有效期内", "method": "查阅资料",
        "basis": "《危险化学品安全管理条例》第十四条"})
