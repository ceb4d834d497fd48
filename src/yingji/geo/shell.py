"""行政区划 in the shell: the menu entries (the regions, and the 灾害信息员's village page), the dashboard's
region figures and chart, and the 一张图 map's own configuration (its base maps)."""

from __future__ import annotations

from typing import Any

from yingji.geo import basemaps, service
from yingji.geo.enums import LEVEL_LABELS
from yingji.web.shell import Card, MapLayer, NavEntry


def _counts(request, db, user) -> dict[str, Any]:
    regions = service.counts_by_level(db=db)
    return {
        "regions": sum(regions.values()),
        "villages": regions.get("village", 0),
        "charts": {"regions": [{"name": LEVEL_LABELS[k], "value": v} for k, v in regions.items()]},
    }


def _map_config(request, db, user) -> dict[str, Any]:
    settings = request.app.state.settings
    bases = basemaps.configured(
        basemaps=settings.map_basemaps, tiles_file=settings.map_tiles, tiles_crs=settings.map_tiles_crs
    )
    return {"map_config": {"basemaps": bases.items, "problems": bases.problems}}


MENU = (
    NavEntry("geo", "我的村", "/officer", "本村预警、隐患、最近的避难场所和队伍", roles=("info_officer",), order=5),
    NavEntry("geo", "行政区划", "/geo/regions", "区、镇（街道）、村（社区）、网格", order=130),
)
CARDS = (
    Card("geo/dashboard_stats.html", data=_counts, place="stats", order=10, reads=("regions",)),
    Card("geo/dashboard_chart.html", data=_counts, order=20, reads=("regions",)),
)
MAP_LAYERS = (MapLayer("geo/map_config.html", data=_map_config, order=0),)
