"""Enumerations of monitoring, with their Chinese labels kept here for the UI."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class SensorKind(StrEnum):
    rain_gauge = "rain_gauge"
    water_level = "water_level"
    soil_moisture = "soil_moisture"
    displacement = "displacement"
    crack = "crack"
    tank_level = "tank_level"
    tank_temperature = "tank_temperature"
    tank_pressure = "tank_pressure"
    gas = "gas"
    toxic_gas = "toxic_gas"
    waterlogging = "waterlogging"
    bridge_strain = "bridge_strain"
    fire_hotspot = "fire_hotspot"


@dataclass(frozen=True)
class KindInfo:
    label: str
    unit: str
    min_value: float
    max_value: float
    interval_s: int
    # True when a reading is an amount since the previous reading (rainfall), so windows add up.
    accumulates: bool = False


KINDS: dict[SensorKind, KindInfo] = {
    SensorKind.rain_gauge: KindInfo("雨量计", "mm", 0, 200, 300, accumulates=True),
    SensorKind.water_level: KindInfo("河道/水库水位计", "m", -10, 300, 300),
    SensorKind.soil_moisture: KindInfo("土壤含水率", "%", 0, 100, 1800),
    SensorKind.displacement: KindInfo("地表位移（GNSS）", "mm", -5000, 5000, 600),
    SensorKind.crack: KindInfo("裂缝计", "mm", -1000, 1000, 600),
    SensorKind.tank_level: KindInfo("储罐液位", "%", 0, 100, 60),
    SensorKind.tank_temperature: KindInfo("储罐温度", "℃", -60, 400, 60),
    SensorKind.tank_pressure: KindInfo("储罐压力", "MPa", -0.1, 40, 60),
    SensorKind.gas: KindInfo("可燃气体浓度", "%LEL", 0, 100, 60),
    SensorKind.toxic_gas: KindInfo("有毒气体浓度", "ppm", 0, 10000, 60),
    SensorKind.waterlogging: KindInfo("城市内涝积水深度", "cm", 0, 500, 300),
    SensorKind.bridge_strain: KindInfo("桥梁应变", "με", -5000, 5000, 600),
    SensorKind.fire_hotspot: KindInfo("森林火情（摄像/卫星热点）", "次", 0, 1000, 3600),
}
KIND_LABELS = {k: v.label for k, v in KINDS.items()}


class AlarmLevel(StrEnum):
    red = "red"
    orange = "orange"
    yellow = "yellow"
    blue = "blue"


LEVEL_LABELS = {AlarmLevel.red: "红色", AlarmLevel.orange: "橙色", AlarmLevel.yellow: "黄色", AlarmLevel.blue: "蓝色"}
LEVEL_RANK = {AlarmLevel.blue: 1, AlarmLevel.yellow: 2, AlarmLevel.orange: 3, AlarmLevel.red: 4}
LEVEL_COLORS = {"red": "#d62728", "orange": "#ff7f0e", "yellow": "#e6c200", "blue": "#1f77b4"}


def higher(a: str | None, b: str | None) -> str | None:
    """The higher of two levels (None counts as no level)."""
    if a is None:
        return b
    if b is None:
        return a
    return a if LEVEL_RANK[AlarmLevel(a)] >= LEVEL_RANK[AlarmLevel(b)] else b


class RuleKind(StrEnum):
    threshold = "threshold"
    rate = "rate"
    accumulation = "accumulation"
    no_data = "no_data"
    combination = "combination"


RULE_KIND_LABELS = {
    RuleKind.threshold: "阈值",
    RuleKind.rate: "变化速率",
    RuleKind.accumulation: "滑动窗口累计",
    RuleKind.no_data: "数据中断",
    RuleKind.combination: "区域多站组合",
}


class AlarmState(StrEnum):
    open = "open"
    acknowledged = "acknowledged"
    resolved = "resolved"
    closed = "closed"


ALARM_STATE_LABELS = {
    AlarmState.open: "未确认",
    AlarmState.acknowledged: "已确认",
    AlarmState.resolved: "已自动解除",
    AlarmState.closed: "已关闭",
}
ACTIVE_STATES = (AlarmState.open, AlarmState.acknowledged)


class SensorStatus(StrEnum):
    normal = "normal"
    alarm = "alarm"
    silent = "silent"
    inactive = "inactive"


SENSOR_STATUS_LABELS = {
    SensorStatus.normal: "正常",
    SensorStatus.alarm: "告警",
    SensorStatus.silent: "数据中断",
    SensorStatus.inactive: "停用",
}

EVENT_LABELS = {
    "opened": "告警产生",
    "raised": "级别上升",
    "lowered": "级别下降",
    "cleared": "条件消失（保持观察）",
    "refired": "条件再次出现",
    "resolved": "自动解除",
    "acknowledged": "已确认",
    "annotated": "批注",
    "closed": "已关闭",
    "escalated": "已上报局领导",
}
