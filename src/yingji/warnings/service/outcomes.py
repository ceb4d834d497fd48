"""Recording what a gateway said of one row: the attempt, the row's new status (sent, retried with a
back-off, failed), the fallback to the recipient's next channel, and the running figures moved."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from yingji.channels.service import DeliveryResult
from yingji.core.clock import utcnow
from yingji.core.db import Database
from yingji.warnings.enums import DeliveryStatus
from yingji.warnings.models import Delivery, DeliveryAttempt
from yingji.warnings.service import tally
from yingji.warnings.settings import settings


def record_one(
    database: Database, delivery_id: int, *, worker: str, result: DeliveryResult, started, duration_ms: int, stale: bool
) -> str:
    with database.transaction() as db:
        # Locked (PostgreSQL): a worker whose lease ran out may record the same row at the same moment,
        # and each must see the other's status to move the row's figures exactly once.
        d = db.get(Delivery, delivery_id, with_for_update=True)
        assert d is not None
        old_status = d.status
        db.add(
            DeliveryAttempt(
                delivery_id=d.id,
                worker=worker,
                started_at=started,
                duration_ms=duration_ms,
                ok=result.ok,
                receipt=result.receipt,
                error=result.error,
            )
        )
        if d.status == DeliveryStatus.sent:  # someone else finished it meanwhile: keep their receipt
            return "sent"
        if not result.ok and d.locked_by not in (worker, None):  # our lease ran out; the new holder decides
            return "skipped"
        said = outcome(db, d, worker=worker, result=result, stale=stale)
        tally.status_changed(db, d, old_status)
        return said


def outcome(db: Session, d: Delivery, *, worker: str, result: DeliveryResult, stale: bool) -> str:
    s = settings()
    d.attempts += 1
    d.locked_by = d.locked_until = None
    now = utcnow()
    if result.ok:
        d.status, d.sent_at, d.receipt, d.last_error = DeliveryStatus.sent, now, result.receipt, None
        return "sent"
    d.last_error = result.error
    if result.permanent or d.attempts >= s.delivery_max_attempts:
        d.status = DeliveryStatus.failed
        if not stale:
            fall_back(db, d)
        return "failed"
    d.status = DeliveryStatus.pending
    d.available_at = now + timedelta(seconds=s.delivery_backoff_s * 2 ** (d.attempts - 1))
    return "retry"


def fall_back(db: Session, d: Delivery) -> Delivery | None:
    """The recipient's next channel, unless that (channel, address) already has a row for this warning."""
    for channel, address in (d.fallbacks or {}).items():
        exists = db.scalar(
            select(Delivery.id).where(
                Delivery.warning_id == d.warning_id, Delivery.channel == channel, Delivery.address == address
            )
        )
        if exists is not None:
            continue
        rest = {k: v for k, v in d.fallbacks.items() if k != channel}
        now = utcnow()
        fb = Delivery(
            warning_id=d.warning_id,
            recipient_kind=d.recipient_kind,
            recipient_ref=d.recipient_ref,
            name=d.name,
            channel=channel,
            address=address,
            fallbacks=rest,
            fallback_of=d.id,
            village_code=d.village_code,
            status=DeliveryStatus.pending,
            attempts=0,
            available_at=now,
            created_at=now,
        )
        db.add(fb)
        db.flush()
        tally.rows_added(db, warning_id=d.warning_id, rows=[(channel, True)], new_recipients=0)
        return fb
    return None
