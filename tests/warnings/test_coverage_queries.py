"""The coverage of one warning counted by aggregate queries: the same figures as reading every row
(``coverage_reference``, the code it replaced), by hand on a small warning with fallbacks, a failure
then a fallback sent, a recipient with two rows and an area broadcast, and on a random one; no read of
the delivery rows returns them one by one."""

from __future__ import annotations

import random
import uuid
from datetime import timedelta

from sqlalchemy import event, insert, update

from tests.warnings.coverage_reference import for_warning as reference
from tests.warnings.helpers import NOW
from yingji.core.actor import SYSTEM
from yingji.warnings.models import Delivery, WarningCoverage, WarningMessage
from yingji.warnings.service import coverage, tally

V1, V2 = "450206100001", "450206100002"


def _warning(db) -> int:
    w = WarningMessage(
        identifier=f"45020600000000_{uuid.uuid4().hex[:14]}", sender="yjj.test", msg_type="Alert",
        status="published", origin="local", event_type="rainstorm", level="orange", headline="测试暴雨橙色预警",
        description="测试", instruction="", effective=NOW, expires=NOW + timedelta(hours=6),
        area={"regions": [V1, V2]}, area_desc="测试", village_codes=[V1, V2], region_path="450206000000",
        department="测试", created_at=NOW, published_at=NOW,
    )
    db.add(w)
    db.flush()
    return w.id


def _row(wid: int, ref: str, channel: str, status: str, *, village: str | None, after: int | None = None,
         kind: str = "subscriber", fallback_of: int | None = None, reach: int | None = None) -> dict:
    return {
        "warning_id": wid, "recipient_kind": kind, "recipient_ref": ref, "name": ref, "channel": channel,
        "address": f"{ref}@{channel}", "fallbacks": {}, "fallback_of": fallback_of, "village_code": village,
        "status": status, "attempts": 0, "available_at": NOW, "created_at": NOW, "reach": reach,
        "sent_at": NOW + timedelta(seconds=after) if after is not None else None,
    }


def _add(db, rows: list[dict]) -> list[int]:
    return [db.execute(insert(Delivery).values(**r).returning(Delivery.id)).scalar_one() for r in rows]


def test_figures_by_hand_and_as_the_rows_counted_them(db):
    wid = _warning(db)
    (b_sms,) = _add(db, [_row(wid, "subscriber:2", "sms", "failed", village=V1)])
    _add(db, [
        _row(wid, "subscriber:1", "sms", "sent", village=V1, after=10),
        _row(wid, "subscriber:2", "email", "sent", village=V1, after=40, fallback_of=b_sms),  # failed, then fallback
        _row(wid, "subscriber:3", "sms", "sending", village=V2),
        _row(wid, "person:4", "sms", "sent", village=V2, after=20, kind="person"),  # two rows, reached first
        _row(wid, "person:4", "email", "sent", village=V2, after=5, kind="person"),  # by e-mail
        _row(wid, "subscriber:5", "sms", "failed", village=None),
        _row(wid, f"area:{wid}", "area_broadcast", "sent", village=None, after=30, kind="area", reach=1000),
    ])
    tally.recount(db, wid)
    got = coverage.for_warning(db=db, actor=SYSTEM, warning_id=wid)
    assert got == reference(db=db, actor=SYSTEM, warning_id=wid)
    assert (got["targeted"], got["reached"], got["written"], got["percent"]) == (6, 4, 7, 66.7)
    assert got["by_channel"] == {
        "sms": {"targeted": 5, "fallback": 0, "sent": 2, "failed": 2, "pending": 1},
        "email": {"targeted": 2, "fallback": 1, "sent": 2, "failed": 0, "pending": 0},
        "area_broadcast": {"targeted": 1, "fallback": 0, "sent": 1, "failed": 0, "pending": 0},
    }
    assert [(v["code"], v["targeted"], v["reached"], v["percent"]) for v in got["by_village"]] == [
        (None, 2, 1, 50.0), (V2, 2, 1, 50.0), (V1, 2, 2, 100.0),
    ]
    # First sent times 5, 10, 30, 40 s; 50 % of 6 is the 3rd; 90 % and 100 % (the 6th) not reached.
    assert got["time_to_s"] == {"50": 30, "90": None, "100": None}
    assert got["people"] == {
        "area_broadcast": True, "area_population": 1000, "broadcast_reached": 1000, "personal_targeted": 5,
        "personal_reached": 3, "targeted": 1000, "reached": 1000,
    }


