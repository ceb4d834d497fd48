"""Incident grading, table-driven (the tables are package data under ``data/``):

- work-safety accidents (and fires, traffic and the other accident kinds) graded I–IV by deaths, serious
  injuries and direct loss, 国务院令第493号 第三条 (``accident_grades.toml``); any one criterion is enough,
  "以上" includes the number;
- 较大涉险事故, 生产安全事故信息报告和处置办法 (令21) 第二十六条, recognised from the figures it names;
- natural disasters: the relief plan's response level from the response triggers (``relief_response_*.toml``;
  a county deployment ships its own plan's thresholds).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path

ACCIDENT_CRITERIA = ("deaths", "serious_injuries", "direct_loss_yuan")
RELIEF_CRITERIA = (
    "deaths_and_missing",
    "relocated_or_needing_relief",
    "collapsed_rooms",
    "collapsed_households",
    "drought_needing_aid",
)


def _data(name: str) -> dict:
    return tomllib.loads(resources.files("yingji.incidents").joinpath("data", name).read_text("utf-8"))


@dataclass(frozen=True)
class IncidentKind:
    code: str
    label: str
    incident_class: str  # natural_disaster | accident | public_health | social_security
    class_label: str
    scheme: str  # accident | natural | none


@cache
def incident_kinds() -> dict[str, IncidentKind]:
    kinds: dict[str, IncidentKind] = {}
    for class_code, block in _data("kinds.toml").items():
        for k in block["kinds"]:
            kinds[k["code"]] = IncidentKind(k["code"], k["label"], class_code, block["label"], k["scheme"])
    return kinds


@dataclass(frozen=True)
class Grading:
    grade: str  # "I" … "IV" for accidents, "1" … "4" for relief response levels, "" when none reached
    label: str
    decided_by: list[str]  # the criteria whose figures reach that grade ([] for 一般 / no response)
    by_criterion: dict[str, str]
    basis: str
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Band:
    grade: str
    label: str
    bounds: dict[str, Decimal]


@cache
def accident_bands() -> tuple[str, tuple[_Band, ...]]:
    data = _data("accident_grades.toml")
    bands = tuple(
        _Band(row["grade"], row["label"], {c: Decimal(str(row[c])) for c in ACCIDENT_CRITERIA}) for row in data["grade"]
    )
    return data["basis"], bands


def _grade_of(value: Decimal, criterion: str, bands: tuple[_Band, ...]) -> _Band:
    """The highest band whose lower bound (inclusive) the value reaches; bands run from highest to lowest."""
    for band in bands:
        if value >= band.bounds[criterion]:
            return band
    return bands[-1]


def grade_accident(*, deaths: int, serious_injuries: int, direct_loss_yuan: Decimal | int) -> Grading:
    """令493 第三条: the grade is the highest any one criterion reaches."""
    basis, bands = accident_bands()
    figures = {
        "deaths": Decimal(deaths),
        "serious_injuries": Decimal(serious_injuries),
        "direct_loss_yuan": Decimal(direct_loss_yuan),
    }
    per = {c: _grade_of(v, c, bands) for c, v in figures.items()}
    rank = {b.grade: i for i, b in enumerate(bands)}
    top = min(per.values(), key=lambda b: rank[b.grade])
    lowest = bands[-1]
    decided_by = [] if top is lowest else [c for c in ACCIDENT_CRITERIA if per[c] is top]
    return Grading(top.grade, top.label, decided_by, {c: b.grade for c, b in per.items()}, basis)


def is_major_near_miss(
    *,
    at_risk_people: int = 0,
    trapped_or_missing: int = 0,
    evacuated: int = 0,
    sensitive_environment_polluted: bool = False,
    key_facility_endangered: bool = False,
) -> list[str]:
    """令21 第二十六条 较大涉险事故: the reasons met (empty when it is not one). Thresholds are inclusive."""
    reasons = []
    if at_risk_people >= 10:
        reasons.append("涉险10人以上")
    if trapped_or_missing >= 3:
        reasons.append("造成3人以上被困或者下落不明")
    if evacuated >= 500:
        reasons.append("紧急疏散人员500人以上")
    if sensitive_environment_polluted:
        reasons.append("对环境（饮用水源、自然保护区等）造成严重污染")
    if key_facility_endangered:
        reasons.append("危及重要场所和设施安全")
    return reasons


@dataclass(frozen=True)
class ReliefTable:
    basis: str
    scope: str
    levels: tuple[_Band, ...]  # highest first


def load_relief_table(path: Path | None = None) -> ReliefTable:
    data = tomllib.loads(path.read_text("utf-8")) if path else _data("relief_response_national.toml")
    levels = tuple(
        _Band(row["level"], row["label"], {c: Decimal(str(row[c])) for c in RELIEF_CRITERIA if c in row})
        for row in data["level"]
    )
    return ReliefTable(data["basis"], data.get("scope", ""), levels)


def relief_response(table: ReliefTable, figures: dict[str, int]) -> Grading:
    """The response level the figures trigger (any one criterion, bounds inclusive); "" when none."""
    notes = [f"适用范围：{table.scope}"] if table.scope else []
    per: dict[str, str] = {}
    reached: dict[str, _Band] = {}
    for criterion in RELIEF_CRITERIA:
        value = Decimal(figures.get(criterion, 0))
        band = next((b for b in table.levels if criterion in b.bounds and value >= b.bounds[criterion]), None)
        per[criterion] = band.grade if band else ""
        if band:
            reached[criterion] = band
    if not reached:
        return Grading("", "未达到响应启动条件", [], per, table.basis, notes)
    order = {b.grade: i for i, b in enumerate(table.levels)}
    top = min(reached.values(), key=lambda b: order[b.grade])
    decided_by = [c for c, b in reached.items() if b is top]
    return Grading(top.grade, top.label, decided_by, per, table.basis, notes)
