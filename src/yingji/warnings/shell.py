"""预警发布 in the shell: menu entry, dashboard card, map layer, and the warnings in force on a village's
page."""

from __future__ import annotations

from typing import Any

from yingji.core import rates as _rates
from yingji.warnings.enums import LEVEL_LABELS
from yingji.warnings.service import maps
from yingji.web.shell import Card, MapLayer, NavEntry, VillagePanel


def _village(db, user, village) -> dict[str, Any]:
    rows = maps.in_force_for_village(db=db, actor=user, village_code=village.code) if user.can("warnings.read") else []
    return {"warnings": rows, "level_labels": LEVEL_LABELS}


MENU = (NavEntry("warnings", "预警发布", "/warnings", "预警信息（CAP 1.2）审核、分区域多渠道发布、覆盖率", order=60),)
CARDS = (Card("warnings/dashboard_cards.html", permission="warnings.read"),)
MAP_LAYERS = (MapLayer("warnings/map_layers.html", permission="warnings.read"),)
VILLAGE_PANELS = (VillagePanel("warnings/_village.html", _village, order=10),)


def _coverage(db, user, year):
    from yingji.core.rates import RateValue
    from yingji.warnings.service import coverage

    f = coverage.district_year(db=db, actor=user, year=year)
    return RateValue(None if f["percent"] is None else f["reached"] / f["targeted"], f["reached"], f["targeted"],
                     "人", "/warnings", f"{f['warnings']} 条本地预警")


def _loudspeakers(db, user, year):
    from sqlalchemy import select

    from yingji.core.rates import RateValue
    from yingji.geo import service as geo_service
    from yingji.warnings.models import ReceivingPoint

    villages = {v.code for v in geo_service.region_infos(db=db, level="village")}
    if not user.can("warnings.read"):
        return RateValue(None)
    q = select(ReceivingPoint.village_code).where(ReceivingPoint.kind == "loudspeaker")
    covered = set(db.scalars(q)) & villages
    return RateValue(len(covered) / len(villages) if villages else None, len(covered), len(villages), "个行政村",
                     "/warnings", "有农村大喇叭接收点的行政村")


RATES = (
    _rates.RateProvider("warnings.coverage", "预警信息公众覆盖率", 1.0, "warnings.read", _coverage, years=True,
                        source="/warnings"),
    _rates.RateProvider("warnings.village_loudspeakers", "农村大喇叭行政村覆盖率", 1.0, "warnings.read", _loudspeakers,
                        source="/warnings"),
)
