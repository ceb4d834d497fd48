"""Small helpers for the risk tests: demo users and enterprises, hazards made through the service."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from yingji.accounts.models import User
from yingji.core.clock import utcnow
from yingji.registry.models import Enterprise
from yingji.risk.schemas import HazardCreate
from yingji.risk.service import hazards


def user(db, username: str) -> User:
    return db.scalar(select(User).where(User.username == username))


def chem_enterprise_id(db) -> int:
    return user(db, "chem").enterprise_id


def enterprise_outside(db, path_prefix: str) -> Enterprise:
    """An enterprise whose region is not under ``path_prefix``."""
    return next(
        e for e in db.scalars(select(Enterprise).order_by(Enterprise.id)) if not e.region_path.startswith(path_prefix)
    )


def enterprise_inside(db, path_prefix: str, *, not_id: int | None = None) -> Enterprise:
    return next(
        e
        for e in db.scalars(select(Enterprise).order_by(Enterprise.id))
        if e.region_path.startswith(path_prefix) and e.id != not_id
    )


def new_hazard(db, *, actor=None, enterprise_id: int | None | str = "chem", grade="general", days=10, **extra):
    actor = actor or user(db, "duty")
    data = HazardCreate(
        enterprise_id=chem_enterprise_id(db) if enterprise_id == "chem" else enterprise_id,
        title=extra.pop("title", "测试隐患：报警器失效"),
        grade=grade,
        deadline=utcnow() + timedelta(days=days),
        responsible_person="张三",
        **extra,
    )
    return hazards.create_hazard(db=db, actor=actor, data=data)
