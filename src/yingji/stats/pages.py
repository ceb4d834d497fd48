"""Pages of the statistics capability: the duty-room wall (``screen_pages``) and the statistical reports
with the generic table export (``reports_pages``)."""

from __future__ import annotations

from fastapi import APIRouter

from yingji.stats import reports_pages, screen_pages

router = APIRouter(include_in_schema=False)
for _module in (screen_pages, reports_pages):
    router.include_router(_module.router)
