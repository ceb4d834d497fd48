"""基础数据 in the shell: its menu entry and the dashboard's enterprise figure and chart by industry."""

from __future__ import annotations

from typing import Any

from yingji.registry import service
from yingji.registry.service import INDUSTRY_LABELS
from yingji.web.shell import Card, NavEntry


def _industries(request, db, user) -> dict[str, Any]:
    industries = service.enterprise_counts_by_industry(db=db, actor=user)
    rows = ({"name": INDUSTRY_LABELS.get(k, k), "value": v} for k, v in industries.items())
    return {"enterprises": sum(industries.values()), "charts": {"industries": sorted(rows, key=lambda d: -d["value"])}}


MENU = (NavEntry("registry", "基础数据", "/registry/enterprises", "部门、企业、人员", order=120),)
CARDS = (
    Card("registry/dashboard_stats.html", data=_industries, place="stats", order=20, reads=("enterprises",)),
    Card("registry/dashboard_chart.html", data=_industries, order=10, reads=("enterprises",)),
)
