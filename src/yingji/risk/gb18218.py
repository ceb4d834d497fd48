"""GB 18218-2018 《危险化学品重大危险源辨识》 as data plus pure functions.

Identification S = Σ qᵢ/Qᵢ ≥ 1 (4.2.1), with Q from 表1 or, for a chemical not in 表1, the lowest Q of its
表2 hazard categories (4.1.2); grading R = α Σ βᵢ qᵢ/Qᵢ (4.3.1–4.3.2) with β from 表3 or 表4, α from 表5 by
the people exposed within 500 m of the plant boundary, and the grade from 表6 (4.3.3). q is the design
maximum quantity in tonnes (4.2.2). Sums are exact (``Fraction``): a unit whose ratios add to 0.9999… is
not a major hazard source, one adding to exactly 1 is. Tables: ``data/gb18218_*.csv`` (see SOURCES.md).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import cache
from importlib import resources
from typing import Any

from yingji.core.errors import ErrorDetail, ValidationFailed, invalid


@dataclass(frozen=True)
class NamedChemical:
    no: int
    name: str
    aliases: tuple[str, ...]
    cas: tuple[str, ...]
    q: Fraction
    beta_symbol: str
    table3_name: str


@dataclass(frozen=True)
class HazardCategory:
    symbol: str
    category: str
    description: str
    q: Fraction
    beta: Fraction


@dataclass(frozen=True)
class Tables:
    named: list[NamedChemical]
    categories: dict[str, HazardCategory]
    table3: dict[str, Fraction]
    alpha: list[tuple[int, Fraction, str]]
    grades: list[tuple[int, Fraction, str]]


def _rows(name: str) -> list[dict[str, str]]:
    text = (resources.files("yingji.risk") / "data" / name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def tables() -> Tables:
    named = [
        NamedChemical(
            int(r["no"]),
            r["name"],
            tuple(a for a in r["aliases"].split(";") if a),
            tuple(c for c in r["cas"].split(";") if c),
            Fraction(r["q_t"]),
            r["beta_symbol"],
            r["table3_name"],
        )
        for r in _rows("gb18218_table1.csv")
    ]
    categories = {
        r["symbol"]: HazardCategory(
            r["symbol"], r["category"], r["description"], Fraction(r["q_t"]), Fraction(r["beta"])
        )
        for r in _rows("gb18218_table2_table4.csv")
    }
    table3 = {r["name"]: Fraction(r["beta"]) for r in _rows("gb18218_table3.csv")}
    alpha = [(int(r["min_people"]), Fraction(r["alpha"]), r["label"]) for r in _rows("gb18218_table5_alpha.csv")]
    grades = [(int(r["grade"]), Fraction(r["min_r"]), r["label"]) for r in _rows("gb18218_table6_grades.csv")]
    return Tables(named, categories, table3, alpha, grades)


def _norm(text: str) -> str:
    return "".join(str(text).split()).replace("(", "（").replace(")", "）").lower()


def find_named(*, name: str | None, cas: str | None) -> list[NamedChemical]:
    """表1 entries matching a name (or alias) and/or a CAS number."""
    t = tables()
    hits = t.named
    if name:
        n = _norm(name)
        hits = [c for c in hits if n == _norm(c.name) or n in (_norm(a) for a in c.aliases)]
    if cas:
        hits = [c for c in hits if cas.strip() in c.cas]
    return hits


def alpha_for(people: int) -> tuple[Fraction, str]:
    for lower, alpha, label in tables().alpha:
        if people >= lower:
            return alpha, label
    raise invalid("exposed_people", "人数不能为负数")


def grade_for(r: Fraction) -> int:
    return next(g for g, lower, _label in tables().grades if r >= lower)


@dataclass
class SubstanceResult:
    name: str
    matched: str
    source: str  # "表1 第n项" or "表2 W5.4"
    quantity_t: Fraction
    q_t: Fraction
    beta: Fraction
    beta_source: str

    @property
    def ratio(self) -> Fraction:
        return self.quantity_t / self.q_t

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "matched": self.matched,
            "table": self.source,
            "quantity_t": _num(self.quantity_t),
            "Q_t": _num(self.q_t),
            "q_over_Q": _num(self.ratio),
            "beta": _num(self.beta),
            "beta_source": self.beta_source,
        }


@dataclass
class MajorHazardResult:
    unit_type: str
    S: Fraction
    is_major: bool
    alpha: Fraction
    alpha_reason: str
    R: Fraction | None
    grade: int | None
    breakdown: list[SubstanceResult] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "unit_type": self.unit_type,
            "S": _num(self.S),
            "is_major": self.is_major,
            "alpha": _num(self.alpha),
            "alpha_reason": self.alpha_reason,
            "R": _num(self.R) if self.R is not None else None,
            "grade": self.grade,
            "breakdown": [b.as_dict() for b in self.breakdown],
        }


def _num(value: Fraction) -> float:
    return round(float(value), 6)


UNIT_FACTORS = {"t": Fraction(1), "吨": Fraction(1), "kg": Fraction(1, 1000), "千克": Fraction(1, 1000)}


def _quantity(label: str, field_name: str, raw: Any, unit: Any) -> Fraction:
    if unit is not None and str(unit).strip() not in UNIT_FACTORS:
        raise invalid(f"{field_name}.unit", f"{label}：单位“{unit}”无效，数量须以吨（t）填写（也接受 kg）")
    if isinstance(raw, bool) or raw is None or raw == "":
        raise invalid(f"{field_name}.quantity_t", f"{label}：须填写数量（吨）")
    try:
        q = Fraction(Decimal(str(raw)))
    except Exception:
        raise invalid(f"{field_name}.quantity_t", f"{label}：数量须为数字（吨）") from None
    if q < 0:
        raise invalid(f"{field_name}.quantity_t", f"{label}：数量不能为负数")
    return q * UNIT_FACTORS[str(unit).strip() if unit is not None else "t"]


def _symbols(raw: Any) -> list[str]:
    if raw is None or raw == "":
        return []
    if isinstance(raw, str):
        return [s.strip().upper() for s in raw.replace("，", ",").replace("、", ",").split(",") if s.strip()]
    if isinstance(raw, list):
        return [str(s).strip().upper() for s in raw if str(s).strip()]
    return [str(raw).upper()]


def _substance(i: int, item: Any) -> SubstanceResult:
    field_name = f"substances[{i}]"
    if not isinstance(item, dict):
        raise invalid(field_name, "须为对象 {name, cas, quantity_t}")
    name = (item.get("name") or "").strip() if isinstance(item.get("name"), str) else None
    cas = (item.get("cas") or "").strip() if isinstance(item.get("cas"), str) else None
    label = name or cas or f"第{i + 1}种物质"
    if not name and not cas:
        raise invalid(f"{field_name}.name", f"{label}：须填写名称或 CAS 号")
    quantity = _quantity(label, field_name, item.get("quantity_t"), item.get("unit"))
    symbols = _symbols(item.get("symbol") or item.get("symbols") or item.get("hazard_category"))
    t = tables()
    for s in symbols:
        if s not in t.categories:
            raise invalid(f"{field_name}.symbol", f"{label}：危险性类别“{s}”不在 GB 18218 表2 中（如 W5.4、J1）")
    hits = find_named(name=name, cas=cas)
    if name and cas and not hits:
        by_cas = find_named(name=None, cas=cas)
        by_name = find_named(name=name, cas=None)
        if by_cas or by_name:
            raise invalid(f"{field_name}.cas", f"{label}：名称与 CAS 号 {cas} 不一致")
    if len(hits) > 1:
        options = "；".join(c.name for c in hits)
        raise invalid(f"{field_name}.name", f"{label}：对应表1中多个条目，请写明具体名称：{options}")
    if hits:
        chem = hits[0]
        if chem.table3_name:
            beta, beta_source = t.table3[chem.table3_name], f"表3 {chem.table3_name}"
        else:
            symbol = symbols[0] if symbols else chem.beta_symbol
            beta, beta_source = t.categories[symbol].beta, f"表4 {symbol}"
        return SubstanceResult(label, chem.name, f"表1 第{chem.no}项", quantity, chem.q, beta, beta_source)
    if symbols:
        # 4.1.2: not in 表1 → 表2 by hazard category; several hazards → the lowest Q.
        cat = min((t.categories[s] for s in symbols), key=lambda c: (c.q, -c.beta))
        matched = f"{cat.category}（{cat.description}）"
        return SubstanceResult(label, matched, f"表2 {cat.symbol}", quantity, cat.q, cat.beta, f"表4 {cat.symbol}")
    raise invalid(
        f"{field_name}.name",
        f"{label}：不在 GB 18218-2018 表1 中；请核对名称或 CAS 号，或用 symbol 给出其表2危险性类别（如柴油 W5.4）",
    )


def assess_major_hazard(payload: dict[str, Any]) -> MajorHazardResult:
    """Identification and grading of one unit. Every bad substance is reported, naming it."""
    if not isinstance(payload, dict):
        raise invalid("body", "须为 JSON 对象")
    unit_type = payload.get("unit_type")
    errors: list[ErrorDetail] = []
    if unit_type not in ("production", "storage"):
        errors.append(ErrorDetail("unit_type", "须为 production（生产单元）或 storage（储存单元）"))
    people = payload.get("exposed_people", 0)
    if isinstance(people, bool) or not isinstance(people, int) or people < 0:
        errors.append(ErrorDetail("exposed_people", "厂区边界外 500 m 内常住人数须为非负整数"))
        people = 0
    substances = payload.get("substances")
    if not isinstance(substances, list) or not substances:
        errors.append(ErrorDetail("substances", "须至少列出一种危险化学品"))
        substances = []
    results = []
    for i, item in enumerate(substances):
        try:
            results.append(_substance(i, item))
        except ValidationFailed as exc:
            errors += exc.details
    if errors:
        raise ValidationFailed("重大危险源辨识输入有误：" + "；".join(d.message for d in errors[:5]), details=errors)
    s = sum((r.ratio for r in results), Fraction(0))
    alpha, alpha_label = alpha_for(people)
    is_major = s >= 1
    r_value = alpha * sum((r.beta * r.ratio for r in results), Fraction(0)) if is_major else None
    return MajorHazardResult(
        unit_type=unit_type,
        S=s,
        is_major=is_major,
        alpha=alpha,
        alpha_reason=f"厂外 500 m 内常住 {people} 人（{alpha_label}），α = {_num(alpha)}",
        R=r_value,
        grade=grade_for(r_value) if r_value is not None else None,
        breakdown=results,
    )
