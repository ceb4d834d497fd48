"""Sending the delivery rows: claim due rows under a lease (``claims``), send them outside any
transaction, record what the gateway said (``batch_sending`` for a channel that takes many recipients
in one request, ``outcomes`` for one row).

Other channels than batch ones send one row per request, each recorded in a transaction of its own.
Idempotency is per recipient in both cases: each message carries its own row's key
(``<identifier>:<delivery id>``). A worker killed between the gateway's answer and the commit leaves its
rows leased; when the lease runs out those rows, and only those, are sent again with the same keys.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from yingji.channels import service as channels_service
from yingji.channels.service import DeliveryResult, Message, Recipient, batch_limit
from yingji.core.clock import utcnow
from yingji.core.db import Database
from yingji.core.outbox import worker_name
from yingji.warnings.enums import Level, MsgType, Status
from yingji.warnings.models import DeliveryAttempt, WarningMessage
from yingji.warnings.service.batch_pipeline import Recorder, can_overlap
from yingji.warnings.service.batch_sending import hand_over, record_batch
from yingji.warnings.service.claims import Claimed, claim, release
from yingji.warnings.service.outcomes import record_one
from yingji.warnings.settings import settings
from yingji.warnings.standards import LEVELS

__all__ = ["STALE", "Claimed", "attempts", "claim", "message_for", "record_batch", "record_one", "run", "send_one"]

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
    return record_one(database, c.id, worker=worker, result=result, started=started, duration_ms=duration, stale=stale)


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
    # A batch is recorded while the next is claimed (``batch_pipeline``).
    with Recorder(database, worker=worker, overlap=claim_size > 1 and can_overlap(database)) as recorder:
        while (deadline is None or time.monotonic() < deadline) and (max_batches is None or batches < max_batches):
            batches += 1
            found = _claim_and_send(database, chans, recorder, worker=worker, claim_size=claim_size,
                                    lease_s=lease_s, warning_id=warning_id, deadline=deadline)
            if not found:
                break
            handled += found
    return handled


def _claim_and_send(
    database: Database,
    chans: dict[str, Any],
    recorder: Recorder,
    *,
    worker: str,
    claim_size: int,
    lease_s: int | None,
    warning_id: int | None,
    deadline: float | None,
) -> int:
    """One claim, its rows sent (in batches where the channel takes them); returns how many were claimed."""
    handled = 0
    claimed = claim(database, worker=worker, batch=claim_size, lease_s=lease_s, warning_id=warning_id)
    if not claimed:
        return 0
    warnings = _messages(database, {c.warning_id for c in claimed})
    bases: dict[int, Message] = {}
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
            release(database, [r.id for _h, rs in work[k:] for r in rs], worker=worker)
            break
        w, stale = warnings[rows[0].warning_id]
        if how == "batch":
            if w.id not in bases:  # one message per warning; each row gets its own key from it
                bases[w.id] = message_for(w, 0)
            recorder.wait()  # the batch before recorded: at most one batch sent and not recorded
            results, started, duration = hand_over(rows, channel=chans[rows[0].channel], base=bases[w.id],
                                                   prefix=f"{w.identifier}:")
            recorder.submit(rows, results, started=started, duration_ms=duration)
        else:
            recorder.wait()
            send_one(database, rows[0], worker=worker, channels=chans, warning=w, stale=stale)
        handled += len(rows)
    return handled


def attempts(*, db: Session, delivery_ids: Iterable[int]) -> list[DeliveryAttempt]:
    ids = list(delivery_ids)
    if not ids:
        return []
    return list(
        db.scalars(select(DeliveryAttempt).where(DeliveryAttempt.delivery_id.in_(ids)).order_by(DeliveryAttempt.id))
    )
