"""National-standard figures for resources, as data (``data/``) plus small pure functions.

- Shelter capacity = floor(effective area / per-person effective area of its level) (GB 51143-2015,
  GB 21734-2008 5.4), service radius by level.
- Response-time targets for the coverage analysis (建标152-2017 for fire stations).
- The material catalogue shipped for a new district (《应急保障重点物资分类目录（2015年）》 top classes).
"""

from __future__ import annotations

import csv
import math
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class ShelterStandard:
    level: str
    per_person_m2: Decimal
    service_radius_m: int
    min_effective_area_m2: int
    source: str


def _data(name: str) -> str:
    return (resources.files("yingji.resources") / "data" / name).read_text(encoding="utf-8")


@cache
def shelter_standards() -> dict[str, ShelterStandard]:
    rows = csv.DictReader(_data("shelter_standards.csv").splitlines())
    return {
        r["level"]: ShelterStandard(
            r["level"],
            Decimal(r["per_person_m2"]),
            int(r["service_radius_m"]),
            int(r["min_effective_area_m2"]),
            r["source"],
        )
        for r in rows
    }


def shelter_capacity(effective_area_m2: Decimal | float | int, level: str) -> int:
    """People a shelter holds: its effective area divided by the per-person figure of its level, rounded
    down (a part of a person's place shelters no one)."""
    area = Decimal(str(effective_area_m2))
    if area < 0:
        raise ValueError("effective area must not be negative")
    return math.floor(area / shelter_standards()[level].per_person_m2)


def service_radius_m(level: str) -> int:
    return shelter_standards()[level].service_radius_m


@cache
def targets() -> dict[str, dict]:
    return tomllib.loads(_data("response_targets.toml"))


def fire_target_s() -> int:
    return int(targets()["fire"]["travel_time_s"])


def team_target_s() -> int:
    return int(targets()["team"]["travel_time_s"])


def shelter_population_share() -> float:
    return float(targets()["shelter"]["population_share"])


def places_needed(population: int, share: float | None = None) -> int:
    """Shelter places a village needs: its population times the standard's share, rounded up."""
    return math.ceil(population * (shelter_population_share() if share is None else share))


@dataclass(frozen=True)
class CatalogueItem:
    category: str
    subcategory: str
    name: str
    unit: str
    specification: str
    shelf_life_days: int
    reorder_point: Decimal


@cache
def material_catalogue() -> list[CatalogueItem]:
    return [
        CatalogueItem(
            r["category"],
            r["subcategory"],
            r["name"],
            r["unit"],
            r["specification"],
            int(r["shelf_life_days"]),
            Decimal(r["reorder_point"]),
        )
        for r in csv.DictReader(_data("material_catalogue.csv").splitlines())
    ]


def certificate_valid(expiry, today) -> bool:
    """A certificate counts for 持证上岗 while it has not expired (valid through its expiry day)."""
    return expiry is not None and expiry >= today
