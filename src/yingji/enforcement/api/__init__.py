"""JSON API of the enforcement capability under /api/v1/enforcement (thin: parse, call the service, shape),
one module per part of the service: items (enforceable items, checklists, roster), cases (draws, cases),
inspections, plans (the annual plan, the untrustworthy list). The addresses are those of the one router."""

from __future__ import annotations

from fastapi import APIRouter

from yingji.enforcement.api import cases, inspections, items, plans

router = APIRouter(prefix="/enforcement", tags=["enforcement"])
for _module in (items, cases, inspections, plans):
    router.include_router(_module.router)
