"""Sending the delivery rows: claim due rows under a lease, send them outside any transaction, record
what the gateway said.

A channel that takes many recipients in one request (``channels.base.batch_limit`` > 1: the SMS batch
API, the loudspeakers' group broadcast, SMTP on one connection) gets the claimed rows of one warning in
batches of its own limit, and the outcome of a whole batch is recorded in **one transaction**: the rows
locked together, the attempts written at once (``COPY`` on PostgreSQL, one multi-row ``INSERT`` on
SQLite), the sent rows updated by one statement (``UPDATE … FROM unnest(…)`` on PostgreSQL, one
``executemany`` on SQLite), the running figures moved once per channel. A batch the gateway refused
part-way records, per recipient, what the gateway said of it (retried, failed, fallen back, each row on
its own). Other channels send one row per request, each recorded in a transaction of its own.

Idempotency is per recipient in both cases: each message carries its own row's key
(``<identifier>:<delivery id>``). A worker killed between the gateway's answer and the commit leaves its
batch leased; when the lease runs out that batch, and only that one, is sent again with the same keys.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, or_, select, text, update
from sqlalchemy.orm import Session

from yingji.channels import service as channels_service
from yingji.channels.service import DeliveryResult, Message, Recipient, batch_limit, each
from yingji.core.clock import utcnow
from yingji.core.db import Database, UTCDateTime
from yingji.core.outbox import worker_name
from yingji.warnings.enums import DeliveryStatus, Level, MsgType, Status
from yingji.warnings.models import Delivery, DeliveryAttempt, WarningMessage
from yingji.warnings.service import tally
from yingji.warnings.settings import settings
from yingji.warnings.standards import LEVELS

STALE = "预警已被更新或解除，不再发送"


def message_for(w: WarningMessage, delivery_id: int) -> Message:
    s = settings()
    level = LEVELS[Level(w.level)]
    if w.msg_type == MsgType.cancel:
        text_ = f"【{w.department or s.sender_name}】{w.headline}。{w.description}"
    else:
        text_ = f"【{w.department or s.sender_name}】{w.headline}：{w.description}"
        if w.instruction:
            text_ += f" 防御指南：{w.instruction}"
    return Message(
        key=f"{w.identifier}:{delivery_id}",
        headline=w.headline,
        text=text_,
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


def area_message_for(w: WarningMessage, delivery_id: int) -> Message:
    """The message of an area broadcast row: the same text, with the area itself in the payload."""
    from yingji.warnings.service.area_broadcast import geometry_of

    m = message_for(w, delivery_id)
    return replace(m, payload={**m.payload, "area": w.area, "geometry": geometry_of(w)})


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


def _message(c: Claimed, warning: WarningMessage) -> Message:
    return area_message_for(warning, c.id) if c.kind == "area" else message_for(warning, c.id)


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
        result = DeliveryResult(ok=False, error=STALE, permanent=True)
    elif channel is None:
        label = channels_service.LABELS.get(c.channel, c.channel)
        result = DeliveryResult(ok=False, error=f"未配置{label}渠道（YINGJI_CHANNEL_*）", permanent=True)
    else:
        try:
            to = Recipient(name=c.name, address=c.address, kind=c.kind)
            result = channel.send(to=to, message=_message(c, warning))
        except Exception as exc:  # an adapter bug must become a recorded failed attempt, not a dead worker
            result = DeliveryResult(ok=False, error=f"渠道程序错误：{type(exc).__name__}: {exc}"[:480])
    duration = int((time.perf_counter() - t0) * 1000)
    return _record(database, c.id, worker=worker, result=result, started=started, duration_ms=duration, stale=stale)


def send_batch(
    database: Database,
    rows: list[Claimed],
    *,
    worker: str,
    channel: Any,
    warning: WarningMessage,
) -> Counter[str]:
    """Sends claimed rows of one warning and one batch channel in one request (no transaction open
    meanwhile) and records the whole batch in one transaction; returns the outcomes counted."""
    base = message_for(warning, 0)
    prefix = f"{warning.identifier}:"
    messages = [replace(base, key=f"{prefix}{c.id}") for c in rows]
    to = [Recipient(name=c.name, address=c.address, kind=c.kind) for c in rows]
    started, t0 = utcnow(), time.perf_counter()
    try:
        results = each(channel.send_batch(to=to, messages=messages), len(rows))
    except Exception as exc:  # an adapter bug: a recorded failed attempt for each, not a dead worker
        results = [DeliveryResult(ok=False, error=f"渠道程序错误：{type(exc).__name__}: {exc}"[:480])] * len(rows)
    duration = int((time.perf_counter() - t0) * 1000)
    return record_batch(database, rows, results, worker=worker, started=started, duration_ms=duration)


def _bound(db: Session, column, value):
    """``value`` as the column's type stores it (the driver-level value, for raw executemany)."""
    proc = column.type.bind_processor(db.get_bind().dialect)
    return proc(value) if proc else value


