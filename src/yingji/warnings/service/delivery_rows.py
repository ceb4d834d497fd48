"""Writing delivery rows: many at once, each (warning, channel, address) once, the running figures moved
in the same transaction (``tally``)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select, text
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from yingji.core.db import UTCDateTime
from yingji.warnings.enums import DeliveryStatus
from yingji.warnings.models import Delivery
from yingji.warnings.service import recipients, tally


def insert_rows(db: Session, *, warning_id: int, targets: list[recipients.Target], now: datetime) -> int:
    """Inserts the targets' rows that do not exist yet (a chunk written again after a restart adds
    nothing: one multi-row ``INSERT … ON CONFLICT DO NOTHING``) and counts what was added; returns how
    many rows."""
    if not targets:
        return 0
    if db.get_bind().dialect.name == "postgresql":
        known, added = _insert_pg(db, warning_id=warning_id, targets=targets, now=now)
    else:
        known, added = _insert(db, warning_id=warning_id, targets=targets, now=now)
    # The coverage row only after the insert: on PostgreSQL an insert meeting an existing row waits for
    # the sender updating that row, and a sender takes the coverage row (holding it first deadlocked).
    tally.lock(db, warning_id)
    new_refs = {ref for _channel, ref in added} - known
    tally.rows_added(
        db, warning_id=warning_id, rows=[(channel, False) for channel, _ref in added], new_recipients=len(new_refs)
    )
    return len(added)


# PostgreSQL: one statement of fixed text whatever the chunk's size, the rows as arrays (unnest). The
# multi-row INSERT … VALUES bound 13 parameters per row through SQLAlchemy (1.5 s per chunk of 2,000
# on the loaded machine), and the lookup of known recipients is a lateral key probe per recipient (see
# ``batch_sending``: the planner's figures lag the fresh rows).
_KNOWN_PG = text(
    "SELECT v.ref FROM unnest(CAST(:refs AS varchar[])) AS v(ref) CROSS JOIN LATERAL"
    " (SELECT 1 FROM warning_deliveries AS d WHERE d.warning_id = :w AND d.recipient_ref = v.ref LIMIT 1) AS s"
)
_INSERT_PG = text(
    "INSERT INTO warning_deliveries (warning_id, recipient_kind, recipient_ref, name, channel, address, reach,"
    " fallbacks, village_code, status, attempts, available_at, created_at)"
    " SELECT :w, t.k, t.r, t.n, t.c, t.a, t.re, CAST(t.f AS json), t.v, 'pending', 0, :now, :now"
    " FROM unnest(CAST(:k AS varchar[]), CAST(:r AS varchar[]), CAST(:n AS varchar[]), CAST(:c AS varchar[]),"
    " CAST(:a AS varchar[]), CAST(:re AS integer[]), CAST(:f AS text[]), CAST(:v AS varchar[]))"
    " AS t(k, r, n, c, a, re, f, v)"
    " ON CONFLICT (warning_id, channel, address) DO NOTHING RETURNING channel, recipient_ref"
).bindparams(bindparam("now", type_=UTCDateTime()))


def _insert_pg(
    db: Session, *, warning_id: int, targets: list[recipients.Target], now: datetime
) -> tuple[set[str], list[Any]]:
    refs = list({t.ref for t in targets})
    known = set(db.scalars(_KNOWN_PG, {"w": warning_id, "refs": refs}))
    empty = json.dumps({})
    added = db.execute(_INSERT_PG, {
        "w": warning_id, "now": now,
        "k": [str(t.kind) for t in targets], "r": [t.ref for t in targets], "n": [t.name for t in targets],
        "c": [t.channel for t in targets], "a": [t.address for t in targets], "re": [t.reach for t in targets],
        "f": [json.dumps(t.fallbacks) if t.fallbacks else empty for t in targets],
        "v": [t.village_code for t in targets],
    }).all()
    return known, added


def _insert(
    db: Session, *, warning_id: int, targets: list[recipients.Target], now: datetime
) -> tuple[set[str], list[Any]]:
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
    stmt = (
        sqlite_insert(Delivery)
        .on_conflict_do_nothing(index_elements=["warning_id", "channel", "address"])
        .returning(Delivery.channel, Delivery.recipient_ref)
    )
    return known, db.execute(stmt, rows).all()
