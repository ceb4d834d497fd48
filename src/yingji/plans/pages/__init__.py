"""Pages of the plans capability, one module per sub-domain: the registry (with the evaluations overview),
filings, drills, training, and the response from a plan during an incident. Fixed paths first; the
``/plans/{plan_id}`` routes last, so that ``/plans/new`` or ``/plans/drills`` is never read as a plan id."""

from __future__ import annotations

from fastapi import APIRouter

from yingji.plans.pages import drills, filings, registry, response, training

router = APIRouter(include_in_schema=False)
for _router in (registry.router, filings.router, drills.router, training.router, response.router,
                registry.plan_router, filings.plan_router, drills.plan_router):
    router.include_router(_router)
