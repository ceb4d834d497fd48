"""Shared shapes of the risk API modules."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Body

from yingji.risk.schemas import (
    HazardRead,
)
from yingji.risk.service import hazards

AnyBody = Annotated[dict[str, Any], Body()]


def hazard_read(h, model=HazardRead, **extra) -> Any:
    return model.model_validate(h).model_copy(update={"overdue": hazards.is_overdue(h), **extra})
