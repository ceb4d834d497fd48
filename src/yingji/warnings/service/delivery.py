"""Delivery that loses nothing.

Publication writes the warning's coverage row and a ``warnings.published`` outbox message, nothing more:
the recipients are found once, by the worker that message wakes (``expand``), not in the publishing
request (a district-wide search of 50,000 subscribers took seconds of it, and was then made again by the
worker). The worker writes one ``Delivery`` row per recipient and channel, ``CHUNK`` rows per transaction,
and sends between chunks, so the first recipients are warned while the later rows are still being
written. The rows are this capability's outbox. Workers claim due rows (``FOR UPDATE SKIP LOCKED`` on
PostgreSQL, so several share the work) under a lease, send each outside any transaction, and record the
attempt and the gateway's receipt in a transaction of its own, one row at a time.

Never twice: (warning, channel, address) is unique; a row is sent only by the worker holding its lease;
it is marked ``sent`` right after the gateway answers. A worker killed between the gateway's answer and
that commit leaves one row (per worker) whose lease runs out: it is sent again **with the same key**
(SMS ``OutId``/``SessionContext``, e-mail ``Message-ID``, webhook and loudspeaker ``Idempotency-Key``),
by which the receiving system recognises the repeat. A worker killed midway through the rows leaves the
warning ``expanding``: the outbox runs the command again, the chunks written before add nothing and the
rows sent before are not sent again.

Failures are retried with exponential backoff; after the last attempt (or at once for a permanent
failure) the recipient's next channel is tried (a fallback row).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from yingji.channels import service as channels_service
from yingji.channels.service import DeliveryResult, Message, Recipient
from yingji.core.clock import utcnow
from yingji.core.db import Database
from yingji.core.outbox import enqueue, worker_name
from yingji.warnings.enums import DeliveryStatus, Level, MsgType, Status
from yingji.warnings.models import Delivery, DeliveryAttempt, WarningCoverage, WarningMessage
from yingji.warnings.service import recipients, tally
from yingji.warnings.service.area import parse_area
from yingji.warnings.settings import settings
from yingji.warnings.standards import LEVELS

# Rows written per transaction: a few tens of milliseconds of SQLite's write lock (more on a starved CPU).
CHUNK = 500
# Sending between two chunks, in seconds (at least one message): the rows already written start leaving
# at once, and writing the rest is only slowed a little (a district-wide warning has ~100 chunks). Under
# a starved CPU a message takes tens of milliseconds: a whole batch between chunks (50) made the
# writing of a district-wide warning's rows last minutes.
SEND_BETWEEN_CHUNKS_S = 0.2
SEND_BATCH_BETWEEN_CHUNKS = 10


def targets_of(*, db: Session, warning: WarningMessage) -> list[recipients.Target]:
    """Everyone the warning's area reaches (reads only)."""
    area = parse_area(db=db, area=warning.area)
    return recipients.resolve(db=db, area=area, event_type=warning.event_type)


