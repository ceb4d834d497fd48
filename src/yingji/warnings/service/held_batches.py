"""Batch delivery on PostgreSQL with the rows held by their transaction instead of leased.

A lease (``claims``) is an update of every claimed row (status, holder, lease end), and on PostgreSQL an
update of an indexed column writes a new entry into each index of ``warning_deliveries``: for a batch
channel that was as much of the server's work as the record of the batch itself. Here the worker opens
a transaction, locks one batch of due rows (``SELECT … FOR UPDATE SKIP LOCKED``: other workers skip
them), sends the batch outside any statement, records the gateway's answers in the same transaction
(``batch_sending.record_in``) and commits. The rows are written once, when recorded.

What it promises is what the lease promised, sooner: a worker killed at any moment leaves its
transaction to be rolled back by the server when the connection drops, so the batch in flight, and only
that one (the one before it was committed before this one left), is due again at once and is sent
again with the same keys. A batch is one warning and one channel (one text per request); rows of a
channel sent one per request, area broadcasts and rows of a warning no longer current are leased and
sent as before (``sending``)."""

from __future__ import annotations

import sys
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from yingji.channels.service import DeliveryResult
from yingji.core.clock import utcnow
from yingji.core.db import Database, UTCDateTime
from yingji.warnings.service.batch_sending import keys_only, record_in
from yingji.warnings.service.claims import DUE, Claimed

# The due rows of batch channels, walked in id order on the partial index of the open rows (as the
# lease's claim, ``claims._statement``). The first locks one row and names its batch (warning, channel).
_DUE = f"{DUE} AND recipient_kind <> 'area'"
_FIRST = (
    f"SELECT warning_id, channel FROM warning_deliveries WHERE {_DUE} AND channel = ANY(:channels)"
    " AND warning_id IN (SELECT id FROM warnings WHERE status = 'published'){warning}"
    " ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED"
)
_BATCH = text(
    "SELECT id, warning_id, channel, address, name, recipient_kind, status, recipient_ref,"
    # The recipient's only row of the warning (a subscriber has one, unless it has fallbacks): it
    # cannot have been reached by another, and needs no look-up of its other rows when recorded.
    " recipient_kind = 'subscriber' AND fallback_of IS NULL AND CAST(fallbacks AS text) = '{}'"
    f" FROM warning_deliveries WHERE {_DUE} AND warning_id = :w AND channel = :c"
    " ORDER BY id LIMIT :n FOR UPDATE SKIP LOCKED"
).bindparams(bindparam("now", type_=UTCDateTime()))


def _first(warning_id: int | None):
    sql = _FIRST.format(warning=" AND warning_id = :warning_id" if warning_id is not None else "")
    return text(sql).bindparams(bindparam("now", type_=UTCDateTime()))


@dataclass
class Held:
    """One batch of rows locked by the open transaction ``db`` (closed by ``record`` or ``drop``)."""

    rows: list[Claimed]
    current: dict[int, Any]  # id → (id, status, locked_by, recipient_ref, warning_id, channel)
    alone: set[str]  # recipients with no other row of the warning
    db: Session
    stack: ExitStack

    def record(self, results: list[DeliveryResult], *, worker: str, started: datetime,
               duration_ms: int) -> Counter[str]:
        """Records the gateway's answers and commits (rolls back, the rows due again, on any error)."""
        with self.stack:
            keys_only(self.db)
            return record_in(self.db, self.rows, results, current=self.current, worker=worker, started=started,
                             duration_ms=duration_ms, alone=self.alone)

    def drop(self) -> None:
        """Ends the transaction without a write: the rows are due again at once."""
        self.stack.close()


def hold(
    database: Database, *, limits: dict[str, int], warning_id: int | None = None, after: int = 0
) -> Held | None:
    """Locks the next batch of due rows of a batch channel (``limits``: channel → its batch limit) whose
    ids are above ``after``, or ``None`` when no such row is due and free.

    ``after``: where the caller's last batch ended. The rows sent leave the partial index only when
    VACUUM removes their old versions, and it cannot while a transaction older than them is open (the
    expansion of a district-wide warning reads its subscribers in one, for a minute): a walk from the
    first id stepped over every row sent so far, each batch slower than the one before."""
    stack = ExitStack()
    db = stack.enter_context(database.transaction())
    try:
        now = utcnow()
        # The planner's figures lag a district's fresh rows: it must walk the index, never sort (``claims``).
        db.execute(text("SELECT set_config('enable_sort', 'off', true)"))
        params: dict[str, Any] = {"now": now, "channels": sorted(limits), "after": after}
        if warning_id is not None:
            params["warning_id"] = warning_id
        first = db.execute(_first(warning_id), params).first()
        if first is None:
            stack.close()
            return None
        w, channel = first
        found = db.execute(_BATCH, {"now": now, "w": w, "c": channel, "n": limits[channel], "after": after}).all()
    except BaseException:
        stack.__exit__(*sys.exc_info())  # rolled back
        raise
    rows = [Claimed(r[0], r[1], r[2], r[3], r[4], r[5]) for r in found]
    # Held by this transaction: ours whoever leased them before (a lease ran out), so a failure is ours
    # to record (``locked_by`` None in ``record_in``'s terms).
    current = {r[0]: (r[0], r[6], None, r[7], r[1], r[2]) for r in found}
    return Held(rows, current, {r[7] for r in found if r[8]}, db, stack)
