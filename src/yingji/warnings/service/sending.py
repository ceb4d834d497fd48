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
from yingji.warnings.service.held_batches import hold
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



class _Messages:
    """The warnings of the claimed rows, for one ``run``: each loaded once (with its area, the largest of
    its columns), its status read again on every claim (a warning updated or cancelled meanwhile makes its
    remaining rows stale at once). What is sent is fixed at publication: an update is a new message."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.kept: dict[int, WarningMessage] = {}

    def __call__(self, warning_ids: set[int]) -> dict[int, tuple[WarningMessage, bool]]:
        with self.database.transaction() as db:
            status = dict(db.execute(select(WarningMessage.id, WarningMessage.status)
                                     .where(WarningMessage.id.in_(warning_ids))).all())
            if missing := set(status) - set(self.kept):
                self.kept.update((w.id, w) for w in db.scalars(
                    select(WarningMessage).where(WarningMessage.id.in_(missing))))
        return {i: (self.kept[i], s != Status.published) for i, s in status.items()}

    def current(self, warning_id: int) -> WarningMessage:
        """A warning the caller has just seen published (in its own transaction): loaded if not yet."""
        if warning_id not in self.kept:
            with self.database.transaction() as db:
                w = db.get(WarningMessage, warning_id)
                assert w is not None
                self.kept[warning_id] = w
        return self.kept[warning_id]


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
    with Sender(database, channels=channels, worker=worker, batch=batch, lease_s=lease_s,
                warning_id=warning_id) as sender:
        return sender.run(max_seconds=max_seconds, max_batches=max_batches)


class Sender:
    """One worker's sending, kept between runs (the expansion of a warning sends between its chunks): the
    recorder's thread, the warnings already loaded. A context manager; ``close`` waits for the last record."""

    def __init__(self, database: Database, *, channels: dict[str, Any] | None = None, worker: str | None = None,
                 batch: int = 50, lease_s: int | None = None, warning_id: int | None = None) -> None:
        self.database, self.chans = database, resolve_channels(channels)
        self.worker, self.lease_s, self.warning_id = worker or worker_name(), lease_s, warning_id
        self.claim_size = max([batch, *(batch_limit(c) for c in self.chans.values())])
        self.messages = _Messages(database)
        self.held_after = self.lease_after = 0  # the highest id of each path's last batch
        # On PostgreSQL only (see ``run``): SQLite removes a row from its indexes when the row changes.
        self.cursors = database.dialect == "postgresql"
        # On PostgreSQL the rows of batch channels are held by their transaction, not leased
        # (``held_batches``); the rest (and everything on SQLite) is leased.
        self.held = ({name: batch_limit(c) for name, c in self.chans.items() if batch_limit(c) > 1}
                     if can_overlap(database) else {})
        # A batch is recorded while the next is claimed (``batch_pipeline``).
        self.recorder = Recorder(database, worker=self.worker,
                                 overlap=self.claim_size > 1 and can_overlap(database))

    def run(self, *, max_seconds: float | None = None, max_batches: int | None = None, sweep: bool = True) -> int:
        """Sends until nothing is due. Each path (held, leased) goes on from where its last batch ended;
        with ``sweep`` both look once more from the first id before it is said that nothing is due (rows let
        go, or due again, below where they were). The expansion's sends between its chunks do not sweep:
        the rows just written are above, and a walk from the first id is long then (``held_batches.hold``)."""
        handled, batches = 0, 0
        deadline = (time.monotonic() + max_seconds) if max_seconds else None
        while (deadline is None or time.monotonic() < deadline) and (max_batches is None or batches < max_batches):
            batches += 1
            if found := self._next(deadline):
                handled += found
                continue
            if not sweep or not (self.held_after or self.lease_after):
                break
            self.held_after = self.lease_after = 0
        return handled

    def _next(self, deadline: float | None) -> int:
        if self.held and (held := _hold_and_send(self.database, self.chans, self.recorder, self.messages,
                                                 limits=self.held, warning_id=self.warning_id,
                                                 after=self.held_after)):
            self.held_after = held[1] if self.cursors else 0
            return held[0]
        found, last = _claim_and_send(self.database, self.chans, self.recorder, self.messages, worker=self.worker,
                                      claim_size=self.claim_size, lease_s=self.lease_s, warning_id=self.warning_id,
                                      deadline=deadline, after=self.lease_after)
        # Nothing due above its place: none below the held path's either (the rows written later are
        # above both; a sweep finds any other).
        if self.cursors:
            self.lease_after = max(self.lease_after, last if found else self.held_after)
        return found

    def close(self) -> None:
        self.recorder.close()

    def __enter__(self) -> Sender:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _claim_and_send(
    database: Database,
    chans: dict[str, Any],
    recorder: Recorder,
    messages: _Messages,
    *,
    worker: str,
    claim_size: int,
    lease_s: int | None,
    warning_id: int | None,
    deadline: float | None,
    after: int,
) -> tuple[int, int]:
    """One claim above ``after``, its rows sent (in batches where the channel takes them); returns how many
    were claimed and the highest id claimed (0 when none)."""
    handled = 0
    claimed = claim(database, worker=worker, batch=claim_size, lease_s=lease_s, warning_id=warning_id, after=after)
    if not claimed:
        return 0, 0
    warnings = messages({c.warning_id for c in claimed})
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
    last = claimed[-1].id
    for k, (how, rows) in enumerate(work):
        if k and deadline is not None and time.monotonic() >= deadline:
            back = [r.id for _h, rs in work[k:] for r in rs]
            release(database, back, worker=worker)
            last = min(back) - 1  # the next claim goes on from the first row handed back
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
    return handled, last


def _hold_and_send(
    database: Database,
    chans: dict[str, Any],
    recorder: Recorder,
    messages: _Messages,
    *,
    limits: dict[str, int],
    warning_id: int | None,
    after: int,
) -> tuple[int, int] | None:
    """One batch held, sent and handed to the recorder: its size and highest id (None: no batch row due
    and free above ``after``)."""
    batch = hold(database, limits=limits, warning_id=warning_id, after=after)
    if batch is None:
        return None
    try:
        w = messages.current(batch.rows[0].warning_id)  # published: the hold's own query said so
        recorder.wait()  # the batch before recorded: at most one batch sent and not recorded
        results, started, duration = hand_over(batch.rows, channel=chans[batch.rows[0].channel],
                                               base=message_for(w, 0), prefix=f"{w.identifier}:")
    except BaseException:
        batch.drop()
        raise
    recorder.submit_held(batch, results, started=started, duration_ms=duration)
    return len(batch.rows), batch.rows[-1].id


def attempts(*, db: Session, delivery_ids: Iterable[int]) -> list[DeliveryAttempt]:
    ids = list(delivery_ids)
    if not ids:
        return []
    return list(
        db.scalars(select(DeliveryAttempt).where(DeliveryAttempt.delivery_id.in_(ids)).order_by(DeliveryAttempt.id))
    )
