"""The annual supervision and inspection plan (年度监督检查计划) as pure functions over plain data, so that
its numbers can be checked by hand: each enterprise's frequency, the visits spread over the months, the
named (key) visits given to inspectors by least load, and the coverage month by month.

Frequency of one enterprise: the dual-prevention service's inspections a year for its risk level and
hazards, moved along the ladder (1, 2, 6, 12 a year) by its standardisation grade (一级 −1, 未达标 +1) and
by the untrustworthy list (+1), then bounded by the yearly cap of its industry group and grade.

Key targets (重点检查对象, named in the plan): red or orange risk, an open major hidden hazard, or listed as
seriously untrustworthy. Their visits are planned: the year cut into as many equal windows as visits, each
visit in the least loaded month of its window, two inspectors each — the least loaded with room left that
month, no declared conflict. Every other enterprise is in the random pool (随机抽查对象库) of its item: the
plan draws ``ceil(pool × ratio)`` of them (at most their cap, at least one visit each) in the random months;
who is inspected and by whom is left to the 双随机 draws, so only the inspector-days are reserved.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

LEVEL_WORDS = {"red": "重大", "orange": "较大", "yellow": "一般", "blue": "低", None: "未评定"}


@cache
def plan_rules() -> dict[str, Any]:
    text = resources.files("yingji.enforcement").joinpath("data", "plan_rules.toml").read_text("utf-8")
    return tomllib.loads(text)


def step_along(per_year: int, steps: int, ladder: list[int] | None = None) -> int:
    """``per_year`` moved ``steps`` rungs along the ladder (a value between rungs counts as the rung below)."""
    ladder = ladder or plan_rules()["ladder"]
    at = max((i for i, v in enumerate(ladder) if v <= per_year), default=0)
    return ladder[min(max(at + steps, 0), len(ladder) - 1)]


@dataclass(frozen=True)
class Target:
    id: int
    name: str
    industry: str
    item: str  # the code of the published item it is inspected under (one random pool per item)
    township: str
    risk_level: str | None
    risk_per_year: int
    open_major: int
    grade: str  # "1" "2" "3" "none"
    listed: bool
    cap: int | None


@dataclass(frozen=True)
class Officer:
    id: int
    name: str
    working_days: dict[int, int]  # month → working days of the legal clock's calendar


@dataclass
class Frequency:
    per_year: int
    key: bool
    why: list[str] = field(default_factory=list)


def frequency(t: Target, *, grade_steps: dict[str, int], listed_steps: int) -> Frequency:
    why = [f"风险等级{LEVEL_WORDS.get(t.risk_level, t.risk_level)}：双重预防要求每年 {t.risk_per_year} 次"]
    steps = grade_steps.get(t.grade, 0)
    if steps:
        why.append(f"标准化{'一级' if t.grade == '1' else '未达标' if t.grade == 'none' else t.grade + '级'}："
                   f"{'降低' if steps < 0 else '提高'} {abs(steps)} 档")
    if t.listed:
        steps += listed_steps
        why.append(f"列入严重失信主体名单：提高 {listed_steps} 档")
    per_year = step_along(t.risk_per_year, steps)
    if t.cap is not None and per_year > t.cap:
        why.append(f"本年度检查上限 {t.cap} 次：按上限")
        per_year = t.cap
    key = t.risk_level in ("red", "orange") or t.open_major > 0 or t.listed
    return Frequency(per_year, key, why)


def windows(visits: int) -> list[list[int]]:
    """The months (1–12) of each visit's window: the year cut into ``visits`` equal parts."""
    return [list(range(1 + k * 12 // visits, 1 + (k + 1) * 12 // visits)) or [1 + k * 12 // visits]
            for k in range(visits)]


@dataclass
class Plan:
    targets: list[dict[str, Any]]
    load: list[dict[str, Any]]
    months: list[dict[str, Any]]
    pools: dict[str, dict[str, Any]]  # item code → pool size, drawn, random visits
    warnings: list[str]


def build(targets: list[Target], officers: list[Officer], conflicts: set[tuple[int, int]], *,
          params: dict[str, Any]) -> Plan:
    rules = plan_rules()
    per_visit = int(params["inspectors_per_visit"])
    days = float(params["days_per_visit"])
    share = float(params["inspection_share"])
    ratio = float(params["random_ratio"])
    random_months = list(params["random_months"])
    capacity = {o.id: {m: o.working_days.get(m, 0) * share for m in range(1, 13)} for o in officers}
    used = {o.id: {m: 0.0 for m in range(1, 13)} for o in officers}
    names = {o.id: o.name for o in officers}
    month_visits = {m: {"key": 0, "random": 0} for m in range(1, 13)}
    warnings: list[str] = []
    out: list[dict[str, Any]] = []
    pools: dict[str, list[tuple[Target, Frequency]]] = {}

    for t in sorted(targets, key=lambda t: t.id):
        f = frequency(t, grade_steps=rules["grade_steps"], listed_steps=int(params["listed_steps"]))
        if not f.key:
            pools.setdefault(t.item, []).append((t, f))
            out.append({"id": t.id, "name": t.name, "industry": t.industry, "item": t.item, "township": t.township,
                        "risk_level": t.risk_level, "grade": t.grade, "listed": t.listed, "cap": t.cap,
                        "per_year": f.per_year, "key": False, "why": f.why, "visits": []})
            continue
        visits = []
        for window in windows(f.per_year) if f.per_year else []:
            month = min(window, key=lambda m: (month_visits[m]["key"] + month_visits[m]["random"], m))
            free = [o.id for o in officers if (o.id, t.id) not in conflicts
                    and capacity[o.id][month] - used[o.id][month] >= days]
            free.sort(key=lambda i: (sum(used[i].values()), i))
            team = free[:per_visit]
            if len(team) < per_visit:
                warnings.append(f"{month}月检查力量不足：{t.name} 的检查只排到 {len(team)} 名执法人员")
            for i in team:
                used[i][month] += days
            month_visits[month]["key"] += 1
            visits.append({"month": month, "inspectors": team})
        out.append({"id": t.id, "name": t.name, "industry": t.industry, "item": t.item, "township": t.township,
                    "risk_level": t.risk_level, "grade": t.grade, "listed": t.listed, "cap": t.cap,
                    "per_year": f.per_year, "key": True, "why": f.why, "visits": visits})

    # the random pools: ceil(pool × ratio) enterprises a year, one visit each, spread over the random months;
    # inspector-days reserved (who goes is drawn later)
    reserved = {m: 0.0 for m in range(1, 13)}
    pool_out: dict[str, dict[str, Any]] = {}
    for item, members in sorted(pools.items()):
        eligible = [m for m in members if m[0].cap is None or m[0].cap >= 1]
        drawn = math.ceil(len(eligible) * ratio - 1e-9)
        for _ in range(drawn):
            month = min(random_months, key=lambda m: (month_visits[m]["key"] + month_visits[m]["random"], m))
            month_visits[month]["random"] += 1
            reserved[month] += per_visit * days
        pool_out[item] = {"pool": len(members), "drawn": drawn, "ratio": ratio}

    total_targets = len(out)
    months = []
    covered_key, drawn_so_far = set(), 0
    key_first = {}
    for t in out:
        if t["visits"]:
            key_first[t["id"]] = min(v["month"] for v in t["visits"])
    for m in range(1, 13):
        cap_m = sum(capacity[o.id][m] for o in officers)
        need = sum(used[o.id][m] for o in officers) + reserved[m]
        covered_key |= {i for i, first in key_first.items() if first == m}
        drawn_so_far += month_visits[m]["random"]
        months.append({"month": m, "working_days": max((o.working_days.get(m, 0) for o in officers), default=0),
                       "key_visits": month_visits[m]["key"], "random_visits": month_visits[m]["random"],
                       "capacity_days": round(cap_m, 1), "planned_days": round(need, 1),
                       "covered": len(covered_key) + drawn_so_far,
                       "coverage": round((len(covered_key) + drawn_so_far) / total_targets, 4) if total_targets else 0})
        if need > cap_m + 1e-9:
            warnings.append(f"{m}月计划 {need:g} 人日，超出可用 {cap_m:g} 人日")
    load = [{"id": o.id, "name": names[o.id], "working_days": sum(o.working_days.values()),
             "capacity_days": round(sum(capacity[o.id].values()), 1),
             "key_days": round(sum(used[o.id].values()), 1)} for o in officers]
    return Plan(out, load, months, pool_out, warnings)
