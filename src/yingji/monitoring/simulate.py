"""A plausible rainstorm over the district, for demonstrations and drills: a rain cell crossing the sensor
network from west to east (peak ~55 mm/h, ~10 km across), with river stages and street waterlogging that
follow the rain. Readings are stamped in simulated time ending at the moment the replay started, so they are
never in the future; ``speed`` is simulated seconds per real second (0: as fast as possible)."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

STEP = timedelta(minutes=5)
PEAK_MM_H = 55.0
RADIUS_KM = 10.0
KINDS = ("rain_gauge", "water_level", "waterlogging")


@dataclass
class SimSensor:
    code: str
    kind: str
    lon: float
    lat: float
    base: float = 0.0
    rain_1h: list[float] = field(default_factory=list)
    total: float = 0.0


@dataclass(frozen=True)
class Storm:
    west: float
    east: float
    lat: float
    hours: float

    def centre(self, fraction: float) -> tuple[float, float]:
        lon = self.west + (self.east - self.west) * (0.1 + 0.8 * fraction)
        return lon, self.lat + 0.03 * math.sin(fraction * math.pi)

    def intensity_mm_h(self, lon: float, lat: float, fraction: float) -> float:
        """Rain rate at a point: a Gaussian cell, strongest mid-storm."""
        clon, clat = self.centre(fraction)
        dx = (lon - clon) * 111.0 * math.cos(math.radians(lat))
        dy = (lat - clat) * 111.0
        envelope = math.sin(math.pi * min(max(fraction, 0.0), 1.0)) ** 0.5
        return PEAK_MM_H * envelope * math.exp(-(dx * dx + dy * dy) / (2 * RADIUS_KM**2))


def storm_over(sensors: list[SimSensor], hours: float) -> Storm:
    lons = [s.lon for s in sensors] or [109.3]
    lats = [s.lat for s in sensors] or [24.25]
    return Storm(min(lons), max(lons), sum(lats) / len(lats), hours)


def steps(sensors: list[SimSensor], *, hours: float, end: datetime) -> Iterator[tuple[datetime, list[dict]]]:
    """Each five-minute step's readings: ``(simulated time, [{"sensor", "ts", "value"}])``."""
    storm = storm_over([s for s in sensors if s.kind == "rain_gauge"], hours)
    n = max(1, int(timedelta(hours=hours) / STEP))
    start = end - n * STEP
    per_hour = int(timedelta(hours=1) / STEP)
    for k in range(1, n + 1):
        ts = start + k * STEP
        fraction = k / n
        batch = []
        for s in sensors:
            rain = storm.intensity_mm_h(s.lon, s.lat, fraction) * STEP.total_seconds() / 3600
            s.rain_1h = ([*s.rain_1h, rain])[-per_hour:]
            s.total += rain
            if s.kind == "rain_gauge":
                value = round(rain, 1)
            elif s.kind == "water_level":  # the river answers the rain with a lag, 3 cm per mm
                value = round(s.base + 0.03 * s.total * min(1.0, k / (2 * per_hour)), 2)
            else:  # street water: what the drains cannot take of the last hour's rain, in cm
                value = round(max(0.0, sum(s.rain_1h) * 1.5 - 15.0), 1)
            batch.append({"sensor": s.code, "ts": ts.isoformat(), "value": value})
        yield ts, batch


def replay(
    sensors: list[SimSensor],
    *,
    hours: float,
    speed: float,
    end: datetime,
    send: Callable[[list[dict]], dict],
    echo: Callable[[str], None] = print,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> dict[str, int]:
    """Sends each step at its time: step k is due ``k * 5 min / speed`` after the start, whatever sending
    took (waiting a fixed interval after each send ran slower than asked). When sending cannot keep up,
    says so once, and at the end gives the speed achieved. Times are shown in Beijing time."""
    from yingji.core.clock import to_local

    totals = {"steps": 0, "accepted": 0, "duplicates": 0, "rejected": 0}
    wait = STEP.total_seconds() / speed if speed > 0 else 0.0
    t0, behind_said = clock(), False
    for ts, batch in steps(sensors, hours=hours, end=end):
        out = send(batch)
        totals["steps"] += 1
        for key in ("accepted", "duplicates"):
            totals[key] += int(out.get(key, 0))
        totals["rejected"] += len(out.get("rejected", []))
        wettest = max((s for s in sensors if s.kind == "rain_gauge"), key=lambda s: s.total, default=None)
        if wettest is not None and totals["steps"] % 6 == 0:
            echo(
                f"{to_local(ts):%H:%M} 北京时间  已发送 {totals['accepted']} 条；"
                f"最大累计雨量 {wettest.total:.1f} mm（{wettest.code}）"
            )
        if wait:
            late = clock() - (t0 + totals["steps"] * wait)
            if late < 0:
                sleep(-late)
            elif late > wait and not behind_said:
                echo(f"发送跟不上 {speed:g} 倍速（每步 {wait:.2f} 秒内未发完），按能达到的最快速度继续")
                behind_said = True
    if wait and totals["steps"]:
        elapsed = max(clock() - t0, 1e-9)
        achieved = totals["steps"] * STEP.total_seconds() / elapsed
        echo(f"实际倍速 {achieved:.0f}（要求 {speed:g}）")
        totals["achieved_speed"] = int(round(achieved))
    return totals
