"""风险防控 in the shell: menu entry, dashboard card, map layers, on a village's page its open hazards and
the public reports waiting to be checked, and the plan's rate it computes (事故隐患整改率)."""

from __future__ import annotations

from typing import Any

from yingji.core.pagination import PageParams
from yingji.core.rates import RateProvider, RateValue
from yingji.risk.enums import HAZARD_STATUS_LABELS
from yingji.risk.service import hazards as hazard_service
from yingji.risk.service import reports as report_service
from yingji.risk.service import supervision
from yingji.web.shell import Card, MapLayer, NavEntry, VillagePanel

CLOSED = ("closed", "rejected")


def _village(db, user, village) -> dict[str, Any]:
    hazards, reports = [], []
    if user.can("risk.read"):
        rows, _ = hazard_service.list_hazards(
            db=db, actor=user, page=PageParams(page_size=100), region_path=village.path
        )
        hazards = [h for h in rows if h.status not in CLOSED]
        reports = report_service.pending_in_scope(db=db, actor=user, region_path=village.path)
    return {"hazards": hazards, "hazard_status": HAZARD_STATUS_LABELS, "reports": reports}


MENU = (NavEntry("risk", "风险防控", "/risk", "风险分级、重大危险源、隐患排查治理（双重预防）", order=30),)
CARDS = (Card("risk/dashboard_cards.html", permission="risk.read"),)
MAP_LAYERS = (MapLayer("risk/map_layers.html", permission="risk.read"),)
VILLAGE_PANELS = (VillagePanel("risk/_village.html", _village, order=20),)


def _rectification(db, user, year):
    done, found = supervision.rectification(db=db, actor=user, year=year)
    return RateValue(done / found if found else None, done, found, "项", "/risk/hazards",
                     "确认的隐患中已整改（含待验收、已验收、已销号）的比例，按发现年份")


RATES = (RateProvider("risk.rectification", "事故隐患整改率", 1.0, "risk.read", _rectification, years=True,
                      source="/risk/hazards"),)
