"""Consistency checks of a natural-disaster report (灾情报告: 初报 / 续报 / 核报) with the core indicators of
the natural-disaster statistics system (cn-rules §9.2), per township plus the district total.

Each problem names the township and the indicator (``<township>.<indicator>``), so the form can point at it:
- no figure is negative;
- deaths and missing never exceed the people affected;
- crop failure (绝收) never exceeds the crop area affected;
- the townships add up to the district total, indicator by indicator;
- a figure lower than in an earlier report of the same disaster needs a reason (核减原因).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from yingji.core.errors import ErrorDetail

INDICATORS = {
    "affected_person_times": "受灾人口（人次）",
    "deaths": "因灾死亡人口（人）",
    "missing": "因灾失踪人口（人）",
    "relocated": "紧急转移安置人口（人次）",
    "needing_relief": "需紧急生活救助人口（人次）",
    "collapsed_houses": "倒塌房屋（间）",
    "severely_damaged_houses": "严重损坏房屋（间）",
    "damaged_houses": "一般损坏房屋（间）",
    "crop_affected_kha": "农作物受灾面积（千公顷）",
    "crop_failed_kha": "农作物绝收面积（千公顷）",
    "direct_loss_10k_yuan": "直接经济损失（万元）",
}
DISTRICT = "district"


@dataclass
class DisasterReport:
    kind: str  # initial | follow_up | final
    figures: dict[str, dict[str, Decimal]]  # township code (or "district") → indicator → value
    reasons: dict[str, str] = field(default_factory=dict)  # "<township>.<indicator>" → why it went down


def check(report: DisasterReport, earlier: list[DisasterReport] | None = None) -> list[ErrorDetail]:
    problems: list[ErrorDetail] = []
    if DISTRICT not in report.figures:
        return [ErrorDetail(DISTRICT, "缺少全区合计")]
    for area, values in report.figures.items():
        for key, value in values.items():
            if key not in INDICATORS:
                problems.append(ErrorDetail(f"{area}.{key}", "未知指标"))
            elif value < 0:
                problems.append(ErrorDetail(f"{area}.{key}", f"{INDICATORS[key]}不能为负数"))
        people = values.get("affected_person_times")
        lost = values.get("deaths", Decimal(0)) + values.get("missing", Decimal(0))
        if people is not None and lost > people:
            problems.append(ErrorDetail(f"{area}.deaths", "死亡和失踪人数不能多于受灾人口"))
        failed, affected = values.get("crop_failed_kha"), values.get("crop_affected_kha")
        if failed is not None and affected is not None and failed > affected:
            problems.append(ErrorDetail(f"{area}.crop_failed_kha", "农作物绝收面积不能大于受灾面积"))
    townships = [a for a in report.figures if a != DISTRICT]
    if townships:
        for key in INDICATORS:
            parts = [report.figures[t][key] for t in townships if key in report.figures[t]]
            total = report.figures[DISTRICT].get(key)
            added = sum(parts, Decimal(0))
            if parts and total is not None and added != total:
                message = f"{INDICATORS[key]}各镇（街道）合计 {added} 与全区 {total} 不一致"
                problems.append(ErrorDetail(f"{DISTRICT}.{key}", message))
    for before in earlier or []:
        for area, values in before.figures.items():
            for key, old in values.items():
                new = report.figures.get(area, {}).get(key)
                where = f"{area}.{key}"
                if new is not None and new < old and not report.reasons.get(where, "").strip():
                    problems.append(ErrorDetail(where, f"{INDICATORS.get(key, key)}由 {old} 核减为 {new}，须说明原因"))
    return problems
