"""Scheduled jobs of monitoring."""

from __future__ import annotations

from sqlalchemy.orm import Session

from yingji.core.clock import utcnow
from yingji.core.db import Database
from yingji.core.jobs import scheduled
from yingji.monitoring import service


@scheduled("monitoring.silence", every_s=60, description="数据中断规则；条件已消失的告警到保持时间后自动解除")
def silence(db: Session) -> str:
    now = utcnow()
    n = service.evaluate_silence(db=db, now=now)
    r = service.resolve_held(db=db, now=now)
    return f"数据中断评估 {n} 个传感器，自动解除 {r} 条告警"


@scheduled(
    "monitoring.storage",
    every_s=3600,
    description="读数小时汇总、原始数据按保留期清理、PostgreSQL 分区",
    transaction=False,
)
def storage(database: Database) -> str:
    # Three steps, each committed on its own: ingestion never waits for the whole housekeeping run.
    now = utcnow()
    with database.transaction() as db:
        made = service.ensure_partitions(db=db, now=now)
    with database.transaction() as db:
        rolled = service.rollup(db=db, now=now)
    with database.transaction() as db:
        purged = service.purge_raw(db=db, now=now)
    return f"新建分区 {len(made)} 个，小时汇总 {rolled} 行，清理原始读数 {purged}"
