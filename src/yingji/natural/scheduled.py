"""Periodic work of the natural capability: patrols a warning called for and nobody recorded in time go
to the township's 待办."""

from __future__ import annotations

from sqlalchemy.orm import Session

from yingji.core.jobs import scheduled
from yingji.natural.service import patrols


@scheduled("natural.patrol_overdue", every_s=600)
def patrol_overdue(db: Session) -> str:
    """Patrols due under a warning and not recorded in time: the township's 待办, once per point and warning."""
    return f"overdue patrols {patrols.flag_overdue(db=db)}"
