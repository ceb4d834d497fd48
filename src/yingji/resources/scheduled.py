"""Scheduled jobs of the resources capability."""

from __future__ import annotations

from sqlalchemy.orm import Session

from yingji.core.jobs import scheduled
from yingji.resources.service import alerts


@scheduled("resources.stock_alerts", every_s=6 * 3600)
def stock_alerts(db: Session) -> str:
    """储备下限与临期物资提醒（经发件箱记录）"""
    return alerts.daily_check(db)
