"""Monitoring pages, one module per sub-domain of the service: alarms (the overview, an alarm, the
dashboard card), sensors and rules."""

from __future__ import annotations

from fastapi import APIRouter

from yingji.monitoring.pages import alarms, rules, sensors

router = APIRouter(include_in_schema=False)
for _module in (alarms, sensors, rules):
    router.include_router(_module.router)
