import math

from sqlalchemy import insert
from sqlalchemy.orm import Session

from yingji.geo import service
from yingji.geo.models import GENERATED_ROADS, MapLine


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
    _demo_river(db)
    counts = service.counts_by_level(db=db)
    return f"{n} 个区域（镇 {counts['township']}，村（社区）{counts['village']}，网格 {counts['grid']}）；示意河流 1 条"
