"""Pages of warning publication, one module per sub-domain: drafting (the form with its map, edit, update),
sign-off (list, card, a warning's page, the actions); the public pages are in ``warnings/public.py``. The
drafting routes come first: ``/warnings/new`` and ``/{id}/edit`` are not a warning id or an action."""

from __future__ import annotations

from fastapi import APIRouter

from yingji.warnings import public
from yingji.warnings.pages import drafting, signoff

router = APIRouter(include_in_schema=False)
for _module in (public, drafting, signoff):
    router.include_router(_module.router)
