"""JSON API of the monitoring capability under /api/v1/monitoring (thin: parse, call the service, shape),
one module per sub-domain of the service: sensors, readings, rules, alarms and live. The addresses are
those of the one router below."""

from __future__ import annotations

from fastapi import APIRouter

from yingji.monitoring.api import alarms, live, readings, rules, sensors

router = APIRouter(prefix="/monitoring", tags=["monitoring"])
for _module in (sensors, readings, rules, alarms, live):
    router.include_router(_module.router)
