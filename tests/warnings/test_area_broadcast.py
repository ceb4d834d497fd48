"""Area broadcast as a channel: one delivery for the warning's whole area, its population as its reach,
and coverage counting the people reached by area broadcast and personal messages without counting anyone
twice (numbers computed by hand: two villages of 6,000 and 4,000 people)."""

from __future__ import annotations

from sqlalchemy import func, select, update

from tests.warnings.helpers import published
from yingji.bootstrap import bootstrap
from yingji.channels.fake import FakeChannel
from yingji.core import outbox
from yingji.geo.models import Region
from yingji.warnings.models import Delivery, Subscriber
from yingji.warnings.service import delivery

PERSONAL = ("sms", "email", "webhook", "loudspeaker")


def _two_villages(db) -> list[str]:
    """The two villages with the fewest subscribers (some, though): each subscriber is one personal message
    sent through the fake channels, and a thousand of them say nothing more than ten."""
    per_village = (
        select(Subscriber.village_code).where(Subscriber.village_code.is_not(None))
        .group_by(Subscriber.village_code).order_by(func.count(), Subscriber.village_code).limit(2)
    )
    codes = sorted(db.scalars(per_village))
    assert len(codes) == 2
    db.execute(update(Region).where(Region.code == codes[0]).values(population=6000))
    db.execute(update(Region).where(Region.code == codes[1]).values(population=4000))
    db.flush()
    return codes


def _publish(api, database, codes, broadcast: FakeChannel) -> tuple[int, dict]:
    chans = {n: FakeChannel(n) for n in PERSONAL} | {"area_broadcast": broadcast}
    bootstrap(channels=chans)
    try:
        wid = published(api, area={"regions": codes}, rows=False)["id"]
        outbox.drain(database, topics=["warnings.published"])  # the worker: rows written, sending begun
        delivery.run(database, channels=chans, warning_id=wid)  # and the rest sent
    finally:
        bootstrap(channels={})
    return wid, api("duty").get(f"/api/v1/warnings/{wid}/coverage").json()


def test_one_area_delivery_reaches_the_areas_population_nobody_counted_twice(api, db, database, fixed_clock):
    codes = _two_villages(db)
    broadcast = FakeChannel("area_broadcast")
    wid, cov = _publish(api, database, codes, broadcast)
    area_rows = list(db.scalars(select(Delivery).where(Delivery.warning_id == wid,
                                                       Delivery.channel == "area_broadcast")))
    assert len(area_rows) == 1 and area_rows[0].reach == 6000 + 4000 and area_rows[0].status == "sent"
    # One message for the area, with the area in it.
    assert len(broadcast.sent) == 1
    assert broadcast.sent[0][1].payload["area"] == {"regions": codes}
    people = cov["people"]
    personal = people["personal_targeted"]
    assert 0 < personal < 10000 and people["personal_reached"] == personal  # every personal message left
    # Everyone of the area is reached by the broadcast, the personal recipients among them: 10,000, not
    # 10,000 + personal.
    assert people["area_population"] == 10000
    assert people["targeted"] == 10000 and people["reached"] == 10000


def test_a_failed_broadcast_leaves_the_personal_messages_as_the_reach(api, db, database, fixed_clock):
    codes = _two_villages(db)
    wid, cov = _publish(api, database, codes, FakeChannel("area_broadcast", fail_all=True))
    people = cov["people"]
    assert people["area_population"] == 10000 and people["broadcast_reached"] == 0
    assert people["targeted"] == 10000  # the area's people were targeted
    assert people["reached"] == people["personal_reached"] == people["personal_targeted"] > 0
