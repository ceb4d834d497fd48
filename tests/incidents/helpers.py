"""Shared helpers of the incident tests: the demo district's places and a report in one call."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from yingji.core.actor import SYSTEM
from yingji.incidents import service
from yingji.incidents.schemas import IncidentCreate

LABAO = "450206100000"  # 拉堡镇, the demo township officer's
LABAO_VILLAGE = "450206100001"  # the demo information officer's village
JINDE = "450206101000"  # 进德镇, another township
T0 = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)  # 10:00 Beijing


def report(db, actor=SYSTEM, **fields: Any):
    data = {"kind": "work_safety", "occurred_at": T0, "region_code": LABAO, **fields}
    incident = service.report_incident(db=db, actor=actor, data=IncidentCreate(**data))
    db.flush()
    return incident
