from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from yingji.core.db import Base, UTCDateTime


class Department(Base):
    """A district department or a township emergency office."""

    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    short_name: Mapped[str] = mapped_column(String(40), default="")
    kind: Mapped[str] = mapped_column(String(20), default="department")
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id", ondelete="RESTRICT"))
    region_path: Mapped[str | None] = mapped_column(String(400), index=True)
    phone: Mapped[str | None] = mapped_column(String(20))
    duties: Mapped[str] = mapped_column(String(500), default="")


class Enterprise(Base):
    __tablename__ = "enterprises"
    __generation__ = True  # pages cache what they show of these rows (core.layercache)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    industry: Mapped[str] = mapped_column(String(32), index=True)
    address: Mapped[str] = mapped_column(String(300), default="")
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="RESTRICT"), index=True)
    region_path: Mapped[str] = mapped_column(String(400), index=True)
    legal_representative: Mapped[str] = mapped_column(String(50), default="")
    safety_contact: Mapped[str] = mapped_column(String(50), default="")
    safety_phone: Mapped[str | None] = mapped_column(String(20))
    employees: Mapped[int] = mapped_column(Integer, default=0)
    remote_video: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default="operating")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Person(Base):
    """Someone reachable in an emergency: a name, a phone and a title in one organisation
    (a department, an enterprise, or a village/township as a region)."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    phone: Mapped[str] = mapped_column(String(20), index=True)
    title: Mapped[str] = mapped_column(String(50), default="")
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id", ondelete="RESTRICT"), index=True)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id", ondelete="RESTRICT"), index=True)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id", ondelete="RESTRICT"), index=True)
    region_path: Mapped[str | None] = mapped_column(String(400), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
