"""Coverage per warning (targeted, reached, per channel and village, time to 50/90/100 %) and the
district's figure for the year."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tests.warnings.helpers import NOW, SPEAKER_CIRCLE, published
from yingji.channels.fake import FakeChannel
from yingji.warnings.models import Delivery
from yingji.warnings.service import delivery


def test_coverage_of_one_warning(api, db, database, fixed_clock):
    w = published(api, area=SPEAKER_CIRCLE)
    rows = list(db.scalars(select(Delivery).where(Delivery.warning_id == w["id"]).order_by(Delivery.id)))
    sms_rows = [r for r in rows if r.channel == "sms" and not r.fallbacks]
    unreachable = sms_rows[0].address
    chans = {n: FakeChannel(n) for n in ("email", "webhook", "loudspeaker")}
    chans["sms"] = FakeChannel("sms", fail_addresses={unreachable})
    # Everything goes out one minute after publication, except to one phone that cannot be reached.
    fixed_clock(NOW + timedelta(seconds=60))
    delivery.run(database, channels=chans, warning_id=w["id"])
    cov = api("duty").get(f"/api/v1/warnings/{w['id']}/coverage").json()
    n = cov["targeted"]
    assert n == len(rows)
    assert cov["reached"] == n - 1 and cov["percent"] == round(100 * (n - 1) / n, 1)
    assert cov["by_channel"]["sms"]["targeted"] == len([r for r in rows if r.channel == "sms"])
    assert cov["by_channel"]["sms"]["failed"] == 0  # retrying: pending, not failed yet
    assert cov["time_to_s"] == {"50": 60, "90": 60, "100": None}
    worst = cov["by_village"][0]
    assert worst["percent"] < 100 and worst["reached"] == worst["targeted"] - 1
    assert all(v["percent"] == 100 for v in cov["by_village"][1:])


def test_time_to_reach(api, db, database, fixed_clock):
    w = published(api, area=SPEAKER_CIRCLE)
    ids = list(db.scalars(select(Delivery.id).where(Delivery.warning_id == w["id"]).order_by(Delivery.id)))
    chans = {n: FakeChannel(n) for n in ("sms", "email", "webhook", "loudspeaker")}
    half = len(ids) // 2
    fixed_clock(NOW + timedelta(seconds=30))
    delivery.run(database, channels=chans, warning_id=w["id"], batch=half, max_batches=1)
    fixed_clock(NOW + timedelta(seconds=300))
    delivery.run(database, channels=chans, warning_id=w["id"])
    cov = api("duty").get(f"/api/v1/warnings/{w['id']}/coverage").json()
    assert cov["reached"] == cov["targeted"] and cov["percent"] == 100.0
    expected_50 = 30 if half >= -(-len(ids) // 2) else 300
    assert cov["time_to_s"] == {"50": expected_50, "90": 300, "100": 300}


def test_district_coverage_for_the_year(api, db, database, fixed_clock):
    before = api("duty").get("/api/v1/warnings/coverage/district", params={"year": 2026}).json()
    w = published(api, area=SPEAKER_CIRCLE)
    delivery.run(
        database, channels={n: FakeChannel(n) for n in ("sms", "email", "webhook", "loudspeaker")}, warning_id=w["id"]
    )
    after = api("duty").get("/api/v1/warnings/coverage/district", params={"year": 2026}).json()
    assert after["warnings"] == before["warnings"] + 1
    added = after["targeted"] - before["targeted"]
    assert added > 0 and after["reached"] - before["reached"] == added
    assert after["target_percent"] == 100