def _copy_attempts(db: Session, attempts: list[dict[str, Any]]) -> None:
    cols = ("delivery_id", "worker", "started_at", "duration_ms", "ok", "receipt", "error")
    raw = db.connection().connection.driver_connection
    if db.get_bind().dialect.name == "postgresql":
        with raw.cursor() as cur, cur.copy(f"COPY warning_delivery_attempts ({', '.join(cols)}) FROM STDIN") as cp:
            for a in attempts:
                cp.write_row([a[c] for c in cols])
        return
    # SQLite: one executemany in the driver (SQLAlchemy's per-parameter processing cost more than the
    # insert itself); a batch's attempts share their start, converted once as its type stores it.
    column = DeliveryAttempt.__table__.c.started_at
    bound = {a["started_at"]: None for a in attempts}
    for t in bound:
        bound[t] = _bound(db, column, t)
    raw.executemany(
        f"INSERT INTO warning_delivery_attempts ({', '.join(cols)}) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(a["delivery_id"], a["worker"], bound[a["started_at"]], a["duration_ms"], int(a["ok"]), a["receipt"],
          a["error"]) for a in attempts],
    )


def _mark_sent(db: Session, ids: list[int], receipts: list[str | None], now: datetime) -> None:
    if db.get_bind().dialect.name == "postgresql":
        stmt = text(
            "UPDATE warning_deliveries AS d SET status = 'sent', sent_at = :now, receipt = v.receipt,"
            " last_error = NULL, attempts = d.attempts + 1, locked_by = NULL, locked_until = NULL"
            " FROM (SELECT unnest(CAST(:ids AS integer[])) AS id, unnest(CAST(:receipts AS varchar[])) AS receipt) AS v"
            " WHERE d.id = v.id"
        ).bindparams(bindparam("now", type_=UTCDateTime()))
        db.execute(stmt, {"now": now, "ids": ids, "receipts": receipts})
        return
    sent_at = _bound(db, Delivery.__table__.c.sent_at, now)
    db.connection().connection.driver_connection.executemany(
        "UPDATE warning_deliveries SET status = 'sent', sent_at = ?, receipt = ?, last_error = NULL,"
        " attempts = attempts + 1, locked_by = NULL, locked_until = NULL WHERE id = ?",
        [(sent_at, r, i) for i, r in zip(ids, receipts, strict=True)],
    )


