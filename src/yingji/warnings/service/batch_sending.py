"""Sending claimed rows in batches to a channel that takes many recipients in one request
(``channels.base.batch_limit`` > 1: the SMS batch API, the loudspeakers' group broadcast, SMTP on one
connection), and recording the outcome of a whole batch in **one transaction**: the rows locked
together, the attempts written at once (``COPY`` on PostgreSQL, one ``executemany`` on SQLite), the sent
rows updated by one statement (``UPDATE … FROM unnest(…)`` on PostgreSQL, one ``executemany`` on
SQLite), the running figures moved once per channel. No ORM object is made per recipient: at 20,000
recipients a second the per-row cost of the ORM and of SQLAlchemy's parameter handling was most of the
time. A batch the gateway refused part-way records, per recipient, what the gateway said of it
(retried, failed, fallen back, each row on its own through ``outcomes``).

Idempotency is per recipient: each message carries its own row's key (``<identifier>:<delivery id>``).
A worker killed between the gateway's answer and the commit leaves its batch leased; when the lease
runs out that batch, and only that one, is sent again with the same keys."""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from yingji.channels.service import DeliveryResult, Message, Recipient, each
from yingji.core.clock import utcnow
from yingji.core.db import Database, UTCDateTime
from yingji.warnings.enums import DeliveryStatus
from yingji.warnings.models import Delivery, DeliveryAttempt
from yingji.warnings.service import tally
from yingji.warnings.service.claims import Claimed
from yingji.warnings.service.outcomes import outcome


def hand_over(
    rows: list[Claimed], *, channel: Any, base: Message, prefix: str
) -> tuple[list[DeliveryResult], datetime, int]:
    """Sends claimed rows of one warning and one batch channel in one request (no transaction open):
    the gateway's results, one per row, with the start and duration of the request. ``base``: the
    warning's message, whose key each row replaces by ``prefix`` + its id."""
    h, t_, lv, ev, pl = base.headline, base.text, base.level, base.event, base.payload
    messages = [Message(f"{prefix}{c.id}", h, t_, lv, ev, pl) for c in rows]
    to = [Recipient(c.name, c.address, c.kind) for c in rows]
    started, t0 = utcnow(), time.perf_counter()
    try:
        results = each(channel.send_batch(to=to, messages=messages), len(rows))
    except Exception as exc:  # an adapter bug: a recorded failed attempt for each, not a dead worker
        results = [DeliveryResult(ok=False, error=f"渠道程序错误：{type(exc).__name__}: {exc}"[:480])] * len(rows)
    return results, started, int((time.perf_counter() - t0) * 1000)


def send_batch(
    database: Database,
    rows: list[Claimed],
    *,
    worker: str,
    channel: Any,
    base: Message,
    prefix: str,
) -> Counter[str]:
    """``hand_over`` then ``record_batch``, one after the other; returns the outcomes counted."""
    results, started, duration = hand_over(rows, channel=channel, base=base, prefix=prefix)
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


# On PostgreSQL the table grows by hundreds of thousands of rows between two ANALYZE runs during a
# district-wide warning: the planner, believing it small, hashed the whole table (or nested the loops the
# wrong way round) to find a thousand rows by their keys. The reads below are written as lateral lookups,
# which can only be planned as index probes; the batch update is kept to its key lookups by ``_KEYS_ONLY``.
_KEYS_ONLY = ("SELECT set_config('enable_seqscan', 'off', true), set_config('enable_hashjoin', 'off', true),"
              " set_config('enable_mergejoin', 'off', true)")


def keys_only(db: Session) -> None:
    """For the rest of the transaction, on PostgreSQL: plans by key probes only (``_KEYS_ONLY``)."""
    if db.get_bind().dialect.name == "postgresql":
        db.execute(text(_KEYS_ONLY))


