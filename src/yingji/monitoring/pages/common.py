"""Shared pieces of the monitoring pages: labels for the templates and the page context."""

from __future__ import annotations

from typing import Any

from yingji.geo import service as geo_service
from yingji.monitoring.enums import (
    ALARM_STATE_LABELS,
    EVENT_LABELS,
    KIND_LABELS,
    LEVEL_COLORS,
    LEVEL_LABELS,
    RULE_KIND_LABELS,
    SENSOR_STATUS_LABELS,
)
from yingji.web.deps import DbSession
from yingji.web.shell import is_built

PAGE_SIZE = 50
LABELS = {
    "levels": LEVEL_LABELS,
    "level_colors": LEVEL_COLORS,
    "states": ALARM_STATE_LABELS,
    "kinds": KIND_LABELS,
    "rule_kinds": RULE_KIND_LABELS,
    "event_labels": EVENT_LABELS,
    "statuses": SENSOR_STATUS_LABELS,
}


def ctx(db: DbSession, **extra: Any) -> dict[str, Any]:
    names = {r.path: r.name for r in geo_service.region_infos(db=db) if r.level != "grid"}
    built = {cap: is_built(cap) for cap in ("warnings", "incidents")}
    return {**LABELS, "region_names": names, "built": built, **extra}
