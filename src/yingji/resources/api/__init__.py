"""JSON API of the resources capability under /api/v1/resources (thin: parse, call the service, shape),
one module per sub-domain of the service: teams, stock (warehouses, materials, documents), shelters,
coverage (nearest, coverage, roads, map) and excel. The addresses are those of the one router below."""

from __future__ import annotations

from fastapi import APIRouter

from yingji.resources.api import coverage, excel, shelters, stock, teams

router = APIRouter(prefix="/resources", tags=["resources"])
for _module in (teams, stock, shelters, coverage, excel):
    router.include_router(_module.router)
