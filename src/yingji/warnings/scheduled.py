"""Scheduled jobs of warning publication."""

from __future__ import annotations

from yingji.core.actor import SYSTEM
from yingji.core.db import Database
from yingji.core.jobs import scheduled
from yingji.warnings.service import delivery, feeds


@scheduled("warnings.deliver", every_s=10, transaction=False)
def deliver(database: Database) -> str:
    """Sends due deliveries: retries after backoff, rows whose worker died (lease expired), fallbacks."""
    n = delivery.run(database, max_seconds=50)
    return f"处理 {n} 条投递"


@scheduled("warnings.poll_feeds", every_s=120, transaction=False)
def poll_feeds(database: Database) -> str:
    """Fetches the configured upstream CAP / national-format feeds and imports new messages."""
    return feeds.poll_in_steps(database, actor=SYSTEM)
