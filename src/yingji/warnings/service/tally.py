"""Running coverage figures: per warning (recipients expected, with a row, reached) and per channel (rows
targeted, sent, failed, pending). Changed in the very transaction that changes a delivery row, so they
are as exact as the rows themselves and the dashboard reads one row per warning instead of scanning
every delivery of the year (that scan took seconds per request during a district-wide delivery).

Every change of a row's status goes through ``status_changed``; rows are added through ``rows_added``.
``from_rows`` counts the same figures from the rows (the reference the tests hold the counters to) and
``recount`` rewrites the counters from it (after the demo marks its rows delivered wholesale).

On PostgreSQL the warning's coverage row is updated first in each such transaction: its row lock
serialises "was this recipient reached before?" checks of concurrent workers, so none counts twice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from sqlalchemy import case, delete, func, insert, select, update
from sqlalchemy.orm import Session

from yingji.core.clock import utcnow
from yingji.warnings.enums import DeliveryStatus
from yingji.warnings.models import ChannelCount, Delivery, WarningCoverage

COLUMNS = ("targeted", "fallback", "sent", "failed", "pending")


def bucket(status: str) -> str:
    """The figure a status counts in: ``sending`` and a retry's wait are ``pending``."""
    return {"sent": "sent", "failed": "failed"}.get(str(status), "pending")


def start(db: Session, *, warning_id: int) -> None:
    """The warning's coverage row, written at publication: ``expanding``, no recipient found yet
    (``expected`` 0 until the worker has searched them, see ``found``)."""
    db.add(WarningCoverage(warning_id=warning_id, expected=0, recipients=0, reached=0,
                           expanding=True, updated_at=utcnow()))
    db.flush()


def found(db: Session, warning_id: int, *, expected: int) -> None:
    """The recipients the worker found for the warning (in the transaction of its first rows)."""
    done = update(WarningCoverage).where(WarningCoverage.warning_id == warning_id)
    db.execute(done.values(expected=expected, updated_at=utcnow()))


def lock(db: Session, warning_id: int) -> None:
    """Takes the warning's coverage row (row lock on PostgreSQL; SQLite's write lock in any case)."""
    db.execute(update(WarningCoverage).where(WarningCoverage.warning_id == warning_id).values(updated_at=utcnow()))


