"""The demo district: the shipped boundaries of 柳江区, with realistic generated names for the villages whose
real names are not in the shipped data (they come as "进德镇第2村"), and a sketched river. Demo data."""

from __future__ import annotations

import math
import random
import re

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from yingji.core.demo import SEED, place_name
from yingji.geo import service
from yingji.geo.models import GENERATED_ROADS, MapLine, Region

GENERIC = re.compile(r"^(?P<town>.+?镇)第\d+(?P<kind>村|社区)$")


def _name_villages(db: Session) -> int:
    """Gives each generically named village (and its grids) a generated name such as 龙塘村, unique in the
    district; a separate random source, so the rest of the demo data does not change with it."""
    rng = random.Random(f"{SEED}-places")
    regions = list(db.scalars(select(Region).where(Region.level.in_(("village", "grid"))).order_by(Region.code)))
    used = {r.name for r in regions if r.level == "village"}
    renamed: dict[str, str] = {}
    for r in regions:
        m = GENERIC.match(r.name) if r.level == "village" else None
        if m:
            new = place_name(rng, used, m.group("kind"))
            renamed[r.name], r.name = new, new
    for r in regions:
        if r.level == "grid":
            for old, new in renamed.items():
                if r.name.startswith(old + "第"):
                    r.name = new + r.name[len(old) :]
                    break
    db.flush()
    return len(renamed)


def _demo_river(db: Session) -> None:
    """A river drawn across the district for the map's river layer, named as a sketch (not surveyed)."""
    root = service.root(db=db)
    if root is None or not root.geometry:
        return
    from shapely.geometry import shape

    minx, miny, maxx, maxy = shape(root.geometry).bounds
    pts = []
    for i in range(41):
        t = i / 40
        lon = minx + (maxx - minx) * (0.15 + 0.7 * t)
        lat = maxy - (maxy - miny) * t + (maxy - miny) * 0.06 * math.sin(t * 3 * math.pi)
        pts.append([round(lon, 6), round(lat, 6)])
    db.execute(
        insert(MapLine),
        [
            {
                "layer": "river",
                "name": "演示河流（示意）",
                "kind": "river",
                "geometry": {"type": "LineString", "coordinates": pts},
                "source": GENERATED_ROADS,
            }
        ],
    )


def seed(db: Session, ctx) -> str:
    n = service.load_shipped_district(db=db, name="liujiang")
    named = _name_villages(db)
    _demo_river(db)
    counts = service.counts_by_level(db=db)
    return (
        f"{n} 个区域（镇 {counts['township']}，村（社区）{counts['village']}，网格 {counts['grid']}；"
        f"{named} 个村名为演示生成）；示意河流 1 条"
    )
