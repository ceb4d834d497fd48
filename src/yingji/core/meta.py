"""Key/value facts about this installation, e.g. which data set is loaded (the demo banner reads it)."""

from __future__ import annotations

from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from yingji.core.db import Base


class Meta(Base):
    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(500))


def get_meta(db: Session, key: str) -> str | None:
    return db.scalar(select(Meta.value).where(Meta.key == key))


def set_meta(db: Session, key: str, value: str) -> None:
    row = db.get(Meta, key)
    if row is None:
        db.add(Meta(key=key, value=value))
    else:
        row.value = value
    db.flush()
