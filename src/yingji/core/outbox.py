"""The outbox: side effects that must not be lost are rows written in the same transaction as the change
that caused them, then delivered by workers.

A worker claims a batch (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so several workers share the work),
leases it for ``LEASE_S`` seconds and commits the claim. Each message's handler then runs in its own
short transaction, which also marks the message done; or, for a handler registered with
``transaction=False`` (one that sends or waits: SMS, HTTP, a long delivery run), with no transaction
open at all: it gets the ``Database`` and opens the short transactions it needs, and the message is
marked done in a new transaction afterwards. Nothing holds SQLite's write lock while it waits.
A worker killed mid-batch leaves leased rows that another worker takes again once the lease runs
out: handlers must therefore be idempotent (deliveries check their own receipts). A failing handler
is retried with exponential backoff and ends ``failed`` after ``max_attempts``.
"""

from __future__ import annotations

import logging
import os
import socket
import traceback
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import JSON, Integer, String, Text, or_, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from yingji.core.clock import utcnow
from yingji.core.db import Base, Database, UTCDateTime

log = logging.getLogger(__name__)

LEASE_S = 120
Handler = Callable[[Session, "OutboxMessage"], None]
OutsideHandler = Callable[[Database, "OutboxMessage"], None]
_handlers: dict[str, Handler] = {}
_outside: set[str] = set()  # topics whose handler runs outside any transaction


class OutboxMessage(Base):
    __tablename__ = "outbox_messages"
    __audit__ = False

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    topic: Mapped[str] = mapped_column(String(80), index=True)
    # Optional idempotency key: enqueueing the same (topic, key) twice keeps one message.
    key: Mapped[str | None] = mapped_column(String(200), unique=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=8)
    available_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    locked_by: Mapped[str | None] = mapped_column(String(80))
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


def handler(topic: str, *, transaction: bool = True) -> Callable[[Any], Any]:
    """Registers the function that delivers messages of ``topic``: ``fn(session, message)`` run inside
    the transaction that marks the message done, or with ``transaction=False`` ``fn(database, message)``
    run with no transaction open (for handlers that send over the network or run long).

    A topic has exactly one handler: a second, different function for the same topic is refused (it used
    to replace the first silently). Several parties reacting to one fact subscribe to a domain event
    instead (``core.events``)."""

    def register(fn: Any) -> Any:
        existing = _handlers.get(topic)
        if existing is not None and _name(existing) != _name(fn):
            raise ValueError(f"outbox topic {topic!r} already has handler {_name(existing)}; refusing {_name(fn)}")
        _handlers[topic] = fn  # the same function again (a module imported anew) keeps one registration
        if transaction:
            _outside.discard(topic)
        else:
            _outside.add(topic)
        return fn

    return register


def _name(fn: Callable[..., Any]) -> str:
    return f"{fn.__module__}.{getattr(fn, '__qualname__', repr(fn))}"


def registered_topics() -> list[str]:
    return sorted(_handlers)


def enqueue(
    db: Session,
    *,
    topic: str,
    payload: dict[str, Any],
    key: str | None = None,
    available_at: datetime | None = None,
    max_attempts: int = 8,
) -> OutboxMessage | None:
    """Adds a message to the caller's transaction. Returns None when ``key`` was enqueued before."""
    if key is not None:
        key = f"{topic}:{key}"
        if db.scalar(select(OutboxMessage.id).where(OutboxMessage.key == key)) is not None:
            return None
    now = utcnow()
    msg = OutboxMessage(
        topic=topic,
        key=key,
        payload=payload,
        status="pending",
        attempts=0,
        max_attempts=max_attempts,
        available_at=available_at or now,
        created_at=now,
    )
    db.add(msg)
    db.flush()
    return msg


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def claim(database: Database, *, worker: str, batch: int = 50, topics: list[str] | None = None) -> list[int]:
    """Leases up to ``batch`` due messages to ``worker``; returns their ids."""
    now = utcnow()
    with database.transaction() as db:
        q = (
            select(OutboxMessage.id)
            .where(
                or_(
                    (OutboxMessage.status == "pending") & (OutboxMessage.available_at <= now),
                    (OutboxMessage.status == "processing") & (OutboxMessage.locked_until < now),
                )
            )
            .order_by(OutboxMessage.id)
            .limit(batch)
        )
        if topics:
            q = q.where(OutboxMessage.topic.in_(topics))
        if database.dialect == "postgresql":
            q = q.with_for_update(skip_locked=True)
        ids = list(db.scalars(q))
        if ids:
            db.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(ids))
                .values(status="processing", locked_by=worker, locked_until=now + timedelta(seconds=LEASE_S))
            )
        return ids


def process(database: Database, message_id: int, *, worker: str) -> str:
    """Runs one leased message's handler; returns its new status."""
    try:
        with database.transaction(read=True) as db:
            msg = db.get(OutboxMessage, message_id)
            if msg is None or msg.status != "processing" or msg.locked_by != worker:
                return "skipped"
            topic = msg.topic
        fn = _handlers.get(topic)
        if fn is None:
            raise LookupError(f"no handler registered for topic {topic!r}")
        if topic in _outside:
            fn(database, msg)  # no transaction open: it may send and wait as long as it must
            with database.transaction() as db:
                return _done(db, message_id, worker=worker)
        with database.transaction() as db:
            msg = db.get(OutboxMessage, message_id)
            if msg is None or msg.status != "processing" or msg.locked_by != worker:
                return "skipped"
            fn(db, msg)
            return _done(db, message_id, worker=worker)
    except Exception as exc:  # the failure becomes data on the row: status, error and next try
        error = "".join(traceback.format_exception_only(exc)).strip()[:2000]
        with database.transaction() as db:
            msg = db.get(OutboxMessage, message_id)
            if msg is None:
                return "skipped"
            msg.attempts += 1
            msg.last_error = error
            msg.locked_by = msg.locked_until = None
            if msg.attempts >= msg.max_attempts:
                msg.status = "failed"
            else:
                msg.status = "pending"
                msg.available_at = utcnow() + timedelta(seconds=min(2**msg.attempts, 3600))
            log.warning("outbox message %s (%s) failed: %s", message_id, msg.topic, error)
            return msg.status


def _done(db: Session, message_id: int, *, worker: str) -> str:
    msg = db.get(OutboxMessage, message_id)
    if msg is None or msg.locked_by != worker:  # our lease ran out meanwhile: the new holder finishes it
        return "skipped"
    msg.status, msg.done_at, msg.attempts = "done", utcnow(), msg.attempts + 1
    msg.locked_by = msg.locked_until = None
    return "done"


def run_once(database: Database, *, worker: str | None = None, batch: int = 50, topics: list[str] | None = None) -> int:
    """Claims and processes one batch; returns how many messages it handled."""
    worker = worker or worker_name()
    ids = claim(database, worker=worker, batch=batch, topics=topics)
    for message_id in ids:
        process(database, message_id, worker=worker)
    return len(ids)


def drain(database: Database, *, max_rounds: int = 100, topics: list[str] | None = None) -> int:
    """Processes everything due now (tests and the CLI use it); returns the number handled."""
    total = 0
    for _ in range(max_rounds):
        n = run_once(database, topics=topics)
        total += n
        if n == 0:
            break
    return total
