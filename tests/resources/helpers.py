"""Small factories for the resources tests (records made inside the test's rolled-back transaction)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from yingji.core.actor import SYSTEM
from yingji.geo import service as geo_service
from yingji.resources import service
from yingji.resources.schemas import DocumentCreate, LineIn, MaterialCreate, WarehouseCreate

LABAO = "450206100000"


def township(db, index: int = 0):
    return geo_service.region_infos(db=db, level="township")[index]


def warehouse(db, *, index: int = 0, name: str = "测试储备点"):
    t = township(db, index)
    lon, lat = t.centroid
    return service.create_warehouse(
        db=db, actor=SYSTEM, data=WarehouseCreate(name=name, region_code=t.code, lon=lon, lat=lat)
    )


_codes = iter(range(1, 10**6))


def material(db, *, reorder_point: int = 0, shelf_life_days: int | None = None):
    return service.create_material(
        db=db,
        actor=SYSTEM,
        data=MaterialCreate(
            code=f"T{next(_codes):05d}",
            name="测试帐篷",
            category="life_rescue",
            unit="顶",
            reorder_point=Decimal(reorder_point),
            shelf_life_days=shelf_life_days,
        ),
    )


def post(db, kind: str, warehouse_id: int, lines: list[dict], actor=SYSTEM, **extra):
    data = DocumentCreate(kind=kind, warehouse_id=warehouse_id, lines=[LineIn(**x) for x in lines], **extra)
    doc = service.create_document(db=db, actor=actor, data=data)
    return service.post_document(db=db, actor=actor, document_id=doc.id)


ACCEPTED = {"acceptance": {"inspector": "验收员", "passed": True}}


def receive(db, warehouse_id: int, material_id: int, qty, batch_no: str, expiry: date | None = None):
    return post(
        db,
        "receipt",
        warehouse_id,
        [{"material_id": material_id, "quantity": Decimal(qty), "batch_no": batch_no, "expiry_date": expiry}],
        **ACCEPTED,
    )


def on_hand(db, warehouse_id: int, material_id: int) -> dict[str, Decimal]:
    """Batch number → quantity on hand."""
    return {
        r["batch_no"]: r["quantity"]
        for r in service.stock(db=db, actor=SYSTEM, warehouse_id=warehouse_id, material_id=material_id)
    }


def ledger_consistent(db) -> None:
    """Every balance equals the sum of its movements and none is negative."""
    from sqlalchemy import func

    from yingji.resources.models import StockBalance, StockMovement

    sums = dict(
        ((w, b), q)
        for w, b, q in db.execute(
            select(StockMovement.warehouse_id, StockMovement.batch_id, func.sum(StockMovement.quantity)).group_by(
                StockMovement.warehouse_id, StockMovement.batch_id
            )
        )
    )
    for bal in db.scalars(select(StockBalance)):
        assert bal.quantity >= 0
        assert Decimal(bal.quantity) == Decimal(sums.get((bal.warehouse_id, bal.batch_id), 0))
