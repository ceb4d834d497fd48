"""Small factories for the enforcement tests (records made inside the test's rolled-back transaction)."""

from __future__ import annotations

import io

from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from yingji.accounts.models import User
from yingji.core.actor import SYSTEM
from yingji.enforcement.models import EnforceableItem
from yingji.enforcement.schemas import ItemCreate
from yingji.enforcement.service import items


def user(db, username: str) -> User:
    return db.scalar(select(User).where(User.username == username))


def item(db, *, code: str = "T-JC-001", industry: str = "fireworks", publish: bool = True) -> EnforceableItem:
    row = items.create_item(db=db, actor=SYSTEM, data=ItemCreate(
        code=code, name="测试检查事项", industry=industry, basis="《中华人民共和国安全生产法》第六十五条"))
    if publish:
        items.publish_item(db=db, actor=SYSTEM, item_id=row.id)
    return row


def xlsx(header: list[str], *rows: list) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def sheet_rows(data: bytes) -> list[tuple]:
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    return list(ws.iter_rows(values_only=True))
