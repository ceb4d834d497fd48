"""Shared shapes of the warnings API modules."""

from __future__ import annotations

from yingji.warnings.schemas import WarningRead

CAP_TYPE = "application/cap+xml; charset=utf-8"


def read(w) -> WarningRead:
    return WarningRead.model_validate(w)
