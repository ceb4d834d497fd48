"""The plan's indicators (专栏1) computed from a year's figures, with missing inputs kept missing.

Figures come from the platform's records (accidents, disasters: drills never count) and from the yearly
inputs it does not own (regional GDP, resident population, registered vehicles). A figure that is not known
is ``None`` and every indicator that needs it is missing, with the names of what is missing — never zero.
The "年均" indicators are the mean of the yearly values over the years asked for; one missing year makes
the mean missing too (its years are still shown one by one).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from importlib import resources

YI = Decimal(100_000_000)  # 亿元


@dataclass(frozen=True)
class YearFigures:
    year: int
    work_safety_deaths: int | None = None
    major_accidents: int | None = None  # 重大 and 特别重大
    road_traffic_deaths: int | None = None
    disaster_loss_yuan: Decimal | None = None
    disaster_deaths: int | None = None  # 因灾死亡 (missing people are not counted here)
    affected_person_times: int | None = None  # 受灾人次
    gdp_yuan: Decimal | None = None  # regional GDP (yearly input)
    population: int | None = None  # resident population (yearly input)
    vehicles: int | None = None  # registered motor vehicles (yearly input)


@dataclass(frozen=True)
class Definition:
    code: str
    label: str
    kind: str
    unit: str
    base: Decimal
    target: Decimal | None
    comparison: str
    average: bool
    note: str


@dataclass(frozen=True)
class IndicatorValue:
    definition: Definition
    value: Decimal | None
    missing: list[str] = field(default_factory=list)  # inputs that are not known
    by_year: dict[int, Decimal | None] = field(default_factory=dict)

    @property
    def met(self) -> bool | None:
        d = self.definition
        if self.value is None or d.target is None or d.comparison == "none":
            return None
        return self.value <= d.target if d.comparison == "le" else self.value == d.target


@cache
def definitions() -> dict[str, Definition]:
    data = tomllib.loads(resources.files("yingji.stats").joinpath("data", "indicators.toml").read_text("utf-8"))
    return {
        r["code"]: Definition(r["code"], r["label"], r["kind"], r["unit"], Decimal(str(r["base"])),
                              Decimal(str(r["target"])) if "target" in r else None, r["comparison"],
                              bool(r.get("average", False)), r.get("note", ""))
        for r in data["indicator"]
    }


def _need(f: YearFigures, *names: str) -> list[str]:
    return [n for n in names if getattr(f, n) is None]


def _yearly(code: str, f: YearFigures) -> tuple[Decimal | None, list[str]]:
    """One year's value of an indicator, or None with the missing inputs."""
    needs = {
        "work_safety_deaths": ("work_safety_deaths",),
        "major_accidents": ("major_accidents",),
        "deaths_per_100m_gdp": ("work_safety_deaths", "gdp_yuan"),
        "disaster_loss_share_of_gdp": ("disaster_loss_yuan", "gdp_yuan"),
        "disaster_deaths_per_million": ("disaster_deaths", "population"),
        "affected_per_100k": ("affected_person_times", "population"),
        "road_deaths_per_10k_vehicles": ("road_traffic_deaths", "vehicles"),
    }[code]
    missing = _need(f, *needs)
    if missing:
        return None, missing
    if code in ("work_safety_deaths", "major_accidents"):
        return Decimal(getattr(f, code)), []
    if (code in ("deaths_per_100m_gdp", "disaster_loss_share_of_gdp") and not f.gdp_yuan) or \
            (code in ("disaster_deaths_per_million", "affected_per_100k") and not f.population) or \
            (code == "road_deaths_per_10k_vehicles" and not f.vehicles):
        return None, [needs[1]]  # a zero denominator is a missing input, not an infinite rate
    if code == "deaths_per_100m_gdp":
        return Decimal(f.work_safety_deaths) / (f.gdp_yuan / YI), []
    if code == "disaster_loss_share_of_gdp":
        return Decimal(f.disaster_loss_yuan) / f.gdp_yuan * 100, []
    if code == "disaster_deaths_per_million":
        return Decimal(f.disaster_deaths) / f.population * 1_000_000, []
    if code == "affected_per_100k":
        return Decimal(f.affected_person_times) / f.population * 100_000, []
    return Decimal(f.road_traffic_deaths) / f.vehicles * 10_000, []


def compute(code: str, years: list[YearFigures]) -> IndicatorValue:
    """The indicator over ``years``: the last year's value, or the mean of the years for "年均" ones."""
    d = definitions()[code]
    by_year: dict[int, Decimal | None] = {}
    missing: list[str] = []
    for f in sorted(years, key=lambda y: y.year):
        value, lacking = _yearly(code, f)
        by_year[f.year] = value
        missing += [f"{f.year}年{name}" for name in lacking]
    if not years:
        return IndicatorValue(d, None, ["没有数据"], by_year)
    if d.average:
        value = None if missing else sum(by_year.values(), Decimal(0)) / len(by_year)
    else:
        value = by_year[max(by_year)]
        missing = [m for m in missing if m.startswith(f"{max(by_year)}年")]
    return IndicatorValue(d, value, missing, by_year)


def rounded(value: Decimal | None, places: int = 4) -> Decimal | None:
    return None if value is None else value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
