"""Risk zoning per village (issue 16 point 5), expected values by hand from data/zoning.toml's defaults
(weights 0.5 / 0.3 / 0.2; exposure breaks 1, 10, 50 per 1000 residents; vulnerability breaks 1 %, 25 %,
50 % of points without a monitor; levels red ≥ 3.25, orange ≥ 2.5, yellow ≥ 1.75)."""

from __future__ import annotations

import pytest
from tests.natural.helpers import monitor, point, village

from yingji.natural.zoning import PointFacts, level_of, village_risk


def test_a_village_scored_by_hand() -> None:
    # One 中型 (III) geological point, 150 threatened in a village of 1000, no monitor:
    # H = 2, E = 4 (150 ≥ 50 per 1000), V = 4 (100 % unmonitored) → 0.5·2 + 0.3·4 + 0.2·4 = 3.0 → orange.
    [geo], combined = village_risk([PointFacts("geological", "III", None, 150, False)], population=1000)
    assert (geo.hazard, geo.exposure, geo.vulnerability, geo.score, geo.level) == (2, 4, 4, 3.0, "orange")
    assert combined == "orange"
    # With a monitor: V = 1 → 2.4 → yellow; in a village of 100 000: 1.5 per 1000 → E = 2 → 1.8 → yellow.
    [g2], _ = village_risk([PointFacts("geological", "III", None, 150, True)], population=1000)
    assert (g2.score, g2.level) == (pytest.approx(2.4), "yellow")
    [g3], _ = village_risk([PointFacts("geological", "III", None, 150, True)], population=100_000)
    assert (g3.exposure, g3.score, g3.level) == (2, pytest.approx(1.8), "yellow")
    # A 特大型 point beside a 5级 forest area: the combined level is the highest category's.
    risks, combined = village_risk([PointFacts("geological", "I", None, 1200, False),
                                    PointFacts("forest_fire", None, 5, 0, True)], population=2000)
    by = {r.category: r for r in risks}
    assert by["geological"].score == pytest.approx(0.5 * 4 + 0.3 * 4 + 0.2 * 4) and by["geological"].level == "red"
    assert by["forest_fire"].score == pytest.approx(0.5 * 4 + 0.3 * 1 + 0.2 * 1) and by["forest_fire"].level == "orange"
    assert combined == "red"
    assert village_risk([], population=10) == ([], None)


def test_level_bounds_are_inclusive() -> None:
    assert [level_of(x) for x in (3.25, 3.2499, 2.5, 2.4999, 1.75, 1.7499)] == [
        "red", "orange", "orange", "yellow", "yellow", "blue"]


def test_the_zoning_layer_and_export(api, db) -> None:
    v = village(db)
    p = point(db, v.code, people_n=5)
    monitor(db, p.id)
    db.commit()
    c = api("duty")
    r = c.get("/api/v1/natural/map/zoning")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/geo+json")
    features = {f["properties"]["code"]: f["properties"] for f in r.json()["features"]}
    mine = features[v.code]
    assert mine["level"] in ("red", "orange", "yellow", "blue") and mine["points"] >= 1
    assert "geological" in {x["category"] for x in mine["categories"]}
    officer = api("officer").get("/api/v1/natural/map/zoning").json()["features"]
    assert {f["properties"]["code"] for f in officer} == {v.code}  # the officer's own village only
    assert api("chem").get("/api/v1/natural/map/zoning").status_code == 403
