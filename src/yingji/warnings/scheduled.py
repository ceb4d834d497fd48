"""Scheduled jobs of warning publication."""

from __future__ import annotations

from sqlalchemy.orm import Session

from yingji.core.actor import SYSTEM
from yingji.core.jobs import scheduled
from yingji.warnings.handlers import _database
from yingji.warnings.service import delivery, feeds


@scheduled("warnings.deliver", every_s=10)
def deliver(db: Session) -> str:
    """Sends due deliveries: retries after backoff, rows whose worker died (lease expired), fallbacks."""
    n = delivery.run(_database(db), max_seconds=50)
    return f"处理 {n} 条投递"


@scheduled("warnings.poll_feeds", every_s=120)
def poll_feeds(db: Session) -> str:
    """Fetches the configured upstream CAP / national-format feeds and imports new messages."""
    return feeds.poll(db=db, actor=SYSTEM)
