"""Risk zoning per village as pure functions over data (``data/zoning.toml``): hazard × exposure ×
vulnerability as a weighted sum of three 1–4 scores per hazard category, a level per category and the
highest as the village's combined level."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

LEVEL_ORDER = ("blue", "yellow", "orange", "red")


@cache
def method() -> dict[str, Any]:
    return tomllib.loads(resources.files("yingji.natural").joinpath("data", "zoning.toml").read_text("utf-8"))


@dataclass(frozen=True)
class PointFacts:
    category: str
    danger_grade: str | None
    fire_danger_level: int | None
    people: int
    monitored: bool


@dataclass(frozen=True)
class CategoryRisk:
    category: str
    hazard: int
    exposure: int
    vulnerability: int
    score: float
    level: str


def _stepped(value: float, breaks: list[float]) -> int:
    return 1 + sum(1 for b in breaks if value >= b)


def _hazard(category: str, facts: list[PointFacts], m: dict[str, Any]) -> int:
    spec = m["hazard"].get(category, 1)
    if not isinstance(spec, dict):
        return int(spec)
    key = "danger_grade" if category == "geological" else "fire_danger_level"
    scores = [int(spec.get(str(getattr(f, key)), 1)) for f in facts if getattr(f, key) is not None]
    return max(scores, default=1)


def level_of(score: float, m: dict[str, Any] | None = None) -> str:
    m = m or method()
    for level in ("red", "orange", "yellow"):
        if score >= m["levels"][level]:
            return level
    return "blue"


def village_risk(facts: list[PointFacts], *, population: int, m: dict[str, Any] | None = None
                 ) -> tuple[list[CategoryRisk], str | None]:
    """Per category present in ``facts``, its risk; and the combined level (None: no points)."""
    m = m or method()
    w = m["weights"]
    out = []
    for category in sorted({f.category for f in facts}):
        mine = [f for f in facts if f.category == category]
        h = _hazard(category, mine, m)
        per_1000 = sum(f.people for f in mine) * 1000 / population if population > 0 else 0.0
        e = _stepped(per_1000, m["exposure"]["breaks"])
        v = _stepped(sum(1 for f in mine if not f.monitored) / len(mine), m["vulnerability"]["breaks"])
        score = round(w["hazard"] * h + w["exposure"] * e + w["vulnerability"] * v, 4)
        out.append(CategoryRisk(category, h, e, v, score, level_of(score, m)))
    combined = max((r.level for r in out), key=LEVEL_ORDER.index, default=None)
    return out, combined


def _category_risk(category: str, mine: list[PointFacts], e: int, v: int, m: dict[str, Any]) -> CategoryRisk:
    w = m["weights"]
    h = _hazard(category, mine, m)
    score = round(w["hazard"] * h + w["exposure"] * e + w["vulnerability"] * v, 4)
    return CategoryRisk(category, h, e, v, score, level_of(score, m))


def cell_risk(facts: list[PointFacts], *, residents: int | None, sensitive: int = 0, capacity_near: bool = False,
              m: dict[str, Any] | None = None) -> tuple[list[CategoryRisk], str | None]:
    """One grid cell: per category of the points meeting it, risk from H (as per village), E from the
    cell's residents (None: no census data there, the points' threatened people count) raised a step by a
    school or hospital, V from the unmonitored share lowered a step by a capacity site near; and the
    combined (highest) level."""
    m = m or method()
    g = m["grid"]
    out = []
    for category in sorted({f.category for f in facts}):
        mine = [f for f in facts if f.category == category]
        people = residents if residents is not None else sum(f.people for f in mine)
        e = min(4, _stepped(people, g["exposure_breaks"]) + (1 if sensitive else 0))
        v = _stepped(sum(1 for f in mine if not f.monitored) / len(mine), m["vulnerability"]["breaks"])
        v = max(1, v - (1 if capacity_near else 0))
        out.append(_category_risk(category, mine, e, v, m))
    combined = max((r.level for r in out), key=LEVEL_ORDER.index, default=None)
    return out, combined
