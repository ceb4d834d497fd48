"""Leasing delivery rows to a worker: the claim of due rows and the hand-back of rows not sent.

The claim is one statement (``UPDATE … WHERE id IN (SELECT … LIMIT n) RETURNING …``, the inner select
``FOR UPDATE SKIP LOCKED`` on PostgreSQL so that workers never claim the same row): no row is read into
an ORM object, and the statement does not grow with the batch as an ``IN`` list of ids would. The inner
select walks ``ix_warning_deliveries_open`` (the rows still to send, in id order), whatever the planner's
figures say (see ``_statement``)."""

from __future__ import annotations

from datetime import timedelta
from typing import NamedTuple

from sqlalchemy import bindparam, text, update

from yingji.core.clock import utcnow
from yingji.core.db import Database, UTCDateTime
from yingji.warnings.enums import DeliveryStatus
from yingji.warnings.models import Delivery
from yingji.warnings.settings import settings


class Claimed(NamedTuple):
    id: int
    warning_id: int
    channel: str
    address: str
    name: str
    kind: str


# A row due, above ``:after`` (the status term is the partial index ix_warning_deliveries_open's, walked
# in id order): also the held batches' (``held_batches``).
DUE = (
    "id > :after AND status IN ('pending', 'sending')"
    " AND ((status = 'pending' AND available_at <= :now) OR (status = 'sending' AND locked_until < :now))"
)
_DUE = "SELECT id FROM warning_deliveries{hint} WHERE " + DUE + "{warning} ORDER BY id LIMIT :n{lock}"
_CLAIM = (
    "UPDATE warning_deliveries SET status = 'sending', locked_by = :worker, locked_until = :until"
    " WHERE id IN ({due}) RETURNING id, warning_id, channel, address, name, recipient_kind"
)


def _statement(dialect: str, by_warning: bool):
    # Both planners must walk ix_warning_deliveries_open in id order (the rows still to send only): one
    # sorted every due row on each claim, the other walked a warning's rows past all those already sent,
    # each claim slower than the last during a district-wide warning. SQLite is told so in the statement
    # (INDEXED BY), PostgreSQL in ``claim``.
    pg = dialect == "postgresql"
    due = _DUE.format(hint="" if pg else " INDEXED BY ix_warning_deliveries_open",
                      warning=" AND warning_id = :warning_id" if by_warning else "",
                      lock=" FOR UPDATE SKIP LOCKED" if pg else "")
    return text(_CLAIM.format(due=due)).bindparams(
        bindparam("now", type_=UTCDateTime()), bindparam("until", type_=UTCDateTime())
    )


def claim(
    database: Database,
    *,
    worker: str,
    batch: int = 50,
    lease_s: int | None = None,
    warning_id: int | None = None,
    after: int = 0,
) -> list[Claimed]:
    """Leases up to ``batch`` due rows to ``worker``, in the order of their ids, above ``after`` (see
    ``held_batches.hold``: where the caller's last claim ended)."""
    now = utcnow()
    lease = timedelta(seconds=lease_s if lease_s is not None else settings().delivery_lease_s)
    params = {"now": now, "until": now + lease, "worker": worker, "n": batch, "after": after}
    if warning_id is not None:
        params["warning_id"] = warning_id
    with database.transaction() as db:
        if database.dialect == "postgresql":
            # See ``_statement``: its figures lag a district's fresh rows, so sorts are ruled out here.
            db.execute(text("SELECT set_config('enable_sort', 'off', true)"))
        rows = db.execute(_statement(database.dialect, warning_id is not None), params).all()
    return sorted((Claimed(*r) for r in rows), key=lambda c: c.id)  # RETURNING promises no order


def release(database: Database, delivery_ids: list[int], *, worker: str) -> None:
    """Hands rows claimed by ``worker`` and not sent back to the queue (still ``pending`` in the figures)."""
    with database.transaction() as db:
        db.execute(
            update(Delivery)
            .where(Delivery.id.in_(delivery_ids), Delivery.locked_by == worker)
            .where(Delivery.status == DeliveryStatus.sending)
            .values(status=DeliveryStatus.pending, locked_by=None, locked_until=None)
        )
