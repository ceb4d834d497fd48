"""Resolution reads the subscribers inside the area's bounding box from the (lon, lat) index alone, and
counts different phones whatever their spelling."""

from __future__ import annotations

import pytest

from tests.warnings.test_targeting import SQUARE, _sub
from yingji.warnings.service import recipients
from yingji.warnings.service.area import parse_area


def test_the_bbox_scan_never_reads_the_table_on_sqlite(db):
    raw = db.connection().connection.driver_connection
    if db.get_bind().dialect.name != "sqlite":
        pytest.skip("SQLite's query plan")
    _sub(db, "19900000101", 109.36, 24.265)
    seen: list[str] = []
    raw.set_trace_callback(seen.append)
    try:
        area = parse_area(db=db, area={"polygon": SQUARE})
        got = [t.address for part in recipients.subscribed_chunks(db=db, area=area, event_type="rainstorm")
               for t in part]
    finally:
        raw.set_trace_callback(None)
    assert "19900000101" in got
    located = [s for s in seen if "warning_subscribers" in s and "BETWEEN" in s.upper()]
    assert located, seen
    plan = " ".join(str(r[-1]) for r in raw.execute("EXPLAIN QUERY PLAN " + located[0]).fetchall())
    assert "COVERING INDEX ix_warning_subscribers_cell" in plan, plan


def test_count_gives_different_phones_in_any_spelling(db):
    area = parse_area(db=db, area={"polygon": SQUARE})
    before = recipients.count_subscribed(db=db, area=area, event_type="rainstorm")  # the demo's own
    _sub(db, "19900000201", 109.36, 24.265, village="v1")
    _sub(db, "19900000201", 109.361, 24.265, village="v2")  # the same phone for a second village
    _sub(db, "+8619900000202", 109.362, 24.265)  # not digits only: counted by its spelling
    _sub(db, "19900000203", 109.363, 24.265)
    _sub(db, "19900000204", 109.40, 24.265)  # outside the square
    assert recipients.count_subscribed(db=db, area=area, event_type="rainstorm") == before + 3
    left = recipients.count_subscribed(db=db, area=area, event_type="rainstorm", exclude={"19900000203"})
    assert left == before + 2
