"""Resolution by grid cells (on every engine) gives exactly the points the exact
test gives: an L-shaped polygon whose answer is worked out with comparisons, a circle by the haversine
formula written out here, points on the polygon's edges and vertices and on the cells' borders."""

from __future__ import annotations

import math

import numpy as np
from sqlalchemy import insert, select

from tests.warnings.test_targeting import _sub
from yingji.core.clock import utcnow
from yingji.warnings.models import CELL_ROW, Subscriber
from yingji.warnings.service import recipients
from yingji.warnings.service.area import parse_area

# A 0.02° square less its top-right quarter (10 × 10 cells, a re-entrant corner at (109.36, 24.265)).
L_RING = [[109.35, 24.255], [109.37, 24.255], [109.37, 24.265], [109.36, 24.265], [109.36, 24.275],
          [109.35, 24.275], [109.35, 24.255]]
TYPE = "rainstorm"


def _in_l(x: float, y: float) -> bool:
    return 109.35 <= x <= 109.37 and 24.255 <= y <= 24.275 and not (x > 109.36 and y > 24.265)


def _metres(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371008.8 * math.asin(math.sqrt(a))


def _points() -> list[tuple[float, float]]:
    rng = np.random.default_rng(11)
    pts = list(zip(rng.uniform(109.345, 109.375, 1500).tolist(), rng.uniform(24.25, 24.28, 1500).tolist(),
                   strict=True))
    pts += [(x, y) for x, y in L_RING[:-1]]  # the vertices
    pts += [(109.36, 24.27), (109.365, 24.265), (109.35, 24.26), (109.37, 24.26), (109.355, 24.255)]  # edges
    pts += [(109.36 + 1e-12, 24.27), (109.365, 24.265 + 1e-12), (109.35 - 1e-12, 24.26)]  # just beyond
    # On the cells' borders: multiples of 1/500 degree, where a point's cell is decided by rounding.
    pts += [(k / 500, j / 500) for k in range(54675, 54686) for j in range(12125, 12140, 3)]
    return pts


def _load(db, pts: list[tuple[float, float]], prefix: str) -> dict[str, tuple[float, float]]:
    now = utcnow()
    phones = {f"{prefix}{i:06d}": p for i, p in enumerate(pts)}
    # A bulk insert, as the benchmark's: the cell comes from the column default.
    db.execute(insert(Subscriber), [
        {"phone": ph, "status": "active", "lon": x, "lat": y, "village_code": None, "event_types": f",{TYPE},",
         "code_attempts": 0, "unsubscribe_token": f"c-{ph}", "created_at": now}
        for ph, (x, y) in phones.items()
    ])
    db.flush()
    return phones


def _found(db, area, phones) -> set[str]:
    return {t.address for part in recipients.subscribed_chunks(db=db, area=area, event_type=TYPE)
            for t in part if t.address in phones}


def test_a_polygon_gives_the_exact_answer(db):
    phones = _load(db, _points(), "1880")
    expected = {ph for ph, (x, y) in phones.items() if _in_l(x, y)}
    assert {"1880001500", "1880001503"} <= expected  # vertices
    assert "1880001511" not in expected  # a hair beyond the notch's edge
    area = parse_area(db=db, area={"polygon": L_RING})
    before = {t.address for part in recipients.subscribed_chunks(db=db, area=area, event_type=TYPE) for t in part}
    assert _found(db, area, phones) == expected
    others = len(before - set(phones))
    assert recipients.count_subscribed(db=db, area=area, event_type=TYPE) == others + len(expected)
    left_out = sorted(expected)[:5]
    assert (recipients.count_subscribed(db=db, area=area, event_type=TYPE, exclude=set(left_out))
            == others + len(expected) - 5)


def test_a_circle_gives_the_exact_answer(db):
    phones = _load(db, _points(), "1881")
    centre, radius = (109.36, 24.265), 900.0
    expected = {ph for ph, (x, y) in phones.items() if _metres(*centre, x, y) <= radius * (1 + 1e-9)}
    assert 200 < len(expected) < 1200  # the circle holds part of the points, not all
    area = parse_area(db=db, area={"circle": {"lon": centre[0], "lat": centre[1], "radius_m": radius}})
    assert _found(db, area, phones) == expected


def test_a_moved_subscriber_is_found_at_its_new_place(db):
    _sub(db, "18820000001", 109.30, 24.30)  # outside the L
    db.flush()
    s = db.scalar(select(Subscriber).where(Subscriber.phone == "18820000001"))
    assert s.cell == 144650 * CELL_ROW + 57150  # floor((109.30 + 180) × 500), floor((24.30 + 90) × 500)
    s.lon, s.lat = 109.355, 24.26  # a sign-up again, elsewhere (``subscriptions``)
    db.flush()
    area = parse_area(db=db, area={"polygon": L_RING})
    assert _found(db, area, {"18820000001"}) == {"18820000001"}
