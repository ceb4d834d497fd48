"""应急资源 in the shell: menu entry, dashboard card, map layers, and on a village's page the nearest
shelters and rescue teams with their phone numbers."""

from __future__ import annotations

from typing import Any

from yingji.core.errors import DomainError
from yingji.core.pagination import PageParams
from yingji.core.rates import RateProvider, RateValue
from yingji.resources import service
from yingji.web.shell import Card, MapLayer, NavEntry, VillagePanel


def _nearest(db, user, kind: str, lon: float, lat: float) -> list[dict]:
    try:
        return service.nearest(db=db, actor=user, lon=lon, lat=lat, kind=kind, k=3)["items"]
    except DomainError:
        return []  # no road graph yet: the page still shows the rest


def _village(db, user, village) -> dict[str, Any]:
    shelters = teams = []
    if user.can("resources.read") and village.centroid_lon is not None:
        shelters = _nearest(db, user, "shelter", village.centroid_lon, village.centroid_lat)
        teams = _nearest(db, user, "team", village.centroid_lon, village.centroid_lat)
    return {"shelters": shelters, "teams": teams}


MENU = (NavEntry("resources", "应急资源", "/resources", "救援队伍、专家、物资储备库、避难场所", order=70),)
CARDS = (Card("resources/dashboard_cards.html", permission="resources.read"),)
MAP_LAYERS = (MapLayer("resources/map_layers.html", permission="resources.read"),)
VILLAGE_PANELS = (VillagePanel("resources/_village.html", _village, order=30),)


def _certified(db, user, year):
    f = service.certification(db=db, actor=user)
    return RateValue(f["rate"] if f["members"] else None, f["certified"], f["members"], "人", "/resources/teams")


def _fire_stations(db, user) -> list:
    rows, _ = service.list_teams(db=db, actor=user, page=PageParams(page_size=500), kind="fire_station")
    return rows


def _stations(station_class: str):
    def compute(db, user, year):
        rows = _fire_stations(db, user)
        built = sum(1 for t in rows if t.station_class == station_class and not t.planned)
        planned = sum(1 for t in rows if t.station_class == station_class and t.planned)
        return RateValue(None, built, None, "座", "/resources/teams?kind=fire_station", f"另有规划站点 {planned} 座")
    return compute


def _logistics_stations(db, user, year):
    """专栏11.1 战勤保障消防站建成率: of the logistics stations the register holds, built or planned, those in
    service. None when the register holds none: the plan's denominator is not on record."""
    stations = [t for t in _fire_stations(db, user) if t.station_class == "logistics"]
    built = sum(1 for t in stations if not t.planned)
    return RateValue(built / len(stations) if stations else None, built, len(stations), "座",
                     "/resources/teams?kind=fire_station", "登记的战勤保障消防站（在用与规划）中已建成在用的比例")


def _regional_warehouses(db, user, year):
    n = sum(1 for w in service.list_warehouses(db=db, actor=user) if w.level == "district")
    return RateValue(None, n, None, "个", "/resources/warehouses", "区级（区域性）储备库")


RATES = (
    RateProvider("resources.rescue_certified", "救援队伍队员持证上岗率", 1.0, "resources.read", _certified,
                 source="/resources/teams"),
    RateProvider("resources.logistics_stations", "战勤保障消防站建成率", 0.9, "resources.read", _logistics_stations,
                 source="/resources/teams?kind=fire_station"),
    # Counts for the plan's tasks (progress computed from the register), not rates.
    RateProvider("resources.fire_stations_level1", "在用一级消防站", None, "resources.read", _stations("level1"),
                 kind="count"),
    RateProvider("resources.fire_stations_small", "在用小型消防站", None, "resources.read", _stations("small"),
                 kind="count"),
    RateProvider("resources.regional_warehouses", "区域性应急救援物资储备库", None, "resources.read",
                 _regional_warehouses, kind="count"),
)
