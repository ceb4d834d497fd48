"""The year's figures the plan's indicators (专栏1) are computed from, read by the statistics capability
through this service: work-safety accidents (kinds graded by the accident scheme: deaths, 重大 and 特别重大
ones), road-traffic deaths, and the natural disasters' loss, deaths and affected person-times as the last
灾情报告 of each disaster gives them for the district. Drills never count; merged incidents count once (in
the incident they were merged into). Each figure comes with the ids of the incidents it was computed from;
a natural disaster without a report is named apart (its figures are not known, never taken as zero)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from yingji.core.actor import Actor, require
from yingji.core.clock import LOCAL_TZ
from yingji.incidents.models import Incident
from yingji.incidents.report_models import DisasterReport
from yingji.incidents.service.common import read_condition

MAJOR_GRADES = ("I", "II")  # 特别重大, 重大 (国务院令第493号 第三条)


@dataclass
class YearRecords:
    year: int
    work_safety_deaths: int = 0
    work_safety_ids: list[int] = field(default_factory=list)
    major_accidents: int = 0
    major_ids: list[int] = field(default_factory=list)
    road_traffic_deaths: int = 0
    road_traffic_ids: list[int] = field(default_factory=list)
    disaster_loss_yuan: Decimal = Decimal(0)
    disaster_deaths: int = 0
    affected_person_times: int = 0
    disaster_ids: list[int] = field(default_factory=list)  # natural disasters with a report, counted
    unreported_disaster_ids: list[int] = field(default_factory=list)  # natural disasters without one
    drills_left_out: int = 0


def _bounds(year: int) -> tuple[datetime, datetime]:
    return datetime(year, 1, 1, tzinfo=LOCAL_TZ), datetime(year + 1, 1, 1, tzinfo=LOCAL_TZ)


def year_records(*, db: Session, actor: Actor, year: int) -> YearRecords:
    """The figures of one calendar year (Beijing time, by the time the incident occurred)."""
    require(actor, "incidents.read")
    start, end = _bounds(year)
    out = YearRecords(year)
    rows = list(db.scalars(select(Incident).where(
        read_condition(actor), Incident.occurred_at >= start, Incident.occurred_at < end,
        Incident.status != "merged").order_by(Incident.id)))
    natural: list[Incident] = []
    for inc in rows:
        if inc.drill:
            out.drills_left_out += 1
            continue
        if inc.scheme == "accident":
            out.work_safety_deaths += inc.deaths
            out.work_safety_ids.append(inc.id)
            if inc.grade in MAJOR_GRADES:
                out.major_accidents += 1
                out.major_ids.append(inc.id)
            if inc.kind == "road_traffic":
                out.road_traffic_deaths += inc.deaths
                out.road_traffic_ids.append(inc.id)
        elif inc.incident_class == "natural_disaster":
            natural.append(inc)
    last: dict[int, DisasterReport] = {}
    if natural:
        for rep in db.scalars(select(DisasterReport).where(
                DisasterReport.incident_id.in_([n.id for n in natural])).order_by(DisasterReport.number)):
            last[rep.incident_id] = rep  # the latest submitted (核报 after 续报 after 初报)
    for inc in natural:
        rep = last.get(inc.id)
        district = (rep.figures or {}).get("district") if rep else None
        if not district:
            out.unreported_disaster_ids.append(inc.id)
            continue
        out.disaster_ids.append(inc.id)
        out.disaster_loss_yuan += Decimal(district.get("direct_loss_10k_yuan", "0")) * 10_000
        out.disaster_deaths += int(Decimal(district.get("deaths", "0")))
        out.affected_person_times += int(Decimal(district.get("affected_person_times", "0")))
    return out
