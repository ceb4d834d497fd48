"""The six indicators of 专栏1 (and road-traffic deaths per 10,000 vehicles) per year, computed from the
platform's own records, read through the incidents service (drills never count), and the yearly inputs the
platform does not own. Every figure keeps the ids of the incidents it was computed from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from yingji.core.actor import Actor, require
from yingji.incidents import service as incidents_service
from yingji.stats.indicators import IndicatorValue, YearFigures, compute, definitions
from yingji.stats.service.common import period_years
from yingji.stats.service.inputs import inputs_by_year

# Which record figures each indicator is computed from (the ids behind them) and the inputs it needs.
RECORDS = {
    "work_safety_deaths": ("work_safety",),
    "major_accidents": ("major",),
    "deaths_per_100m_gdp": ("work_safety",),
    "disaster_loss_share_of_gdp": ("disaster",),
    "disaster_deaths_per_million": ("disaster",),
    "affected_per_100k": ("disaster",),
    "road_deaths_per_10k_vehicles": ("road_traffic",),
}
FIGURE_LABELS = {
    "work_safety": "生产安全事故", "major": "重大及以上生产安全事故", "road_traffic": "道路交通事故",
    "disaster": "自然灾害（按最后一次灾情报告）",
}
INPUT_LABELS = {"gdp_yuan": "地区生产总值", "population": "常住人口", "vehicles": "机动车保有量",
                "work_safety_deaths": "生产安全事故死亡人数", "major_accidents": "重大及以上事故起数",
                "road_traffic_deaths": "道路交通事故死亡人数", "disaster_loss_yuan": "自然灾害直接经济损失",
                "disaster_deaths": "因灾死亡人数", "affected_person_times": "受灾人次"}


@dataclass
class Year:
    figures: YearFigures
    records: incidents_service.YearRecords
    is_demo: bool = False
    source: str = ""
    ids: dict[str, list[int]] = field(default_factory=dict)


def year(*, db: Session, actor: Actor, year: int, inputs: dict[int, Any] | None = None) -> Year:
    require(actor, "stats.read")
    inp = (inputs if inputs is not None else inputs_by_year(db)).get(year)
    if not actor.can("incidents.read"):  # the records are not the actor's to read: the figures are unknown
        rec = incidents_service.YearRecords(year)
        f = YearFigures(year=year, gdp_yuan=inp.gdp_yuan if inp else None,
                        population=inp.population if inp else None, vehicles=inp.vehicles if inp else None)
        return Year(f, rec, bool(inp and inp.is_demo), inp.source if inp else "", {})
    rec = incidents_service.year_records(db=db, actor=actor, year=year)
    f = YearFigures(
        year=year, work_safety_deaths=rec.work_safety_deaths, major_accidents=rec.major_accidents,
        road_traffic_deaths=rec.road_traffic_deaths, disaster_loss_yuan=rec.disaster_loss_yuan,
        disaster_deaths=rec.disaster_deaths, affected_person_times=rec.affected_person_times,
        gdp_yuan=inp.gdp_yuan if inp else None, population=inp.population if inp else None,
        vehicles=inp.vehicles if inp else None)
    if rec.unreported_disaster_ids:  # a disaster without a report: its figures are not known
        f = YearFigures(**{**f.__dict__, "disaster_loss_yuan": None, "disaster_deaths": None,
                           "affected_person_times": None})
    ids = {"work_safety": rec.work_safety_ids, "major": rec.major_ids, "road_traffic": rec.road_traffic_ids,
           "disaster": rec.disaster_ids + rec.unreported_disaster_ids}
    return Year(f, rec, bool(inp and inp.is_demo), inp.source if inp else "", ids)


@dataclass
class IndicatorRow:
    code: str
    value: IndicatorValue
    links: dict[int, list[str]]  # year → the record figures behind the year's value ("work_safety", …)

    @property
    def definition(self):
        return self.value.definition


def indicators(*, db: Session, actor: Actor, until: int | None = None) -> tuple[list[IndicatorRow], list[Year]]:
    """Every indicator over the plan's years up to ``until``: the last year's value, or the mean for the
    "年均" ones, with each year's value and what is missing."""
    require(actor, "stats.read")
    inputs = inputs_by_year(db)
    years = [year(db=db, actor=actor, year=y, inputs=inputs) for y in period_years(until)]
    rows = [IndicatorRow(code, compute(code, [y.figures for y in years]),
                         {y.figures.year: list(RECORDS[code]) for y in years}) for code in definitions()]
    return rows, years


def missing_label(item: str) -> str:
    """“2023年gdp_yuan” → “2023年地区生产总值”."""
    for key, label in INPUT_LABELS.items():
        if item.endswith(key):
            return item[: -len(key)] + label
    return item


def records(*, db: Session, actor: Actor, year_: int, figure: str) -> list[Any]:
    """The incidents a figure of a year was computed from (each readable by the actor: the service checks)."""
    require(actor, "stats.read")
    y = year(db=db, actor=actor, year=year_)
    ids = y.ids.get(figure)
    if ids is None:
        from yingji.core.errors import invalid

        raise invalid("figure", "可选：" + "、".join(FIGURE_LABELS))
    return [incidents_service.get_incident(db=db, actor=actor, incident_id=i) for i in ids[:500]]
