"""Writing delivery rows: many at once, each (warning, channel, address) once, the running figures moved
in the same transaction (``tally``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from yingji.warnings.enums import DeliveryStatus
from yingji.warnings.models import Delivery
from yingji.warnings.service import recipients, tally


def insert_rows(db: Session, *, warning_id: int, targets: list[recipients.Target], now: datetime) -> int:
    """Inserts the targets' rows that do not exist yet (a chunk written again after a restart adds
    nothing: one multi-row ``INSERT … ON CONFLICT DO NOTHING``) and counts what was added; returns how
    many rows."""
    if not targets:
        return 0
    refs = list({t.ref for t in targets})
    known = set(
        db.scalars(
            select(Delivery.recipient_ref).where(Delivery.warning_id == warning_id, Delivery.recipient_ref.in_(refs))
        )
    )
    pending = DeliveryStatus.pending.value
    rows = [
        {
            "warning_id": warning_id,
            "recipient_kind": str(t.kind),
            "recipient_ref": t.ref,
            "name": t.name,
            "channel": t.channel,
            "address": t.address,
            "reach": t.reach,
            "fallbacks": t.fallbacks,
            "village_code": t.village_code,
            "status": pending,
            "attempts": 0,
            "available_at": now,
            "created_at": now,
        }
        for t in targets
    ]
    dialect_insert = pg_insert if db.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = (
        dialect_insert(Delivery)
        .on_conflict_do_nothing(index_elements=["warning_id", "channel", "address"])
        .returning(Delivery.channel, Delivery.recipient_ref)
    )
    added = db.execute(stmt, rows).all()
    # The coverage row only after the insert: on PostgreSQL an insert meeting an existing row waits for
    # the sender updating that row, and a sender takes the coverage row (holding it first deadlocked).
    tally.lock(db, warning_id)
    new_refs = {ref for _channel, ref in added} - known
    tally.rows_added(
        db, warning_id=warning_id, rows=[(channel, False) for channel, _ref in added], new_recipients=len(new_refs)
    )
    return len(added)
