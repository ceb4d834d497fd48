"""The coverage figures of issue 16 point 6, each with the link to its records: 群测群防 coverage
(geological points in service with at least one monitor / all of them, target 100 %), forest-fire
monitoring coverage (forest area within the range of cameras, lookouts and patrol routes / forest area,
target ≥ 90 %, the uncovered part drawn), and points relocated or treated per year."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from yingji.core.actor import Actor, require, scope_condition
from yingji.core.clock import to_local
from yingji.natural.coverage import forest_coverage
from yingji.natural.models import FireWatch, HazardPoint, Monitor

IN_SERVICE = ("monitored", "treating")
COMMUNITY_TARGET = 1.0
FOREST_TARGET = 0.9


def community_coverage(*, db: Session, actor: Actor) -> dict[str, Any]:
    require(actor, "natural.read")
    ids = list(db.scalars(select(HazardPoint.id).where(
        scope_condition(actor, HazardPoint.region_path), HazardPoint.category == "geological",
        HazardPoint.status.in_(IN_SERVICE))))
    watched = set(db.scalars(select(Monitor.point_id).where(Monitor.point_id.in_(ids)))) if ids else set()
    total, covered = len(ids), len(watched)
    return {"points": total, "with_monitor": covered, "rate": covered / total if total else None,
            "target": COMMUNITY_TARGET, "unwatched_ids": sorted(set(ids) - watched),
            "link": "/natural?category=geological&monitored=no"}


def fire_coverage(*, db: Session, actor: Actor) -> dict[str, Any]:
    require(actor, "natural.read")
    forests = [p.outline for p in db.scalars(select(HazardPoint).where(
        scope_condition(actor, HazardPoint.region_path), HazardPoint.category == "forest_fire",
        HazardPoint.status != "removed")) if p.outline]
    watches = [(w.geometry, w.range_m) for w in db.scalars(select(FireWatch).where(
        scope_condition(actor, FireWatch.region_path)))]
    result, uncovered = forest_coverage(forests, watches)
    return {"forest_m2": round(result.forest_m2), "covered_m2": round(result.covered_m2), "rate": result.rate,
            "target": FOREST_TARGET, "watches": len(watches), "uncovered": uncovered,
            "link": "/natural?category=forest_fire"}


def treated_per_year(*, db: Session, actor: Actor) -> list[dict[str, Any]]:
    """Points whose status is relocated (搬迁避让) or being treated (工程治理), by the year of that change."""
    require(actor, "natural.read")
    out: dict[int, dict[str, int]] = {}
    for status, at in db.execute(select(HazardPoint.status, HazardPoint.updated_at).where(
            scope_condition(actor, HazardPoint.region_path), HazardPoint.status.in_(("relocated", "treating")))):
        year = to_local(at).year
        out.setdefault(year, {"relocated": 0, "treating": 0})[status] += 1
    return [{"year": y, **v} for y, v in sorted(out.items())]


def watch_layer(*, db: Session, actor: Actor) -> dict[str, Any]:
    require(actor, "natural.read")
    rows = db.scalars(select(FireWatch).where(scope_condition(actor, FireWatch.region_path)))
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": w.geometry,
         "properties": {"id": w.id, "name": w.name, "kind": w.kind, "range_m": w.range_m}} for w in rows]}


def zoning(*, db: Session, actor: Actor) -> dict[str, Any]:
    """Each village (in the actor's scope) with points: its risk per hazard category and combined level,
    as GeoJSON of the village boundaries (the 一张图 zoning layer and its export)."""
    from yingji.geo import service as geo_service
    from yingji.natural.service.census import village_population
    from yingji.natural.zoning import PointFacts, village_risk

    require(actor, "natural.read")
    rows = db.scalars(select(HazardPoint).where(scope_condition(actor, HazardPoint.region_path),
                                                HazardPoint.status.in_(IN_SERVICE))).all()
    watched = set(db.scalars(select(Monitor.point_id).where(Monitor.point_id.in_([p.id for p in rows])))) \
        if rows else set()
    by_village: dict[str, list[PointFacts]] = {}
    for p in rows:
        by_village.setdefault(p.village_code, []).append(PointFacts(
            p.category, p.danger_grade, p.fire_danger_level, p.people, p.id in watched))
    census = village_population(db=db)  # the census figure, where the census gave one
    features = []
    for f in geo_service.boundaries(db=db, level="village")["features"]:
        facts = by_village.get(f["properties"]["code"])
        if not facts:
            continue
        population = census.get(f["properties"]["code"], f["properties"]["population"] or 0)
        risks, combined = village_risk(facts, population=population)
        features.append({"type": "Feature", "geometry": f["geometry"], "properties": {
            "code": f["properties"]["code"], "name": f["properties"]["name"], "level": combined,
            "points": len(facts), "population": population,
            "population_source": "census" if f["properties"]["code"] in census else "regions",
            "categories": [{"category": r.category, "hazard": r.hazard, "exposure": r.exposure,
                            "vulnerability": r.vulnerability, "score": r.score, "level": r.level} for r in risks]}})
    return {"type": "FeatureCollection", "features": features}
