"""Small factories for the plans tests (records made inside the test's rolled-back transaction)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

from docx import Document
from sqlalchemy import select

from yingji.accounts.models import User
from yingji.core import files
from yingji.core.actor import SYSTEM
from yingji.core.clock import LOCAL_TZ
from yingji.geo import service as geo_service
from yingji.plans.schemas import PlanCreate
from yingji.plans.service import registry
from yingji.registry.models import Enterprise


def bj(y, m, d, hh=10, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=LOCAL_TZ).astimezone(UTC)


def docx_bytes(text: str = "柳江区测试应急预案") -> bytes:
    doc = Document()
    doc.add_paragraph(text)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def upload(db, actor=SYSTEM, name: str = "预案.docx") -> int:
    return files.store(db, data=docx_bytes(), filename=name, allowed={files.DOCX_TYPE},
                       uploaded_by=actor.id).id


def materials(db, actor=SYSTEM, review: bool = True) -> dict[str, int]:
    keys = ["application_form", "risk_assessment", "resource_survey", "plan_document"]
    keys += ["review_opinion"] if review else []
    return {k: upload(db, actor, f"{k}.docx") for k in keys}


def user(db, username: str) -> User:
    return db.scalar(select(User).where(User.username == username))


def chem_enterprise(db) -> Enterprise:
    return db.get(Enterprise, user(db, "chem").enterprise_id)


def other_enterprise(db, *, outside: str | None = None) -> Enterprise:
    """An enterprise that is not chem's (and, given a path, outside it)."""
    mine = user(db, "chem").enterprise_id
    q = select(Enterprise).where(Enterprise.id != mine).order_by(Enterprise.id)
    if outside:
        q = q.where(~Enterprise.region_path.startswith(outside))
    return db.scalar(q)


def township(db, index: int = 0):
    return geo_service.region_infos(db=db, level="township")[index]


def village_of(db, township_path: str):
    return next(r for r in geo_service.region_infos(db=db, level="village") if r.path.startswith(township_path + "/"))


def plan(db, *, kind: str = "ent_comprehensive", enterprise_id: int | None = None, region_code: str | None = None,
         published_on: date | None = date(2025, 9, 1), actor=SYSTEM, **extra):
    data = PlanCreate(title=extra.pop("title", "测试应急预案"), kind=kind, enterprise_id=enterprise_id,
                      region_code=region_code, published_on=published_on, **extra)
    return registry.create_plan(db=db, actor=actor, data=data)


def png_bytes() -> bytes:
    """A valid 1×1 PNG (a drill photo)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))
