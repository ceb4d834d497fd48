"""Shared shapes of the monitoring API modules."""

from __future__ import annotations

from fastapi import Response

from yingji.core.excel import XLSX_MIME


def xlsx(content: bytes, name: str) -> Response:
    return Response(content, media_type=XLSX_MIME, headers={"Content-Disposition": f"attachment; filename={name}"})
