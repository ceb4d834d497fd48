"""JSON API of warning publication under /api/v1/warnings (thin: parse, call the service, shape), one
module per sub-domain of the service: reach, subscriptions, messages and authoring. The fixed paths
(``/map.geojson``, ``/coverage/district`` …) are included before authoring's ``/{warning_id}``, which
would otherwise take them for an id."""

from __future__ import annotations

from fastapi import APIRouter

from yingji.warnings.api import authoring, messages, reach, subscriptions

router = APIRouter(tags=["warnings"])  # each module carries the prefix: "" is a path of its own
for _module in (reach, subscriptions, messages, authoring):
    router.include_router(_module.router)
