"""The 暴雨 warning signal from observed rainfall (中国气象局令第16号, the "已达…" half of each criterion),
table-driven from ``data/rainstorm_signal.csv``. Pure functions, tested on worked examples."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

COLOUR_WORDS = {"red": "红", "orange": "橙", "yellow": "黄", "blue": "蓝"}


@dataclass(frozen=True)
class RainstormCriterion:
    level: str
    window_h: int
    mm: float
    criterion: str


@cache
def rainstorm_criteria() -> tuple[RainstormCriterion, ...]:
    """Red first: the criteria are tried from the highest level down."""
    text = (resources.files("yingji.monitoring") / "data" / "rainstorm_signal.csv").read_text(encoding="utf-8")
    rows = [
        RainstormCriterion(r["level"], int(r["window_h"]), float(r["mm"]), r["criterion"])
        for r in csv.DictReader(text.splitlines())
    ]
    return tuple(rows)


def rainstorm_signal(accumulations_mm: dict[int, float]) -> str | None:
    """The 暴雨 signal level that observed rainfall reaches, from the accumulations over the last
    ``window_h`` hours (``{3: 62.0, 6: 80.5, 12: 95.0}``); None below blue. "以上" is read as ≥."""
    for c in rainstorm_criteria():
        if accumulations_mm.get(c.window_h, 0.0) >= c.mm:
            return c.level
    return None


def rainstorm_rules() -> list[dict[str, Any]]:
    """The rainstorm rule pack: one accumulation rule per level, sharing one alarm per rain gauge."""
    return [
        {
            "code": f"rainstorm-{c.level}",
            "name": f"暴雨{COLOUR_WORDS[c.level]}色（实况 {c.window_h} 小时 ≥ {c.mm:g} 毫米）",
            "kind": "accumulation",
            "level": c.level,
            "group": "rainstorm",
            "sensor_kind": "rain_gauge",
            "params": {"window_s": c.window_h * 3600, "value": c.mm},
            "source": "中国气象局令第16号 暴雨预警信号：" + c.criterion,
        }
        for c in rainstorm_criteria()
    ]


@cache
def rule_packs() -> dict[str, dict[str, Any]]:
    """Every built-in pack: ``{name: {"label", "rules": [...]}}``."""
    text = (resources.files("yingji.monitoring") / "data" / "packs.json").read_text(encoding="utf-8")
    packs = {"rainstorm": {"label": "暴雨预警信号（实况雨量）", "rules": rainstorm_rules()}}
    packs.update(json.loads(text))
    return packs
