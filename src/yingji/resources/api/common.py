"""What the resources API modules share."""

from __future__ import annotations

from typing import Any

from fastapi import Response

from yingji.core.excel import XLSX_MIME
from yingji.core.pagination import PageParams


def page_of(model: Any, rows: list[Any], total: int, paging: PageParams) -> dict[str, Any]:
    """The list shape of every list API: ``{items, total, page, page_size}``."""
    return {
        "items": [model.model_validate(r) for r in rows],
        "total": total,
        "page": paging.page,
        "page_size": paging.page_size,
    }


def xlsx_response(data: bytes, filename: str) -> Response:
    return Response(data, media_type=XLSX_MIME, headers={"Content-Disposition": f'attachment; filename="{filename}"'})
