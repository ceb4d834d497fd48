"""Demo warehouses and stock: the regional reserve and township points, stocked by posted receipts, with
issues, a transfer left in transit and batches near expiry."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from yingji.core.actor import SYSTEM
from yingji.core.demo import mobile, person_name
from yingji.geo import service as geo_service
from yingji.resources import service
from yingji.resources.enums import (
    DocumentKind,
    MaterialCategory,
)
from yingji.resources.schemas import (
    AgreementCreate,
    DocumentCreate,
    LineIn,
    MaterialCreate,
    WarehouseCreate,
)
from yingji.resources.standards import material_catalogue


def seed_stock(db: Session, ctx, district, townships, today) -> tuple[int, int]:
    rng = ctx.rng
    materials = [
        service.create_material(
            db=db,
            actor=SYSTEM,
            data=MaterialCreate(
                code=f"WZ{i + 1:03d}",
                name=c.name,
                category=MaterialCategory(c.category),
                subcategory=c.subcategory,
                unit=c.unit,
                specification=c.specification,
                shelf_life_days=c.shelf_life_days,
                reorder_point=c.reorder_point,
            ),
        )
        for i, c in enumerate(material_catalogue())
    ]
    lon, lat = geo_service.random_point_in(db=db, code=townships[0].code, rng=rng)
    warehouses = [
        service.create_warehouse(
            db=db,
            actor=SYSTEM,
            data=WarehouseCreate(
                name="柳江区区域性应急救援物资储备库",
                region_code=district.code,
                lon=lon,
                lat=lat,
                capacity_m3=Decimal(12000),
                area_m2=Decimal(3000),
                manager=person_name(rng),
                phone="0772-7215110",
                address="拉堡镇演示物流园 8 号",
            ),
        )
    ]
    for t in townships:
        lon, lat = geo_service.random_point_in(db=db, code=t.code, rng=rng)
        warehouses.append(
            service.create_warehouse(
                db=db,
                actor=SYSTEM,
                data=WarehouseCreate(
                    name=f"{t.name}救灾物资储备点",
                    region_code=t.code,
                    lon=lon,
                    lat=lat,
                    capacity_m3=Decimal(600),
                    area_m2=Decimal(200),
                    manager=person_name(rng),
                    phone=mobile(rng),
                ),
            )
        )
    docs = 0
    for w in warehouses:
        scale = 10 if w.level == "district" else 1
        lines = []
        for m in materials:
            if w.level != "district" and rng.random() < 0.3:
                continue
            made = today - timedelta(days=rng.randint(30, 700))
            # Some batches near their end so that the expiry alerts and rotations have something to show.
            life = m.shelf_life_days or 3650
            if rng.random() < 0.12:
                made = today - timedelta(days=life - rng.randint(20, 80))
            qty = Decimal(int(m.reorder_point * scale * Decimal(rng.uniform(0.6, 2.5)))) + 1
            lines.append(
                LineIn(
                    material_id=m.id,
                    quantity=qty,
                    batch_no=f"{made:%Y%m}-{w.id}-{m.id}",
                    production_date=made,
                    expiry_date=made + timedelta(days=life),
                )
            )
        doc = service.create_document(
            db=db,
            actor=SYSTEM,
            data=DocumentCreate(
                kind=DocumentKind.receipt,
                warehouse_id=w.id,
                counterparty="演示供应商",
                reason="年度储备入库",
                acceptance={"inspector": person_name(rng), "passed": True, "note": "数量、规格、外观合格"},
                lines=lines,
            ),
        )
        service.post_document(db=db, actor=SYSTEM, document_id=doc.id)
        docs += 1
    # A transfer from the district reserve to a township point, still in transit.
    doc = service.create_document(
        db=db,
        actor=SYSTEM,
        data=DocumentCreate(
            kind=DocumentKind.transfer,
            warehouse_id=warehouses[0].id,
            to_warehouse_id=warehouses[2].id,
            reason="汛前前置物资",
            lines=[
                LineIn(material_id=materials[0].id, quantity=Decimal(20)),
                LineIn(material_id=materials[6].id, quantity=Decimal(50)),
            ],
        ),
    )
    service.post_document(db=db, actor=SYSTEM, document_id=doc.id)
    for kind, partner, seconds in (
        ("reserve", "柳江区演示粮油超市有限公司", 4 * 3600),
        ("reserve", "柳州演示五金机电有限公司", 6 * 3600),
        ("transport", "柳江区演示运输集团有限公司", 2 * 3600),
    ):
        service.create_agreement(
            db=db,
            actor=SYSTEM,
            data=AgreementCreate(
                kind=kind,
                partner=partner,
                contact_name=person_name(rng),
                contact_phone=mobile(rng),
                region_code=district.code,
                valid_from=today - timedelta(days=100),
                valid_to=today + timedelta(days=265),
                response_time_s=seconds,
                items=[{"material_id": materials[4].id, "quantity": 2000}]
                if kind == "reserve"
                else [{"what": "厢式货车", "quantity": 20}],
            ),
        )
    return len(warehouses), docs
