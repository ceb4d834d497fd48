"""Demo places and companies read like real ones (generated from name parts), never "进德镇第2村",
"（3）" copies of one firm or "演示路"; the demo remains labelled as demo data."""

from __future__ import annotations

import re

from sqlalchemy import select

from yingji.geo.models import Region
from yingji.registry.models import Enterprise


def test_villages_have_realistic_unique_names(db) -> None:
    villages = list(db.scalars(select(Region).where(Region.level == "village")))
    names = [v.name for v in villages]
    assert len(villages) > 100 and len(set(names)) == len(names)
    assert [n for n in names if re.search(r"第\d+(村|社区)$", n)] == []
    assert all(re.fullmatch(r"[\u4e00-\u9fff]{2,6}(村|社区)", n) for n in names), names[:5]
    grids = list(db.scalars(select(Region.name).where(Region.level == "grid")))
    assert [g for g in grids if re.search(r"镇第\d+(村|社区)", g)] == []


def test_enterprises_have_realistic_names_and_addresses(db) -> None:
    rows = list(db.execute(select(Enterprise.name, Enterprise.address)))
    assert len(rows) > 250
    assert [n for n, _ in rows if "（" in n or re.search(r"\d", n)] == []
    assert [a for _, a in rows if "演示" in (a or "")] == []
    assert len({n for n, _ in rows}) == len(rows)


def test_pages_say_the_data_is_demo(page_client) -> None:
    assert "演示" in page_client("duty").get("/").text
