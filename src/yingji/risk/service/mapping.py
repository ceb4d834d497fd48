"""The four-colour map: risk points, enterprises and major hazard sources as GeoJSON coloured 红橙黄蓝,
filtered by industry and township, and each grid cell with the highest level found inside it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yingji.core.actor import Actor, path_within, require, scope_condition
from yingji.core.clock import utcnow
from yingji.geo import service as geo_service
from yingji.risk import standards
from yingji.risk.enums import LEVEL_RANK, MAJOR_GRADE_LABELS, UNRECTIFIED_STATUSES, RiskLevel
from yingji.risk.models import Hazard, MajorHazardSource, RiskPoint
from yingji.risk.service.supervision import enterprise_risks

# The tables the layers below read (the enterprises of the registry, the township filter's and the grid's
# regions): a write of any of them rebuilds the layers (``web.layers.layer_response``).
READS = ("risk_points", "risk_major_hazards", "risk_hazards", "enterprises", "regions")


def seconds_to_next_deadline(db: Session) -> float | None:
    """Until the next rectification deadline of an unrectified hazard passes (it then counts as 逾期), in
    any scope: the enterprises layer holds no longer than that."""
    now = utcnow()
    deadline = db.scalar(select(func.min(Hazard.deadline)).where(
        Hazard.status.in_([s.value for s in UNRECTIFIED_STATUSES]), Hazard.deadline >= now))
    if deadline is None:
        return None
    if deadline.tzinfo is None:  # a naive value is UTC
        deadline = deadline.replace(tzinfo=now.tzinfo)
    return max((deadline - now).total_seconds(), 0.0)


def _feature(lon: float | None, lat: float | None, props: dict[str, Any]) -> dict[str, Any] | None:
    if lon is None or lat is None:
        return None
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": props}


def _collection(features: list[dict | None]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": [f for f in features if f]}


def _township_path(db: Session, township_code: str | None) -> str | None:
    return geo_service.region_info(db=db, code=township_code).path if township_code else None


def _industry_enterprises(db: Session, actor: Actor, industry: str | None, township_code: str | None) -> set | None:
    """The enterprise ids of ``industry`` (None: no industry filter)."""
    if not industry:
        return None
    return {
        r.enterprise_id for r in enterprise_risks(db=db, actor=actor, industry=industry, township_code=township_code)
    }


def enterprises_layer(*, db: Session, actor: Actor, industry: str | None = None, township_code: str | None = None):
    rows = enterprise_risks(db=db, actor=actor, industry=industry, township_code=township_code)
    return _collection(
        [
            _feature(
                r.lon,
                r.lat,
                {
                    "kind": "enterprise",
                    "id": r.enterprise_id,
                    "name": r.name,
                    "industry": r.industry,
                    "level": r.level,
                    "open_hazards": r.open_hazards,
                    "overdue": r.overdue,
                    "inspections_per_year": r.inspections_per_year,
                },
            )
            for r in rows
            if r.level
        ]
    )


def points_layer(*, db: Session, actor: Actor, industry: str | None = None, township_code: str | None = None):
    require(actor, "risk.read")
    q = select(RiskPoint).where(scope_condition(actor, RiskPoint.region_path, RiskPoint.enterprise_id))
    town = _township_path(db, township_code)
    if town:
        q = q.where(path_within(RiskPoint.region_path, town))
    allowed = _industry_enterprises(db, actor, industry, township_code)
    features = []
    for p in db.scalars(q.order_by(RiskPoint.level_rank, RiskPoint.id)):
        if allowed is not None and p.enterprise_id not in allowed:
            continue
        features.append(
            _feature(
                p.lon,
                p.lat,
                {
                    "kind": "point",
                    "id": p.id,
                    "name": p.name,
                    "enterprise_id": p.enterprise_id,
                    "place": p.place_name,
                    "level": p.level,
                    "reason": p.reason,
                },
            )
        )
    return _collection(features)


def major_hazards_layer(*, db: Session, actor: Actor, industry: str | None = None, township_code: str | None = None):
    require(actor, "risk.read")
    q = select(MajorHazardSource).where(
        scope_condition(actor, MajorHazardSource.region_path, MajorHazardSource.enterprise_id),
        MajorHazardSource.is_major.is_(True),
    )
    town = _township_path(db, township_code)
    if town:
        q = q.where(path_within(MajorHazardSource.region_path, town))
    allowed = _industry_enterprises(db, actor, industry, township_code)
    return _collection(
        [
            _feature(
                m.lon,
                m.lat,
                {
                    "kind": "major_hazard",
                    "id": m.id,
                    "name": m.name,
                    "enterprise_id": m.enterprise_id,
                    "grade": m.grade,
                    "grade_label": MAJOR_GRADE_LABELS.get(m.grade or 0, ""),
                    "level": standards.MAJOR_GRADE_FLOOR[m.grade].value if m.grade else None,
                    "R": m.r_value,
                },
            )
            for m in db.scalars(q)
            if allowed is None or m.enterprise_id in allowed
        ]
    )


def grid_rollup(*, db: Session, actor: Actor, industry: str | None = None, township_code: str | None = None):
    """Every grid cell (the finest region level) with the highest level of the risk points, enterprises
    and major hazard sources located in it; cells with nothing graded are left out."""
    layers = [
        points_layer(db=db, actor=actor, industry=industry, township_code=township_code),
        enterprises_layer(db=db, actor=actor, industry=industry, township_code=township_code),
        major_hazards_layer(db=db, actor=actor, industry=industry, township_code=township_code),
    ]
    graded = [f for layer in layers for f in layer["features"] if f["properties"].get("level")]
    codes = geo_service.cell_codes(db=db, points=[tuple(f["geometry"]["coordinates"]) for f in graded], level="grid")
    best: dict[str, tuple[int, int]] = {}
    for f, code in zip(graded, codes, strict=True):
        if code is not None:
            rank, count = best.get(code, (0, 0))
            best[code] = (max(rank, LEVEL_RANK[RiskLevel(f["properties"]["level"])]), count + 1)
    cells = geo_service.boundaries(db=db, level="grid")
    ranks = {v: k for k, v in LEVEL_RANK.items()}
    features = []
    for f in cells["features"]:
        code = f["properties"]["code"]
        if code in best:
            rank, count = best[code]
            features.append({**f, "properties": {**f["properties"], "level": ranks[rank].value, "count": count}})
    return {"type": "FeatureCollection", "features": features}
