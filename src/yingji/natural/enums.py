"""Enumerations of the natural capability, with their Chinese labels in one place."""

from __future__ import annotations

from enum import StrEnum


class PointStatus(StrEnum):
    monitored = "monitored"
    treating = "treating"
    relocated = "relocated"
    removed = "removed"


class Stability(StrEnum):
    stable = "stable"
    fairly_stable = "fairly_stable"
    unstable = "unstable"


class MonitorKind(StrEnum):
    info_officer = "info_officer"
    villager = "villager"


class PatrolKind(StrEnum):
    pre_flood = "pre_flood"
    in_rain = "in_rain"
    post_rain = "post_rain"


STATUS_LABELS = {"monitored": "监测中", "treating": "治理中", "relocated": "已搬迁避让", "removed": "已核销"}
STABILITY_LABELS = {"stable": "稳定", "fairly_stable": "基本稳定", "unstable": "不稳定"}
MONITOR_KIND_LABELS = {"info_officer": "灾害信息员", "villager": "村民监测员"}
PATROL_KIND_LABELS = {"pre_flood": "汛前排查", "in_rain": "雨中巡查", "post_rain": "雨后核查"}
SCALE_LABELS = {"small": "小型", "medium": "中型", "large": "大型", "huge": "特大型"}
# 雨中巡查 is what the patrol rules (data/patrol_rules.toml) ask for after a warning.
PATROL_BY_RULE_NAME = {"汛前排查": "pre_flood", "雨中巡查": "in_rain", "雨后核查": "post_rain"}