def _current(db: Session, ids: list[int]) -> dict[int, Any]:
    cols = "id, status, locked_by, recipient_ref, warning_id, channel"
    if db.get_bind().dialect.name == "postgresql":
        # Typed (psycopg sends small ids as smallint[]); locked in id order (``ids`` are sorted): a worker
        # whose lease ran out may record the same rows meanwhile.
        sql = (f"SELECT s.* FROM unnest(CAST(:values AS integer[])) WITH ORDINALITY AS v(id, n)"
               f" CROSS JOIN LATERAL (SELECT {cols} FROM warning_deliveries AS d WHERE d.id = v.id FOR UPDATE) AS s"
               " ORDER BY v.n")
        values: Any = sorted(ids)
    else:  # one JSON array parameter: an IN list of a thousand parameters cost more to build than to run
        sql = f"SELECT {cols} FROM warning_deliveries WHERE id IN (SELECT value FROM json_each(:values))"
        values = json.dumps(ids)
    return {r[0]: r for r in db.execute(text(sql), {"values": values})}


def _already_reached(db: Session, warning_id: int, refs: set[str]) -> set[str]:
    """The recipients among ``refs`` with a row of the warning already sent (index on (warning, ref))."""
    if db.get_bind().dialect.name == "postgresql":
        sql = ("SELECT v.ref FROM unnest(CAST(:values AS varchar[])) AS v(ref) CROSS JOIN LATERAL"
               " (SELECT 1 FROM warning_deliveries AS d WHERE d.warning_id = :w AND d.recipient_ref = v.ref"
               " AND d.status = 'sent' LIMIT 1) AS s")
        values: Any = list(refs)
    else:
        sql = ("SELECT recipient_ref FROM warning_deliveries WHERE warning_id = :w AND status = 'sent'"
               " AND recipient_ref IN (SELECT value FROM json_each(:values))")
        values = json.dumps(list(refs))
    return set(db.scalars(text(sql), {"w": warning_id, "values": values}))


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
    with database.transaction() as db:
        keys_only(db)
        return record_in(db, rows, results, current=_current(db, [c.id for c in rows]), worker=worker,
                         started=started, duration_ms=duration_ms)


def record_in(
    db: Session,
    rows: list[Claimed],
    results: list[DeliveryResult],
    *,
    current: dict[int, Any],
    worker: str,
    started: datetime,
    duration_ms: int,
    alone: set[str] | frozenset[str] = frozenset(),
) -> Counter[str]:
    """``record_batch`` inside the caller's transaction, the rows' state read and locked by the caller:
    ``current`` maps each id to (id, status, locked_by, recipient_ref, warning_id, channel); ``alone``:
    recipients known to have no other row of their warning (reached now for the first time if sent)."""
    outcomes: Counter[str] = Counter()
    sent_status = DeliveryStatus.sent.value
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
        cur = current.get(c.id)  # (id, status, locked_by, recipient_ref, warning_id, channel)
        if cur is None or cur[1] == sent_status:  # someone else finished it: keep their receipt
            outcomes["sent"] += cur is not None
            continue
        if r.ok:
            sent_ids.append(c.id)
            receipts.append(r.receipt)
            moved[(cur[4], cur[5], tally.bucket(cur[1]))] += 1
            refs[cur[4]].add(cur[3])
        elif cur[2] in (worker, None):
            failed.append((c.id, r))
        else:
            outcomes["skipped"] += 1  # our lease ran out; the new holder decides
    now = utcnow()
    for warning_id, found in refs.items():
        tally.lock(db, warning_id)
        others = found - alone
        tally.reached(db, warning_id, len(found) - len(_already_reached(db, warning_id, others) if others else ()))
    if sent_ids:
        _mark_sent(db, sent_ids, receipts, now)
        outcomes["sent"] += len(sent_ids)
        for (warning_id, channel, before), n in moved.items():
            tally.moved(db, warning_id, channel, before=before, after="sent", n=n)
    for delivery_id, r in failed:
        d = db.get(Delivery, delivery_id)
        assert d is not None
        old = d.status
        outcomes[outcome(db, d, worker=worker, result=r, stale=False)] += 1
        tally.status_changed(db, d, old)
    return outcomes
