"""Batch delivery on PostgreSQL with the rows held by their transaction (``held_batches``): a held batch
is written once, when recorded; another worker skips the held rows; a killed worker's rows are due at
once; rows of a cancelled warning are not held but failed as stale; a recipient with two rows is
reached once. On SQLite the rows are leased (the tests of ``test_batch_delivery``)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import event, insert, select, update

from tests.warnings.fresh import fresh_database, published_with_deliveries
from yingji.channels.fake import FakeChannel
from yingji.core.clock import utcnow
from yingji.warnings.models import Delivery, WarningMessage
from yingji.warnings.service import claims, delivery, held_batches, tally
from yingji.warnings.service.sending import STALE


@pytest.fixture
def pg(tmp_path: Path):
    with fresh_database(tmp_path) as (_url, database):
        if database.dialect != "postgresql":
            pytest.skip("rows are held by their transaction on PostgreSQL only")
        yield database


def _statuses(database, wid):
    with database.transaction() as db:
        return Counter(db.scalars(select(Delivery.status).where(Delivery.warning_id == wid)))


def test_a_held_batch_is_written_once_when_recorded(pg):
    wid = published_with_deliveries(pg, 30)
    updates: list[tuple[str, int]] = []  # (statement, rows it changed)

    def seen(_conn, cursor, statement, *_a):
        if statement.lstrip().upper().startswith("UPDATE WARNING_DELIVERIES"):
            updates.append((statement, cursor.rowcount))

    sms = FakeChannel("sms", batch=10)
    event.listen(pg.bind, "after_cursor_execute", seen)
    try:
        assert delivery.run(pg, channels={"sms": sms}, warning_id=wid) == 30
    finally:
        event.remove(pg.bind, "after_cursor_execute", seen)
    # Each row updated once, by its batch's record (a lease claims with an update of every row first).
    written = [(sql, n) for sql, n in updates if n]
    assert [n for _sql, n in written] == [10, 10, 10] and all("'sent'" in sql for sql, _n in written)
    assert sms.batches == [10, 10, 10] and _statuses(pg, wid) == Counter({"sent": 30})
    with pg.transaction() as db:
        assert tally.counters(db, wid) == tally.from_rows(db, wid)


def test_held_rows_are_skipped_by_other_workers_and_free_again_when_let_go(pg):
    wid = published_with_deliveries(pg, 25)
    first = held_batches.hold(pg, limits={"sms": 10}, warning_id=wid)
    second = held_batches.hold(pg, limits={"sms": 10}, warning_id=wid)
    assert first is not None and second is not None
    a, b = [c.id for c in first.rows], [c.id for c in second.rows]
    assert len(a) == len(b) == 10 and not set(a) & set(b) and max(a) < min(b)  # in id order, disjoint
    leased = claims.claim(pg, worker="other", batch=50, warning_id=wid)
    assert len(leased) == 5 and not {c.id for c in leased} & set(a + b)  # the lease's claim skips them too
    # Nothing was written by holding: the rows are still pending.
    assert _statuses(pg, wid) == Counter({"pending": 20, "sending": 5})
    first.drop()
    again = held_batches.hold(pg, limits={"sms": 10}, warning_id=wid)
    assert again is not None and [c.id for c in again.rows] == a  # let go: due again at once
    again.drop()
    second.drop()


def test_a_cancelled_warnings_rows_are_not_held_but_failed_as_stale(pg):
    wid = published_with_deliveries(pg, 12)
    with pg.transaction() as db:
        db.execute(update(WarningMessage).where(WarningMessage.id == wid).values(status="cancelled"))
    assert held_batches.hold(pg, limits={"sms": 10}, warning_id=wid) is None
    sms = FakeChannel("sms", batch=10)
    assert delivery.run(pg, channels={"sms": sms}, warning_id=wid) == 12
    assert not sms.sent and _statuses(pg, wid) == Counter({"failed": 12})
    with pg.transaction() as db:
        errors = set(db.scalars(select(Delivery.last_error).where(Delivery.warning_id == wid)))
    assert errors == {STALE}


def test_a_recipient_with_two_rows_is_reached_once(pg):
    wid = published_with_deliveries(pg, 4)
    now = utcnow()
    with pg.transaction() as db:  # a person reached by SMS and by e-mail, both batch channels
        db.execute(insert(Delivery), [
            {"warning_id": wid, "recipient_kind": "person", "recipient_ref": "person:7", "name": "张三",
             "channel": channel, "address": address, "fallbacks": {}, "village_code": None,
             "status": "pending", "attempts": 0, "available_at": now, "created_at": now}
            for channel, address in (("sms", "13900000007"), ("email", "zhang@example.cn"))
        ])
        tally.recount(db, wid)
    chans = {"sms": FakeChannel("sms", batch=10), "email": FakeChannel("email", batch=10)}
    assert delivery.run(pg, channels=chans, warning_id=wid) == 6
    with pg.transaction() as db:
        figures = tally.counters(db, wid)
        assert figures == tally.from_rows(db, wid)
        assert figures["reached"] == 5  # four subscribers and the person, once


def test_rows_let_go_below_where_the_sender_went_on_are_found_by_its_sweep(pg):
    wid = published_with_deliveries(pg, 25)
    other = held_batches.hold(pg, limits={"sms": 10}, warning_id=wid)  # another worker holds the first 10
    assert other is not None
    sms = FakeChannel("sms", batch=10)
    with delivery.Sender(pg, channels={"sms": sms}, warning_id=wid) as sender:
        assert sender.run(sweep=False) == 15  # the rows above them
        other.drop()  # that worker let them go (its gateway failed, say)
        # Between an expansion's chunks the sender goes on from where it was: nothing above it is due.
        assert sender.run(sweep=False) == 0
        assert sender.run() == 10  # the sweep from the first id finds them
    assert _statuses(pg, wid) == Counter({"sent": 25}) and sms.batches == [10, 5, 10]
