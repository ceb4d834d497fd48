"""自然灾害 in the shell: its menu entry, its layer group on the 一张图 and, on a village's page, the
hazard points of the village with their monitors."""

from __future__ import annotations

from typing import Any

from yingji.core.pagination import PageParams
from yingji.core.rates import RateProvider, RateValue
from yingji.natural.service import figures, points
from yingji.web.shell import MapLayer, NavEntry, VillagePanel


def _village(db: Any, user: Any, village: Any) -> dict[str, Any]:
    if not user.can("natural.read"):
        return {"points": []}
    rows, _ = points.list_points(db=db, actor=user, page=PageParams(page_size=50), region_code=village.code)
    return {"points": rows}


MENU = (
    NavEntry("natural", "自然灾害", "/natural", "地质灾害隐患点、山洪与内涝、森林火险区、群测群防、风险普查与区划",
             order=80),
)
MAP_LAYERS = (MapLayer("natural/map_layers.html", permission="natural.read", order=35),)
VILLAGE_PANELS = (VillagePanel("natural/_village.html", _village, permission="natural.read", order=25),)


def _community(db, user, year):
    f = figures.community_coverage(db=db, actor=user)
    return RateValue(f["rate"], f["with_monitor"], f["points"], "处", f["link"])


def _forest(db, user, year):
    f = figures.fire_coverage(db=db, actor=user)
    return RateValue(f["rate"], round(f["covered_m2"] / 10_000, 1), round(f["forest_m2"] / 10_000, 1), "公顷",
                     f["link"])


RATES = (
    RateProvider("natural.community_coverage", "地质灾害隐患点群测群防覆盖率", figures.COMMUNITY_TARGET, "natural.read",
                 _community, source="/natural/coverage"),
    RateProvider("natural.forest_coverage", "森林火灾监测覆盖率", figures.FOREST_TARGET, "natural.read", _forest,
                 source="/natural/coverage"),
)
