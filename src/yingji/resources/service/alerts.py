"""Reorder and expiry alerts. Found by posting and by the daily job, enqueued in the outbox in the same
transaction, and recorded (once per key) by the outbox handler as a notice of the shared inbox
(``core.notices``): the resources pages show them, and they wait in the 待办 of the warehouse's keepers
(the duty officers; the township's officers for a township store) until someone acknowledges them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yingji.core import notices
from yingji.core.actor import Actor, require
from yingji.core.clock import utcnow
from yingji.core.errors import NotFound
from yingji.core.outbox import enqueue
from yingji.resources.models import Batch, Material, StockBalance, Warehouse
from yingji.resources.service.common import ensure_writable, read_condition

TOPIC = "resources.stock_alert"
EXPIRY_WARNING_DAYS = 90
SOURCE = "resources"
TITLES = {"reorder": "储备低于下限", "expiry": "储备物资临期"}
KEEPERS = ("duty_officer", "township_officer")  # who may post stock documents (resources.stock.post)


def check_reorder(db: Session, *, warehouse_id: int, material_ids: Iterable[int] | None = None) -> int:
    """Enqueues a reorder alert for each material of the warehouse whose stock fell below its reorder point
    (one per warehouse, material and day). Returns how many were enqueued."""
    q = (
        select(
            Material.id,
            Material.name,
            Material.unit,
            Material.reorder_point,
            func.coalesce(func.sum(StockBalance.quantity), 0),
        )
        .join(StockBalance, StockBalance.material_id == Material.id)
        .where(StockBalance.warehouse_id == warehouse_id, Material.reorder_point > 0)
        .group_by(Material.id, Material.name, Material.unit, Material.reorder_point)
    )
    if material_ids is not None:
        q = q.where(Material.id.in_(list(material_ids)))
    warehouse = db.get(Warehouse, warehouse_id)
    today = utcnow().date()
    n = 0
    for mid, name, unit, point, total in db.execute(q).all():
        if Decimal(total) < Decimal(point):
            msg = enqueue(
                db,
                topic=TOPIC,
                key=f"reorder:{warehouse_id}:{mid}:{today}",
                payload={
                    "kind": "reorder",
                    "warehouse_id": warehouse_id,
                    "region_path": warehouse.region_path,
                    "message": f"{warehouse.name}：{name}库存 {Decimal(total):f}{unit}，"
                    f"低于储备下限 {Decimal(point):f}{unit}",
                },
            )
            n += msg is not None
    return n


def check_expiry(db: Session, *, today: date | None = None, within_days: int = EXPIRY_WARNING_DAYS) -> int:
    """Enqueues an expiry alert for every batch in stock expiring within ``within_days`` (or expired)."""
    today = today or utcnow().date()
    rows = db.execute(
        select(
            StockBalance.warehouse_id,
            Warehouse.name,
            Warehouse.region_path,
            Batch.id,
            Batch.batch_no,
            Batch.expiry_date,
            Material.name,
            StockBalance.quantity,
            Material.unit,
        )
        .join(Batch, Batch.id == StockBalance.batch_id)
        .join(Material, Material.id == StockBalance.material_id)
        .join(Warehouse, Warehouse.id == StockBalance.warehouse_id)
        .where(
            StockBalance.quantity > 0,
            Batch.expiry_date.is_not(None),
            Batch.expiry_date <= today + timedelta(days=within_days),
        )
    ).all()
    n = 0
    for wid, wname, path, bid, bno, expiry, mname, qty, unit in rows:
        state = "已过期" if expiry < today else f"将于 {expiry} 到期"
        msg = enqueue(
            db,
            topic=TOPIC,
            key=f"expiry:{wid}:{bid}",
            payload={
                "kind": "expiry",
                "warehouse_id": wid,
                "region_path": path,
                "message": f"{wname}：{mname}批次 {bno}（{Decimal(qty):f}{unit}）{state}，请安排轮换",
            },
        )
        n += msg is not None
    return n


def daily_check(db: Session) -> str:
    reorder = sum(check_reorder(db, warehouse_id=w) for w in db.scalars(select(Warehouse.id)))
    expiry = check_expiry(db)
    return f"储备下限提醒 {reorder} 条，临期提醒 {expiry} 条"


def record_alert(db: Session, *, key: str, payload: dict[str, Any]) -> bool:
    """The outbox handler's work: one alert per key (delivering twice changes nothing)."""
    if db.scalar(select(notices.Notice.id).where(notices.Notice.dedupe_key == key)) is not None:
        return False
    wid = int(payload["warehouse_id"])
    notices.post(
        db,
        source=SOURCE,
        kind=payload["kind"],
        ref_type="warehouse",
        ref_id=wid,
        title=TITLES.get(payload["kind"], "储备提醒"),
        body=payload["message"][:300],
        link=f"/resources/warehouses/{wid}",
        roles=KEEPERS,
        region_path=payload["region_path"],
        dedupe_key=key,
    )
    return True


def list_alerts(*, db: Session, actor: Actor, open_only: bool = True, limit: int = 50) -> list[notices.Notice]:
    require(actor, "resources.read")
    return notices.of_record(
        db,
        source=SOURCE,
        ref_type="warehouse",
        where=read_condition(actor, notices.Notice.region_path),
        open_only=open_only,
        limit=limit,
    )


def acknowledge_alert(*, db: Session, actor: Actor, alert_id: int) -> notices.Notice:
    """Settles the alert for everyone (the store has been seen to); it leaves the pages and the 待办 lists."""
    require(actor, "resources.stock.post")
    alert = db.get(notices.Notice, alert_id)
    if alert is None or alert.source != SOURCE:
        raise NotFound("提醒不存在")
    ensure_writable(actor, alert.region_path or "", what="提醒")
    alert.closed_at = alert.closed_at or utcnow()
    db.flush()
    return alert
