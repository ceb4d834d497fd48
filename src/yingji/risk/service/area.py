"""Risk points and major hazard sources inside a box, for another capability's area analysis (the
incidents' impact estimate tests the exact area itself)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from yingji.risk.enums import LEVEL_LABELS
from yingji.risk.models import MajorHazardSource, RiskPoint

GRADE_LABELS = {1: "一级", 2: "二级", 3: "三级", 4: "四级"}  # GB 18218-2018 表6


@dataclass(frozen=True)
class PlacedRisk:
    id: int
    name: str
    level: str  # risk points: red…blue; major hazard sources: "1"–"4" (一级–四级)
    label: str
    enterprise_id: int | None
    lon: float
    lat: float


def risks_in_bbox(*, db: Session, bbox: tuple[float, float, float, float]) -> dict[str, list[PlacedRisk]]:
    """``{"risk_points": [...], "major_hazards": [...]}`` with a place inside the box; only assessed
    major hazard sources (``is_major``) count as such."""
    minx, miny, maxx, maxy = bbox
    points = db.scalars(select(RiskPoint).where(RiskPoint.lon.between(minx, maxx), RiskPoint.lat.between(miny, maxy))
                        .order_by(RiskPoint.id))
    hazards = db.scalars(select(MajorHazardSource).where(
        MajorHazardSource.is_major.is_(True), MajorHazardSource.lon.between(minx, maxx),
        MajorHazardSource.lat.between(miny, maxy)).order_by(MajorHazardSource.id))
    return {
        "risk_points": [PlacedRisk(p.id, p.name, p.level, str(LEVEL_LABELS.get(p.level, p.level)), p.enterprise_id,
                                   p.lon or 0.0, p.lat or 0.0) for p in points],
        "major_hazards": [PlacedRisk(h.id, h.name, str(h.grade or ""), GRADE_LABELS.get(h.grade or 0, ""),
                                     h.enterprise_id, h.lon or 0.0, h.lat or 0.0) for h in hazards],
    }
