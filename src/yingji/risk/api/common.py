"""Shared shapes of the risk API modules."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Body, Response

from yingji.core.excel import XLSX_MIME
from yingji.risk.schemas import (
    HazardRead,
)
from yingji.risk.service import hazards

AnyBody = Annotated[dict[str, Any], Body()]


def xlsx(name: str, data: bytes) -> Response:
    return Response(
        data, media_type=XLSX_MIME, headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"}
    )


def hazard_read(h, model=HazardRead, **extra) -> Any:
    return model.model_validate(h).model_copy(update={"overdue": hazards.is_overdue(h), **extra})
