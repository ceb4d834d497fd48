"""What the resources pages share: labels, rendering, form parsing."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError

from yingji.core.errors import invalid
from yingji.resources import enums
from yingji.web.templating import render

PAGE_SIZE = 50
LABELS = {
    "team_kind": enums.TEAM_KIND_LABELS,
    "station_class": enums.FIRE_STATION_CLASS_LABELS,
    "speciality": enums.SPECIALITY_LABELS,
    "team_status": enums.TEAM_STATUS_LABELS,
    "approval": enums.APPROVAL_LABELS,
    "warehouse_level": enums.WAREHOUSE_LEVEL_LABELS,
    "category": enums.MATERIAL_CATEGORY_LABELS,
    "doc_kind": enums.DOCUMENT_KIND_LABELS,
    "doc_status": enums.DOCUMENT_STATUS_LABELS,
    "shelter_kind": enums.SHELTER_KIND_LABELS,
    "shelter_level": enums.SHELTER_LEVEL_LABELS,
    "condition": enums.SHELTER_CONDITION_LABELS,
    "agreement_kind": enums.AGREEMENT_KIND_LABELS,
}


def render_page(request: Request, name: str, ctx: dict[str, Any] | None = None, status_code: int = 200) -> HTMLResponse:
    return render(request, f"resources/{name}", {"labels": LABELS, **(ctx or {})}, status_code=status_code)


def form_model(model: Any, values: dict[str, Any]) -> Any:
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise invalid(".".join(str(p) for p in first["loc"]) or "form", first["msg"]) from None