def _bump(db: Session, warning_id: int, channel: str, **deltas: int) -> None:
    deltas = {k: v for k, v in deltas.items() if v}
    if not deltas:
        return
    values = {k: getattr(ChannelCount, k) + v for k, v in deltas.items()}
    done = db.execute(
        update(ChannelCount)
        .where(ChannelCount.warning_id == warning_id, ChannelCount.channel == channel)
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not done:
        row = {k: 0 for k in COLUMNS} | deltas
        db.execute(insert(ChannelCount).values(warning_id=warning_id, channel=channel, **row))


def rows_added(db: Session, *, warning_id: int, rows: Iterable[tuple[str, bool]], new_recipients: int) -> None:
    """``rows``: (channel, is a fallback) of each row just inserted, all ``pending``."""
    per: Counter[tuple[str, bool]] = Counter(rows)
    for channel in {c for c, _ in per}:
        n, fb = per[(channel, False)] + per[(channel, True)], per[(channel, True)]
        _bump(db, warning_id, channel, targeted=n, pending=n, fallback=fb)
    if new_recipients:
        db.execute(
            update(WarningCoverage)
            .where(WarningCoverage.warning_id == warning_id)
            .values(recipients=WarningCoverage.recipients + new_recipients)
        )


def status_changed(db: Session, d: Delivery, old_status: str) -> None:
    """After ``d.status`` changed from ``old_status`` (flushed or not): moves the row between figures and,
    when it is the recipient's first sent row, counts the recipient reached."""
    before, after = bucket(old_status), bucket(d.status)
    if before == after:
        return
    if after == "sent":
        lock(db, d.warning_id)
        other = db.scalar(
            select(Delivery.id).where(
                Delivery.warning_id == d.warning_id,
                Delivery.recipient_ref == d.recipient_ref,
                Delivery.status == DeliveryStatus.sent,
                Delivery.id != d.id,
            ).limit(1)
        )
        if other is None:
            db.execute(
                update(WarningCoverage)
                .where(WarningCoverage.warning_id == d.warning_id)
                .values(reached=WarningCoverage.reached + 1)
            )
    _bump(db, d.warning_id, d.channel, **{before: -1, after: 1})


def expansion_done(db: Session, warning_id: int) -> None:
    done = update(WarningCoverage).where(WarningCoverage.warning_id == warning_id)
    db.execute(done.values(expanding=False, updated_at=utcnow()))


def from_rows(db: Session, warning_id: int) -> dict[str, Any]:
    """The same figures counted from the delivery rows: {"recipients", "reached", "by_channel"}."""
    sent = case((Delivery.status == DeliveryStatus.sent, 1), else_=0)
    failed = case((Delivery.status == DeliveryStatus.failed, 1), else_=0)
    fallback = case((Delivery.fallback_of.is_(None), 0), else_=1)
    by_channel = {
        channel: {"targeted": n, "fallback": int(fb or 0), "sent": int(s or 0), "failed": int(f or 0),
                  "pending": n - int(s or 0) - int(f or 0)}
        for channel, n, fb, s, f in db.execute(
            select(Delivery.channel, func.count(), func.sum(fallback), func.sum(sent), func.sum(failed))
            .where(Delivery.warning_id == warning_id)
            .group_by(Delivery.channel)
        ).all()
    }
    recipients, reached = db.execute(
        select(
            func.count(func.distinct(Delivery.recipient_ref)),
            func.count(func.distinct(case((Delivery.status == DeliveryStatus.sent, Delivery.recipient_ref)))),
        ).where(Delivery.warning_id == warning_id)
    ).one()
    return {"recipients": recipients, "reached": reached, "by_channel": by_channel}


def counters(db: Session, warning_id: int) -> dict[str, Any]:
    """The running figures as stored, in the shape of ``from_rows``."""
    cov = db.get(WarningCoverage, warning_id, populate_existing=True)
    rows = db.scalars(select(ChannelCount).where(ChannelCount.warning_id == warning_id)).all()
    return {
        "recipients": cov.recipients if cov else 0,
        "reached": cov.reached if cov else 0,
        "by_channel": {
            c.channel: {k: getattr(c, k) for k in COLUMNS}
            for c in rows
            if c.targeted or c.sent or c.failed or c.pending
        },
    }


def recount(db: Session, warning_id: int) -> None:
    """Rewrites the warning's running figures from its rows."""
    fig = from_rows(db, warning_id)
    db.execute(delete(ChannelCount).where(ChannelCount.warning_id == warning_id))
    for channel, c in fig["by_channel"].items():
        db.add(ChannelCount(warning_id=warning_id, channel=channel, **c))
    cov = db.get(WarningCoverage, warning_id)
    if cov is None:
        cov = WarningCoverage(warning_id=warning_id, expected=fig["recipients"], expanding=False)
        db.add(cov)
    cov.recipients, cov.reached, cov.updated_at = fig["recipients"], fig["reached"], utcnow()
    db.flush()


def reached(db: Session, warning_id: int, n: int) -> None:
    """``n`` recipients reached for the first time (a batch's sent rows; the coverage row taken first)."""
    if n:
        db.execute(
            update(WarningCoverage)
            .where(WarningCoverage.warning_id == warning_id)
            .values(reached=WarningCoverage.reached + n)
        )


def moved(db: Session, warning_id: int, channel: str, *, before: str, after: str, n: int) -> None:
    """``n`` rows of one channel moved from figure ``before`` to ``after`` (a batch recorded at once)."""
    if before != after and n:
        _bump(db, warning_id, channel, **{before: -n, after: n})
