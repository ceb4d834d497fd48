"""JSON API of the risk capability under /api/v1/risk (thin: parse, call the service, shape), one module
per sub-domain of the service: grading (LEC/matrix, GB 18218, risk points, major hazard sources), hazards,
supervision (levels, district, map), reports (举报) and excel. The addresses are those of the one router."""

from __future__ import annotations

from fastapi import APIRouter

from yingji.risk.api import excel, grading, hazards, reports, supervision

router = APIRouter(prefix="/risk", tags=["risk"])
for _module in (grading, hazards, supervision, reports, excel):
    router.include_router(_module.router)
