"""Tables of the resources capability: teams (members, equipment), experts, warehouses with a material
ledger, supplier and transport agreements, shelters (assessments). (Alerts are notices of the shared inbox.)"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from yingji.core.db import Base, UTCDateTime

QTY = Numeric(14, 3)


class Team(Base):
    __tablename__ = "res_teams"
    __generation__ = True  # map layers are kept until these rows are written (core.layercache)
    __audit_exclude__ = {"status_token_digest"}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    station_class: Mapped[str | None] = mapped_column(String(10))
    speciality: Mapped[str] = mapped_column(String(20), default="comprehensive")
    planned: Mapped[bool] = mapped_column(Boolean, default=False)  # planned, not yet built (专栏10)
    enterprise_id: Mapped[int | None] = mapped_column(Integer, index=True)
    region_path: Mapped[str] = mapped_column(String(400), index=True)
    base_address: Mapped[str] = mapped_column(String(300), default="")
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    contact_name: Mapped[str] = mapped_column(String(50), default="")
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(12), default="standby", index=True)
    status_note: Mapped[str] = mapped_column(String(200), default="")
    status_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approval: Mapped[str] = mapped_column(String(10), default="approved", index=True)
    status_token_digest: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class TeamMember(Base):
    __tablename__ = "res_team_members"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("res_teams.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(Integer)  # registry person, when linked
    name: Mapped[str] = mapped_column(String(50))
    phone: Mapped[str | None] = mapped_column(String(20))
    role: Mapped[str] = mapped_column(String(20), default="队员")
    qualification: Mapped[str] = mapped_column(String(100), default="")
    certificate_no: Mapped[str] = mapped_column(String(60), default="")
    certificate_expiry: Mapped[date | None] = mapped_column(Date)
    region_path: Mapped[str] = mapped_column(String(400), index=True)


class TeamEquipment(Base):
    __tablename__ = "res_team_equipment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("res_teams.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(12), default="equipment")
    name: Mapped[str] = mapped_column(String(100))
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    plate: Mapped[str] = mapped_column(String(20), default="")
    region_path: Mapped[str] = mapped_column(String(400), index=True)


class Expert(Base):
    __tablename__ = "res_experts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    speciality: Mapped[str] = mapped_column(String(20), index=True)
    title: Mapped[str] = mapped_column(String(60), default="")
    organisation: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str | None] = mapped_column(String(20))
    region_path: Mapped[str] = mapped_column(String(400), index=True)


class Warehouse(Base):
    __tablename__ = "res_warehouses"
    __generation__ = True  # map layers are kept until these rows are written (core.layercache)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(10))
    region_path: Mapped[str] = mapped_column(String(400), index=True)
    address: Mapped[str] = mapped_column(String(300), default="")
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    capacity_m3: Mapped[Decimal] = mapped_column(Numeric(12, 1), default=0)
    area_m2: Mapped[Decimal] = mapped_column(Numeric(12, 1), default=0)
    manager: Mapped[str] = mapped_column(String(50), default="")
    phone: Mapped[str | None] = mapped_column(String(20))


class Material(Base):
    __tablename__ = "res_materials"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(20))
    subcategory: Mapped[str] = mapped_column(String(40), default="")
    unit: Mapped[str] = mapped_column(String(10))
    specification: Mapped[str] = mapped_column(String(200), default="")
    shelf_life_days: Mapped[int | None] = mapped_column(Integer)
    reorder_point: Mapped[Decimal] = mapped_column(QTY, default=0)  # per warehouse


class Batch(Base):
    __tablename__ = "res_batches"
    __table_args__ = (UniqueConstraint("material_id", "batch_no"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    material_id: Mapped[int] = mapped_column(ForeignKey("res_materials.id", ondelete="RESTRICT"), index=True)
    batch_no: Mapped[str] = mapped_column(String(60))
    production_date: Mapped[date | None] = mapped_column(Date)
    expiry_date: Mapped[date | None] = mapped_column(Date, index=True)


class StockDocument(Base):
    """Stock changes only through a document; posted once; corrected by a reversing document."""

    __tablename__ = "res_documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    kind: Mapped[str] = mapped_column(String(12), index=True)
    status: Mapped[str] = mapped_column(String(12), default="draft", index=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("res_warehouses.id", ondelete="RESTRICT"), index=True)
    to_warehouse_id: Mapped[int | None] = mapped_column(ForeignKey("res_warehouses.id", ondelete="RESTRICT"))
    region_path: Mapped[str] = mapped_column(String(400), index=True)
    counterparty: Mapped[str] = mapped_column(String(200), default="")  # supplier, donor, recipient
    reason: Mapped[str] = mapped_column(String(300), default="")
    acceptance: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # 验收: who, result, note
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("res_documents.id", ondelete="RESTRICT"))
    created_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    posted_by: Mapped[int | None] = mapped_column(Integer)
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class DocumentLine(Base):
    __tablename__ = "res_document_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("res_documents.id", ondelete="CASCADE"), index=True)
    material_id: Mapped[int] = mapped_column(ForeignKey("res_materials.id", ondelete="RESTRICT"))
    # Receipts name (or create) the batch; issues and transfers leave it empty and take earliest expiry first.
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("res_batches.id", ondelete="RESTRICT"))
    quantity: Mapped[Decimal] = mapped_column(QTY)  # counts: the counted quantity; rotations: signed
    batch_no: Mapped[str | None] = mapped_column(String(60))
    production_date: Mapped[date | None] = mapped_column(Date)
    expiry_date: Mapped[date | None] = mapped_column(Date)


class StockMovement(Base):
    """One signed change of one batch in one warehouse, written by posting a document."""

    __tablename__ = "res_movements"
    __audit__ = False  # high volume; the documents that cause them are audited

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("res_documents.id", ondelete="RESTRICT"), index=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("res_warehouses.id", ondelete="RESTRICT"), index=True)
    material_id: Mapped[int] = mapped_column(ForeignKey("res_materials.id", ondelete="RESTRICT"), index=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("res_batches.id", ondelete="RESTRICT"))
    quantity: Mapped[Decimal] = mapped_column(QTY)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class StockBalance(Base):
    """Quantity on hand per warehouse and batch: the running sum of its movements, never negative."""

    __tablename__ = "res_balances"
    __audit__ = False
    __table_args__ = (
        UniqueConstraint("warehouse_id", "batch_id"),
        CheckConstraint("quantity >= 0", name="not_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("res_warehouses.id", ondelete="RESTRICT"), index=True)
    material_id: Mapped[int] = mapped_column(ForeignKey("res_materials.id", ondelete="RESTRICT"), index=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("res_batches.id", ondelete="RESTRICT"))
    quantity: Mapped[Decimal] = mapped_column(QTY, default=0)


class Agreement(Base):
    """协议储备 / 紧急运输 agreements: who supplies what, how much, and how fast."""

    __tablename__ = "res_agreements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))
    partner: Mapped[str] = mapped_column(String(200))
    contact_name: Mapped[str] = mapped_column(String(50), default="")
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    region_path: Mapped[str] = mapped_column(String(400), index=True)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date] = mapped_column(Date)
    response_time_s: Mapped[int] = mapped_column(Integer)
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # [{material_id|what, quantity}]
    note: Mapped[str] = mapped_column(String(300), default="")


class Shelter(Base):
    __tablename__ = "res_shelters"
    __generation__ = True  # map layers are kept until these rows are written (core.layercache)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(12))
    level: Mapped[str] = mapped_column(String(12))
    region_path: Mapped[str] = mapped_column(String(400), index=True)
    address: Mapped[str] = mapped_column(String(300), default="")
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    effective_area_m2: Mapped[Decimal] = mapped_column(Numeric(12, 1))
    capacity: Mapped[int] = mapped_column(Integer)  # computed from area and level
    site_safety: Mapped[str] = mapped_column(String(300), default="")
    accessible: Mapped[bool] = mapped_column(Boolean, default=False)  # barrier-free access
    facilities: Mapped[list[str]] = mapped_column(JSON, default=list)
    seismic_grade: Mapped[int | None] = mapped_column(Integer)  # 抗震设防烈度
    manager: Mapped[str] = mapped_column(String(50), default="")
    phone: Mapped[str | None] = mapped_column(String(20))
    condition: Mapped[str] = mapped_column(String(12), default="unassessed")
    occupancy: Mapped[int] = mapped_column(Integer, default=0)
    occupancy_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    open: Mapped[bool] = mapped_column(Boolean, default=False)


class ShelterAssessment(Base):
    __tablename__ = "res_shelter_assessments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    shelter_id: Mapped[int] = mapped_column(ForeignKey("res_shelters.id", ondelete="CASCADE"), index=True)
    assessed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    assessor: Mapped[str] = mapped_column(String(50))
    checks: Mapped[dict[str, bool]] = mapped_column(JSON, default=dict)
    result: Mapped[str] = mapped_column(String(12))
    findings: Mapped[str] = mapped_column(Text, default="")
    region_path: Mapped[str] = mapped_column(String(400), index=True)
