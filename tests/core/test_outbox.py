"""The outbox: delivered once, retried with backoff, failed after its attempts, reclaimed after a
worker dies mid-batch, and deduplicated by key."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from yingji.core import outbox
from yingji.core.outbox import OutboxMessage

calls: list[dict] = []


@outbox.handler("test.echo")
def _echo(db, message) -> None:
    calls.append(message.payload)


@outbox.handler("test.flaky")
def _flaky(db, message) -> None:
    if message.attempts < 2:
        raise ConnectionError("gateway down")
    calls.append(message.payload)


def _status(database, message_id: int) -> OutboxMessage:
    with database.transaction() as s:
        return s.get(OutboxMessage, message_id)


def test_message_is_delivered_once(database, fixed_clock) -> None:
    calls.clear()
    with database.transaction() as s:
        msg = outbox.enqueue(s, topic="test.echo", payload={"n": 1})
    assert outbox.drain(database, topics=["test.echo"]) == 1
    assert outbox.drain(database, topics=["test.echo"]) == 0
    assert calls == [{"n": 1}]
    assert _status(database, msg.id).status == "done"


def test_failures_back_off_then_succeed(database, fixed_clock) -> None:
    calls.clear()
    t0 = datetime(2026, 6, 1, tzinfo=UTC)
    fixed_clock(t0)
    with database.transaction() as s:
        msg = outbox.enqueue(s, topic="test.flaky", payload={"n": 2})
    outbox.drain(database, topics=["test.flaky"])
    row = _status(database, msg.id)
    assert row.status == "pending" and row.attempts == 1 and "gateway down" in row.last_error
    assert row.available_at == t0 + timedelta(seconds=2)
    assert outbox.drain(database, topics=["test.flaky"]) == 0  # not due yet
    fixed_clock(t0 + timedelta(seconds=2))
    outbox.drain(database, topics=["test.flaky"])
    assert _status(database, msg.id).available_at == t0 + timedelta(seconds=2 + 4)
    fixed_clock(t0 + timedelta(seconds=6))
    outbox.drain(database, topics=["test.flaky"])
    assert _status(database, msg.id).status == "done" and calls == [{"n": 2}]


def test_gives_up_after_max_attempts(database, fixed_clock) -> None:
    t = datetime(2026, 6, 1, tzinfo=UTC)
    fixed_clock(t)
    with database.transaction() as s:
        msg = outbox.enqueue(s, topic="test.no-handler", payload={}, max_attempts=2)
    outbox.drain(database, topics=["test.no-handler"])
    fixed_clock(t + timedelta(hours=1))
    outbox.drain(database, topics=["test.no-handler"])
    row = _status(database, msg.id)
    assert row.status == "failed" and row.attempts == 2 and "no handler" in row.last_error


def test_lease_of_a_killed_worker_is_taken_over(database, fixed_clock) -> None:
    calls.clear()
    t = datetime(2026, 6, 1, tzinfo=UTC)
    fixed_clock(t)
    with database.transaction() as s:
        msg = outbox.enqueue(s, topic="test.echo", payload={"n": 3})
    # Worker A claims the message and dies before processing it.
    assert outbox.claim(database, worker="A", topics=["test.echo"]) == [msg.id]
    assert outbox.claim(database, worker="B", topics=["test.echo"]) == []  # still leased
    fixed_clock(t + timedelta(seconds=outbox.LEASE_S + 1))
    assert outbox.run_once(database, worker="B", topics=["test.echo"]) == 1
    assert calls == [{"n": 3}]
    # A wakes up late: its stale lease is no longer valid, it delivers nothing.
    assert outbox.process(database, msg.id, worker="A") == "skipped"
    assert calls == [{"n": 3}]


def test_same_key_is_enqueued_once(database) -> None:
    with database.transaction() as s:
        first = outbox.enqueue(s, topic="test.echo", payload={"n": 4}, key="hazard-7-overdue")
        second = outbox.enqueue(s, topic="test.echo", payload={"n": 4}, key="hazard-7-overdue")
    assert first is not None and second is None