def test_a_random_warning_as_the_rows_counted_it(db):
    rnd = random.Random(18)
    wid = _warning(db)
    rows = []
    for i in range(400):
        village = rnd.choice([V1, V2, None])
        ref = f"subscriber:{i}"
        for channel in rnd.sample(["sms", "email", "webhook"], rnd.choice([1, 1, 2, 3])):
            status = rnd.choice(["sent", "sent", "failed", "pending", "sending"])
            # Whole minutes: several recipients share a first sent time.
            rows.append(_row(wid, ref, channel, status, village=village,
                             after=60 * rnd.randint(0, 20) if status == "sent" else None,
                             fallback_of=1 if rows and rows[-1]["recipient_ref"] == ref else None))
    _add(db, rows)
    tally.recount(db, wid)
    got = coverage.for_warning(db=db, actor=SYSTEM, warning_id=wid)
    assert got == reference(db=db, actor=SYSTEM, warning_id=wid)
    assert 0 < got["reached"] < got["targeted"] == 400
    # The positions of 50/90/100 % are first taken from the running figures; when those say otherwise
    # than the rows, the rows' count decides.
    db.execute(update(WarningCoverage).where(WarningCoverage.warning_id == wid).values(recipients=7))
    db.expire_all()
    assert coverage.for_warning(db=db, actor=SYSTEM, warning_id=wid) == got
    # Every recipient reached: each position is a first sent time.
    db.execute(update(Delivery).where(Delivery.warning_id == wid, Delivery.status != "sent")
               .values(status="sent", sent_at=NOW + timedelta(seconds=1500)))
    tally.recount(db, wid)
    got = coverage.for_warning(db=db, actor=SYSTEM, warning_id=wid)
    assert got == reference(db=db, actor=SYSTEM, warning_id=wid)
    assert got["time_to_s"]["100"] == 1500 and got["percent"] == 100.0


def test_rows_still_being_written_and_not_searched_yet(db):
    wid = _warning(db)
    tally.start(db, warning_id=wid)
    got = coverage.for_warning(db=db, actor=SYSTEM, warning_id=wid)
    assert got == reference(db=db, actor=SYSTEM, warning_id=wid)
    assert got["searching"] and got["targeted"] == 0 and got["percent"] is None
    tally.found(db, wid, expected=10)
    rows = [_row(wid, f"subscriber:{i}", "sms", "sent", village=V1, after=i) for i in range(4)]
    _add(db, rows)
    tally.rows_added(db, warning_id=wid, rows=[("sms", False)] * 4, new_recipients=4)
    tally.recount(db, wid)
    db.execute(update(WarningCoverage).where(WarningCoverage.warning_id == wid).values(expanding=True))
    db.expire_all()
    got = coverage.for_warning(db=db, actor=SYSTEM, warning_id=wid)
    assert got == reference(db=db, actor=SYSTEM, warning_id=wid)
    # The 6 rows not written yet count as not reached: 4 of 10, 50 % (the 5th) not reached yet.
    assert (got["targeted"], got["reached"], got["expected"], got["searching"]) == (10, 4, 10, False)
    assert got["time_to_s"] == {"50": None, "90": None, "100": None}


def test_no_read_returns_the_delivery_rows_one_by_one(db):
    wid = _warning(db)
    _add(db, [_row(wid, f"subscriber:{i}", "sms", "sent", village=V1, after=i) for i in range(50)])
    tally.recount(db, wid)
    reads: list[str] = []

    def seen(conn, cursor, statement, *args):
        if "warning_deliveries" in statement:
            reads.append(" ".join(statement.split()))

    engine = db.get_bind().engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        assert coverage.for_warning(db=db, actor=SYSTEM, warning_id=wid)["reached"] == 50
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert reads
    # Each read groups the rows (per recipient, then per village, or picks positions out of them) or
    # returns a bounded few (the area broadcast's row).
    assert all("GROUP BY warning_deliveries.recipient_ref" in s or " LIMIT " in s for s in reads), reads
