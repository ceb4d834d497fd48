"""应急资源 in the shell: menu entry, dashboard card, map layers, and on a village's page the nearest
shelters and rescue teams with their phone numbers."""

from __future__ import annotations

from typing import Any

from yingji.core.errors import DomainError
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
