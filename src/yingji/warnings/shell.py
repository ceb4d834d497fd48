"""预警发布 in the shell: menu entry, dashboard card, map layer, and the warnings in force on a village's
page."""

from __future__ import annotations

from typing import Any

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
