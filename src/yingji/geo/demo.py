"""The demo district: the shipped boundaries of 柳江区, with realistic generated names for the villages whose
real names are not in the shipped data (they come as "进德镇第2村"). Demo data, labelled as such."""

from __future__ import annotations

import random
import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from yingji.demo import SEED, place_name
from yingji.geo import service
from yingji.geo.models import Region

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


def seed(db: Session, ctx) -> str:
    n = service.load_shipped_district(db=db, name="liujiang")
    named = _name_villages(db)
    counts = service.counts_by_level(db=db)
    return (
        f"{n} 个区域（镇 {counts['township']}，村（社区）{counts['village']}，网格 {counts['grid']}；"
        f"{named} 个村名为演示生成）"
    )