def record_batch(
    database: Database,
    rows: list[Claimed],
    results: list[DeliveryResult],
    *,
    worker: str,
    started: datetime,
    duration_ms: int,
) -> Counter[str]:
    """Records a batch's answers in one transaction (see the module's docstring)."""
    outcomes: Counter[str] = Counter()
    with database.transaction() as db:
        ids = [c.id for c in rows]
        q = (
            select(Delivery.id, Delivery.status, Delivery.locked_by, Delivery.recipient_ref, Delivery.warning_id,
                   Delivery.channel)
            .where(Delivery.id.in_(ids))
            .order_by(Delivery.id)
        )
        if database.dialect == "postgresql":
            q = q.with_for_update()  # a worker whose lease ran out may record the same rows meanwhile
        current = {r.id: r for r in db.execute(q).all()}
        _copy_attempts(db, [
            {"delivery_id": c.id, "worker": worker, "started_at": started, "duration_ms": duration_ms,
             "ok": r.ok, "receipt": r.receipt, "error": r.error}
            for c, r in zip(rows, results, strict=True)
        ])
        sent_ids: list[int] = []
        receipts: list[str | None] = []
        failed: list[tuple[int, DeliveryResult]] = []
        moved: Counter[tuple[int, str, str]] = Counter()  # (warning, channel, bucket before) of rows now sent
        refs: dict[int, set[str]] = defaultdict(set)
        for c, r in zip(rows, results, strict=True):
            cur = current.get(c.id)
            if cur is None or cur.status == DeliveryStatus.sent:  # someone else finished it: keep their receipt
                outcomes["sent"] += cur is not None
                continue
            if r.ok:
                sent_ids.append(c.id)
                receipts.append(r.receipt)
                moved[(cur.warning_id, cur.channel, tally.bucket(cur.status))] += 1
                refs[cur.warning_id].add(cur.recipient_ref)
            elif cur.locked_by in (worker, None):
                failed.append((c.id, r))
            else:
                outcomes["skipped"] += 1  # our lease ran out; the new holder decides
        now = utcnow()
        for warning_id, found in refs.items():
            tally.lock(db, warning_id)
            already = set(db.scalars(select(Delivery.recipient_ref).where(
                Delivery.warning_id == warning_id, Delivery.recipient_ref.in_(found),
                Delivery.status == DeliveryStatus.sent)))
            tally.reached(db, warning_id, len(found - already))
        if sent_ids:
            _mark_sent(db, sent_ids, receipts, now)
            outcomes["sent"] += len(sent_ids)
            for (warning_id, channel, before), n in moved.items():
                tally.moved(db, warning_id, channel, before=before, after="sent", n=n)
        for delivery_id, r in failed:
            d = db.get(Delivery, delivery_id)
            assert d is not None
            old = d.status
            outcomes[_outcome(db, d, worker=worker, result=r, stale=False)] += 1
            tally.status_changed(db, d, old)
    return outcomes


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
    then are handed back at once, not left leased); returns how many were handled. Each claim takes
    ``batch`` rows, or as many as the largest batch a configured channel accepts."""
    chans = resolve_channels(channels)
    worker = worker or worker_name()
    handled, deadline = 0, (time.monotonic() + max_seconds) if max_seconds else None
    claim_size = max([batch, *(batch_limit(c) for c in chans.values())])
    batches = 0
    while (deadline is None or time.monotonic() < deadline) and (max_batches is None or batches < max_batches):
        batches += 1
        claimed = claim(database, worker=worker, batch=claim_size, lease_s=lease_s, warning_id=warning_id)
        if not claimed:
            break
        warnings = _messages(database, {c.warning_id for c in claimed})
        # Rows of a batch channel (and a warning still current) go in batches; the rest one by one.
        grouped: dict[tuple[int, str], list[Claimed]] = defaultdict(list)
        single: list[Claimed] = []
        for c in claimed:
            limit = batch_limit(chans.get(c.channel))
            if limit > 1 and not warnings[c.warning_id][1] and c.kind != "area":
                grouped[(c.warning_id, c.channel)].append(c)
            else:
                single.append(c)
        work: list[tuple[str, list[Claimed]]] = []
        for (_w, channel), rows in grouped.items():
            limit = batch_limit(chans[channel])
            work += [("batch", rows[i : i + limit]) for i in range(0, len(rows), limit)]
        work += [("one", [c]) for c in single]
        for k, (how, rows) in enumerate(work):
            if k and deadline is not None and time.monotonic() >= deadline:
                _release(database, [r.id for _h, rs in work[k:] for r in rs], worker=worker)
                break
            w, stale = warnings[rows[0].warning_id]
            if how == "batch":
                send_batch(database, rows, worker=worker, channel=chans[rows[0].channel], warning=w)
            else:
                send_one(database, rows[0], worker=worker, channels=chans, warning=w, stale=stale)
            handled += len(rows)
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
