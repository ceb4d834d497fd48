"""The tables of warning publication, as data plus small pure functions.

Level → CAP (one table, see docs/warnings.md):

| level | colour | CAP severity | urgency  | certainty | national (GB/T 35965.1) severity | headline suffix |
|-------|--------|--------------|----------|-----------|----------------------------------|-----------------|
| 一级  | red    | Extreme      | Immediate| Likely    | Red                              | [I级/特别严重]   |
| 二级  | orange | Severe       | Expected | Likely    | Orange                           | [II级/严重]      |
| 三级  | yellow | Moderate     | Expected | Likely    | Yellow                           | [III级/较重]     |
| 四级  | blue   | Minor        | Future   | Possible  | Blue                             | [IV级/一般]      |

Severity follows the colour one to one (FMI, MET Norway, WMO CAP Composer, QWeather); urgency and
certainty are our defaults by level (the national system sends Unknown). On ingest the colour wins:
an explicit colour parameter, then a national ``severity`` colour, then the CAP severity.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from functools import cache
from importlib import resources
from typing import Any

from yingji.warnings.enums import Level


@dataclass(frozen=True)
class LevelMapping:
    level: Level
    severity: str
    urgency: str
    certainty: str
    national: str
    roman: str
    word: str


LEVELS: dict[Level, LevelMapping] = {
    Level.red: LevelMapping(Level.red, "Extreme", "Immediate", "Likely", "Red", "I", "特别严重"),
    Level.orange: LevelMapping(Level.orange, "Severe", "Expected", "Likely", "Orange", "II", "严重"),
    Level.yellow: LevelMapping(Level.yellow, "Moderate", "Expected", "Likely", "Yellow", "III", "较重"),
    Level.blue: LevelMapping(Level.blue, "Minor", "Future", "Possible", "Blue", "IV", "一般"),
}
SEVERITY_TO_LEVEL = {m.severity: m.level for m in LEVELS.values()}
NATIONAL_TO_LEVEL = {m.national.lower(): m.level for m in LEVELS.values()}
COLOUR_WORDS = {"红": Level.red, "橙": Level.orange, "黄": Level.yellow, "蓝": Level.blue}

# CAP parameter names we emit (and prefer on ingest).
PARAM_COLOUR = "levelColor"
PARAM_LEVEL = "level"
PARAM_AWARENESS = "awareness_level"
EVENT_CODE_NAME = "GB/T 35561"


def level_suffix(level: Level) -> str:
    m = LEVELS[level]
    return f"[{m.roman}级/{m.word}]"


def awareness_level(level: Level) -> str:
    """MeteoAlarm-style ``awareness_level`` value (blue has no MeteoAlarm number: we use 1)."""
    n = {Level.blue: 1, Level.yellow: 2, Level.orange: 3, Level.red: 4}[level]
    return f"{n}; {level.value}; {LEVELS[level].severity}"


def level_from(*, colour: str | None = None, national: str | None = None, severity: str | None = None) -> Level | None:
    """The warning level from what a message carries, colour first (colour is the reliable signal)."""
    for value in (colour, national):
        if value and value.strip().lower() in NATIONAL_TO_LEVEL:
            return NATIONAL_TO_LEVEL[value.strip().lower()]
    if colour:
        for word, level in COLOUR_WORDS.items():
            if word in colour:
                return level
    if severity in SEVERITY_TO_LEVEL:
        return SEVERITY_TO_LEVEL[severity]
    return None


@dataclass(frozen=True)
class EventType:
    code: str
    label: str
    gbt35561: str
    cap_category: str
    confidence: str


@cache
def event_types() -> dict[str, EventType]:
    text = (resources.files("yingji.warnings") / "data" / "event_types.csv").read_text(encoding="utf-8")
    return {row["code"]: EventType(**row) for row in csv.DictReader(text.splitlines())}


def event_type_by_gbt(code: str) -> EventType | None:
    return next((e for e in event_types().values() if e.gbt35561 and e.gbt35561 == code.strip()), None)


def event_type_by_label(label: str) -> EventType | None:
    return next((e for e in event_types().values() if e.label and e.label in label), None)


@dataclass(frozen=True)
class Guidance:
    text: str  # numbered lines, as the 防御指南 is printed
    source: str
    standard: bool  # True: the text of a standard (令16); False: general measures written for this platform


@cache
def _guidance() -> dict[str, Any]:
    text = (resources.files("yingji.warnings") / "data" / "guidance.json").read_text(encoding="utf-8")
    return json.loads(text)


def guidance(event_type: str, level: str) -> Guidance:
    """The 防御指南 of a warning type and level (the general measures of ``other`` for a type without)."""
    entry = _guidance().get(event_type) or _guidance()["other"]
    lines = entry["levels"][level]
    return Guidance(
        "\n".join(f"{i}．{line}" for i, line in enumerate(lines, 1)), entry["source"], bool(entry["standard"])
    )


# --- time formats ---------------------------------------------------------------------------------

CHINA = timezone(timedelta(hours=8))


def cap_time(value: datetime, *, tz: timezone = CHINA) -> str:
    """CAP 1.2 date-time: no fractions, explicit offset (``-00:00`` for UTC, never ``Z``)."""
    text = value.astimezone(tz).replace(microsecond=0).isoformat()
    return text.replace("+00:00", "-00:00")


def national_time(value: datetime) -> str:
    """GB/T 35965.1 style: ``YYYY-MM-DD hh:mm:ss+08:00`` (a space instead of ``T``)."""
    return value.astimezone(CHINA).replace(microsecond=0).isoformat(sep=" ")


def parse_time(text: str) -> datetime:
    """Reads CAP (``T``) and national (space) date-times; a zone is required. Raises ValueError."""
    text = text.strip().replace(" ", "T", 1)
    if text.endswith("Z"):
        raise ValueError("CAP 不允许使用 Z 表示 UTC，应写 -00:00")
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise ValueError("时间缺少时区")
    return value.astimezone(UTC)


# --- geometry strings -----------------------------------------------------------------------------


def cap_polygon(ring: list[list[float]]) -> str:
    """GeoJSON-order ring → CAP ``lat,lon`` pairs, closed."""
    pts = [list(p) for p in ring]
    if pts[0] != pts[-1]:
        pts.append(pts[0])
    return " ".join(f"{lat:.6f},{lon:.6f}" for lon, lat in pts)


def parse_cap_polygon(text: str) -> list[list[float]]:
    """CAP polygon → GeoJSON-order ring. Raises ValueError naming what is wrong."""
    pairs = text.split()
    if len(pairs) < 4:
        raise ValueError("多边形至少需要 4 个坐标对（首尾相同）")
    ring = []
    for pair in pairs:
        lat_s, _, lon_s = pair.partition(",")
        lat, lon = float(lat_s), float(lon_s)
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError(f"坐标超出范围：{pair}")
        ring.append([lon, lat])
    if ring[0] != ring[-1]:
        raise ValueError("多边形未闭合：首尾坐标须相同")
    return ring


def cap_circle(lon: float, lat: float, radius_m: float) -> str:
    return f"{lat:.6f},{lon:.6f} {radius_m / 1000:.3f}"


def parse_cap_circle(text: str) -> tuple[float, float, float]:
    """CAP circle ``lat,lon radius_km`` → (lon, lat, radius in metres)."""
    centre, _, radius = text.strip().partition(" ")
    lat_s, _, lon_s = centre.partition(",")
    lat, lon, r = float(lat_s), float(lon_s), float(radius)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or r < 0:
        raise ValueError(f"圆形区域格式错误：{text}")
    return lon, lat, r * 1000
