"""National-standard computations of dual prevention: pure functions over tables shipped as data.

- LEC (作业条件危险性评价法, Graham–Kinney): D = L × E × C with the standard value sets, into four colours.
  No national standard defines LEC; the value sets and the D bands are the accepted convention
  (shared/standards/cn-rules.md §2.1 [S]). Band edges are inclusive from below (D ≥ 320 red), as platforms do.
- 5×5 risk matrix R = L × S with the DB37/T 2882-2016 (Shandong) bands (cn-rules.md §2.2 [S]); bands
  are provincial configuration, so both band tables are parameters with the national-practice default.
- GB 18218-2018 major hazard sources: in ``gb18218.py``, re-exported here.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from typing import Any

from yingji.core.errors import ErrorDetail, ValidationFailed, invalid
from yingji.risk.enums import LEVEL_RANK, RiskLevel
from yingji.risk.gb18218 import (  # noqa: F401  (re-exported: standards is the one entry point)
    UNIT_FACTORS,
    MajorHazardResult,
    SubstanceResult,
    alpha_for,
    assess_major_hazard,
    find_named,
    grade_for,
    tables,
)

# --- LEC and the risk matrix ---------------------------------------------------------------------

LEC_L = {
    Decimal("10"): "完全可以预料",
    Decimal("6"): "相当可能",
    Decimal("3"): "可能，但不经常",
    Decimal("1"): "可能性小，完全意外",
    Decimal("0.5"): "很不可能，可以设想",
    Decimal("0.2"): "极不可能",
    Decimal("0.1"): "实际不可能",
}
LEC_E = {
    Decimal("10"): "连续暴露",
    Decimal("6"): "每天工作时间内暴露",
    Decimal("3"): "每周一次或偶然暴露",
    Decimal("2"): "每月一次暴露",
    Decimal("1"): "每年几次暴露",
    Decimal("0.5"): "非常罕见地暴露",
}
LEC_C = {
    Decimal("100"): "大灾难，许多人死亡",
    Decimal("40"): "灾难，数人死亡",
    Decimal("15"): "非常严重，一人死亡",
    Decimal("7"): "严重，重伤",
    Decimal("3"): "重大，致残",
    Decimal("1"): "引人注目，需要救护",
}


def _bands(method: str) -> list[tuple[Decimal, RiskLevel]]:
    """(lower bound inclusive, level) from ``data/grading_bands.toml``, red first."""
    text = (resources.files("yingji.risk") / "data" / "grading_bands.toml").read_text(encoding="utf-8")
    table = tomllib.loads(text)[method]
    bands = [
        (Decimal(str(table[lv.value])), lv)
        for lv in (RiskLevel.red, RiskLevel.orange, RiskLevel.yellow, RiskLevel.blue)
    ]
    if [b for b, _ in bands] != sorted((b for b, _ in bands), reverse=True):
        raise ValueError(f"grading_bands.toml [{method}]: bounds must fall from red to blue")
    return bands


LEC_BANDS = _bands("lec")
MATRIX_BANDS = _bands("matrix")
LEVEL_WORDS = {
    RiskLevel.red: "重大风险",
    RiskLevel.orange: "较大风险",
    RiskLevel.yellow: "一般风险",
    RiskLevel.blue: "低风险",
}


@dataclass(frozen=True)
class Grading:
    score: Decimal
    level: RiskLevel
    reason: str

    def as_dict(self) -> dict[str, Any]:
        score = int(self.score) if self.score == self.score.to_integral_value() else float(self.score)
        return {"score": score, "level": self.level.value, "reason": self.reason}


def _lec_value(name: str, raw: Any, table: dict[Decimal, str]) -> Decimal:
    try:
        value = Decimal(str(raw))
    except Exception:
        value = None
    if value is None or isinstance(raw, bool) or value not in table:
        allowed = "、".join(format(v.normalize(), "f") for v in table)
        raise invalid(name, f"取值须为标准分值之一：{allowed}")
    return value


def grade_lec(L: Any, E: Any, C: Any, *, bands: list[tuple[Decimal, RiskLevel]] = LEC_BANDS) -> Grading:
    values = {}
    errors: list[ErrorDetail] = []
    for name, raw, table in (("L", L, LEC_L), ("E", E, LEC_E), ("C", C, LEC_C)):
        try:
            values[name] = _lec_value(name, raw, table)
        except ValidationFailed as exc:
            errors += exc.details
    if errors:
        raise ValidationFailed("LEC 取值有误：" + "；".join(f"{d.field} {d.message}" for d in errors), details=errors)
    d = values["L"] * values["E"] * values["C"]
    level = next(lvl for lower, lvl in bands if d >= lower)
    lower = next(lo for lo, lvl in bands if lvl == level)
    text = lambda v: format(v.normalize(), "f")  # noqa: E731
    reason = (
        f"D = L×E×C = {text(values['L'])}×{text(values['E'])}×{text(values['C'])} = {text(d)}"
        f"（{LEC_L[values['L']]}；{LEC_E[values['E']]}；{LEC_C[values['C']]}），"
        f"D ≥ {text(lower)}，{LEVEL_WORDS[level]}"
    )
    return Grading(d, level, reason)


def _int_1_5(name: str, raw: Any) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise invalid(name, "须为 1 到 5 的整数")
    try:
        number = Decimal(str(raw))
    except Exception:
        raise invalid(name, "须为 1 到 5 的整数") from None
    if number != number.to_integral_value() or not 1 <= number <= 5:
        raise invalid(name, "须为 1 到 5 的整数")
    return int(number)


def grade_matrix(likelihood: Any, severity: Any, *, bands: list[tuple[Decimal, RiskLevel]] = MATRIX_BANDS) -> Grading:
    errors: list[ErrorDetail] = []
    values = {}
    for name, raw in (("likelihood", likelihood), ("severity", severity)):
        try:
            values[name] = _int_1_5(name, raw)
        except ValidationFailed as exc:
            errors += exc.details
    if errors:
        raise ValidationFailed(
            "风险矩阵取值有误：" + "；".join(f"{d.field} {d.message}" for d in errors), details=errors
        )
    r = values["likelihood"] * values["severity"]
    level = next(lvl for lower, lvl in bands if r >= lower)
    reason = f"R = L×S = {values['likelihood']}×{values['severity']} = {r}，{LEVEL_WORDS[level]}（DB37/T 2882 分级）"
    return Grading(Decimal(r), level, reason)


def grade(payload: dict[str, Any]) -> Grading:
    """``{"method": "lec", "L", "E", "C"}`` or ``{"method": "matrix", "likelihood", "severity"}``."""
    method = payload.get("method")
    if method == "lec":
        return grade_lec(payload.get("L"), payload.get("E"), payload.get("C"))
    if method == "matrix":
        return grade_matrix(payload.get("likelihood"), payload.get("severity"))
    raise invalid("method", "须为 lec（LEC 法）或 matrix（5×5 风险矩阵）")


def highest(levels: list[RiskLevel | str | None]) -> RiskLevel | None:
    found = [RiskLevel(lv) for lv in levels if lv]
    return max(found, key=lambda lv: LEVEL_RANK[lv]) if found else None


# Enterprise level from its major hazard sources (provincial 双重预防 practice, configurable): an enterprise
# with a 一级 or 二级 major hazard source is at least 重大风险, 三级 at least 较大, 四级 at least 一般.
MAJOR_GRADE_FLOOR = {1: RiskLevel.red, 2: RiskLevel.red, 3: RiskLevel.orange, 4: RiskLevel.yellow}


def enterprise_level(point_levels: list[str], major_grades: list[int]) -> RiskLevel | None:
    return highest([*point_levels, *(MAJOR_GRADE_FLOOR[g] for g in major_grades if g in MAJOR_GRADE_FLOOR)])


# 差异化监管: inspections per year by risk level (重大 monthly, 较大 quarterly ×2, 一般 half-yearly, 低 yearly);
# an open major hidden hazard or an overdue one moves the enterprise one step up.
INSPECTIONS_PER_YEAR = {RiskLevel.red: 12, RiskLevel.orange: 6, RiskLevel.yellow: 2, RiskLevel.blue: 1}
UNGRADED_INSPECTIONS_PER_YEAR = 1


def inspection_frequency(level: RiskLevel | None, *, open_major: int, overdue: int) -> tuple[int, str]:
    """(inspections per year, why) for one enterprise."""
    base = INSPECTIONS_PER_YEAR[level] if level else UNGRADED_INSPECTIONS_PER_YEAR
    why = [f"风险等级{LEVEL_WORDS[level] if level else '未评定'}：每年 {base} 次"]
    order = [1, 2, 6, 12]
    steps = 0
    if open_major:
        steps += 1
        why.append(f"有 {open_major} 项未销号重大隐患：提高一档")
    if overdue:
        steps += 1
        why.append(f"有 {overdue} 项逾期未整改隐患：提高一档")
    return order[min(order.index(base) + steps, len(order) - 1)], "；".join(why)