def _insert_rows(db: Session, *, warning_id: int, targets: list[recipients.Target], now: datetime) -> int:
    """Inserts the targets' rows that do not exist yet (a chunk written again after a restart adds
    nothing) and counts what was added; returns how many rows."""
    if not targets:
        return 0
    refs = list({t.ref for t in targets})
    known = set(
        db.scalars(
            select(Delivery.recipient_ref).where(Delivery.warning_id == warning_id, Delivery.recipient_ref.in_(refs))
        )
    )
    rows = [
        {
            "warning_id": warning_id,
            "recipient_kind": str(t.kind),
            "recipient_ref": t.ref,
            "name": t.name,
            "channel": t.channel,
            "address": t.address,
            "fallbacks": t.fallbacks,
            "village_code": t.village_code,
            "status": DeliveryStatus.pending.value,
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


def create_deliveries(*, db: Session, warning: WarningMessage) -> None:
    """At publication, in the caller's transaction: the warning's coverage row (``expanding``, its
    recipients not found yet) and the ``warnings.published`` command, whose worker finds the recipients
    and writes their rows (``expand``). The publishing request does not search the recipients: that
    search is made once, by the worker."""
    tally.start(db, warning_id=warning.id)
    enqueue(db, topic="warnings.published", payload={"warning_id": warning.id}, key=str(warning.id))


def create_audience_deliveries(*, db: Session, warning: WarningMessage, targets: list[recipients.Target]) -> None:
    """At publication to a named audience (``audience.publish_to_audience``: e.g. the threatened people and
    monitors of the hazard points inside the warning's area): no worker could find these recipients again
    from the area, so every row is written now, the coverage row is complete, and the worker only sends."""
    tally.start(db, warning_id=warning.id)
    now = utcnow()
    for i in range(0, len(targets), CHUNK):
        _insert_rows(db, warning_id=warning.id, targets=targets[i : i + CHUNK], now=now)
    tally.found(db, warning.id, expected=len(targets))
    tally.expansion_done(db, warning.id)
    enqueue(db, topic="warnings.published", payload={"warning_id": warning.id}, key=str(warning.id))


def expand(
    database: Database, warning_id: int, *, send: bool = False, channels: dict[str, Any] | None = None
) -> int:
    """Finds the recipients of a warning still ``expanding`` (once, in a read transaction: no lock) and
    writes their delivery rows, ``CHUNK`` per transaction; the first of these transactions records how
    many were found (``expected``), the last marks the warning expanded. With ``send``, each chunk's
    rows are sent right after its commit, for ``SEND_BETWEEN_CHUNKS_S`` before the next chunk, so the
    first SMS leaves within a second or two of publication however many rows are to follow. A chunk
    written before (a worker that died midway) adds nothing; a row is sent once, by whoever holds its
    lease. Returns the rows added."""
    with database.transaction(read=True) as db:
        cov = db.get(WarningCoverage, warning_id)
        if cov is None or not cov.expanding:
            return 0
        w = db.get(WarningMessage, warning_id)
        assert w is not None
        targets = targets_of(db=db, warning=w)
    chans = resolve_channels(channels) if send else {}
    added, now = 0, utcnow()
    starts = range(0, len(targets), CHUNK) or range(1)  # no recipient: one transaction all the same
    for i in starts:
        last = i + CHUNK >= len(targets)
        with database.transaction() as db:
            added += _insert_rows(db, warning_id=warning_id, targets=targets[i : i + CHUNK], now=now)
            if i == 0:
                tally.found(db, warning_id, expected=len(targets))
            if last:
                tally.expansion_done(db, warning_id)
        if send and not last:
            run(database, channels=chans, warning_id=warning_id, batch=SEND_BATCH_BETWEEN_CHUNKS,
                max_seconds=SEND_BETWEEN_CHUNKS_S)
    return added


def expand_now(db: Session, warning_id: int) -> int:
    """``expand`` inside the caller's transaction (the demo seed, which commits once)."""
    w = db.get(WarningMessage, warning_id)
    assert w is not None
    targets, added = targets_of(db=db, warning=w), 0
    for i in range(0, len(targets), CHUNK):
        added += _insert_rows(db, warning_id=warning_id, targets=targets[i : i + CHUNK], now=utcnow())
    tally.found(db, warning_id, expected=len(targets))
    tally.expansion_done(db, warning_id)
    return added


def message_for(w: WarningMessage, delivery_id: int) -> Message:
    s = settings()
    level = LEVELS[Level(w.level)]
    if w.msg_type == MsgType.cancel:
        text = f"【{w.department or s.sender_name}】{w.headline}。{w.description}"
    else:
        text = f"【{w.department or s.sender_name}】{w.headline}：{w.description}"
        if w.instruction:
            text += f" 防御指南：{w.instruction}"
    return Message(
        key=f"{w.identifier}:{delivery_id}",
        headline=w.headline,
        text=text,
        level=w.level,
        event=w.event_type,
        payload={
            "identifier": w.identifier,
            "msgType": w.msg_type,
            "severity": level.severity,
            "areaDesc": w.area_desc,
            "effective": w.effective.isoformat(),
            "expires": w.expires.isoformat(),
            "cap": f"{s.public_base_url}/public/warnings/{w.identifier}.cap",
        },
    )


def resolve_channels(channels: dict[str, Any] | None = None) -> dict[str, Any]:
    return channels_service.configured(channels)


@dataclass(frozen=True)
class Claimed:
    id: int
    warning_id: int
    channel: str
    address: str
    name: str
    kind: str


def claim(
    database: Database,
    *,
    worker: str,
    batch: int = 50,
    lease_s: int | None = None,
    warning_id: int | None = None,
) -> list[Claimed]:
    """Leases up to ``batch`` due rows to ``worker`` (SKIP LOCKED on PostgreSQL)."""
    now = utcnow()
    lease = timedelta(seconds=lease_s if lease_s is not None else settings().delivery_lease_s)
    with database.transaction() as db:
        q = (
            select(
                Delivery.id,
                Delivery.warning_id,
                Delivery.channel,
                Delivery.address,
                Delivery.name,
                Delivery.recipient_kind,
            )
            .where(
                or_(
                    and_(Delivery.status == DeliveryStatus.pending, Delivery.available_at <= now),
                    and_(Delivery.status == DeliveryStatus.sending, Delivery.locked_until < now),
                )
            )
            .order_by(Delivery.id)
            .limit(batch)
        )
        if warning_id is not None:
            q = q.where(Delivery.warning_id == warning_id)
        if database.dialect == "postgresql":
            q = q.with_for_update(skip_locked=True)
        rows = [Claimed(*r) for r in db.execute(q).all()]
        if rows:
            db.execute(
                update(Delivery)
                .where(Delivery.id.in_([r.id for r in rows]))
                .values(status=DeliveryStatus.sending, locked_by=worker, locked_until=now + lease)
            )
        return rows


def _messages(database: Database, warning_ids: set[int]) -> dict[int, tuple[WarningMessage, bool]]:
    with database.transaction() as db:
        found = db.scalars(select(WarningMessage).where(WarningMessage.id.in_(warning_ids)))
        return {w.id: (w, w.status != Status.published) for w in found}


def send_one(
    database: Database,
    c: Claimed,
    *,
    worker: str,
    channels: dict[str, Any],
    warning: WarningMessage,
    stale: bool,
) -> str:
    """Sends one claimed row (no transaction open meanwhile) and records the outcome."""
    channel = channels.get(c.channel)
    started, t0 = utcnow(), time.perf_counter()
    if stale:
        result = DeliveryResult(ok=False, error="预警已被更新或解除，不再发送", permanent=True)
    elif channel is None:
        label = channels_service.LABELS.get(c.channel, c.channel)
        result = DeliveryResult(ok=False, error=f"未配置{label}渠道（YINGJI_CHANNEL_*）", permanent=True)
    else:
        try:
            result = channel.send(
                to=Recipient(name=c.name, address=c.address, kind=c.kind), message=message_for(warning, c.id)
            )
        except Exception as exc:  # an adapter bug must become a recorded failed attempt, not a dead worker
            result = DeliveryResult(ok=False, error=f"渠道程序错误：{type(exc).__name__}: {exc}"[:480])
    duration = int((time.perf_counter() - t0) * 1000)
    return _record(database, c.id, worker=worker, result=result, started=started, duration_ms=duration, stale=stale)


def _record(
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
        outcome = _outcome(db, d, worker=worker, result=result, stale=stale)
        tally.status_changed(db, d, old_status)
        return outcome


def _outcome(db: Session, d: Delivery, *, worker: str, result: DeliveryResult, stale: bool) -> str:
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
            _fall_back(db, d)
        return "failed"
    d.status = DeliveryStatus.pending
    d.available_at = now + timedelta(seconds=s.delivery_backoff_s * 2 ** (d.attempts - 1))
    return "retry"


def _fall_back(db: Session, d: Delivery) -> Delivery | None:
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


def run(
    database: Database,
    *,
    channels: dict[str, Any] | None = None,
    worker: str | None = None,
    batch: int = 50,
    lease_s: int | None = None,
    warning_id: int | None = None,
    max_seconds: float | None = None,
    max_batches: int | None = None,
) -> int:
    """Claims and sends until nothing is due (or ``max_seconds`` pass: the rows claimed but not sent by
    then are handed back at once, not left leased); returns how many were handled."""
    chans = resolve_channels(channels)
    worker = worker or worker_name()
    handled, deadline = 0, (time.monotonic() + max_seconds) if max_seconds else None
    batches = 0
    while (deadline is None or time.monotonic() < deadline) and (max_batches is None or batches < max_batches):
        batches += 1
        claimed = claim(database, worker=worker, batch=batch, lease_s=lease_s, warning_id=warning_id)
        if not claimed:
            break
        warnings = _messages(database, {c.warning_id for c in claimed})
        for k, c in enumerate(claimed):
            if k and deadline is not None and time.monotonic() >= deadline:
                _release(database, [r.id for r in claimed[k:]], worker=worker)
                break
            w, stale = warnings[c.warning_id]
            send_one(database, c, worker=worker, channels=chans, warning=w, stale=stale)
            handled += 1
    return handled


def _release(database: Database, delivery_ids: list[int], *, worker: str) -> None:
    """Hands rows claimed by ``worker`` and not sent back to the queue (still ``pending`` in the figures)."""
    with database.transaction() as db:
        db.execute(
            update(Delivery)
            .where(Delivery.id.in_(delivery_ids), Delivery.locked_by == worker)
            .where(Delivery.status == DeliveryStatus.sending)
            .values(status=DeliveryStatus.pending, locked_by=None, locked_until=None)
        )


def attempts(*, db: Session, delivery_ids: Iterable[int]) -> list[DeliveryAttempt]:
    ids = list(delivery_ids)
    if not ids:
        return []
    return list(
        db.scalars(select(DeliveryAttempt).where(DeliveryAttempt.delivery_id.in_(ids)).order_by(DeliveryAttempt.id))
    )
