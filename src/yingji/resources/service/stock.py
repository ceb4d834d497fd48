"""The material ledger. Stock changes only by posting a document; a posted document is never edited and
is corrected only by a reversing document. Every posting writes signed movements per batch and keeps the
balance per (warehouse, batch) equal to the sum of its movements, never below zero.

Documents: 验收入库 (receipt, with an acceptance check), 捐赠入库 (donation), 出库 (issue, earliest expiry
first), 调拨 (transfer: out at posting, in transit, in at receipt), 盘点 (count: the variance is booked),
轮换 (rotation: expiring batches out, fresh batches in), 冲销 (reversal).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from yingji.core.actor import Actor, require
from yingji.core.clock import utcnow
from yingji.core.errors import Conflict, ErrorDetail, NotFound, ValidationFailed, invalid
from yingji.core.events import publish
from yingji.core.security import new_token
from yingji.resources.enums import DocumentKind, DocumentStatus
from yingji.resources.events import StockIssued
from yingji.resources.models import (
    Batch,
    DocumentLine,
    Material,
    StockBalance,
    StockDocument,
    StockMovement,
    Warehouse,
)
from yingji.resources.schemas import DocumentCreate, LineIn
from yingji.resources.service import alerts
from yingji.resources.service.warehouses import get_warehouse, writable_warehouse

PREFIX = {
    DocumentKind.receipt: "RK",
    DocumentKind.donation: "JZ",
    DocumentKind.issue: "CK",
    DocumentKind.transfer: "DB",
    DocumentKind.count: "PD",
    DocumentKind.rotation: "LH",
    DocumentKind.reversal: "CX",
}
INBOUND = (DocumentKind.receipt, DocumentKind.donation)
OUTBOUND = (DocumentKind.issue, DocumentKind.transfer)


def _line_error(i: int, field: str, message: str) -> ValidationFailed:
    return invalid(f"lines[{i}].{field}", message)


def _check_lines(db: Session, data: DocumentCreate) -> None:
    errors: list[ErrorDetail] = []
    ins = outs = 0
    for i, line in enumerate(data.lines):
        if db.get(Material, line.material_id) is None:
            errors.append(ErrorDetail(f"lines[{i}].material_id", "物资不存在"))
            continue
        q = line.quantity
        inbound = data.kind in INBOUND or (data.kind == DocumentKind.rotation and q > 0)
        if data.kind == DocumentKind.count:
            if q < 0:
                errors.append(ErrorDetail(f"lines[{i}].quantity", "实盘数量不能为负数"))
            if line.batch_id is None:
                errors.append(ErrorDetail(f"lines[{i}].batch_id", "盘点须逐批次填写"))
        elif data.kind == DocumentKind.rotation and q == 0 or data.kind != DocumentKind.rotation and q <= 0:
            errors.append(ErrorDetail(f"lines[{i}].quantity", "数量须大于 0（轮换：出库为负数、入库为正数）"))
        if inbound:
            ins += 1
            if not line.batch_no and line.batch_id is None:
                errors.append(ErrorDetail(f"lines[{i}].batch_no", "入库须填写批次号"))
            if line.production_date and line.expiry_date and line.expiry_date < line.production_date:
                errors.append(ErrorDetail(f"lines[{i}].expiry_date", "有效期不能早于生产日期"))
        elif data.kind == DocumentKind.rotation:
            outs += 1
            if line.batch_id is None:
                errors.append(ErrorDetail(f"lines[{i}].batch_id", "轮换出库须指明批次"))
    if data.kind == DocumentKind.rotation and (ins == 0 or outs == 0):
        errors.append(ErrorDetail("lines", "轮换须同时有到期批次出库（负数）和新批次入库（正数）"))
    if errors:
        raise ValidationFailed("单据明细有误：" + errors[0].message, details=errors)


def _numbered(db: Session, **values) -> StockDocument:
    """A new document numbered by kind, day and id (RK20260601-000042)."""
    doc = StockDocument(number="TMP-" + new_token()[:20], **values)
    db.add(doc)
    db.flush()
    doc.number = f"{PREFIX[DocumentKind(doc.kind)]}{doc.created_at:%Y%m%d}-{doc.id:06d}"
    return doc


def create_document(*, db: Session, actor: Actor, data: DocumentCreate) -> StockDocument:
    """A draft document; nothing changes in stock until it is posted."""
    require(actor, "resources.stock.post")
    if data.kind == DocumentKind.reversal:
        raise invalid("kind", "冲销单由“冲销”操作生成，不能直接新建")
    warehouse = writable_warehouse(db, actor, data.warehouse_id)
    if data.kind == DocumentKind.transfer:
        if data.to_warehouse_id is None:
            raise invalid("to_warehouse_id", "调拨须填写调入仓库")
        if data.to_warehouse_id == warehouse.id:
            raise invalid("to_warehouse_id", "调入仓库不能与调出仓库相同")
        if db.get(Warehouse, data.to_warehouse_id) is None:
            raise invalid("to_warehouse_id", "调入仓库不存在")
    elif data.to_warehouse_id is not None:
        raise invalid("to_warehouse_id", "只有调拨单填写调入仓库")
    if data.kind == DocumentKind.donation and not data.counterparty.strip():
        raise invalid("counterparty", "捐赠入库须填写捐赠方")
    _check_lines(db, data)
    doc = _numbered(
        db,
        kind=data.kind,
        status=DocumentStatus.draft,
        warehouse_id=warehouse.id,
        to_warehouse_id=data.to_warehouse_id,
        region_path=warehouse.region_path,
        counterparty=data.counterparty,
        reason=data.reason,
        acceptance=data.acceptance.model_dump() if data.acceptance else None,
        created_by=actor.id,
        created_at=utcnow(),
    )
    for line in data.lines:
        db.add(DocumentLine(document_id=doc.id, **line.model_dump()))
    db.flush()
    return doc


def get_document(*, db: Session, actor: Actor, document_id: int) -> StockDocument:
    require(actor, "resources.read")
    doc = db.get(StockDocument, document_id)
    if doc is None:
        raise NotFound("单据不存在")
    get_warehouse(db=db, actor=actor, warehouse_id=doc.warehouse_id)  # 404 outside the actor's area
    return doc


def document_lines(db: Session, document_id: int) -> list[DocumentLine]:
    return list(
        db.scalars(select(DocumentLine).where(DocumentLine.document_id == document_id).order_by(DocumentLine.id))
    )


def document_movements(db: Session, document_id: int) -> list[StockMovement]:
    return list(
        db.scalars(select(StockMovement).where(StockMovement.document_id == document_id).order_by(StockMovement.id))
    )


# --- posting -------------------------------------------------------------------------------------


def _balance(db: Session, warehouse_id: int, batch: Batch) -> StockBalance:
    q = select(StockBalance).where(StockBalance.warehouse_id == warehouse_id, StockBalance.batch_id == batch.id)
    if db.get_bind().dialect.name == "postgresql":
        q = q.with_for_update()
    bal = db.scalar(q)
    if bal is None:
        bal = StockBalance(
            warehouse_id=warehouse_id, material_id=batch.material_id, batch_id=batch.id, quantity=Decimal(0)
        )
        db.add(bal)
    return bal


def _move(db: Session, doc: StockDocument, warehouse_id: int, batch: Batch, qty: Decimal, field: str) -> None:
    bal = _balance(db, warehouse_id, batch)
    new = (bal.quantity or Decimal(0)) + qty
    if new < 0:
        raise invalid(field, f"库存不足：批次 {batch.batch_no} 现有 {bal.quantity}，不能减少 {-qty}")
    bal.quantity = new
    db.add(
        StockMovement(
            document_id=doc.id,
            warehouse_id=warehouse_id,
            material_id=batch.material_id,
            batch_id=batch.id,
            quantity=qty,
            created_at=utcnow(),
        )
    )
    db.flush()


def _batch_for_receipt(db: Session, line: DocumentLine, i: int) -> Batch:
    if line.batch_id is not None:
        batch = db.get(Batch, line.batch_id)
        if batch is None or batch.material_id != line.material_id:
            raise _line_error(i, "batch_id", "批次不存在")
        return batch
    batch = db.scalar(select(Batch).where(Batch.material_id == line.material_id, Batch.batch_no == line.batch_no))
    if batch is None:
        material = db.get(Material, line.material_id)
        expiry = line.expiry_date
        if expiry is None and line.production_date and material and material.shelf_life_days:
            expiry = date.fromordinal(line.production_date.toordinal() + material.shelf_life_days)
        batch = Batch(
            material_id=line.material_id,
            batch_no=line.batch_no,
            production_date=line.production_date,
            expiry_date=expiry,
        )
        db.add(batch)
        db.flush()
    elif line.expiry_date and batch.expiry_date and line.expiry_date != batch.expiry_date:
        raise _line_error(i, "expiry_date", f"批次 {batch.batch_no} 已登记的有效期为 {batch.expiry_date}")
    line.batch_id = batch.id
    return batch


def _fifo(db: Session, warehouse_id: int, line: DocumentLine, i: int) -> list[tuple[Batch, Decimal]]:
    """Which batches an issue takes: earliest expiry first (no expiry last), then the oldest batch."""
    q = (
        select(Batch, StockBalance.quantity)
        .join(StockBalance, StockBalance.batch_id == Batch.id)
        .where(
            StockBalance.warehouse_id == warehouse_id,
            StockBalance.material_id == line.material_id,
            StockBalance.quantity > 0,
        )
        .order_by(case((Batch.expiry_date.is_(None), 1), else_=0), Batch.expiry_date, Batch.id)
    )
    if line.batch_id is not None:
        q = q.where(Batch.id == line.batch_id)
    left, taken = Decimal(line.quantity), []
    for batch, qty in db.execute(q).all():
        take = min(left, qty)
        taken.append((batch, take))
        left -= take
        if left == 0:
            return taken
    available = Decimal(line.quantity) - left
    raise _line_error(i, "quantity", f"库存不足：可用 {available}，需要 {line.quantity}")


def post_document(*, db: Session, actor: Actor, document_id: int) -> StockDocument:
    """Posts a draft once: writes its movements. Any line that cannot be posted refuses the whole document."""
    require(actor, "resources.stock.post")
    doc = get_document(db=db, actor=actor, document_id=document_id)
    writable_warehouse(db, actor, doc.warehouse_id)
    if doc.status != DocumentStatus.draft:
        raise Conflict(f"单据 {doc.number} 已过账，不能再次过账；如需更正请冲销")
    if doc.kind == DocumentKind.receipt and not (doc.acceptance or {}).get("passed"):
        raise invalid("acceptance", "验收入库须先验收合格（填写验收人并确认合格）")
    touched: set[int] = set()
    for i, line in enumerate(document_lines(db, doc.id)):
        touched.add(line.material_id)
        field = f"lines[{i}].quantity"
        if doc.kind in INBOUND or (doc.kind == DocumentKind.rotation and line.quantity > 0):
            _move(db, doc, doc.warehouse_id, _batch_for_receipt(db, line, i), Decimal(line.quantity), field)
        elif doc.kind == DocumentKind.rotation:
            batch = db.get(Batch, line.batch_id)
            if batch is None or batch.material_id != line.material_id:
                raise _line_error(i, "batch_id", "批次不存在")
            _move(db, doc, doc.warehouse_id, batch, Decimal(line.quantity), field)
        elif doc.kind == DocumentKind.count:
            batch = db.get(Batch, line.batch_id)
            if batch is None or batch.material_id != line.material_id:
                raise _line_error(i, "batch_id", "批次不存在")
            book = _balance(db, doc.warehouse_id, batch).quantity or Decimal(0)
            if Decimal(line.quantity) != book:
                _move(db, doc, doc.warehouse_id, batch, Decimal(line.quantity) - book, field)
        else:
            for batch, qty in _fifo(db, doc.warehouse_id, line, i):
                _move(db, doc, doc.warehouse_id, batch, -qty, field)
    doc.status = DocumentStatus.in_transit if doc.kind == DocumentKind.transfer else DocumentStatus.posted
    doc.posted_at, doc.posted_by = utcnow(), actor.id
    db.flush()
    if doc.kind in OUTBOUND:
        lines = tuple((line.material_id, str(line.quantity)) for line in document_lines(db, doc.id))
        publish(db, StockIssued(document_id=doc.id, number=doc.number, kind=doc.kind, warehouse_id=doc.warehouse_id,
                                to_warehouse_id=doc.to_warehouse_id, region_path=doc.region_path, lines=lines,
                                at=doc.posted_at))
    alerts.check_reorder(db, warehouse_id=doc.warehouse_id, material_ids=touched)
    return doc


def receive_transfer(*, db: Session, actor: Actor, document_id: int) -> StockDocument:
    """The receiving warehouse books in exactly what left the sending one (same batches)."""
    require(actor, "resources.stock.post")
    doc = db.get(StockDocument, document_id)
    if doc is None or doc.kind != DocumentKind.transfer or doc.to_warehouse_id is None:
        raise NotFound("调拨单不存在")
    writable_warehouse(db, actor, doc.to_warehouse_id)
    if doc.status != DocumentStatus.in_transit:
        raise Conflict(f"调拨单 {doc.number} 不在途，不能收货")
    for m in document_movements(db, doc.id):
        batch = db.get(Batch, m.batch_id)
        _move(db, doc, doc.to_warehouse_id, batch, -Decimal(m.quantity), "quantity")
    doc.status, doc.received_at = DocumentStatus.received, utcnow()
    db.flush()
    return doc


def reverse_document(*, db: Session, actor: Actor, document_id: int, reason: str) -> StockDocument:
    """A reversing document undoing every movement of a posted one (including a transfer's receipt)."""
    require(actor, "resources.stock.post")
    doc = get_document(db=db, actor=actor, document_id=document_id)
    writable_warehouse(db, actor, doc.warehouse_id)
    if doc.kind == DocumentKind.reversal:
        raise Conflict("冲销单不能再冲销")
    if doc.status not in (DocumentStatus.posted, DocumentStatus.in_transit, DocumentStatus.received):
        raise Conflict(f"单据 {doc.number} 状态为{doc.status}，不能冲销")
    if not reason.strip():
        raise invalid("reason", "请填写冲销原因")
    now = utcnow()
    rev = _numbered(
        db,
        kind=DocumentKind.reversal,
        status=DocumentStatus.posted,
        warehouse_id=doc.warehouse_id,
        to_warehouse_id=doc.to_warehouse_id,
        region_path=doc.region_path,
        reason=reason.strip()[:300],
        reverses_id=doc.id,
        created_by=actor.id,
        created_at=now,
        posted_at=now,
        posted_by=actor.id,
    )
    # Reverse the inflows first so a transfer's receipt is undone before the stock returns to its source.
    for m in sorted(document_movements(db, doc.id), key=lambda m: m.quantity, reverse=True):
        _move(db, rev, m.warehouse_id, db.get(Batch, m.batch_id), -Decimal(m.quantity), "quantity")
        db.add(
            DocumentLine(
                document_id=rev.id, material_id=m.material_id, batch_id=m.batch_id, quantity=-Decimal(m.quantity)
            )
        )
    doc.status = DocumentStatus.reversed
    db.flush()
    return rev


__all__ = ["LineIn"]
