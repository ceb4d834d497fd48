"""Domain events: every subscriber receives an event, each with its own delivery state (one failing
neither blocks nor repeats the others), redelivery never applies an event twice, and a topic keeps
exactly one outbox handler."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from yingji.core import events, outbox
from yingji.core.events import DomainEvent, ProcessedEvent, publish, subscribe, topic_of
from yingji.core.outbox import OutboxMessage

received: dict[str, list] = {"a": [], "b": []}
fail_b = {"times": 0}


@dataclass(frozen=True)
class ParcelArrived(DomainEvent):
    """A test fact."""

    parcel_id: int
    at: datetime
    tags: tuple[str, ...] = ()


@subscribe(ParcelArrived)
def record_a(db, event: ParcelArrived) -> None:
    received["a"].append(event)


@subscribe(ParcelArrived)
def record_b(db, event: ParcelArrived) -> None:
    if fail_b["times"] > 0:
        fail_b["times"] -= 1
        raise ConnectionError("b is down")
    received["b"].append(event)


TOPIC = topic_of(ParcelArrived)
T0 = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _reset():
    received["a"].clear()
    received["b"].clear()
    fail_b["times"] = 0


def _rows(database, event_id: str) -> dict[str, OutboxMessage]:
    with database.transaction() as s:
        rows = s.scalars(select(OutboxMessage).where(OutboxMessage.topic == TOPIC)).all()
        return {r.payload["subscriber"].rsplit(".", 1)[-1]: r for r in rows if r.payload["event_id"] == event_id}


def test_both_subscribers_receive_the_event_with_its_fields(database, fixed_clock) -> None:
    with database.transaction() as s:
        event_id = publish(s, ParcelArrived(parcel_id=7, at=T0, tags=("x", "y")))
    assert set(_rows(database, event_id)) == {"record_a", "record_b"}  # one outbox row per subscriber
    assert outbox.drain(database, topics=[TOPIC]) == 2
    expected = ParcelArrived(parcel_id=7, at=T0, tags=("x", "y"))
    assert received["a"] == [expected] and received["b"] == [expected]
    assert outbox.drain(database, topics=[TOPIC]) == 0


def test_a_failing_subscriber_neither_blocks_nor_repeats_the_other(database, fixed_clock) -> None:
    fixed_clock(T0)
    fail_b["times"] = 1
    with database.transaction() as s:
        event_id = publish(s, ParcelArrived(parcel_id=8, at=T0))
    outbox.drain(database, topics=[TOPIC])
    rows = _rows(database, event_id)
    assert rows["record_a"].status == "done" and len(received["a"]) == 1
    assert rows["record_b"].status == "pending" and rows["record_b"].attempts == 1
    assert "b is down" in rows["record_b"].last_error and received["b"] == []
    fixed_clock(T0 + timedelta(seconds=2))  # b's backoff has passed
    outbox.drain(database, topics=[TOPIC])
    assert _rows(database, event_id)["record_b"].status == "done"
    assert len(received["a"]) == 1 and len(received["b"]) == 1


def test_redelivery_does_not_apply_an_event_twice(database, fixed_clock) -> None:
    with database.transaction() as s:
        event_id = publish(s, ParcelArrived(parcel_id=9, at=T0))
    outbox.drain(database, topics=[TOPIC])
    # A delivery runs again (e.g. its row was put back by hand after a worker crash): nothing re-applies.
    with database.transaction() as s:
        s.execute(update(OutboxMessage).where(OutboxMessage.topic == TOPIC).values(status="pending"))
    assert outbox.drain(database, topics=[TOPIC]) == 2
    assert len(received["a"]) == 1 and len(received["b"]) == 1
    with database.transaction() as s:
        done = s.scalars(select(ProcessedEvent.subscriber).where(ProcessedEvent.event_id == event_id)).all()
    assert sorted(d.rsplit(".", 1)[-1] for d in done) == ["record_a", "record_b"]


def test_publishing_the_same_fact_twice_with_its_id_delivers_once(database, fixed_clock) -> None:
    with database.transaction() as s:
        publish(s, ParcelArrived(parcel_id=10, at=T0), event_id="parcel-10")
        publish(s, ParcelArrived(parcel_id=10, at=T0), event_id="parcel-10")
    outbox.drain(database, topics=[TOPIC])
    assert len(received["a"]) == 1


def test_a_failed_subscriber_leaves_no_processed_mark(database, fixed_clock) -> None:
    fail_b["times"] = 1
    with database.transaction() as s:
        event_id = publish(s, ParcelArrived(parcel_id=11, at=T0))
    outbox.drain(database, topics=[TOPIC])
    with database.transaction() as s:
        marks = s.scalars(select(ProcessedEvent.subscriber).where(ProcessedEvent.event_id == event_id)).all()
    assert [m.rsplit(".", 1)[-1] for m in marks] == ["record_a"]


def test_a_topic_refuses_a_second_handler() -> None:
    @outbox.handler("test.single")
    def first(db, msg) -> None: ...

    def second(db, msg) -> None: ...

    with pytest.raises(ValueError, match="test.single"):
        outbox.handler("test.single")(second)
    outbox.handler("test.single")(first)  # the same function again is not a second handler


def test_publish_refuses_what_is_not_a_declared_event(db) -> None:
    @dataclass(frozen=True)
    class Loose:
        n: int

    with pytest.raises(TypeError):
        publish(db, Loose(1))  # type: ignore[arg-type]


def test_catalogue_names_every_fact_with_its_publisher() -> None:
    from yingji.bootstrap import bootstrap

    bootstrap()
    by_name = {e.name: e for e in events.catalogue()}
    expected = {
        "AlarmRaised": "monitoring", "AlarmEscalated": "monitoring", "AlarmResolved": "monitoring",
        "WarningPublished": "warnings", "WarningCancelled": "warnings",
        "HazardReported": "risk", "HazardClosed": "risk", "HazardOverdue": "risk",
        "StockIssued": "resources", "TeamStatusChanged": "resources", "ShelterOccupancyChanged": "resources",
    }
    assert {name: by_name[name].publisher for name in expected} == expected
    assert "warnings.open_draft_from_alarm" in by_name["AlarmRaised"].subscribers
